import { describe, expect, it } from "vitest";
import { parseFleetConfig } from "../../functions/autoscaler/config";
import { parseEnv } from "../../functions/autoscaler/env";
import { ArrivalHistory } from "../../functions/autoscaler/history";
import { chat } from "../fixtures/fleet-control";

const endpoint = {
  name: "chat",
  queueName: "chat-requests",
  queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/chat-requests",
  profile: { ...chat.profile, maxReplicas: 5 },
  slicesPerGpu: 2,
  leadTimeSeconds: 300,
};

describe("parseFleetConfig", () => {
  it("accepts a valid file", () => {
    expect(parseFleetConfig(JSON.stringify({ version: 1, endpoints: [endpoint] })).endpoints[0]?.name).toBe("chat");
  });

  it.each([
    ["not JSON", "{", /^invalid fleet\.json:\n\(document\) is not valid JSON: /],
    [
      "wrong version",
      JSON.stringify({ version: 2, endpoints: [] }),
      /^invalid fleet\.json:\nversion \(2\) must be one of 1$/,
    ],
    [
      "a bad field",
      JSON.stringify({ version: 1, endpoints: [endpoint, { ...endpoint, name: "b", slicesPerGpu: 64 }] }),
      /^invalid fleet\.json:\nendpoints\[1\]\.slicesPerGpu \(64\) must be at most 48$/,
    ],
    [
      "a duplicate",
      JSON.stringify({ version: 1, endpoints: [endpoint, endpoint] }),
      /^invalid fleet\.json:\nendpoints\[1\]\.name \("chat"\) is already used by endpoints\[0\]$/,
    ],
    [
      "max below min",
      JSON.stringify({ version: 1, endpoints: [{ ...endpoint, profile: { ...endpoint.profile, minReplicas: 6 } }] }),
      /^invalid fleet\.json:\nendpoints\[0\]\.profile\.minReplicas \(6\) must not exceed maxReplicas \(5\)$/,
    ],
    [
      "an unknown setting",
      JSON.stringify({ version: 1, endpoints: [], settings: { headroon: 2 } }),
      /^invalid fleet\.json:\nsettings\.headroon is not a known setting: did you mean headroom\?$/,
    ],
  ])("rejects %s, naming the field", (_, text, message) => {
    expect(() => parseFleetConfig(text)).toThrow(message);
  });
});

describe("parseEnv", () => {
  it("applies defaults", () => {
    expect(parseEnv({})).toEqual({ HISTORY_DAYS: 14, QUEUE_READ_CONCURRENCY: 10 });
  });

  it("names the variable and its value", () => {
    expect(() => parseEnv({ HISTORY_DAYS: "30" })).toThrow(
      'invalid environment:\nHISTORY_DAYS ("30") must be at most 14',
    );
    expect(() => parseEnv({ CONFIG_FILE: "" })).toThrow('invalid environment:\nCONFIG_FILE ("") must not be empty');
  });
});

describe("ArrivalHistory", () => {
  it("overlays a refresh on the kept history and drops what is older than the window", () => {
    const history = new ArrivalHistory(5);
    history.merge("q", { startMs: 0, values: [1, 2, 3, 4] });
    history.merge("q", { startMs: 3 * 60_000, values: [40, 50, 60] });

    expect(history.get("q")).toEqual({ startMs: 60_000, values: [2, 3, 40, 50, 60] });
  });

  it("takes the refresh as authoritative, late datapoints and gaps alike", () => {
    const history = new ArrivalHistory(10);
    history.merge("q", { startMs: 0, values: [1, 2, 3] });
    history.merge("q", { startMs: 60_000, values: [null, 7] });

    expect(history.get("q")).toEqual({ startMs: 0, values: [1, null, 7] });
  });
});
