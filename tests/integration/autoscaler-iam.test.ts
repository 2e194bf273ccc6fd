import { CloudWatchClient, ListMetricsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { autoscalerPolicyDocument } from "../../components/fleet-control/autoscaler-policy";
import { createHandler, SDK_RETRY } from "../../functions/autoscaler/app";
import { ArrivalHistory } from "../../functions/autoscaler/history";
import { healthMetrics } from "../../functions/kit/metrics";
import { createUserWithPolicy } from "../support/iam";
import { type MotoServer, startMotoServer } from "../support/moto-server";
import { createQueue, fleetConfig, PROFILE, readPredicted, recordingLogger, seedArrivals } from "./autoscaler-support";

/*
 * What moto 5 enforces once INITIAL_NO_AUTH_ACTION_COUNT is used up (moto/iam/access_control.py):
 * - the SigV4 signature and the access key;
 * - the Action of every request, for every service;
 * - the Resource for SQS (the queue's ARN); other services are checked against "*", so a
 *   statement scoped to specific ARNs does not match their actions;
 * - Conditions only where the request supplies context values, which CloudWatch requests do
 *   not: the cloudwatch:namespace condition is not evaluated here (the component test checks
 *   that the document carries it).
 * - Actions under the SigV4 signing name of the service: CloudWatch signs as "monitoring",
 *   so moto checks "monitoring:PutMetricData" where IAM checks "cloudwatch:PutMetricData".
 *   The user therefore gets the component's document with that one prefix renamed.
 * - Denials come back as an XML AccessDenied with HTTP 403, which the JSON-protocol clients
 *   cannot parse: the tests assert the status code.
 * The assertions below stay within that.
 */
const ACCOUNT = "123456789012";
const region = "us-east-1";

const SETUP_ACTIONS = 6; // 2 x CreateQueue, 1 x PutMetricData, CreateUser, PutUserPolicy, CreateAccessKey

describe("the autoscaler with exactly the component's policy (IAM enforced)", () => {
  let server: MotoServer;
  let credentials: { accessKeyId: string; secretAccessKey: string };
  let chatUrl: string;
  let otherUrl: string;
  const asUser = <T>(make: (config: object) => T): T =>
    make({ endpoint: server.endpoint, region, credentials, ...SDK_RETRY, maxAttempts: 1 });

  beforeAll(async () => {
    server = await startMotoServer({ initialNoAuthActionCount: SETUP_ACTIONS });
    const admin = { endpoint: server.endpoint, region };
    const sqs = new SQSClient(admin);
    chatUrl = await createQueue(sqs, "chat-requests");
    otherUrl = await createQueue(sqs, "not-an-endpoint");
    await seedArrivals(new CloudWatchClient(admin), "chat-requests", Date.now(), 60, 120);
    const policy = autoscalerPolicyDocument(
      [`arn:aws:sqs:${region}:${ACCOUNT}:chat-requests`],
      `arn:aws:logs:${region}:${ACCOUNT}:log-group:/aws/lambda/autoscaler`,
      `arn:aws:sqs:${region}:${ACCOUNT}:autoscaler-dlq`,
    );
    credentials = await createUserWithPolicy(
      server.endpoint,
      "autoscaler",
      JSON.stringify(policy)
        .replaceAll('"cloudwatch:PutMetricData"', '"monitoring:PutMetricData"')
        .replaceAll('"cloudwatch:GetMetricData"', '"monitoring:GetMetricData"'),
    );
    expect(credentials.accessKeyId).toMatch(/^AKIA/);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("runs a full tick: reads the queue and metrics, publishes the prediction", async () => {
    const logger = recordingLogger();
    const handler = createHandler(
      {
        cloudwatch: asUser((c) => new CloudWatchClient(c)),
        sqs: asUser((c) => new SQSClient(c)),
        logger,
        metrics: healthMetrics("gpufleet-autoscaler", () => undefined),
        now: () => Date.now(),
        history: new ArrivalHistory(1500),
      },
      fleetConfig([
        {
          name: "chat",
          queueName: "chat-requests",
          queueUrl: chatUrl,
          profile: PROFILE,
          slicesPerGpu: 1,
          leadTimeSeconds: 240,
        },
      ]),
      { HISTORY_DAYS: 1, QUEUE_READ_CONCURRENCY: 2 },
    );

    const summary = await handler();

    expect(summary).toEqual({
      endpoints: 1,
      held: 0,
      published: 1,
      publishFailed: 0,
      queueReadErrors: 0,
      metricReadErrors: 0,
    });
    expect(
      await readPredicted(
        asUser((c) => new CloudWatchClient(c)),
        "chat",
        Date.now(),
      ),
    ).toEqual([2]);
  });

  it("is denied GetQueueAttributes on a queue that is not an endpoint's", async () => {
    const sqs = asUser((c) => new SQSClient(c));

    await expect(
      sqs.send(new GetQueueAttributesCommand({ QueueUrl: otherUrl, AttributeNames: ["ApproximateNumberOfMessages"] })),
    ).rejects.toMatchObject({ $response: { statusCode: 403 } });
  });

  it.each([
    [
      "sqs:SendMessage",
      () => asUser((c) => new SQSClient(c)).send(new SendMessageCommand({ QueueUrl: chatUrl, MessageBody: "x" })),
    ],
    ["cloudwatch:ListMetrics", () => asUser((c) => new CloudWatchClient(c)).send(new ListMetricsCommand({}))],
  ])("is denied %s, which the policy does not grant", async (_, call) => {
    await expect(call()).rejects.toMatchObject({ $response: { statusCode: 403 } });
  });

  it("the emulator really enforces: the same call with no policy behind the key fails", async () => {
    const stranger = new CloudWatchClient({
      endpoint: server.endpoint,
      region,
      credentials: { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "nope" },
      maxAttempts: 1,
    });

    await expect(
      stranger.send(new PutMetricDataCommand({ Namespace: "gpufleet", MetricData: [{ MetricName: "x", Value: 1 }] })),
    ).rejects.toMatchObject({ $response: { statusCode: 403 } });
  });
});
