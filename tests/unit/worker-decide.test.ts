import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseResultsUri, partKey, resultKey } from "../../functions/contract";
import { heartbeatIntervalMs, receiveBatchSize, shutdownPlan, visibleAgainAt } from "../../functions/queue-worker";
import { decideMessage, defaultRoutes, parseBody, partDue, retryDelaySeconds, streamFormat } from "../../worker/decide";

describe("what a model's answer means for the message", () => {
  it.each([
    [200, { action: "record", status: "succeeded" }],
    [204, { action: "record", status: "succeeded" }],
    [400, { action: "record", status: "failed" }],
    [404, { action: "record", status: "failed" }],
    [422, { action: "record", status: "failed" }],
    [408, { action: "retry", delaySeconds: 1, reason: "HTTP 408" }],
    [429, { action: "retry", delaySeconds: 1, reason: "HTTP 429" }],
    [500, { action: "retry", delaySeconds: 1, reason: "HTTP 500" }],
    [503, { action: "retry", delaySeconds: 1, reason: "HTTP 503" }],
  ])("HTTP %i on the first receive -> %j", (status, action) => {
    expect(decideMessage({ kind: "answered", status }, 1, 30)).toEqual(action);
  });

  it("retries timeouts and refused connections", () => {
    expect(decideMessage({ kind: "timeout" }, 2, 30)).toEqual({
      action: "retry",
      delaySeconds: 2,
      reason: "model timed out",
    });
    expect(decideMessage({ kind: "unreachable" }, 3, 30)).toEqual({
      action: "retry",
      delaySeconds: 4,
      reason: "model unreachable",
    });
  });

  it("backs off exponentially by receive count, never past the visibility timeout", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelaySeconds(n, 20))).toEqual([1, 2, 4, 8, 16, 20]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 43_200 }), (count, vt) => {
        const d = retryDelaySeconds(count, vt);
        return d >= 1 && d <= vt && Number.isInteger(d);
      }),
    );
  });
});

describe("routes and streamed bodies", () => {
  it("uses each protocol's standard routes", () => {
    expect(defaultRoutes("json", undefined)).toEqual({ invokePath: "/invocations", healthPath: "/ping" });
    expect(defaultRoutes("openai", undefined)).toEqual({ invokePath: "/v1/chat/completions", healthPath: "/health" });
    expect(defaultRoutes("kserve", "resnet 50")).toEqual({
      invokePath: "/v2/models/resnet%2050/infer",
      healthPath: "/v2/health/ready",
    });
  });

  it.each([
    ["text/event-stream", "sse"],
    ["text/event-stream; charset=utf-8", "sse"],
    ["application/x-ndjson", "ndjson"],
    ["application/jsonl", "ndjson"],
    ["application/json", undefined],
    [null, undefined],
  ])("content type %s streams as %s", (contentType, format) => {
    expect(streamFormat(contentType)).toBe(format);
  });

  it("records JSON bodies parsed and anything else as text", () => {
    expect(parseBody('{"a":1}')).toEqual({ a: 1 });
    expect(parseBody("plain words")).toBe("plain words");
  });

  it("publishes gathered events once the flush interval has passed", () => {
    expect(partDue(0, 0, 10_000, 500)).toBe(false);
    expect(partDue(3, 1000, 1499, 500)).toBe(false);
    expect(partDue(3, 1000, 1500, 500)).toBe(true);
  });
});

describe("the shared queue-worker kernel", () => {
  it("asks for the free slots, at most one SQS batch", () => {
    expect(receiveBatchSize(4, 0)).toBe(4);
    expect(receiveBatchSize(4, 3)).toBe(1);
    expect(receiveBatchSize(4, 4)).toBe(0);
    expect(receiveBatchSize(64, 2)).toBe(10);
  });

  it("extends visibility every third of the timeout, at least every second", () => {
    expect(heartbeatIntervalMs(30)).toBe(10_000);
    expect(heartbeatIntervalMs(2)).toBe(1000);
  });

  it("makes a released message visible now and a killed worker's one after the timeout from receipt", () => {
    expect(visibleAgainAt(100, 110, 30, true)).toBe(110);
    expect(visibleAgainAt(100, 110, 30, false)).toBe(130);
    expect(visibleAgainAt(100, 200, 30, false)).toBe(200);
  });

  it("on SIGTERM finishes what is expected to end before the deadline and releases the rest now", () => {
    const now = 1_000_000;
    const plan = shutdownPlan(
      [
        { id: "old", receivedAtMs: now - 25_000 },
        { id: "mid", receivedAtMs: now - 10_000 },
        { id: "new", receivedAtMs: now - 1000 },
      ],
      now,
      { shutdownSeconds: 30, maxProcessingSeconds: 30 },
    );
    // Deadline: 30 s less a 5 s margin. "old" ends by +5 s, "mid" by +20 s, "new" not before +29 s.
    expect(plan).toEqual({ finish: ["old", "mid"], release: ["new"], deadlineMs: now + 25_000 });
  });

  it("leaves a margin of a quarter of a short grace period", () => {
    expect(shutdownPlan([], 0, { shutdownSeconds: 8, maxProcessingSeconds: 1 }).deadlineMs).toBe(6000);
  });

  it("puts every request in exactly one group", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 600 }),
        (ages, shutdownSeconds, maxProcessingSeconds) => {
          const inFlight = ages.map((age, i) => ({ id: `r${i}`, receivedAtMs: 200_000 - age }));
          const plan = shutdownPlan(inFlight, 200_000, { shutdownSeconds, maxProcessingSeconds });
          return (
            [...plan.finish, ...plan.release].sort().join() ===
            inFlight
              .map((r) => r.id)
              .sort()
              .join()
          );
        },
      ),
    );
  });
});

describe("results keys", () => {
  it("keys results and zero-padded parts by request id under the prefix", () => {
    const at = parseResultsUri("s3://acme-results/chat");
    expect(at).toEqual({ bucket: "acme-results", prefix: "chat/" });
    expect(resultKey(at, "r-1")).toBe("chat/r-1/result.json");
    expect(partKey(at, "r-1", 12)).toBe("chat/r-1/part-000012.json");
    expect(parseResultsUri("s3://acme-results")).toEqual({ bucket: "acme-results", prefix: "" });
  });

  it.each([["https://acme/x"], ["s3://UPPER/x"], ["s3://acme-results//x"]])("refuses %s", (uri) => {
    expect(() => parseResultsUri(uri)).toThrow(/results URI/);
  });
});
