import {
  configOf,
  type GpufleetResourceRule,
  type GpufleetStackRule,
  ofType,
  type Props,
  UnknownTolerantChecks,
  validateTypes,
} from "./policy-kit";
import { asNumber, asObject, asString } from "./props";

export const QUEUE = "aws:sqs/queue:Queue";
export const EVENT_SOURCE_MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";
export const LAMBDA_FUNCTION = "aws:lambda/function:Function";

/** SQS's default visibility timeout when the queue sets none. */
const DEFAULT_VISIBILITY_SECONDS = 30;
/** Lambda's default timeout when the function sets none. */
export const DEFAULT_LAMBDA_TIMEOUT_SECONDS = 3;

function queueName(props: Props, resourceName: string): string {
  return asString(props.name) ?? asString(props.namePrefix) ?? resourceName;
}

/** A redrive policy is a JSON string (or, before serialization, an object). */
function parseJsonObject(value: unknown): Props | undefined {
  if (typeof value === "string") {
    try {
      return asObject(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return asObject(value);
}

export const queueEncrypted: GpufleetResourceRule = {
  name: "queue-encrypted",
  description: "SQS queues encrypt messages at rest, with SQS-managed keys or a KMS key.",
  enforcementLevel: "mandatory",
  validateResource: validateTypes([QUEUE], (props, args, report) => {
    const kms = asString(props.kmsMasterKeyId);
    if (props.sqsManagedSseEnabled !== true && (kms === undefined || kms === "")) {
      report(
        `SQS queue "${queueName(props, args.name)}" is not encrypted at rest: set sqsManagedSseEnabled or kmsMasterKeyId.`,
      );
    }
  }),
};

export const queueHasDlq: GpufleetResourceRule = {
  name: "queue-has-dlq",
  description:
    "Every SQS queue that is not itself a dead-letter queue redrives poison messages to one after a bounded number of receives.",
  enforcementLevel: "mandatory",
  validateResource: validateTypes([QUEUE], (props, args, report) => {
    const name = queueName(props, args.name);
    // A dead-letter queue declares who may redrive into it; it needs no DLQ of its own.
    if (props.redriveAllowPolicy !== undefined || /-(dlq|dead-?letter)$/.test(name)) {
      return;
    }
    if (props.redrivePolicy === undefined) {
      report(
        `SQS queue "${name}" has no dead-letter queue: set redrivePolicy with deadLetterTargetArn and maxReceiveCount.`,
      );
      return;
    }
    const redrive = parseJsonObject(props.redrivePolicy);
    const target = asString(redrive?.deadLetterTargetArn);
    const receives = asNumber(redrive?.maxReceiveCount);
    if (!target || receives === undefined || receives < 1 || receives > 1000) {
      report(
        `SQS queue "${name}" has a redrivePolicy without a deadLetterTargetArn and a maxReceiveCount between 1 and 1000.`,
      );
    }
  }),
};

/** The queue an event source mapping reads, by ARN or by the queue name the ARN ends in. */
function queueMatches(queue: { props: Props; name: string }, eventSourceArn: string): boolean {
  const arn = asString(queue.props.arn);
  if (arn !== undefined) {
    return arn === eventSourceArn;
  }
  return eventSourceArn.split(":").pop() === queueName(queue.props, queue.name);
}

function functionMatches(fn: { props: Props; name: string }, functionName: string): boolean {
  const name = asString(fn.props.name) ?? fn.name;
  const arn = asString(fn.props.arn);
  return functionName === name || functionName === arn || functionName.endsWith(`:function:${name}`);
}

export const queueVisibilityCoversProcessing: GpufleetStackRule = {
  name: "queue-visibility-covers-processing",
  description:
    "A queue's visibility timeout covers the time its consumer may take, so a message is not handed to a second consumer while the first still works on it (AWS: at least 6x the function timeout for Lambda consumers).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      lambdaTimeoutMultiple: {
        type: "number",
        minimum: 1,
        default: 6,
        description: "Visibility timeout as a multiple of the consuming function's timeout.",
      },
      minVisibilityTimeoutSeconds: {
        type: "integer",
        minimum: 0,
        default: 30,
        description: "Shortest visibility timeout any queue may have.",
      },
    },
  },
  validateStack: (args, report) => {
    const { lambdaTimeoutMultiple, minVisibilityTimeoutSeconds } = configOf(args, {
      lambdaTimeoutMultiple: 6,
      minVisibilityTimeoutSeconds: 30,
    });
    const checks = new UnknownTolerantChecks();
    const queues = ofType(args, QUEUE);
    const functions = ofType(args, LAMBDA_FUNCTION);
    const visibility = (props: Props) => asNumber(props.visibilityTimeoutSeconds) ?? DEFAULT_VISIBILITY_SECONDS;
    for (const queue of queues) {
      checks.run(() => {
        const seconds = visibility(queue.props);
        if (seconds < minVisibilityTimeoutSeconds) {
          report(
            `SQS queue "${queueName(queue.props, queue.name)}" has a visibility timeout of ${seconds} s, below the minimum of ${minVisibilityTimeoutSeconds} s.`,
            queue.urn,
          );
        }
      });
    }
    for (const mapping of ofType(args, EVENT_SOURCE_MAPPING)) {
      checks.run(() => {
        const source = asString(mapping.props.eventSourceArn);
        const target = asString(mapping.props.functionName);
        if (!source?.startsWith("arn:aws:sqs:") && !source?.includes(":sqs:")) {
          return;
        }
        const queue = queues.find((q) => queueMatches(q, source));
        const fn = target === undefined ? undefined : functions.find((f) => functionMatches(f, target));
        if (!queue || !fn) {
          return;
        }
        const timeout = asNumber(fn.props.timeout) ?? DEFAULT_LAMBDA_TIMEOUT_SECONDS;
        const needed = timeout * lambdaTimeoutMultiple;
        const seconds = visibility(queue.props);
        if (seconds < needed) {
          report(
            `SQS queue "${queueName(queue.props, queue.name)}" has a visibility timeout of ${seconds} s but its consumer Lambda "${asString(fn.props.name) ?? fn.name}" may run ${timeout} s: set at least ${needed} s (${lambdaTimeoutMultiple}x the function timeout).`,
            queue.urn,
          );
        }
      });
    }
    checks.finish();
  },
};
