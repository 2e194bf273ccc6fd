import type { PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { evaluate, type Violation } from "../../policies/plan/evaluate";
import type { GpufleetRule } from "../../policies/policy-kit";

/** A resource as a test writes it: type, name and plain props. */
export interface TestResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
}

/** What the engine puts where a value is unknown during preview. */
export const UNKNOWN = pulumi.runtime.unknownValue;

export const urnOf = (r: TestResource) => `urn:pulumi:test::gpufleet::${r.type}::${r.name}`;
export const STACK_URN = "urn:pulumi:test::gpufleet::pulumi:pulumi:Stack::gpufleet-test";

const OPTIONS = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

/** Runs a rule straight on plain props (no engine wrapping) and returns its messages. */
export function direct(rule: GpufleetRule, resources: TestResource[], config: object = {}): string[] {
  const messages: string[] = [];
  const report = (message: string) => {
    messages.push(message);
  };
  const getConfig = <T extends object>() => config as T;
  const notApplicable = (): never => {
    throw new Error("not applicable");
  };
  if ("validateStack" in rule) {
    const policyResources: PolicyResource[] = resources.map((r) => ({
      type: r.type,
      name: r.name,
      urn: urnOf(r),
      props: r.props,
      opts: OPTIONS,
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    }));
    const args: StackValidationArgs = { resources: policyResources, stackTags: new Map(), getConfig, notApplicable };
    void rule.validateStack(args, report);
    return messages;
  }
  const validations = [rule.validateResource ?? []].flat();
  for (const r of resources) {
    for (const validate of validations) {
      const args: ResourceValidationArgs = {
        type: r.type,
        name: r.name,
        urn: urnOf(r),
        props: r.props,
        opts: OPTIONS,
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig,
        notApplicable,
      };
      void validate(args, report);
    }
  }
  return messages;
}

/** Runs a rule through the engine-style evaluation (wire props, unknown-checking proxy). */
export function wrapped(
  rule: GpufleetRule,
  resources: TestResource[],
  config: object = {},
  providerProps: Record<string, unknown> = {},
): Promise<Violation[]> {
  return evaluate(
    resources.map((r) => ({
      urn: urnOf(r),
      type: r.type,
      name: r.name,
      custom: true,
      inputs: r.props,
      dependencies: [],
    })),
    [rule],
    { [rule.name]: config as Record<string, unknown> },
    {
      project: "gpufleet",
      stack: "test",
      stackUrn: STACK_URN,
      defaultProviderProps: () => providerProps,
    },
  );
}

/** A deep copy of `value` with the field at `path` (dot-separated, numeric for array items) set. */
export function withField<T>(value: T, path: string, field: unknown): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split(".");
  let target: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    target = target[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1] as string;
  if (field === undefined) {
    delete target[last];
  } else {
    target[last] = field;
  }
  return copy as T;
}
