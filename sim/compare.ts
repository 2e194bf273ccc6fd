/**
 * A comparison: every policy on the same arrivals. Each policy runs once at its default
 * knobs (the figures, series and waits of the summary) and over the same sweep of knob
 * settings and seeds (cost at SLO with its confidence interval, the cost/SLO frontier);
 * the lower bound is computed per seed beside them. Runs go to worker threads.
 */
import { ConfigError, isConfigError } from "../functions/problems";
import { resolveQueueTiming, resolveScalingSettings } from "../functions/scaling/index";
import { DEFAULT_LIFECYCLE, DEFAULT_SLO_TARGET, DEFAULT_SPOT, type LifecycleDelays } from "./constants";
import type { RunResult } from "./engine/run";
import type { ComparisonOptions, ComparisonProgress } from "./index";
import type { Job, JobContext } from "./parallel/job";
import { defaultWorkers, runJobs } from "./parallel/pool";
import { scenarioRebalancerConfig } from "./policies/rebalancer";
import type { CostSloCurve, PolicySummary, ReportData, WaitHistogram } from "./report/types";
import {
  costAtSlo,
  DEFAULT_KNOBS,
  DEFAULT_SEEDS,
  DEFAULT_SETTINGS,
  meanCi95,
  paretoFrontier,
  type SettingOutcome,
  sweepDesign,
} from "./sweep";
import { printable } from "./text";
import { buildWorkload, type Workload } from "./workload";

export const WAIT_EDGES_SECONDS = [0, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600, 7200];

export const POLICY_NAMES = [
  "gpufleet",
  "reactive",
  "predictive-hourly",
  "static-peak",
  "foresight",
  "gpufleet-no-prediction",
  "gpufleet-no-rebalancer",
  "gpufleet-uniform-margin",
] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

const WITH_REBALANCER = new Set<string>(["gpufleet", "foresight", "gpufleet-no-prediction", "gpufleet-uniform-margin"]);

function histogram(policy: string, sortedWaits: Float32Array): WaitHistogram {
  const last = sortedWaits.length > 0 ? (sortedWaits[sortedWaits.length - 1] as number) : 0;
  const edges = [...WAIT_EDGES_SECONDS, Math.max(21600, Math.ceil(last) + 1)];
  const counts = new Array(edges.length - 1).fill(0);
  let b = 0;
  for (const wait of sortedWaits) {
    while (b < counts.length - 1 && wait >= (edges[b + 1] as number)) b++;
    counts[b]++;
  }
  return { policy, edgesSeconds: edges, counts };
}

function notes(w: Workload, l: LifecycleDelays, sloOnLatency: boolean, seeds: number[], settings: number): string[] {
  const lead = l.caScanSeconds + l.nodeBootSeconds + l.devicePluginSeconds + l.imagePullSeconds;
  const out = [
    `Lead time to a serving replica on a new node: about ${lead} s (Cluster Autoscaler scan ${l.caScanSeconds} s, node boot ${l.nodeBootSeconds} s, device plugin ${l.devicePluginSeconds} s, image pull ${l.imagePullSeconds} s) plus model load.`,
    `HPA syncs every ${l.hpaSyncSeconds} s (tolerance ${l.hpaTolerance}) with each endpoint's deployed behaviour (functions/scaling); Cluster Autoscaler scans every ${l.caScanSeconds} s, fails over at once on insufficient capacity, waits ${l.caScaleDownDelayAfterAddSeconds} s after a scale-up before removing nodes.`,
    `The autoscaler reads SQS metrics from CloudWatch ${l.sqsMetricLagSeconds} s after each minute ends; its predicted replicas reach KEDA ${l.putMetricVisibleSeconds} s after PutMetricData.`,
    `${sloOnLatency ? "End-to-end latency (wait + service)" : "Queue wait"} is what the SLO bounds; nodes are billed until the last request is served.`,
    `Each policy is tuned over the same ${settings} settings (its capacity knob, minReplicas, scale-down unneeded time), each over seeds ${seeds.join(", ")}; cost at SLO is the mean over seeds of the cheapest setting whose mean attainment reaches the target, with a 95% confidence interval.`,
  ];
  for (const pool of w.scenario.pools) {
    const spot = { ...DEFAULT_SPOT, ...pool.spot };
    out.push(
      pool.capacityType === "spot"
        ? `Pool ${pool.name}: spot ${pool.instanceTypes.join("/")}, ${spot.interruptionsPerNodeMonth} interruptions per node-month, ${spot.burstsPerDay} zone bursts per day (${Math.round(spot.burstShare * 100)}% of one of ${spot.zones} zones, then ${spot.shortageSeconds / 60} min without capacity in that zone).`
        : `Pool ${pool.name}: on-demand ${pool.instanceTypes.join("/")}${pool.fallback ? " (fallback)" : ""}.`,
    );
  }
  for (const e of w.endpoints) {
    const s = resolveScalingSettings(e.configured);
    const q = resolveQueueTiming(e.configured);
    out.push(
      `Endpoint ${e.name}: request cost ${e.costModel}; SLO ${e.profile.sloSeconds} s; SQS target ${s.queueLengthPerReplica} messages per replica; visibility timeout ${q.visibilityTimeoutSeconds} s, dead-letter after ${q.maxReceiveCount} receives.`,
    );
  }
  out.push(
    "Foresight: gpufleet with the true busiest minute of the coming horizon in place of the forecast; everything else is gpufleet's. The lower bound is not a policy: the cheapest per-minute capacity that a relaxation of the cluster allows (sim/bound.ts).",
  );
  return out;
}

export async function compare(
  options: ComparisonOptions,
  onProgress?: (progress: ComparisonProgress) => void,
): Promise<ReportData> {
  const firstSeed = options.seed ?? 1;
  const seeds = Array.from({ length: options.seeds ?? DEFAULT_SEEDS }, (_, i) => firstSeed + i);
  const target = options.sloTarget ?? DEFAULT_SLO_TARGET;
  const names: PolicyName[] = options.policies ?? [...POLICY_NAMES];
  // Built once here so a bad trace fails before any worker starts; the workers build their own.
  const probe = buildWorkload(options.scenario, firstSeed, options.sloSeconds);
  const withRebalancer = names.filter((n) => WITH_REBALANCER.has(n));
  if (withRebalancer.length > 0) {
    try {
      scenarioRebalancerConfig(options.scenario.pools);
    } catch (error) {
      if (!isConfigError(error)) throw error;
      // The scenario is fine for the other policies: the subject says which one refuses it.
      throw new ConfigError(
        `scenario ${printable(options.scenario.name)} for the ${withRebalancer[0]} policy`,
        error.problems,
      );
    }
  }
  const lifecycle = { ...DEFAULT_LIFECYCLE, ...options.scenario.lifecycle };
  const ctx: JobContext = {
    scenario: options.scenario,
    lifecycle,
    releaseOnSigterm: options.scenario.releaseOnSigterm ?? true,
    sloOnLatency: options.sloOn === "latency",
    target,
  };
  if (options.sloSeconds !== undefined) ctx.sloSeconds = options.sloSeconds;
  const search = options.costAtSlo ?? true;
  const design = search ? sweepDesign(options.settings ?? DEFAULT_SETTINGS) : [];
  const jobs: Job[] = [];
  for (const seed of seeds) {
    if (seed === firstSeed)
      for (const policy of names)
        jobs.push({ kind: "run", id: jobs.length, policy, knobs: DEFAULT_KNOBS, seed, detail: true });
    if (search) {
      jobs.push({ kind: "bound", id: jobs.length, seed });
      for (const policy of names)
        for (const knobs of design) jobs.push({ kind: "run", id: jobs.length, policy, knobs, seed, detail: false });
    }
  }
  let done = 0;
  const results = await runJobs(ctx, jobs, options.workers ?? defaultWorkers(), (result, job) => {
    done++;
    const message =
      "run" in result
        ? `${result.run.policy} seed ${job.seed} knob ${result.run.knobs.primary.toFixed(3)}: $${result.run.costUsd.toFixed(2)}, SLO ${(result.run.sloAttainment * 100).toFixed(2)}%`
        : `lower bound seed ${job.seed}: $${result.boundUsd.toFixed(2)}`;
    onProgress?.({ policy: job.kind === "run" ? job.policy : "lower bound", done, total: jobs.length, message });
  });

  const bounds: number[] = [];
  const mains = new Map<string, RunResult>();
  const sweeps = new Map<string, Map<number, SettingOutcome>>();
  results.forEach((result, i) => {
    const job = jobs[i] as Job;
    if ("boundUsd" in result) {
      bounds.push(result.boundUsd);
      return;
    }
    if (job.kind !== "run") return;
    if (job.detail) {
      mains.set(job.policy, result.run);
      return;
    }
    const byPolicy = sweeps.get(job.policy) ?? new Map<number, SettingOutcome>();
    sweeps.set(job.policy, byPolicy);
    const index = design.indexOf(job.knobs);
    const outcome = byPolicy.get(index) ?? { knobs: job.knobs, costs: [], attainments: [], lost: [] };
    byPolicy.set(index, outcome);
    outcome.costs.push(result.run.costUsd);
    outcome.attainments.push(result.run.sloAttainment);
    outcome.lost.push(result.run.lostRequests);
  });

  const report: ReportData = {
    title: options.title ?? `gpufleet simulation: ${options.scenario.name}`,
    trace: options.scenario.name,
    durationSeconds: probe.durationSeconds,
    slo: { waitSeconds: probe.endpoints[0]?.profile.sloSeconds ?? 0, target },
    sloOn: ctx.sloOnLatency ? "latency" : "wait",
    seeds: search ? seeds : [firstSeed],
    lowerBoundUsd: bounds.length > 0 ? meanCi95(bounds).mean : null,
    summaries: [],
    series: [],
    waitHistograms: [],
    costSlo: [],
    notes: notes(probe, lifecycle, ctx.sloOnLatency, seeds, design.length),
  };
  for (const name of names) {
    const main = mains.get(name) as RunResult;
    const outcomes = [...(sweeps.get(name)?.values() ?? [])];
    const best = search ? costAtSlo(outcomes, target) : null;
    const frontier = paretoFrontier(outcomes);
    const summary: PolicySummary = {
      name,
      costUsd: main.costUsd,
      gpuHours: main.gpuHours,
      spotShare: main.spotShare,
      sloAttainment: main.sloAttainment,
      p50WaitSeconds: main.p50WaitSeconds,
      p99WaitSeconds: main.p99WaitSeconds,
      p99LatencySeconds: main.p99LatencySeconds,
      lostRequests: main.lostRequests,
      deadLettered: main.deadLettered,
      interruptions: main.interruptions,
      costAtSloUsd: best?.costUsd ?? null,
      costAtSloCi95: best?.ci95 ?? null,
      tunedKnobs: best?.knobs ?? null,
      frontier,
    };
    report.summaries.push(summary);
    report.series.push(...main.series);
    report.waitHistograms.push(histogram(name, main.waits));
    const curve: CostSloCurve = {
      policy: name,
      points: frontier.map((p) => ({ knob: p.knob, costUsd: p.costUsd, sloAttainment: p.sloAttainment })),
    };
    report.costSlo.push(curve);
  }
  return report;
}
