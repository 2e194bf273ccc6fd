import type { EndpointInput, QueueSnapshot } from "../../functions/autoscaler/core/types";
import type { EndpointProfile } from "../../functions/contract";

export const MINUTE = 60_000;
/** A Monday noon, UTC: a fixed clock for every case. */
export const NOW = Date.UTC(2024, 0, 15, 12, 0);

export const PROFILE: EndpointProfile = {
  secondsPerRequest: 2,
  concurrencyPerReplica: 4,
  modelLoadSeconds: 40,
  sloSeconds: 30,
  minReplicas: 1,
  maxReplicas: 100,
};

/** Per-minute arrivals ending with the last complete minute before NOW. */
export function series(values: (number | null)[]): EndpointInput["arrivals"] {
  return { startMs: NOW - values.length * MINUTE, values };
}

export function flat(perMinute: number, minutes = 60): (number | null)[] {
  return Array.from({ length: minutes }, () => perMinute);
}

export function queue(over: Partial<QueueSnapshot> = {}): QueueSnapshot {
  return { visible: 0, inFlight: 0, oldestMessageAgeSeconds: 0, observedAtMs: NOW, ...over };
}

/** A happy-path endpoint: one hour of steady 120 requests per minute, empty queue, nothing published. */
export function endpoint(over: Partial<EndpointInput> = {}): EndpointInput {
  return {
    name: "chat",
    profile: PROFILE,
    slicesPerGpu: 1,
    leadTimeSeconds: 240,
    arrivals: series(flat(120)),
    queue: queue(),
    published: [],
    ...over,
  };
}
