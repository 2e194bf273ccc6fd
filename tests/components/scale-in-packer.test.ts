import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError, GpuCluster } from "../../components";
import { PACKER_RULES } from "../../components/gpu-cluster/packer";
import { happyArgs } from "../fixtures/gpu-cluster-args";
import { installMocks } from "../support/pulumi-mocks";
import { settle } from "./gpu-cluster-helpers";

const mocks = installMocks();
const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/gpufleet-worker:0.1.0";

describe("GpuCluster with the scale-in packer", () => {
  beforeAll(async () => {
    const args = happyArgs();
    args.addons = { scaleInPacker: { image: IMAGE, intervalSeconds: 30 } };
    new GpuCluster("packed", args);
    await settle();
  }, 120_000);

  it("runs `gpufleet packer` from the worker image on the system nodes, restricted and non-root", () => {
    const deployment = mocks.one("kubernetes:apps/v1:Deployment", "packed-packer").inputs as {
      metadata: { namespace: string };
      spec: { replicas: number; template: { spec: Record<string, unknown> } };
    };
    const pod = deployment.spec.template.spec as {
      serviceAccountName: string;
      tolerations?: unknown;
      containers: { image: string; args: string[]; securityContext: Record<string, unknown> }[];
    };

    expect(deployment.metadata.namespace).toBe("kube-system");
    expect(deployment.spec.replicas).toBe(1);
    expect(pod.serviceAccountName).toBe("gpufleet-packer");
    // No toleration of the GPU taint: it never takes a slice.
    expect(pod.tolerations).toBeUndefined();
    expect(pod.containers[0]?.image).toBe(IMAGE);
    expect(pod.containers[0]?.args).toEqual(["/app/packer.js", "--interval-seconds=30"]);
    expect(pod.containers[0]?.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
  });

  it("may list and patch pods and nothing else, and starts only once it may", () => {
    const role = mocks.one("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "packed-packer").inputs;
    const BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding";
    const binding = mocks.one(BINDING, "packed-packer").inputs;

    expect(role.rules).toEqual([{ apiGroups: [""], resources: ["pods"], verbs: ["list", "patch"] }]);
    expect(role.rules).toEqual(PACKER_RULES);
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "gpufleet-packer", namespace: "kube-system" }]);
    expect(mocks.registration("kubernetes:apps/v1:Deployment", "packed-packer").dependencies).toContain(
      mocks.registration(BINDING, "packed-packer").urn,
    );
  });

  it("is not installed unless asked for", () => {
    expect(mocks.ofType("kubernetes:apps/v1:Deployment").map((r) => r.name)).toEqual(["packed-packer"]);
  });

  it("refuses a bad image or interval before creating any resource, naming the field", () => {
    const before = mocks.resources.length;
    const args = happyArgs();
    args.addons = { scaleInPacker: { image: "Not An Image", intervalSeconds: 0 } };

    expect(() => new GpuCluster("broken", args)).toThrow(ConfigError);
    expect(() => new GpuCluster("broken", args)).toThrow(/addons\.scaleInPacker\.image \("Not An Image"\)/);
    expect(() => new GpuCluster("broken", args)).toThrow(/addons\.scaleInPacker\.intervalSeconds \(0\)/);
    expect(mocks.resources.length).toBe(before);
  });
});
