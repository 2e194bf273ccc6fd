import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { main } from "../../cli/main";
import { connect, type EndpointClient } from "../../client/index";
import type { RequestResult } from "../../functions/contract";
import { capture } from "../support/capture";
import { expectedAnswer, expectedEvent, type ModelServer, startModelServer } from "../support/model-server";
import { resetMoto } from "../support/moto-server";
import {
  buildWorkerBundle,
  createEndpoint,
  type Endpoint,
  eventually,
  queueCounts,
  WorkerProcess,
  workerEnv,
} from "./support/worker-rig";

// One sidecar process, one real model server, the client SDK: how each kind of model answer
// ends up (result, recorded failure, retry, DLQ, streamed parts), readiness, and the CLI.
describe("the worker sidecar with a failing, slow or streaming model", () => {
  const sqs = new SQSClient({});
  const s3 = new S3Client({});
  let model: ModelServer;
  let endpoint: Endpoint;
  let worker: WorkerProcess;
  let client: EndpointClient;

  beforeAll(async () => {
    await resetMoto(inject("awsEndpoint"));
    const bundle = await buildWorkerBundle();
    model = await startModelServer();
    endpoint = await createEndpoint(sqs, s3, "failures", { visibilityTimeoutSeconds: 4, maxReceiveCount: 3 });
    worker = new WorkerProcess(
      bundle,
      [],
      workerEnv(endpoint, model.url, {
        concurrency: 4,
        visibilityTimeoutSeconds: 4,
        maxProcessingSeconds: 30,
        shutdownSeconds: 10,
      }),
    );
    client = connect({ queueUrl: endpoint.queueUrl, resultsUri: endpoint.resultsUri });
  }, 120_000);

  afterAll(async () => {
    worker?.kill("SIGTERM");
    await worker?.exited;
    await model?.close();
  });

  it("retries a request the model answers 500 twice, and writes one result", async () => {
    const id = await client.submit({ n: 360, key: "flaky", failTimes: 2 });
    const result = await client.result(id, { timeoutSeconds: 60 });
    expect(result).toMatchObject({ requestId: id, status: "succeeded", httpStatus: 200, attempt: 3 });
    expect(result.output).toEqual(expectedAnswer(360));
    expect(model.calls.get("flaky")).toBe(3);
    expect(worker.ids("completed").filter((x) => x === id)).toHaveLength(1);
  }, 90_000);

  it("records a 400 as the failed result and never retries it", async () => {
    const id = await client.submit({ n: 7, key: "bad-request", status: 400 });
    const result = await client.result(id, { timeoutSeconds: 60 });
    expect(result).toMatchObject({ requestId: id, status: "failed", httpStatus: 400, attempt: 1 });
    expect(result.output).toEqual({ error: "asked for 400" });
    // Longer than the visibility timeout: a message left undeleted would have come back by now.
    await new Promise((r) => setTimeout(r, 6000));
    expect(model.calls.get("bad-request")).toBe(1);
    expect(await queueCounts(sqs, endpoint.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
  }, 90_000);

  it("moves a message the model can never serve to the DLQ after maxReceiveCount receives, with no result", async () => {
    const id = await client.submit({ n: 11, key: "poison", poison: true });
    const dead = await eventually("the poison message in the DLQ", 60_000, async () => {
      const got = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: endpoint.dlqUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }),
      );
      return got.Messages?.[0];
    });
    expect(JSON.parse(dead.Body ?? "{}")).toMatchObject({ key: "poison" });
    expect(model.calls.get("poison")).toBe(3);
    await expect(
      s3.send(new GetObjectCommand({ Bucket: endpoint.bucket, Key: `failures/${id}/result.json` })),
    ).rejects.toMatchObject({ name: "NoSuchKey" });
  }, 90_000);

  it("publishes a streamed answer's parts in order before the final result", async () => {
    const events = 20;
    const id = await client.submit({ n: 42, streamEvents: events, delayMs: 150 });
    const seen: { part: number; events: unknown[]; resultExisted: boolean }[] = [];
    for await (const part of client.stream(id, { timeoutSeconds: 60 })) {
      const final = await s3
        .send(new GetObjectCommand({ Bucket: endpoint.bucket, Key: `failures/${id}/result.json` }))
        .then(
          () => true,
          () => false,
        );
      seen.push({ part: part.part, events: part.events, resultExisted: final });
    }
    const result: RequestResult = await client.result(id, { timeoutSeconds: 10 });
    const all = Array.from({ length: events }, (_, i) => expectedEvent(42, i));
    expect(result).toMatchObject({ status: "succeeded", streamed: true, parts: seen.length });
    expect(result.output).toEqual(all);
    expect(seen.map((p) => p.part)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.flatMap((p) => p.events)).toEqual(all);
    // A preview: several parts, and the first ones read while the model was still answering.
    expect(seen.length).toBeGreaterThan(3);
    expect(seen[0]?.resultExisted).toBe(false);
  }, 90_000);

  it("is ready only while the model's health route answers", async () => {
    const started = await eventually("the sidecar's health port", 30_000, () =>
      worker.lines.find((l) => l.msg === "started"),
    );
    const readyz = `http://127.0.0.1:${String(started.healthPort)}/readyz`;
    expect((await fetch(readyz)).status).toBe(200);
    model.setReady(false);
    try {
      expect((await fetch(readyz)).status).toBe(503);
    } finally {
      model.setReady(true);
    }
    expect((await fetch(readyz)).status).toBe(200);
  }, 30_000);

  it("keeps a request longer than the visibility timeout hidden, so it runs once", async () => {
    // 9 s of model work against a 4 s visibility timeout: only the extensions keep it from a second receive.
    const id = await client.submit({ n: 97, key: "slow", delayMs: 9000 });
    const result = await client.result(id, { timeoutSeconds: 60 });
    expect(result).toMatchObject({ status: "succeeded", attempt: 1 });
    expect(model.calls.get("slow")).toBe(1);
  }, 90_000);

  it("gpufleet invoke --wait sends a request from the endpoint output and prints its result", async () => {
    const endpointJson = JSON.stringify({ queueUrl: endpoint.queueUrl, resultsUri: endpoint.resultsUri });
    const io = capture();
    try {
      const code = await main([
        "invoke",
        "--endpoint",
        endpointJson,
        "--data",
        '{"n": 1001}',
        "--wait",
        "--timeout",
        "60",
      ]);
      expect(code).toBe(0);
    } finally {
      vi.restoreAllMocks();
    }
    const printed = JSON.parse(io.out()) as RequestResult;
    expect(printed).toMatchObject({ status: "succeeded", output: expectedAnswer(1001) });
    expect(io.err()).toContain(`submitted ${printed.requestId}`);
  }, 90_000);
});
