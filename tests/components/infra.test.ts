import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parseStackConfig, StackConfigError } from "../../infra/config";
import { readStackConfigFile, toRuntimeConfig } from "../../infra/config-file";
import { runProgram } from "../../infra/program";
import type { StackOutputs } from "../../infra/stack";
import { installMocks, resolveOutput } from "../support/pulumi-mocks";
import { settle } from "./gpu-cluster-helpers";

const mocks = installMocks();
const EXAMPLE = join(__dirname, "..", "..", "Pulumi.example.yaml");
// biome-ignore lint/suspicious/noExplicitAny: raw stack config is untyped YAML, changed by path in each case
type Raw = Record<string, any>;

/** A fresh copy of the example's gpufleet config, to change one field at a time. */
const exampleRaw = (): Raw => structuredClone(readStackConfigFile(EXAMPLE).raw) as Raw;

describe("the stack program on the example stack settings", () => {
  let stack: StackOutputs;

  beforeAll(async () => {
    pulumi.runtime.setAllConfig(toRuntimeConfig(readStackConfigFile(EXAMPLE)));
    stack = runProgram();
    await settle();
  }, 120_000);

  it("creates the cluster and one node group per pool", async () => {
    const nodeGroups = mocks
      .ofType("aws:eks/nodeGroup:NodeGroup")
      .map((r) => [r.inputs.nodeGroupName, r.inputs.capacityType]);

    expect(await resolveOutput(stack.clusterName)).toBe("gpufleet-demo");
    expect(nodeGroups.sort()).toEqual([
      ["gpufleet-ondemand-a10g", "ON_DEMAND"],
      ["gpufleet-spot-a10g", "SPOT"],
      ["gpufleet-spot-a10g-x4", "SPOT"],
      ["system", "ON_DEMAND"],
    ]);
    expect(mocks.one("aws:eks/cluster:Cluster", "gpufleet-eks").inputs.tags).toMatchObject({ team: "ml-platform" });
  });

  it("exports the pools and identity", async () => {
    const pools = await resolveOutput(stack.pools);

    expect(pools.map((p) => [p.name, p.fallback, p.slicesPerGpu, p.gpuMemoryMiBPerSlice, p.nodeGroupName])).toEqual([
      ["spot-a10g", false, 4, 6144, "gpufleet-spot-a10g"],
      ["spot-a10g-x4", false, 2, 12288, "gpufleet-spot-a10g-x4"],
      ["ondemand-a10g", true, 4, 6144, "gpufleet-ondemand-a10g"],
    ]);
    expect(await resolveOutput(stack.identity)).toEqual({ kind: "pod-identity" });
  });

  it("needs only these lookups", () => {
    expect(mocks.unknownInvokes).toEqual([]);
    expect([...new Set(mocks.invokes.map((i) => i.token))].sort()).toEqual([
      "aws:index/getAvailabilityZones:getAvailabilityZones",
      "aws:index/getCallerIdentity:getCallerIdentity",
      "aws:index/getPartition:getPartition",
      "aws:index/getRegion:getRegion",
    ]);
  });

  it("parses endpoints and control settings with their defaults", () => {
    const config = parseStackConfig(exampleRaw());

    expect(config.endpoints.map((e) => [e.name, e.tier, e.env])).toEqual([
      ["chat-7b", "critical", {}],
      ["code-completion", "standard", {}],
      ["embeddings-batch", "batch", {}],
    ]);
    expect(config.control).toEqual({
      autoscaler: { headroom: 1 },
      rebalancer: { enabled: true, stableMinutes: 15 },
    });
  });

  it("plans at headroom 1, what the autoscaler's defaults are calibrated for, when the stack sets none", () => {
    const raw = exampleRaw();
    delete raw.control.autoscaler.headroom;
    const withoutControl = exampleRaw();
    delete withoutControl.control;

    expect(parseStackConfig(raw).control.autoscaler.headroom).toBe(1);
    expect(parseStackConfig(withoutControl).control.autoscaler).toEqual({ headroom: 1 });
  });
});

const badConfigs: [string, (raw: Raw) => void, string[]][] = [
  ["no cluster", (r) => delete r.cluster, ["cluster (undefined) is required"]],
  ["unknown cluster mode", (r) => (r.cluster.mode = "adopt"), ['cluster.mode (adopt) must be one of "new", "byo"']],
  ["a misspelt pool setting", (r) => (r.pools[0].slicesPerGPU = 4), ["pools[0].slicesPerGPU is not a known setting"]],
  ["a string where a number goes", (r) => (r.pools[1].maxSize = "3"), ["pools[1].maxSize (3) must be a number"]],
  [
    "an unknown capacity type",
    (r) => (r.pools[0].capacityType = "preemptible"),
    ['pools[0].capacityType (preemptible) must be one of "spot", "on-demand"'],
  ],
  [
    "slicesPerGpu out of range",
    (r) => (r.pools[1].slicesPerGpu = 64),
    ["pools[1].slicesPerGpu (64) must be between 1 and 48"],
  ],
  [
    "no fallback pool",
    (r) => (r.pools[2].fallback = false),
    [
      "pools[].fallback (none set) must be true on one on-demand pool when any pool is spot (spot pools: spot-a10g, spot-a10g-x4)",
    ],
  ],
  [
    "an endpoint on a pool that does not exist",
    (r) => (r.endpoints[1].pools = ["spot-h100"]),
    ["endpoints[1].pools[0] (spot-h100) is not a pool: known pools are spot-a10g, spot-a10g-x4, ondemand-a10g"],
  ],
  [
    "an endpoint too big for a slice",
    (r) => (r.endpoints[0].gpuMemoryGiB = 8),
    [
      "endpoints[0].gpuMemoryGiB (8) does not fit a slice of pool spot-a10g (6144 MiB per slice)",
      "endpoints[0].gpuMemoryGiB (8) does not fit a slice of pool ondemand-a10g (6144 MiB per slice)",
    ],
  ],
  [
    "minReplicas above maxReplicas",
    (r) => (r.endpoints[2].profile.minReplicas = 9),
    ["endpoints[2].profile.minReplicas (9) must not exceed maxReplicas"],
  ],
  [
    "a fractional concurrency",
    (r) => (r.endpoints[0].profile.concurrencyPerReplica = 1.5),
    ["endpoints[0].profile.concurrencyPerReplica (1.5) must be an integer"],
  ],
  [
    "an unknown tier",
    (r) => (r.endpoints[0].tier = "gold"),
    ['endpoints[0].tier (gold) must be one of "critical", "standard", "batch"'],
  ],
  [
    "headroom below 1",
    (r) => (r.control.autoscaler.headroom = 0.8),
    ["control.autoscaler.headroom (0.8) must be at least 1"],
  ],
  [
    "an existing cluster without identity",
    (r) => {
      r.cluster = { mode: "byo", clusterName: "prod", nodeRoleArn: "arn:aws:iam::1:role/n", subnetIds: ["subnet-1"] };
    },
    ["cluster.identity (undefined) is required"],
  ],
];

describe("stack config validation", () => {
  it.each(badConfigs)("rejects %s", (_label, mutate, problems) => {
    const raw = exampleRaw();
    mutate(raw);

    let caught: unknown;
    try {
      parseStackConfig(raw);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(StackConfigError);
    expect((caught as StackConfigError).problems).toEqual(problems);
  });

  it("fails the program before any resource is registered", () => {
    const file = readStackConfigFile(EXAMPLE);
    const pools = structuredClone(file.raw.pools) as Raw[];
    (pools[0] as Raw).minSize = 20;
    const before = mocks.resources.length;
    pulumi.runtime.setAllConfig(toRuntimeConfig({ ...file, config: { ...file.config, "gpufleet:pools": pools } }));

    expect(() => runProgram()).toThrow(
      "invalid gpufleet stack config:\npools[0].minSize (20) must not exceed pools[0].maxSize (12)",
    );
    expect(mocks.resources.length).toBe(before);
  });
});
