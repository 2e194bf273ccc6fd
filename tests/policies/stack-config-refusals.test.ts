import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main";
import { BAD_STACK_CONFIGS } from "../fixtures/bad-stack-configs";
import { writeBadStackFile } from "../fixtures/bad-stack-file";
import { capture } from "../support/capture";

interface ErrorDocument {
  error: { message: string; problems: { field: string; value?: string; rule: string; message: string }[] };
}

afterEach(() => {
  vi.restoreAllMocks();
});

// Each case loads the stack program afresh: give the whole table room on a busy machine.
describe("gpufleet plan --json - on a refused stack config", { timeout: 120_000 }, () => {
  it.each(BAD_STACK_CONFIGS.map((bad) => [bad.what, bad] as const))("refuses %s", async (_what, bad) => {
    const file = writeBadStackFile(bad);
    const io = capture();

    const code = await main(["plan", "infra/", "--config", file, "--json", "-"]);

    expect(code).toBe(2);
    const document = JSON.parse(io.out()) as ErrorDocument;
    expect(document.error.problems.map((p) => p.message)).toEqual(bad.problems);
    for (const line of bad.problems) expect(io.err()).toContain(line);
  });

  it("gives field, value and rule apart, and never the secret's text", async () => {
    const secret = BAD_STACK_CONFIGS.find((bad) => bad.secure !== undefined);
    const file = writeBadStackFile(secret as (typeof BAD_STACK_CONFIGS)[number]);
    const io = capture();

    await main(["plan", "infra/", "--config", file, "--json", "-"]);

    const [problem] = (JSON.parse(io.out()) as ErrorDocument).error.problems;
    expect(problem).toEqual({
      field: "cluster",
      value: "a secret value, not shown",
      rule: "must be a mapping, not a string",
      message: "cluster (a secret value, not shown) must be a mapping, not a string",
    });
    expect(io.out() + io.err()).not.toContain("offline-plan-secret");
  });
});
