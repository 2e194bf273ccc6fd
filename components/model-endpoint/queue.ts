import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ResolvedModelEndpoint } from "./defaults";

export interface EndpointQueues {
  queue: aws.sqs.Queue;
  dlq: aws.sqs.Queue;
  queuePolicy: aws.sqs.QueuePolicy;
  dlqPolicy: aws.sqs.QueuePolicy;
}

/** Server-side encryption: a customer key when given, else SQS-managed keys. Never unencrypted. */
function encryption(kmsKeyArn: pulumi.Input<string> | undefined): Partial<aws.sqs.QueueArgs> {
  return kmsKeyArn === undefined
    ? { sqsManagedSseEnabled: true }
    : { kmsMasterKeyId: kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 };
}

/** A queue policy that refuses every request not made over TLS, whoever makes it. */
export function denyInsecureTransportPolicy(queueArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: queueArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

/** The request queue, its dead-letter queue, and a TLS-only policy on both. */
export function createQueues(
  name: string,
  r: ResolvedModelEndpoint,
  kmsKeyArn: pulumi.Input<string> | undefined,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): EndpointQueues {
  const dlq = new aws.sqs.Queue(
    `${name}-dlq`,
    {
      name: r.queue.dlqName,
      messageRetentionSeconds: r.queue.dlqRetentionSeconds,
      ...encryption(kmsKeyArn),
      tags,
    },
    { parent },
  );
  const queue = new aws.sqs.Queue(
    `${name}-queue`,
    {
      name: r.queue.name,
      visibilityTimeoutSeconds: r.queue.visibilityTimeoutSeconds,
      messageRetentionSeconds: r.queue.retentionSeconds,
      receiveWaitTimeSeconds: r.queue.receiveWaitTimeSeconds,
      redrivePolicy: dlq.arn.apply((deadLetterTargetArn) =>
        JSON.stringify({ deadLetterTargetArn, maxReceiveCount: r.queue.maxReceiveCount }),
      ),
      ...encryption(kmsKeyArn),
      tags,
    },
    { parent },
  );
  const tlsOnly = (role: string, q: aws.sqs.Queue) =>
    new aws.sqs.QueuePolicy(
      `${name}-${role}-policy`,
      { queueUrl: q.url, policy: q.arn.apply(denyInsecureTransportPolicy) },
      { parent },
    );
  return { queue, dlq, queuePolicy: tlsOnly("queue", queue), dlqPolicy: tlsOnly("dlq", dlq) };
}
