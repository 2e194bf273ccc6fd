/**
 * What the autoscaler Lambda reads on a tick, built from the simulated cluster the way
 * functions/autoscaler/tick.ts builds it from AWS: arrivals from CloudWatch's one-minute
 * NumberOfMessagesSent (only the minutes CloudWatch serves by now), the queue depth from
 * GetQueueAttributes, the oldest message's age from CloudWatch, its own published values read
 * back, and the settings FleetControl deploys (schedule period, lead time, slices per GPU).
 */
import { DEFAULT_AUTOSCALER_SETTINGS } from "../../functions/autoscaler/core/index";
import type { AutoscalerSettings, EndpointInput } from "../../functions/autoscaler/core/types";
import { DEFAULT_SCHEDULE, tickSecondsOf } from "../../functions/scaling/index";
import type { EndpointWorkload } from "../workload";
import { type PolicyEnv, type PolicyView, planningOf } from "./types";

/** Minutes of arrival history the autoscaler reads back (FleetControl's historyDays default, 14, plus a day). */
const HISTORY_MINUTES = 15 * 1440;

/** The settings FleetControl writes into fleet.json: tickSeconds from its schedule, the knob as headroom. */
export function lambdaSettings(env: PolicyEnv): Partial<AutoscalerSettings> {
  return {
    headroom: env.knobs.primary,
    tickSeconds: tickSecondsOf(DEFAULT_SCHEDULE) ?? DEFAULT_AUTOSCALER_SETTINGS.tickSeconds,
  };
}

/**
 * Mean service seconds of the requests of the minutes CloudWatch serves so far: the profile
 * an operator keeps at the measured mean, learnt from the past only (the configured value
 * until there is a past).
 */
export function learntSecondsPerRequest(e: EndpointWorkload, readable: number): number {
  const n = e.cumCount[readable] ?? 0;
  return n > 0 ? (e.cumWork[readable] as number) / n : e.configured.secondsPerRequest;
}

/**
 * What the autoscaler Lambda reads on each tick of one run, endpoint by endpoint. The
 * arrivals are the readable minutes of the last 15 days: one array per endpoint grows as
 * minutes become readable instead of being copied whole on every tick (the core only reads
 * it, and keeps nothing between ticks).
 */
export function lambdaReader(env: PolicyEnv): (view: PolicyView, i: number) => EndpointInput {
  const w = env.workload;
  const readSoFar: number[][] = w.endpoints.map(() => []);
  return (view, i) => {
    const e = w.endpoints[i] as EndpointWorkload;
    const q = view.endpoints[i];
    const readable = view.readableMinutes;
    const from = Math.max(0, readable - HISTORY_MINUTES);
    const read = readSoFar[i] as number[];
    for (let m = read.length; m < readable; m++) read.push(e.perMinute[m] as number);
    const planning = planningOf(env, i);
    return {
      name: e.name,
      profile: { ...e.configured, secondsPerRequest: learntSecondsPerRequest(e, readable) },
      slicesPerGpu: planning.slicesPerGpu,
      leadTimeSeconds: planning.leadTimeSeconds,
      arrivals: {
        startMs: w.startMs + from * 60_000,
        values: from === 0 && read.length === readable ? read : read.slice(from, readable),
      },
      // Without the age datapoint (e.g. an idle queue) the backlog is planned as if just queued, as in the handler.
      queue: q
        ? {
            visible: q.visible,
            inFlight: q.inFlight,
            oldestMessageAgeSeconds: q.cloudWatchAgeSeconds ?? 0,
            observedAtMs: view.nowMs,
          }
        : null,
      published: q?.published ?? [],
    };
  };
}
