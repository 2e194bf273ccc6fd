import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideReplicas, MAX_HORIZON_MINUTES } from "../../functions/autoscaler/core";
import { ConfigError, formatProblem } from "../../functions/problems";
import { parseStackConfig } from "../../infra/config";
import { exampleRaw, type RawStack } from "../fixtures/stack-config";
import { endpoint, flat, NOW, PROFILE, series } from "./autoscaler-fixtures";

/** Every path to a leaf (number, string, boolean) of a document. */
function leafPaths(node: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(node)) return node.flatMap((v, i) => leafPaths(v, [...at, i]));
  if (node !== null && typeof node === "object") {
    return Object.entries(node).flatMap(([k, v]) => leafPaths(v, [...at, k]));
  }
  return [at];
}

function setAt(root: RawStack, path: (string | number)[], value: unknown): void {
  const parent = path.slice(0, -1).reduce<RawStack>((node, key) => node[key], root);
  parent[path[path.length - 1] as string | number] = value;
}

const PATHS = leafPaths(exampleRaw());

/** Values a hostile or careless stack file may hold where a leaf was. */
const hostileValue = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -1, 1e12, 1e308, Number.NaN, Number.POSITIVE_INFINITY, "", "0", " ", "\n", "__proto__", null),
  fc.string(),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.integer(), { maxKeys: 3 }),
);

// Explicit run counts and timeouts: the properties must not depend on how busy the machine is.
describe("stack config validation under any single bad value", { timeout: 60_000 }, () => {
  it("accepts or refuses with a ConfigError whose every line names a field", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), hostileValue, (path, value) => {
        const raw = exampleRaw();
        setAt(raw, path, value);
        try {
          parseStackConfig(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          const problems = (error as ConfigError).problems;
          expect(problems.length).toBeGreaterThan(0);
          for (const problem of problems) {
            expect(problem.field).not.toBe("");
            expect(formatProblem(problem).length).toBeLessThan(600);
          }
        }
      }),
      { numRuns: 400, seed: 15 },
    );
  });
});

/** Seconds within the bounds half the time, anything up to 1e15 otherwise. */
const seconds = fc.oneof(fc.double({ min: 0, max: 3600, noNaN: true }), fc.double({ min: 0, max: 1e15, noNaN: true }));

describe("the autoscaler core's work per endpoint", { timeout: 60_000 }, () => {
  it("plans over a bounded horizon whatever the profile and lead time", () => {
    fc.assert(
      fc.property(seconds, seconds, (modelLoadSeconds, leadTimeSeconds) => {
        const e = endpoint({
          profile: { ...PROFILE, modelLoadSeconds },
          leadTimeSeconds,
          arrivals: series(flat(10, 60 * 24)),
        });
        const [decision] = decideReplicas({ nowMs: NOW, endpoints: [e] });
        if (decision?.detail) expect(decision.detail.horizonMinutes).toBeLessThanOrEqual(MAX_HORIZON_MINUTES);
        else expect(decision?.held).toBe(true);
      }),
      { numRuns: 200, seed: 15 },
    );
  });

  it("holds, naming the field, on a model load time past its bound", () => {
    const e = endpoint({ profile: { ...PROFILE, modelLoadSeconds: 1e12 } });

    const [decision] = decideReplicas({ nowMs: NOW, endpoints: [e] });

    expect(decision?.held).toBe(true);
    expect(decision?.reasons).toEqual([
      `holding ${PROFILE.minReplicas}: modelLoadSeconds (1000000000000) must be at most 3600`,
    ]);
  });
});
