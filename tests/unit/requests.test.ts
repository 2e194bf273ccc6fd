import type * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import {
  allocatableFor,
  kubeReservedCpuMillis,
  kubeReservedMemoryMiB,
  sliceShare,
} from "../../components/gpu-cluster/allocatable";
import { validateModelEndpointArgs } from "../../components/model-endpoint";
import { cpuMillis, memoryMiB } from "../../components/model-endpoint/quantity";
import { ConfigError } from "../../functions/problems";
import { parseStackConfig } from "../../infra/config";
import { fixtureCluster, fixturePools, happyArgs } from "../fixtures/model-endpoint";

const cluster = fixtureCluster({} as k8s.Provider);

describe("what a GPU node leaves for pods (EKS reservation formula)", () => {
  it("reserves CPU by core bands and memory by max pods", () => {
    // 60 + 10 + 5 + 5 millicores for four cores; each further core 2.5.
    expect(kubeReservedCpuMillis(4)).toBe(80);
    expect(kubeReservedCpuMillis(48)).toBe(190);
    expect(kubeReservedMemoryMiB(58)).toBe(11 * 58 + 255);
  });

  it("takes reservations, eviction threshold, VM overhead and node agents off a g5.xlarge", () => {
    // 4 vCPU, 16 GiB, 58 pods: 4000 - 80 - 300; floor(16384 × 0.925) - 893 - 100 - 512.
    expect(allocatableFor("g5.xlarge")).toEqual({ cpuMillis: 3620, memoryMiB: 13650 });
    expect(allocatableFor("g9.xlarge")).toBeUndefined();
  });

  it("shares the smallest node between all its slices", () => {
    const share = sliceShare({ instanceTypes: ["g5.xlarge", "g6.xlarge"], gpusPerNode: 1, slicesPerGpu: 4 });

    expect(share).toMatchObject({ replicasPerNode: 4, cpuMillis: 905, memoryMiB: 3412 });
    expect(4 * (share?.cpuMillis ?? 0)).toBeLessThanOrEqual(share?.node.cpuMillis ?? 0);
  });

  it("reads Kubernetes quantities", () => {
    expect([cpuMillis("2"), cpuMillis("900m"), cpuMillis("0.5"), cpuMillis("two")]).toEqual([
      2000,
      900,
      500,
      undefined,
    ]);
    expect([memoryMiB("8Gi"), memoryMiB("3412Mi"), memoryMiB("8GB")]).toEqual([8192, 3412, undefined]);
  });
});

describe("endpoint CPU and memory requests", () => {
  it("default to the smallest per-slice share of the allowed pools, so every slice can hold a replica", () => {
    const r = validateModelEndpointArgs("chat", happyArgs(cluster));

    // The fixture's spot pools are g5.xlarge/g5.2xlarge at 4 slices: a g5.xlarge sets the share.
    expect([r.cpu, r.memory]).toEqual(["905m", "3412Mi"]);
  });

  it("refuse requests that leave slices of a node unusable, with the numbers", () => {
    expect(() => validateModelEndpointArgs("chat", { ...happyArgs(cluster), cpu: "2", memory: "8Gi" })).toThrow(
      new ConfigError('ModelEndpoint "chat" arguments', [
        {
          field: "cpu",
          value: "2",
          rule: '× 4 slices per node is 8000m, more than the 3620m a g5.xlarge node of pool "spot-a" leaves for pods (EKS reservations and node agents taken off): set cpu to at most 905m, or lower the pool\'s slicesPerGpu',
        },
      ]).message,
    );
    expect(() => validateModelEndpointArgs("chat", { ...happyArgs(cluster), memory: "8Gi" })).toThrow(
      'memory ("8Gi") × 4 slices per node is 32768Mi, more than the 13650Mi',
    );
  });

  it("are settable per endpoint within the share, and required where the instance types are unknown", () => {
    const unknown = {
      ...fixtureCluster({} as k8s.Provider),
      pools: fixturePools().map((p) => ({ ...p, instanceTypes: ["x9.large"] })),
    };

    expect(validateModelEndpointArgs("chat", { ...happyArgs(cluster), cpu: "500m", memory: "2Gi" }).cpu).toBe("500m");
    expect(() => validateModelEndpointArgs("chat", happyArgs(unknown))).toThrow(
      "cpu and memory cannot be derived: the instance types of pool(s) spot-a, spot-b, ondemand are not in gpufleet's instance table; set cpu and memory",
    );
    expect(validateModelEndpointArgs("chat", { ...happyArgs(unknown), cpu: "1", memory: "4Gi" }).memory).toBe("4Gi");
  });

  it("are settable from the stack config and refused there before any resource", () => {
    const raw = {
      cluster: { mode: "new", clusterName: "demo" },
      pools: [
        {
          name: "spot",
          capacityType: "spot",
          instanceTypes: ["g5.xlarge", "g6.xlarge"],
          minNodes: 0,
          maxNodes: 4,
          slicesPerGpu: 4,
        },
        {
          name: "od",
          capacityType: "on-demand",
          fallback: true,
          instanceTypes: ["g5.xlarge"],
          minNodes: 0,
          maxNodes: 2,
          slicesPerGpu: 4,
        },
      ],
      endpoints: [
        {
          name: "chat",
          image: "ghcr.io/acme/chat:1",
          pools: ["spot", "od"],
          gpuMemoryGiB: 5,
          cpu: "2",
          profile: {
            secondsPerRequest: 1,
            concurrencyPerReplica: 1,
            modelLoadSeconds: 10,
            sloSeconds: 5,
            minReplicas: 0,
            maxReplicas: 4,
          },
        },
      ],
    };
    let caught: unknown;
    try {
      parseStackConfig(raw);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).lines).toEqual([
      'endpoints[0].cpu ("2") × 4 slices per node is 8000m, more than the 3620m a g5.xlarge node of pool "spot" leaves for pods (EKS reservations and node agents taken off): set cpu to at most 905m, or lower the pool\'s slicesPerGpu',
      'endpoints[0].cpu ("2") × 4 slices per node is 8000m, more than the 3620m a g5.xlarge node of pool "od" leaves for pods (EKS reservations and node agents taken off): set cpu to at most 905m, or lower the pool\'s slicesPerGpu',
    ]);
    expect(
      parseStackConfig({ ...raw, endpoints: [{ ...raw.endpoints[0], cpu: "900m", memory: "3Gi" }] }).endpoints[0]?.cpu,
    ).toBe("900m");
  });
});
