import { createRequire } from "node:module";
import type {
  EnforcementLevel,
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import { ConfigError } from "../../functions/problems";
import { type GpufleetRule, isUnknownValueError } from "../policy-kit";
import type { PlannedResource } from "./offline-engine";
import type { RuleSettings } from "./pack-config";

/** One policy finding, as the engine reports it. */
export interface Violation {
  rule: string;
  enforcementLevel: "advisory" | "mandatory";
  /** The resource in violation; the stack's URN for a finding about the stack as a whole. */
  urn: string;
  message: string;
}

/** Provider props by provider URN, for resources that name an explicit provider. */
export interface EvaluationContext {
  stackUrn: string;
  /** Props of the default provider of a package (`aws`, `kubernetes`), from the `aws:*` stack config. */
  defaultProviderProps: (pkg: string) => Record<string, unknown>;
  project: string;
  stack: string;
}

interface PolicyInternals {
  deserializeProperties(struct: { toJavaScript(): unknown }, proxySecrets: boolean): Record<string, unknown>;
  unknownCheckingProxy<T>(value: T): T;
}

// The engine's own code turns wire props into what a policy sees: plain values, with an
// unknown-checking proxy that throws on any unknown value a rule reads.
const load = createRequire(__filename);
const engine: PolicyInternals = {
  deserializeProperties: load("@pulumi/policy/deserialize").deserializeProperties,
  unknownCheckingProxy: load("@pulumi/policy/proxy").unknownCheckingProxy,
};

/** Wraps wire-form props exactly as the policy engine does before a rule sees them. */
export function wrapProps(wire: Record<string, unknown>): Record<string, unknown> {
  return engine.unknownCheckingProxy(engine.deserializeProperties({ toJavaScript: () => wire }, false));
}

/**
 * A rule's `notApplicable()`: control flow inside the evaluation, caught right here and never
 * shown, so not a ConfigError (nothing is wrong with the input).
 */
class NotApplicable extends Error {}

/** Resource classes from the provider SDKs carry their type token as `__pulumiType`. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  return (resourceClass as { __pulumiType?: unknown } | undefined)?.__pulumiType === type;
}

function optionsOf(resource: PlannedResource): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(resource.parent ? { parent: resource.parent } : {}),
  };
}

function levelOf(rule: GpufleetRule, settings: RuleSettings): "advisory" | "mandatory" | "disabled" {
  const level: EnforcementLevel = settings[rule.name]?.enforcementLevel ?? rule.enforcementLevel;
  // The engine runs a remediate-level rule's validation as mandatory.
  return level === "remediate" ? "mandatory" : level;
}

function providerOf(resource: PlannedResource, byUrn: Map<string, PlannedResource>, context: EvaluationContext) {
  if (resource.provider) {
    const urn = resource.provider.slice(0, resource.provider.lastIndexOf("::"));
    const provider = byUrn.get(urn);
    if (provider) {
      return { type: provider.type, props: wrapProps(provider.inputs), urn, name: provider.name };
    }
  }
  const pkg = resource.type.split(":")[0] ?? "";
  if (!resource.custom || pkg === "pulumi") {
    return undefined;
  }
  const type = `pulumi:providers:${pkg}`;
  return {
    type,
    props: wrapProps(context.defaultProviderProps(pkg)),
    urn: `urn:pulumi:${context.stack}::${context.project}::${type}::default`,
    name: "default",
  } satisfies PolicyProviderResource;
}

/**
 * Runs every enabled rule over the planned resources the way the engine does during a
 * preview: resource rules once per resource, stack rules once over all of them; a rule that
 * reads an unknown value yields an advisory "can't run during preview" finding.
 */
export async function evaluate(
  resources: PlannedResource[],
  rules: readonly GpufleetRule[],
  settings: RuleSettings,
  context: EvaluationContext,
): Promise<Violation[]> {
  const violations: Violation[] = [];
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const run = async (rule: GpufleetRule, where: string, body: () => unknown) => {
    try {
      await body();
    } catch (error) {
      if (isUnknownValueError(error)) {
        violations.push({
          rule: rule.name,
          enforcementLevel: "advisory",
          urn: where,
          message: `can't run policy '${rule.name}' during preview: ${(error as Error).message}`,
        });
      } else if (!(error instanceof NotApplicable)) {
        throw new ConfigError(`policy ${rule.name}`, [
          {
            field: where,
            rule: `cannot be checked: the rule failed with ${(error as Error).message ?? String(error)}`,
          },
        ]);
      }
    }
  };
  const getConfigFor =
    (rule: GpufleetRule) =>
    <T extends object>(): T => {
      const { enforcementLevel: _level, ...properties } = settings[rule.name] ?? {};
      return properties as T;
    };
  const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
  };

  for (const rule of rules) {
    const level = levelOf(rule, settings);
    if (level === "disabled" || !("validateResource" in rule) || !rule.validateResource) {
      continue;
    }
    const validations = Array.isArray(rule.validateResource) ? rule.validateResource : [rule.validateResource];
    for (const resource of resources) {
      const report: ReportViolation = (message) =>
        violations.push({ rule: rule.name, enforcementLevel: level, urn: resource.urn, message });
      for (const validation of validations) {
        await run(rule, resource.urn, () => {
          const props = wrapProps(resource.inputs);
          const args: ResourceValidationArgs = {
            type: resource.type,
            props,
            urn: resource.urn,
            name: resource.name,
            opts: optionsOf(resource),
            provider: providerOf(resource, byUrn, context),
            stackTags: new Map(),
            isType: (cls) => isTypeOf(resource.type, cls),
            asType: (cls) => (isTypeOf(resource.type, cls) ? props : undefined) as never,
            getConfig: getConfigFor(rule),
            notApplicable,
          };
          return validation(args, report);
        });
      }
    }
  }

  for (const rule of rules) {
    const level = levelOf(rule, settings);
    if (level === "disabled" || !("validateStack" in rule)) {
      continue;
    }
    const policyResources: PolicyResource[] = resources.map((r) => {
      const props = wrapProps(r.inputs);
      return {
        type: r.type,
        props,
        urn: r.urn,
        name: r.name,
        opts: optionsOf(r),
        provider: providerOf(r, byUrn, context),
        // Filled in below, once every resource has its policy view.
        dependencies: [],
        propertyDependencies: {},
        isType: (cls) => isTypeOf(r.type, cls),
        asType: (cls) => (isTypeOf(r.type, cls) ? props : undefined) as never,
      };
    });
    const byPolicyUrn = new Map(policyResources.map((r) => [r.urn, r]));
    for (const [index, r] of resources.entries()) {
      const deps = r.dependencies.flatMap((urn) => byPolicyUrn.get(urn) ?? []);
      policyResources[index]?.dependencies.push(...deps);
    }
    for (const [index, r] of resources.entries()) {
      const parent = r.parent ? byPolicyUrn.get(r.parent) : undefined;
      const policyResource = policyResources[index];
      if (parent && policyResource) {
        policyResource.parent = parent;
      }
    }
    const report: ReportViolation = (message, urn) =>
      violations.push({ rule: rule.name, enforcementLevel: level, urn: urn ?? context.stackUrn, message });
    await run(rule, context.stackUrn, () => {
      const args: StackValidationArgs = {
        resources: policyResources,
        stackTags: new Map(),
        getConfig: getConfigFor(rule),
        notApplicable,
      };
      return rule.validateStack(args, report);
    });
  }
  return violations;
}
