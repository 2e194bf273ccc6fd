import * as k8s from "@pulumi/kubernetes";
import { beforeAll, describe, expect, it } from "vitest";
import { ClusterAddons, ConfigError, GpuCluster, ModelEndpoint, ModelWorkload } from "../../components";
import { happyArgs as clusterArgs } from "../fixtures/gpu-cluster-args";
import { fixtureCluster, fixturePools, happyArgs, IRSA } from "../fixtures/model-endpoint";
import { installMocks, resolveOutput } from "../support/pulumi-mocks";
import { settle } from "./gpu-cluster-helpers";

const mocks = installMocks();
const RELEASE = "kubernetes:helm.sh/v3:Release";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const TRIGGER_AUTH = "kubernetes:keda.sh/v1alpha1:TriggerAuthentication";
const ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation";
const dependsOn = (type: string, name: string) => mocks.registration(type, name).dependencies;
const urn = (type: string, name: string) => mocks.registration(type, name).urn;

// Each case names the first `pulumi up` failure it prevents; see docs/gpu-cluster.md "Deploy order".
describe("deploy order of a GpuCluster and its endpoints (Pod Identity)", () => {
  let cluster: GpuCluster;

  beforeAll(async () => {
    cluster = new GpuCluster("fleet", clusterArgs());
    new ModelEndpoint("chat", happyArgs(cluster));
    await settle();
  }, 120_000);

  it("creates KEDA custom resources only after the release that installs their CRDs", () => {
    const keda = urn(RELEASE, "fleet-keda");

    expect(dependsOn(SCALED_OBJECT, "chat-scaledobject")).toContain(keda);
    expect(dependsOn(TRIGGER_AUTH, "chat-keda-auth")).toContain(keda);
  });

  it("starts pods that use an AWS identity only after their Pod Identity association", () => {
    expect(dependsOn(DEPLOYMENT, "chat-deployment")).toContain(urn(ASSOCIATION, "chat-pod-identity"));
    expect(dependsOn(RELEASE, "fleet-keda")).toContain(urn(ASSOCIATION, "fleet-keda-pod-identity"));
    expect(dependsOn(RELEASE, "fleet-cluster-autoscaler")).toContain(
      urn(ASSOCIATION, "fleet-cluster-autoscaler-pod-identity"),
    );
  });

  it("installs each add-on into a namespace of its own that destroy removes (Helm never deletes one it creates)", () => {
    const namespace = "kubernetes:core/v1:Namespace";

    expect(mocks.one(RELEASE, "fleet-keda").inputs.createNamespace).toBe(false);
    expect(mocks.one(namespace, "fleet-keda-namespace").inputs.metadata).toEqual({ name: "keda" });
    expect(dependsOn(RELEASE, "fleet-keda")).toContain(urn(namespace, "fleet-keda-namespace"));
    expect(dependsOn(RELEASE, "fleet-device-plugin")).toContain(urn(namespace, "fleet-device-plugin-namespace"));
    // The Cluster Autoscaler goes into kube-system, which is the cluster's own.
    expect(mocks.ofType(namespace).map((r) => r.name)).not.toContain("fleet-cluster-autoscaler-namespace");
  });

  it("starts endpoint pods after the PriorityClass they name exists", () => {
    expect(dependsOn(DEPLOYMENT, "chat-deployment")).toContain(
      urn("kubernetes:scheduling.k8s.io/v1:PriorityClass", "fleet-priority-standard"),
    );
  });

  it("names the queue with the cluster's prefix and lets KEDA's operator assume the endpoint's scaler role", async () => {
    const queue = mocks.one("aws:sqs/queue:Queue", "chat-queue").inputs;
    const kedaPolicy = JSON.parse(
      mocks.one("aws:iam/rolePolicy:RolePolicy", "fleet-keda-policy").inputs.policy as string,
    );
    const scalerTrust = JSON.parse(
      mocks.one("aws:iam/role:Role", "chat-scaler-role").inputs.assumeRolePolicy as string,
    );
    const auth = mocks.one(TRIGGER_AUTH, "chat-keda-auth").inputs as { spec: { podIdentity: object } };

    expect(queue.name).toBe("gpufleet-fleet-chat");
    // The operator's own grant covers the queue too, so the composition scales either way.
    expect(
      new RegExp(`^${kedaPolicy.Statement[0].Resource.replace("*", ".*")}$`).test(
        "arn:aws:sqs:us-east-1:123456789012:gpufleet-fleet-chat",
      ),
    ).toBe(true);
    expect(scalerTrust.Statement[0].Principal).toEqual({ AWS: await resolveOutput(cluster.kedaOperatorRoleArn) });
    expect(auth.spec.podIdentity).toEqual({
      provider: "aws",
      roleArn: "arn:aws:iam::123456789012:role/chat-scaler-role",
    });
  });

  it("gives cluster-admin through an access entry instead of the creator's bootstrap permission", () => {
    const eks = mocks.one("aws:eks/cluster:Cluster", "fleet-eks").inputs as { accessConfig: object };
    const entry = mocks.one("aws:eks/accessEntry:AccessEntry", "fleet-admin-0").inputs;
    const policy = mocks.one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "fleet-admin-0-policy").inputs;

    expect(eks.accessConfig).toEqual({ authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false });
    expect(entry.principalArn).toBe("arn:aws:iam::123456789012:user/test");
    expect(policy).toMatchObject({
      policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      accessScope: { type: "cluster" },
    });
    expect(dependsOn("pulumi:providers:kubernetes", "fleet-k8s")).toContain(
      urn("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "fleet-admin-0-policy"),
    );
  });

  it("creates the Deployment at the replica floor, leaves the count to KEDA and does not wait for GPUs", () => {
    const deployment = mocks.one(DEPLOYMENT, "chat-deployment").inputs as {
      metadata: { annotations: Record<string, string> };
      spec: { replicas: number };
    };

    expect(deployment.spec.replicas).toBe(1);
    expect(mocks.registration(DEPLOYMENT, "chat-deployment").ignoreChanges).toEqual(["spec.replicas"]);
    expect(deployment.metadata.annotations).toEqual({ "pulumi.com/skipAwait": "true" });
  });

  it("waits for each Helm release deliberately, with a timeout that covers the add-ons' start", () => {
    for (const name of ["fleet-keda", "fleet-cluster-autoscaler", "fleet-device-plugin"]) {
      expect(mocks.one(RELEASE, name).inputs).toMatchObject({ skipAwait: false, timeout: 600 });
    }
  });
});

describe("deploy order under IRSA, and the Kubernetes halves on their own", () => {
  const provider = new k8s.Provider("plain", { kubeconfig: "{}" });

  it("starts IRSA pods after the role policy, with the role on the ServiceAccount", async () => {
    const ep = new ModelEndpoint("irsa-ep", {
      ...happyArgs(fixtureCluster(provider, IRSA)),
      profile: {
        secondsPerRequest: 2,
        modelLoadSeconds: 30,
        sloSeconds: 10,
        minReplicas: 0,
      },
    });
    await resolveOutput(ep.resources.scaledObject.urn);
    await settle();

    expect(dependsOn(DEPLOYMENT, "irsa-ep-deployment")).toContain(
      urn("aws:iam/rolePolicy:RolePolicy", "irsa-ep-role-policy"),
    );
    expect(dependsOn("kubernetes:core/v1:ServiceAccount", "irsa-ep-sa")).toContain(
      urn("aws:iam/role:Role", "irsa-ep-role"),
    );
    expect((mocks.one(DEPLOYMENT, "irsa-ep-deployment").inputs as { spec: { replicas: number } }).spec.replicas).toBe(
      0,
    );
  });

  it("deploys the add-ons and a workload from plain values, with no AWS resource or lookup", async () => {
    const before = { resources: mocks.resources.length, invokes: mocks.invokes.length };
    const addons = new ClusterAddons("plain-addons", {
      kubeconfig: "{}",
      clusterName: "plain",
      region: "us-east-1",
      identity: "pod-identity",
      pools: [{ name: "spot-a", capacityType: "spot", slicesPerGpu: 4, asgNames: ["eks-gpufleet-spot-a-1"] }],
      charts: {
        keda: { path: "./charts/keda" },
        devicePlugin: { chart: "oci://registry.example.com/charts/nvidia-device-plugin", version: "0.17.1" },
        clusterAutoscaler: { repository: "https://charts.example.com/mirror" },
      },
    });
    // Plain values, as another Pulumi language gives them: a kubeconfig, and dependsOn the add-ons.
    const cluster = {
      clusterName: "plain",
      kubeconfig: "{}",
      identity: "pod-identity" as const,
      pools: fixturePools(),
    };
    const workload = new ModelWorkload(
      "plain-ep",
      {
        ...happyArgs(cluster),
        queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/plain-ep",
        dlqUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/plain-ep-dlq",
        region: "us-east-1",
      },
      { dependsOn: [addons] },
    );
    await resolveOutput(workload.scaledObject.urn);
    await settle();
    const added = mocks.resources.slice(before.resources);

    expect(added.filter((r) => r.type.startsWith("aws:"))).toEqual([]);
    expect(mocks.invokes.length).toBe(before.invokes);
    expect(dependsOn(SCALED_OBJECT, "plain-ep-scaledobject")).toContain(urn(RELEASE, "plain-addons-keda"));
    // Each builds its provider from the kubeconfig.
    expect(mocks.one(SCALED_OBJECT, "plain-ep-scaledobject").provider).toContain("plain-ep-k8s");
    expect(mocks.one(RELEASE, "plain-addons-keda").provider).toContain("plain-addons-k8s");
    // Chart sources: a local directory, an OCI reference, a mirrored repository.
    expect(mocks.one(RELEASE, "plain-addons-keda").inputs).toMatchObject({ chart: "./charts/keda" });
    expect(mocks.one(RELEASE, "plain-addons-keda").inputs.repositoryOpts).toBeUndefined();
    expect(mocks.one(RELEASE, "plain-addons-device-plugin").inputs).toMatchObject({
      chart: "oci://registry.example.com/charts/nvidia-device-plugin",
      version: "0.17.1",
    });
    expect(mocks.one(RELEASE, "plain-addons-cluster-autoscaler").inputs).toMatchObject({
      chart: "cluster-autoscaler",
      version: "9.46.6",
      repositoryOpts: { repo: "https://charts.example.com/mirror" },
    });
  });

  it("refuses a chart source that names two places, before any resource", () => {
    const count = mocks.resources.length;
    expect(
      () =>
        new ClusterAddons("bad-addons", {
          clusterName: "plain",
          region: "us-east-1",
          identity: "irsa",
          pools: [{ name: "spot-a", capacityType: "spot", slicesPerGpu: 4, asgNames: [] }],
          charts: { keda: { path: "./charts/keda", version: "2.17.2" } },
        }),
    ).toThrow(ConfigError);
    expect(mocks.resources.length).toBe(count);
  });
});
