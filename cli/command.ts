import { type ParseArgsConfig, parseArgs } from "node:util";
import { ConfigError, formatProblem, OPTIONS, type Problem } from "../functions/problems";
import { printable } from "../sim/text";

/** A `gpufleet` subcommand. `run` returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  run(argv: string[]): Promise<number>;
}

/**
 * A bad option or argument: `field` the option (`--seed`), `value` as typed (see
 * {@link optionValue}). Invalid input has one error type whatever it came from (an option, a
 * scenario, a trace line, a stack file): cli/main.ts prints any ConfigError without a stack
 * trace and exits 2.
 */
export function usageError(problem: Problem): ConfigError {
  return new ConfigError(OPTIONS, [problem]);
}

/**
 * An option's text as an error shows it: a plain number as the number (`--seed (-3)`),
 * anything else quoted (`--seed ("x")`), so what is shown is what was typed.
 */
export function optionValue(text: string): string | number {
  const number = Number(text);
  return text.trim() !== "" && String(number) === text ? number : text;
}

/**
 * A ConfigError as the command line prints it after the command's name: one problem on one
 * line, after what was checked (`rate.csv:3: count ("x") is not a number`; nothing for the
 * command line itself); several as the error's own message, a line each.
 */
export function usageText(error: ConfigError): string {
  const [only, ...more] = error.problems;
  if (only === undefined || more.length > 0) return error.message;
  return error.subject === OPTIONS ? formatProblem(only) : `${error.subject}: ${formatProblem(only)}`;
}

/** The token node:util quotes in its message: `--bogus`, `--seed <value>`, `extra`. */
function quoted(message: string): string {
  return /'([^']*)'/.exec(message)?.[1] ?? "";
}

/** Why node:util's parseArgs refused a command line, as a problem naming the option or argument. */
function parseArgsProblem(command: string, error: unknown): Problem {
  const { code, message } = error as NodeJS.ErrnoException;
  const help = `(see gpufleet ${command} --help)`;
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return { field: printable(quoted(message)), rule: `is not an option ${help}` };
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return {
        field: printable(quoted(message).split(" ")[0] ?? ""),
        rule: message.includes("does not take an argument") ? "takes no value" : "needs a value",
      };
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return { field: "argument", value: quoted(message), rule: `is not expected ${help}` };
    default:
      throw error;
  }
}

/** node:util's parseArgs for `gpufleet <command>`; what it refuses becomes a usage ConfigError. */
export function parseOptions<T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw usageError(parseArgsProblem(command, error));
  }
}
