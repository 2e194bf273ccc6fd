import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decideRebalance,
  initialRebalancerState,
  type PoolCapacity,
  type RebalancerOutput,
  type RebalancerState,
  rebalancerConfig,
  type SpotSignal,
} from "../../functions/rebalancer/core";
import { MIN, pools, T0 } from "./support/rebalancer-fixtures";

const config = rebalancerConfig(pools());
const poolNames = ["spot-a", "spot-b", "od"] as const;
const limits: Record<string, number> = { "spot-a": 10, "spot-b": 5, od: 8 };

const capacityArb = fc
  .tuple(
    ...poolNames.map((name) =>
      fc
        .record({
          desired: fc.integer({ min: 0, max: 12 }),
          served: fc.integer({ min: 0, max: 12 }),
          max: fc.integer({ min: 1, max: 12 }),
        })
        .map(
          ({ desired, served, max }): PoolCapacity => ({
            name,
            desired,
            inService: Math.min(served, desired),
            maxNodes: max,
          }),
        ),
    ),
  )
  .map((c) => [...c]);

const signalArb = (fromMs: number, toMs: number) =>
  fc.record({
    id: fc.string({ minLength: 1, maxLength: 4 }),
    kind: fc.constantFrom(
      "interruption-warning" as const,
      "rebalance-recommendation" as const,
      "launch-failure" as const,
    ),
    pool: fc.constantFrom("spot-a", "spot-b", "od", "foreign"),
    atMs: fc.integer({ min: fromMs, max: toMs }),
    instanceId: fc.option(fc.constantFrom("i-1", "i-2", "i-3", "i-4", "i-5"), { nil: undefined }),
  });

function limitOf(capacity: PoolCapacity[], pool: string): number {
  return Math.min(limits[pool] ?? 0, capacity.find((c) => c.name === pool)?.maxNodes ?? Infinity);
}

function apply(capacity: PoolCapacity[], out: RebalancerOutput): PoolCapacity[] {
  return capacity.map((c) => {
    const action = out.actions.find((a) => a.pool === c.name);
    return action ? { ...c, desired: action.desired, inService: Math.min(c.inService, action.desired) } : c;
  });
}

describe("decideRebalance properties", () => {
  it("never sets a desired capacity above a pool's max, nor a spot pool below what it runs", () => {
    fc.assert(
      fc.property(capacityArb, fc.array(signalArb(T0 - 30 * MIN, T0), { maxLength: 30 }), (capacity, signals) => {
        const out = decideRebalance({ nowMs: T0, config, state: initialRebalancerState(), capacity, signals });
        for (const action of out.actions) {
          const before = capacity.find((c) => c.name === action.pool) as PoolCapacity;
          if (action.desired > before.desired)
            expect(action.desired).toBeLessThanOrEqual(limitOf(capacity, action.pool));
          if (action.desired < before.desired) expect(action.desired).toBeGreaterThanOrEqual(before.inService);
          expect(action.desired).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("is idempotent under replay: a batch fed again acts like a tick", () => {
    fc.assert(
      fc.property(capacityArb, fc.array(signalArb(T0 - 30 * MIN, T0), { maxLength: 20 }), (capacity, signals) => {
        const first = decideRebalance({ nowMs: T0, config, state: initialRebalancerState(), capacity, signals });
        const next = { nowMs: T0 + 1000, config, state: first.state, capacity: apply(capacity, first) };
        const replay = decideRebalance({ ...next, signals });
        const tick = decideRebalance({ ...next, signals: [] });
        expect(replay.actions).toEqual(tick.actions);
        expect(replay.state).toEqual(tick.state);
      }),
      { numRuns: 300 },
    );
  });

  it("does not depend on the order signals arrive in, within a batch or across two", () => {
    fc.assert(
      fc.property(
        capacityArb,
        fc.uniqueArray(signalArb(T0 - 10 * MIN, T0), { selector: (s) => s.id, maxLength: 20 }),
        fc.integer({ min: 0, max: 20 }),
        (capacity, signals, cut) => {
          const once = decideRebalance({ nowMs: T0, config, state: initialRebalancerState(), capacity, signals });
          const reversed = decideRebalance({
            nowMs: T0,
            config,
            state: initialRebalancerState(),
            capacity,
            signals: [...signals].reverse(),
          });
          expect(reversed.actions).toEqual(once.actions);
          expect(reversed.state).toEqual(once.state);
          // Split in two calls at the same instant: the health each pool ends with is the same.
          const a = decideRebalance({
            nowMs: T0,
            config,
            state: initialRebalancerState(),
            capacity,
            signals: signals.slice(cut),
          });
          const b = decideRebalance({
            nowMs: T0,
            config,
            state: a.state,
            capacity: apply(capacity, a),
            signals: signals.slice(0, cut),
          });
          expect(b.health).toEqual(once.health);
          for (const name of config.spotPools) {
            expect(b.state.pools[name]?.score).toBeCloseTo(once.state.pools[name]?.score ?? 0, 9);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is monotone in interruption count: more warnings never give a smaller fallback or better health", () => {
    const rank = { healthy: 0, degraded: 1, unavailable: 2 };
    fc.assert(
      fc.property(
        capacityArb,
        fc.uniqueArray(signalArb(T0 - 10 * MIN, T0), { selector: (s) => s.id, maxLength: 15 }),
        fc.array(fc.record({ pool: fc.constantFrom("spot-a", "spot-b"), ago: fc.integer({ min: 0, max: 10 * MIN }) }), {
          minLength: 1,
          maxLength: 10,
        }),
        (capacity, signals, extra) => {
          const more: SpotSignal[] = [
            ...signals,
            ...extra.map((e, i) => ({
              id: `extra-${i}`,
              kind: "interruption-warning" as const,
              pool: e.pool,
              atMs: T0 - e.ago,
              instanceId: `i-extra-${i}`,
            })),
          ];
          const base = decideRebalance({ nowMs: T0, config, state: initialRebalancerState(), capacity, signals });
          const worse = decideRebalance({
            nowMs: T0,
            config,
            state: initialRebalancerState(),
            capacity,
            signals: more,
          });
          const fallbackOf = (out: RebalancerOutput) =>
            out.actions.find((a) => a.pool === "od")?.desired ??
            (capacity.find((c) => c.name === "od")?.desired as number);
          expect(fallbackOf(worse)).toBeGreaterThanOrEqual(fallbackOf(base));
          for (const name of config.spotPools) {
            expect(rank[worse.health[name] ?? "healthy"]).toBeGreaterThanOrEqual(rank[base.health[name] ?? "healthy"]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("releases fallback capacity only after the stable period, one step at a time, once the spot node serves", () => {
    // A random run of event batches and ticks; spot nodes come into service one tick after they are asked for.
    type Sig = { pool: string; kind: SpotSignal["kind"] };
    const quiet: fc.Arbitrary<Sig[]> = fc.constant([]);
    const busy: fc.Arbitrary<Sig[]> = fc.array(
      fc.record({
        pool: fc.constantFrom("spot-a", "spot-b"),
        kind: fc.constantFrom<SpotSignal["kind"]>("interruption-warning", "launch-failure"),
      }),
      { minLength: 1, maxLength: 3 },
    );
    const stepArb = fc.record({
      minutes: fc.integer({ min: 1, max: 6 }),
      // Mostly quiet minutes, so that runs reach stable periods and migrate back.
      signals: fc.oneof({ arbitrary: quiet, weight: 5 }, { arbitrary: busy, weight: 1 }),
    });
    let releases = 0;
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 5, maxLength: 40 }), (steps) => {
        let nowMs = T0;
        let state: RebalancerState = initialRebalancerState();
        let capacity: PoolCapacity[] = [
          { name: "spot-a", desired: 4, inService: 4, maxNodes: 10 },
          { name: "spot-b", desired: 2, inService: 2, maxNodes: 5 },
          { name: "od", desired: 0, inService: 0, maxNodes: 8 },
        ];
        const lastSignal: Record<string, number> = {};
        let n = 0;
        for (const step of steps) {
          nowMs += step.minutes * MIN;
          const signals: SpotSignal[] = step.signals.map((s) => ({
            id: `s${n++}`,
            kind: s.kind,
            pool: s.pool,
            atMs: nowMs,
            instanceId: `i-${n}`,
          }));
          for (const s of signals) lastSignal[s.pool] = nowMs;
          const before = state;
          const out = decideRebalance({ nowMs, config, state, capacity, signals });
          const down = out.actions.filter((a) => a.desired < (capacity.find((c) => c.name === a.pool)?.desired ?? 0));
          const od = down.find((a) => a.pool === "od");
          if (od) {
            releases++;
            const stepPool = before.step?.pool as string;
            expect(stepPool).toBeDefined();
            expect(nowMs - (lastSignal[stepPool] ?? 0)).toBeGreaterThanOrEqual(config.tunables.stableSeconds * 1000);
            const spot = capacity.find((c) => c.name === stepPool) as PoolCapacity;
            expect(spot.inService).toBeGreaterThanOrEqual((before.step?.baseInService ?? 0) + 1);
            expect(down).toHaveLength(1);
          }
          // Apply: desired at once; spot pools without a launch failure this batch serve what they were asked for.
          capacity = capacity.map((c) => {
            const desired = out.actions.find((a) => a.pool === c.name)?.desired ?? c.desired;
            const failed = signals.some((s) => s.pool === c.name && s.kind === "launch-failure");
            const interrupted = signals.filter((s) => s.pool === c.name && s.kind === "interruption-warning").length;
            const inService = failed
              ? Math.min(c.inService, desired)
              : Math.max(0, Math.min(desired, c.inService + 1) - interrupted);
            return { ...c, desired, inService };
          });
          state = JSON.parse(JSON.stringify(out.state));
          for (const c of capacity) expect(c.desired).toBeLessThanOrEqual(c.maxNodes);
        }
      }),
      { numRuns: 200 },
    );
    // The property must have been exercised, not just held vacuously.
    expect(releases).toBeGreaterThan(20);
  });
});
