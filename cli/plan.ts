import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { ConfigError, formatProblem, formatValue, isConfigError } from "../functions/problems";
import { countByLevel, renderTree, renderViolations } from "../policies/plan/report";
import { DEFAULT_CONFIG, DEFAULT_PROGRAM, planExitCode, runPlan } from "../policies/plan/run-plan";
import { type Command, parseOptions, usageError } from "./command";

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
  const { values, positionals } = parseOptions("plan", {
    args: argv,
    options: {
      config: { type: "string", short: "c" },
      stack: { type: "string", short: "s" },
      "policy-config": { type: "string", short: "p" },
      json: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 1) {
    throw usageError({ field: "program", value: positionals, rule: "must be one program (see gpufleet plan --help)" });
  }
  const args: PlanArgs = { help: values.help === true };
  const [program] = positionals;
  if (program !== undefined) args.program = program;
  if (values.config !== undefined) args.config = values.config;
  if (values.stack !== undefined) args.stack = values.stack;
  if (values["policy-config"] !== undefined) args.policyConfig = values["policy-config"];
  if (values.json !== undefined) args.json = values.json;
  return args;
}

/** The policy pack config file: a ConfigError names the file when it is missing or not JSON. */
function readPolicyConfig(file: string): unknown {
  if (!existsSync(file)) throw usageError({ field: "--policy-config", value: file, rule: "names no file" });
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(file, [{ field: "(document)", rule: `is not valid JSON: ${(error as Error).message}` }]);
  }
}

/**
 * What `--json -` prints when the plan cannot run (a refused config, a failing program): a
 * document a CI step can parse instead of an empty stdout. Values are shown as the text
 * messages show them, so a secret is never printed.
 */
export function errorDocument(error: ConfigError): string {
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
      // cli/main.ts prints the error and exits 2; a CI step reading stdout gets it as JSON too.
      if (isConfigError(error) && args.json === "-") process.stdout.write(errorDocument(error));
      throw error;
    }
  },
};
