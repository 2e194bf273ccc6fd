import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

interface PlanJson {
  resources: { urn: string; type: string; name: string }[];
  violations: { rule: string; enforcementLevel: string; urn: string; message: string }[];
}

// The gate a platform team puts in CI: the real CLI, on the shipped example stack, offline.
describe("gpufleet plan on the example stack (infra/ with Pulumi.example.yaml)", () => {
  it("plans the whole stack and finds no mandatory violation", () => {
    const run = spawnSync(process.execPath, ["bin/gpufleet.cjs", "plan", "--json", "-"], {
      encoding: "utf8",
      timeout: 120_000,
    });

    expect(run.stderr).not.toContain("Error");
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as PlanJson;
    const components = report.resources.filter((r) => r.type.startsWith("gpufleet:index:")).map((r) => r.type);
    expect(new Set(components)).toEqual(
      new Set(["gpufleet:index:GpuCluster", "gpufleet:index:ModelEndpoint", "gpufleet:index:FleetControl"]),
    );
    expect(report.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  });
});
