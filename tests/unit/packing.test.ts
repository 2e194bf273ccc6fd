import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { costPatches, deletionCost, isStopped, type PackedPod, podsPerNode } from "../../functions/packing";

const pod = (name: string, nodeName: string | null, extra: Partial<PackedPod> = {}): PackedPod => ({
  namespace: "models",
  name,
  nodeName,
  stopped: false,
  currentCost: undefined,
  ...extra,
});

describe("scale-in packing (pod deletion cost from node occupancy)", () => {
  it("gives each pod the number of endpoint pods on its node, so the emptiest node is scaled in first", () => {
    const pods = [pod("a", "n1"), pod("b", "n1"), pod("c", "n1"), pod("d", "n2")];

    expect(costPatches(pods)).toEqual([
      { namespace: "models", name: "a", cost: "3" },
      { namespace: "models", name: "b", cost: "3" },
      { namespace: "models", name: "c", cost: "3" },
      { namespace: "models", name: "d", cost: "1" },
    ]);
  });

  it("leaves out stopped pods (terminating, or finished like an evicted one) and does not annotate unscheduled ones", () => {
    const pods = [pod("a", "n1"), pod("b", "n1", { stopped: true }), pod("c", null)];

    expect(podsPerNode(pods)).toEqual(new Map([["n1", 1]]));
    expect(costPatches(pods)).toEqual([{ namespace: "models", name: "a", cost: "1" }]);
  });

  it("counts a pod as stopped once it is terminating or finished (an evicted pod stays as Failed)", () => {
    expect(isStopped(undefined, "Running")).toBe(false);
    expect(isStopped(null, "Pending")).toBe(false);
    expect(isStopped("2026-12-02T10:00:00Z", "Running")).toBe(true);
    expect(isStopped(undefined, "Failed")).toBe(true);
    expect(isStopped(undefined, "Succeeded")).toBe(true);
  });

  it("writes only what changed: a steady cluster costs no API writes", () => {
    const pods = [pod("a", "n1", { currentCost: "2" }), pod("b", "n1", { currentCost: "1" })];

    expect(costPatches(pods)).toEqual([{ namespace: "models", name: "b", cost: "2" }]);
  });

  it("keeps costs within the int32 the API accepts", () => {
    expect(deletionCost(3e9)).toBe(2_147_483_647);
    expect(deletionCost(-1)).toBe(0);
  });

  it("converges in one pass: after its patches are applied, the next pass writes nothing", () => {
    const pods = fc.array(
      fc.record({
        node: fc.option(fc.constantFrom("n1", "n2", "n3"), { nil: null }),
        stopped: fc.boolean(),
        currentCost: fc.option(fc.constantFrom("0", "1", "2", "7"), { nil: undefined }),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(pods, (specs) => {
        const before = specs.map((s, i) => pod(`p${i}`, s.node, { stopped: s.stopped, currentCost: s.currentCost }));
        const written = new Map(costPatches(before).map((p) => [p.name, p.cost]));
        const after = before.map((p) => ({ ...p, currentCost: written.get(p.name) ?? p.currentCost }));

        expect(costPatches(after)).toEqual([]);
        for (const p of after) {
          if (p.nodeName === null || p.stopped) continue;
          const live = after.filter((q) => q.nodeName === p.nodeName && !q.stopped).length;
          expect(p.currentCost).toBe(String(live));
        }
      }),
    );
  });
});
