import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError, OPTIONS } from "../../functions/problems";
import type { GpufleetRule } from "../policy-kit";
import { rules as allRules } from "../rules";
import { findProject, loadStackConfig } from "./config-file";
import { evaluate } from "./evaluate";
import { DEFAULT_ACCOUNT } from "./invokes";
import { runOffline } from "./offline-engine";
import { normalizePackConfig } from "./pack-config";
import type { PlanReport } from "./report";
import { toDisplay } from "./wire";

export interface PlanOptions {
  /** Program directory or file. @default "infra/" */
  program?: string;
  /** Stack config file. @default "Pulumi.example.yaml" */
  config?: string;
  /** Policy pack config (the JSON `pulumi preview --policy-pack-config` takes), already parsed. */
  policyConfig?: unknown;
  /** Stack name. @default from the config file name, `Pulumi.<stack>.yaml` */
  stack?: string;
  /** The rules to run. @default every rule of the pack */
  rules?: readonly GpufleetRule[];
}

export const DEFAULT_PROGRAM = "infra/";
export const DEFAULT_CONFIG = "Pulumi.example.yaml";

/** Provider config for a package's default provider: the `<pkg>:*` keys of the stack config. */
function providerConfig(config: Record<string, string>, pkg: string): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith(`${pkg}:`)) {
      props[key.slice(pkg.length + 1)] = value;
    }
  }
  return props;
}

/**
 * Runs a program offline with a stack config and evaluates the policy pack on what it
 * would create. The report says what `gpufleet plan` prints; exit code 1 when
 * `violations` holds a mandatory finding (see {@link planExitCode}).
 */
export async function runPlan(options: PlanOptions = {}): Promise<PlanReport> {
  const program = options.program ?? DEFAULT_PROGRAM;
  const configFile = options.config ?? DEFAULT_CONFIG;
  if (!existsSync(resolve(program))) {
    throw new ConfigError(OPTIONS, [{ field: "program", value: program, rule: "does not exist" }]);
  }
  const rules = options.rules ?? allRules;
  const settings = normalizePackConfig(options.policyConfig, rules);
  const project = findProject(program).name;
  const stackConfig = loadStackConfig(configFile, project, options.stack);
  const region = stackConfig.config["aws:region"] ?? DEFAULT_ACCOUNT.region;
  const run = await runOffline({
    program,
    project,
    stack: stackConfig.stack,
    config: stackConfig.config,
    secretKeys: stackConfig.secretKeys,
    account: { ...DEFAULT_ACCOUNT, region },
  });
  const violations = await evaluate(run.resources, rules, settings, {
    project,
    stack: stackConfig.stack,
    stackUrn: `urn:pulumi:${stackConfig.stack}::${project}::pulumi:pulumi:Stack::${project}-${stackConfig.stack}`,
    defaultProviderProps: (pkg) => providerConfig(stackConfig.config, pkg),
  });
  return {
    project,
    stack: stackConfig.stack,
    program,
    config: configFile,
    resources: run.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      ...(r.parent ? { parent: r.parent } : {}),
      inputs: toDisplay(r.inputs) as Record<string, unknown>,
      dependencies: r.dependencies,
    })),
    violations,
  };
}

/** 1 when a mandatory rule is violated, else 0. */
export function planExitCode(report: PlanReport): 0 | 1 {
  return report.violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
}
