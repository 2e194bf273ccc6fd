import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type * as z from "../validation";

/**
 * How both functions read what they are given at a cold start: environment variables
 * through a schema (functions/validation.ts), and a configuration file bundled next to the handler. Either
 * failing stops the cold start with a message naming the variable or file, the field and
 * the value, rather than failing later inside an invocation.
 */
export class FunctionSetupError extends Error {
  override name = "FunctionSetupError";
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The first problems of a failed parse, each as `field (value): rule`. */
export function describeIssues(error: z.SchemaError, input: unknown, limit = 3): string {
  return error.issues
    .slice(0, limit)
    .map((issue) => {
      const value = valueAt(input, issue.path);
      const at = fieldPath(issue.path) || "(root)";
      return `${at}${value === undefined ? " is missing" : ` (${shown(value)})`}: ${issue.message}`;
    })
    .join("; ");
}

/** Typed environment: the schema's output, or an error naming the variable and its value. */
export function parseEnvironment<S extends z.ZodMiniType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const result = schema.safeParse(env);
  if (!result.success) throw new FunctionSetupError(`environment variable ${describeIssues(result.error, env)}`);
  return result.data;
}

/** The environment variables every function reads to find its configuration file. */
export interface ConfigFileEnv {
  /** The file's path; relative paths are taken from LAMBDA_TASK_ROOT. Defaults to the function's own file name. */
  CONFIG_FILE?: string | undefined;
  /** Set by the Lambda runtime: where the archive (handler and configuration file) was unpacked. */
  LAMBDA_TASK_ROOT?: string | undefined;
}

/**
 * Where the configuration file is: the deployment archive holds it next to the bundled
 * handler, at the task root; CONFIG_FILE names another file (tests, local runs).
 */
export function configFilePath(env: ConfigFileEnv, defaultFileName: string): string {
  return resolve(env.LAMBDA_TASK_ROOT ?? process.cwd(), env.CONFIG_FILE ?? defaultFileName);
}

/** Reads and checks the configuration file; `parse` turns its text into the function's configuration. */
export function loadConfigFile<T>(
  env: ConfigFileEnv,
  defaultFileName: string,
  parse: (text: string, source: string) => T,
): T {
  const path = configFilePath(env, defaultFileName);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new FunctionSetupError(`cannot read the configuration file ${path}: ${(error as Error).message}`);
  }
  return parse(text, path);
}

/** JSON text to a value, or an error naming the file. */
function parseJsonFile(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FunctionSetupError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
}

/** A configuration file's JSON through its schema; the error names the file, the field and the value. */
export function parseConfigJson<S extends z.ZodMiniType>(schema: S, text: string, source: string): z.output<S> {
  const raw = parseJsonFile(text, source);
  const result = schema.safeParse(raw);
  if (!result.success) throw new FunctionSetupError(`${source}: ${describeIssues(result.error, raw)}`);
  return result.data;
}
