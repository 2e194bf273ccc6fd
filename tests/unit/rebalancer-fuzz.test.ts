import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseMessageBody } from "../../functions/rebalancer/parse";
import { handleRecords } from "../../functions/rebalancer/service";
import { FakeWorld } from "./support/rebalancer-fakes";

const fixtures = ["spot-interruption-warning", "rebalance-recommendation", "launch-unsuccessful"].map(
  (name) =>
    JSON.parse(readFileSync(join(__dirname, "../fixtures/events", `${name}.json`), "utf8")) as Record<string, unknown>,
);

/** A documented event with some fields replaced by arbitrary values or removed. */
const mutatedEvent = fc
  .tuple(
    fc.constantFrom(...fixtures),
    fc.array(
      fc.tuple(
        fc.constantFrom(
          "version",
          "id",
          "detail-type",
          "source",
          "account",
          "time",
          "region",
          "resources",
          "detail",
          "detail.instance-id",
          "detail.AutoScalingGroupName",
        ),
        fc.option(fc.jsonValue(), { nil: undefined }),
      ),
      { maxLength: 3 },
    ),
    fc.uuid(),
    fc.constantFrom("i-0123456789abcdef0", "i-0fedcba9876543210", "i-00000000000000001"),
  )
  .map(([base, edits, id, instanceId]) => {
    const event = structuredClone(base);
    event.id = id;
    const detail = { ...(event.detail as Record<string, unknown>) };
    if ("instance-id" in detail) detail["instance-id"] = instanceId;
    event.detail = detail;
    for (const [path, value] of edits) {
      const [head, tail] = path.split(".") as [string, string | undefined];
      const target = tail ? (event.detail as Record<string, unknown>) : event;
      // A detail already replaced by a scalar has no fields left to edit.
      if (typeof target !== "object" || target === null) continue;
      const key = tail ?? head;
      if (value === undefined) delete target[key];
      else target[key] = value;
    }
    return JSON.stringify(event);
  });

const body = fc.oneof(
  { arbitrary: mutatedEvent, weight: 6 },
  { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 2 },
  { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
  { arbitrary: fc.constantFrom("", "{", "null", "[]", '{"detail-type":null}', "\u0000"), weight: 1 },
);

/** Generous: the run's length depends on the machine's load, never its outcome. */
const FUZZ_TIMEOUT_MS = 300_000;

describe("rebalancer event fuzz", () => {
  it("parses 10,000 generated bodies without a throw escaping", { timeout: FUZZ_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(body, (text) => {
        const result = parseMessageBody(text);
        expect(result.ok || ["malformed", "ignored"].includes(result.rejection.disposition)).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  });

  it("acknowledges, retries or dead-letters every record of 10,000 in batches, never crashing one", {
    timeout: FUZZ_TIMEOUT_MS,
  }, async () => {
    const world = new FakeWorld();
    world.instances.set("i-0123456789abcdef0", { asgName: "asg-spot-a" });
    world.instances.set("i-0fedcba9876543210", { asgName: "someone-elses-asg" });
    let seen = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(body, { minLength: 100, maxLength: 100 }), async (bodies) => {
        const records = bodies.map((b, i) => ({ messageId: `m-${seen + i}`, body: b }));
        seen += records.length;
        const result = await handleRecords(world.deps(Date.UTC(2025, 0, 15, 12, 0, 0)), records);
        const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
        for (const record of records) {
          const parsed = parseMessageBody(record.body);
          // Malformed bodies are retried (and dead-lettered after maxReceiveCount); the rest are acknowledged.
          expect(failed.has(record.messageId)).toBe(!parsed.ok && parsed.rejection.disposition === "malformed");
        }
        for (const id of failed) expect(records.some((r) => r.messageId === id)).toBe(true);
      }),
      { numRuns: 100 },
    );
    expect(seen).toBeGreaterThanOrEqual(10_000);
    // Capacity stayed within bounds throughout.
    expect(world.groups.get("asg-od")?.desired).toBeLessThanOrEqual(8);
  });
});
