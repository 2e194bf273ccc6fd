import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { PoolDescriptor } from "../contract";
import { ConfigError, parseWith } from "../problems";
import { type RebalancerConfig, rebalancerConfig } from "./core";

/**
 * The pool configuration ships as a JSON file inside the Lambda archive, not in environment
 * variables: ten pools with their instance types and ASG names would crowd Lambda's 4 KB
 * limit for all variables together.
 */
export const RUNTIME_CONFIG_FILE = "rebalancer-config.json";

const poolSchema = z.object({
  name: z.string().min(1),
  capacityType: z.enum(["spot", "on-demand"]),
  fallback: z.boolean(),
  instanceTypes: z.array(z.string()),
  gpusPerNode: z.number().int().min(1),
  slicesPerGpu: z.number().int().min(1),
  minNodes: z.number().int().min(0),
  maxNodes: z.number().int().min(0),
  pricePerNodeHour: z.number().optional(),
  nodeGroupName: z.string().optional(),
  /** The Auto Scaling groups behind the pool's node group. */
  asgNames: z.array(z.string().min(1)).min(1),
});

export const runtimeConfigSchema = z.object({
  clusterName: z.string().min(1),
  pools: z.array(poolSchema).min(1),
  tunables: z.record(z.string(), z.number()).optional(),
});

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;
export type RuntimePool = z.infer<typeof poolSchema>;

export const envSchema = z.object({
  TABLE_NAME: z.string().min(1),
  /** Where the pool configuration lives; by default next to the bundled handler. */
  REBALANCER_CONFIG_FILE: z.string().min(1).optional(),
});

export type RebalancerEnv = z.infer<typeof envSchema>;

/** Parses the environment; throws a ConfigError naming each variable, its value and the rule. */
export function parseEnv(env: NodeJS.ProcessEnv): RebalancerEnv {
  return parseWith("rebalancer environment", envSchema, env);
}

/** The pools, the core's configuration and the ASG -> pool map, from the configuration file's text. */
export interface LoadedConfig {
  runtime: RuntimeConfig;
  core: RebalancerConfig;
  poolOfAsg: Map<string, string>;
}

export function parseRuntimeConfig(text: string, source: string): LoadedConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(source, [{ field: "(document)", rule: `is not valid JSON: ${(error as Error).message}` }]);
  }
  const runtime = parseWith(source, runtimeConfigSchema, raw);
  const descriptors: PoolDescriptor[] = runtime.pools.map(({ asgNames: _a, nodeGroupName: _n, ...pool }) => pool);
  const core = rebalancerConfig(descriptors, runtime.tunables);
  const poolOfAsg = new Map<string, string>();
  for (const pool of runtime.pools) for (const asg of pool.asgNames) poolOfAsg.set(asg, pool.name);
  return { runtime, core, poolOfAsg };
}

export function loadRuntimeConfig(env: RebalancerEnv, baseDir: string): LoadedConfig {
  const path = env.REBALANCER_CONFIG_FILE ?? join(baseDir, RUNTIME_CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`${path}: cannot read the pool configuration (${(error as Error).message})`);
  }
  return parseRuntimeConfig(text, path);
}
