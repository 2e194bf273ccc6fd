import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createHandler } from "../../functions/rebalancer/app";
import { FakeWorld } from "./support/rebalancer-fakes";

/**
 * Hostile and malformed invocations of the rebalancer, one fault each, through the Lambda
 * entry point over in-memory adapters: none throws, every response is a valid partial
 * batch response, and each ends as it should (acted on once, acknowledged, counted as
 * foreign, or retried until the queue dead-letters it).
 */

const NOW = Date.UTC(2025, 0, 15, 12, 0, 30);
const INSTANCE = "i-0123456789abcdef0";

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, "../fixtures/events", `${name}.json`), "utf8"));
}

/** The documented warning for our spot node, with `change` applied to the event. */
function warning(change: (event: Record<string, unknown>) => void = () => undefined): string {
  const event = fixture("spot-interruption-warning");
  event.id = "evt-1";
  event.detail = { ...(event.detail as Record<string, unknown>), "instance-id": INSTANCE };
  event.resources = [`arn:aws:ec2:us-east-1:123456789012:instance/${INSTANCE}`];
  change(event);
  return JSON.stringify(event);
}

function launchFailure(change: (event: Record<string, unknown>) => void): string {
  const event = fixture("launch-unsuccessful");
  event.detail = { ...(event.detail as Record<string, unknown>), AutoScalingGroupName: "asg-spot-a" };
  change(event);
  return JSON.stringify(event);
}

const detail = (event: Record<string, unknown>) => event.detail as Record<string, unknown>;
const one = (body: unknown) => ({ Records: [{ messageId: "m1", body }] });

type Outcome =
  /** Acted on: the fallback was raised for the warned node. */
  | "acted"
  /** Acknowledged and dropped: not one of the events the rebalancer handles, or not its cluster's. */
  | "ignored"
  /** Acknowledged and counted: an event of another account or region. */
  | "foreign"
  /** Reported as a batch item failure: redelivered, then dead-lettered. */
  | "retried"
  /** A record without a message id: logged and counted, nothing the queue could redeliver. */
  | "unnamed";

const cases: [string, unknown, Outcome][] = [
  ["Records holding null", { Records: [null] }, "unnamed"],
  ["Records holding an empty object", { Records: [{}] }, "unnamed"],
  ["a record whose message id is a number", { Records: [{ messageId: 42, body: warning() }] }, "unnamed"],
  ["a record whose message id is empty", { Records: [{ messageId: "", body: warning() }] }, "unnamed"],
  ["a record without a body", { Records: [{ messageId: "m1" }] }, "retried"],
  ["a body that is null", one(null), "retried"],
  ["a body that is not JSON", one('{"detail-type":'), "retried"],
  ["a body that is JSON null", one("null"), "retried"],
  ["a body that is a JSON list", one("[]"), "retried"],
  ["time '1'", one(warning((e) => Object.assign(e, { time: "1" }))), "retried"],
  ["time 'March 7'", one(warning((e) => Object.assign(e, { time: "March 7" }))), "retried"],
  ["time on 30 February", one(warning((e) => Object.assign(e, { time: "2025-02-30T12:00:00Z" }))), "retried"],
  ["time at hour 25", one(warning((e) => Object.assign(e, { time: "2025-01-15T25:00:00Z" }))), "retried"],
  ["time without a zone", one(warning((e) => Object.assign(e, { time: "2025-01-15T12:00:00" }))), "retried"],
  ["an id of 256 characters", one(warning((e) => Object.assign(e, { id: "a".repeat(256) }))), "retried"],
  ["an id with quotes and spaces", one(warning((e) => Object.assign(e, { id: 'a "b" c' }))), "retried"],
  ["no account", one(warning((e) => delete e.account)), "retried"],
  ["an instance id 'constructor'", one(warning((e) => (detail(e)["instance-id"] = "constructor"))), "retried"],
  ["an instance id '__proto__'", one(warning((e) => (detail(e)["instance-id"] = "__proto__"))), "retried"],
  ["a detail that is a list", one(warning((e) => Object.assign(e, { detail: [] }))), "retried"],
  ["another account", one(warning((e) => Object.assign(e, { account: "999999999999" }))), "foreign"],
  ["another region", one(warning((e) => Object.assign(e, { region: "eu-west-1" }))), "foreign"],
  [
    "another account and region",
    one(warning((e) => Object.assign(e, { account: "999999999999", region: "eu-west-1" }))),
    "foreign",
  ],
  [
    "a launch failure from another account",
    one(launchFailure((e) => Object.assign(e, { account: "999999999999" }))),
    "foreign",
  ],
  ["a detail-type it does not handle", one(warning((e) => Object.assign(e, { "detail-type": "EC2 Fun" }))), "ignored"],
  ["a warning from a source other than EC2", one(warning((e) => Object.assign(e, { source: "evil" }))), "ignored"],
  [
    "a launch failure of another group",
    one(launchFailure((e) => (detail(e).AutoScalingGroupName = "not-ours"))),
    "ignored",
  ],
  ["an event id 'constructor'", one(warning((e) => Object.assign(e, { id: "constructor" }))), "acted"],
  ["an event id '__proto__'", one(warning((e) => Object.assign(e, { id: "__proto__" }))), "acted"],
  ["an event id 'toString'", one(warning((e) => Object.assign(e, { id: "toString" }))), "acted"],
  ["an event id 'valueOf'", one(warning((e) => Object.assign(e, { id: "valueOf" }))), "acted"],
];

function world(): FakeWorld {
  const w = new FakeWorld();
  w.instances.set(INSTANCE, { asgName: "asg-spot-a" });
  return w;
}

describe("the rebalancer handler under bad events", () => {
  it("has a table of at least 20 faults", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)("%s: %s", async (_name, event, outcome) => {
    const w = world();
    const handler = createHandler(w.deps(NOW));

    const response = await handler(event);

    const failures = (response as { batchItemFailures: { itemIdentifier: string }[] }).batchItemFailures;
    expect(failures).toEqual(outcome === "retried" ? [{ itemIdentifier: "m1" }] : []);
    expect(w.groups.get("asg-od")?.desired).toBe(outcome === "acted" ? 1 : 0);
    expect(w.groups.get("asg-spot-a")?.desired).toBe(4);
    const batch = w.published[0] ?? {};
    expect(batch.Records?.value).toBe(1);
    expect(batch.ForeignEvents?.value).toBe(outcome === "foreign" ? 1 : 0);
    expect(batch.IgnoredRecords?.value).toBe(outcome === "ignored" || outcome === "unnamed" ? 1 : 0);
    expect(batch.RetriedRecords?.value).toBe(outcome === "retried" ? 1 : 0);
    const messages = w.logs.map((l) => l.message);
    if (outcome === "foreign") expect(messages).toContain("event of another account or region acknowledged");
    if (outcome === "unnamed")
      expect(messages).toContain("records without a message id acknowledged (not SQS messages)");
  });

  it("acts once on a second delivery of an event whose id is an Object.prototype name", async () => {
    const w = world();
    const handler = createHandler(w.deps(NOW));
    const body = warning((e) => Object.assign(e, { id: "constructor" }));

    await handler(one(body));
    const again = await handler({ Records: [{ messageId: "m2", body }] });

    expect(again).toEqual({ batchItemFailures: [] });
    expect(w.groups.get("asg-od")?.desired).toBe(1);
  });
});
