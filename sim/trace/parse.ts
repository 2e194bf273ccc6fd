/**
 * Trace files. Two formats, told apart by the header:
 * - per request (Azure LLM inference trace): `TIMESTAMP,ContextTokens,GeneratedTokens`,
 *   timestamps like `2023-11-16 18:17:03.9799600` (UTC, any number of fraction digits);
 * - per minute (a rate envelope): `minute,count`, minute 0 = the first minute.
 * Errors name the file and line: `trace.csv:17: ContextTokens ("abc") is not a number`.
 */

import type { Problem } from "../../functions/problems";
import { isConfigError } from "../../functions/problems";
import { LIMITS } from "../limits";
import { printable } from "../text";
import { readLines, traceError } from "./lines";

export interface RequestTrace {
  kind: "requests";
  source: string;
  /** Epoch milliseconds of the first request. */
  startMs: number;
  /** Seconds since the first request, ascending. */
  arrivals: Float64Array;
  contextTokens: Float64Array;
  generatedTokens: Float64Array;
}

export interface RateTrace {
  kind: "per-minute";
  source: string;
  /** Requests in each minute, minute 0 first. */
  counts: Float64Array;
}

export type ParsedTrace = RequestTrace | RateTrace;

export interface TraceWindow {
  startMinute?: number;
  minutes?: number;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z?$/;

function fail(path: string, line: number, problem: Problem): never {
  throw traceError(path, line, problem);
}

function parseNumber(path: string, line: number, column: string, text: string | undefined, max: number): number {
  const trimmed = (text ?? "").trim();
  const value = trimmed === "" ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(value)) fail(path, line, { field: column, value: text ?? "", rule: "is not a number" });
  if (value < 0) fail(path, line, { field: column, value, rule: "must not be negative" });
  if (value > max) fail(path, line, { field: column, value, rule: `must be at most ${max}` });
  return value;
}

function parseTimestamp(path: string, line: number, text: string | undefined): number {
  const m = TIMESTAMP.exec((text ?? "").trim());
  if (!m)
    fail(path, line, { field: "TIMESTAMP", value: text ?? "", rule: "is not a date like 2023-11-16 18:17:03.9799600" });
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  // Date.UTC rolls 2023-02-30 over into March and 25:61 into the next day: a real date reads back the same.
  const back = new Date(ms);
  const same =
    back.getUTCFullYear() === Number(y) &&
    back.getUTCMonth() === Number(mo) - 1 &&
    back.getUTCDate() === Number(d) &&
    back.getUTCHours() === Number(h) &&
    back.getUTCMinutes() === Number(mi) &&
    back.getUTCSeconds() === Number(s);
  if (Number.isNaN(ms) || !same)
    fail(path, line, { field: "TIMESTAMP", value: text ?? "", rule: "is not a valid date and time" });
  return ms + (frac ? Number(`0.${frac.slice(0, 9)}`) * 1000 : 0);
}

class Growable {
  data = new Float64Array(4096);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** Reads a trace file of either format, keeping only the window asked for. */
export function parseTraceFile(path: string, window: TraceWindow = {}): ParsedTrace {
  let lines: Generator<[number, string]>;
  try {
    lines = readLines(path);
    const first = lines.next();
    if (first.done) fail(path, 1, { field: "header", rule: "is missing: the file is empty" });
    const [headerLine, header] = first.value;
    const columns = header.split(",").map((c) => c.trim().toLowerCase());
    if (columns.length === 2 && columns[0] === "minute" && columns[1] === "count") {
      return parseRate(path, lines, window);
    }
    const ts = columns.indexOf("timestamp");
    const ctx = columns.indexOf("contexttokens");
    const gen = columns.indexOf("generatedtokens");
    if (ts >= 0 && ctx >= 0 && gen >= 0) return parseRequests(path, lines, window, ts, ctx, gen);
    fail(path, headerLine, {
      field: "header",
      value: header,
      rule: "is neither TIMESTAMP,ContextTokens,GeneratedTokens nor minute,count",
    });
  } catch (error) {
    if (isConfigError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw traceError(path, undefined, {
      field: "(file)",
      rule: `cannot be read (${printable(code ?? (error as Error).message)})`,
    });
  }
}

function parseRequests(
  path: string,
  lines: Generator<[number, string]>,
  window: TraceWindow,
  ts: number,
  ctx: number,
  gen: number,
): RequestTrace {
  const times = new Growable();
  const context = new Growable();
  const generated = new Growable();
  const width = Math.max(ts, ctx, gen) + 1;
  let sorted = true;
  let last = Number.NEGATIVE_INFINITY;
  let first = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  const spanMs = LIMITS.spanMinutes * 60_000;
  for (const [lineNo, text] of lines) {
    if (text.trim() === "") continue;
    const cells = text.split(",");
    if (cells.length < width)
      fail(path, lineNo, { field: "columns", value: cells.length, rule: `must be at least ${width}` });
    const t = parseTimestamp(path, lineNo, cells[ts]);
    if (t < last) sorted = false;
    last = t;
    first = Math.min(first, t);
    latest = Math.max(latest, t);
    if (latest - first > spanMs)
      fail(path, lineNo, {
        field: "TIMESTAMP",
        value: cells[ts],
        rule: `is more than ${LIMITS.spanMinutes / 1440} days from the earliest (the longest span the simulator replays)`,
      });
    if (times.length >= LIMITS.requests)
      fail(path, lineNo, { field: "request", rule: `is one more than the ${LIMITS.requests} a trace may hold` });
    times.push(t);
    context.push(parseNumber(path, lineNo, "ContextTokens", cells[ctx], LIMITS.tokens));
    generated.push(parseNumber(path, lineNo, "GeneratedTokens", cells[gen], LIMITS.tokens));
  }
  if (times.length === 0) fail(path, 2, { field: "requests", rule: "are missing: none after the header" });
  let t = times.view();
  let c = context.view();
  let g = generated.view();
  if (!sorted) {
    const order = Array.from({ length: t.length }, (_, i) => i).sort((a, b) => (t[a] as number) - (t[b] as number));
    t = Float64Array.from(order, (i) => t[i] as number);
    c = Float64Array.from(order, (i) => c[i] as number);
    g = Float64Array.from(order, (i) => g[i] as number);
  }
  const origin = t[0] as number;
  const from = (window.startMinute ?? 0) * 60;
  const to = window.minutes !== undefined ? from + window.minutes * 60 : Number.POSITIVE_INFINITY;
  const keep: number[] = [];
  for (let i = 0; i < t.length; i++) {
    const s = ((t[i] as number) - origin) / 1000;
    if (s >= from && s < to) keep.push(i);
  }
  if (keep.length === 0)
    throw traceError(path, undefined, {
      field: "startMinute",
      value: from / 60,
      rule: "leaves no requests in the window",
    });
  return {
    kind: "requests",
    source: path,
    startMs: origin + from * 1000,
    arrivals: Float64Array.from(keep, (i) => ((t[i] as number) - origin) / 1000 - from),
    contextTokens: Float64Array.from(keep, (i) => c[i] as number),
    generatedTokens: Float64Array.from(keep, (i) => g[i] as number),
  };
}

function parseRate(path: string, lines: Generator<[number, string]>, window: TraceWindow): RateTrace {
  const counts = new Growable();
  const seen = new Uint8Array(0);
  let seenBits = seen;
  for (const [lineNo, text] of lines) {
    if (text.trim() === "") continue;
    const cells = text.split(",");
    if (cells.length !== 2) fail(path, lineNo, { field: "columns", value: cells.length, rule: "must be 2" });
    const minute = parseNumber(path, lineNo, "minute", cells[0], LIMITS.spanMinutes - 1);
    if (!Number.isInteger(minute))
      fail(path, lineNo, { field: "minute", value: minute, rule: "must be a whole number" });
    const count = parseNumber(path, lineNo, "count", cells[1], LIMITS.countPerMinute);
    while (counts.length <= minute) counts.push(0);
    if (seenBits.length <= minute) {
      const grown = new Uint8Array(Math.max(minute + 1, seenBits.length * 2));
      grown.set(seenBits);
      seenBits = grown;
    }
    if (seenBits[minute]) fail(path, lineNo, { field: "minute", value: minute, rule: "appears twice" });
    seenBits[minute] = 1;
    counts.data[minute] = count;
  }
  if (counts.length === 0) fail(path, 2, { field: "minutes", rule: "are missing: none after the header" });
  const all = counts.view();
  const from = window.startMinute ?? 0;
  const to = window.minutes !== undefined ? Math.min(all.length, from + window.minutes) : all.length;
  if (from >= all.length) {
    throw traceError(path, undefined, {
      field: "startMinute",
      value: from,
      rule: `is past the trace's last minute (${all.length - 1})`,
    });
  }
  return { kind: "per-minute", source: path, counts: all.slice(from, to) };
}
