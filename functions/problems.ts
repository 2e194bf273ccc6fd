/**
 * The one error type for invalid input and its one formatter. Every validator (stack
 * config, components, Lambda configuration, simulator scenarios) reports a list of
 * problems, each naming the field, the value and the rule, e.g.
 * `pools[1].slicesPerGpu (64) must be between 1 and 48`. Pure: no AWS or Pulumi import.
 */
import type { z } from "zod";

/**
 * Stands for a value that must never be printed (a `secure:` stack setting). A registered
 * symbol: a program loaded afresh (gpufleet plan) has its own copy of this module.
 */
export const SECRET_VALUE: unique symbol = Symbol.for("gpufleet.secret-value");

export interface Problem {
  /** Where: a dotted path with indices, `endpoints[0].profile.sloSeconds`. */
  field: string;
  /** What was given; absent when the rule is about the field itself (missing, unknown, exclusive). */
  value?: unknown;
  /** Why it is refused, worded to follow the field and value: "must be at least 1". */
  rule: string;
}

/** The longest rendering of a value in a message: a 50 MB string is not echoed back. */
const MAX_VALUE_CHARS = 80;

function clip(text: string): string {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** DEL and the C1 controls, which JSON leaves as they are: some terminals act on them (\u009b starts an escape). */
const UNESCAPED_CONTROLS = /[\u007f-\u009f]/g;

function render(value: unknown, depth: number): string {
  if (value === SECRET_VALUE) return "a secret value, not shown";
  if (typeof value === "string") {
    // Quoted and escaped: a value from a file or a command line is never interpreted by the terminal.
    return JSON.stringify(value).replace(
      UNESCAPED_CONTROLS,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  }
  if (typeof value === "number") {
    // YAML's spellings: what the user wrote in the stack file.
    if (Number.isNaN(value)) return ".nan";
    if (!Number.isFinite(value)) return value > 0 ? ".inf" : "-.inf";
    return String(value);
  }
  if (value === undefined) return "undefined";
  if (value === null || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value !== "object") return typeof value;
  // Nested objects collapse: the message names the field; its whole subtree would bury the rule.
  if (depth > 0 && !Array.isArray(value)) return "{…}";
  if (depth > 1) return "[…]";
  if (Array.isArray(value)) return `[${value.map((v) => render(v, depth + 1)).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${render(v, depth + 1)}`);
  return `{${entries.join(", ")}}`;
}

/** A value as messages quote it: strings in quotes (so "0" differs from 0), `.inf`/`.nan` as such, long values cut. */
export function formatValue(value: unknown): string {
  return clip(render(value, 0));
}

/** One problem as one line: `field (value) rule`, or `field rule` when no value applies. */
export function formatProblem(problem: Problem): string {
  return "value" in problem
    ? `${problem.field} (${formatValue(problem.value)}) ${problem.rule}`
    : `${problem.field} ${problem.rule}`;
}

/** Invalid input, with every problem found. `subject` says what was checked ("ModelEndpoint \"chat\""). */
export class ConfigError extends Error {
  override name = "ConfigError";
  readonly subject: string;
  readonly problems: readonly Problem[];

  constructor(subject: string, problems: readonly Problem[]) {
    super(`invalid ${subject}:\n${problems.map(formatProblem).join("\n")}`);
    this.subject = subject;
    this.problems = problems;
  }

  /** Each problem as its line. */
  get lines(): string[] {
    return this.problems.map(formatProblem);
  }
}

/**
 * The subject of problems with a call's or a command's own options (`--seed`, `program`):
 * the command line prints these problems alone, after the command's name.
 */
export const OPTIONS = "options";

/** Throws a ConfigError when any problem was found. */
export function throwIfProblems(subject: string, problems: readonly Problem[]): void {
  if (problems.length > 0) throw new ConfigError(subject, problems);
}

/** Recognises a ConfigError across module copies (a program loaded afresh has its own class). */
export function isConfigError(error: unknown): error is ConfigError {
  return (
    error instanceof Error &&
    error.name === "ConfigError" &&
    Array.isArray((error as { problems?: unknown }).problems) &&
    typeof (error as { subject?: unknown }).subject === "string"
  );
}

/** `endpoints[0].profile` from ["endpoints", 0, "profile"], under an optional prefix. */
export function fieldPath(path: readonly PropertyKey[], prefix = ""): string {
  return path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    prefix,
  );
}

/** The value at a path of a parsed document, or undefined. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Edit distance, for "did you mean": short keys, so the quadratic cost is nothing. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known key closest to a misspelt one, if any is close enough to be what was meant. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === lower ? 0 : distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(2, Math.floor(key.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** The problem for a key nobody reads: names the nearest known key, or lists them. */
export function unknownKeyProblem(
  field: string,
  key: string,
  known: readonly string[],
  renamed: Readonly<Record<string, string>> = {},
): Problem {
  const now = renamed[key];
  if (now !== undefined && known.includes(now)) return { field, rule: `is no longer a setting: it is now ${now}` };
  const near = nearestKey(key, known);
  return {
    field,
    rule: near
      ? `is not a known setting: did you mean ${near}?`
      : `is not a known setting (known: ${known.join(", ") || "none"})`,
  };
}

type ZodIssue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

interface SchemaDef {
  type: string;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  innerType?: AnySchema;
  in?: AnySchema;
  options?: AnySchema[];
  discriminator?: string;
  valueType?: AnySchema;
}

function defOf(schema: AnySchema): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.innerType && ["optional", "default", "nullable", "prefault", "readonly", "catch"].includes(def.type)) {
      current = def.innerType;
    } else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}

/** The schema that reads the value at `path` of `raw`, following unions by the value's discriminator. */
function schemaAt(schema: AnySchema, raw: unknown, path: readonly PropertyKey[]): AnySchema | undefined {
  let current = unwrap(schema);
  let node = raw;
  const pick = (): void => {
    const def = defOf(current);
    if (def.type !== "union" || !def.options) return;
    const key = def.discriminator;
    const tag = key !== undefined ? valueAt(node, [key]) : undefined;
    const match = def.options.find((option) => {
      const shape = defOf(unwrap(option)).shape;
      const literal = key && shape?.[key] ? (defOf(shape[key]) as { values?: unknown[] }).values : undefined;
      return literal?.includes(tag);
    });
    if (match) current = unwrap(match);
  };
  pick();
  for (const key of path) {
    const def = defOf(current);
    const next =
      def.type === "object" && typeof key === "string"
        ? def.shape?.[key]
        : def.type === "array"
          ? def.element
          : def.type === "record"
            ? def.valueType
            : undefined;
    if (!next) return undefined;
    current = unwrap(next);
    node = valueAt(node, [key]);
    pick();
  }
  return current;
}

function objectSchemaAt(schema: AnySchema, raw: unknown, path: readonly PropertyKey[]): AnySchema | undefined {
  const found = schemaAt(schema, raw, path);
  return found && defOf(found).type === "object" ? found : undefined;
}

/** The values a discriminated union's key may take, read from its options' literals. */
function discriminatorValues(union: AnySchema): unknown[] {
  const def = defOf(union);
  const key = def.discriminator;
  if (def.type !== "union" || key === undefined) return [];
  return (def.options ?? []).flatMap((option) => {
    const literal = defOf(unwrap(option)).shape?.[key];
    return literal ? ((defOf(literal) as { values?: unknown[] }).values ?? []) : [];
  });
}

function sizeRule(issue: ZodIssue & { code: "too_small" | "too_big" }): string {
  const i = issue as unknown as { origin: string; minimum?: number; maximum?: number; inclusive?: boolean };
  const small = issue.code === "too_small";
  const bound = small ? i.minimum : i.maximum;
  if (i.origin === "array" || i.origin === "set") {
    return small
      ? bound === 1
        ? "must not be empty"
        : `must have at least ${bound} entries`
      : `must have at most ${bound} entries`;
  }
  if (i.origin === "string") {
    return small
      ? bound === 1
        ? "must not be empty"
        : `must be at least ${bound} characters`
      : `must be at most ${bound} characters`;
  }
  if (small) return i.inclusive === false ? `must be greater than ${bound}` : `must be at least ${bound}`;
  return i.inclusive === false ? `must be less than ${bound}` : `must be at most ${bound}`;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `a ${typeof value}`;
}

function expectedName(expected: string): string {
  switch (expected) {
    case "int":
      return "a whole number";
    case "object":
      return "a mapping";
    case "array":
      return "a list";
    default:
      return `a ${expected}`;
  }
}

export interface ZodProblemOptions {
  /** Prepended to every field path. */
  prefix?: string;
  /** Old key -> new key, for a clear message on a renamed setting. */
  renamed?: Readonly<Record<string, string>>;
  /** True when the value at a path must not be shown. */
  isSecret?: (path: readonly PropertyKey[]) => boolean;
}

/**
 * Zod's issues in the house style: one Problem each, with the value found in `raw` and (given
 * the schema) the nearest known key for a misspelt one.
 */
export function problemsFromZod(
  schema: AnySchema | undefined,
  issues: readonly ZodIssue[],
  raw: unknown,
  options: ZodProblemOptions = {},
): Problem[] {
  const prefix = options.prefix ?? "";
  const problems: Problem[] = [];
  for (const issue of issues) {
    const field = fieldPath(issue.path, prefix) || prefix || "(document)";
    const found = valueAt(raw, issue.path);
    const value = options.isSecret?.(issue.path) ? SECRET_VALUE : found;
    switch (issue.code) {
      case "unrecognized_keys": {
        const object = schema && objectSchemaAt(schema, raw, issue.path);
        const known = object ? Object.keys(defOf(object).shape ?? {}) : [];
        for (const key of issue.keys) {
          problems.push(unknownKeyProblem(fieldPath([...issue.path, key], prefix), key, known, options.renamed));
        }
        break;
      }
      case "invalid_type":
        if (found === undefined) problems.push({ field, rule: "is required" });
        else if (issue.expected === "number" && typeof found === "number") {
          problems.push({ field, value, rule: "must be a finite number" });
        } else if (issue.expected === "int" && typeof found === "number") {
          problems.push({ field, value, rule: "must be a whole number" });
        } else if (issue.expected === "number" && typeof found === "string" && !Number.isFinite(Number(found))) {
          // A text that is no number at all (an environment variable is always text).
          problems.push({ field, value, rule: "must be a number" });
        } else {
          problems.push({ field, value, rule: `must be ${expectedName(issue.expected)}, not ${typeName(found)}` });
        }
        break;
      case "invalid_value":
        // A missing enum setting is missing, as with any other type.
        if (found === undefined) problems.push({ field, rule: "is required" });
        else
          problems.push({ field, value, rule: `must be one of ${issue.values.map((v) => formatValue(v)).join(", ")}` });
        break;
      case "invalid_union": {
        // A discriminated union names its key in the path: list the values it takes.
        const union = schema && schemaAt(schema, raw, issue.path.slice(0, -1));
        const values = union ? discriminatorValues(union) : [];
        problems.push({
          field,
          value,
          rule:
            values.length > 0
              ? `must be one of ${values.map((v) => formatValue(v)).join(", ")}`
              : "matches none of the allowed forms",
        });
        break;
      }
      case "too_small":
      case "too_big":
        problems.push({ field, value, rule: sizeRule(issue) });
        break;
      case "invalid_format": {
        // A custom message is the rule; zod's own ("Invalid string: ...") is reworded.
        const pattern = (issue as { pattern?: string }).pattern;
        const rule = !issue.message.startsWith("Invalid")
          ? issue.message
          : issue.format === "regex" && pattern
            ? `must match ${pattern}`
            : `must be a valid ${issue.format}`;
        problems.push({ field, value, rule });
        break;
      }
      default:
        problems.push({ field, value, rule: issue.message });
    }
  }
  return problems;
}

/** Parses with a schema; throws one ConfigError listing every problem. */
export function parseWith<T extends AnySchema>(
  subject: string,
  schema: T,
  raw: unknown,
  options: ZodProblemOptions = {},
): z.core.output<T> {
  const result = (schema as unknown as z.ZodType).safeParse(raw);
  if (result.success) return result.data as z.core.output<T>;
  throw new ConfigError(subject, problemsFromZod(schema, result.error.issues, raw, options));
}
