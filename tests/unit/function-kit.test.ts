import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { chunks, mapLimit } from "../../functions/kit/concurrency";
import { HEALTH_NAMESPACE, healthMetrics } from "../../functions/kit/metrics";
import { configFilePath, loadConfigFile, parseConfigJson, parseEnvironment } from "../../functions/kit/setup";
import { ConfigError } from "../../functions/problems";

describe("mapLimit", () => {
  it("keeps at most `limit` calls in flight and the input order", async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (x) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, x));
      inFlight--;
      return x * 10;
    });

    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it("maps nothing to nothing", async () => {
    expect(await mapLimit([], 4, async (x: number) => x)).toEqual([]);
  });
});

describe("chunks", () => {
  it("chunks to the API limit", () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe("healthMetrics", () => {
  it("writes one embedded-metric line per publish, in the one namespace, by service", () => {
    const lines: string[] = [];
    const metrics = healthMetrics("gpufleet-test", (line) => lines.push(line));

    metrics.publish({ Held: { value: 2, unit: "Count" }, TickDuration: { value: 15, unit: "Milliseconds" } }, 1000);
    metrics.publish({ Held: { value: 0, unit: "Count" } }, 2000);

    expect(lines.map((l) => JSON.parse(l))).toEqual([
      {
        _aws: {
          Timestamp: 1000,
          CloudWatchMetrics: [
            {
              Namespace: HEALTH_NAMESPACE,
              Dimensions: [["service"]],
              Metrics: [
                { Name: "Held", Unit: "Count" },
                { Name: "TickDuration", Unit: "Milliseconds" },
              ],
            },
          ],
        },
        service: "gpufleet-test",
        Held: 2,
        TickDuration: 15,
      },
      {
        _aws: {
          Timestamp: 2000,
          CloudWatchMetrics: [
            { Namespace: HEALTH_NAMESPACE, Dimensions: [["service"]], Metrics: [{ Name: "Held", Unit: "Count" }] },
          ],
        },
        service: "gpufleet-test",
        Held: 0,
      },
    ]);
  });
});

describe("parseEnvironment", () => {
  const schema = z.object({ TABLE_NAME: z.string().min(1), LIMIT: z.coerce.number().int().max(10).default(5) });

  it("returns the typed environment with defaults", () => {
    expect(parseEnvironment(schema, { TABLE_NAME: "t" })).toEqual({ TABLE_NAME: "t", LIMIT: 5 });
  });

  it.each([
    [{}, "invalid environment:\nTABLE_NAME is required"],
    [{ TABLE_NAME: "t", LIMIT: "11" }, 'invalid environment:\nLIMIT ("11") must be at most 10'],
  ])("names the variable and its value: %j", (env, message) => {
    expect(() => parseEnvironment(schema, env)).toThrow(message);
  });
});

describe("the bundled configuration file", () => {
  it("is found next to the handler at the task root, or where CONFIG_FILE says", () => {
    expect(configFilePath({ LAMBDA_TASK_ROOT: "/var/task" }, "fleet.json")).toBe("/var/task/fleet.json");
    expect(configFilePath({ LAMBDA_TASK_ROOT: "/var/task", CONFIG_FILE: "/tmp/x.json" }, "fleet.json")).toBe(
      "/tmp/x.json",
    );
    expect(configFilePath({ LAMBDA_TASK_ROOT: "/var/task", CONFIG_FILE: "conf/x.json" }, "fleet.json")).toBe(
      "/var/task/conf/x.json",
    );
  });

  it("is read and parsed, or the error names the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-"));
    writeFileSync(join(dir, "good.json"), '{"n":1}');
    const parse = (text: string, source: string) => parseConfigJson(z.object({ n: z.number() }), text, source);

    expect(loadConfigFile({ LAMBDA_TASK_ROOT: dir }, "good.json", parse)).toEqual({ n: 1 });
    expect(() => loadConfigFile({ LAMBDA_TASK_ROOT: dir }, "absent.json", parse)).toThrow(
      new RegExp(`^invalid ${join(dir, "absent.json")}:\\n\\(file\\) cannot be read: ENOENT`),
    );
    expect(() => parse('{"n":"one"}', "c.json")).toThrow(
      new ConfigError("c.json", [{ field: "n", value: "one", rule: "must be a number" }]),
    );
    expect(() => parse("{", "c.json")).toThrow(/^invalid c\.json:\n\(document\) is not valid JSON: /);
  });
});
