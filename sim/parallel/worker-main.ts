import { parentPort, workerData } from "node:worker_threads";
import { type Job, type JobContext, jobRunner } from "./job";

const run = jobRunner(workerData as JobContext);
parentPort?.on("message", (job: Job) => {
  try {
    parentPort?.postMessage({ ok: true, result: run(job) });
  } catch (error) {
    parentPort?.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
