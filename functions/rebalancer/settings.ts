import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PoolDescriptor } from "../contract";
import type { SchemaError } from "../validation";
import * as z from "../validation";
import { type RebalancerConfig, rebalancerConfig } from "./core";

/**
 * The pool configuration ships as a JSON file inside the Lambda archive, not in environment
 * variables: ten pools with their instance types and ASG names would crowd Lambda's 4 KB
 * limit for all variables together.
 */
export const RUNTIME_CONFIG_FILE = "rebalancer-config.json";

const poolSchema = z.object({
  name: z.string().check(z.minLength(1)),
  capacityType: z.enum(["spot", "on-demand"]),
  fallback: z.boolean(),
  instanceTypes: z.array(z.string()),
  gpusPerNode: z.int().check(z.gte(1)),
  slicesPerGpu: z.int().check(z.gte(1)),
  minNodes: z.int().check(z.gte(0)),
  maxNodes: z.int().check(z.gte(0)),
  pricePerNodeHour: z.optional(z.number()),
  nodeGroupName: z.optional(z.string()),
  /** The Auto Scaling groups behind the pool's node group. */
  asgNames: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
});

export const runtimeConfigSchema = z.object({
  clusterName: z.string().check(z.minLength(1)),
  pools: z.array(poolSchema).check(z.minLength(1)),
  tunables: z.optional(z.record(z.string(), z.number())),
});

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;
export type RuntimePool = z.infer<typeof poolSchema>;

export const envSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  /** Where the pool configuration lives; by default next to the bundled handler. */
  REBALANCER_CONFIG_FILE: z.optional(z.string().check(z.minLength(1))),
});

export type RebalancerEnv = z.infer<typeof envSchema>;

export class RebalancerSettingsError extends Error {
  override name = "RebalancerSettingsError";
}

function issues(error: SchemaError, prefix: string): string {
  return error.issues.map((i) => `${prefix}${i.path.join(".")}: ${i.message}`).join("; ");
}

export function parseEnv(env: NodeJS.ProcessEnv): RebalancerEnv {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new RebalancerSettingsError(`environment: ${issues(parsed.error, "")}`);
  return parsed.data;
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
    throw new RebalancerSettingsError(`${source}: not JSON (${(error as Error).message})`);
  }
  const parsed = runtimeConfigSchema.safeParse(raw);
  if (!parsed.success) throw new RebalancerSettingsError(`${source}: ${issues(parsed.error, "")}`);
  const runtime = parsed.data;
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
    throw new RebalancerSettingsError(`${path}: cannot read the pool configuration (${(error as Error).message})`);
  }
  return parseRuntimeConfig(text, path);
}
