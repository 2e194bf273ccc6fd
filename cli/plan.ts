import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { formatProblem, formatValue } from "../functions/problems";
import { PlanError } from "../policies/plan/errors";
import { countByLevel, renderTree, renderViolations } from "../policies/plan/report";
import { DEFAULT_CONFIG, DEFAULT_PROGRAM, planExitCode, runPlan } from "../policies/plan/run-plan";
import { type Command, UsageError } from "./command";

const HELP = `Usage: gpufleet plan [program] [options]

Runs a Pulumi program offline (no cloud, no credentials, no Pulumi CLI) with a stack
config, records every resource it would create, and checks them against the gpufleet
policy pack the way \`pulumi preview --policy-pack policies\` would.

Arguments:
  program                  program directory or file (default: ${DEFAULT_PROGRAM})

Options:
  -c, --config FILE        stack config file (default: ${DEFAULT_CONFIG})
  -s, --stack NAME         stack name (default: from Pulumi.<stack>.yaml)
  -p, --policy-config FILE policy pack config JSON, as for pulumi --policy-pack-config:
                           {"<rule>": "advisory"|"mandatory"|"disabled" | {"enforcementLevel": ..., "<setting>": ...}}
      --json FILE|-        also write the report {resources, violations} as JSON ("-": stdout, instead of the text)
  -h, --help               show this help

With --json -, a plan that cannot run (for example a refused stack config) prints
{"error": {"message", "problems": [{"field", "value", "rule", "message"}]}} on stdout.

Exit codes: 0 no mandatory violation, 1 a mandatory rule is violated, 2 the plan could not
run (the stack config was refused, or the program failed).`;

interface PlanArgs {
  program?: string;
  config?: string;
  stack?: string;
  policyConfig?: string;
  json?: string;
  help: boolean;
}

export function parsePlanArgs(argv: string[]): PlanArgs {
  const args: PlanArgs = { help: false };
  const flagValue = (flag: string, index: number): string => {
    const value = argv[index + 1];
    if (value === undefined || (value.startsWith("-") && value !== "-")) {
      throw new UsageError(`${flag} needs a value`);
    }
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    switch (arg) {
      case "-h":
      case "--help":
        args.help = true;
        break;
      case "-c":
      case "--config":
        args.config = flagValue(arg, i++);
        break;
      case "-s":
      case "--stack":
        args.stack = flagValue(arg, i++);
        break;
      case "-p":
      case "--policy-config":
        args.policyConfig = flagValue(arg, i++);
        break;
      case "--json":
        args.json = flagValue(arg, i++);
        break;
      default:
        if (arg.startsWith("-")) {
          throw new UsageError(`unknown option ${arg} (see gpufleet plan --help)`);
        }
        if (args.program !== undefined) {
          throw new UsageError(`one program only, got ${args.program} and ${arg}`);
        }
        args.program = arg;
    }
  }
  return args;
}

function readPolicyConfig(file: string): unknown {
  if (!existsSync(file)) {
    throw new UsageError(`no policy config file at ${file}`);
  }
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * What `--json -` prints when the plan cannot run (a refused config, a failing program): a
 * document a CI step can parse instead of an empty stdout. Values are shown as the text
 * messages show them, so a secret is never printed.
 */
export function errorDocument(error: PlanError): string {
  const problems = error.problems.map((p) => ({
    field: p.field,
    ...("value" in p ? { value: formatValue(p.value) } : {}),
    rule: p.rule,
    message: formatProblem(p),
  }));
  return `${JSON.stringify({ error: { message: error.message, problems } }, null, 2)}\n`;
}

export const planCommand: Command = {
  name: "plan",
  summary: "run a stack program offline and check it against the policy pack",
  async run(argv) {
    const args = parsePlanArgs(argv);
    if (args.help) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    try {
      const report = await runPlan({
        program: args.program,
        config: args.config,
        stack: args.stack,
        policyConfig: args.policyConfig === undefined ? undefined : readPolicyConfig(args.policyConfig),
      });
      const json = `${JSON.stringify({ resources: report.resources, violations: report.violations }, null, 2)}\n`;
      if (args.json === "-") {
        process.stdout.write(json);
      } else {
        if (args.json !== undefined) {
          writeFileSync(args.json, json);
        }
        const { mandatory, advisory } = countByLevel(report);
        process.stdout.write(
          `${renderTree(report)}\n\n${renderViolations(report)}\n\n${report.resources.length} resources, ${mandatory} mandatory and ${advisory} advisory violations.\n`,
        );
      }
      return planExitCode(report);
    } catch (error) {
      if (error instanceof PlanError) {
        process.stderr.write(`gpufleet plan: ${error.message}\n`);
        if (args.json === "-") process.stdout.write(errorDocument(error));
        return 2;
      }
      throw error;
    }
  },
};
