import { GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import type { RebalancerState } from "../../functions/rebalancer/core";
import { resetMoto } from "../support/moto-server";
import {
  ACCOUNT,
  clients,
  createWorld,
  eventBody,
  groupState,
  OD_ASG,
  pump,
  runtimeConfig,
  SPOT_ASG,
  send,
  TABLE,
  writeConfigFile,
} from "./support/rebalancer-world";

// Health halves every second and ten quiet seconds count as stable, so a warning stamped
// two minutes ago is history by now and the migration back can be played without waiting.
const config = { ...runtimeConfig, tunables: { healthHalfLifeSeconds: 1, stableSeconds: 10 } };
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe("the rebalancer Lambda against the AWS API emulator", () => {
  const c = clients();
  let queueUrl: string;
  let dlqUrl: string;
  type Handler = (event: unknown) => Promise<unknown>;
  let handler: Handler;
  const sqsHandler = (event: SQSEvent) =>
    handler(event) as Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
  // EventBridge Scheduler sends the target's input, none here: the handler sees an event without Records.
  const tick = () => handler({});

  async function state(): Promise<RebalancerState> {
    const item = await c.dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: "state" } } }));
    return JSON.parse(item.Item?.state?.S ?? "null");
  }

  beforeAll(async () => {
    // The real handler module: it reads its environment and configuration file at import, as
    // at a cold start, and its module-scope clients reach the emulator through AWS_ENDPOINT_URL.
    process.env.TABLE_NAME = TABLE;
    process.env.CONFIG_FILE = writeConfigFile(config);
    ({ handler } = (await import("../../functions/rebalancer/handler.js")) as { handler: Handler });
  });

  beforeEach(async () => {
    await resetMoto(inject("awsEndpoint"));
    ({ queueUrl, dlqUrl } = await createWorld(c));
  });

  it("raises the fallback group for a warned spot node and records state and the event claim", async () => {
    const [victim] = (await groupState(c, SPOT_ASG)).instanceIds;
    await send(c, queueUrl, [eventBody("warning", "evt-1", victim as string)]);

    expect(await pump(c, queueUrl, sqsHandler)).toEqual({ received: 1, failed: 0 });

    expect(await groupState(c, OD_ASG)).toMatchObject({ desired: 1, min: 0, max: 6 });
    expect(await groupState(c, SPOT_ASG)).toMatchObject({ desired: 4, min: 0, max: 10 });
    expect((await state()).pools["spot-a"]?.borrowed).toBe(1);
    const claim = await c.dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: "event#evt-1" } } }));
    expect(Number(claim.Item?.expiresAt?.N)).toBeGreaterThan(Date.now() / 1000 + 23 * 3600);
  });

  it("acts once on a duplicate event, in one batch or delivered again later", async () => {
    const [victim] = (await groupState(c, SPOT_ASG)).instanceIds;
    const body = eventBody("warning", "evt-dup", victim as string);
    await send(c, queueUrl, [body, body]);
    await pump(c, queueUrl, sqsHandler);
    await send(c, queueUrl, [body]);
    await pump(c, queueUrl, sqsHandler);

    expect((await groupState(c, OD_ASG)).desired).toBe(1);
  });

  it("acknowledges events for instances outside the cluster's pools and changes nothing", async () => {
    await send(c, queueUrl, [
      eventBody("warning", "evt-foreign", "i-0123456789abcdef0"),
      eventBody("launch-failure", "evt-asg", "other-asg"),
    ]);

    expect(await pump(c, queueUrl, sqsHandler)).toEqual({ received: 2, failed: 0 });
    expect((await groupState(c, OD_ASG)).desired).toBe(0);
    const attributes = await c.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    expect(attributes.Attributes).toMatchObject({
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesNotVisible: "0",
    });
  });

  it("reports a malformed event as a failure until the queue moves it to the DLQ, without failing its batch", async () => {
    const [victim] = (await groupState(c, SPOT_ASG)).instanceIds;
    await send(c, queueUrl, [
      '{"detail-type":"EC2 Spot Instance Interruption Warning"',
      eventBody("warning", "evt-ok", victim as string),
    ]);

    const first = await pump(c, queueUrl, sqsHandler);
    const second = await pump(c, queueUrl, sqsHandler);
    const third = await pump(c, queueUrl, sqsHandler);

    expect(first).toEqual({ received: 2, failed: 1 });
    expect(second).toEqual({ received: 1, failed: 1 });
    expect(third).toEqual({ received: 0, failed: 0 });
    const dlq = await c.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
    );
    expect(dlq.Attributes?.ApproximateNumberOfMessages).toBe("1");
    expect((await groupState(c, OD_ASG)).desired).toBe(1);
  });

  it("takes a warning that arrives after its instance was terminated without harm", async () => {
    const [victim] = (await groupState(c, SPOT_ASG)).instanceIds;
    await c.ec2.send(new TerminateInstancesCommand({ InstanceIds: [victim as string] }));
    await send(c, queueUrl, [eventBody("warning", "evt-late", victim as string, minutesAgo(3))]);

    expect(await pump(c, queueUrl, sqsHandler)).toEqual({ received: 1, failed: 0 });
    expect((await groupState(c, OD_ASG)).desired).toBeLessThanOrEqual(1);
    expect((await groupState(c, SPOT_ASG)).desired).toBe(4);
  });

  it("migrates back make-before-break on the tick once the spot pool is stable", async () => {
    const [victim] = (await groupState(c, SPOT_ASG)).instanceIds;
    await send(c, queueUrl, [eventBody("warning", "evt-old", victim as string, minutesAgo(2))]);
    await pump(c, queueUrl, sqsHandler);
    expect((await groupState(c, OD_ASG)).desired).toBe(1);

    await tick();
    expect((await groupState(c, SPOT_ASG)).desired).toBe(5);
    expect((await groupState(c, OD_ASG)).desired).toBe(1);
    expect((await state()).step).toMatchObject({ pool: "spot-a", baseInService: 4, spotDesired: 5 });

    await tick();
    expect((await groupState(c, OD_ASG)).desired).toBe(0);
    expect((await groupState(c, SPOT_ASG)).desired).toBe(5);
    expect((await state()).step).toBeNull();
    expect((await state()).pools["spot-a"]?.borrowed).toBe(0);
  });

  it("records a launch failure in the pool's health", async () => {
    await send(c, queueUrl, [eventBody("launch-failure", "evt-ice", SPOT_ASG)]);
    await pump(c, queueUrl, sqsHandler);

    // The emulator launches every instance it is asked for, so there is no pending share to move.
    expect((await groupState(c, SPOT_ASG)).desired).toBe(4);
    expect((await state()).pools["spot-a"]?.score).toBeGreaterThanOrEqual(2.5);
    const items = await c.dynamodb.send(new ScanCommand({ TableName: TABLE }));
    expect(items.Items?.map((i) => i.pk?.S).sort()).toEqual(["event#evt-ice", "state"]);
  });

  it("acknowledges and counts events of another account or region, and changes nothing", async () => {
    const [victim] = (await groupState(c, SPOT_ASG)).instanceIds;
    await send(c, queueUrl, [
      eventBody("warning", "evt-other-account", victim as string, undefined, {
        account: "999999999999",
        region: "eu-west-1",
      }),
      eventBody("warning", "evt-other-region", victim as string, undefined, { account: ACCOUNT, region: "eu-west-1" }),
      eventBody("launch-failure", "evt-other-asg-account", SPOT_ASG, undefined, {
        account: "999999999999",
        region: "us-east-1",
      }),
    ]);

    expect(await pump(c, queueUrl, sqsHandler)).toEqual({ received: 3, failed: 0 });

    expect(await groupState(c, OD_ASG)).toMatchObject({ desired: 0 });
    expect(await groupState(c, SPOT_ASG)).toMatchObject({ desired: 4 });
    const items = await c.dynamodb.send(new ScanCommand({ TableName: TABLE }));
    expect(items.Items ?? []).toEqual([]);
  });

  it("answers an invocation with null or empty records with a valid response, acting on the real ones", async () => {
    const [victim] = (await groupState(c, SPOT_ASG)).instanceIds;
    const real = { messageId: "m-real", body: eventBody("warning", "evt-beside-junk", victim as string) };

    const result = await sqsHandler({ Records: [null, {}, { messageId: "" }, real] } as unknown as SQSEvent);

    expect(result).toEqual({ batchItemFailures: [] });
    expect((await groupState(c, OD_ASG)).desired).toBe(1);
  });
});
