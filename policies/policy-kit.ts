import { createRequire } from "node:module";
import type {
  EnforcementLevel,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

/**
 * The building blocks every gpufleet rule uses. Rules are plain typed constants: importing
 * one starts nothing (only `new PolicyPack` in index.ts serves the engine's gRPC protocol).
 */

/** A resource rule: checks one resource's inputs. */
export interface GpufleetResourceRule extends ResourceValidationPolicy {
  enforcementLevel: EnforcementLevel;
}

/** A stack rule: cross-references the stack's resources. */
export interface GpufleetStackRule extends StackValidationPolicy {
  enforcementLevel: EnforcementLevel;
}

export type GpufleetRule = GpufleetResourceRule | GpufleetStackRule;

/** A value read from resource props: anything, since props are whatever the program passed. */
export type Props = Record<string, unknown>;

/**
 * A resource validation that runs only for the given resource types, tagged the way
 * `validateResourceOfType` tags it so the engine skips other types without calling it.
 * Types are compared by token, so the pack never loads the (large) provider SDKs.
 */
export function validateTypes(
  types: readonly string[],
  validate: (props: Props, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidationPolicy["validateResource"] {
  const fn = (args: ResourceValidationArgs, report: ReportViolation) => {
    if (!types.includes(args.type)) {
      return;
    }
    validate(args.props as Props, args, report);
  };
  if (types.length === 1) {
    (fn as { __pulumiType?: string }).__pulumiType = types[0];
  }
  return fn;
}

/** The resources of a stack of one type. */
export function ofType(args: StackValidationArgs, type: string): PolicyResource[] {
  return args.resources.filter((r) => r.type === type);
}

/** A policy's config merged over its defaults (the engine passes `{}` when nothing is configured). */
export function configOf<T extends object>(args: { getConfig<C extends object>(): C }, defaults: T): T {
  const given = args.getConfig<Partial<T>>() ?? {};
  const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(given)) {
    if (value !== undefined && value !== null) {
      merged[key] = value;
    }
  }
  return merged as T;
}

interface PolicyProxyModule {
  UnknownValueError: new (...args: unknown[]) => Error;
}

// The engine's own error class: only `instanceof` against the same class tells an unknown value apart from a bug.
const policyProxy = createRequire(__filename)("@pulumi/policy/proxy") as PolicyProxyModule;

export function isUnknownValueError(error: unknown): boolean {
  return error instanceof policyProxy.UnknownValueError;
}

/**
 * Runs independent checks so that one unknown value (during preview) does not hide the
 * others: each check runs, and the first unknown-value error is rethrown at the end so the
 * engine still reports that part of the rule could not run.
 */
export class UnknownTolerantChecks {
  private firstUnknown: unknown;

  run(check: () => void): void {
    try {
      check();
    } catch (error) {
      if (!isUnknownValueError(error)) {
        throw error;
      }
      this.firstUnknown ??= error;
    }
  }

  finish(): void {
    if (this.firstUnknown !== undefined) {
      throw this.firstUnknown;
    }
  }
}
