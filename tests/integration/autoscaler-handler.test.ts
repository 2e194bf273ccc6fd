import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DeleteQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { TIME_SLICE_OVERHEAD } from "../../functions/contract";
import { resetMoto } from "../support/moto-server";
import {
  createQueue,
  fleetConfig,
  PROFILE,
  readPredicted,
  seedArrivals,
  sendMessages,
  writeFleetConfig,
} from "./autoscaler-support";

// The real handler module: module-scope clients reach the emulator through AWS_ENDPOINT_URL,
// and fleet.json comes from CONFIG_FILE, as in a deployed function.
describe("the autoscaler handler against the AWS API peer", () => {
  const sqs = new SQSClient({});
  const cloudwatch = new CloudWatchClient({});
  let handler: () => Promise<unknown>;
  let chatUrl: string;
  const started = Date.now();

  beforeAll(async () => {
    await resetMoto(inject("awsEndpoint"));
    chatUrl = await createQueue(sqs, "chat-requests");
    const idleUrl = await createQueue(sqs, "idle-requests");
    await seedArrivals(cloudwatch, "chat-requests", started, 120, 120);
    await sendMessages(sqs, chatUrl, 30);
    process.env.CONFIG_FILE = writeFleetConfig(
      fleetConfig([
        {
          name: "chat",
          queueName: "chat-requests",
          queueUrl: chatUrl,
          profile: PROFILE,
          slicesPerGpu: 2,
          leadTimeSeconds: 240,
        },
        {
          name: "idle",
          queueName: "idle-requests",
          queueUrl: idleUrl,
          profile: { ...PROFILE, minReplicas: 2 },
          slicesPerGpu: 1,
          leadTimeSeconds: 240,
        },
      ]),
    );
    process.env.HISTORY_DAYS = "1";
    ({ handler } = await import("../../functions/autoscaler/handler.js"));
  });

  it("reads arrivals and backlog, and publishes the predicted replicas KEDA reads", async () => {
    const summary = await handler();

    expect(summary).toEqual({
      endpoints: 2,
      held: 1,
      published: 2,
      publishFailed: 0,
      queueReadErrors: 0,
      metricReadErrors: 0,
    });
    // chat: 120 req/min with a Poisson p75 margin, plus 30 visible messages drained in the 30 s SLO,
    // on replicas that get (1 - overhead) / 2 of a GPU each: 4 requests at 2 s -> 0.95 req/s, planned at 100%.
    const peak = (120 + 0.6745 * Math.sqrt(120)) / 60;
    const perReplica = (4 * (1 - TIME_SLICE_OVERHEAD)) / 2 / 2;
    const expected = Math.ceil((peak + 30 / 30) / perReplica);
    expect(expected).toBe(4);
    expect(await readPredicted(cloudwatch, "chat", Date.now())).toEqual([expected]);
    // idle: no arrivals metric at all, so the core holds at minReplicas and says so.
    expect(await readPredicted(cloudwatch, "idle", Date.now())).toEqual([2]);
  });

  it("holds the value it published when a queue cannot be read, and decides the others", async () => {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: chatUrl }));

    const summary = await handler();

    expect(summary).toMatchObject({ endpoints: 2, held: 2, published: 2, queueReadErrors: 1 });
    // Without reading its own metric back the hold would fall to minReplicas (1). The two
    // ticks may fall in two different minutes, so every minute's value is checked.
    const chat = await readPredicted(cloudwatch, "chat", Date.now());
    expect(chat.length).toBeGreaterThan(0);
    expect(chat.every((replicas) => replicas === 4)).toBe(true);
    const idle = await readPredicted(cloudwatch, "idle", Date.now());
    expect(idle.length).toBeGreaterThan(0);
    expect(idle.every((replicas) => replicas === 2)).toBe(true);
  });
});
