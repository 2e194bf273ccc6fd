import type { Knobs } from "../policies/types";
import type { FrontierPoint } from "../sweep";

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
  /** Share of requests within the SLO (queue wait or end-to-end latency, see ReportData.sloOn), 0..1. */
  sloAttainment: number;
  p50WaitSeconds: number;
  p99WaitSeconds: number;
  /** End-to-end latency (wait + service) of the 99th percentile request. */
  p99LatencySeconds: number;
  /** Requests not served: dead-lettered or still queued when the run ended. */
  lostRequests: number;
  /** Requests moved to the dead-letter queue after maxReceiveCount receives. */
  deadLettered: number;
  interruptions: number;
  /** Mean over seeds of the cheapest setting whose mean attainment reaches the target; null when none does. */
  costAtSloUsd: number | null;
  /** 95% confidence interval of costAtSloUsd over the seeds. */
  costAtSloCi95: [number, number] | null;
  /** The setting costAtSloUsd was found at. */
  tunedKnobs: Knobs | null;
  /** The settings no other setting beats on both mean cost and mean attainment, cheapest first. */
  frontier: FrontierPoint[];
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

/** One policy's cost/SLO Pareto frontier over its knob settings (means over the seeds). */
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
  /** What the SLO bounds: the queue wait or the end-to-end latency. */
  sloOn: "wait" | "latency";
  /** Seeds every setting ran with (the first also gave the series and waits). */
  seeds: number[];
  /** Mean over the seeds of the lower bound on any schedule's cost at the SLO target; null without the search. */
  lowerBoundUsd: number | null;
  summaries: PolicySummary[];
  series: PolicySeries[];
  waitHistograms: WaitHistogram[];
  costSlo: CostSloCurve[];
  /** Assumptions worth printing with the figures: prices, lead times, interruption rates. */
  notes: string[];
}
