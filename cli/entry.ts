/**
 * Runs one subcommand as a program of its own: what the container image's bundles
 * (/app/worker.js, /app/packer.js) start, without the rest of the CLI. Exit codes as
 * `gpufleet`: 2 for invalid input (no stack trace), 1 for a failure.
 */
import { isConfigError } from "../functions/problems";
import { type Command, usageText } from "./command";

export function runAsProgram(command: Command): void {
  command.run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const text = isConfigError(error) ? usageText(error) : error instanceof Error ? error.message : String(error);
      process.stderr.write(`gpufleet ${command.name}: ${text}\n`);
      process.exitCode = isConfigError(error) ? 2 : 1;
    },
  );
}
