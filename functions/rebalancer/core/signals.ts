import { addSignal, signalWeight } from "./health";
import { ownValue } from "./state";
import type { RebalancerConfig, RebalancerState, SpotSignal } from "./types";

/** What a batch of signals asks of the fallback, per spot pool. */
export interface Absorbed {
  /** Spot pool -> GPUs on nodes warned or recommended for interruption (fresh, not yet covered). */
  gpusAtRisk: Map<string, number>;
  /** Spot pools with a fresh launch failure. */
  launchFailed: Set<string>;
}

function byTimeThenId(a: SpotSignal, b: SpotSignal): number {
  return a.atMs - b.atMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Folds the signals into the state (mutating the copy the caller owns): each event id acts
 * once, every signal for a managed spot pool counts toward its health, and only fresh
 * signals ask for capacity. A node warned twice (recommendation, then warning) is covered once.
 */
export function absorbSignals(
  state: RebalancerState,
  config: RebalancerConfig,
  signals: SpotSignal[],
  nowMs: number,
  reasons: string[],
): Absorbed {
  const t = config.tunables;
  const gpusAtRisk = new Map<string, number>();
  const launchFailed = new Set<string>();
  const gpusPerNode = new Map(config.pools.map((p) => [p.name, p.gpusPerNode]));
  const maxAgeMs = t.maxSignalAgeSeconds * 1000;
  // Sorting makes the result independent of the order the batch arrived in.
  for (const signal of [...signals].sort(byTimeThenId)) {
    if (ownValue(state.processed, signal.id) !== undefined) {
      reasons.push(`event ${signal.id}: already processed, ignored`);
      continue;
    }
    state.processed[signal.id] = nowMs + t.eventIdRetentionSeconds * 1000;
    const pool = ownValue(state.pools, signal.pool);
    if (!pool) {
      reasons.push(`event ${signal.id}: pool "${signal.pool}" is not a managed spot pool, ignored`);
      continue;
    }
    // An event stamped in the future (clock skew) is taken as happening now.
    const atMs = Number.isFinite(signal.atMs) ? Math.min(signal.atMs, nowMs) : nowMs;
    state.pools[signal.pool] = addSignal(pool, signalWeight(signal.kind, t), atMs, t);
    if (nowMs - atMs > maxAgeMs) {
      reasons.push(
        `event ${signal.id}: ${signal.kind} from ${Math.round((nowMs - atMs) / 1000)} s ago counts toward health only`,
      );
      continue;
    }
    if (signal.kind === "launch-failure") {
      launchFailed.add(signal.pool);
      continue;
    }
    if (signal.instanceId !== undefined) {
      const coveredUntil = ownValue(state.atRisk, signal.instanceId);
      if (coveredUntil !== undefined && coveredUntil > nowMs) {
        reasons.push(`event ${signal.id}: instance ${signal.instanceId} already covered by the fallback`);
        continue;
      }
      state.atRisk[signal.instanceId] = atMs + maxAgeMs;
    }
    gpusAtRisk.set(signal.pool, (gpusAtRisk.get(signal.pool) ?? 0) + (gpusPerNode.get(signal.pool) ?? 0));
  }
  return { gpusAtRisk, launchFailed };
}
