import { Readable } from "node:stream";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { createHandler, SDK_RETRY } from "../../functions/autoscaler/app";
import type { AutoscalerEnv } from "../../functions/autoscaler/env";
import { ArrivalHistory } from "../../functions/autoscaler/history";
import { healthMetrics } from "../../functions/kit/metrics";
import { resetMoto } from "../support/moto-server";
import { createQueue, fleetConfig, PROFILE, readPredicted, recordingLogger, seedArrivals } from "./autoscaler-support";

/**
 * Fault injection at the transport: the first `failures` requests for `operation` get
 * `status` without reaching the emulator; everything else goes through to it. The SDK's own
 * retry strategy is what is under test.
 */
class FaultyHandler extends NodeHttpHandler {
  calls = 0;
  injected = 0;
  constructor(
    private readonly operation: string,
    private readonly status: number,
    private readonly failures: number,
  ) {
    super();
  }

  override async handle(...[request, options]: Parameters<NodeHttpHandler["handle"]>) {
    const target = String(request.headers["x-amz-target"] ?? request.body ?? "");
    if (target.includes(this.operation)) {
      this.calls++;
      if (this.injected < this.failures) {
        this.injected++;
        const body = this.status === 429 ? '{"__type":"Throttling","message":"Rate exceeded"}' : "";
        return {
          response: {
            statusCode: this.status,
            reason: this.status === 429 ? "Too Many Requests" : "Service Unavailable",
            headers: { "content-type": "application/x-amz-json-1.0" },
            body: Readable.from([body]),
          },
        } as unknown as Awaited<ReturnType<NodeHttpHandler["handle"]>>;
      }
    }
    return super.handle(request, options);
  }
}

const env: AutoscalerEnv = { HISTORY_DAYS: 1, QUEUE_READ_CONCURRENCY: 4 };

describe("the autoscaler handler under throttling and 5xx", () => {
  const seeder = new CloudWatchClient({});
  const plainSqs = new SQSClient({});
  let config: ReturnType<typeof fleetConfig>;

  beforeEach(async () => {
    await resetMoto(inject("awsEndpoint"));
    const queueUrl = await createQueue(plainSqs, "chat-requests");
    await seedArrivals(seeder, "chat-requests", Date.now(), 60, 120);
    config = fleetConfig([
      { name: "chat", queueName: "chat-requests", queueUrl, profile: PROFILE, slicesPerGpu: 1, leadTimeSeconds: 240 },
    ]);
  });

  function run(cloudwatchFaults: FaultyHandler | undefined, sqsFaults: FaultyHandler | undefined, maxAttempts: number) {
    const logger = recordingLogger();
    const emitted: string[] = [];
    const handler = createHandler(
      {
        cloudwatch: new CloudWatchClient({
          ...SDK_RETRY,
          maxAttempts,
          ...(cloudwatchFaults ? { requestHandler: cloudwatchFaults } : {}),
        }),
        sqs: new SQSClient({ ...SDK_RETRY, maxAttempts, ...(sqsFaults ? { requestHandler: sqsFaults } : {}) }),
        logger,
        metrics: healthMetrics("gpufleet-autoscaler", (line) => emitted.push(line)),
        now: () => Date.now(),
        history: new ArrivalHistory(1500),
      },
      config,
      env,
    );
    return { handler, logger, emitted };
  }

  it.each([
    ["GetMetricData throttled twice", "GetMetricData", 429],
    ["PutMetricData answering 503 twice", "PutMetricData", 503],
  ])("%s: retries and publishes", async (_, operation, status) => {
    const faults = new FaultyHandler(operation, status, 2);
    const { handler } = run(faults, undefined, SDK_RETRY.maxAttempts);

    const summary = await handler();

    expect(faults.injected).toBe(2);
    expect(faults.calls).toBeGreaterThan(2);
    expect(summary).toMatchObject({ published: 1, metricReadErrors: 0, held: 0 });
    expect(await readPredicted(seeder, "chat", Date.now())).toEqual([2]);
  });

  it("GetQueueAttributes throttled twice: retries and reads the backlog", async () => {
    const faults = new FaultyHandler("GetQueueAttributes", 429, 2);
    const { handler } = run(undefined, faults, SDK_RETRY.maxAttempts);

    const summary = await handler();

    expect(faults.injected).toBe(2);
    expect(summary).toMatchObject({ published: 1, queueReadErrors: 0, held: 0 });
  });

  it("a queue read that keeps failing holds that endpoint and still publishes", async () => {
    const faults = new FaultyHandler("GetQueueAttributes", 503, 100);
    const { handler, logger, emitted } = run(undefined, faults, 2);

    const summary = await handler();

    expect(faults.injected).toBe(2);
    expect(summary).toMatchObject({ published: 1, queueReadErrors: 1, held: 1 });
    const decision = logger.lines.find((l) => l.message === "decision");
    // Held: no scale-down is possible; the arrivals forecast (2) still raises it above minReplicas (1).
    expect(decision?.extra).toMatchObject({ endpoint: "chat", held: true, replicas: 2 });
    expect(decision?.extra.queueError).toMatch(/\(HTTP 503\)$/);
    expect(JSON.parse(emitted[0] ?? "{}")).toMatchObject({ QueueReadErrors: 1, HeldEndpoints: 1 });
  });

  it("fails the invocation when nothing could be published", async () => {
    const faults = new FaultyHandler("PutMetricData", 503, 100);
    const { handler } = run(faults, undefined, 2);

    await expect(handler()).rejects.toThrow(/^no predicted replicas were published: /);
    expect(faults.injected).toBe(2);
  });
});
