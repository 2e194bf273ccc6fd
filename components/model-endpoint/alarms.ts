import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedModelEndpoint } from "./defaults";

export interface EndpointAlarms {
  topic?: aws.sns.Topic;
  dlqNotEmpty: aws.cloudwatch.MetricAlarm;
  oldestMessage: aws.cloudwatch.MetricAlarm;
  stalled: aws.cloudwatch.MetricAlarm;
}

export interface AlarmInputs {
  name: string;
  resolved: ResolvedModelEndpoint;
  queueName: pulumi.Output<string>;
  dlqName: pulumi.Output<string>;
  topicArn?: pulumi.Input<string>;
  tags: Record<string, string>;
  parent: pulumi.Resource;
}

/**
 * The alarms a platform team expects on an async endpoint:
 * - DLQ not empty: some requests failed maxReceiveCount times;
 * - oldest request older than a multiple of the SLO: the endpoint is falling behind;
 * - stalled: requests waiting while nothing is in flight for longer than a cold start. SQS
 *   reports no replica count, but with any replica running the queue would show in-flight
 *   messages, so "visible > 0 and in flight = 0" is "queue depth with zero replicas".
 */
export function createAlarms(a: AlarmInputs): EndpointAlarms {
  const { name, resolved: r, parent, tags } = a;
  const topic = r.alarms.createTopic
    ? new aws.sns.Topic(`${name}-alarms`, { kmsMasterKeyId: "alias/aws/sns", tags }, { parent })
    : undefined;
  const topicArn = topic ? topic.arn : a.topicArn;
  const actions = topicArn === undefined ? {} : { alarmActions: [topicArn], okActions: [topicArn] };
  const sqsMetric = (queueName: pulumi.Output<string>) => ({
    namespace: "AWS/SQS",
    dimensions: queueName.apply((QueueName) => ({ QueueName })),
  });

  const dlqNotEmpty = new aws.cloudwatch.MetricAlarm(
    `${name}-dlq-not-empty`,
    {
      alarmDescription: pulumi.interpolate`Endpoint ${r.endpointName}: requests reached the dead-letter queue ${a.dlqName}`,
      ...sqsMetric(a.dlqName),
      metricName: "ApproximateNumberOfMessagesVisible",
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      ...actions,
      tags,
    },
    { parent },
  );

  const ageThreshold = Math.ceil(r.profile.sloSeconds * r.alarms.oldestMessageSloMultiple);
  const oldestMessage = new aws.cloudwatch.MetricAlarm(
    `${name}-oldest-message`,
    {
      alarmDescription: `Endpoint ${r.endpointName}: the oldest request has waited more than ${ageThreshold} s (${r.alarms.oldestMessageSloMultiple} × the ${r.profile.sloSeconds} s SLO)`,
      ...sqsMetric(a.queueName),
      metricName: "ApproximateAgeOfOldestMessage",
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: ageThreshold,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      ...actions,
      tags,
    },
    { parent },
  );

  const queueMetric = (id: string, metricName: string) => ({
    id,
    returnData: false,
    metric: { ...sqsMetric(a.queueName), metricName, period: 60, stat: "Maximum" },
  });
  const stalled = new aws.cloudwatch.MetricAlarm(
    `${name}-stalled`,
    {
      alarmDescription: `Endpoint ${r.endpointName}: requests have waited ${r.alarms.stalledMinutes} min with no replica receiving them`,
      metricQueries: [
        queueMetric("visible", "ApproximateNumberOfMessagesVisible"),
        queueMetric("inflight", "ApproximateNumberOfMessagesNotVisible"),
        {
          id: "stalled",
          label: "Requests waiting with nothing in flight",
          expression: "IF(visible > 0 AND inflight == 0, 1, 0)",
          returnData: true,
        },
      ],
      evaluationPeriods: r.alarms.stalledMinutes,
      datapointsToAlarm: r.alarms.stalledMinutes,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      ...actions,
      tags,
    },
    { parent },
  );

  return { ...(topic ? { topic } : {}), dlqNotEmpty, oldestMessage, stalled };
}
