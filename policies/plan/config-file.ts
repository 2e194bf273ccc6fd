import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { ConfigError, type Problem } from "../../functions/problems";

/**
 * A stack settings file (Pulumi.<stack>.yaml), as the Pulumi language host would hand it to
 * the program. The one reader of stack files: `gpufleet plan` and the tests use it.
 */
export interface StackConfigFile {
  stack: string;
  /** `namespace:key` -> value as a string (objects and lists as JSON), the form `pulumi.Config` reads. */
  config: Record<string, string>;
  /** Keys whose values were `secure:` in the file; offline they hold a placeholder. */
  secretKeys: string[];
}

/** Stands in for a `secure:` value: plan has no key to decrypt it, and no rule needs it. */
export const SECRET_PLACEHOLDER = "offline-plan-secret";

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}

/** A problem of the file as a whole: missing, not YAML, not the shape a settings file has. */
function fileError(file: string, rule: string): ConfigError {
  return new ConfigError(file, [{ field: "(document)", rule }]);
}

function readYaml(file: string, what: string): unknown {
  if (!existsSync(file)) throw new ConfigError(file, [{ field: "(file)", rule: `does not exist: no ${what} there` }]);
  try {
    return parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    throw fileError(file, `is not valid YAML: ${firstLine((error as Error).message)}`);
  }
}

/**
 * YAML's `.inf` and `.nan` have no JSON form (the runtime takes config as JSON, where they
 * would turn into null): each is reported where it stands, as it was written.
 */
function nonFiniteProblems(value: unknown, field: string): Problem[] {
  if (typeof value === "number") {
    return Number.isFinite(value) ? [] : [{ field, value, rule: "must be a finite number" }];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFiniteProblems(v, `${field}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => nonFiniteProblems(v, `${field}.${k}`));
  }
  return [];
}

/** The stack name a file like `Pulumi.<stack>.yaml` is for. */
export function stackNameOf(file: string): string | undefined {
  return /^Pulumi\.(.+)\.ya?ml$/.exec(basename(file))?.[1];
}

/**
 * Loads a stack config file (`config:` map of `namespace:key` to values, which may be
 * objects or lists). Keys without a namespace belong to the project, as in the Pulumi CLI.
 */
export function loadStackConfig(file: string, project: string, stack?: string): StackConfigFile {
  const document = readYaml(file, "stack config file");
  if (document === null || document === undefined) {
    throw fileError(file, 'is empty: a stack config file holds a "config:" mapping');
  }
  if (typeof document !== "object" || Array.isArray(document)) {
    throw fileError(file, 'is not a mapping: a stack config file holds a "config:" mapping');
  }
  const raw = (document as { config?: unknown }).config ?? {};
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(file, [{ field: "config", value: raw, rule: "must be a mapping of keys to values" }]);
  }
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const fullKey = key.includes(":") ? key : `${project}:${key}`;
    problems.push(...nonFiniteProblems(value, fullKey));
    const secure = value !== null && typeof value === "object" && "secure" in (value as object);
    if (secure) {
      secretKeys.push(fullKey);
    }
    config[fullKey] = secure ? SECRET_PLACEHOLDER : typeof value === "string" ? value : JSON.stringify(value);
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return { stack: stack ?? stackNameOf(file) ?? "dev", config, secretKeys };
}

/** The project a program belongs to: the `name` in the nearest Pulumi.yaml at or above it. */
export function findProject(program: string): { name: string; file?: string } {
  const start = resolve(program);
  let dir = existsSync(start) && statSync(start).isDirectory() ? start : dirname(start);
  for (;;) {
    for (const candidate of ["Pulumi.yaml", "Pulumi.yml"]) {
      const file = join(dir, candidate);
      if (existsSync(file)) {
        const name = (readYaml(file, "project file") as { name?: unknown } | null)?.name;
        if (typeof name !== "string" || name === "") {
          throw new ConfigError(file, [{ field: "name", value: name, rule: "must be the project's name" }]);
        }
        return { name, file };
      }
    }
    const parent = dirname(dir);
    if (parent === dir) {
      return { name: basename(resolve(program)) };
    }
    dir = parent;
  }
}
