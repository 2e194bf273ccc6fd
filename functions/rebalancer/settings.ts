import type { PoolDescriptor } from "../contract";
import { loadConfigFile, parseConfigJson, parseEnvironment } from "../kit/setup";
import * as z from "../validation";
import { type RebalancerConfig, rebalancerConfig } from "./core";

/**
 * The pool configuration ships as a JSON file inside the Lambda archive, next to the
 * bundled handler, not in environment variables: ten pools with their instance types and
 * ASG names would crowd Lambda's 4 KB limit for all variables together.
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
  /** The stack's account and region: events of any other account or region are acknowledged and not acted on. */
  accountId: z.string().check(z.regex(/^\d{12}$/, "must be a 12-digit AWS account id")),
  region: z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region name such as us-east-1")),
  pools: z.array(poolSchema).check(z.minLength(1)),
  tunables: z.optional(z.record(z.string(), z.number())),
});

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;
export type RuntimePool = z.infer<typeof poolSchema>;

const envSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  /** The pool configuration file; by default rebalancer-config.json next to the bundled handler (see kit/setup.ts). */
  CONFIG_FILE: z.optional(z.string().check(z.minLength(1))),
  LAMBDA_TASK_ROOT: z.optional(z.string()),
});

export type RebalancerEnv = z.infer<typeof envSchema>;

/** Parses the environment; the error names the variable, its value and the rule. */
export function parseEnv(env: NodeJS.ProcessEnv): RebalancerEnv {
  return parseEnvironment(envSchema, env);
}

/** The pools, the core's configuration, the ASG -> pool map and the stack's home, from the configuration file's text. */
export interface LoadedConfig {
  runtime: RuntimeConfig;
  core: RebalancerConfig;
  poolOfAsg: Map<string, string>;
}

export function parseRuntimeConfig(text: string, source: string): LoadedConfig {
  const runtime = parseConfigJson(runtimeConfigSchema, text, source);
  const descriptors: PoolDescriptor[] = runtime.pools.map(({ asgNames: _a, nodeGroupName: _n, ...pool }) => pool);
  const core = rebalancerConfig(descriptors, runtime.tunables);
  const poolOfAsg = new Map<string, string>();
  for (const pool of runtime.pools) for (const asg of pool.asgNames) poolOfAsg.set(asg, pool.name);
  return { runtime, core, poolOfAsg };
}

/** Reads and checks the bundled pool configuration, so a bad file fails the cold start. */
export function loadRuntimeConfig(env: RebalancerEnv): LoadedConfig {
  return loadConfigFile(env, RUNTIME_CONFIG_FILE, parseRuntimeConfig);
}
