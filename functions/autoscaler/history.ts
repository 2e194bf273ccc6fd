import type { MinuteSeries } from "./core/types";

const MINUTE_MS = 60_000;

/**
 * Arrival history kept across warm invocations. GetMetricData is billed per metric
 * requested, not per datapoint, but 14 days of one-minute data for 500 queues is ten
 * million datapoints (about a hundred pages): read it once per container, then only the
 * last few minutes each tick (late datapoints included), and merge.
 */
export class ArrivalHistory {
  private readonly byKey = new Map<string, MinuteSeries>();

  constructor(private readonly keepMinutes: number) {}

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** Overlays a freshly read series (authoritative for its range) and drops minutes older than keepMinutes before its end. */
  merge(key: string, fetched: MinuteSeries): void {
    const fetchedEnd = fetched.startMs + fetched.values.length * MINUTE_MS;
    const keepFrom = fetchedEnd - this.keepMinutes * MINUTE_MS;
    const old = this.byKey.get(key);
    const startMs = Math.max(keepFrom, Math.min(old?.startMs ?? fetched.startMs, fetched.startMs));
    const length = Math.max(0, (fetchedEnd - startMs) / MINUTE_MS);
    const values = new Array<number | null>(length).fill(null);
    if (old) {
      for (let i = 0; i < old.values.length; i++) {
        const slot = (old.startMs - startMs) / MINUTE_MS + i;
        if (slot >= 0 && slot < length) values[slot] = old.values[i] ?? null;
      }
    }
    for (let i = 0; i < fetched.values.length; i++) {
      const slot = (fetched.startMs - startMs) / MINUTE_MS + i;
      if (slot >= 0 && slot < length) values[slot] = fetched.values[i] ?? null;
    }
    this.byKey.set(key, { startMs, values });
  }

  get(key: string): MinuteSeries | undefined {
    return this.byKey.get(key);
  }

  /** Forgets a key whose read failed, so the next tick reads its full history again. */
  forget(key: string): void {
    this.byKey.delete(key);
  }
}
