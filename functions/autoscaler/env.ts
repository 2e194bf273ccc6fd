import * as z from "../validation";

const envSchema = z.object({
  /** Path of the fleet configuration; relative paths are taken from the function's code directory. */
  FLEET_CONFIG_PATH: z._default(z.string().check(z.minLength(1)), "fleet.json"),
  /** Days of arrival history read each tick (CloudWatch keeps one-minute data for 15 days). */
  HISTORY_DAYS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(14)), 14),
  /** Queues read at once. */
  QUEUE_READ_CONCURRENCY: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 10),
  /** Namespace of the handler's own health metrics (embedded-metric log lines). */
  HEALTH_NAMESPACE: z._default(z.string().check(z.minLength(1)), "gpufleet/autoscaler"),
  /** Set by the Lambda runtime: where the archive (and fleet.json) was unpacked. */
  LAMBDA_TASK_ROOT: z.optional(z.string()),
});

export type AutoscalerEnv = z.infer<typeof envSchema>;

/** Parses the environment; the error names the variable and what is wrong with it. */
export function parseEnv(env: NodeJS.ProcessEnv): AutoscalerEnv {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? "environment");
    const value = env[name];
    throw new Error(
      `environment variable ${name}${value === undefined ? " is missing" : ` (${value}) is invalid`}: ${issue?.message ?? ""}`,
    );
  }
  return result.data;
}
