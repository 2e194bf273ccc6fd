import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DETAIL_TYPES } from "../../functions/rebalancer/parse";
import { RUNTIME_CONFIG_FILE } from "../../functions/rebalancer/settings";
import { denyInsecureTransportPolicy } from "../model-endpoint/queue";
import type { RebalancerResourcesArgs } from "./args";
import { functionArchive } from "./bundle";
import { FLEET_CONTROL_DEFAULTS, REBALANCER_DEFAULTS } from "./defaults";
import { functionLogGroupName } from "./log-group";
import { runtimeConfigJson } from "./rebalancer-config";
import { rebalancerPolicyDocument } from "./rebalancer-policy";
import { validateRebalancerArgs } from "./rebalancer-validate";
import type { AwsScope } from "./scope";
import { tagged } from "./tags";
import { createTick } from "./tick";

export interface RebalancerResources {
  function: aws.lambda.Function;
  queue: aws.sqs.Queue;
  queueUrl: pulumi.Output<string>;
  queueArn: pulumi.Output<string>;
  deadLetterQueue: aws.sqs.Queue;
  table: aws.dynamodb.Table;
  tableName: pulumi.Output<string>;
  role: aws.iam.Role;
  /** The role's permissions as JSON, for review. */
  policyDocument: pulumi.Output<string>;
  rules: aws.cloudwatch.EventRule[];
  eventSourceMapping: aws.lambda.EventSourceMapping;
  schedule: aws.scheduler.Schedule;
}

/** The event queue's policy: TLS only, and only this stack's EventBridge rules may send. */
function eventQueuePolicy(queueArn: string, ruleArns: string[]): string {
  const tlsOnly = JSON.parse(denyInsecureTransportPolicy(queueArn)) as { Statement: unknown[] };
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      ...tlsOnly.Statement,
      {
        Sid: "EventBridgeRulesOnly",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnEquals: { "aws:SourceArn": ruleArns } },
      },
    ],
  });
}

/**
 * Creates the spot rebalancer: EventBridge rules -> SQS queue (SSE, TLS only, DLQ) ->
 * Lambda, a one-minute schedule, the DynamoDB state table and a role limited to the node
 * groups' ASGs (by ARN and by the cluster's tag), the table and the queue. Children are
 * named `${name}-rebalancer-*` under `parent`.
 */
export function createRebalancer(
  name: string,
  args: RebalancerResourcesArgs,
  scope: AwsScope,
  parent: pulumi.Resource,
): RebalancerResources {
  const settings = validateRebalancerArgs(args);
  const opts: pulumi.CustomResourceOptions = { parent };
  const prefix = `${name}-rebalancer`;
  const tags = tagged(args.tags);
  const { partition, region, accountId } = scope;
  const allAsgNames = pulumi.all(args.pools.map((p) => pulumi.output(p.asgNames))).apply((lists) => lists.flat());
  const spotAsgNames = pulumi
    .all(args.pools.filter((p) => p.capacityType === "spot").map((p) => pulumi.output(p.asgNames)))
    .apply((l) => l.flat());

  const deadLetterQueue = new aws.sqs.Queue(
    `${prefix}-dlq`,
    { sqsManagedSseEnabled: true, messageRetentionSeconds: 14 * 24 * 3600, ...tags },
    opts,
  );
  new aws.sqs.QueuePolicy(
    `${prefix}-dlq`,
    { queueUrl: deadLetterQueue.url, policy: deadLetterQueue.arn.apply(denyInsecureTransportPolicy) },
    opts,
  );
  const queue = new aws.sqs.Queue(
    `${prefix}-events`,
    {
      sqsManagedSseEnabled: true,
      // AWS's guidance for Lambda event sources: at least six times the function timeout.
      visibilityTimeoutSeconds: settings.timeoutSeconds * 6,
      messageRetentionSeconds: 4 * 24 * 3600,
      redrivePolicy: deadLetterQueue.arn.apply((arn) =>
        JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: settings.maxReceiveCount }),
      ),
      ...tags,
    },
    opts,
  );

  // Spot warnings and recommendations carry only an instance id, so no pattern can narrow
  // them to this cluster: the function maps each instance to its group and drops the rest.
  // Launch failures carry the group name and are filtered to this cluster's spot groups.
  const patterns: Record<string, pulumi.Input<string>> = {
    "spot-warning": JSON.stringify({ source: ["aws.ec2"], "detail-type": [DETAIL_TYPES.interruptionWarning] }),
    "rebalance-recommendation": JSON.stringify({
      source: ["aws.ec2"],
      "detail-type": [DETAIL_TYPES.rebalanceRecommendation],
    }),
    "launch-failure": spotAsgNames.apply((names) =>
      JSON.stringify({
        source: ["aws.autoscaling"],
        "detail-type": [DETAIL_TYPES.launchUnsuccessful],
        detail: { AutoScalingGroupName: names },
      }),
    ),
  };
  const rules = Object.entries(patterns).map(([role, eventPattern]) => {
    const rule = new aws.cloudwatch.EventRule(
      `${prefix}-${role}`,
      { description: `gpufleet rebalancer: ${role}`, eventPattern, ...tags },
      opts,
    );
    new aws.cloudwatch.EventTarget(`${prefix}-${role}`, { rule: rule.name, arn: queue.arn }, opts);
    return rule;
  });
  new aws.sqs.QueuePolicy(
    `${prefix}-events`,
    {
      queueUrl: queue.url,
      policy: pulumi
        .all([queue.arn, pulumi.all(rules.map((r) => r.arn))])
        .apply(([queueArn, ruleArns]) => eventQueuePolicy(queueArn, ruleArns)),
    },
    opts,
  );

  const table = new aws.dynamodb.Table(
    `${prefix}-state`,
    {
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      attributes: [{ name: "pk", type: "S" }],
      ttl: { attributeName: "expiresAt", enabled: true },
      serverSideEncryption: { enabled: true },
      pointInTimeRecovery: { enabled: true },
      ...tags,
    },
    opts,
  );
  const logGroup = new aws.cloudwatch.LogGroup(
    `${prefix}-logs`,
    { name: functionLogGroupName(name, "rebalancer"), retentionInDays: settings.logRetentionDays, ...tags },
    opts,
  );

  const role = new aws.iam.Role(
    `${prefix}-role`,
    {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      ...tags,
    },
    opts,
  );
  const policyDocument = pulumi
    .all([partition, region, accountId, args.clusterName, allAsgNames, table.arn, queue.arn, logGroup.arn])
    .apply(([p, r, a, clusterName, asgNames, tableArn, queueArn, logGroupArn]) =>
      JSON.stringify(
        rebalancerPolicyDocument({
          partition: p,
          region: r,
          accountId: a,
          clusterName,
          asgNames,
          tableArn,
          queueArn,
          logGroupArn,
        }),
      ),
    );
  const rolePolicy = new aws.iam.RolePolicy(`${prefix}-policy`, { role: role.id, policy: policyDocument }, opts);

  const code = functionArchive("rebalancer", RUNTIME_CONFIG_FILE, runtimeConfigJson(args, { accountId, region }));
  let functionArgs: aws.lambda.FunctionArgs = {
    runtime: FLEET_CONTROL_DEFAULTS.runtime,
    architectures: [FLEET_CONTROL_DEFAULTS.architecture],
    handler: "index.handler",
    code,
    role: role.arn,
    timeout: settings.timeoutSeconds,
    memorySize: 256,
    environment: { variables: { TABLE_NAME: table.name, POWERTOOLS_SERVICE_NAME: "gpufleet-rebalancer" } },
    loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
    ...tags,
  };
  if (args.transformFunction) functionArgs = args.transformFunction(functionArgs);
  const fn = new aws.lambda.Function(`${prefix}-fn`, functionArgs, { ...opts, dependsOn: [rolePolicy] });

  const eventSourceMapping = new aws.lambda.EventSourceMapping(
    `${prefix}-events`,
    {
      eventSourceArn: queue.arn,
      functionName: fn.arn,
      batchSize: settings.batchSize,
      // Batching beyond 10 records needs a window; five seconds coalesces a storm without delaying a lone warning much.
      maximumBatchingWindowInSeconds: settings.batchSize > 10 ? 5 : 0,
      functionResponseTypes: ["ReportBatchItemFailures"],
      // Two (the minimum) concurrent pollers; the function serialises on its DynamoDB lease anyway.
      scalingConfig: { maximumConcurrency: 2 },
    },
    opts,
  );

  const { schedule } = createTick(
    prefix,
    { expression: REBALANCER_DEFAULTS.schedule, functionArn: fn.arn, tags: args.tags },
    scope,
    parent,
  );

  return {
    function: fn,
    queue,
    queueUrl: queue.url,
    queueArn: queue.arn,
    deadLetterQueue,
    table,
    tableName: table.name,
    role,
    policyDocument,
    rules,
    eventSourceMapping,
    schedule,
  };
}
