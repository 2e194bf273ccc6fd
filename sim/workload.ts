/**
 * Turns a scenario's traces into the arrivals every policy replays: per endpoint, arrival
 * seconds and service seconds (at a whole GPU), plus per-minute counts that the policies'
 * forecasts see. Built once per comparison and shared by all runs.
 */
import type { EndpointProfile, TokenCostModel } from "../functions/contract";
import { ConfigError, throwIfProblems } from "../functions/problems";
import { profileProblems } from "../functions/profile";
import { DEFAULT_TOKEN_COST } from "./constants";
import { Rng, streamSeed } from "./engine/prng";
import { LIMITS } from "./limits";
import type { Scenario, ScenarioEndpoint } from "./scenario";
import { printable } from "./text";
import { parseTraceFile } from "./trace/parse";

export interface EndpointWorkload {
  name: string;
  /**
   * The profile with hindsight: secondsPerRequest is the whole trace's mean when request sizes
   * come from tokens. For reports, static-peak and the lower bound only.
   */
  profile: EndpointProfile;
  /** The profile as the scenario configures it: what the endpoint deploys (its SQS target, its queue timing). */
  configured: EndpointProfile;
  /** Prefix sums per minute: service seconds and requests of minutes [0, m). */
  cumWork: Float64Array;
  cumCount: Float64Array;
  pools: string[];
  arrivals: Float64Array;
  /** Service seconds of each request when its replica has the GPU to itself. */
  work: Float64Array;
  /** Requests per minute. */
  perMinute: Float64Array;
  /** Service seconds arriving per minute. */
  workPerMinute: Float64Array;
  /** How the sizes were obtained, for the report's notes. */
  costModel: string;
}

export interface Workload {
  scenario: Scenario;
  /** Epoch milliseconds of second 0 (the trace's own start when it has timestamps). */
  startMs: number;
  durationSeconds: number;
  minutes: number;
  endpoints: EndpointWorkload[];
  /** All requests of all endpoints in arrival order. */
  time: Float64Array;
  work: Float64Array;
  endpoint: Uint16Array;
}

/** 2024-01-01T00:00:00Z: the clock of traces that carry no dates. */
const DEFAULT_START_MS = Date.UTC(2024, 0, 1);

/** Spreads `count` requests over one minute: sorted uniforms from exponential spacings (no sort). */
function spreadMinute(rng: Rng, minute: number, count: number, out: number[]): void {
  if (count === 0) return;
  const gaps = new Float64Array(count + 1);
  let total = 0;
  for (let i = 0; i <= count; i++) {
    const g = -Math.log(1 - rng.next());
    gaps[i] = g;
    total += g;
  }
  let acc = 0;
  for (let i = 0; i < count; i++) {
    acc += gaps[i] as number;
    out.push(minute * 60 + (60 * acc) / total);
  }
}

function fromRate(counts: Float64Array, peakRps: number | undefined, seed: number, label: string): Float64Array {
  let peak = 0;
  let sum = 0;
  for (const c of counts) {
    peak = Math.max(peak, c);
    sum += c;
  }
  const subject = `endpoint ${printable(label)}`;
  if (peak === 0) throw new ConfigError(subject, [{ field: "trace", rule: "has no request in any minute" }]);
  const scale = peakRps !== undefined ? (peakRps * 60) / peak : 1;
  // Checked before any arrival is drawn: the count decides the memory a run takes.
  if (sum * scale > LIMITS.requests)
    throw new ConfigError(subject, [
      {
        field: "trace.peakRps",
        value: peakRps ?? peak / 60,
        rule: `makes ${Math.round(sum * scale)} requests, more than the ${LIMITS.requests} a simulation replays`,
      },
    ]);
  const rng = new Rng(streamSeed(seed, "arrivals", label));
  const out: number[] = [];
  for (let m = 0; m < counts.length; m++) {
    const expected = (counts[m] as number) * scale;
    const whole = Math.floor(expected);
    const n = whole + (rng.next() < expected - whole ? 1 : 0);
    spreadMinute(rng, m, n, out);
  }
  return Float64Array.from(out);
}

function tokenWork(model: TokenCostModel, context: Float64Array, generated: Float64Array, label: string): Float64Array {
  const work = new Float64Array(context.length);
  for (let i = 0; i < work.length; i++) {
    const seconds =
      model.baseSeconds +
      (context[i] as number) * model.secondsPerContextToken +
      (generated[i] as number) * model.secondsPerGeneratedToken;
    if (!(seconds <= LIMITS.workSeconds))
      throw new ConfigError(`endpoint ${printable(label)}`, [
        {
          field: `request ${i + 1}`,
          rule: `takes ${seconds} s from its tokens (${context[i]} context, ${generated[i]} generated), more than ${LIMITS.workSeconds} s`,
        },
      ]);
    work[i] = seconds;
  }
  return work;
}

function endpointWorkload(
  endpoint: ScenarioEndpoint,
  seed: number,
): EndpointWorkload & { startMs?: number; spanSeconds: number } {
  const spec = endpoint.trace;
  let arrivals: Float64Array;
  let work: Float64Array;
  let profile = endpoint.profile;
  let costModel = `fixed ${profile.secondsPerRequest} s per request`;
  let startMs: number | undefined;
  let spanSeconds = 0;
  const withTokens = (context: Float64Array, generated: Float64Array) => {
    const model = profile.tokenCost ?? DEFAULT_TOKEN_COST;
    work = tokenWork(model, context, generated, endpoint.name);
    let sum = 0;
    for (const w of work) sum += w;
    const mean = work.length > 0 ? sum / work.length : profile.secondsPerRequest;
    profile = { ...profile, tokenCost: { ...model }, secondsPerRequest: mean };
    costModel =
      `tokens: ${model.baseSeconds} s + ${model.secondsPerContextToken} s/context token + ` +
      `${model.secondsPerGeneratedToken} s/generated token (mean ${mean.toFixed(3)} s)`;
  };
  if (spec.kind === "file") {
    const trace = parseTraceFile(spec.path, spec);
    if (trace.kind === "per-minute") {
      arrivals = fromRate(trace.counts, spec.peakRps, seed, endpoint.name);
      spanSeconds = trace.counts.length * 60;
      work = new Float64Array(arrivals.length).fill(profile.secondsPerRequest);
    } else {
      if (spec.peakRps !== undefined)
        throw new ConfigError(`endpoint ${printable(endpoint.name)}`, [
          {
            field: "trace.peakRps",
            value: spec.peakRps,
            rule: `scales per-minute traces; ${printable(spec.path)} lists single requests`,
          },
        ]);
      arrivals = trace.arrivals;
      startMs = trace.startMs;
      work = new Float64Array(0);
      withTokens(trace.contextTokens, trace.generatedTokens);
    }
  } else if (spec.kind === "per-minute") {
    arrivals = fromRate(Float64Array.from(spec.counts), spec.peakRps, seed, endpoint.name);
    spanSeconds = spec.counts.length * 60;
    work = new Float64Array(arrivals.length).fill(profile.secondsPerRequest);
  } else {
    arrivals = Float64Array.from(spec.arrivalSeconds);
    for (let i = 1; i < arrivals.length; i++) {
      if ((arrivals[i] as number) < (arrivals[i - 1] as number))
        throw new ConfigError(`endpoint ${printable(endpoint.name)}`, [
          {
            field: `trace.arrivalSeconds[${i}]`,
            value: arrivals[i],
            rule: `is earlier than the one before (${arrivals[i - 1]})`,
          },
        ]);
    }
    work = new Float64Array(arrivals.length).fill(profile.secondsPerRequest);
    if (spec.contextTokens && spec.generatedTokens) {
      withTokens(Float64Array.from(spec.contextTokens), Float64Array.from(spec.generatedTokens));
    }
  }
  return {
    name: endpoint.name,
    profile,
    configured: endpoint.profile,
    cumWork: new Float64Array(0),
    cumCount: new Float64Array(0),
    pools: endpoint.pools,
    arrivals,
    work,
    perMinute: new Float64Array(0),
    workPerMinute: new Float64Array(0),
    costModel,
    startMs,
    spanSeconds,
  };
}

export function buildWorkload(scenario: Scenario, seed: number, sloSeconds?: number): Workload {
  const parts = scenario.endpoints.map((e) => endpointWorkload(e, seed));
  let last = 0;
  for (const p of parts) {
    if (p.arrivals.length > 0) last = Math.max(last, p.arrivals[p.arrivals.length - 1] as number);
    // A rate trace lasts all its minutes, the last ones may be empty.
    last = Math.max(last, p.spanSeconds - 1);
  }
  const durationSeconds = scenario.durationSeconds ?? Math.max(60, Math.ceil((last + 1e-9) / 60) * 60);
  const minutes = Math.ceil(durationSeconds / 60);
  const endpoints: EndpointWorkload[] = parts.map(({ startMs: _start, spanSeconds: _span, ...p }) => {
    const perMinute = new Float64Array(minutes);
    const workPerMinute = new Float64Array(minutes);
    let keep = 0;
    while (keep < p.arrivals.length && (p.arrivals[keep] as number) < durationSeconds) keep++;
    const arrivals = p.arrivals.subarray(0, keep);
    const work = p.work.subarray(0, keep);
    for (let i = 0; i < keep; i++) {
      const m = Math.floor((arrivals[i] as number) / 60);
      perMinute[m] = (perMinute[m] as number) + 1;
      workPerMinute[m] = (workPerMinute[m] as number) + (work[i] as number);
    }
    const profile = sloSeconds !== undefined ? { ...p.profile, sloSeconds } : p.profile;
    // The override must keep the profile inside the shared schema (an SLO no shorter than a request):
    // otherwise the production core would hold every decision.
    throwIfProblems(`endpoint ${printable(p.name)}`, profileProblems(profile, "profile"));
    const configured = sloSeconds !== undefined ? { ...p.configured, sloSeconds } : p.configured;
    const cumWork = new Float64Array(minutes + 1);
    const cumCount = new Float64Array(minutes + 1);
    for (let m = 0; m < minutes; m++) {
      cumWork[m + 1] = (cumWork[m] as number) + (workPerMinute[m] as number);
      cumCount[m + 1] = (cumCount[m] as number) + (perMinute[m] as number);
    }
    return { ...p, profile, configured, cumWork, cumCount, arrivals, work, perMinute, workPerMinute };
  });
  // k-way merge into one arrival stream (endpoints are few).
  const total = endpoints.reduce((n, e) => n + e.arrivals.length, 0);
  const time = new Float64Array(total);
  const work = new Float64Array(total);
  const endpoint = new Uint16Array(total);
  const cursor = endpoints.map(() => 0);
  for (let k = 0; k < total; k++) {
    let best = -1;
    let bestT = Number.POSITIVE_INFINITY;
    for (let e = 0; e < endpoints.length; e++) {
      const i = cursor[e] as number;
      const arr = (endpoints[e] as EndpointWorkload).arrivals;
      if (i < arr.length && (arr[i] as number) < bestT) {
        bestT = arr[i] as number;
        best = e;
      }
    }
    const ew = endpoints[best] as EndpointWorkload;
    const i = cursor[best] as number;
    time[k] = bestT;
    work[k] = ew.work[i] as number;
    endpoint[k] = best;
    cursor[best] = i + 1;
  }
  const startMs = parts.find((p) => p.startMs !== undefined)?.startMs ?? DEFAULT_START_MS;
  return { scenario, startMs, durationSeconds, minutes, endpoints, time, work, endpoint };
}
