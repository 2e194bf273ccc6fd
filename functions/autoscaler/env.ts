import { z } from "zod";
import { parseWith } from "../problems";

const envSchema = z.object({
  /** Path of the fleet configuration; relative paths are taken from the function's code directory. */
  FLEET_CONFIG_PATH: z.string().min(1).default("fleet.json"),
  /** Days of arrival history read each tick (CloudWatch keeps one-minute data for 15 days). */
  HISTORY_DAYS: z.coerce.number().int().min(0).max(14).default(14),
  /** Queues read at once. */
  QUEUE_READ_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(10),
  /** Namespace of the handler's own health metrics (embedded-metric log lines). */
  HEALTH_NAMESPACE: z.string().min(1).default("gpufleet/autoscaler"),
  /** Set by the Lambda runtime: where the archive (and fleet.json) was unpacked. */
  LAMBDA_TASK_ROOT: z.string().optional(),
});

export type AutoscalerEnv = z.infer<typeof envSchema>;

/** Parses the environment; throws a ConfigError naming each variable, its value and the rule. */
export function parseEnv(env: NodeJS.ProcessEnv): AutoscalerEnv {
  return parseWith("autoscaler environment", envSchema, env);
}
