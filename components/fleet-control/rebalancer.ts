import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isLogRetentionDays, LOG_RETENTION_DAYS } from "../../functions/aws-names";
import { type Problem, throwIfProblems } from "../../functions/problems";
import { rebalancerConfig } from "../../functions/rebalancer/core/config";
import type { RebalancerTunables } from "../../functions/rebalancer/core/types";
import { DETAIL_TYPES } from "../../functions/rebalancer/parse";
import { RUNTIME_CONFIG_FILE, type RuntimeConfig } from "../../functions/rebalancer/settings";
import type { GpuPoolInfo } from "../types";
import { bundleFunction } from "./bundle";
import { FLEET_CONTROL_DEFAULTS } from "./defaults";
import { functionLogGroupName } from "./log-group";
import { rebalancerPolicyDocument } from "./rebalancer-policy";

export interface RebalancerResourcesArgs {
  clusterName: pulumi.Input<string>;
  /** The cluster's GPU pools: spot pools are watched; the one fallback pool takes over. */
  pools: GpuPoolInfo[];
  /** Health model and decision knobs. @default DEFAULT_REBALANCER_TUNABLES (stable 600 s, half-life 300 s) */
  tunables?: Partial<RebalancerTunables>;
  /** Days the function's logs are kept. @default 30 */
  logRetentionDays?: number;
  /** Deliveries of one event before it moves to the dead-letter queue. @default 5 */
  maxReceiveCount?: number;
  /** The function's timeout, seconds. @default 60 */
  timeoutSeconds?: number;
  /** Records per invocation: a storm is coalesced per pool, so larger batches mean fewer API calls. @default 100 */
  batchSize?: number;
}

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
  schedule: aws.cloudwatch.EventRule;
}

export const REBALANCER_DEFAULTS = {
  logRetentionDays: 30,
  maxReceiveCount: 5,
  timeoutSeconds: 60,
  batchSize: 100,
} as const;

function checkInt(problems: Problem[], field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push({ field, value, rule: `must be a whole number between ${min} and ${max}` });
  }
}

/** Pure validation, run before any resource exists. Returns the arguments with defaults applied. */
export function validateRebalancerArgs(args: RebalancerResourcesArgs) {
  rebalancerConfig(args.pools, args.tunables);
  const resolved = {
    logRetentionDays: args.logRetentionDays ?? REBALANCER_DEFAULTS.logRetentionDays,
    maxReceiveCount: args.maxReceiveCount ?? REBALANCER_DEFAULTS.maxReceiveCount,
    timeoutSeconds: args.timeoutSeconds ?? REBALANCER_DEFAULTS.timeoutSeconds,
    batchSize: args.batchSize ?? REBALANCER_DEFAULTS.batchSize,
  };
  const problems: Problem[] = [];
  if (!isLogRetentionDays(resolved.logRetentionDays)) {
    problems.push({
      field: "logRetentionDays",
      value: resolved.logRetentionDays,
      rule: `must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
    });
  }
  checkInt(problems, "maxReceiveCount", resolved.maxReceiveCount, 1, 1000);
  checkInt(problems, "timeoutSeconds", resolved.timeoutSeconds, 10, 900);
  checkInt(problems, "batchSize", resolved.batchSize, 1, 10_000);
  throwIfProblems("rebalancer arguments", problems);
  return resolved;
}

/** The rebalancer's runtime configuration, bundled as a file next to the handler (see settings.ts). */
export function runtimeConfigJson(args: RebalancerResourcesArgs): pulumi.Output<string> {
  const poolOutputs = pulumi.all(
    args.pools.map((p) => pulumi.all([pulumi.output(p.asgNames), pulumi.output(p.nodeGroupName)])),
  );
  const tunables = Object.fromEntries(Object.entries(args.tunables ?? {}).filter(([, v]) => v !== undefined));
  return pulumi.all([pulumi.output(args.clusterName), poolOutputs]).apply(([clusterName, resolved]) => {
    const config: RuntimeConfig = {
      clusterName,
      pools: args.pools.map((p, i) => {
        const [asgNames, nodeGroupName] = resolved[i] as [string[], string];
        return {
          name: p.name,
          capacityType: p.capacityType,
          fallback: p.fallback,
          instanceTypes: [...p.instanceTypes],
          gpusPerNode: p.gpusPerNode,
          slicesPerGpu: p.slicesPerGpu,
          minNodes: p.minNodes,
          maxNodes: p.maxNodes,
          ...(p.pricePerNodeHour === undefined ? {} : { pricePerNodeHour: p.pricePerNodeHour }),
          nodeGroupName,
          asgNames,
        };
      }),
      tunables: tunables as Record<string, number>,
    };
    return JSON.stringify(config);
  });
}

/**
 * Creates the spot rebalancer: EventBridge rules -> SQS queue (SSE, DLQ) -> Lambda, a
 * one-minute schedule, the DynamoDB state table and a role limited to the node groups'
 * ASGs, the table and the queue. Children are named `${name}-rebalancer-*` under `parent`.
 */
export function createRebalancer(
  name: string,
  args: RebalancerResourcesArgs,
  parent: pulumi.Resource,
): RebalancerResources {
  const settings = validateRebalancerArgs(args);
  const opts: pulumi.CustomResourceOptions = { parent };
  const invokeOpts = { parent };
  const prefix = `${name}-rebalancer`;
  const partition = aws.getPartitionOutput({}, invokeOpts).partition;
  const region = aws.getRegionOutput({}, invokeOpts).region;
  const accountId = aws.getCallerIdentityOutput({}, invokeOpts).accountId;
  const allAsgNames = pulumi.all(args.pools.map((p) => pulumi.output(p.asgNames))).apply((lists) => lists.flat());
  const spotAsgNames = pulumi
    .all(args.pools.filter((p) => p.capacityType === "spot").map((p) => pulumi.output(p.asgNames)))
    .apply((l) => l.flat());

  const deadLetterQueue = new aws.sqs.Queue(
    `${prefix}-dlq`,
    { sqsManagedSseEnabled: true, messageRetentionSeconds: 14 * 24 * 3600 },
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
      { description: `gpufleet rebalancer: ${role}`, eventPattern },
      opts,
    );
    new aws.cloudwatch.EventTarget(`${prefix}-${role}`, { rule: rule.name, arn: queue.arn }, opts);
    return rule;
  });
  new aws.sqs.QueuePolicy(
    `${prefix}-events`,
    {
      queueUrl: queue.url,
      policy: pulumi.all([queue.arn, ...rules.map((r) => r.arn)]).apply(([queueArn, ...ruleArns]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "EventBridgeRulesOnly",
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: "sqs:SendMessage",
              Resource: queueArn,
              Condition: { ArnEquals: { "aws:SourceArn": ruleArns } },
            },
          ],
        }),
      ),
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
    },
    opts,
  );
  const logGroup = new aws.cloudwatch.LogGroup(
    `${prefix}-logs`,
    { name: functionLogGroupName(name, "rebalancer"), retentionInDays: settings.logRetentionDays },
    opts,
  );

  const role = new aws.iam.Role(
    `${prefix}-role`,
    {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    },
    opts,
  );
  const policyDocument = pulumi
    .all([partition, region, accountId, allAsgNames, table.arn, queue.arn, logGroup.arn])
    .apply(([p, r, a, asgNames, tableArn, queueArn, logGroupArn]) =>
      JSON.stringify(
        rebalancerPolicyDocument({ partition: p, region: r, accountId: a, asgNames, tableArn, queueArn, logGroupArn }),
      ),
    );
  const rolePolicy = new aws.iam.RolePolicy(`${prefix}-policy`, { role: role.id, policy: policyDocument }, opts);

  const code = pulumi.all([pulumi.output(bundleFunction("rebalancer")), runtimeConfigJson(args)]).apply(
    ([bundle, configJson]) =>
      new pulumi.asset.AssetArchive({
        "index.js": new pulumi.asset.StringAsset(bundle.code),
        [RUNTIME_CONFIG_FILE]: new pulumi.asset.StringAsset(configJson),
      }),
  );
  const fn = new aws.lambda.Function(
    `${prefix}-fn`,
    {
      runtime: FLEET_CONTROL_DEFAULTS.runtime,
      architectures: [FLEET_CONTROL_DEFAULTS.architecture],
      handler: "index.handler",
      code,
      role: role.arn,
      timeout: settings.timeoutSeconds,
      memorySize: 256,
      environment: { variables: { TABLE_NAME: table.name, POWERTOOLS_SERVICE_NAME: "gpufleet-rebalancer" } },
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
    },
    { ...opts, dependsOn: [rolePolicy] },
  );

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

  const schedule = new aws.cloudwatch.EventRule(
    `${prefix}-tick`,
    { description: "gpufleet rebalancer: recovery tick", scheduleExpression: "rate(1 minute)" },
    opts,
  );
  new aws.cloudwatch.EventTarget(`${prefix}-tick`, { rule: schedule.name, arn: fn.arn }, opts);
  new aws.lambda.Permission(
    `${prefix}-tick`,
    { action: "lambda:InvokeFunction", function: fn.name, principal: "events.amazonaws.com", sourceArn: schedule.arn },
    opts,
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
