/**
 * Worker sidecar benchmark (not a test): what the sidecar adds to each request. Runs the
 * bundled sidecar as a child process against the AWS API emulator and a local model server
 * that answers at once, and compares with calling the model directly.
 *
 * Run: npx tsx bench/worker.ts [--requests N] [--concurrency C]   (needs `npm run setup:peer`)
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { connect } from "../client/index";
import {
  buildWorkerBundle,
  createEndpoint,
  eventually,
  WorkerProcess,
  workerEnv,
} from "../tests/integration/support/worker-rig";
import { startModelServer } from "../tests/support/model-server";
import { startMotoServer } from "../tests/support/moto-server";

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
}

const fmt = (xs: number[]) => `p50 ${quantile(xs, 0.5).toFixed(1)} ms, p99 ${quantile(xs, 0.99).toFixed(1)} ms`;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { requests: { type: "string", default: "1000" }, concurrency: { type: "string", default: "4" } },
  });
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(requests) || requests < 10) throw new Error(`--requests (${values.requests}) must be >= 10`);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error(`--concurrency (${values.concurrency}) must be >= 1`);

  const moto = await startMotoServer();
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  process.env.AWS_REGION = "us-east-1";
  process.env.AWS_ACCESS_KEY_ID = "bench";
  process.env.AWS_SECRET_ACCESS_KEY = "bench";
  const model = await startModelServer();
  const sqs = new SQSClient({});
  const s3 = new S3Client({});
  let worker: WorkerProcess | undefined;
  try {
    // Direct: the same requests, same concurrency, straight to the model.
    const direct: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests) {
          const n = 1_000_003 + next++;
          const t0 = performance.now();
          const res = await fetch(`${model.url}/invocations`, { method: "POST", body: JSON.stringify({ n }) });
          await res.text();
          direct.push(performance.now() - t0);
        }
      }),
    );

    const endpoint = await createEndpoint(sqs, s3, "bench", { visibilityTimeoutSeconds: 30, maxReceiveCount: 5 });
    const client = connect({ queueUrl: endpoint.queueUrl, resultsUri: endpoint.resultsUri });
    process.stderr.write(`bench: sending ${requests} requests\n`);
    // Queue everything first, so the sidecar's figures are not limited by how fast we send.
    for (let i = 0; i < requests; i += 20)
      await Promise.all(
        Array.from({ length: Math.min(20, requests - i) }, (_, j) =>
          client.submit({ n: 2_000_003 + i + j }, { dedupId: `b-${i + j}` }),
        ),
      );
    const bundle = await buildWorkerBundle();
    worker = new WorkerProcess(
      bundle,
      [],
      workerEnv(endpoint, model.url, {
        concurrency,
        visibilityTimeoutSeconds: 30,
        maxProcessingSeconds: 30,
        shutdownSeconds: 10,
      }),
    );
    const w = worker;
    await eventually("the sidecar receiving", 60_000, () =>
      w.lines.some((l) => l.msg === "receiving") ? true : undefined,
    );
    const pid = w.pid as number;
    const cpuBefore = cpuSeconds(pid);
    const t0 = performance.now();
    process.stderr.write("bench: sidecar draining the queue\n");
    await eventually("every request completed", 600_000, () =>
      w.ids("completed").length >= requests ? true : undefined,
    );
    const wallSeconds = (performance.now() - t0) / 1000;
    const cpuAfter = cpuSeconds(pid);

    const done = w.lines.filter((l) => l.msg === "completed");
    const viaSidecar = done.map((l) => Number(l.modelMillis));
    const total = done.map((l) => Number(l.millis));
    const added = done.map((l) => Number(l.millis) - Number(l.modelMillis));
    const lines = [
      `requests ${requests}, concurrency ${concurrency}, model answers at once (no model work)`,
      `model called directly:           ${fmt(direct)}`,
      `model called by the sidecar:     ${fmt(viaSidecar)}`,
      `sidecar receipt to delete:       ${fmt(total)}`,
      `added by the sidecar (per req):  ${fmt(added)}  (result PUT + DeleteMessage + forwarding)`,
      `throughput:                      ${(requests / wallSeconds).toFixed(0)} requests/s`,
      cpuBefore !== undefined && cpuAfter !== undefined
        ? `sidecar CPU:                     ${(((cpuAfter - cpuBefore) * 1000) / requests).toFixed(2)} ms per request`
        : "sidecar CPU:                     n/a (needs /proc)",
    ];
    console.log(lines.join("\n"));
  } finally {
    worker?.kill("SIGTERM");
    await worker?.exited;
    await model.close();
    await moto.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench/worker: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
