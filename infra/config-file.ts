import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** The gpufleet namespace of Pulumi config. */
export const CONFIG_NAMESPACE = "gpufleet";

/** A Pulumi stack settings file (Pulumi.<stack>.yaml), read for offline runs. */
export interface StackConfigFile {
  /** Every key under `config:`, fully qualified ("aws:region", "gpufleet:pools"). */
  config: Record<string, unknown>;
  /** The `gpufleet:` keys without the namespace: what parseStackConfig takes. */
  raw: Record<string, unknown>;
}

/**
 * Reads a stack settings file. Keys without a namespace belong to the project (here
 * gpufleet), as in Pulumi itself. Secure values (`{ secure: ... }`) stay encrypted:
 * offline runs never need them decrypted.
 */
export function readStackConfigFile(path: string): StackConfigFile {
  const doc = parse(readFileSync(path, "utf8")) as { config?: Record<string, unknown> } | null;
  const config: Record<string, unknown> = {};
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc?.config ?? {})) {
    const qualified = key.includes(":") ? key : `${CONFIG_NAMESPACE}:${key}`;
    config[qualified] = value;
    if (qualified.startsWith(`${CONFIG_NAMESPACE}:`)) raw[qualified.slice(CONFIG_NAMESPACE.length + 1)] = value;
  }
  return { config, raw };
}

/**
 * The file's config in the form the Pulumi runtime keeps it (`pulumi.runtime.setAllConfig`):
 * strings as they are, everything else as JSON, which `Config.getObject` parses back.
 */
export function toRuntimeConfig(file: StackConfigFile): Record<string, string> {
  return Object.fromEntries(
    Object.entries(file.config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
}
