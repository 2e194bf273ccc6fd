import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parseStackConfig } from "../../infra/config";
import { runProgram } from "../../infra/program";
import type { StackOutputs } from "../../infra/stack";
import { exampleRaw, exampleRuntimeConfig } from "../fixtures/stack-config";
import { installMocks, resolveOutput } from "../support/pulumi-mocks";
import { settle } from "./gpu-cluster-helpers";

const mocks = installMocks();

describe("the stack program on the example stack settings", () => {
  let stack: StackOutputs;

  beforeAll(async () => {
    pulumi.runtime.setAllConfig(exampleRuntimeConfig());
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

    expect(config.endpoints.map((e) => [e.name, e.tier])).toEqual([
      ["chat-7b", "critical"],
      ["code-completion", "standard"],
      ["embeddings-batch", "batch"],
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
