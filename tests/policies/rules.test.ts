import { describe, expect, it } from "vitest";
import { normalizePackConfig } from "../../policies/plan/pack-config";
import { rules } from "../../policies/rules";

describe("the rule list", () => {
  it("holds every rule the pack promises, once each, named in kebab-case", () => {
    const names = rules.map((r) => r.name);
    expect(names).toEqual([
      "gpu-workload-tolerates-gpu-taint-and-selects-gpu-pool",
      "gpu-slice-memory-fits",
      "gpu-request-is-one-slice",
      "spot-pool-diversified",
      "spot-has-on-demand-fallback",
      "queue-encrypted",
      "queue-has-dlq",
      "queue-visibility-covers-processing",
      "iam-no-wildcard-mutations",
      "lambda-has-timeout-log-retention-and-dlq",
      "eks-secrets-encrypted",
      "eks-endpoint-restricted",
      "eks-control-plane-logs",
      "required-cost-tags",
      "gpu-capacity-cap",
    ]);
    for (const name of names) {
      expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it("gives every rule a description, a level, and a config schema the engine accepts", () => {
    for (const rule of rules) {
      expect(rule.description.length).toBeGreaterThan(20);
      expect(["advisory", "mandatory"]).toContain(rule.enforcementLevel);
      // The engine refuses a pack whose schema redefines enforcementLevel.
      expect(Object.keys(rule.configSchema?.properties ?? {})).not.toContain("enforcementLevel");
    }
  });
});

describe("policy pack config", () => {
  it("applies 'all', then per-rule levels and settings", () => {
    const settings = normalizePackConfig(
      {
        all: "advisory",
        "gpu-capacity-cap": { enforcementLevel: "mandatory", maxGpusPerPool: 16 },
        "queue-has-dlq": "disabled",
      },
      rules,
    );
    expect(settings["gpu-capacity-cap"]).toEqual({ enforcementLevel: "mandatory", maxGpusPerPool: 16 });
    expect(settings["queue-has-dlq"]).toEqual({ enforcementLevel: "disabled" });
    expect(settings["queue-encrypted"]).toEqual({ enforcementLevel: "advisory" });
  });

  it("rejects an enforcement level that does not exist", () => {
    expect(() => normalizePackConfig({ "queue-encrypted": "strict" }, rules)).toThrow(
      'invalid policy config:\nqueue-encrypted ("strict") must be one of advisory, mandatory, remediate, disabled',
    );
  });

  it("rejects a setting the rule does not have", () => {
    expect(() => normalizePackConfig({ "queue-encrypted": { kmsOnly: true } }, rules)).toThrow(
      "invalid policy config:\nqueue-encrypted.kmsOnly is not a setting of this rule (settings: none)",
    );
  });

  it("rejects a setting of the wrong type", () => {
    expect(() => normalizePackConfig({ "gpu-capacity-cap": { maxGpusPerPool: "lots" } }, rules)).toThrow(
      'invalid policy config:\ngpu-capacity-cap.maxGpusPerPool ("lots") must be of type integer',
    );
  });
});
