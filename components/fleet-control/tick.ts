import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsScope } from "./scope";
import { tagged } from "./tags";

export interface TickArgs {
  /** A Scheduler expression, e.g. rate(1 minute). */
  expression: pulumi.Input<string>;
  functionArn: pulumi.Input<string>;
  /** Where Scheduler sends an invocation it could not make; none when a missed tick needs no record. */
  deadLetterQueueArn?: pulumi.Input<string>;
  /** Tags of the scheduler role (schedules take none). */
  tags?: Record<string, string> | undefined;
}

export interface Tick {
  schedule: aws.scheduler.Schedule;
  role: aws.iam.Role;
}

/** FleetControl's schedules are in the default group; the role's trust names it. */
const SCHEDULE_GROUP = "default";

/**
 * The scheduler role's trust: only EventBridge Scheduler, and only for schedules of this
 * account's group (aws:SourceAccount, aws:SourceArn), so no other account's schedule can
 * use the role to invoke the function (the confused-deputy case).
 */
export function schedulerTrustPolicy(partition: string, region: string, accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "scheduler.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: {
            "aws:SourceAccount": accountId,
            "aws:SourceArn": `arn:${partition}:scheduler:${region}:${accountId}:schedule-group/${SCHEDULE_GROUP}`,
          },
        },
      },
    ],
  });
}

/**
 * A function's tick, the one way both FleetControl functions are woken: an EventBridge
 * Scheduler schedule with a role that may invoke that function (and send to its
 * dead-letter queue), no retries and a one-minute event age, since a late tick is worth
 * nothing and the next one decides afresh. Children are `${prefix}-scheduler-role`,
 * `${prefix}-scheduler-policy` and `${prefix}-schedule`.
 */
export function createTick(prefix: string, args: TickArgs, scope: AwsScope, parent: pulumi.Resource): Tick {
  const opts = { parent };
  const role = new aws.iam.Role(
    `${prefix}-scheduler-role`,
    {
      assumeRolePolicy: pulumi
        .all([scope.partition, scope.region, scope.accountId])
        .apply(([partition, region, accountId]) => schedulerTrustPolicy(partition, region, accountId)),
      ...tagged(args.tags),
    },
    opts,
  );
  const policy = new aws.iam.RolePolicy(
    `${prefix}-scheduler-policy`,
    {
      role: role.name,
      policy: pulumi.all([args.functionArn, args.deadLetterQueueArn]).apply(([fnArn, dlqArn]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [fnArn] },
            ...(dlqArn ? [{ Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [dlqArn] }] : []),
          ],
        }),
      ),
    },
    opts,
  );
  const schedule = new aws.scheduler.Schedule(
    `${prefix}-schedule`,
    {
      groupName: SCHEDULE_GROUP,
      scheduleExpression: args.expression,
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: args.functionArn,
        roleArn: role.arn,
        ...(args.deadLetterQueueArn ? { deadLetterConfig: { arn: args.deadLetterQueueArn } } : {}),
        retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
      },
    },
    { parent, dependsOn: [policy] },
  );
  return { schedule, role };
}
