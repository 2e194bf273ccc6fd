import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { createRebalancer } from "../../components/fleet-control/rebalancer";
import { runtimeConfigJson } from "../../components/fleet-control/rebalancer-config";
import type { AwsScope } from "../../components/fleet-control/scope";
import { parseRuntimeConfig } from "../../functions/rebalancer/settings";
import { pool } from "../fixtures/fleet-control";
import { installMocks, resolveOutput } from "../support/pulumi-mocks";

/** The fixture's spot pool and fallback, their ASG names as outputs (as GpuCluster gives them). */
const pools = () =>
  [pool("spot-a"), pool("od", { capacityType: "on-demand", fallback: true })].map((p) => ({
    ...p,
    asgNames: pulumi.output([`eks-${p.name}-asg`]),
  }));

class Parent extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Parent", name);
  }
}

const scope: AwsScope = {
  partition: pulumi.output("aws"),
  region: pulumi.output("us-east-1"),
  accountId: pulumi.output("123456789012"),
};

function tlsOnly(queueArn: string) {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "sqs:*",
    Resource: queueArn,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

describe("createRebalancer", () => {
  const mocks = installMocks();

  it("wires rules -> encrypted queue with a DLQ -> function, with a least-privilege role", async () => {
    const out = createRebalancer(
      "fleet",
      { clusterName: "demo", pools: pools(), maxReceiveCount: 4 },
      scope,
      new Parent("p1"),
    );
    await Promise.all([out.function.arn, out.eventSourceMapping.urn, out.schedule.arn].map((o) => resolveOutput(o)));
    const policy = JSON.parse(await resolveOutput(out.policyDocument));

    const queue = mocks.one("aws:sqs/queue:Queue", "fleet-rebalancer-events").inputs;
    expect(queue.sqsManagedSseEnabled).toBe(true);
    expect(queue.visibilityTimeoutSeconds).toBe(360);
    expect(JSON.parse(queue.redrivePolicy as string)).toEqual({
      deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:fleet-rebalancer-dlq",
      maxReceiveCount: 4,
    });
    expect(mocks.one("aws:sqs/queue:Queue", "fleet-rebalancer-dlq").inputs.sqsManagedSseEnabled).toBe(true);

    expect(
      JSON.parse(
        mocks.one("aws:cloudwatch/eventRule:EventRule", "fleet-rebalancer-launch-failure").inputs
          .eventPattern as string,
      ),
    ).toEqual({
      source: ["aws.autoscaling"],
      "detail-type": ["EC2 Instance Launch Unsuccessful"],
      detail: { AutoScalingGroupName: ["eks-spot-a-asg"] },
    });
    expect(
      JSON.parse(
        mocks.one("aws:cloudwatch/eventRule:EventRule", "fleet-rebalancer-spot-warning").inputs.eventPattern as string,
      ),
    ).toEqual({
      source: ["aws.ec2"],
      "detail-type": ["EC2 Spot Instance Interruption Warning"],
    });

    const queuePolicy = JSON.parse(
      mocks.one("aws:sqs/queuePolicy:QueuePolicy", "fleet-rebalancer-events").inputs.policy as string,
    );
    expect(queuePolicy.Statement).toEqual([
      tlsOnly("arn:aws:sqs:us-east-1:123456789012:fleet-rebalancer-events"),
      {
        Sid: "EventBridgeRulesOnly",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: "arn:aws:sqs:us-east-1:123456789012:fleet-rebalancer-events",
        Condition: {
          ArnEquals: {
            "aws:SourceArn": ["spot-warning", "rebalance-recommendation", "launch-failure"].map(
              (r) => `arn:aws:mock:us-east-1:123456789012:eventrule/fleet-rebalancer-${r}`,
            ),
          },
        },
      },
    ]);
    const dlqPolicy = JSON.parse(
      mocks.one("aws:sqs/queuePolicy:QueuePolicy", "fleet-rebalancer-dlq").inputs.policy as string,
    );
    expect(dlqPolicy.Statement).toEqual([tlsOnly("arn:aws:sqs:us-east-1:123456789012:fleet-rebalancer-dlq")]);

    expect(policy.Statement.find((s: { Sid: string }) => s.Sid === "SetNodeGroupDesiredCapacity")).toEqual({
      Sid: "SetNodeGroupDesiredCapacity",
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity"],
      Resource: [
        "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/eks-od-asg",
        "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/eks-spot-a-asg",
      ],
      Condition: { StringEquals: { "aws:ResourceTag/eks:cluster-name": "demo" } },
    });
    const wildcards = policy.Statement.filter((s: { Resource: string[] }) => s.Resource.includes("*"));
    expect(wildcards.map((s: { Action: string[] }) => s.Action)).toEqual([
      ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances"],
    ]);

    const fn = mocks.one("aws:lambda/function:Function", "fleet-rebalancer-fn").inputs;
    expect(fn).toMatchObject({
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      timeout: 60,
    });
    const mapping = mocks.one("aws:lambda/eventSourceMapping:EventSourceMapping", "fleet-rebalancer-events").inputs;
    expect(mapping).toMatchObject({
      functionResponseTypes: ["ReportBatchItemFailures"],
      batchSize: 100,
      scalingConfig: { maximumConcurrency: 2 },
    });
    const schedule = mocks.one("aws:scheduler/schedule:Schedule", "fleet-rebalancer-schedule").inputs;
    expect(schedule).toMatchObject({
      scheduleExpression: "rate(1 minute)",
      groupName: "default",
      target: { retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 } },
    });
    expect(
      JSON.parse(mocks.one("aws:iam/role:Role", "fleet-rebalancer-scheduler-role").inputs.assumeRolePolicy as string)
        .Statement,
    ).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "scheduler.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: {
            "aws:SourceAccount": "123456789012",
            "aws:SourceArn": "arn:aws:scheduler:us-east-1:123456789012:schedule-group/default",
          },
        },
      },
    ]);
    expect(mocks.one("aws:dynamodb/table:Table", "fleet-rebalancer-state").inputs.ttl).toEqual({
      attributeName: "expiresAt",
      enabled: true,
    });
    expect(mocks.one("aws:cloudwatch/logGroup:LogGroup", "fleet-rebalancer-logs").inputs.retentionInDays).toBe(30);
  });

  it("bundles the pool configuration as a file, not environment variables", async () => {
    const out = createRebalancer(
      "cfg",
      { clusterName: "demo", pools: pools(), tunables: { stableSeconds: 300 } },
      scope,
      new Parent("p2"),
    );
    await resolveOutput(out.function.arn);
    const fn = mocks.one("aws:lambda/function:Function", "cfg-rebalancer-fn").inputs;
    const variables = (fn.environment as { variables: Record<string, string> }).variables;
    // The table's name is only known after deployment (the mocks leave it unset), so only the
    // names are checked: nothing else, and certainly not the pools, travels in the environment.
    expect(Object.keys(variables).every((k) => ["POWERTOOLS_SERVICE_NAME", "TABLE_NAME"].includes(k))).toBe(true);
    expect((fn.code as Record<string, unknown>).__pulumiArchive).toBe(true);
    const config = JSON.parse(
      await resolveOutput(
        runtimeConfigJson(
          { clusterName: "demo", pools: pools(), tunables: { stableSeconds: 300 } },
          { accountId: "123456789012", region: "us-east-1" },
        ),
      ),
    );
    expect(config).toMatchObject({
      clusterName: "demo",
      accountId: "123456789012",
      region: "us-east-1",
      tunables: { stableSeconds: 300 },
      pools: [
        { name: "spot-a", asgNames: ["eks-spot-a-asg"], nodeGroupName: "spot-a-ng" },
        { name: "od", fallback: true, asgNames: ["eks-od-asg"] },
      ],
    });
    // What the handler will read back from the archive is what its own parser accepts.
    expect(parseRuntimeConfig(JSON.stringify(config), "archive").core.fallbackPool).toBe("od");
  });

  const invalid: [string, () => Parameters<typeof createRebalancer>[1], string][] = [
    [
      "no fallback pool",
      () => ({ clusterName: "demo", pools: pools().map((p) => ({ ...p, fallback: false })) }),
      "pools have 0 with fallback: true; exactly one on-demand fallback pool is required",
    ],
    [
      "an odd log retention",
      () => ({ clusterName: "demo", pools: pools(), logRetentionDays: 10 }),
      "logRetentionDays (10) must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ],
    [
      "a zero receive count",
      () => ({ clusterName: "demo", pools: pools(), maxReceiveCount: 0 }),
      "maxReceiveCount (0) must be a whole number between 1 and 1000",
    ],
    [
      "a bad stable period",
      () => ({ clusterName: "demo", pools: pools(), tunables: { stableSeconds: -1 } }),
      "tunables.stableSeconds (-1) must be a finite number greater than 0",
    ],
  ];

  it.each(invalid)("rejects %s before creating anything", (_name, args, message) => {
    const before = mocks.resources.length;
    expect(() => createRebalancer("bad", args(), scope, new Parent(`bad-${_name}`))).toThrow(message);
    expect(mocks.resources.filter((r) => r.name.startsWith("bad-rebalancer"))).toHaveLength(0);
    expect(mocks.resources.length - before).toBeLessThanOrEqual(1);
  });
});
