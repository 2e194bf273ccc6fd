import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
} from "@aws-sdk/client-auto-scaling";
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { CreateLaunchTemplateCommand, DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { silentLog } from "../../../functions/kit/log";
import { autoScalingGroupControl } from "../../../functions/rebalancer/autoscaling";
import { autoScalingInstanceDirectory } from "../../../functions/rebalancer/instances";
import type { ServiceDeps } from "../../../functions/rebalancer/service";
import { parseRuntimeConfig, type RuntimeConfig } from "../../../functions/rebalancer/settings";
import { dynamoStateStore } from "../../../functions/rebalancer/state-store";
import { onDemandFallbackPool } from "../../../sim/pools";
import { spotPool } from "../../support/rebalancer-pools";

export const TABLE = "gpufleet-rebalancer-test";
export const SPOT_ASG = "eks-gpu-spot-a-asg";
export const OD_ASG = "eks-gpu-od-asg";

export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";

export const runtimeConfig: RuntimeConfig = {
  clusterName: "demo",
  accountId: ACCOUNT,
  region: REGION,
  pools: [
    { ...spotPool("spot-a", 1, 10), asgNames: [SPOT_ASG] },
    { ...onDemandFallbackPool("od", 6), asgNames: [OD_ASG] },
  ],
};

/** Writes the pool configuration file the bundled Lambda would carry. */
export function writeConfigFile(config: RuntimeConfig = runtimeConfig): string {
  const dir = mkdtempSync(join(tmpdir(), "rebalancer-"));
  const path = join(dir, "rebalancer-config.json");
  writeFileSync(path, JSON.stringify(config));
  return path;
}

export interface Clients {
  ec2: EC2Client;
  autoscaling: AutoScalingClient;
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
}

/** Endpoint and credentials for a second emulator; by default the clients read the environment. */
export interface ClientOptions {
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function clients(options: ClientOptions = {}): Clients {
  const o = { region: "us-east-1", ...options };
  return {
    ec2: new EC2Client(o),
    autoscaling: new AutoScalingClient(o),
    dynamodb: new DynamoDBClient(o),
    sqs: new SQSClient(o),
  };
}

/**
 * The service's dependencies over these clients, wired as the handler wires them (real
 * adapters, the world's config and table, the wall clock), silent; `overrides` names the
 * invocation and changes what a test needs changed.
 */
export function emulatorServiceDeps(
  c: Clients,
  overrides: Pick<ServiceDeps, "owner"> & Partial<ServiceDeps>,
): ServiceDeps {
  return {
    loaded: parseRuntimeConfig(JSON.stringify(runtimeConfig), "test"),
    directory: autoScalingInstanceDirectory(c.autoscaling),
    groups: autoScalingGroupControl(c.autoscaling),
    store: dynamoStateStore(c.dynamodb, TABLE),
    log: silentLog,
    metrics: { publish: () => undefined },
    clock: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    leaseMs: 60_000,
    leaseWaitMs: 5_000,
    claimTtlSeconds: 86_400,
    ...overrides,
  };
}

/** Two node-group ASGs with instances from a launch template, the state table and the queue with its DLQ. */
export async function createWorld(c: Clients, maxReceiveCount = 2) {
  await c.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: "gpu",
      LaunchTemplateData: { ImageId: "ami-12c6146b", InstanceType: "g5.xlarge" },
    }),
  );
  const subnets = await c.ec2.send(new DescribeSubnetsCommand({}));
  const subnet = subnets.Subnets?.[0]?.SubnetId as string;
  for (const [name, desired, max] of [
    [SPOT_ASG, 4, 10],
    [OD_ASG, 0, 6],
  ] as const) {
    await c.autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        LaunchTemplate: { LaunchTemplateName: "gpu", Version: "$Latest" },
        MinSize: 0,
        MaxSize: max,
        DesiredCapacity: desired,
        VPCZoneIdentifier: subnet,
      }),
    );
  }
  await c.dynamodb.send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  await c.dynamodb.send(
    new UpdateTimeToLiveCommand({
      TableName: TABLE,
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
    }),
  );
  const dlq = await c.sqs.send(new CreateQueueCommand({ QueueName: "rebalancer-dlq" }));
  const dlqArn = (
    await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }))
  ).Attributes?.QueueArn as string;
  const queue = await c.sqs.send(
    new CreateQueueCommand({
      QueueName: "rebalancer-events",
      Attributes: {
        VisibilityTimeout: "30",
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
      },
    }),
  );
  return { queueUrl: queue.QueueUrl as string, dlqUrl: dlq.QueueUrl as string };
}

export async function groupState(c: Clients, name: string) {
  const out = await c.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  const g = out.AutoScalingGroups?.[0];
  return {
    desired: g?.DesiredCapacity,
    min: g?.MinSize,
    max: g?.MaxSize,
    instanceIds: (g?.Instances ?? []).map((i) => i.InstanceId as string),
  };
}

export async function send(c: Clients, queueUrl: string, bodies: string[]): Promise<void> {
  for (const body of bodies) await c.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
}

/**
 * Plays the part of Lambda's SQS event source mapping: receives a batch, invokes the
 * handler, deletes what succeeded and makes the reported failures visible again at once.
 */
export async function pump(
  c: Clients,
  queueUrl: string,
  handler: (event: SQSEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>,
): Promise<{ received: number; failed: number }> {
  const out = await c.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, AttributeNames: ["All"] }),
  );
  const messages = out.Messages ?? [];
  if (messages.length === 0) return { received: 0, failed: 0 };
  const event = {
    Records: messages.map((m) => ({
      messageId: m.MessageId as string,
      receiptHandle: m.ReceiptHandle as string,
      body: m.Body as string,
      attributes: m.Attributes ?? {},
      messageAttributes: {},
      md5OfBody: m.MD5OfBody as string,
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:rebalancer-events",
      awsRegion: "us-east-1",
    })),
  } as unknown as SQSEvent;
  const result = await handler(event);
  const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
  for (const m of messages) {
    if (failed.has(m.MessageId as string)) {
      await c.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: m.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
    } else {
      await c.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  return { received: messages.length, failed: failed.size };
}

export function eventBody(
  kind: "warning" | "recommendation" | "launch-failure",
  id: string,
  target: string,
  time = new Date().toISOString(),
  where: { account: string; region: string } = { account: ACCOUNT, region: REGION },
): string {
  const common = { version: "0", id, account: where.account, time, region: where.region };
  if (kind === "launch-failure") {
    return JSON.stringify({
      ...common,
      "detail-type": "EC2 Instance Launch Unsuccessful",
      source: "aws.autoscaling",
      resources: [
        `arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/${target}`,
      ],
      detail: {
        StatusCode: "Failed",
        AutoScalingGroupName: target,
        StatusMessage:
          "We currently do not have sufficient g5.xlarge capacity in the Availability Zone you requested (us-east-1a).",
        EC2InstanceId: "",
      },
    });
  }
  return JSON.stringify({
    ...common,
    "detail-type":
      kind === "warning" ? "EC2 Spot Instance Interruption Warning" : "EC2 Instance Rebalance Recommendation",
    source: "aws.ec2",
    resources: [`arn:aws:ec2:us-east-1:123456789012:instance/${target}`],
    detail: kind === "warning" ? { "instance-id": target, "instance-action": "terminate" } : { "instance-id": target },
  });
}
