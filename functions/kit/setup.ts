import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError, formatProblem, parseWith, problemsFromZod } from "../problems";
import type * as z from "../validation";

/*
 * How both functions read what they are given at a cold start: environment variables
 * through a schema (functions/validation.ts), and a configuration file bundled next to the
 * handler. Either failing stops the cold start with a ConfigError naming the variable or
 * file, the field and the value, rather than failing later inside an invocation.
 */

/** The first problems of a failed parse, in the shared style (`field (value) rule`), joined on one line. */
export function describeIssues(error: z.SchemaError, input: unknown, limit = 3): string {
  return problemsFromZod(undefined, error.issues.slice(0, limit), input).map(formatProblem).join("; ");
}

/** Typed environment: the schema's output, or a ConfigError naming each variable, its value and the rule. */
export function parseEnvironment<S extends z.ZodMiniType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  return parseWith("environment", schema, env);
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
    throw new ConfigError(path, [{ field: "(file)", rule: `cannot be read: ${(error as Error).message}` }]);
  }
  return parse(text, path);
}

/** A configuration file's JSON through its schema; a ConfigError names the file, each field and its value. */
export function parseConfigJson<S extends z.ZodMiniType>(schema: S, text: string, source: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(source, [{ field: "(document)", rule: `is not valid JSON: ${(error as Error).message}` }]);
  }
  return parseWith(source, schema, raw);
}
