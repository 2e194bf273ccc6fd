import type { EndpointProfile } from "../../contract";

/** Per-minute values, oldest first. `null` marks a minute with no datapoint. */
export interface MinuteSeries {
  /** Start of the first minute, epoch milliseconds. */
  startMs: number;
  values: (number | null)[];
}

/** The endpoint queue as read at one moment. */
export interface QueueSnapshot {
  visible: number;
  inFlight: number;
  oldestMessageAgeSeconds: number;
  observedAtMs: number;
}

/** A value the autoscaler published on an earlier tick. */
export interface PublishedReplicas {
  atMs: number;
  replicas: number;
}

/** Everything the core needs to know about one endpoint on one tick. */
export interface EndpointInput {
  name: string;
  profile: EndpointProfile;
  /** Time-slicing replicas per GPU of the pool the endpoint runs on. */
  slicesPerGpu: number;
  /**
   * Seconds from a scale decision until a new node can run the pod: metric and KEDA lag,
   * node provisioning and boot, device plugin registration, image pull. The profile's
   * modelLoadSeconds comes on top.
   */
  leadTimeSeconds: number;
  /** Requests sent to the endpoint's queue per minute (the queue's sent-message metric). */
  arrivals: MinuteSeries;
  /** `null` when the queue could not be read this tick. */
  queue: QueueSnapshot | null;
  /** Values published on earlier ticks, oldest first (read back from the metric itself). */
  published: PublishedReplicas[];
}

export interface AutoscalerInput {
  nowMs: number;
  endpoints: EndpointInput[];
}

/** One endpoint's decision with the reasons behind it, for logs and for the simulator's report. */
export interface ReplicaDecision {
  name: string;
  replicas: number;
  /** True when the value was held from an earlier tick (missing or stale inputs). */
  held: boolean;
  reasons: string[];
}

/**
 * Tunables of the decision. The simulator sweeps `headroom` to find the cheapest setting
 * that meets the SLO, so a larger headroom never yields fewer replicas.
 */
export interface AutoscalerSettings {
  /** Multiplier on the capacity the forecast calls for (1 = exactly the forecast quantile). */
  headroom: number;
}
