/**
 * The HTTP hop to the model server on localhost: forwards a request body as is, reads a whole
 * answer or a streamed one event by event.
 */
import { type ModelOutcome, parseBody, streamFormat } from "./decide";
import { eventParser } from "./stream";

export interface ModelAnswer {
  outcome: ModelOutcome;
  /** The answer (parsed JSON, text, or a streamed answer's events in order); undefined when none came. */
  output?: unknown;
  streamed: boolean;
  millis: number;
}

export interface CallOptions {
  url: string;
  body: string;
  timeoutMs: number;
  /** Aborted when the request is released on shutdown. */
  signal: AbortSignal;
  /** Called with each batch of events a streamed answer completes, in order. */
  onEvents: (events: unknown[]) => void;
}

export async function callModel(o: CallOptions): Promise<ModelAnswer> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = AbortSignal.any([o.signal, timeout]);
  const done = (outcome: ModelOutcome, output: unknown, streamed: boolean): ModelAnswer => ({
    outcome,
    ...(output === undefined ? {} : { output }),
    streamed,
    millis: Math.round(performance.now() - started),
  });
  const failed = (streamed: boolean): ModelAnswer =>
    done(timeout.aborted ? { kind: "timeout" } : { kind: "unreachable" }, undefined, streamed);

  let response: Response;
  try {
    response = await fetch(o.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: o.body,
      signal,
    });
  } catch {
    return failed(false);
  }
  const status = response.status;
  const format = response.ok ? streamFormat(response.headers.get("content-type")) : undefined;
  try {
    if (!format || !response.body) return done({ kind: "answered", status }, parseBody(await response.text()), false);
    const parser = eventParser(format);
    const events: unknown[] = [];
    const decoder = new TextDecoder();
    const emit = (batch: unknown[]) => {
      if (batch.length === 0) return;
      events.push(...batch);
      o.onEvents(batch);
    };
    for await (const chunk of response.body) emit(parser.push(decoder.decode(chunk, { stream: true })));
    emit(parser.push(decoder.decode()));
    emit(parser.end());
    return done({ kind: "answered", status }, events, true);
  } catch {
    // The body broke off (model crashed, timeout, release): the answer is incomplete, so retry.
    return failed(format !== undefined);
  }
}

/** Whether the model's health route answers 2xx within two seconds. */
export async function modelHealthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
