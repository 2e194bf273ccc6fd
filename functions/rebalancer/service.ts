import type { GroupControl } from "./autoscaling";
import { decideRebalance, initialRebalancerState, type SpotSignal } from "./core";
import { executeActions, poolCapacity } from "./execute";
import type { InstanceDirectory } from "./instances";
import { type QueueRecord, type RecordOutcome, resolveRecords } from "./resolve";
import type { LoadedConfig } from "./settings";
import type { StateStore } from "./state-store";

/** The structured log the shell writes (Powertools Logger fits it). */
export interface LogSink {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface ServiceDeps {
  loaded: LoadedConfig;
  directory: InstanceDirectory;
  groups: GroupControl;
  store: StateStore;
  log: LogSink;
  /** Writes one CloudWatch embedded-metric line. */
  emitMetrics: (line: string) => void;
  /** This invocation's id: the lease owner. */
  owner: string;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  /** How long the lease is held at most (the Lambda timeout). */
  leaseMs: number;
  /** How long to wait for another invocation's lease before giving the records back. */
  leaseWaitMs: number;
  /** How long a claimed event id is kept (DynamoDB TTL). */
  claimTtlSeconds: number;
}

export interface BatchResult {
  batchItemFailures: { itemIdentifier: string }[];
}

/** Parallel claims, bounded so a 1,000-event storm stays within DynamoDB's per-partition write rate. */
const CLAIM_CONCURRENCY = 16;

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function withLease<T>(
  deps: ServiceDeps,
  fn: () => Promise<T>,
): Promise<{ held: true; value: T } | { held: false }> {
  const deadline = deps.clock() + deps.leaseWaitMs;
  let backoff = 100;
  while (!(await deps.store.acquireLease(deps.owner, deps.clock(), deps.leaseMs))) {
    if (deps.clock() + backoff > deadline) return { held: false };
    await deps.sleep(backoff);
    backoff = Math.min(backoff * 2, 2000);
  }
  try {
    return { held: true, value: await fn() };
  } finally {
    await deps.store
      .releaseLease(deps.owner)
      .catch((error: Error) => deps.log.warn("lease release failed", { error: error.message }));
  }
}

/** Load, observe, decide, act, save. False when an increase failed and the signals must be retried. */
async function rebalance(deps: ServiceDeps, signals: SpotSignal[]): Promise<boolean> {
  const { runtime, core } = deps.loaded;
  const nowMs = deps.clock();
  const { state, version } = await deps.store.load();
  const groups = await deps.groups.describe(runtime.pools.flatMap((p) => p.asgNames));
  const capacity = runtime.pools.flatMap((p) => poolCapacity(p, groups) ?? []);
  const decision = decideRebalance({
    nowMs,
    config: core,
    state: state ?? initialRebalancerState(),
    capacity,
    signals,
  });
  const report = await executeActions(decision.actions, runtime.pools, groups, deps.groups);
  deps.log.info("rebalance decision", {
    signals: signals.length,
    actions: decision.actions,
    applied: report.applied.length,
    health: decision.health,
    capacity,
    reasons: decision.reasons.slice(0, 50),
  });
  deps.emitMetrics(
    JSON.stringify({
      _aws: {
        Timestamp: nowMs,
        CloudWatchMetrics: [
          {
            Namespace: "gpufleet",
            Dimensions: [["Function"]],
            Metrics: [
              { Name: "RebalancerSignals", Unit: "Count" },
              { Name: "RebalancerActions", Unit: "Count" },
              { Name: "RebalancerUnhealthyPools", Unit: "Count" },
            ],
          },
        ],
      },
      Function: "rebalancer",
      RebalancerSignals: signals.length,
      RebalancerActions: report.applied.length,
      RebalancerUnhealthyPools: Object.values(decision.health).filter((h) => h !== "healthy").length,
    }),
  );
  for (const failure of report.failedDecreases)
    deps.log.warn("capacity decrease failed; extra capacity stays", failure);
  if (report.failedIncrease) {
    deps.log.error("capacity increase failed; the batch will be retried", report.failedIncrease);
    return false;
  }
  if (!(await deps.store.save(decision.state, version, nowMs))) {
    deps.log.warn("state changed under the lease (it expired?); this decision's bookkeeping is dropped", { version });
  }
  return true;
}

function logOutcome(deps: ServiceDeps, outcome: RecordOutcome): void {
  if (outcome.disposition === "signal") return;
  const detail = { messageId: outcome.messageId, eventId: outcome.eventId, note: outcome.note };
  if (outcome.disposition === "retry") deps.log.warn("record will be retried", detail);
  else deps.log.info("record acknowledged and ignored", detail);
}

/** One SQS batch: every record ends acknowledged or reported as a failure; none crashes the batch. */
export async function handleRecords(deps: ServiceDeps, records: QueueRecord[]): Promise<BatchResult> {
  const failures = new Set<string>();
  const outcomes = await resolveRecords(records, deps.directory, deps.loaded.poolOfAsg);
  for (const outcome of outcomes) {
    logOutcome(deps, outcome);
    if (outcome.disposition === "retry") failures.add(outcome.messageId);
  }
  const candidates = outcomes.filter(
    (o): o is Extract<RecordOutcome, { disposition: "signal" }> => o.disposition === "signal",
  );
  if (candidates.length > 0) {
    const result = await withLease(deps, async () => {
      // The same event twice in one batch is claimed once; the copy is a duplicate.
      const firstOfId = new Map<string, string>();
      for (const c of candidates) if (!firstOfId.has(c.signal.id)) firstOfId.set(c.signal.id, c.messageId);
      const nowMs = deps.clock();
      const staleMs = deps.leaseMs * 2;
      const claimed = await mapLimited(candidates, CLAIM_CONCURRENCY, async (c) => {
        if (firstOfId.get(c.signal.id) !== c.messageId) return "duplicate" as const;
        try {
          return (await deps.store.claimEvent(c.signal.id, nowMs, deps.claimTtlSeconds, staleMs))
            ? ("claimed" as const)
            : ("duplicate" as const);
        } catch (error) {
          deps.log.warn("event claim failed", { eventId: c.signal.id, error: (error as Error).message });
          return "error" as const;
        }
      });
      const mine = candidates.filter((_, i) => claimed[i] === "claimed");
      candidates.forEach((c, i) => {
        if (claimed[i] === "error") failures.add(c.messageId);
        if (claimed[i] === "duplicate")
          deps.log.info("duplicate event acknowledged", { eventId: c.signal.id, messageId: c.messageId });
      });
      let ok = false;
      try {
        ok = await rebalance(
          deps,
          mine.map((c) => c.signal),
        );
      } catch (error) {
        deps.log.error("rebalance failed; the batch will be retried", { error: (error as Error).message });
      }
      if (!ok) {
        // Give the claims back so the redelivered records act.
        await Promise.all(mine.map((c) => deps.store.releaseEvent(c.signal.id).catch(() => undefined)));
        for (const c of mine) failures.add(c.messageId);
      }
    });
    if (!result.held) {
      deps.log.warn("another invocation holds the lease; records go back to the queue", { records: candidates.length });
      for (const c of candidates) failures.add(c.messageId);
    }
  }
  return { batchItemFailures: [...failures].map((itemIdentifier) => ({ itemIdentifier })) };
}

/** The one-minute tick: recovery and migration back run here. */
export async function handleTick(deps: ServiceDeps): Promise<{ ran: boolean }> {
  const result = await withLease(deps, () => rebalance(deps, []));
  if (!result.held) deps.log.info("another invocation holds the lease; this tick is skipped");
  return { ran: result.held };
}
