/**
 * What a simulation run hands to the HTML report and the summary table. The simulator
 * fills it; the report only renders it.
 */

/** One policy's figures over the whole run: a row of `gpufleet bench --json`. */
export interface PolicySummary {
  name: string;
  costUsd: number;
  gpuHours: number;
  /** Share of GPU-hours on spot capacity, 0..1. */
  spotShare: number;
  /** Share of requests whose queue wait was within the SLO, 0..1. */
  sloAttainment: number;
  p50WaitSeconds: number;
  p99WaitSeconds: number;
  lostRequests: number;
  interruptions: number;
  /** Cheapest cost at which the policy reaches the SLO target; null when no setting reaches it. */
  costAtSloUsd: number | null;
}

/** Per-minute time series of one policy (all endpoints together unless `endpoint` is set). */
export interface PolicySeries {
  policy: string;
  endpoint?: string;
  /** Minute starts, seconds since the start of the run. */
  tSeconds: number[];
  /** Requests arriving per second, averaged over the minute. */
  demandRps: number[];
  /** Replicas serving at the end of the minute. */
  replicas: number[];
  /** GPUs (nodes x GPUs per node) running at the end of the minute, spot and on-demand. */
  spotGpus: number[];
  onDemandGpus: number[];
  /** Messages waiting or in flight at the end of the minute. */
  backlog: number[];
}

/** Queue-wait distribution of one policy: counts per bucket, bucket i covering [edges[i], edges[i+1]). */
export interface WaitHistogram {
  policy: string;
  edgesSeconds: number[];
  counts: number[];
}

/** Cost and SLO attainment of one policy at each headroom setting the cost-at-SLO search tried. */
export interface CostSloCurve {
  policy: string;
  points: { knob: number; costUsd: number; sloAttainment: number }[];
}

export interface ReportData {
  title: string;
  /** The trace file or built-in scenario name. */
  trace: string;
  durationSeconds: number;
  slo: { waitSeconds: number; target: number };
  summaries: PolicySummary[];
  series: PolicySeries[];
  waitHistograms: WaitHistogram[];
  costSlo: CostSloCurve[];
  /** Assumptions worth printing with the figures: prices, lead times, interruption rates. */
  notes: string[];
}
