/**
 * A lower bound on the cost of any capacity schedule that serves a workload within the SLO
 * target: no policy, knob or seed of the simulated cluster can be cheaper. It is the
 * optimum of a relaxation, solved exactly per Lagrange multiplier:
 *
 * - capacity is a per-minute amount of GPU (in steps of one time slice, not whole nodes),
 *   billed at the cheapest spot price per GPU of the endpoint's pools, never interrupted;
 * - every increase of capacity is billed for the boot, device plugin, image pull and model
 *   load lead time before it serves, less the two partial minutes at its ends (capacity at
 *   t = 0 is warm, as in every run);
 * - a GPU does at most `concurrencyPerReplica` seconds of work per second (the most the
 *   engine lets it do: one busy replica, no time-slicing overhead);
 * - the SLO binds only through windows inside one minute: requests arriving in [t, t+L)
 *   that wait at most the SLO have started by t + L + SLO, so the minute's capacity must do
 *   their work in L + SLO seconds (fluid FIFO, the fastest any queue can start them);
 * - all work is done eventually (cost at least the work divided by the GPU's throughput);
 * - the miss budget (1 - target) may be spent anywhere: for a multiplier λ, dropping a
 *   request costs λ and the budget is credited back, and max over λ of that dual is a bound
 *   by weak duality. Drops a window needs are counted from below (excess work over its
 *   largest request).
 *
 * The dynamic program runs over minutes and capacity levels; keeping capacity through a
 * dip is allowed, so the lead-time cost of a restart is weighed against the dip.
 */
import type { LifecycleDelays } from "./constants";
import type { EndpointWorkload, Workload } from "./workload";

/** Window lengths (seconds) of the SLO check; only windows that fit in their minute count. */
const WINDOW_SECONDS = [1, 2, 5, 10, 20, 30, 45];
/** Multipliers tried for the dual (USD per dropped request), besides 0. */
const LAMBDAS = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];

export interface BoundPool {
  /** USD per GPU-hour at the pool's (spot or on-demand) price. */
  usdPerGpuHour: number;
  slicesPerGpu: number;
}

interface MinuteWindows {
  /** Per window length: the largest work in a window of that length. */
  work: Float64Array;
  /** The minute's largest request: no drop removes more work than that. */
  largest: number;
}

/** The worst window of each length per minute, from the endpoint's arrivals. */
function minuteWindows(e: EndpointWorkload, minutes: number, slo: number): MinuteWindows[] {
  const out: MinuteWindows[] = Array.from({ length: minutes }, () => ({
    work: new Float64Array(WINDOW_SECONDS.length),
    largest: 0,
  }));
  const t = e.arrivals;
  const w = e.work;
  for (let i = 0; i < t.length; i++) {
    const m = Math.floor((t[i] as number) / 60);
    if (m >= minutes) break;
    const mw = out[m] as MinuteWindows;
    mw.largest = Math.max(mw.largest, w[i] as number);
  }
  WINDOW_SECONDS.forEach((length, k) => {
    if (length + slo > 60) return;
    let j = 0;
    let sum = 0;
    for (let i = 0; i < t.length; i++) {
      const start = t[i] as number;
      const m = Math.floor(start / 60);
      if (m >= minutes) break;
      while (j < t.length && (t[j] as number) < start + length) sum += w[j++] as number;
      const mw = out[m] as MinuteWindows;
      if (start + length + slo <= (m + 1) * 60 && sum > (mw.work[k] as number)) mw.work[k] = sum;
      sum -= w[i] as number;
    }
  });
  return out;
}

/** Requests that must be dropped in a minute for capacity g (GPUs) to meet every window, counted from below. */
function dropsNeeded(mw: MinuteWindows, gpus: number, concurrency: number, slo: number): number {
  let drops = 0;
  for (let k = 0; k < WINDOW_SECONDS.length; k++) {
    const work = mw.work[k] as number;
    if (work <= 0) continue;
    const excess = work - gpus * concurrency * ((WINDOW_SECONDS[k] as number) + slo);
    if (excess > 1e-9) drops = Math.max(drops, Math.ceil(excess / mw.largest - 1e-9));
  }
  return drops;
}

/** For one multiplier: min over schedules of cost + λ·drops (the budget is credited by the caller). */
function penalized(
  windows: MinuteWindows[],
  levels: number,
  step: number,
  usdPerGpuSecond: number,
  startUsdPerGpu: number,
  concurrency: number,
  slo: number,
  lambda: number,
): number {
  let prev = new Float64Array(levels);
  let next = new Float64Array(levels);
  const prefix = new Float64Array(levels);
  const suffix = new Float64Array(levels);
  windows.forEach((mw, m) => {
    // Entering minute m at level g: from g' >= g (scale-down is free) or g' < g (pay the lead time).
    for (let g = levels - 1; g >= 0; g--)
      suffix[g] = Math.min(prev[g] as number, g + 1 < levels ? (suffix[g + 1] as number) : Number.POSITIVE_INFINITY);
    for (let g = 0; g < levels; g++) {
      const viaLower = (prev[g] as number) - g * step * startUsdPerGpu;
      prefix[g] = g > 0 ? Math.min(prefix[g - 1] as number, viaLower) : viaLower;
    }
    for (let g = 0; g < levels; g++) {
      const gpus = g * step;
      const enter =
        m === 0
          ? 0
          : Math.min(suffix[g] as number, g > 0 ? (prefix[g - 1] as number) + gpus * startUsdPerGpu : Infinity);
      next[g] = enter + gpus * 60 * usdPerGpuSecond + lambda * dropsNeeded(mw, gpus, concurrency, slo);
    }
    [prev, next] = [next, prev];
  });
  let best = Number.POSITIVE_INFINITY;
  for (const v of prev) best = Math.min(best, v);
  return best;
}

interface EndpointProblem {
  windows: MinuteWindows[];
  levels: number;
  step: number;
  usdPerGpuSecond: number;
  startUsdPerGpu: number;
  concurrency: number;
  slo: number;
  /** The work bound: all work done at the GPU's full throughput. */
  workUsd: number;
}

function endpointProblem(
  e: EndpointWorkload,
  minutes: number,
  pools: BoundPool[],
  lifecycle: LifecycleDelays,
): EndpointProblem | null {
  if (e.arrivals.length === 0 || pools.length === 0) return null;
  const p = e.profile;
  const usdPerGpuSecond = Math.min(...pools.map((x) => x.usdPerGpuHour)) / 3600;
  const step = 1 / Math.max(...pools.map((x) => x.slicesPerGpu));
  const lead =
    lifecycle.nodeBootSeconds + lifecycle.devicePluginSeconds + lifecycle.imagePullSeconds + p.modelLoadSeconds;
  const windows = minuteWindows(e, minutes, p.sloSeconds);
  let peak = 0;
  for (const mw of windows)
    for (let k = 0; k < WINDOW_SECONDS.length; k++)
      peak = Math.max(
        peak,
        (mw.work[k] as number) / (p.concurrencyPerReplica * ((WINDOW_SECONDS[k] as number) + p.sloSeconds)),
      );
  let totalWork = 0;
  for (const w of e.work) totalWork += w;
  return {
    windows,
    levels: Math.ceil(peak / step) + 2,
    step,
    usdPerGpuSecond,
    // Minutes are billed whole here; a node that serves from inside minute r to inside minute e
    // is billed at least lead + (e - r - 1) minutes, so a start is charged two minutes less.
    startUsdPerGpu: Math.max(0, lead - 120) * usdPerGpuSecond,
    concurrency: p.concurrencyPerReplica,
    slo: p.sloSeconds,
    workUsd: (totalWork / p.concurrencyPerReplica) * usdPerGpuSecond,
  };
}

/**
 * The lower bound of a workload, USD. The miss budget is shared by all endpoints (the SLO
 * target is over all requests), so each multiplier is tried on all endpoints together.
 */
export function lowerBoundUsd(
  w: Workload,
  poolsOf: (endpoint: EndpointWorkload) => BoundPool[],
  lifecycle: LifecycleDelays,
  target: number,
): number {
  const problems = w.endpoints
    .map((e) => endpointProblem(e, w.minutes, poolsOf(e), lifecycle))
    .filter((x): x is EndpointProblem => x !== null);
  const budget = Math.floor((1 - target) * w.time.length + 1e-9);
  let best = 0;
  for (const lambda of [0, ...LAMBDAS]) {
    let value = -lambda * budget;
    for (const q of problems)
      value += penalized(
        q.windows,
        q.levels,
        q.step,
        q.usdPerGpuSecond,
        q.startUsdPerGpu,
        q.concurrency,
        q.slo,
        lambda,
      );
    best = Math.max(best, value);
  }
  let work = 0;
  for (const q of problems) work += q.workUsd;
  return Math.max(best, work);
}
