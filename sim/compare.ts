/**
 * A comparison: every policy on the same arrivals, each at its default knob (the figures of
 * the summary) and along a search for the cheapest knob that reaches the SLO target.
 */
import { isConfigError } from "../functions/problems";
import { rebalancerConfig } from "../functions/rebalancer/core/index";
import { DEFAULT_LIFECYCLE, DEFAULT_SLO_TARGET, DEFAULT_SPOT } from "./constants";
import { type RunOptions, type RunResult, runPolicy } from "./engine/run";
import type { ComparisonOptions, ComparisonProgress, PolicyName } from "./index";
import { POLICIES } from "./policies/index";
import { leadTimeSeconds } from "./policies/types";
import type { CostSloCurve, PolicySummary, ReportData, WaitHistogram } from "./report/types";
import { ScenarioError } from "./scenario";
import { buildWorkload, type Workload } from "./workload";

export const WAIT_EDGES_SECONDS = [0, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600, 7200];

/** Knob bounds of the search: below MIN the policy is starved, above MAX it is not going to get there. */
const KNOB_MIN = 0.125;
const KNOB_MAX = 16;
const BISECTIONS = 5;

export interface SearchOutcome {
  costAtSloUsd: number | null;
  points: RunResult[];
}

function passes(r: RunResult, target: number): boolean {
  return r.lostRequests === 0 && r.sloAttainment >= target;
}

/**
 * Cheapest cost at which a policy reaches the target: from the default knob, halve (or
 * double) until the outcome flips, then bisect the bracket geometrically. Assumes what the
 * knob promises, that a larger knob never means less capacity.
 */
export function searchCostAtSlo(run: (knob: number) => RunResult, base: RunResult, target: number): SearchOutcome {
  const points = [base];
  const at = (knob: number) => {
    const r = run(knob);
    points.push(r);
    return r;
  };
  let pass: RunResult | null = null;
  let failKnob: number;
  if (passes(base, target)) {
    pass = base;
    failKnob = base.knob;
    for (let k = base.knob / 2; k >= KNOB_MIN; k /= 2) {
      const r = at(k);
      if (!passes(r, target)) {
        failKnob = k;
        break;
      }
      pass = r;
    }
    if (failKnob === base.knob) failKnob = pass.knob / 2;
  } else {
    failKnob = base.knob;
    for (let k = base.knob * 2; k <= KNOB_MAX; k *= 2) {
      const r = at(k);
      if (passes(r, target)) {
        pass = r;
        break;
      }
      failKnob = k;
    }
    if (pass === null) return { costAtSloUsd: null, points };
  }
  let lo = failKnob;
  let hi = pass.knob;
  for (let i = 0; i < BISECTIONS && hi / lo > 1.02; i++) {
    const mid = Math.sqrt(lo * hi);
    const r = at(mid);
    if (passes(r, target)) {
      hi = mid;
      if (r.costUsd < pass.costUsd || pass.knob > mid) pass = r;
    } else lo = mid;
  }
  let best = pass.costUsd;
  for (const p of points) if (passes(p, target) && p.costUsd < best) best = p.costUsd;
  return { costAtSloUsd: best, points };
}

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

function notes(w: Workload, options: RunOptions): string[] {
  const l = options.lifecycle;
  const out = [
    `Lead time to a serving replica on a new node: ${leadTimeSeconds(l)} s of control lag, node boot (${l.nodeBootSeconds} s), device plugin (${l.devicePluginSeconds} s) and image pull (${l.imagePullSeconds} s), plus model load.`,
    `KEDA polls every ${l.kedaPollSeconds} s; HPA syncs every ${l.hpaSyncSeconds} s (tolerance ${l.hpaTolerance}, scale-down stabilization ${l.hpaDownStabilizationSeconds} s); Cluster Autoscaler scans every ${l.caScanSeconds} s and removes nodes unneeded for ${l.caUnneededSeconds} s.`,
    `Queue wait is from sending a request to the receive that completes it; billing stops at the end of the trace (${w.durationSeconds} s).`,
  ];
  for (const pool of w.scenario.pools) {
    const spot = { ...DEFAULT_SPOT, ...pool.spot };
    out.push(
      pool.capacityType === "spot"
        ? `Pool ${pool.name}: spot ${pool.instanceTypes.join("/")}, ${spot.interruptionsPerNodeMonth} interruptions per node-month, ${spot.burstsPerDay} zone bursts per day (${Math.round(spot.burstShare * 100)}% of a zone, then ${spot.shortageSeconds / 60} min without capacity).`
        : `Pool ${pool.name}: on-demand ${pool.instanceTypes.join("/")}${pool.fallback ? " (fallback)" : ""}.`,
    );
  }
  for (const e of w.endpoints)
    out.push(`Endpoint ${e.name}: request cost ${e.costModel}; SLO ${e.profile.sloSeconds} s queue wait.`);
  out.push(
    "Oracle: knows future arrivals, provisions the least capacity a fluid model needs over the coming lead time, frees empty nodes after a minute, prefers spot; it meets the same spot market and runs the same rebalancer core as gpufleet.",
  );
  return out;
}

export async function compare(
  options: ComparisonOptions,
  onProgress?: (progress: ComparisonProgress) => void,
): Promise<ReportData> {
  const seed = options.seed ?? 1;
  const target = options.sloTarget ?? DEFAULT_SLO_TARGET;
  const names: PolicyName[] = options.policies ?? [
    "gpufleet",
    "reactive",
    "predictive-hourly",
    "static-peak",
    "oracle",
  ];
  const workload = buildWorkload(options.scenario, seed, options.sloSeconds);
  // gpufleet and the oracle run the rebalancer, which needs exactly one on-demand fallback pool: say so before any run.
  const withRebalancer = names.filter((n) => n === "gpufleet" || n === "oracle");
  if (withRebalancer.length > 0) {
    try {
      rebalancerConfig(options.scenario.pools.map(({ spot: _spot, ...pool }) => pool));
    } catch (error) {
      throw new ScenarioError(
        `${options.scenario.name}: the ${withRebalancer[0]} policy cannot run: ${isConfigError(error) ? error.lines.join("; ") : (error as Error).message}`,
      );
    }
  }
  const base: Omit<RunOptions, "knob" | "detail"> = {
    seed,
    lifecycle: { ...DEFAULT_LIFECYCLE, ...options.scenario.lifecycle },
    releaseOnSigterm: options.scenario.releaseOnSigterm ?? true,
  };
  const search = options.costAtSlo ?? true;
  let done = 0;
  let total = names.length * (search ? 9 : 1);
  const summaries: PolicySummary[] = [];
  const report: ReportData = {
    title: options.title ?? `gpufleet simulation: ${options.scenario.name}`,
    trace: options.scenario.name,
    durationSeconds: workload.durationSeconds,
    slo: { waitSeconds: workload.endpoints[0]?.profile.sloSeconds ?? 0, target },
    summaries,
    series: [],
    waitHistograms: [],
    costSlo: [],
    notes: notes(workload, { ...base, knob: 1, detail: false }),
  };
  for (const name of names) {
    const factory = POLICIES[name];
    if (!factory) throw new Error(`unknown policy ${name}`);
    const run = (knob: number, detail: boolean) => {
      const r = runPolicy(workload, factory, { ...base, knob, detail });
      done++;
      total = Math.max(total, done);
      onProgress?.({
        policy: name,
        done,
        total,
        message: `${name} knob ${knob.toFixed(3)}: $${r.costUsd.toFixed(2)}, SLO ${(r.sloAttainment * 100).toFixed(2)}%`,
      });
      // Let a caller's timers and stream writes run between runs.
      return r;
    };
    const main = run(1, true);
    await new Promise((resolve) => setImmediate(resolve));
    const outcome = search
      ? searchCostAtSlo((k) => run(k, false), main, target)
      : { costAtSloUsd: null, points: [main] };
    summaries.push({
      name,
      costUsd: main.costUsd,
      gpuHours: main.gpuHours,
      spotShare: main.spotShare,
      sloAttainment: main.sloAttainment,
      p50WaitSeconds: main.p50WaitSeconds,
      p99WaitSeconds: main.p99WaitSeconds,
      lostRequests: main.lostRequests,
      interruptions: main.interruptions,
      costAtSloUsd: search ? outcome.costAtSloUsd : null,
    });
    report.series.push(...main.series);
    report.waitHistograms.push(histogram(name, main.waits));
    const curve: CostSloCurve = {
      policy: name,
      points: outcome.points
        .map((p) => ({ knob: p.knob, costUsd: p.costUsd, sloAttainment: p.sloAttainment }))
        .sort((a, b) => a.knob - b.knob),
    };
    report.costSlo.push(curve);
    total = done + (names.length - names.indexOf(name) - 1) * (search ? 9 : 1);
  }
  return report;
}
