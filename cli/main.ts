import { packageVersion } from "../components/package-root";
import { isConfigError } from "../functions/problems";
import { bench } from "./bench";
import { type Command, usageText } from "./command";
import { invokeCommand } from "./invoke";
import { packerCommand } from "./packer";
import { planCommand } from "./plan";
import { simulateCommand } from "./simulate";
import { workerCommand } from "./worker";

/** Every subcommand, listed here rather than registered by import side effects. */
const commands: Command[] = [planCommand, bench, simulateCommand, workerCommand, packerCommand, invokeCommand];

function usage(): string {
  const width = Math.max(8, ...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "Usage: gpufleet <command> [options]",
    "",
    "Commands:",
    ...(lines.length > 0 ? lines : ["  (none)"]),
    "",
    "Options:",
    "  -h, --help     show help (also: gpufleet <command> --help)",
    "  -v, --version  print the version",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    process.stdout.write(`${usage()}\n`);
    return first === undefined ? 2 : 0;
  }
  if (first === "-v" || first === "--version") {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    process.stderr.write(`gpufleet: unknown command '${first}'\n\n${usage()}\n`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    // Invalid input of any kind (an option, a file, a stack config): no stack trace.
    if (isConfigError(error)) {
      process.stderr.write(`gpufleet ${command.name}: ${usageText(error)}\n`);
      return 2;
    }
    throw error;
  }
}
