import { describe, expect, it } from "vitest";
import {
  decideRebalance,
  initialRebalancerState,
  type RebalancerState,
  rebalancerConfig,
  type SpotSignal,
} from "../../functions/rebalancer/core";
import { MAX_REMEMBERED_EVENT_IDS } from "../../functions/rebalancer/core/config";
import { normaliseState } from "../../functions/rebalancer/core/state";
import { cap, MIN, pools, T0, warning } from "./support/rebalancer-fixtures";

const config = rebalancerConfig(pools());
const capacity = () => [cap("spot-a", 4), cap("spot-b", 2), cap("od", 0, 0, 8)];
/** What the store does between calls: the state goes to DynamoDB as JSON and comes back. */
const roundTrip = (state: RebalancerState): RebalancerState => JSON.parse(JSON.stringify(state));

describe("ids that are Object.prototype names", () => {
  it.each(["constructor", "toString", "__proto__", "valueOf", "hasOwnProperty"])(
    "%s as event id and instance id acts once, then reads as processed and covered",
    (name) => {
      const first = decideRebalance({
        nowMs: T0,
        config,
        state: initialRebalancerState(),
        capacity: capacity(),
        signals: [warning(name, "spot-a", T0, name)],
      });
      expect(first.actions).toEqual([expect.objectContaining({ pool: "od", desired: 1 })]);

      const again = decideRebalance({
        nowMs: T0 + MIN,
        config,
        state: roundTrip(first.state),
        capacity: [cap("spot-a", 4), cap("spot-b", 2), cap("od", 1, 0, 8)],
        signals: [warning(name, "spot-a", T0), warning(`${name}-2`, "spot-a", T0, name)],
      });
      expect(again.actions).toEqual([]);
      expect(again.reasons).toContain(`event ${name}: already processed, ignored`);
      expect(again.reasons).toContain(`event ${name}-2: instance ${name} already covered by the fallback`);
    },
  );

  it("keeps a stored `__proto__` key as data, in records without a prototype", () => {
    const stored = JSON.parse(
      `{"version":1,"pools":{},"processed":{"__proto__":${T0 + MIN}},"atRisk":{"__proto__":${T0 + MIN}},"step":null}`,
    ) as RebalancerState;

    const state = normaliseState(stored, config, T0);

    expect(Object.getPrototypeOf(state.processed)).toBeNull();
    expect(Object.getPrototypeOf(state.pools)).toBeNull();
    expect(Object.keys(state.processed)).toEqual(["__proto__"]);
    expect(JSON.parse(JSON.stringify(state)).atRisk).toEqual(JSON.parse(`{"__proto__":${T0 + MIN}}`));
  });

  it("drops damaged entries of a stored state instead of acting on them", () => {
    const stored = JSON.parse(
      '{"version":1,"pools":{"spot-a":null},"processed":{"a":"soon","b":null},"atRisk":[],"step":null}',
    ) as RebalancerState;

    const state = normaliseState(stored, config, T0);

    expect({ ...state.processed }).toEqual({});
    expect({ ...state.atRisk }).toEqual({});
    expect(state.pools["spot-a"]?.borrowed).toBe(0);
  });
});

describe("the state's size", () => {
  /** The longest ids the parser lets through: 64-character event ids, 19-character instance ids. */
  function storm(call: number, size: number): SpotSignal[] {
    return Array.from({ length: size }, (_, i) => {
      const n = call * size + i;
      return warning(
        `${String(n).padStart(8, "0")}-${"e".repeat(55)}`,
        i % 2 === 0 ? "spot-a" : "spot-b",
        T0 + call * 1000,
        `i-${n.toString(16).padStart(17, "0")}`,
      );
    });
  }

  it("stays well under DynamoDB's 400 KB item limit whatever the event stream", () => {
    let state = initialRebalancerState();
    let largest = 0;
    for (let call = 0; call < 12; call++) {
      const out = decideRebalance({
        nowMs: T0 + call * 1000,
        config,
        state,
        capacity: capacity(),
        signals: storm(call, 500),
      });
      state = roundTrip(out.state);
      largest = Math.max(largest, Buffer.byteLength(JSON.stringify(state)));
    }

    expect(Object.keys(state.processed)).toHaveLength(MAX_REMEMBERED_EVENT_IDS);
    expect(Object.keys(state.atRisk).length).toBeLessThanOrEqual(MAX_REMEMBERED_EVENT_IDS);
    expect(largest).toBeLessThan(300 * 1024);
  });

  it("refuses a memory larger than the item can hold", () => {
    expect(() => rebalancerConfig(pools(), { maxRememberedEventIds: MAX_REMEMBERED_EVENT_IDS + 1 })).toThrow(
      `tunables.maxRememberedEventIds (${MAX_REMEMBERED_EVENT_IDS + 1}) must be an integer between 1 and ${MAX_REMEMBERED_EVENT_IDS}`,
    );
  });
});
