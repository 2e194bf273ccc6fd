import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../functions/problems";
import { runProgram } from "../../infra/program";
import { BAD_STACK_CONFIGS } from "../fixtures/bad-stack-configs";
import { badRuntimeConfig } from "../fixtures/bad-stack-file";
import { installMocks } from "../support/pulumi-mocks";
import { settle } from "./gpu-cluster-helpers";

const mocks = installMocks();
const programCases = BAD_STACK_CONFIGS.filter((bad) => !bad.fileLevel);

describe("the stack program refuses a bad stack config before registering anything", () => {
  it("has a case for every kind of fault the table lists", () => {
    expect(BAD_STACK_CONFIGS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(programCases.map((bad) => [bad.what, bad] as const))("refuses %s", async (_what, bad) => {
    const { config, secretKeys } = badRuntimeConfig(bad);
    pulumi.runtime.setAllConfig(config, secretKeys);
    const before = mocks.resources.length;

    let caught: unknown;
    try {
      runProgram();
    } catch (error) {
      caught = error;
    }
    await settle();

    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).lines).toEqual(bad.problems);
    expect(mocks.resources.length).toBe(before);
  });
});
