import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main";
import { planExitCode, runPlan } from "../../policies/plan/run-plan";
import { rules } from "../../policies/rules";
import { capture } from "../support/capture";

const FIXTURES = "tests/fixtures/plan";
const STACK = `${FIXTURES}/stack`;
const GOOD = `${FIXTURES}/Pulumi.good.yaml`;
const BAD = `${FIXTURES}/Pulumi.bad.yaml`;

function scratch(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "gpufleet-plan-")), name);
  writeFileSync(file, text);
  return file;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("gpufleet plan on the fixture stack", () => {
  it("passes the good stack config: every resource recorded, no violation", async () => {
    const report = await runPlan({ program: STACK, config: GOOD });

    expect(report.violations).toEqual([]);
    expect(planExitCode(report)).toBe(0);
    expect(report.stack).toBe("good");
    expect(report.resources.map((r) => r.urn)).toContain(
      "urn:pulumi:good::gpufleet::kubernetes:apps/v1:Deployment::llm",
    );
    expect(report.resources).toHaveLength(24);
    const queue = report.resources.find((r) => r.type === "aws:sqs/queue:Queue" && r.name === "llm");
    expect(queue?.inputs.redrivePolicy).toBe(
      JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:llm-dlq", maxReceiveCount: 5 }),
    );
  });

  it("rejects the bad stack config with the expected violations and exit code 1, as JSON", async () => {
    const io = capture();
    const jsonFile = join(mkdtempSync(join(tmpdir(), "gpufleet-plan-")), "report.json");

    const code = await main(["plan", STACK, "--config", BAD, "--json", jsonFile]);

    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(jsonFile, "utf8")) as {
      resources: { urn: string; type: string; name: string; inputs: object; dependencies: string[] }[];
      violations: { rule: string; enforcementLevel: string; urn: string; message: string }[];
    };
    expect(Object.keys(report)).toEqual(["resources", "violations"]);
    expect(Object.keys(report.resources[0] ?? {})).toEqual(["urn", "type", "name", "inputs", "dependencies"]);
    const mandatory = report.violations.filter((v) => v.enforcementLevel === "mandatory");
    const firedRules = new Set(mandatory.map((v) => v.rule));
    expect([...firedRules].sort()).toEqual(
      rules
        .filter((r) => r.enforcementLevel === "mandatory")
        .map((r) => r.name)
        .sort(),
    );
    expect(mandatory).toContainEqual({
      rule: "gpu-slice-memory-fits",
      enforcementLevel: "mandatory",
      urn: "urn:pulumi:bad::gpufleet::kubernetes:apps/v1:Deployment::llm",
      message:
        'Deployment models/llm needs 12000 MiB of GPU memory per replica but a slice of pool "a10g-spot" (node group "a10g-spot") offers 6144 MiB.',
    });
    expect(mandatory).toContainEqual({
      rule: "iam-no-wildcard-mutations",
      enforcementLevel: "mandatory",
      urn: "urn:pulumi:bad::gpufleet::aws:iam/rolePolicy:RolePolicy::autoscaler",
      message:
        'aws:iam/rolePolicy:RolePolicy "autoscaler" policy statement 0 allows mutating actions (autoscaling:SetDesiredCapacity) on Resource "*": scope them to ARNs or add a Condition.',
    });
    expect(report.violations).toContainEqual({
      rule: "required-cost-tags",
      enforcementLevel: "advisory",
      urn: "urn:pulumi:bad::gpufleet::aws:sqs/queue:Queue::llm",
      message: 'aws:sqs/queue:Queue "llm" is missing cost tags: cost-center.',
    });
    expect(io.out()).toContain("Policy violations: 25 mandatory, 15 advisory");
    expect(io.out()).toContain("├─ kubernetes:apps/v1:Deployment  llm  [4 mandatory]");
  });

  it("lets a policy config turn rules down", async () => {
    const everythingAdvisory = Object.fromEntries(rules.map((r) => [r.name, "advisory"]));
    const report = await runPlan({ program: STACK, config: BAD, policyConfig: everythingAdvisory });

    expect(report.violations.length).toBe(40);
    expect(planExitCode(report)).toBe(0);
  });
});

describe("gpufleet plan errors", () => {
  it("names an invoke it cannot answer offline", async () => {
    await expect(runPlan({ program: `${FIXTURES}/unknown-invoke`, config: GOOD })).rejects.toThrow(
      `invalid options:\nprogram ("${FIXTURES}/unknown-invoke") calls invoke aws:ec2/getVpc:getVpc, which gpufleet plan cannot answer offline`,
    );
  });

  it("reports a program that throws, without a stack trace, with exit code 2", async () => {
    const io = capture();

    const code = await main(["plan", `${FIXTURES}/throws`, "--config", GOOD]);

    expect(code).toBe(2);
    expect(io.err()).toBe(
      `gpufleet plan: program ("${FIXTURES}/throws") failed: pools[1].slicesPerGpu (64) must be between 1 and 48\n`,
    );
  });

  it("reports a missing config file", async () => {
    const io = capture();
    expect(await main(["plan", STACK, "--config", "nowhere/Pulumi.dev.yaml"])).toBe(2);
    expect(io.err()).toBe(
      "gpufleet plan: nowhere/Pulumi.dev.yaml: (file) does not exist: no stack config file there\n",
    );
  });

  it("reports a missing program", async () => {
    const io = capture();
    expect(await main(["plan", "nowhere/", "--config", GOOD])).toBe(2);
    expect(io.err()).toBe('gpufleet plan: program ("nowhere/") does not exist\n');
  });

  it("reports a config file that is not YAML", async () => {
    const io = capture();
    const file = scratch("Pulumi.broken.yaml", "config:\n  gpufleet:pools: [unclosed\n");
    expect(await main(["plan", STACK, "--config", file])).toBe(2);
    expect(io.err()).toMatch(new RegExp(`^gpufleet plan: ${file}: \\(document\\) is not valid YAML: .+\\n$`));
  });

  it("rejects a policy config naming a rule the pack lacks", async () => {
    await expect(
      runPlan({ program: STACK, config: GOOD, policyConfig: { "no-such-rule": "mandatory" } }),
    ).rejects.toThrow("invalid policy config:\nno-such-rule is not a rule of the pack");
  });

  it("rejects an unknown option", async () => {
    const io = capture();
    expect(await main(["plan", "--frobnicate"])).toBe(2);
    expect(io.err()).toBe("gpufleet plan: --frobnicate is not an option (see gpufleet plan --help)\n");
  });
});

describe("gpufleet plan --help", () => {
  it("prints usage with the defaults and exit codes", async () => {
    const io = capture();
    expect(await main(["plan", "--help"])).toBe(0);
    expect(io.out()).toContain("Usage: gpufleet plan [program] [options]");
    expect(io.out()).toContain("program directory or file (default: infra/)");
    expect(io.out()).toContain("stack config file (default: Pulumi.example.yaml)");
    expect(io.out()).toContain(
      "Exit codes: 0 no mandatory violation, 1 a mandatory rule is violated, 2 the plan could not\nrun (the stack config was refused, or the program failed).",
    );
  });

  it("is listed in gpufleet --help", async () => {
    const io = capture();
    await main(["--help"]);
    expect(io.out()).toContain("plan      run a stack program offline and check it against the policy pack");
  });
});
