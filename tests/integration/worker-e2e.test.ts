import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { connect } from "../../client/index";
import { expectedAnswer, type ModelServer, startModelServer } from "../support/model-server";
import { resetMoto } from "../support/moto-server";
import {
  buildWorkerBundle,
  createEndpoint,
  eventually,
  listKeys,
  queueCounts,
  WorkerProcess,
  workerEnv,
} from "./support/worker-rig";

/** Runs `fn` over `items` with at most `width` calls at once. */
async function inBatches<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map(fn))));
  return out;
}

const timeOf = (line: Record<string, unknown>) => Date.parse(String(line.time));

// Real processes end to end: the bundled sidecar (two of them), a real model server, the
// client SDK, SQS and S3 on the AWS API peer.
describe("the worker sidecar under load and shutdown", () => {
  const sqs = new SQSClient({});
  const s3 = new S3Client({});
  let bundle: string;
  let model: ModelServer;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    bundle = await buildWorkerBundle();
  }, 60_000);

  beforeEach(async () => {
    await resetMoto(inject("awsEndpoint"));
    model = await startModelServer();
  });

  afterEach(async () => {
    for (const w of workers.splice(0)) {
      w.kill("SIGKILL");
      await w.exited;
    }
    await model.close();
  });

  it("serves 500 requests on two sidecars, one stopped by SIGTERM mid-flight: one correct result per request", async () => {
    const settings = { concurrency: 4, visibilityTimeoutSeconds: 10, maxProcessingSeconds: 30, shutdownSeconds: 10 };
    const endpoint = await createEndpoint(sqs, s3, "load", { visibilityTimeoutSeconds: 10, maxReceiveCount: 5 });
    const env = workerEnv(endpoint, model.url, settings);
    const [a, b] = [new WorkerProcess(bundle, [], env), new WorkerProcess(bundle, [], env)] as const;
    workers.push(a, b);
    const client = connect({ queueUrl: endpoint.queueUrl, resultsUri: endpoint.resultsUri });

    const ns = Array.from({ length: 500 }, (_, i) => 1_000_003 + i * 7919);
    // Every 25th request takes 8 s, the rest 10 ms: a slow one is what A holds when it is
    // stopped. 8 s leaves the test seconds between seeing it in flight and the SIGTERM, even
    // when the machine is busy and the log lines arrive late.
    const slow = new Set(ns.filter((_, i) => i % 25 === 24).map((n) => `n-${n}`));
    const ids = await inBatches(ns, 20, (n) =>
      client.submit({ n, delayMs: slow.has(`n-${n}`) ? 8000 : 10 }, { dedupId: `n-${n}` }),
    );

    // Mid-flight: A has done some work and has just received a slow request.
    await eventually("sidecar A holding a slow request after 100 completions", 120_000, () =>
      a.ids("completed").length >= 100 && a.inFlight().some((id) => slow.has(id)) ? true : undefined,
    );
    a.kill("SIGTERM");
    expect(await a.exited).toBe(0);
    const released = a.ids("released");
    // With a 10 s budget and 30 s requests nothing is expected to finish in time: all is released.
    expect(released.length).toBeGreaterThan(0);
    expect(a.inFlight()).toEqual([]);

    const prefix = "load/";
    const keys = await eventually("500 results", 180_000, async () => {
      const k = await listKeys(s3, endpoint.bucket, prefix);
      return k.length >= 500 ? k : undefined;
    });
    expect(keys.sort()).toEqual(ids.map((id) => `${prefix}${id}/result.json`).sort());
    const results = await inBatches(ids, 20, (id) => client.result(id, { timeoutSeconds: 10 }));
    results.forEach((r, i) => {
      expect(r).toMatchObject({ requestId: ids[i], status: "succeeded", httpStatus: 200, streamed: false });
      expect(r.output).toEqual(expectedAnswer(ns[i] as number));
    });

    // One result object per request, whoever wrote it: SQS delivers at least once (the emulator,
    // like SQS, may hand one message to both sidecars), and a repeat overwrites the same key.
    const completions = [...a.ids("completed"), ...b.ids("completed")];
    expect([...new Set(completions)].sort()).toEqual([...ids].sort());
    // A's released requests were received again and finished by B.
    const byB = new Set(b.ids("completed"));
    for (const id of released) {
      expect(byB.has(id)).toBe(true);
      expect(results[ids.indexOf(id)]?.attempt).toBeGreaterThanOrEqual(2);
    }
    expect(await queueCounts(sqs, endpoint.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
    expect(await queueCounts(sqs, endpoint.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
  }, 300_000);

  it("gets a SIGKILLed sidecar's requests back after the visibility timeout and finishes them on another", async () => {
    const visibilityTimeoutSeconds = 4;
    const settings = { concurrency: 4, visibilityTimeoutSeconds, maxProcessingSeconds: 30, shutdownSeconds: 10 };
    const endpoint = await createEndpoint(sqs, s3, "killed", { visibilityTimeoutSeconds, maxReceiveCount: 5 });
    const env = workerEnv(endpoint, model.url, settings);
    const client = connect({ queueUrl: endpoint.queueUrl, resultsUri: endpoint.resultsUri });
    const ns = [101, 202, 303, 404];
    const ids = await Promise.all(ns.map((n) => client.submit({ n, delayMs: 2500 })));

    const c = new WorkerProcess(bundle, [], env);
    workers.push(c);
    await eventually("all four requests in flight on C", 60_000, () => (c.inFlight().length === 4 ? true : undefined));
    c.kill("SIGKILL");
    await c.exited;
    expect(c.ids("completed")).toEqual([]);

    const d = new WorkerProcess(bundle, [], env);
    workers.push(d);
    const results = await Promise.all(ids.map((id) => client.result(id, { timeoutSeconds: 60 })));
    results.forEach((r, i) => {
      expect(r).toMatchObject({ status: "succeeded", attempt: 2 });
      expect(r.output).toEqual(expectedAnswer(ns[i] as number));
    });
    // Nothing released them: they came back only once C's last visibility extension ran out.
    const receivedByC = new Map(c.lines.filter((l) => l.msg === "received").map((l) => [l.requestId, timeOf(l)]));
    for (const l of d.lines.filter((x) => x.msg === "received")) {
      expect(timeOf(l) - (receivedByC.get(l.requestId) as number)).toBeGreaterThanOrEqual(
        visibilityTimeoutSeconds * 1000 - 250,
      );
    }
    expect(d.ids("completed").sort()).toEqual([...ids].sort());
  }, 120_000);
});
