/**
 * The SQS timing an endpoint deploys: how long a request may take, the visibility timeout
 * and the receives before a message goes to the dead-letter queue. ModelEndpoint creates
 * its queues with these values; the simulator redelivers and dead-letters with them.
 */
import type { EndpointProfile } from "../contract";

export const QUEUE_DEFAULTS = {
  /** The longest request, as a multiple of the mean request. */
  maxProcessingMultiple: 5,
  /** Visibility timeout as a multiple of the longest request, and its floor. */
  visibilityTimeoutMultiple: 2,
  minVisibilityTimeoutSeconds: 30,
  maxReceiveCount: 3,
} as const;

export interface QueueTiming {
  maxProcessingSeconds: number;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
}

/** The queue timing with every default applied; `overrides` are an endpoint's own (already checked) values. */
export function resolveQueueTiming(profile: EndpointProfile, overrides: Partial<QueueTiming> = {}): QueueTiming {
  const d = QUEUE_DEFAULTS;
  const maxProcessingSeconds =
    overrides.maxProcessingSeconds ?? Math.ceil(profile.secondsPerRequest * d.maxProcessingMultiple);
  return {
    maxProcessingSeconds,
    visibilityTimeoutSeconds:
      overrides.visibilityTimeoutSeconds ??
      Math.max(d.minVisibilityTimeoutSeconds, Math.ceil(maxProcessingSeconds * d.visibilityTimeoutMultiple)),
    maxReceiveCount: overrides.maxReceiveCount ?? d.maxReceiveCount,
  };
}
