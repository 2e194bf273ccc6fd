import { describe, expect, it } from "vitest";
import {
  decideRebalance,
  initialRebalancerState,
  type PoolCapacity,
  type RebalancerState,
  rebalancerConfig,
  type SpotSignal,
} from "../../functions/rebalancer/core";
import { cap, MIN, pools, signal, T0, warning } from "./support/rebalancer-fixtures";

const config = rebalancerConfig(pools());
const capacity = (a = cap("spot-a", 4), b = cap("spot-b", 2, 2, 5), od = cap("od", 0, 0, 8)): PoolCapacity[] => [
  a,
  b,
  od,
];

function decide(
  signals: SpotSignal[],
  nowMs = T0,
  state: RebalancerState = initialRebalancerState(),
  pools = capacity(),
) {
  return decideRebalance({ nowMs, config, state, capacity: pools, signals });
}

/** Applies actions to the observed capacity, as Auto Scaling would at once for desired. */
function applied(current: PoolCapacity[], actions: { pool: string; desired: number }[]): PoolCapacity[] {
  return current.map((c) => {
    const action = actions.find((a) => a.pool === c.name);
    return action ? { ...c, desired: action.desired } : c;
  });
}

describe("decideRebalance: signals", () => {
  it("raises the fallback by the GPUs at risk on an interruption warning", () => {
    const out = decide([warning("e1", "spot-a", T0)]);
    expect(out.actions).toEqual([{ pool: "od", desired: 1, reason: "at-risk in spot-a: +1 for 1 GPU(s)" }]);
    expect(out.state.pools["spot-a"]?.borrowed).toBe(1);
    expect(out.health).toEqual({ "spot-a": "degraded", "spot-b": "healthy" });
  });

  it("counts GPUs, not nodes: a 4-GPU spot node needs four 1-GPU fallback nodes", () => {
    const out = decide([signal("e1", "rebalance-recommendation", "spot-b", T0, "i-b1")]);
    expect(out.actions.map(({ pool, desired }) => ({ pool, desired }))).toEqual([{ pool: "od", desired: 4 }]);
  });

  it("coalesces a batch into one action per pool", () => {
    const out = decide([warning("e1", "spot-a", T0), warning("e2", "spot-a", T0), warning("e3", "spot-b", T0)]);
    expect(out.actions.map(({ pool, desired }) => ({ pool, desired }))).toEqual([{ pool: "od", desired: 6 }]);
  });

  it("covers a node once when a recommendation is followed by its warning", () => {
    const first = decide([signal("r1", "rebalance-recommendation", "spot-a", T0, "i-1")]);
    const second = decide(
      [warning("w1", "spot-a", T0 + MIN, "i-1")],
      T0 + MIN,
      first.state,
      applied(capacity(), first.actions),
    );
    expect(first.actions.map((a) => a.desired)).toEqual([1]);
    expect(second.actions).toEqual([]);
    expect(second.reasons).toContain("event w1: instance i-1 already covered by the fallback");
  });

  it("acts once on a duplicate event id", () => {
    const first = decide([warning("e1", "spot-a", T0)]);
    const again = decide([warning("e1", "spot-a", T0)], T0 + 1000, first.state, applied(capacity(), first.actions));
    expect(again.actions).toEqual([]);
    expect(again.reasons).toContain("event e1: already processed, ignored");
  });

  it("never raises the fallback past its max and says how many nodes are short", () => {
    const out = decide(
      [warning("e1", "spot-b", T0)],
      T0,
      initialRebalancerState(),
      capacity(undefined, undefined, cap("od", 6, 6, 8)),
    );
    expect(out.actions.map(({ pool, desired }) => ({ pool, desired }))).toEqual([{ pool: "od", desired: 8 }]);
    expect(out.reasons).toContain("at-risk in spot-b: fallback at its max, 2 node(s) short");
    expect(out.state.pools["spot-b"]?.borrowed).toBe(2);
  });

  it("takes the smaller of the configured and the observed max", () => {
    const out = decide(
      [warning("e1", "spot-b", T0)],
      T0,
      initialRebalancerState(),
      capacity(undefined, undefined, cap("od", 0, 0, 2)),
    );
    expect(out.actions.map((a) => a.desired)).toEqual([2]);
  });

  it("moves the pending share of a pool that cannot launch to the fallback, increase first", () => {
    const out = decide(
      [signal("f1", "launch-failure", "spot-a", T0)],
      T0,
      initialRebalancerState(),
      capacity(cap("spot-a", 5, 3)),
    );
    expect(out.actions).toEqual([
      { pool: "od", desired: 2, reason: "launch-failure in spot-a: +2 for 2 GPU(s)" },
      { pool: "spot-a", desired: 3, reason: "launch failure: 2 pending node(s) moved to od" },
    ]);
    expect(out.health["spot-a"]).toBe("unavailable");
  });

  it("leaves a booting instance where it is on a launch failure", () => {
    const booting = { ...cap("spot-a", 5, 3), instances: 4 };
    const out = decide([signal("f1", "launch-failure", "spot-a", T0)], T0, initialRebalancerState(), capacity(booting));
    expect(out.actions.map(({ pool, desired }) => ({ pool, desired }))).toEqual([
      { pool: "od", desired: 1 },
      { pool: "spot-a", desired: 4 },
    ]);
  });

  it("lowers a spot pool only by what the fallback could take", () => {
    const out = decide(
      [signal("f1", "launch-failure", "spot-b", T0)],
      T0,
      initialRebalancerState(),
      capacity(undefined, cap("spot-b", 3, 1, 5), cap("od", 5, 5, 8)),
    );
    // 2 pending 4-GPU nodes want 8 fallback nodes; 3 fit, which replace no whole spot node.
    expect(out.actions.map(({ pool, desired }) => ({ pool, desired }))).toEqual([{ pool: "od", desired: 8 }]);
  });

  it("counts a stale warning toward health but moves no capacity", () => {
    const out = decide([warning("old", "spot-a", T0 - 20 * MIN)]);
    expect(out.actions).toEqual([]);
    expect(out.reasons).toContain("event old: interruption-warning from 1200 s ago counts toward health only");
    expect(out.state.pools["spot-a"]?.lastSignalAtMs).toBe(T0 - 20 * MIN);
  });

  it("acknowledges and ignores a signal for a pool it does not manage", () => {
    const out = decide([warning("x", "someone-else", T0), warning("y", "od", T0)]);
    expect(out.actions).toEqual([]);
    expect(out.reasons).toContain('event x: pool "someone-else" is not a managed spot pool, ignored');
    expect(out.state.processed.x).toBe(T0 + 3_600_000);
  });

  it("does not mutate its input state and returns JSON-serialisable state", () => {
    const state = initialRebalancerState();
    const before = JSON.stringify(state);
    const out = decide([warning("e1", "spot-a", T0)], T0, state);
    expect(JSON.stringify(state)).toBe(before);
    expect(JSON.parse(JSON.stringify(out.state))).toEqual(out.state);
  });

  it("says why when the fallback's capacity is unknown", () => {
    const out = decide([warning("e1", "spot-a", T0)], T0, initialRebalancerState(), [cap("spot-a", 4)]);
    expect(out.actions).toEqual([]);
    expect(out.reasons).toContain("fallback od: capacity unknown this call; 1 claim(s) cannot be served");
  });
});

describe("decideRebalance: migrating back", () => {
  /** A warning at T0 raised od to 1 for spot-a; spot-a lost the node and is back to 3 of 4. */
  function afterWarning() {
    const first = decide([warning("e1", "spot-a", T0)]);
    return { state: first.state, pools: capacity(cap("spot-a", 4, 3), undefined, cap("od", 1, 1, 8)) };
  }

  it("keeps the fallback through the stable period", () => {
    const { state, pools } = afterWarning();
    // Degraded for one half-life (5 min), then 10 stable minutes: nothing before T0 + 15 min.
    const tick = decide([], T0 + 14 * MIN, state, pools);
    expect(tick.actions).toEqual([]);
    expect(tick.reasons).toContain("spot-a: 1 fallback node(s) borrowed; not yet stable for 600 s");
  });

  it("raises the spot pool first, then lowers the fallback once the new node serves", () => {
    const { state, pools } = afterWarning();
    const start = decide([], T0 + 16 * MIN, state, pools);
    expect(start.actions).toEqual([
      { pool: "spot-a", desired: 5, reason: "migrate back: spot-a stable; up by one before the fallback goes down" },
    ]);
    expect(start.state.step).toEqual({ pool: "spot-a", baseInService: 3, spotDesired: 5, startedAtMs: T0 + 16 * MIN });

    const booting = applied(pools, start.actions);
    const wait = decide([], T0 + 17 * MIN, start.state, booting);
    expect(wait.actions).toEqual([]);
    expect(wait.reasons).toContain("migration to spot-a: waiting for a node in service (3/4)");

    const serving = booting.map((c) => (c.name === "spot-a" ? { ...c, inService: 4 } : c));
    const done = decide([], T0 + 19 * MIN, wait.state, serving);
    expect(done.actions).toEqual([
      { pool: "od", desired: 0, reason: "migrate back: spot-a has 4 in service (was 3); fallback down by one" },
    ]);
    expect(done.state.step).toBeNull();
    expect(done.state.pools["spot-a"]?.borrowed).toBe(0);
  });

  it("abandons a step whose node never comes, and counts it against the pool", () => {
    const { state, pools } = afterWarning();
    const start = decide([], T0 + 16 * MIN, state, pools);
    const late = decide([], T0 + 31 * MIN, start.state, applied(pools, start.actions));
    expect(late.actions).toEqual([]);
    expect(late.state.step).toBeNull();
    expect(late.health["spot-a"]).toBe("unavailable");
    expect(late.reasons).toContain("migration to spot-a: no new node in service after 900 s, step abandoned");
  });

  it("abandons a step, keeping the fallback, when a new signal arrives for the pool", () => {
    const { state, pools } = afterWarning();
    const start = decide([], T0 + 16 * MIN, state, pools);
    const serving = applied(pools, start.actions).map((c) => (c.name === "spot-a" ? { ...c, inService: 4 } : c));
    const hit = decide([warning("e2", "spot-a", T0 + 17 * MIN)], T0 + 17 * MIN, start.state, serving);
    expect(hit.actions.map(({ pool, desired }) => ({ pool, desired }))).toEqual([{ pool: "od", desired: 2 }]);
    expect(hit.state.step).toBeNull();
  });

  it("forgets borrowed nodes that Cluster Autoscaler already removed", () => {
    const { state } = afterWarning();
    const tick = decide([], T0 + 16 * MIN, state, capacity(cap("spot-a", 4, 4), undefined, cap("od", 0, 0, 8)));
    expect(tick.actions).toEqual([]);
    expect(tick.state.pools["spot-a"]?.borrowed).toBe(0);
    expect(tick.reasons).toContain("spot-a: borrowed 1 -> 0, the fallback runs fewer nodes");
  });

  it("does not migrate back into a spot pool at its max", () => {
    const { state } = afterWarning();
    const tick = decide([], T0 + 16 * MIN, state, capacity(cap("spot-a", 10, 10), undefined, cap("od", 1, 1, 8)));
    expect(tick.actions).toEqual([]);
    expect(tick.reasons).toContain("spot-a: at its max (10); cannot migrate back make-before-break");
  });
});
