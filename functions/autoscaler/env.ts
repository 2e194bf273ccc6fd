import { parseEnvironment } from "../kit/setup";
import * as z from "../validation";

const envSchema = z.object({
  /** The fleet configuration file; by default fleet.json next to the bundled handler (see kit/setup.ts). */
  CONFIG_FILE: z.optional(z.string().check(z.minLength(1))),
  LAMBDA_TASK_ROOT: z.optional(z.string()),
  /** Days of arrival history read each tick (CloudWatch keeps one-minute data for 15 days). */
  HISTORY_DAYS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(14)), 14),
  /** Queues read at once. */
  QUEUE_READ_CONCURRENCY: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 10),
});

export type AutoscalerEnv = z.infer<typeof envSchema>;

/** Parses the environment; the error names the variable, its value and the rule. */
export function parseEnv(env: NodeJS.ProcessEnv): AutoscalerEnv {
  return parseEnvironment(envSchema, env);
}
