/**
 * How a queue worker shares its replica's capacity and gives work back: the decisions the
 * worker sidecar makes and the simulator replays. Pure: time is passed in.
 */

/** SQS returns at most 10 messages per ReceiveMessage call. */
export const SQS_MAX_BATCH = 10;

/** Messages to ask for now: the free slots, never more than one SQS batch. */
export function receiveBatchSize(concurrency: number, inFlight: number): number {
  return Math.max(0, Math.min(SQS_MAX_BATCH, concurrency - inFlight));
}

/**
 * Milliseconds between visibility extensions of a running request: a third of the timeout,
 * so two extensions can fail before another replica would receive it.
 */
export function heartbeatIntervalMs(visibilityTimeoutSeconds: number): number {
  return Math.max(1000, Math.floor((visibilityTimeoutSeconds * 1000) / 3));
}

/**
 * When a message taken from a replica becomes visible again: at once when the worker
 * releases it (ChangeMessageVisibility 0 on SIGTERM), else when the visibility timeout
 * counted from its receipt runs out (the worker was killed). Seconds or milliseconds,
 * as long as all three agree.
 */
export function visibleAgainAt(receivedAt: number, now: number, visibilityTimeout: number, released: boolean): number {
  return released ? now : Math.max(now, receivedAt + visibilityTimeout);
}

export interface InFlightRequest {
  id: string;
  receivedAtMs: number;
}

export interface ShutdownBudget {
  /** Seconds between SIGTERM and SIGKILL. */
  shutdownSeconds: number;
  /** The longest a request is expected to take. */
  maxProcessingSeconds: number;
}

export interface ShutdownPlan {
  /** Requests expected to finish before the deadline: keep working on them. */
  finish: string[];
  /** Requests that cannot be expected to finish: release them now so another replica starts them. */
  release: string[];
  /** When whatever is still running is released, leaving time to do so before SIGKILL. */
  deadlineMs: number;
}

/** Time kept back from the grace period for releasing messages and exiting: a quarter, at most 5 s. */
export function shutdownMarginSeconds(shutdownSeconds: number): number {
  return Math.min(5, shutdownSeconds / 4);
}

/**
 * The SIGTERM decision: stop receiving, finish what should complete within the grace period,
 * release the rest at once rather than leave it hidden until its visibility timeout.
 */
export function shutdownPlan(
  inFlight: readonly InFlightRequest[],
  nowMs: number,
  budget: ShutdownBudget,
): ShutdownPlan {
  const deadlineMs = nowMs + (budget.shutdownSeconds - shutdownMarginSeconds(budget.shutdownSeconds)) * 1000;
  const finish: string[] = [];
  const release: string[] = [];
  for (const request of inFlight) {
    const expectedDoneMs = request.receivedAtMs + budget.maxProcessingSeconds * 1000;
    (expectedDoneMs <= deadlineMs ? finish : release).push(request.id);
  }
  return { finish, release, deadlineMs };
}
