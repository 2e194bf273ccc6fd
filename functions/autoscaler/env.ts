import { z } from "zod";
import { parseEnvironment } from "../kit/setup";

const envSchema = z.object({
  /** The fleet configuration file; by default fleet.json next to the bundled handler (see kit/setup.ts). */
  CONFIG_FILE: z.string().min(1).optional(),
  LAMBDA_TASK_ROOT: z.string().optional(),
  /** Days of arrival history read each tick (CloudWatch keeps one-minute data for 15 days). */
  HISTORY_DAYS: z.coerce.number().int().min(0).max(14).default(14),
  /** Queues read at once. */
  QUEUE_READ_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(10),
});

export type AutoscalerEnv = z.infer<typeof envSchema>;

/** Parses the environment; the error names the variable, its value and the rule. */
export function parseEnv(env: NodeJS.ProcessEnv): AutoscalerEnv {
  return parseEnvironment(envSchema, env);
}
