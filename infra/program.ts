import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "./config";
import { CONFIG_NAMESPACE } from "./config-file";
import { createStack, type StackOutputs } from "./stack";

/** The stack config keys, read as raw objects for parseStackConfig to check. */
export const STACK_CONFIG_KEYS = ["cluster", "pools", "endpoints", "control"] as const;

/** Reads the gpufleet config namespace, validates it, then creates the stack. */
export function runProgram(): StackOutputs {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  const raw: Record<string, unknown> = {};
  for (const key of STACK_CONFIG_KEYS) {
    const value = config.getObject<unknown>(key);
    if (value !== undefined) raw[key] = value;
  }
  return createStack(parseStackConfig(raw));
}
