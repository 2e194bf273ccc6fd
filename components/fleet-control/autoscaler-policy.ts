import { PREDICTED_REPLICAS_METRIC } from "../../functions/contract";

/** An IAM policy document, as JSON.parse(JSON.stringify(...)) sees it. */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: {
    Sid: string;
    Effect: "Allow";
    Action: string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string>>;
  }[];
}

/**
 * The autoscaler's permissions, nothing more: queue depth of the endpoint queues (by ARN),
 * metric reads (GetMetricData supports no resource-level permission), metric writes only
 * into the namespace KEDA reads (the cloudwatch:namespace condition key), its own logs, and
 * its own dead-letter queue (Lambda sends a failed asynchronous tick there with the
 * function's role).
 */
export function autoscalerPolicyDocument(
  queueArns: readonly string[],
  logGroupArn: string,
  deadLetterQueueArn: string,
): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      // An empty Resource list is invalid IAM: a fleet without endpoints gets no queue statement.
      ...(queueArns.length > 0
        ? [
            {
              Sid: "ReadEndpointQueueDepth",
              Effect: "Allow" as const,
              Action: ["sqs:GetQueueAttributes"],
              Resource: [...queueArns].sort(),
            },
          ]
        : []),
      { Sid: "ReadMetrics", Effect: "Allow", Action: ["cloudwatch:GetMetricData"], Resource: "*" },
      {
        Sid: "PublishPredictedReplicas",
        Effect: "Allow",
        Action: ["cloudwatch:PutMetricData"],
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": PREDICTED_REPLICAS_METRIC.namespace } },
      },
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [`${logGroupArn}:*`],
      },
      { Sid: "ReportFailedTicks", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [deadLetterQueueArn] },
    ],
  };
}
