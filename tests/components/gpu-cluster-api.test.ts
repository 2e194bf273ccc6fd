import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { GpuCluster } from "../../components";
import { happyExistingCluster, happyNewCluster, happyPools } from "../fixtures/gpu-cluster-args";
import { installMocks, resolveOutput } from "../support/pulumi-mocks";
import { policyOf, settle } from "./gpu-cluster-helpers";

const mocks = installMocks();

describe("GpuCluster for another stack", () => {
  it("takes the existing cluster's name as an output, e.g. from a StackReference", async () => {
    const clusterName = pulumi.output(Promise.resolve("shared-prod"));

    const cluster = new GpuCluster("fromref", {
      existingCluster: { ...happyExistingCluster(), clusterName },
      pools: happyPools(),
    });
    await settle();

    expect(await resolveOutput(cluster.clusterName)).toBe("shared-prod");
    const nodeGroups = mocks.ofType("aws:eks/nodeGroup:NodeGroup").filter((g) => g.name.startsWith("fromref-"));
    expect(nodeGroups.map((g) => g.inputs.clusterName)).toEqual(["shared-prod", "shared-prod", "shared-prod"]);
    const caPolicy = policyOf(
      mocks.one("aws:iam/rolePolicy:RolePolicy", "fromref-cluster-autoscaler-policy").inputs.policy,
    );
    expect(JSON.stringify(caPolicy)).toContain("nodegroup/shared-prod/");
    const caRelease = mocks.one("kubernetes:helm.sh/v3:Release", "fromref-cluster-autoscaler").inputs;
    expect((caRelease.values as { autoDiscovery: unknown }).autoDiscovery).toEqual({ clusterName: "shared-prod" });
  });

  it("exposes its node groups, releases, roles and provider as resources", async () => {
    const cluster = new GpuCluster("res", { existingCluster: happyExistingCluster(), pools: happyPools() });
    await settle();

    expect(Object.keys(cluster.resources.nodeGroups)).toEqual(happyPools().map((p) => p.name));
    expect(cluster.resources.addons).toBe(cluster.addons);
    expect(Object.keys(cluster.resources.roles).sort()).toEqual(["clusterAutoscaler", "keda"]);
    expect(cluster.resources.provider).toBe(cluster.provider);
  });

  it("lets node groups and Helm releases be adjusted before they are created", async () => {
    new GpuCluster(
      "tuned",
      { existingCluster: happyExistingCluster(), pools: happyPools() },
      {
        transform: {
          nodeGroup: (args, resourceName) => ({ ...args, tags: { ...args.tags, team: `ml-${resourceName}` } }),
          helmRelease: (args, release) =>
            release === "keda"
              ? {
                  ...args,
                  values: pulumi
                    .output(args.values ?? {})
                    .apply((v) => ({ ...v, resources: { limits: { memory: "1Gi" } } })),
                }
              : args,
        },
      },
    );
    await settle();

    const spot = mocks.one("aws:eks/nodeGroup:NodeGroup", "tuned-spot-a10g").inputs;
    expect((spot.tags as Record<string, string>).team).toBe("ml-tuned-spot-a10g");
    const keda = mocks.one("kubernetes:helm.sh/v3:Release", "tuned-keda").inputs;
    expect((keda.values as { resources: unknown }).resources).toEqual({ limits: { memory: "1Gi" } });
    const devicePlugin = mocks.one("kubernetes:helm.sh/v3:Release", "tuned-device-plugin").inputs;
    expect(devicePlugin.values).not.toHaveProperty("resources");
    expect(keda.values).toHaveProperty("serviceAccount");
  });

  it("creates the add-ons with the Kubernetes provider the kubernetesProvider option gives", async () => {
    const provider = new k8s.Provider("given", { kubeconfig: "{}" });
    const cluster = new GpuCluster(
      "given",
      { existingCluster: happyExistingCluster(), pools: happyPools() },
      { kubernetesProvider: provider },
    );
    await settle();

    expect(cluster.provider).toBe(provider);
    expect(mocks.ofType("pulumi:providers:kubernetes").map((p) => p.name)).not.toContain("given-k8s");
    expect(mocks.one("kubernetes:helm.sh/v3:Release", "given-keda").provider).toContain("::given::");
  });

  it("refuses the kubernetesProvider option for a new cluster, before any resource", () => {
    const provider = new k8s.Provider("stray", { kubeconfig: "{}" });
    const count = mocks.resources.length;

    expect(
      () =>
        new GpuCluster(
          "stray",
          { newCluster: happyNewCluster(), pools: happyPools() },
          { kubernetesProvider: provider },
        ),
    ).toThrow(
      "invalid GpuCluster arguments:\nkubernetesProvider (resource option) is for an existing cluster: a new cluster's provider is built from the cluster GpuCluster creates",
    );
    expect(mocks.resources.length).toBe(count);
  });
});
