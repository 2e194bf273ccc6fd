/**
 * A small real model server for the worker tests and benchmark: answers POST /invocations
 * with the prime factors and SHA-256 of the request's `n`, can stream its answer as
 * server-sent events, fail on purpose, and take its time. GET /ping is its health route.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface ModelRequest {
  n: number;
  /** Milliseconds to wait before answering (or between streamed events). */
  delayMs?: number;
  /** Answer with this status instead (e.g. 400). */
  status?: number;
  /** With `key`: answer 500 to the first `failTimes` calls for that key. */
  failTimes?: number;
  key?: string;
  /** Always answer 500: a request the model can never serve. */
  poison?: boolean;
  /** Stream this many events as server-sent events. */
  streamEvents?: number;
}

/** What the model computes for n: the expected output of a successful request. */
export function expectedAnswer(n: number): { n: number; factors: number[]; sha256: string } {
  const factors: number[] = [];
  let rest = n;
  for (let p = 2; p * p <= rest; p++) {
    while (rest % p === 0) {
      factors.push(p);
      rest /= p;
    }
  }
  if (rest > 1) factors.push(rest);
  return { n, factors, sha256: createHash("sha256").update(String(n)).digest("hex") };
}

/** The event `i` of a streamed answer for n. */
export function expectedEvent(n: number, i: number): { index: number; token: string } {
  return { index: i, token: `${n}-${i}` };
}

export interface ModelServer {
  url: string;
  /** Calls per request `key` (and per `n` for requests without a key). */
  calls: Map<string, number>;
  /** Health answers 503 until this is true. */
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function invoke(req: IncomingMessage, res: ServerResponse, calls: Map<string, number>): Promise<void> {
  let request: ModelRequest;
  try {
    request = JSON.parse(await readBody(req)) as ModelRequest;
  } catch {
    return json(res, 400, { error: "body is not JSON" });
  }
  if (!Number.isSafeInteger(request.n) || request.n < 1)
    return json(res, 400, { error: "n must be a positive integer" });
  const key = request.key ?? String(request.n);
  const count = (calls.get(key) ?? 0) + 1;
  calls.set(key, count);
  if (request.poison) return json(res, 500, { error: "cannot serve this request" });
  if (request.failTimes !== undefined && count <= request.failTimes)
    return json(res, 500, { error: `failure ${count}` });
  if (request.status !== undefined) return json(res, request.status, { error: `asked for ${request.status}` });
  if (request.streamEvents !== undefined) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    for (let i = 0; i < request.streamEvents; i++) {
      if (request.delayMs) await sleep(request.delayMs);
      res.write(`data: ${JSON.stringify(expectedEvent(request.n, i))}\n\n`);
    }
    res.end("data: [DONE]\n\n");
    return;
  }
  if (request.delayMs) await sleep(request.delayMs);
  json(res, 200, expectedAnswer(request.n));
}

export async function startModelServer(options: { ready?: boolean } = {}): Promise<ModelServer> {
  const calls = new Map<string, number>();
  let ready = options.ready ?? true;
  const server: Server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/ping") return json(res, ready ? 200 : 503, { ready });
    if (req.method === "POST" && req.url === "/invocations") {
      invoke(req, res, calls).catch(() => res.destroy());
      return;
    }
    json(res, 404, { error: "not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    setReady(value) {
      ready = value;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
