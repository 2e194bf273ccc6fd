import { configOf, type GpufleetResourceRule, type Props, UnknownTolerantChecks, validateTypes } from "./policy-kit";
import { asArray, asObject, asString, asStringArray } from "./props";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const POLICY = "aws:iam/policy:Policy";
const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";

/**
 * Verbs that only read. Everything else counts as mutating, so a new AWS verb is treated
 * as dangerous until someone says otherwise.
 */
const READ_ONLY_VERBS = [
  "Get",
  "List",
  "Describe",
  "Head",
  "Query",
  "Scan",
  "BatchGet",
  "Search",
  "Select",
  "Lookup",
  "View",
];

export const DEFAULT_WILDCARD_RESOURCE_ACTIONS = [
  "cloudwatch:PutMetricData",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
];

function isReadOnly(action: string): boolean {
  const verb = action.split(":")[1] ?? "";
  return READ_ONLY_VERBS.some((prefix) => verb.startsWith(prefix));
}

function toList(value: unknown): string[] {
  return typeof value === "string" ? [value] : asStringArray(value);
}

/** Policy documents arrive as JSON strings (the SDK serializes objects before the engine sees them). */
function parseDocument(value: unknown): Props | undefined | "invalid" {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === "string") {
    try {
      return asObject(JSON.parse(value)) ?? "invalid";
    } catch {
      return "invalid";
    }
  }
  return asObject(value) ?? "invalid";
}

/** Problems with one policy document, one message each. */
export function wildcardProblems(document: Props, allowedOnAnyResource: readonly string[]): string[] {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const problems: string[] = [];
  for (const [index, raw] of statements.entries()) {
    const statement = asObject(raw);
    if (!statement || asString(statement.Effect) === "Deny") {
      continue;
    }
    const sid = asString(statement.Sid);
    const label = sid ? `statement ${index} (${sid})` : `statement ${index}`;
    if (statement.NotAction !== undefined || statement.NotResource !== undefined) {
      problems.push(`${label} allows NotAction/NotResource, which grants everything not listed; list what it allows.`);
      continue;
    }
    const actions = toList(statement.Action);
    const wildcardActions = actions.filter((a) => a === "*" || a.endsWith(":*"));
    if (wildcardActions.length > 0) {
      problems.push(`${label} allows ${wildcardActions.join(", ")}: list the actions instead of a wildcard.`);
    }
    const anyResource = toList(statement.Resource).some((r) => r === "*");
    // A Condition (e.g. on aws:ResourceTag) scopes a statement that has no resource-level permissions.
    if (!anyResource || statement.Condition !== undefined) {
      continue;
    }
    const mutating = actions.filter(
      (a) => !wildcardActions.includes(a) && !isReadOnly(a) && !allowedOnAnyResource.includes(a),
    );
    if (mutating.length > 0) {
      problems.push(
        `${label} allows mutating actions (${mutating.join(", ")}) on Resource "*": scope them to ARNs or add a Condition.`,
      );
    }
  }
  return problems;
}

export const iamNoWildcardMutations: GpufleetResourceRule = {
  name: "iam-no-wildcard-mutations",
  description:
    'IAM and queue policies grant no wildcard action and no mutating action on Resource "*": functions get least privilege on the ARNs they touch.',
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedOnAnyResource: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_WILDCARD_RESOURCE_ACTIONS,
        description: 'Mutating actions AWS offers no resource-level permission for, allowed on Resource "*".',
      },
    },
  },
  validateResource: validateTypes([ROLE, ROLE_POLICY, POLICY, QUEUE_POLICY], (props, args, report) => {
    const { allowedOnAnyResource } = configOf(args, { allowedOnAnyResource: DEFAULT_WILDCARD_RESOURCE_ACTIONS });
    const documents: [string, unknown][] =
      args.type === ROLE
        ? asArray(props.inlinePolicies).map((p, i) => [
            `inline policy ${asString(asObject(p)?.name) ?? i}`,
            asObject(p)?.policy,
          ])
        : [["policy", props.policy]];
    const checks = new UnknownTolerantChecks();
    for (const [where, value] of documents) {
      checks.run(() => {
        const document = parseDocument(value);
        const subject = `${args.type} "${args.name}" ${where}`;
        if (document === "invalid") {
          report(`${subject} is not a JSON policy document.`);
          return;
        }
        for (const problem of document ? wildcardProblems(document, allowedOnAnyResource) : []) {
          report(`${subject} ${problem}`);
        }
      });
    }
    checks.finish();
  }),
};
