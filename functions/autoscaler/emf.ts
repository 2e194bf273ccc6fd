/**
 * CloudWatch embedded metric format: a JSON log line that CloudWatch Logs turns into metrics,
 * so the handler's own health costs no API call and needs no PutMetricData permission.
 */
export type EmfUnit = "Count" | "Milliseconds";

export function emfLine(
  namespace: string,
  dimensions: Record<string, string>,
  metrics: Record<string, { value: number; unit: EmfUnit }>,
  timestampMs: number,
): string {
  const definitions = Object.entries(metrics).map(([Name, m]) => ({ Name, Unit: m.unit }));
  const values = Object.fromEntries(Object.entries(metrics).map(([name, m]) => [name, m.value]));
  return JSON.stringify({
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [Object.keys(dimensions)], Metrics: definitions }],
    },
    ...dimensions,
    ...values,
  });
}
