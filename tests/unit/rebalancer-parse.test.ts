import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseEvent, parseIsoTimestamp, parseMessageBody } from "../../functions/rebalancer/parse";

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, "../fixtures/events", `${name}.json`), "utf8"));

describe("parseEvent on the documented event shapes", () => {
  it("reads a spot interruption warning", () => {
    expect(parseEvent(fixture("spot-interruption-warning"))).toEqual({
      ok: true,
      event: {
        kind: "interruption-warning",
        id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        atMs: Date.UTC(2025, 0, 15, 12, 0, 0),
        region: "us-east-1",
        account: "123456789012",
        instanceId: "i-1234567890abcdef0",
        action: "terminate",
      },
    });
  });

  it("reads a rebalance recommendation", () => {
    expect(parseEvent(fixture("rebalance-recommendation"))).toEqual({
      ok: true,
      event: {
        kind: "rebalance-recommendation",
        id: "2b4c9a1e-7d3f-4e55-9a0b-1c2d3e4f5a6b",
        atMs: Date.UTC(2025, 0, 15, 11, 58, 30),
        region: "us-east-1",
        account: "123456789012",
        instanceId: "i-1234567890abcdef0",
      },
    });
  });

  it("reads a launch failure with an empty instance id", () => {
    const result = parseEvent(fixture("launch-unsuccessful"));
    expect(result).toMatchObject({
      ok: true,
      event: {
        kind: "launch-failure",
        asgName: "eks-gpu-spot-a-4ec7a1b2-9d3e-5f6a-7b8c-9d0e1f2a3b4c",
        atMs: Date.UTC(2025, 0, 15, 12, 3, 10),
      },
    });
    expect(result.ok && "instanceId" in result.event).toBe(false);
  });

  it("reads a message body as SQS delivers it from EventBridge", () => {
    const body = JSON.stringify(fixture("spot-interruption-warning"));
    expect(parseMessageBody(body)).toEqual(parseEvent(fixture("spot-interruption-warning")));
  });
});

describe("parseEvent rejections", () => {
  const warning = () => fixture("spot-interruption-warning");
  const cases: [string, unknown, "malformed" | "ignored", string][] = [
    ["null", null, "malformed", "not an EventBridge event: (document) (null) must be a mapping, not null"],
    [
      "a missing detail",
      { ...warning(), detail: undefined },
      "malformed",
      "not an EventBridge event: detail is required",
    ],
    ["a bad time", { ...warning(), time: "yesterday" }, "malformed", 'time ("yesterday") is not an ISO 8601 timestamp'],
    [
      "a bad instance id",
      { ...warning(), detail: { "instance-id": "nope" } },
      "malformed",
      'EC2 Spot Instance Interruption Warning: instance-id ("nope") must match /^i-[0-9a-f]{8,17}$/',
    ],
    [
      "another detail-type",
      { ...warning(), "detail-type": "EC2 Instance State-change Notification" },
      "ignored",
      'detail-type "EC2 Instance State-change Notification" is not one the rebalancer handles',
    ],
    [
      "a warning from another source",
      { ...warning(), source: "my.app" },
      "ignored",
      'EC2 Spot Instance Interruption Warning from source "my.app", expected aws.ec2',
    ],
  ];

  it.each(cases)("rejects %s", (_name, raw, disposition, message) => {
    expect(parseEvent(raw)).toEqual({
      ok: false,
      rejection:
        typeof raw === "object" && raw && "id" in raw
          ? { disposition, message, id: (raw as { id: string }).id }
          : { disposition, message },
    });
  });

  it("rejects a body that is not JSON", () => {
    const result = parseMessageBody("{not json");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.rejection.disposition).toBe("malformed");
    expect(!result.ok && result.rejection.message.startsWith("message body is not JSON: ")).toBe(true);
  });

  it("rejects a launch failure without a group name", () => {
    const raw = fixture("launch-unsuccessful");
    const detail = { ...(raw.detail as Record<string, unknown>) };
    delete detail.AutoScalingGroupName;
    expect(parseEvent({ ...raw, detail })).toEqual({
      ok: false,
      rejection: {
        disposition: "malformed",
        message: "EC2 Instance Launch Unsuccessful: AutoScalingGroupName is required",
        id: "3c5d7e9f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
      },
    });
  });
});

describe("parseIsoTimestamp", () => {
  it.each([
    ["2025-01-15T12:00:00Z", Date.UTC(2025, 0, 15, 12)],
    ["2025-01-15T12:00:00.512Z", Date.UTC(2025, 0, 15, 12, 0, 0, 512)],
    ["2024-02-29T05:30:00+05:30", Date.UTC(2024, 1, 29)],
    ["2025-12-31T23:59:59-01:00", Date.UTC(2026, 0, 1, 0, 59, 59)],
  ])("reads %s", (text, ms) => {
    expect(parseIsoTimestamp(text)).toBe(ms);
  });

  it.each([
    "1",
    "March 7",
    "",
    "2025-01-15",
    "2025-01-15T12:00:00",
    "2025-01-15 12:00:00Z",
    "2025-02-30T12:00:00Z",
    "2023-02-29T12:00:00Z",
    "2025-13-01T00:00:00Z",
    "2025-00-10T00:00:00Z",
    "2025-01-15T24:00:00Z",
    "2025-01-15T12:60:00Z",
    "2025-01-15T12:00:60Z",
    "2025-01-15T12:00:00+25:00",
    "+002025-01-15T12:00:00Z",
    "Wed, 15 Jan 2025 12:00:00 GMT",
  ])("refuses %j", (text) => {
    expect(parseIsoTimestamp(text)).toBeUndefined();
  });
});
