import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FLEET_CONFIG_FILE, FLEET_CONFIG_VERSION, type FleetConfig } from "../../functions/autoscaler/config";
import { PREDICTED_REPLICAS_METRIC } from "../../functions/contract";
import type { FleetControlArgs, FleetControlTransforms } from "./args";
import { autoscalerPolicyDocument } from "./autoscaler-policy";
import { shippedBundle } from "./bundle";
import { FLEET_CONTROL_DEFAULTS } from "./defaults";
import { functionLogGroupName } from "./log-group";
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
      ...(args.autoscalerSettings ? { settings: args.autoscalerSettings } : {}),
    };
    return JSON.stringify(config, null, 2);
  });
}

/**
 * The autoscaler: bundled handler plus fleet.json in one archive (Lambda environment
 * variables are limited to 4 KB, too little for hundreds of endpoints), a least-privilege
 * role, a log group with retention, a one-minute schedule with a dead-letter queue, and alarms.
 */
export function createAutoscaler(
  name: string,
  args: FleetControlArgs,
  resolved: ResolvedFleetControl,
  parent: pulumi.Resource,
  transform: FleetControlTransforms = {},
): AutoscalerResources {
  const opts = { parent };
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-autoscaler-logs`,
    { name: functionLogGroupName(name, "autoscaler"), retentionInDays: resolved.logRetentionDays },
    opts,
  );
  const deadLetterQueue = new aws.sqs.Queue(
    `${name}-autoscaler-dlq`,
    { sqsManagedSseEnabled: true, messageRetentionSeconds: 14 * 24 * 3600 },
    opts,
  );
  const role = new aws.iam.Role(`${name}-autoscaler-role`, { assumeRolePolicy: lambdaAssumeRole }, opts);
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

  const handlerFile = shippedBundle("autoscaler");
  const archive = fleetConfigJson(args, resolved).apply(
    (fleetJson) =>
      new pulumi.asset.AssetArchive({
        "index.js": new pulumi.asset.FileAsset(handlerFile),
        [FLEET_CONFIG_FILE]: new pulumi.asset.StringAsset(fleetJson),
      }),
  );
  let functionArgs: aws.lambda.FunctionArgs = {
    runtime: FLEET_CONTROL_DEFAULTS.runtime,
    architectures: [FLEET_CONTROL_DEFAULTS.architecture],
    handler: "index.handler",
    code: archive,
    role: role.arn,
    memorySize: resolved.memorySizeMb,
    timeout: resolved.timeoutSeconds,
    loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
    environment: {
      variables: {
        FLEET_CONFIG_PATH: FLEET_CONFIG_FILE,
        HISTORY_DAYS: String(resolved.historyDays),
        POWERTOOLS_SERVICE_NAME: "gpufleet-autoscaler",
      },
    },
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

  const schedulerRole = new aws.iam.Role(
    `${name}-autoscaler-scheduler-role`,
    {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "scheduler.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    },
    opts,
  );
  const schedulerPolicy = new aws.iam.RolePolicy(
    `${name}-autoscaler-scheduler-policy`,
    {
      role: schedulerRole.name,
      policy: pulumi.all([fn.arn, deadLetterQueue.arn]).apply(([fnArn, dlqArn]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [fnArn] },
            { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [dlqArn] },
          ],
        }),
      ),
    },
    opts,
  );
  const schedule = new aws.scheduler.Schedule(
    `${name}-autoscaler-schedule`,
    {
      scheduleExpression: resolved.schedule,
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: fn.arn,
        roleArn: schedulerRole.arn,
        deadLetterConfig: { arn: deadLetterQueue.arn },
        retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
      },
    },
    { parent, dependsOn: [schedulerPolicy] },
  );

  const alarmActions = args.alarmActions ?? [];
  const alarm = (role: string, alarmArgs: aws.cloudwatch.MetricAlarmArgs) =>
    new aws.cloudwatch.MetricAlarm(
      `${name}-autoscaler-${role}`,
      { alarmActions, okActions: alarmActions, ...alarmArgs },
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
