import { describeError } from "../kit/aws-error";
import { mapLimit } from "../kit/concurrency";
import type { LogSink } from "../kit/log";
import type { HealthMetrics } from "../kit/metrics";
import type { GroupControl } from "./autoscaling";
import { decideRebalance, initialRebalancerState, type SpotSignal } from "./core";
import { executeActions, poolCapacity } from "./execute";
import type { InstanceDirectory } from "./instances";
import { type QueueRecord, type RecordOutcome, resolveRecords } from "./resolve";
import type { LoadedConfig } from "./settings";
import type { StateStore } from "./state-store";

export interface ServiceDeps {
  loaded: LoadedConfig;
  directory: InstanceDirectory;
  groups: GroupControl;
  store: StateStore;
  log: LogSink;
  /** The function's own health, as embedded-metric log lines. */
  metrics: HealthMetrics;
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
  deps.metrics.publish(
    {
      Signals: { value: signals.length, unit: "Count" },
      Actions: { value: report.applied.length, unit: "Count" },
      UnhealthyPools: {
        value: Object.values(decision.health).filter((h) => h !== "healthy").length,
        unit: "Count",
      },
    },
    nowMs,
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
  else if (outcome.disposition === "foreign") deps.log.warn("event of another account or region acknowledged", detail);
  else deps.log.info("record acknowledged and ignored", detail);
}

/** SQS message ids are UUIDs; anything else cannot name a record in a batch response. */
const MESSAGE_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * The records of an invocation, whatever it was sent: each one with a usable message id
 * (the only thing a batch response can name), and a count of those without one. A record
 * with no id is not an SQS message (the event source always sets one): there is nothing
 * the queue could redeliver, so it is logged and counted, never reported as a failure.
 */
export function queueRecords(raw: readonly unknown[]): { records: QueueRecord[]; unnamed: number } {
  const records: QueueRecord[] = [];
  let unnamed = 0;
  for (const r of raw) {
    const messageId = typeof r === "object" && r !== null ? (r as { messageId?: unknown }).messageId : undefined;
    if (typeof messageId === "string" && MESSAGE_ID.test(messageId)) {
      records.push({ messageId, body: (r as { body?: unknown }).body });
    } else unnamed++;
  }
  return { records, unnamed };
}

/** One SQS batch: every record ends acknowledged or reported as a failure; none crashes the batch. */
export async function handleRecords(deps: ServiceDeps, raw: readonly unknown[]): Promise<BatchResult> {
  const failures = new Set<string>();
  const { records, unnamed } = queueRecords(raw);
  if (unnamed > 0) deps.log.error("records without a message id acknowledged (not SQS messages)", { unnamed });
  const { accountId, region } = deps.loaded.runtime;
  const outcomes = await resolveRecords(records, deps.directory, deps.loaded.poolOfAsg, { accountId, region });
  const count = (d: RecordOutcome["disposition"]) => outcomes.filter((o) => o.disposition === d).length;
  deps.metrics.publish(
    {
      Records: { value: raw.length, unit: "Count" },
      ForeignEvents: { value: count("foreign"), unit: "Count" },
      IgnoredRecords: { value: count("ack") + unnamed, unit: "Count" },
      RetriedRecords: { value: count("retry"), unit: "Count" },
    },
    deps.clock(),
  );
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
      const claimed = await mapLimit(candidates, CLAIM_CONCURRENCY, async (c) => {
        if (firstOfId.get(c.signal.id) !== c.messageId) return "duplicate" as const;
        try {
          return (await deps.store.claimEvent(c.signal.id, nowMs, deps.claimTtlSeconds, staleMs))
            ? ("claimed" as const)
            : ("duplicate" as const);
        } catch (error) {
          deps.log.warn("event claim failed", { eventId: c.signal.id, error: describeError(error) });
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
        deps.log.error("rebalance failed; the batch will be retried", { error: describeError(error) });
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
