import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";

/**
 * Both functions' own health, as CloudWatch embedded-metric log lines (Powertools
 * Metrics): no API call and no cloudwatch:PutMetricData permission. One namespace for
 * both, told apart by the `service` dimension (the functions' Powertools service names).
 * The fleet's own metric (predicted replicas, read by KEDA) lives elsewhere: see contract.ts.
 */
export const HEALTH_NAMESPACE = "gpufleet/fleet-control";

export type HealthUnit = "Count" | "Milliseconds";

export type HealthValues = Record<string, { value: number; unit: HealthUnit }>;

/** Writes one set of health metrics as one log line. */
export interface HealthMetrics {
  publish(values: HealthValues, atMs: number): void;
}

const UNITS: Record<HealthUnit, (typeof MetricUnit)[keyof typeof MetricUnit]> = {
  Count: MetricUnit.Count,
  Milliseconds: MetricUnit.Milliseconds,
};

/**
 * Health metrics of one function. Powertools builds and checks the line; `write` takes it
 * (stdout in Lambda, where the runtime ships it to the function's log group).
 */
export function healthMetrics(
  serviceName: string,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): HealthMetrics {
  const metrics = new Metrics({ namespace: HEALTH_NAMESPACE, serviceName });
  return {
    publish(values, atMs) {
      for (const [name, { value, unit }] of Object.entries(values)) metrics.addMetric(name, UNITS[unit], value);
      metrics.setTimestamp(atMs);
      try {
        write(JSON.stringify(metrics.serializeMetrics()));
      } finally {
        metrics.clearMetrics();
      }
    },
  };
}
