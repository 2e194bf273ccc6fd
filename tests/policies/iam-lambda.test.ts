import { describe, expect, it } from "vitest";
import { iamNoWildcardMutations } from "../../policies/iam";
import { lambdaHasTimeoutLogRetentionAndDlq } from "../../policies/lambda";
import { direct, STACK_URN, UNKNOWN, urnOf, withField, wrapped } from "./harness";
import { lambdaStack, rolePolicy, SCOPED_STATEMENT } from "./resources";

describe("iam-no-wildcard-mutations", () => {
  const rule = iamNoWildcardMutations;
  const metrics = { Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*" };
  const reads = {
    Effect: "Allow",
    Action: ["ec2:DescribeSpotPriceHistory", "cloudwatch:GetMetricData"],
    Resource: "*",
  };

  it("passes scoped mutations, reads on *, and actions without resource-level permissions", () => {
    expect(direct(rule, [rolePolicy([SCOPED_STATEMENT, metrics, reads])])).toEqual([]);
  });

  it("reports a wildcard action", () => {
    const statement = { ...SCOPED_STATEMENT, Action: ["sqs:*"] };
    expect(direct(rule, [rolePolicy([statement])])).toEqual([
      'aws:iam/rolePolicy:RolePolicy "autoscaler" policy statement 0 allows sqs:*: list the actions instead of a wildcard.',
    ]);
  });

  it("reports a mutating action on Resource *", () => {
    const statement = { ...SCOPED_STATEMENT, Sid: "Scale", Resource: "*" };
    expect(direct(rule, [rolePolicy([statement])])).toEqual([
      'aws:iam/rolePolicy:RolePolicy "autoscaler" policy statement 0 (Scale) allows mutating actions (autoscaling:SetDesiredCapacity) on Resource "*": scope them to ARNs or add a Condition.',
    ]);
  });

  it("accepts Resource * scoped by a Condition, and ignores Deny", () => {
    const conditioned = {
      ...SCOPED_STATEMENT,
      Resource: "*",
      Condition: { StringEquals: { "aws:ResourceTag/x": "y" } },
    };
    const deny = { Effect: "Deny", Action: "*", Resource: "*" };
    expect(direct(rule, [rolePolicy([conditioned, deny])])).toEqual([]);
  });

  it("checks a role's inline policies and a queue policy", () => {
    const role = {
      type: "aws:iam/role:Role",
      name: "fn",
      props: {
        inlinePolicies: [
          { name: "all", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) },
        ],
      },
    };
    const queuePolicy = {
      type: "aws:sqs/queuePolicy:QueuePolicy",
      name: "events",
      props: {
        policy: JSON.stringify({ Statement: { Effect: "Allow", NotAction: "sqs:DeleteQueue", Resource: "*" } }),
      },
    };
    expect(direct(rule, [role, queuePolicy])).toEqual([
      'aws:iam/role:Role "fn" inline policy all statement 0 allows *: list the actions instead of a wildcard.',
      'aws:sqs/queuePolicy:QueuePolicy "events" policy statement 0 allows NotAction/NotResource, which grants everything not listed; list what it allows.',
    ]);
  });

  it("reports a policy that is not JSON", () => {
    const broken = withField(rolePolicy([]), "props.policy", "{not json");
    expect(direct(rule, [broken])).toEqual([
      'aws:iam/rolePolicy:RolePolicy "autoscaler" policy is not a JSON policy document.',
    ]);
  });

  it("reads the actions allowed on * from config", () => {
    const put = { Effect: "Allow", Action: "autoscaling:SetDesiredCapacity", Resource: "*" };
    expect(direct(rule, [rolePolicy([put])], { allowedOnAnyResource: ["autoscaling:SetDesiredCapacity"] })).toEqual([]);
  });

  it("reports through the engine's wrapping, and cannot run on an unknown document", async () => {
    const wild = rolePolicy([{ ...SCOPED_STATEMENT, Action: "*" }]);
    expect((await wrapped(rule, [wild])).map((v) => [v.enforcementLevel, v.urn])).toEqual([["mandatory", urnOf(wild)]]);
    const unknown = await wrapped(rule, [withField(rolePolicy([]), "props.policy", UNKNOWN)]);
    expect(unknown.map((v) => [v.enforcementLevel, v.message])).toEqual([
      [
        "advisory",
        `can't run policy '${rule.name}' during preview: string value at .policy can't be known during preview`,
      ],
    ]);
  });
});

describe("lambda-has-timeout-log-retention-and-dlq", () => {
  const rule = lambdaHasTimeoutLogRetentionAndDlq;
  const [fn, logGroup, invokeConfig] = lambdaStack() as [
    ReturnType<typeof lambdaStack>[0],
    ReturnType<typeof lambdaStack>[0],
    ReturnType<typeof lambdaStack>[0],
  ];

  it("passes a function with a timeout, a retained log group and an on-failure destination", () => {
    expect(direct(rule, lambdaStack())).toEqual([]);
  });

  it("reports a function without a timeout", () => {
    expect(direct(rule, [withField(fn, "props.timeout", undefined), logGroup, invokeConfig])).toEqual([
      'Lambda function "gpufleet-autoscaler" sets no timeout: set one explicitly (the 3 s default rarely fits).',
    ]);
  });

  it("reports a timeout above the configured maximum", () => {
    expect(direct(rule, lambdaStack(), { maxTimeoutSeconds: 30 })).toEqual([
      'Lambda function "gpufleet-autoscaler" has a timeout of 60 s, above the maximum of 30 s.',
    ]);
  });

  it("reports a function without a log group", () => {
    expect(direct(rule, [fn, invokeConfig])).toEqual([
      'Lambda function "gpufleet-autoscaler" has no log group with a retention: create log group "/aws/lambda/gpufleet-autoscaler" with retentionInDays.',
    ]);
  });

  it("reports a log group that keeps logs forever", () => {
    expect(direct(rule, [fn, withField(logGroup, "props.retentionInDays", undefined), invokeConfig])).toEqual([
      'Lambda function "gpufleet-autoscaler" logs to "/aws/lambda/gpufleet-autoscaler", which keeps logs forever: set retentionInDays.',
    ]);
  });

  it("follows loggingConfig.logGroup", () => {
    const custom = withField(fn, "props.loggingConfig", { logGroup: "/gpufleet/functions" });
    const group = withField(logGroup, "props.name", "/gpufleet/functions");
    expect(direct(rule, [custom, group, invokeConfig])).toEqual([]);
  });

  it("reports a function without a dead-letter target", () => {
    expect(direct(rule, [fn, logGroup])).toEqual([
      'Lambda function "gpufleet-autoscaler" has no dead-letter target for failed asynchronous invocations: set deadLetterConfig.targetArn or add a FunctionEventInvokeConfig with destinationConfig.onFailure.',
    ]);
  });

  it("accepts deadLetterConfig, or an SQS event source instead of async invocations", () => {
    const withDlq = withField(fn, "props.deadLetterConfig", { targetArn: "arn:aws:sqs:us-east-1:123456789012:dlq" });
    const mapping = {
      type: "aws:lambda/eventSourceMapping:EventSourceMapping",
      name: "events",
      props: {
        eventSourceArn: "arn:aws:sqs:us-east-1:1:q",
        functionName: "arn:aws:lambda:us-east-1:1:function:gpufleet-autoscaler",
      },
    };
    expect(direct(rule, [withDlq, logGroup])).toEqual([]);
    expect(direct(rule, [fn, logGroup, mapping])).toEqual([]);
  });

  it("reports through the engine's wrapping, and keeps checking past an unknown log group name", async () => {
    const noTimeout = withField(fn, "props.timeout", undefined);
    expect((await wrapped(rule, [noTimeout, logGroup, invokeConfig])).map((v) => [v.enforcementLevel, v.urn])).toEqual([
      ["mandatory", urnOf(fn)],
    ]);
    const unknownGroup = withField(logGroup, "props.name", UNKNOWN);
    const violations = await wrapped(rule, [noTimeout, unknownGroup, invokeConfig]);
    expect(violations.map((v) => [v.enforcementLevel, v.urn, v.message])).toEqual([
      [
        "mandatory",
        urnOf(fn),
        'Lambda function "gpufleet-autoscaler" sets no timeout: set one explicitly (the 3 s default rarely fits).',
      ],
      [
        "advisory",
        STACK_URN,
        `can't run policy '${rule.name}' during preview: string value at .name can't be known during preview`,
      ],
    ]);
  });
});
