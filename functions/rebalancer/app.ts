import type { Context, SQSBatchResponse } from "aws-lambda";
import { handleRecords, handleTick, type ServiceDeps } from "./service";

/**
 * SDK retry configuration of every client: adaptive mode backs off with jitter on
 * throttling and then rate-limits the client itself, which keeps a storm under the APIs' limits.
 */
export const SDK_RETRY = { maxAttempts: 6, retryMode: "adaptive" } as const;

/**
 * What lives as long as the container: configuration, adapters over the clients, log and
 * metrics — the service's dependencies less the invocation's share (see invocationDeps).
 */
export type RebalancerRuntime = Omit<ServiceDeps, "owner" | "leaseMs" | "leaseWaitMs" | "claimTtlSeconds">;

/** The invocation's share of the dependencies: who holds the lease and for how long. */
function invocationDeps(runtime: RebalancerRuntime, context: Context | undefined): ServiceDeps {
  const remaining = context?.getRemainingTimeInMillis?.() ?? 60_000;
  return {
    ...runtime,
    owner: context?.awsRequestId ?? `local-${process.pid}-${runtime.clock()}`,
    leaseMs: Math.max(10_000, remaining),
    // Leave half the invocation for the work itself.
    leaseWaitMs: Math.max(1_000, Math.floor(remaining / 2) - 5_000),
    claimTtlSeconds: 24 * 3600,
  };
}

function recordsOf(event: unknown): unknown[] | undefined {
  const records = typeof event === "object" && event !== null ? (event as { Records?: unknown }).Records : undefined;
  return Array.isArray(records) ? records : undefined;
}

/**
 * The Lambda entry point over a runtime: SQS batches (partial batch failures reported) and
 * the one-minute tick from EventBridge Scheduler (any event without Records).
 */
export function createHandler(runtime: RebalancerRuntime) {
  return async (event: unknown, context?: Context): Promise<SQSBatchResponse | { ran: boolean }> => {
    const deps = invocationDeps(runtime, context);
    const records = recordsOf(event);
    return records ? handleRecords(deps, records) : handleTick(deps);
  };
}
