import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FLEET_CONFIG_FILE, FLEET_CONFIG_VERSION, type FleetConfig } from "../../functions/autoscaler/config";
import { PREDICTED_REPLICAS_METRIC } from "../../functions/contract";
import { denyInsecureTransportPolicy } from "../model-endpoint/queue";
import type { FleetControlArgs, FleetControlTransforms } from "./args";
import { autoscalerPolicyDocument } from "./autoscaler-policy";
import { functionArchive } from "./bundle";
import { FLEET_CONTROL_DEFAULTS } from "./defaults";
import { functionLogGroupName } from "./log-group";
import type { AwsScope } from "./scope";
import { tagged } from "./tags";
import { createTick } from "./tick";
import type { ResolvedFleetControl } from "./validate";

export interface AutoscalerResources {
  function: aws.lambda.Function;
  role: aws.iam.Role;
  logGroup: aws.cloudwatch.LogGroup;
  schedule: aws.scheduler.Schedule;
  deadLetterQueue: aws.sqs.Queue;
  alarms: aws.cloudwatch.MetricAlarm[];
  /** The autoscaler role's policy document, JSON. */
  policyDocument: pulumi.Output<string>;
}

const lambdaAssumeRole = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** fleet.json as the handler reads it: plain values plus the queues' resolved names and URLs. */
export function fleetConfigJson(args: FleetControlArgs, resolved: ResolvedFleetControl): pulumi.Output<string> {
  const queues = args.endpoints.map((e) => pulumi.all([e.queueName, e.queueUrl]));
  return pulumi.all(queues).apply((resolvedQueues) => {
    const config: FleetConfig = {
      version: FLEET_CONFIG_VERSION,
      endpoints: args.endpoints.map((e, i) => ({
        name: e.endpointName,
        queueName: resolvedQueues[i]?.[0] ?? "",
        queueUrl: resolvedQueues[i]?.[1] ?? "",
        profile: e.profile,
        slicesPerGpu: resolved.endpoints[i]?.slicesPerGpu ?? 1,
        leadTimeSeconds: resolved.endpoints[i]?.leadTimeSeconds ?? FLEET_CONTROL_DEFAULTS.leadTimeSeconds,
      })),
      settings: { ...args.autoscalerSettings, tickSeconds: resolved.tickSeconds },
    };
    return JSON.stringify(config, null, 2);
  });
}

/**
 * The autoscaler: bundled handler plus fleet.json in one archive (Lambda environment
 * variables are limited to 4 KB, too little for hundreds of endpoints), a least-privilege
 * role, a log group with retention, a one-minute schedule with a TLS-only dead-letter queue,
 * and alarms.
 */
export function createAutoscaler(
  name: string,
  args: FleetControlArgs,
  resolved: ResolvedFleetControl,
  scope: AwsScope,
  parent: pulumi.Resource,
  transform: FleetControlTransforms = {},
): AutoscalerResources {
  const opts = { parent };
  const tags = tagged(args.tags);
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-autoscaler-logs`,
    { name: functionLogGroupName(name, "autoscaler"), retentionInDays: resolved.logRetentionDays, ...tags },
    opts,
  );
  const deadLetterQueue = new aws.sqs.Queue(
    `${name}-autoscaler-dlq`,
    { sqsManagedSseEnabled: true, messageRetentionSeconds: 14 * 24 * 3600, ...tags },
    opts,
  );
  new aws.sqs.QueuePolicy(
    `${name}-autoscaler-dlq`,
    { queueUrl: deadLetterQueue.url, policy: deadLetterQueue.arn.apply(denyInsecureTransportPolicy) },
    opts,
  );
  const role = new aws.iam.Role(`${name}-autoscaler-role`, { assumeRolePolicy: lambdaAssumeRole, ...tags }, opts);
  const policyDocument = pulumi
    .all([pulumi.all(args.endpoints.map((e) => e.queueArn)), logGroup.arn, deadLetterQueue.arn])
    .apply(([queueArns, logGroupArn, dlqArn]) =>
      JSON.stringify(autoscalerPolicyDocument(queueArns, logGroupArn, dlqArn)),
    );
  const rolePolicy = new aws.iam.RolePolicy(
    `${name}-autoscaler-policy`,
    { role: role.name, policy: policyDocument },
    opts,
  );

  const archive = functionArchive("autoscaler", FLEET_CONFIG_FILE, fleetConfigJson(args, resolved));
  let functionArgs: aws.lambda.FunctionArgs = {
    runtime: FLEET_CONTROL_DEFAULTS.runtime,
    architectures: [FLEET_CONTROL_DEFAULTS.architecture],
    handler: "index.handler",
    code: archive,
    role: role.arn,
    memorySize: resolved.memorySizeMb,
    timeout: resolved.timeoutSeconds,
    loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
    environment: {
      variables: {
        HISTORY_DAYS: String(resolved.historyDays),
        POWERTOOLS_SERVICE_NAME: "gpufleet-autoscaler",
      },
    },
    ...tags,
    description: pulumi.interpolate`gpufleet predictive autoscaler for ${args.clusterName}: publishes ${PREDICTED_REPLICAS_METRIC.namespace}/${PREDICTED_REPLICAS_METRIC.metricName}`,
  };
  if (transform.autoscalerFunction) functionArgs = transform.autoscalerFunction(functionArgs);
  const fn = new aws.lambda.Function(`${name}-autoscaler`, functionArgs, { parent, dependsOn: [rolePolicy, logGroup] });
  // A late tick is worth nothing: no async retries, the next minute decides afresh.
  new aws.lambda.FunctionEventInvokeConfig(
    `${name}-autoscaler-invoke`,
    {
      functionName: fn.name,
      maximumRetryAttempts: 0,
      maximumEventAgeInSeconds: 60,
      destinationConfig: { onFailure: { destination: deadLetterQueue.arn } },
    },
    opts,
  );

  const { schedule } = createTick(
    `${name}-autoscaler`,
    { expression: resolved.schedule, functionArn: fn.arn, deadLetterQueueArn: deadLetterQueue.arn, tags: args.tags },
    scope,
    parent,
  );

  const alarmActions = args.alarmActions ?? [];
  const alarm = (role: string, alarmArgs: aws.cloudwatch.MetricAlarmArgs) =>
    new aws.cloudwatch.MetricAlarm(
      `${name}-autoscaler-${role}`,
      { alarmActions, okActions: alarmActions, ...tags, ...alarmArgs },
      opts,
    );
  const alarms = [
    alarm("errors", {
      alarmDescription: "The gpufleet autoscaler failed on 3 of the last 5 ticks: predicted replicas are going stale.",
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: fn.name },
      statistic: "Sum",
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
    }),
    alarm("not-running", {
      alarmDescription: "The gpufleet autoscaler has not run for 5 minutes (schedule or permissions broken).",
      namespace: "AWS/Lambda",
      metricName: "Invocations",
      dimensions: { FunctionName: fn.name },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
    }),
    alarm("dead-letters", {
      alarmDescription: "Scheduler could not invoke the gpufleet autoscaler (messages in its dead-letter queue).",
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: deadLetterQueue.name },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
    }),
  ];
  return { function: fn, role, logGroup, schedule, deadLetterQueue, alarms, policyDocument };
}
