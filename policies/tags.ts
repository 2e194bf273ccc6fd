import type { ResourceValidationArgs } from "@pulumi/policy";
import { configOf, type GpufleetResourceRule } from "./policy-kit";
import { asObject, asString, path } from "./props";

/** The taggable AWS resource types a gpufleet stack creates. */
export const DEFAULT_TAGGABLE_TYPES = [
  "aws:eks/cluster:Cluster",
  "aws:eks/nodeGroup:NodeGroup",
  "aws:sqs/queue:Queue",
  "aws:iam/role:Role",
  "aws:iam/policy:Policy",
  "aws:lambda/function:Function",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/eventRule:EventRule",
  "aws:kms/key:Key",
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/launchTemplate:LaunchTemplate",
  "aws:dynamodb/table:Table",
];

export const DEFAULT_TAG_KEYS = ["cost-center", "team"];

/** Tags the provider adds to every resource (`defaultTags`), which never show in a resource's own inputs. */
function providerDefaultTags(args: ResourceValidationArgs): Record<string, unknown> {
  const raw = args.provider?.props.defaultTags;
  const parsed = typeof raw === "string" ? safeJson(raw) : raw;
  return asObject(path(parsed, "tags")) ?? {};
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const requiredCostTags: GpufleetResourceRule = {
  name: "required-cost-tags",
  description:
    "Every taggable resource carries the cost-allocation tag keys (on the resource or through the provider's defaultTags), so GPU spend can be charged back.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      tagKeys: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_TAG_KEYS,
        description: "Tag keys every taggable resource must carry.",
      },
      resourceTypes: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_TAGGABLE_TYPES,
        description: "Resource types the rule checks.",
      },
    },
  },
  validateResource: (args, report) => {
    const { tagKeys, resourceTypes } = configOf(args, {
      tagKeys: DEFAULT_TAG_KEYS,
      resourceTypes: DEFAULT_TAGGABLE_TYPES,
    });
    if (!resourceTypes.includes(args.type)) {
      return;
    }
    const props = args.props as Record<string, unknown>;
    const tags = { ...providerDefaultTags(args), ...(asObject(props.tagsAll) ?? {}), ...(asObject(props.tags) ?? {}) };
    const missing = tagKeys.filter((key) => {
      const value = key in tags ? asString(tags[key]) : undefined;
      return value === undefined || value === "";
    });
    if (missing.length > 0) {
      report(`${args.type} "${args.name}" is missing cost tags: ${missing.join(", ")}.`);
    }
  },
};
