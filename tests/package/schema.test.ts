/**
 * gpufleet as a Pulumi component package (pulumi-plugin/): the schema `pulumi package add`
 * infers from the components' TypeScript source and generates Python, Go, C#, Java and
 * YAML SDKs from. Run in a child process: the inference loads the TypeScript compiler.
 */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const REPO = resolve(__dirname, "../..");

interface Schema {
  name: string;
  resources: Record<
    string,
    {
      isComponent?: boolean;
      inputProperties: Record<string, unknown>;
      requiredInputs?: string[];
      properties: Record<string, unknown>;
    }
  >;
  types: Record<string, { type: string; enum?: { value: string }[] }>;
  dependencies?: { name: string }[];
}

describe("the Pulumi component package (pulumi-plugin/)", () => {
  it("infers the schema of the components it serves, with their inputs, outputs and enums", () => {
    const result = spawnSync(
      process.execPath,
      [join(__dirname, "fixtures", "schema.cjs"), join(REPO, "pulumi-plugin")],
      { cwd: REPO, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );

    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const schema = JSON.parse(result.stdout) as Schema;
    expect(schema.name).toBe("gpufleet");
    expect(Object.keys(schema.resources)).toEqual(["gpufleet:index:FleetControl"]);
    const control = schema.resources["gpufleet:index:FleetControl"];
    expect(control?.isComponent).toBe(true);
    expect(control?.requiredInputs?.sort()).toEqual(["clusterName", "endpoints", "pools"]);
    expect(Object.keys(control?.inputProperties ?? {})).toEqual(
      expect.arrayContaining(["leadTimeSeconds", "leadTimeSecondsByPool", "rebalancer", "autoscalerSettings", "tags"]),
    );
    expect(Object.keys(control?.properties ?? {})).toEqual(
      expect.arrayContaining([
        "autoscalerFunctionArn",
        "autoscalerRoleArn",
        "rebalancerFunctionArn",
        "rebalancerQueueUrl",
      ]),
    );
    expect(schema.types["gpufleet:index:CapacityType"]?.enum?.map((e) => e.value)).toEqual(["spot", "on-demand"]);
    expect(schema.dependencies?.map((d) => d.name)).toContain("aws");
  });
});
