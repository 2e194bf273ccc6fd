import { describe, expect, it } from "vitest";
import { queueEncrypted, queueHasDlq, queueVisibilityCoversProcessing } from "../../policies/queue";
import { direct, STACK_URN, UNKNOWN, urnOf, withField, wrapped } from "./harness";
import { queue } from "./resources";

describe("queue-encrypted", () => {
  const rule = queueEncrypted;

  it("passes SSE-SQS and a KMS key", () => {
    const kms = withField(
      withField(queue(), "props.sqsManagedSseEnabled", undefined),
      "props.kmsMasterKeyId",
      "alias/q",
    );
    expect(direct(rule, [queue(), kms])).toEqual([]);
  });

  it("reports a queue without encryption", () => {
    expect(direct(rule, [withField(queue(), "props.sqsManagedSseEnabled", false)])).toEqual([
      'SQS queue "llm" is not encrypted at rest: set sqsManagedSseEnabled or kmsMasterKeyId.',
    ]);
  });

  it("reports through the engine's wrapping, and cannot run on an unknown flag", async () => {
    const plain = withField(queue(), "props.sqsManagedSseEnabled", false);
    expect(await wrapped(rule, [plain])).toEqual([
      {
        rule: rule.name,
        enforcementLevel: "mandatory",
        urn: urnOf(plain),
        message: 'SQS queue "llm" is not encrypted at rest: set sqsManagedSseEnabled or kmsMasterKeyId.',
      },
    ]);
    const unknown = await wrapped(rule, [withField(queue(), "props.sqsManagedSseEnabled", UNKNOWN)]);
    expect(unknown.map((v) => [v.enforcementLevel, v.message])).toEqual([
      [
        "advisory",
        `can't run policy '${rule.name}' during preview: string value at .sqsManagedSseEnabled can't be known during preview`,
      ],
    ]);
  });
});

describe("queue-has-dlq", () => {
  const rule = queueHasDlq;

  it("passes a queue with a redrive policy, and a dead-letter queue itself", () => {
    const dlq = withField(queue("llm-dlq"), "props.redrivePolicy", undefined);
    expect(direct(rule, [queue(), dlq])).toEqual([]);
  });

  it("reports a queue without a redrive policy", () => {
    expect(direct(rule, [withField(queue(), "props.redrivePolicy", undefined)])).toEqual([
      'SQS queue "llm" has no dead-letter queue: set redrivePolicy with deadLetterTargetArn and maxReceiveCount.',
    ]);
  });

  it("reports a redrive policy without a receive count", () => {
    const bad = withField(queue(), "props.redrivePolicy", JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:r:1:d" }));
    expect(direct(rule, [bad])).toEqual([
      'SQS queue "llm" has a redrivePolicy without a deadLetterTargetArn and a maxReceiveCount between 1 and 1000.',
    ]);
  });

  it("reports through the engine's wrapping, and cannot run on an unknown redrive policy", async () => {
    const none = withField(queue(), "props.redrivePolicy", undefined);
    expect((await wrapped(rule, [none])).map((v) => [v.enforcementLevel, v.urn])).toEqual([["mandatory", urnOf(none)]]);
    const unknown = await wrapped(rule, [withField(queue(), "props.redrivePolicy", UNKNOWN)]);
    expect(unknown.map((v) => [v.enforcementLevel, v.message])).toEqual([
      [
        "advisory",
        `can't run policy '${rule.name}' during preview: string value at .redrivePolicy can't be known during preview`,
      ],
    ]);
  });
});

describe("queue-visibility-covers-processing", () => {
  const rule = queueVisibilityCoversProcessing;
  const consumer = (timeout: number) => [
    { type: "aws:lambda/function:Function", name: "rebalancer", props: { name: "gpufleet-rebalancer", timeout } },
    {
      type: "aws:lambda/eventSourceMapping:EventSourceMapping",
      name: "events",
      props: {
        eventSourceArn: "arn:aws:sqs:us-east-1:123456789012:llm",
        functionName: "arn:aws:lambda:us-east-1:123456789012:function:gpufleet-rebalancer",
      },
    },
  ];

  it("passes a queue whose visibility covers 6x its consumer's timeout", () => {
    expect(direct(rule, [queue(), ...consumer(60)])).toEqual([]);
  });

  it("reports a queue a Lambda consumer can outlast", () => {
    expect(direct(rule, [queue(), ...consumer(61)])).toEqual([
      'SQS queue "llm" has a visibility timeout of 360 s but its consumer Lambda "gpufleet-rebalancer" may run 61 s: set at least 366 s (6x the function timeout).',
    ]);
  });

  it("reports a visibility timeout below the minimum", () => {
    expect(direct(rule, [withField(queue(), "props.visibilityTimeoutSeconds", 10)])).toEqual([
      'SQS queue "llm" has a visibility timeout of 10 s, below the minimum of 30 s.',
    ]);
  });

  it("reads the multiple from config", () => {
    expect(direct(rule, [queue(), ...consumer(60)], { lambdaTimeoutMultiple: 7 })).toEqual([
      'SQS queue "llm" has a visibility timeout of 360 s but its consumer Lambda "gpufleet-rebalancer" may run 60 s: set at least 420 s (7x the function timeout).',
    ]);
  });

  it("reports through the engine's wrapping, and cannot run on an unknown timeout", async () => {
    expect((await wrapped(rule, [queue(), ...consumer(61)])).map((v) => [v.enforcementLevel, v.urn])).toEqual([
      ["mandatory", urnOf(queue())],
    ]);
    const unknown = await wrapped(rule, [withField(queue(), "props.visibilityTimeoutSeconds", UNKNOWN)]);
    expect(unknown.map((v) => [v.enforcementLevel, v.urn, v.message])).toEqual([
      [
        "advisory",
        STACK_URN,
        `can't run policy '${rule.name}' during preview: string value at .visibilityTimeoutSeconds can't be known during preview`,
      ],
    ]);
  });
});
