/** SQS adapter: the queue's depth from GetQueueAttributes, read with a bound on concurrent calls. */
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { describeError } from "../kit/aws-error";
import { mapLimit } from "../kit/concurrency";

export interface QueueDepth {
  visible: number;
  inFlight: number;
  observedAtMs: number;
}

export type DepthResult = { ok: true; depth: QueueDepth } | { ok: false; error: string };

function count(value: string | undefined, name: string): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${name} (${value}) is not a count`);
  return n;
}

/** Reads each queue's visible and in-flight counts; a failed read is reported for that queue only. */
export async function readQueueDepths(
  client: SQSClient,
  queueUrls: readonly string[],
  concurrency: number,
  now: () => number,
): Promise<DepthResult[]> {
  return mapLimit(queueUrls, concurrency, async (queueUrl): Promise<DepthResult> => {
    try {
      const answer = await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      );
      const attributes = answer.Attributes ?? {};
      return {
        ok: true,
        depth: {
          visible: count(attributes.ApproximateNumberOfMessages, "ApproximateNumberOfMessages"),
          inFlight: count(attributes.ApproximateNumberOfMessagesNotVisible, "ApproximateNumberOfMessagesNotVisible"),
          observedAtMs: now(),
        },
      };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  });
}
