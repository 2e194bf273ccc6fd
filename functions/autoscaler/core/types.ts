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
  /** The figures behind the decision, for the structured log line and the simulator's report. */
  detail?: DecisionDetail;
}

/** Intermediate figures of one decision. Absent figures could not be computed (missing inputs). */
export interface DecisionDetail {
  /** Upper-quantile forecast of the peak arrival rate over the horizon, requests per minute. */
  forecastPerMinute?: number;
  /** Minutes looked ahead: lead time + model load + one tick. */
  horizonMinutes: number;
  /** Requests per second one replica serves when every slice of its GPU is busy. */
  replicaThroughputPerSecond: number;
  /** Replicas the forecast calls for, before hysteresis and bounds. */
  forecastReplicas?: number;
  /** Replicas the current backlog needs to drain within the SLO. */
  backlogReplicas?: number;
  /** The latest value published on an earlier tick. */
  previousReplicas?: number;
  /** Arrival rate the queue shows now (served + backlog growth), requests per minute: what the lagged metric has not seen yet. */
  queueRatePerMinute?: number;
  /** The forecast's growth model, chosen per endpoint from recent forecast error. */
  model?: string;
  /** Held above the level for past surprises the miss budget does not pay for, requests per minute. */
  reservePerMinute?: number;
}

/**
 * Tunables of the decision. The simulator sweeps `headroom` to find the cheapest setting
 * that meets the SLO, so a larger headroom never yields fewer replicas.
 */
export interface AutoscalerSettings {
  /** Multiplier on the capacity the forecast calls for (1 = exactly the forecast quantile). */
  headroom: number;
  /** The forecast's quantile of the arrival rate, in (0.5, 1). */
  quantile: number;
  /** Highest planned utilisation of a replica, in (0, 1]: queues grow without bound near 1. */
  maxUtilization: number;
  /** Minutes averaged for the current arrival level. */
  levelMinutes: number;
  /** Minutes averaged to catch a burst: the level is the larger of both averages. */
  burstMinutes: number;
  /** Minutes whose minute-to-minute changes estimate the noise. */
  noiseMinutes: number;
  /** The furthest (minutes) a rising trend is extrapolated. */
  trendCapMinutes: number;
  /** Most days of history used for daily/weekly seasonality. */
  seasonalMaxDays: number;
  /** Weight of the same weekday (lags of 7 and 14 days) against other days, once a week of history exists. */
  weeklyWeight: number;
  /** Minutes whose highest value the recent-peak model expects again. */
  peakMemoryMinutes: number;
  /**
   * Share of the budget window's requests the surprise reserve may leave to miss: the largest
   * surprises, whose cover costs most per avoided miss (budget.ts). Part of the SLO's allowance.
   */
  missBudget: number;
  /** Minutes of the past whose surprises the reserve is sized on (0: no reserve). */
  budgetWindowMinutes: number;
  /** Earlier decisions each forecast model is scored on, to choose the model per endpoint (0: always combined). */
  backtestPoints: number;
  /** Minutes between two scored decisions. */
  backtestSpacingMinutes: number;
  /**
   * Seconds CloudWatch's one-minute SQS metrics trail real time: the oldest message's age read
   * from it is this much younger than the message now, and the backlog built up within it.
   */
  metricLagSeconds: number;
  /** Arrivals whose newest datapoint is older than this are stale: hold. */
  arrivalsStaleSeconds: number;
  /** A queue snapshot older than this is stale: hold. */
  queueStaleSeconds: number;
  /** Fewest datapoints in the level window for a forecast. */
  minLevelPoints: number;
  /** Seconds between ticks: the horizon covers until the next decision's capacity arrives. */
  tickSeconds: number;
  /** Shortest time a backlog is planned to drain in, whatever is left of its oldest message's SLO. */
  minDrainSeconds: number;
  /** A lower target within this fraction of the previous value keeps the previous value. */
  scaleDownTolerance: number;
  /** The largest fraction of the previous value given up in one tick (at least one replica). */
  scaleDownStep: number;
  /** No scale-down for this long after the published value last rose. */
  scaleDownDelaySeconds: number;
}
