import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  costPatches,
  deletionCost,
  isStopped,
  nodeTieBreak,
  type PackedPod,
  podsPerNode,
} from "../../functions/packing";

const pod = (name: string, nodeName: string | null, extra: Partial<PackedPod> = {}): PackedPod => ({
  namespace: "models",
  name,
  nodeName,
  stopped: false,
  currentCost: undefined,
  ...extra,
});

describe("scale-in packing (pod deletion cost from node occupancy)", () => {
  it("gives each pod its node's endpoint pod count in thousands plus the node's tie-break, so the emptiest node is scaled in first", () => {
    const pods = [pod("a", "n1"), pod("b", "n1"), pod("c", "n1"), pod("d", "n2")];

    // nodeTieBreak("n1") is 592, nodeTieBreak("n2") 449 (FNV-1a of the name, mod 1000).
    expect(costPatches(pods)).toEqual([
      { namespace: "models", name: "a", cost: "3592" },
      { namespace: "models", name: "b", cost: "3592" },
      { namespace: "models", name: "c", cost: "3592" },
      { namespace: "models", name: "d", cost: "1449" },
    ]);
  });

  it("orders nodes by occupancy first, and nodes of equal occupancy apart, so a scale-in of several empties one node at a time", () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), fc.string(), fc.string(), (m, n, x, y) => {
        if (m < n) expect(deletionCost(m, x)).toBeLessThan(deletionCost(n, y));
        const tie = nodeTieBreak(x);
        expect(tie).toBeGreaterThanOrEqual(0);
        expect(tie).toBeLessThan(1000);
      }),
    );
    expect(deletionCost(2, "n1")).not.toBe(deletionCost(2, "n2"));
  });

  it("leaves out stopped pods (terminating, or finished like an evicted one) and does not annotate unscheduled ones", () => {
    const pods = [pod("a", "n1"), pod("b", "n1", { stopped: true }), pod("c", null)];

    expect(podsPerNode(pods)).toEqual(new Map([["n1", 1]]));
    expect(costPatches(pods)).toEqual([{ namespace: "models", name: "a", cost: String(deletionCost(1, "n1")) }]);
  });

  it("counts a pod as stopped once it is terminating or finished (an evicted pod stays as Failed)", () => {
    expect(isStopped(undefined, "Running")).toBe(false);
    expect(isStopped(null, "Pending")).toBe(false);
    expect(isStopped("2026-12-02T10:00:00Z", "Running")).toBe(true);
    expect(isStopped(undefined, "Failed")).toBe(true);
    expect(isStopped(undefined, "Succeeded")).toBe(true);
  });

  it("writes only what changed: a steady cluster costs no API writes", () => {
    const two = String(deletionCost(2, "n1"));
    const pods = [pod("a", "n1", { currentCost: two }), pod("b", "n1", { currentCost: "1" })];

    expect(costPatches(pods)).toEqual([{ namespace: "models", name: "b", cost: two }]);
  });

  it("keeps costs within the int32 the API accepts", () => {
    expect(deletionCost(3e9, "n1")).toBe(2_147_483_647);
    expect(deletionCost(-1, "n1")).toBe(nodeTieBreak("n1"));
  });

  it("converges in one pass: after its patches are applied, the next pass writes nothing", () => {
    const pods = fc.array(
      fc.record({
        node: fc.option(fc.constantFrom("n1", "n2", "n3"), { nil: null }),
        stopped: fc.boolean(),
        currentCost: fc.option(fc.constantFrom("0", "1", "2592", "7"), { nil: undefined }),
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
          expect(p.currentCost).toBe(String(deletionCost(live, p.nodeName)));
        }
      }),
    );
  });
});
