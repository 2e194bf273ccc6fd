import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decideReplicas } from "../../functions/autoscaler/core";
import { decisionLines } from "./autoscaler-decision-lines";
import { generatedEndpoints, HISTORY_NOW, HISTORY_SETTINGS } from "./autoscaler-histories";

/**
 * The decisions recorded in tests/fixtures/autoscaler-decisions.txt came from the core before
 * its forecast was reorganised for speed (one pass for the seasonal and daily models, shared
 * prefix-sum arrays, no sort with a comparator for medians). A change that is only about speed
 * must reproduce every line: the same replicas, reasons and detail figures to the last bit.
 */
describe("decideReplicas reproduces the recorded decisions", () => {
  const recorded = readFileSync(join(__dirname, "../fixtures/autoscaler-decisions.txt"), "utf8").trimEnd().split("\n");
  const lines = decisionLines(decideReplicas, HISTORY_NOW, generatedEndpoints(64), HISTORY_SETTINGS);

  it("covers every settings variant, held and decided endpoints, and several models", () => {
    expect(lines).toHaveLength(64 * HISTORY_SETTINGS.length);
    const models = new Set(lines.map((line) => line.split(" ")[4]));
    expect([...models].sort()).toEqual(["-", "combined", "daily", "level", "recent-peak", "trend"]);
    expect(lines.some((line) => line.includes(" held "))).toBe(true);
  });

  it.each(HISTORY_SETTINGS.map((settings, v) => [JSON.stringify(settings), v] as const))("settings %s", (_, v) => {
    const prefix = `${v} `;
    expect(lines.filter((l) => l.startsWith(prefix))).toEqual(recorded.filter((l) => l.startsWith(prefix)));
  });
});
