/**
 * gpufleet as a Pulumi component package (pulumi-plugin/ in a checkout): the schema
 * `pulumi package add` infers from the components' TypeScript source and generates Python, Go,
 * C#, Java and YAML SDKs from. consumer.test.ts checks the same schema from the installed package.
 */
import { join, resolve } from "node:path";
import { describe, it } from "vitest";
import { expectGpufleetSchema, inferSchema } from "./schema-expectations";

const REPO = resolve(__dirname, "../..");

describe("the Pulumi component package (pulumi-plugin/)", () => {
  it("infers the schema of the five components, with their inputs, outputs and enums", () => {
    const schema = inferSchema(join(REPO, "pulumi-plugin"), REPO);

    expectGpufleetSchema(schema);
  });
});
