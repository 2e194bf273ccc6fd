import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";
import { ConfigError, nearestKey, type Problem } from "../../functions/problems";
import type { GpufleetRule } from "../policy-kit";

/** Per-rule settings after normalization: enforcement level and config properties. */
export type RuleSettings = Record<string, { enforcementLevel?: EnforcementLevel } & Record<string, unknown>>;

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** The subject of the policy config's errors. */
const POLICY_CONFIG = "policy config";

function fail(problem: Problem): never {
  throw new ConfigError(POLICY_CONFIG, [problem]);
}

function checkLevel(where: string, value: unknown): EnforcementLevel {
  if (typeof value !== "string" || !LEVELS.includes(value as EnforcementLevel)) {
    fail({ field: where, value, rule: `must be one of ${LEVELS.join(", ")}` });
  }
  return value as EnforcementLevel;
}

function typeOfValue(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function checkProperty(where: string, schema: PolicyConfigSchema, key: string, value: unknown): void {
  const property = schema.properties[key];
  if (property === undefined) {
    const known = Object.keys(schema.properties).join(", ") || "none";
    fail({ field: where, rule: `is not a setting of this rule (settings: ${known})` });
  }
  const expected = typeof property === "object" ? property.type : undefined;
  const actual = typeOfValue(value);
  const allowed = expected === undefined ? [] : Array.isArray(expected) ? expected : [expected];
  const matches =
    allowed.length === 0 || allowed.includes(actual as never) || (actual === "integer" && allowed.includes("number"));
  if (!matches) {
    fail({ field: where, value, rule: `must be of type ${allowed.join(" or ")}` });
  }
}

/**
 * Reads a policy pack config, the JSON that `pulumi preview --policy-pack-config` takes:
 * `{ "all": "mandatory", "<rule>": "advisory" | { "enforcementLevel": ..., "<setting>": ... } }`.
 * Unknown rules, levels and settings are errors, as they are for the Pulumi CLI.
 */
export function normalizePackConfig(raw: unknown, rules: readonly GpufleetRule[]): RuleSettings {
  if (raw === undefined || raw === null) {
    return {};
  }
  if (typeof raw !== "object" || Array.isArray(raw)) {
    fail({ field: "(document)", value: raw, rule: "must be a JSON object keyed by rule name" });
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  const settings: RuleSettings = {};
  const all = entries.find(([name]) => name === "all");
  if (all) {
    const level = checkLevel("all", all[1]);
    for (const rule of rules) {
      settings[rule.name] = { enforcementLevel: level };
    }
  }
  for (const [name, value] of entries) {
    if (name === "all") {
      continue;
    }
    const rule = rules.find((r) => r.name === name);
    if (!rule) {
      const near = nearestKey(
        name,
        rules.map((r) => r.name),
      );
      fail({ field: name, rule: `is not a rule of the pack${near ? `: did you mean ${near}?` : ""}` });
    }
    if (typeof value === "string") {
      settings[name] = { ...settings[name], enforcementLevel: checkLevel(`${name}`, value) };
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      fail({ field: name, value, rule: "must be an enforcement level or an object of settings" });
    }
    const entry: RuleSettings[string] = { ...settings[name] };
    for (const [key, setting] of Object.entries(value as Record<string, unknown>)) {
      if (key === "enforcementLevel") {
        entry.enforcementLevel = checkLevel(`${name}.enforcementLevel`, setting);
      } else {
        checkProperty(`${name}.${key}`, rule.configSchema ?? { properties: {} }, key, setting);
        entry[key] = setting;
      }
    }
    settings[name] = entry;
  }
  return settings;
}
