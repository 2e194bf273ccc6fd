import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { resetMoto } from "../support/moto-server";

// Proves the rig: the SDK client is built with no endpoint option at all and reaches the
// emulator through AWS_ENDPOINT_URL, exactly as production code will.
describe("the AWS API peer", () => {
  const sqs = new SQSClient({});

  beforeEach(async () => {
    await resetMoto(inject("awsEndpoint"));
  });

  it("serves SQS with a DLQ redrive policy, send, receive, delete and attributes", async () => {
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: "rig-dlq" }));
    const dlqAttributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }),
    );
    const dlqArn = dlqAttributes.Attributes?.QueueArn;
    expect(dlqArn).toBe("arn:aws:sqs:us-east-1:123456789012:rig-dlq");

    const queue = await sqs.send(
      new CreateQueueCommand({
        QueueName: "rig",
        Attributes: {
          VisibilityTimeout: "30",
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }),
        },
      }),
    );

    await sqs.send(new SendMessageCommand({ QueueUrl: queue.QueueUrl, MessageBody: '{"prompt":"hello"}' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, MaxNumberOfMessages: 10 }));
    expect(received.Messages).toHaveLength(1);
    expect(received.Messages?.[0]?.Body).toBe('{"prompt":"hello"}');

    const inFlight = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue.QueueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "RedrivePolicy"],
      }),
    );
    expect(inFlight.Attributes?.ApproximateNumberOfMessages).toBe("0");
    expect(inFlight.Attributes?.ApproximateNumberOfMessagesNotVisible).toBe("1");
    expect(JSON.parse(inFlight.Attributes?.RedrivePolicy ?? "{}")).toEqual({
      deadLetterTargetArn: dlqArn,
      maxReceiveCount: 3,
    });

    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: queue.QueueUrl, ReceiptHandle: received.Messages?.[0]?.ReceiptHandle }),
    );
    const drained = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue.QueueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    expect(drained.Attributes).toMatchObject({
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesNotVisible: "0",
    });
  });
});
