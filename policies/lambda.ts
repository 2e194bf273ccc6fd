import { configOf, type GpufleetStackRule, ofType, type Props, UnknownTolerantChecks } from "./policy-kit";
import { asNumber, asString, path } from "./props";
import { EVENT_SOURCE_MAPPING, LAMBDA_FUNCTION } from "./queue";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const EVENT_INVOKE_CONFIG = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig";

function functionName(props: Props, resourceName: string): string {
  return asString(props.name) ?? resourceName;
}

/** The function a reference names: a name, `name:qualifier`, or an ARN (possibly qualified). */
function referencedName(reference: string): string {
  const parts = reference.split(":");
  return (reference.startsWith("arn:") ? parts[6] : parts[0]) ?? reference;
}

function namesFunction(reference: string | undefined, name: string): boolean {
  return reference !== undefined && referencedName(reference) === name;
}

export const lambdaHasTimeoutLogRetentionAndDlq: GpufleetStackRule = {
  name: "lambda-has-timeout-log-retention-and-dlq",
  description:
    "Every Lambda function sets an explicit timeout, logs to a log group with a retention period, and sends failed asynchronous invocations to a dead-letter target (functions fed only by an SQS event source rely on the queue's DLQ).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxTimeoutSeconds: {
        type: "integer",
        minimum: 1,
        maximum: 900,
        default: 900,
        description: "Longest timeout a function may set.",
      },
    },
  },
  validateStack: (args, report) => {
    const { maxTimeoutSeconds } = configOf(args, { maxTimeoutSeconds: 900 });
    const checks = new UnknownTolerantChecks();
    const logGroups = ofType(args, LOG_GROUP);
    const invokeConfigs = ofType(args, EVENT_INVOKE_CONFIG);
    const mappings = ofType(args, EVENT_SOURCE_MAPPING);
    for (const fn of ofType(args, LAMBDA_FUNCTION)) {
      const name = functionName(fn.props, fn.name);
      const label = `Lambda function "${name}"`;
      checks.run(() => {
        const timeout = asNumber(fn.props.timeout);
        if (timeout === undefined) {
          report(`${label} sets no timeout: set one explicitly (the 3 s default rarely fits).`, fn.urn);
        } else if (timeout > maxTimeoutSeconds) {
          report(`${label} has a timeout of ${timeout} s, above the maximum of ${maxTimeoutSeconds} s.`, fn.urn);
        }
      });
      checks.run(() => {
        const wanted = asString(path(fn.props, "loggingConfig", "logGroup")) ?? `/aws/lambda/${name}`;
        const group = logGroups.find((g) => asString(g.props.name) === wanted);
        if (!group) {
          report(
            `${label} has no log group with a retention: create log group "${wanted}" with retentionInDays.`,
            fn.urn,
          );
        } else if ((asNumber(group.props.retentionInDays) ?? 0) <= 0) {
          report(`${label} logs to "${wanted}", which keeps logs forever: set retentionInDays.`, fn.urn);
        }
      });
      checks.run(() => {
        if (asString(path(fn.props, "deadLetterConfig", "targetArn"))) {
          return;
        }
        const onFailure = invokeConfigs.some(
          (c) =>
            namesFunction(asString(c.props.functionName), name) &&
            asString(path(c.props, "destinationConfig", "onFailure", "destination")) !== undefined,
        );
        const sqsFed = mappings.some((m) => namesFunction(asString(m.props.functionName), name));
        if (!onFailure && !sqsFed) {
          report(
            `${label} has no dead-letter target for failed asynchronous invocations: set deadLetterConfig.targetArn or add a FunctionEventInvokeConfig with destinationConfig.onFailure.`,
            fn.urn,
          );
        }
      });
    }
    checks.finish();
  },
};
