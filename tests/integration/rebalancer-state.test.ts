import { beforeEach, describe, expect, inject, it } from "vitest";
import {
  decideRebalance,
  initialRebalancerState,
  type RebalancerState,
  rebalancerConfig,
} from "../../functions/rebalancer/core";
import { dynamoStateStore } from "../../functions/rebalancer/state-store";
import { onDemandFallbackPool } from "../../sim/pools";
import { resetMoto } from "../support/moto-server";
import { spotPool } from "../support/rebalancer-pools";
import { clients, createWorld, TABLE } from "./support/rebalancer-world";

const T0 = Date.UTC(2025, 0, 15, 12);
const config = rebalancerConfig([spotPool("spot-a", 1, 10), onDemandFallbackPool("od", 6)]);

/** The state after a storm of events with the longest ids the parser lets through. */
function stateAfterStorm(): RebalancerState {
  let state = initialRebalancerState();
  for (let call = 0; call < 6; call++) {
    const signals = Array.from({ length: 500 }, (_, i) => {
      const n = call * 500 + i;
      return {
        id: `${String(n).padStart(8, "0")}-${"e".repeat(55)}`,
        kind: "interruption-warning" as const,
        pool: "spot-a",
        atMs: T0 + call * 1000,
        instanceId: `i-${n.toString(16).padStart(17, "0")}`,
      };
    });
    const out = decideRebalance({
      nowMs: T0 + call * 1000,
      config,
      state,
      capacity: [
        { name: "spot-a", desired: 4, inService: 4, maxNodes: 10 },
        { name: "od", desired: 0, inService: 0, maxNodes: 6 },
      ],
      signals,
    });
    state = JSON.parse(JSON.stringify(out.state));
  }
  return state;
}

describe("the rebalancer's state item in DynamoDB (the emulator)", () => {
  const c = clients();

  beforeEach(async () => {
    await resetMoto(inject("awsEndpoint"));
    await createWorld(c);
  });

  it("takes the state after a storm of the longest ids, and reads it back", async () => {
    const store = dynamoStateStore(c.dynamodb, TABLE);
    const state = stateAfterStorm();

    expect(await store.save(state, 0, T0)).toBe(true);

    const loaded = await store.load();
    expect(loaded.version).toBe(1);
    expect(Object.keys(loaded.state?.processed ?? {})).toHaveLength(2000);
  });

  it("refuses an item past 400 KB, which the state's bounds keep it from becoming", async () => {
    const store = dynamoStateStore(c.dynamodb, TABLE);
    const processed = Object.fromEntries(Array.from({ length: 1600 }, (_, i) => [`${i}-${"x".repeat(250)}`, T0]));

    await expect(store.save({ ...initialRebalancerState(), processed }, 0, T0)).rejects.toMatchObject({
      name: "ValidationException",
    });
  });
});
