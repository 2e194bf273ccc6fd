import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, parseStackConfig } from "./config";
import { createStack, type StackOutputs } from "./stack";

/** The runtime's own test for a `secure:` key; internal to @pulumi/pulumi, hence looked up rather than imported. */
function secretTest(): (key: string) => boolean {
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
  return (key) => runtime.isConfigSecret?.(key) ?? false;
}

function parseConfigValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Reads the whole gpufleet config namespace, validates it, then creates the stack. */
export function runProgram(): StackOutputs {
  const all = pulumi.runtime.allConfig();
  const prefix = `${CONFIG_NAMESPACE}:`;
  const raw: Record<string, unknown> = {};
  const otherKeys: string[] = [];
  for (const [key, text] of Object.entries(all)) {
    if (!key.startsWith(prefix)) {
      otherKeys.push(key);
      continue;
    }
    // The runtime keeps objects and lists as JSON, as Config.getObject reads them; a plain
    // string stays as it is, so the message can quote it.
    raw[key.slice(prefix.length)] = parseConfigValue(text);
  }
  const isSecret = secretTest();
  const region = all["aws:region"];
  return createStack(
    parseStackConfig(raw, {
      ...(region !== undefined ? { region } : {}),
      isSecret: (name) => isSecret(`${prefix}${name}`),
      otherKeys,
    }),
  );
}
