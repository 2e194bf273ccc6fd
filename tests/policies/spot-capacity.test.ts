import { describe, expect, it } from "vitest";
import { gpuCapacityCap } from "../../policies/capacity";
import { spotHasOnDemandFallback, spotPoolDiversified } from "../../policies/spot";
import { direct, STACK_URN, UNKNOWN, urnOf, withField, wrapped } from "./harness";
import { deployment, gpuStack, nodeGroup, onDemandGroup, spotGroup } from "./resources";

describe("spot-pool-diversified", () => {
  const rule = spotPoolDiversified;

  it("passes a spot group with two instance types of one GPU model", () => {
    expect(direct(rule, [spotGroup(), onDemandGroup()])).toEqual([]);
  });

  it("reports a spot group with one instance type", () => {
    expect(direct(rule, [withField(spotGroup(), "props.instanceTypes", ["g5.xlarge"])])).toEqual([
      'spot node group "a10g-spot" lists 1 instance type(s) (g5.xlarge); list at least 2 with the same GPUs.',
    ]);
  });

  it("reads the minimum from config", () => {
    expect(direct(rule, [spotGroup()], { minInstanceTypes: 3 })).toEqual([
      'spot node group "a10g-spot" lists 2 instance type(s) (g5.xlarge, g5.2xlarge); list at least 3 with the same GPUs.',
    ]);
  });

  it("passes H200 nodes of both families (p5e and p5en), as GpuCluster does", () => {
    expect(direct(rule, [withField(spotGroup(), "props.instanceTypes", ["p5e.48xlarge", "p5en.48xlarge"])])).toEqual(
      [],
    );
  });

  it("passes one size across GPU models with the same memory (A10G and L4, 24 GiB)", () => {
    expect(direct(rule, [withField(spotGroup(), "props.instanceTypes", ["g5.xlarge", "g6.xlarge"])])).toEqual([]);
  });

  it("reports mixed GPUs", () => {
    expect(direct(rule, [withField(spotGroup(), "props.instanceTypes", ["g5.xlarge", "g4dn.xlarge"])])).toEqual([
      'spot node group "a10g-spot" mixes GPUs (g5.xlarge: 1 × 24 GiB, g4dn.xlarge: 1 × 16 GiB); list instance types with the same GPUs.',
    ]);
  });

  it("reports through the engine's wrapping, with the configured level", async () => {
    const one = withField(spotGroup(), "props.instanceTypes", ["g5.xlarge"]);
    const violations = await wrapped(rule, [one], { enforcementLevel: "advisory" });
    expect(violations).toEqual([
      {
        rule: rule.name,
        enforcementLevel: "advisory",
        urn: urnOf(one),
        message:
          'spot node group "a10g-spot" lists 1 instance type(s) (g5.xlarge); list at least 2 with the same GPUs.',
      },
    ]);
  });

  it("is skipped when disabled", async () => {
    const one = withField(spotGroup(), "props.instanceTypes", ["g5.xlarge"]);
    expect(await wrapped(rule, [one], { enforcementLevel: "disabled" })).toEqual([]);
  });

  it("cannot run on unknown instance types during preview", async () => {
    const violations = await wrapped(rule, [withField(spotGroup(), "props.instanceTypes", UNKNOWN)]);
    expect(violations.map((v) => [v.enforcementLevel, v.message])).toEqual([
      [
        "advisory",
        `can't run policy '${rule.name}' during preview: string value at .instanceTypes can't be known during preview`,
      ],
    ]);
  });
});

describe("spot-has-on-demand-fallback", () => {
  const rule = spotHasOnDemandFallback;

  it("passes spot and on-demand pools of one GPU model with an endpoint on both", () => {
    expect(direct(rule, gpuStack())).toEqual([]);
  });

  it("reports a spot group whose fallback has another GPU model", () => {
    const l4 = withField(onDemandGroup(), "props.instanceTypes", ["g6.xlarge"]);
    expect(direct(rule, [spotGroup(), l4, deployment()])).toEqual([
      'spot node group "a10g-spot" (NVIDIA A10G) has no on-demand fallback: add an ON_DEMAND node group of the same GPU model with maxSize > 0.',
    ]);
  });

  it("does not count an on-demand group that cannot grow", () => {
    const empty = withField(onDemandGroup(), "props.scalingConfig.maxSize", 0);
    expect(direct(rule, [spotGroup(), empty, deployment()])).toEqual([
      'spot node group "a10g-spot" (NVIDIA A10G) has no on-demand fallback: add an ON_DEMAND node group of the same GPU model with maxSize > 0.',
    ]);
  });

  it("reports an endpoint that may only run on spot", () => {
    expect(direct(rule, [spotGroup(), onDemandGroup(), deployment(["a10g-spot"])])).toEqual([
      "Deployment models/llm may only run on spot pools (a10g-spot): add an on-demand pool to its gpufleet.io/pool node affinity so it keeps serving while spot is unavailable.",
    ]);
  });

  it("reports through the engine's wrapping against the spot group", async () => {
    const violations = await wrapped(rule, [spotGroup(), deployment(["a10g-spot"])]);
    expect(violations.map((v) => [v.enforcementLevel, v.urn])).toEqual([
      ["mandatory", urnOf(spotGroup())],
      ["mandatory", urnOf(deployment())],
    ]);
  });

  it("reports what it can, then that an unknown capacity type stopped it", async () => {
    const unknown = withField(onDemandGroup(), "props.capacityType", UNKNOWN);
    const violations = await wrapped(rule, [spotGroup(), unknown]);
    expect(violations.map((v) => [v.enforcementLevel, v.urn, v.message])).toEqual([
      [
        "mandatory",
        urnOf(spotGroup()),
        'spot node group "a10g-spot" (NVIDIA A10G) has no on-demand fallback: add an ON_DEMAND node group of the same GPU model with maxSize > 0.',
      ],
      [
        "advisory",
        STACK_URN,
        `can't run policy '${rule.name}' during preview: string value at .capacityType can't be known during preview`,
      ],
    ]);
  });
});

describe("gpu-capacity-cap", () => {
  const rule = gpuCapacityCap;

  it("passes groups within the cap and the allowed families", () => {
    expect(direct(rule, [spotGroup(), onDemandGroup()])).toEqual([]);
  });

  it("ignores a node group that runs no GPUs", () => {
    const system = { type: "aws:eks/nodeGroup:NodeGroup", name: "system", props: { instanceTypes: ["m7i.large"] } };
    expect(direct(rule, [system])).toEqual([]);
  });

  it("reports a group that can exceed the GPU cap", () => {
    const big = withField(nodeGroup("a10g-big", "ON_DEMAND", ["g5.12xlarge"]), "props.scalingConfig.maxSize", 20);
    expect(direct(rule, [big])).toEqual([
      'node group "a10g-big" can reach 80 GPUs (maxSize 20 x 4 per node), above the cap of 64 per pool.',
    ]);
  });

  it("reads the cap from config", () => {
    expect(direct(rule, [spotGroup()], { maxGpusPerPool: 4 })).toEqual([
      'node group "a10g-spot" can reach 8 GPUs (maxSize 8 x 1 per node), above the cap of 4 per pool.',
    ]);
  });

  it("reports an instance family that is not allowed", () => {
    expect(
      direct(rule, [withField(spotGroup(), "props.instanceTypes", ["p5.48xlarge"])], { maxGpusPerPool: 100 }),
    ).toEqual([
      'node group "a10g-spot" uses p5.48xlarge, whose family p5 is not allowed (allowed: g4dn, g5, g6, g6e).',
    ]);
  });

  it("reports an allowed family's size it does not know", () => {
    expect(direct(rule, [withField(spotGroup(), "props.instanceTypes", ["g5.huge"])])).toEqual([
      'node group "a10g-spot" uses g5.huge, which is not a GPU instance type gpufleet knows.',
    ]);
  });

  it("reports a group without maxSize", () => {
    expect(direct(rule, [withField(spotGroup(), "props.scalingConfig", undefined)])).toEqual([
      'node group "a10g-spot" sets no scalingConfig.maxSize, so its GPU count has no cap.',
    ]);
  });

  it("reports through the engine's wrapping, and cannot run on an unknown maxSize", async () => {
    const capped = await wrapped(rule, [spotGroup()], { maxGpusPerPool: 4 });
    expect(capped.map((v) => [v.enforcementLevel, v.message])).toEqual([
      ["mandatory", 'node group "a10g-spot" can reach 8 GPUs (maxSize 8 x 1 per node), above the cap of 4 per pool.'],
    ]);
    const unknown = await wrapped(rule, [withField(spotGroup(), "props.scalingConfig.maxSize", UNKNOWN)]);
    expect(unknown.map((v) => [v.enforcementLevel, v.message])).toEqual([
      [
        "advisory",
        `can't run policy '${rule.name}' during preview: string value at .scalingConfig.maxSize can't be known during preview`,
      ],
    ]);
  });
});
