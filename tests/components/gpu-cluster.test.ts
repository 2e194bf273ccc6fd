import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CHARTS, type ClusterRef, ConfigError, GpuCluster } from "../../components";
import { happyArgs } from "../fixtures/gpu-cluster-args";
import { installMocks, resolveOutput } from "../support/pulumi-mocks";
import { policyOf, settle } from "./gpu-cluster-helpers";

const mocks = installMocks();
const ACCOUNT = "123456789012";
// biome-ignore lint/suspicious/noExplicitAny: chart values are untyped JSON, read by path in assertions
type Values = Record<string, any>;

describe("GpuCluster, new cluster", () => {
  let cluster: GpuCluster;
  const release = (name: string) => mocks.one("kubernetes:helm.sh/v3:Release", name).inputs;

  beforeAll(async () => {
    cluster = new GpuCluster("fleet", happyArgs());
    await settle();
  });

  it("satisfies ClusterRef and reports each pool's plain descriptor", async () => {
    const ref: ClusterRef = cluster;
    const [spot, big, fallback] = ref.pools;

    expect(ref.identity).toBe("pod-identity");
    expect(ref.oidcProviderArn).toBeUndefined();
    expect(await resolveOutput(ref.clusterName)).toBe("fleet");
    expect(spot).toMatchObject({
      name: "spot-a10g",
      capacityType: "spot",
      fallback: false,
      instanceTypes: ["g5.xlarge", "g6.xlarge"],
      gpusPerNode: 1,
      slicesPerGpu: 4,
      gpuMemoryGiBPerGpu: 24,
      gpuMemoryMiBPerSlice: 6144,
      minNodes: 0,
      maxNodes: 10,
    });
    expect(big).toMatchObject({ gpusPerNode: 4, slicesPerGpu: 2, gpuMemoryMiBPerSlice: 12288 });
    expect(fallback).toMatchObject({ capacityType: "on-demand", fallback: true });
    expect(await resolveOutput(spot?.nodeGroupName)).toBe("gpufleet-spot-a10g");
  });

  it("labels, taints and sizes each GPU node group by capacity type", () => {
    const spot = mocks.one("aws:eks/nodeGroup:NodeGroup", "fleet-spot-a10g").inputs;
    const fallback = mocks.one("aws:eks/nodeGroup:NodeGroup", "fleet-ondemand-a10g").inputs;

    expect(spot.capacityType).toBe("SPOT");
    expect(fallback.capacityType).toBe("ON_DEMAND");
    expect(spot.amiType).toBe("AL2023_x86_64_NVIDIA");
    expect(spot.instanceTypes).toEqual(["g5.xlarge", "g6.xlarge"]);
    expect(spot.scalingConfig).toEqual({ minSize: 0, maxSize: 10, desiredSize: 0 });
    expect(spot.diskSize).toBe(200);
    // The Cluster Autoscaler's GPU label: without it a new node counts as ready before its GPUs register.
    expect((fallback.labels as Values)["k8s.amazonaws.com/accelerator"]).toBe("nvidia-a10g");
    expect(spot.labels).toEqual({
      "k8s.amazonaws.com/accelerator": "nvidia-24gb",
      "gpufleet.io/pool": "spot-a10g",
      "gpufleet.io/capacity-type": "spot",
      "gpufleet.io/slices-per-gpu": "4",
      "gpufleet.io/gpu-memory-per-slice-mib": "6144",
      "nvidia.com/gpu.present": "true",
      "nvidia.com/device-plugin.config": "pool-spot-a10g",
      "gpufleet.io/ami-family": "al2023",
    });
    expect(spot.taints).toEqual([{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }]);
  });

  it("configures time-slicing in Bottlerocket's own settings for a Bottlerocket pool", () => {
    const big = mocks.one("aws:eks/nodeGroup:NodeGroup", "fleet-spot-a10g-big").inputs;
    const template = mocks.one("aws:ec2/launchTemplate:LaunchTemplate", "fleet-spot-a10g-big-lt").inputs;
    const userData = Buffer.from(template.userData as string, "base64").toString("utf8");

    expect(big.amiType).toBe("BOTTLEROCKET_x86_64_NVIDIA");
    expect(big.diskSize).toBeUndefined();
    expect((big.labels as Values)["gpufleet.io/ami-family"]).toBe("bottlerocket");
    expect(userData).toContain('device-sharing-strategy = "time-slicing"');
    expect(userData).toContain("replicas = 2\n");
    expect(userData).toContain("fail-requests-greater-than-one = true");
  });

  it("tags each pool's Auto Scaling group with the autoscaler's node template", () => {
    const tagsOf = (prefix: string) =>
      Object.fromEntries(
        mocks
          .ofType("aws:autoscaling/tag:Tag")
          .filter((r) => r.name.startsWith(`${prefix}-ca-`))
          .map((r) => {
            const tag = r.inputs.tag as { key: string; value: string; propagateAtLaunch: boolean };
            expect(tag.propagateAtLaunch).toBe(false);
            return [tag.key, tag.value];
          }),
      );

    const spot = tagsOf("fleet-spot-a10g");
    const big = tagsOf("fleet-spot-a10g-big");

    expect(spot).toEqual({
      "k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu": "4",
      "k8s.io/cluster-autoscaler/node-template/label/k8s.amazonaws.com/accelerator": "nvidia-24gb",
      "k8s.io/cluster-autoscaler/node-template/label/gpufleet.io/pool": "spot-a10g",
      "k8s.io/cluster-autoscaler/node-template/label/gpufleet.io/capacity-type": "spot",
      "k8s.io/cluster-autoscaler/node-template/label/gpufleet.io/slices-per-gpu": "4",
      "k8s.io/cluster-autoscaler/node-template/label/gpufleet.io/gpu-memory-per-slice-mib": "6144",
      "k8s.io/cluster-autoscaler/node-template/label/nvidia.com/gpu.present": "true",
      "k8s.io/cluster-autoscaler/node-template/label/nvidia.com/device-plugin.config": "pool-spot-a10g",
      "k8s.io/cluster-autoscaler/node-template/label/gpufleet.io/ami-family": "al2023",
      "k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu": "true:NoSchedule",
    });
    // Four GPUs per g5.12xlarge, two slices each.
    expect(big["k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu"]).toBe("8");
  });

  it("renders one time-slicing config per pool into the device plugin release", () => {
    const inputs = release("fleet-device-plugin");
    const values = inputs.values as Values;
    const configs = values.config.map as Record<string, string>;

    expect(inputs).toMatchObject({
      chart: CHARTS.devicePlugin.chart,
      version: CHARTS.devicePlugin.version,
      repositoryOpts: { repo: CHARTS.devicePlugin.repo },
    });
    expect(values.config.default).toBe("unshared");
    expect(Object.keys(configs).sort()).toEqual([
      "pool-ondemand-a10g",
      "pool-spot-a10g",
      "pool-spot-a10g-big",
      "unshared",
    ]);
    expect(parse(configs["pool-spot-a10g"] as string)).toEqual({
      version: "v1",
      flags: { migStrategy: "none" },
      sharing: {
        timeSlicing: {
          renameByDefault: false,
          failRequestsGreaterThanOne: true,
          resources: [{ name: "nvidia.com/gpu", replicas: 4 }],
        },
      },
    });
    expect(parse(configs.unshared as string)).toEqual({ version: "v1", flags: { migStrategy: "none" } });
    expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      {
        matchExpressions: [
          { key: "nvidia.com/gpu.present", operator: "In", values: ["true"] },
          { key: "gpufleet.io/ami-family", operator: "NotIn", values: ["bottlerocket"] },
        ],
      },
    ]);
    expect(values.tolerations).toContainEqual({ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" });
  });

  it("gives KEDA a Pod Identity role that reads this cluster's queues and GetMetricData only", async () => {
    const values = release("fleet-keda").values as Values;
    const association = mocks.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "fleet-keda-pod-identity");
    const trust = policyOf(mocks.one("aws:iam/role:Role", "fleet-keda-role").inputs.assumeRolePolicy);
    const policy = policyOf(mocks.one("aws:iam/rolePolicy:RolePolicy", "fleet-keda-policy").inputs.policy);

    expect(values.serviceAccount).toEqual({ operator: { create: true, name: "keda-operator" } });
    expect(values.podIdentity).toEqual({ aws: { irsa: { enabled: false } } });
    expect(association.inputs).toMatchObject({
      clusterName: "fleet",
      namespace: "keda",
      serviceAccount: "keda-operator",
      roleArn: `arn:aws:iam::${ACCOUNT}:role/fleet-keda-role`,
    });
    expect(await resolveOutput(cluster.kedaOperatorRoleArn)).toBe(`arn:aws:iam::${ACCOUNT}:role/fleet-keda-role`);
    expect(trust.Statement).toEqual([
      {
        Sid: "EksPodIdentity",
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:RequestTag/kubernetes-namespace": "keda",
            "aws:RequestTag/kubernetes-service-account": "keda-operator",
          },
        },
      },
    ]);
    expect(policy.Statement[0]).toMatchObject({
      Action: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
      Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:gpufleet-fleet-*`,
    });
    expect(policy.Statement[1]).toEqual({
      Sid: "ReadMetrics",
      Effect: "Allow",
      Action: "cloudwatch:GetMetricData",
      Resource: "*",
    });
    expect(cluster.queueNamePrefix).toBe("gpufleet-fleet-");
  });

  it("scopes the Cluster Autoscaler's writes to this cluster's node groups and prefers spot", () => {
    const values = release("fleet-cluster-autoscaler").values as Values;
    const policy = policyOf(
      mocks.one("aws:iam/rolePolicy:RolePolicy", "fleet-cluster-autoscaler-policy").inputs.policy,
    );
    const resize = policy.Statement.find((s) => s.Sid === "ResizeOwnNodeGroups");
    const trust = policyOf(mocks.one("aws:iam/role:Role", "fleet-cluster-autoscaler-role").inputs.assumeRolePolicy);
    const asg = (ng: string) => `^eks-gpufleet-${ng}-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d$`;

    expect(values).toMatchObject({
      cloudProvider: "aws",
      awsRegion: "us-east-1",
      autoDiscovery: { clusterName: "fleet" },
      rbac: { serviceAccount: { create: true, name: "cluster-autoscaler" } },
      extraArgs: { expander: "priority,least-waste", "balance-similar-node-groups": true },
    });
    // The node groups' reported ASG names, each matched exactly: no guess at AWS's naming.
    expect(values.expanderPriorities).toEqual({
      "50": [asg("spot-a10g"), asg("spot-a10g-big")],
      "10": [asg("ondemand-a10g")],
      "1": [".*"],
    });
    expect(resize).toEqual({
      Sid: "ResizeOwnNodeGroups",
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: ["gpufleet-spot-a10g", "gpufleet-spot-a10g-big", "gpufleet-ondemand-a10g", "system"].map(
        (ng) => `arn:aws:autoscaling:us-east-1:${ACCOUNT}:autoScalingGroup:*:autoScalingGroupName/eks-${ng}-*`,
      ),
      Condition: { StringEquals: { "aws:ResourceTag/eks:cluster-name": "fleet" } },
    });
    expect(trust.Statement[0]?.Condition).toEqual({
      StringEquals: {
        "aws:RequestTag/kubernetes-namespace": "kube-system",
        "aws:RequestTag/kubernetes-service-account": "cluster-autoscaler",
      },
    });
  });

  it("encrypts secrets with a rotating KMS key, logs the control plane and restricts the public endpoint", () => {
    const eks = mocks.one("aws:eks/cluster:Cluster", "fleet-eks").inputs;
    const key = mocks.one("aws:kms/key:Key", "fleet-secrets-key").inputs;
    const logs = mocks.one("aws:cloudwatch/logGroup:LogGroup", "fleet-control-plane-logs").inputs;

    expect(key.enableKeyRotation).toBe(true);
    expect(eks.encryptionConfig).toEqual({
      resources: ["secrets"],
      provider: { keyArn: `arn:aws:mock:us-east-1:${ACCOUNT}:key/fleet-secrets-key` },
    });
    expect(eks.enabledClusterLogTypes).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(logs).toMatchObject({ name: "/aws/eks/fleet/cluster", retentionInDays: 90 });
    expect(eks.version).toBe("1.32");
    expect(eks.vpcConfig).toMatchObject({
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.0/24"],
    });
    expect((eks.vpcConfig as Values).subnetIds).toHaveLength(3);
  });

  it("builds the VPC: private node subnets and public subnets per zone", () => {
    const cidrs = (prefix: string) =>
      mocks
        .ofType("aws:ec2/subnet:Subnet")
        .filter((r) => r.name.startsWith(`fleet-${prefix}-`))
        .map((r) => [r.inputs.cidrBlock, r.inputs.availabilityZone]);

    expect(cidrs("private")).toEqual([
      ["10.20.0.0/19", "us-east-1a"],
      ["10.20.32.0/19", "us-east-1b"],
      ["10.20.64.0/19", "us-east-1c"],
    ]);
    expect(cidrs("public")).toEqual([
      ["10.20.224.0/22", "us-east-1a"],
      ["10.20.228.0/22", "us-east-1b"],
      ["10.20.232.0/22", "us-east-1c"],
    ]);
  });

  it("runs controllers on an on-demand system node group with the Pod Identity agent", () => {
    const system = mocks.one("aws:eks/nodeGroup:NodeGroup", "fleet-system").inputs;
    const agent = mocks.one("aws:eks/addon:Addon", "fleet-pod-identity-agent").inputs;

    expect(system).toMatchObject({
      capacityType: "ON_DEMAND",
      nodeGroupName: "system",
      amiType: "AL2023_x86_64_STANDARD",
    });
    expect(agent).toMatchObject({ clusterName: "fleet", addonName: "eks-pod-identity-agent" });
  });

  it("creates the three priority classes, batch preemptible and never preempting", () => {
    const classes = mocks
      .ofType("kubernetes:scheduling.k8s.io/v1:PriorityClass")
      .filter((r) => r.name.startsWith("fleet-"))
      .map((r) => [(r.inputs.metadata as Values).name, r.inputs.value, r.inputs.preemptionPolicy]);

    expect(classes).toEqual([
      ["gpufleet-critical", 1_000_000, "PreemptLowerPriority"],
      ["gpufleet-standard", 100_000, "PreemptLowerPriority"],
      ["gpufleet-batch", 1_000, "Never"],
    ]);
  });

  it("exports a secret kubeconfig that authenticates through aws eks get-token", async () => {
    const kubeconfig = parse(await resolveOutput(cluster.kubeconfig)) as Values;

    expect(await pulumi.isSecret(cluster.kubeconfig)).toBe(true);
    expect(kubeconfig.users[0].user.exec).toMatchObject({
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", "fleet", "--region", "us-east-1", "--output", "json"],
    });
  });

  it("makes only the lookups it needs", () => {
    expect(mocks.unknownInvokes).toEqual([]);
    expect([...new Set(mocks.invokes.map((i) => i.token))].sort()).toEqual([
      "aws:index/getCallerIdentity:getCallerIdentity",
      "aws:index/getPartition:getPartition",
      "aws:index/getRegion:getRegion",
    ]);
  });

  it("rejects bad arguments before creating any resource", () => {
    const before = mocks.resources.length;
    const args = happyArgs();
    (args.pools[1] as { slicesPerGpu: number }).slicesPerGpu = 64;

    expect(() => new GpuCluster("broken", args)).toThrow(ConfigError);
    expect(() => new GpuCluster("broken", args)).toThrow(
      "pools[1].slicesPerGpu (64) must be a whole number between 1 and 48",
    );
    expect(mocks.resources.length).toBe(before);
  });
});
