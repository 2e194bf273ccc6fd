import type { PoolDescriptor } from "../../contract";
import { ConfigError, unknownKeyProblem } from "../../problems";
import type { RebalancerConfig, RebalancerTunables } from "./types";

/**
 * Defaults. One interruption (weight 1) makes a pool degraded for one half-life; one launch
 * failure (weight 3) makes it unavailable at once, which matches "insufficient capacity"
 * meaning the pool cannot launch now. Ten stable minutes before migrating back mirror
 * Cluster Autoscaler's ten-minute scale-down delay: a pool that is interrupted in waves
 * usually shows the next wave within minutes (interruptions of one type in one zone cluster).
 */
export const DEFAULT_REBALANCER_TUNABLES: RebalancerTunables = {
  stableSeconds: 600,
  healthHalfLifeSeconds: 300,
  interruptionWeight: 1,
  recommendationWeight: 0.5,
  launchFailureWeight: 3,
  degradedScore: 0.5,
  unavailableScore: 2.5,
  maxSignalAgeSeconds: 900,
  stepTimeoutSeconds: 900,
  eventIdRetentionSeconds: 3600,
  maxRememberedEventIds: 2000,
};

/**
 * The most event ids (and as many instance covers) the state may remember. With event ids
 * of at most 64 characters and instance ids of at most 19, the state item stays under
 * about 240 KB, well inside DynamoDB's 400 KB item limit, whatever the queue receives.
 */
export const MAX_REMEMBERED_EVENT_IDS = 2000;

function fail(field: string, value: unknown, rule: string): never {
  throw new ConfigError("rebalancer configuration", [{ field, value, rule }]);
}

function checkPool(pool: PoolDescriptor, i: number): void {
  const at = `pools[${i}]`;
  if (typeof pool.name !== "string" || pool.name.length === 0)
    fail(`${at}.name`, pool.name, "must be a non-empty string");
  if (pool.capacityType !== "spot" && pool.capacityType !== "on-demand") {
    fail(`${at}.capacityType`, pool.capacityType, 'must be "spot" or "on-demand"');
  }
  if (!Number.isInteger(pool.gpusPerNode) || pool.gpusPerNode < 1) {
    fail(`${at}.gpusPerNode`, pool.gpusPerNode, "must be an integer of at least 1");
  }
  if (!Number.isInteger(pool.minNodes) || pool.minNodes < 0)
    fail(`${at}.minNodes`, pool.minNodes, "must be an integer of at least 0");
  if (!Number.isInteger(pool.maxNodes) || pool.maxNodes < pool.minNodes) {
    fail(`${at}.maxNodes`, pool.maxNodes, `must be an integer of at least minNodes (${pool.minNodes})`);
  }
  if (pool.fallback && pool.capacityType !== "on-demand") {
    fail(`${at}.fallback`, true, `requires capacityType "on-demand", not "${pool.capacityType}"`);
  }
}

function checkTunables(t: RebalancerTunables): void {
  for (const [key, value] of Object.entries(t)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      fail(`tunables.${key}`, value, "must be a finite number greater than 0");
    }
  }
  if (t.unavailableScore <= t.degradedScore) {
    fail("tunables.unavailableScore", t.unavailableScore, `must be greater than degradedScore (${t.degradedScore})`);
  }
  if (!Number.isInteger(t.maxRememberedEventIds) || t.maxRememberedEventIds > MAX_REMEMBERED_EVENT_IDS) {
    fail(
      "tunables.maxRememberedEventIds",
      t.maxRememberedEventIds,
      `must be an integer between 1 and ${MAX_REMEMBERED_EVENT_IDS}`,
    );
  }
}

/**
 * Validates the pools and tunables and builds the configuration the core runs on. Exactly
 * one pool is the on-demand fallback; every spot pool is managed; other on-demand pools are
 * left alone.
 */
export function rebalancerConfig(
  pools: PoolDescriptor[],
  overrides: Partial<RebalancerTunables> = {},
): RebalancerConfig {
  if (!Array.isArray(pools) || pools.length === 0) fail("pools", pools, "must list at least the fallback pool");
  pools.forEach(checkPool);
  const seen = new Map<string, number>();
  pools.forEach((pool, i) => {
    const first = seen.get(pool.name);
    if (first !== undefined) fail(`pools[${i}].name`, pool.name, `repeats pools[${first}].name`);
    seen.set(pool.name, i);
  });
  const fallbacks = pools.filter((p) => p.fallback);
  if (fallbacks.length !== 1) {
    throw new ConfigError("rebalancer configuration", [
      {
        field: "pools",
        rule: `have ${fallbacks.length} with fallback: true; exactly one on-demand fallback pool is required`,
      },
    ]);
  }
  const known = Object.keys(DEFAULT_REBALANCER_TUNABLES);
  for (const key of Object.keys(overrides ?? {})) {
    if (!known.includes(key)) {
      throw new ConfigError("rebalancer configuration", [unknownKeyProblem(`tunables.${key}`, key, known)]);
    }
  }
  const defined = Object.fromEntries(Object.entries(overrides ?? {}).filter(([, v]) => v !== undefined));
  const tunables: RebalancerTunables = { ...DEFAULT_REBALANCER_TUNABLES, ...defined };
  checkTunables(tunables);
  return {
    pools: pools.map((p) => ({ ...p, instanceTypes: [...p.instanceTypes] })),
    fallbackPool: (fallbacks[0] as PoolDescriptor).name,
    spotPools: pools.filter((p) => p.capacityType === "spot").map((p) => p.name),
    tunables,
  };
}
