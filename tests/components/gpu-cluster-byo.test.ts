import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GpuCluster } from "../../components";
import { happyExistingCluster, happyPools } from "../fixtures/gpu-cluster-args";
import { installMocks, resolveOutput } from "../support/pulumi-mocks";
import { policyOf, settle } from "./gpu-cluster-helpers";

const mocks = installMocks({
  "aws:eks/getCluster:getCluster": (inputs) => ({
    name: inputs.name,
    endpoint: "https://ABC123.gr7.us-east-1.eks.amazonaws.com",
    certificateAuthorities: [{ data: "Q0EtREFUQQ==" }],
    id: inputs.name,
  }),
});
const OIDC_URL = "https://oidc.eks.us-east-1.amazonaws.com/id/ABC123";
const OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123";
const namesStartingWith = (prefix: string) => mocks.resources.filter((r) => r.name.startsWith(`${prefix}-`));

describe("GpuCluster on an existing cluster with IRSA and a kubeconfig", () => {
  let cluster: GpuCluster;

  beforeAll(async () => {
    cluster = new GpuCluster("platform", { existingCluster: happyExistingCluster(), pools: happyPools() });
    await settle();
  });

  it("creates no cluster, network or node role, only pools and add-ons", () => {
    const types = new Set(namesStartingWith("platform").map((r) => r.type));

    expect(types.has("aws:eks/cluster:Cluster")).toBe(false);
    expect(types.has("aws:ec2/vpc:Vpc")).toBe(false);
    expect(types.has("aws:kms/key:Key")).toBe(false);
    expect(types.has("aws:eks/podIdentityAssociation:PodIdentityAssociation")).toBe(false);
    expect(mocks.ofType("aws:eks/nodeGroup:NodeGroup").filter((r) => r.name.startsWith("platform-"))).toHaveLength(3);
  });

  it("joins the GPU nodes with the given role and subnets", () => {
    const spot = mocks.one("aws:eks/nodeGroup:NodeGroup", "platform-spot-a10g").inputs;

    expect(spot).toMatchObject({
      clusterName: "platform-prod",
      nodeRoleArn: "arn:aws:iam::123456789012:role/platform-nodes",
      subnetIds: ["subnet-aaa", "subnet-bbb"],
      capacityType: "SPOT",
    });
  });

  it("trusts the cluster's OIDC provider for exactly the add-ons' service accounts", () => {
    const kedaTrust = policyOf(mocks.one("aws:iam/role:Role", "platform-keda-role").inputs.assumeRolePolicy);
    const caTrust = policyOf(
      mocks.one("aws:iam/role:Role", "platform-cluster-autoscaler-role").inputs.assumeRolePolicy,
    );
    const issuer = "oidc.eks.us-east-1.amazonaws.com/id/ABC123";

    expect(kedaTrust.Statement).toEqual([
      {
        Sid: "Irsa",
        Effect: "Allow",
        Principal: { Federated: OIDC_ARN },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: "system:serviceaccount:keda:keda-operator",
            [`${issuer}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ]);
    expect(caTrust.Statement[0]?.Condition).toEqual({
      StringEquals: {
        [`${issuer}:sub`]: "system:serviceaccount:kube-system:cluster-autoscaler",
        [`${issuer}:aud`]: "sts.amazonaws.com",
      },
    });
  });

  it("hands the IRSA roles to KEDA and the Cluster Autoscaler through chart values", () => {
    const keda = mocks.one("kubernetes:helm.sh/v3:Release", "platform-keda").inputs.values as Record<string, unknown>;
    const ca = mocks.one("kubernetes:helm.sh/v3:Release", "platform-cluster-autoscaler").inputs.values as Record<
      string,
      unknown
    >;

    expect(keda.podIdentity).toEqual({
      aws: { irsa: { enabled: true, roleArn: "arn:aws:iam::123456789012:role/platform-keda-role" } },
    });
    expect(ca.rbac).toEqual({
      create: true,
      serviceAccount: {
        create: true,
        name: "cluster-autoscaler",
        annotations: {
          "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/platform-cluster-autoscaler-role",
        },
      },
    });
    expect(ca.autoDiscovery).toEqual({ clusterName: "platform-prod" });
  });

  it("lets the autoscaler resize only the GPU pools it added", () => {
    const policy = policyOf(
      mocks.one("aws:iam/rolePolicy:RolePolicy", "platform-cluster-autoscaler-policy").inputs.policy,
    );
    const resize = policy.Statement.find((s) => s.Sid === "ResizeOwnNodeGroups");

    expect(resize?.Resource).toEqual(
      ["gpufleet-spot-a10g", "gpufleet-spot-a10g-big", "gpufleet-ondemand-a10g"].map(
        (ng) => `arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/eks-${ng}-*`,
      ),
    );
    expect(resize?.Condition).toEqual({ StringEquals: { "aws:ResourceTag/eks:cluster-name": "platform-prod" } });
  });

  it("exposes the same outputs as a new cluster", async () => {
    expect(cluster.identity).toBe("irsa");
    expect(await resolveOutput(cluster.oidcProviderArn as pulumi.Output<string>)).toBe(OIDC_ARN);
    expect(await resolveOutput(cluster.oidcProviderUrl as pulumi.Output<string>)).toBe(OIDC_URL);
    expect(await resolveOutput(cluster.clusterName)).toBe("platform-prod");
    expect(await resolveOutput(cluster.kubeconfig)).toBe("apiVersion: v1\nkind: Config\n");
    expect(await pulumi.isSecret(cluster.kubeconfig)).toBe(true);
    expect(cluster.pools.map((p) => [p.name, p.capacityType, p.gpuMemoryMiBPerSlice])).toEqual([
      ["spot-a10g", "spot", 6144],
      ["spot-a10g-big", "spot", 12288],
      ["ondemand-a10g", "on-demand", 6144],
    ]);
    expect(cluster.vpcId).toBeUndefined();
  });
});

describe("GpuCluster on an existing cluster with Pod Identity and no kubeconfig", () => {
  let cluster: GpuCluster;

  beforeAll(async () => {
    const existing = happyExistingCluster();
    delete existing.kubeconfig;
    existing.identity = "pod-identity";
    delete existing.oidcProviderArn;
    delete existing.oidcProviderUrl;
    cluster = new GpuCluster("adopted", {
      existingCluster: existing,
      pools: happyPools(),
      addons: { sqsQueueNamePrefix: "serving-", priorityClasses: false },
    });
    await settle();
  });

  it("builds the kubeconfig from one cluster lookup", async () => {
    const kubeconfig = parse(await resolveOutput(cluster.kubeconfig)) as {
      clusters: { cluster: Record<string, string> }[];
    };

    expect(mocks.invokes.filter((i) => i.token === "aws:eks/getCluster:getCluster")).toEqual([
      { token: "aws:eks/getCluster:getCluster", inputs: { name: "platform-prod" } },
    ]);
    expect(kubeconfig.clusters[0]?.cluster).toEqual({
      server: "https://ABC123.gr7.us-east-1.eks.amazonaws.com",
      "certificate-authority-data": "Q0EtREFUQQ==",
    });
    expect(mocks.unknownInvokes).toEqual([]);
  });

  it("associates the add-on roles with their service accounts and scopes KEDA to the given queue prefix", () => {
    const associations = mocks
      .ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation")
      .filter((r) => r.name.startsWith("adopted-"))
      .map((r) => [r.inputs.namespace, r.inputs.serviceAccount]);
    const policy = policyOf(mocks.one("aws:iam/rolePolicy:RolePolicy", "adopted-keda-policy").inputs.policy);

    expect(associations).toEqual([
      ["keda", "keda-operator"],
      ["kube-system", "cluster-autoscaler"],
    ]);
    expect(policy.Statement[0]?.Resource).toBe("arn:aws:sqs:us-east-1:123456789012:serving-*");
  });

  it("leaves the priority classes to whoever owns them when asked", () => {
    expect(
      mocks.ofType("kubernetes:scheduling.k8s.io/v1:PriorityClass").filter((r) => r.name.startsWith("adopted-")),
    ).toEqual([]);
  });
});
