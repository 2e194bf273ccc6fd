/**
 * Runs a comparison's jobs on worker threads (one per core by default), or in-process for
 * one worker. Results come back in job order; a job that throws fails the whole batch.
 */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { type Job, type JobContext, type JobResult, jobRunner } from "./job";

/** Worker threads a comparison uses by default: every core (the bench machine has two). */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

export async function runJobs(
  ctx: JobContext,
  jobs: readonly Job[],
  workers: number,
  onResult: (result: JobResult, job: Job) => void,
): Promise<JobResult[]> {
  const results: JobResult[] = new Array(jobs.length);
  if (workers <= 1 || jobs.length <= 1) {
    const run = jobRunner(ctx);
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i] as Job;
      results[i] = run(job);
      onResult(results[i] as JobResult, job);
      // Let a caller's timers and stream writes run between runs.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return results;
  }
  let next = 0;
  const threads = Array.from(
    { length: Math.min(workers, jobs.length) },
    () => new Worker(join(__dirname, "worker.cjs"), { workerData: ctx }),
  );
  try {
    await Promise.all(
      threads.map(
        (thread) =>
          new Promise<void>((resolve, reject) => {
            let current = -1;
            const feed = () => {
              if (next >= jobs.length) {
                resolve();
                return;
              }
              current = next++;
              thread.postMessage(jobs[current]);
            };
            thread.on("message", (m: { ok: true; result: JobResult } | { ok: false; error: string }) => {
              if (!m.ok) {
                reject(new Error(m.error));
                return;
              }
              results[current] = m.result;
              onResult(m.result, jobs[current] as Job);
              feed();
            });
            thread.on("error", reject);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  return results;
}
