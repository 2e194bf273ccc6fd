/**
 * One unit of a comparison's work, the same in a worker thread and in-process: a run of
 * one policy at one setting and seed, or the lower bound for one seed. Workloads are
 * built per seed and the latest one is kept (jobs come ordered by seed).
 */
import { lowerBoundUsd } from "../bound";
import type { LifecycleDelays } from "../constants";
import { poolPrice, type RunResult, runPolicy } from "../engine/run";
import { POLICIES } from "../policies/index";
import type { Knobs } from "../policies/types";
import type { Scenario } from "../scenario";
import { buildWorkload, type Workload } from "../workload";

export interface JobContext {
  scenario: Scenario;
  sloSeconds?: number;
  lifecycle: LifecycleDelays;
  releaseOnSigterm: boolean;
  sloOnLatency: boolean;
  target: number;
}

export type Job =
  | { kind: "run"; id: number; policy: string; knobs: Knobs; seed: number; detail: boolean }
  | { kind: "bound"; id: number; seed: number };

export type JobResult = { id: number; run: RunResult } | { id: number; boundUsd: number };

export function jobRunner(ctx: JobContext): (job: Job) => JobResult {
  let cached: { seed: number; workload: Workload } | null = null;
  const workloadOf = (seed: number): Workload => {
    if (cached?.seed !== seed) cached = { seed, workload: buildWorkload(ctx.scenario, seed, ctx.sloSeconds) };
    return cached.workload;
  };
  return (job) => {
    const w = workloadOf(job.seed);
    if (job.kind === "bound") {
      const pools = ctx.scenario.pools;
      const boundUsd = lowerBoundUsd(
        w,
        (e) =>
          e.pools.flatMap((name) => {
            const i = pools.findIndex((p) => p.name === name);
            const pool = pools[i];
            if (!pool) return [];
            return [{ usdPerGpuHour: poolPrice(pool, i) / pool.gpusPerNode, slicesPerGpu: pool.slicesPerGpu }];
          }),
        ctx.lifecycle,
        ctx.target,
      );
      return { id: job.id, boundUsd };
    }
    const factory = POLICIES[job.policy];
    if (!factory) throw new Error(`unknown policy ${job.policy}`);
    const run = runPolicy(w, factory, {
      seed: job.seed,
      knobs: job.knobs,
      lifecycle: ctx.lifecycle,
      releaseOnSigterm: ctx.releaseOnSigterm,
      sloOnLatency: ctx.sloOnLatency,
      detail: job.detail,
    });
    return { id: job.id, run };
  };
}
