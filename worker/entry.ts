/** Entry point of the bundled sidecar (the container image runs this file): `gpufleet worker` without the rest of the CLI. */
import { usageText } from "../cli/command";
import { workerCommand } from "../cli/worker";
import { isConfigError } from "../functions/problems";

workerCommand.run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const text = isConfigError(error) ? usageText(error) : error instanceof Error ? error.message : String(error);
    process.stderr.write(`gpufleet worker: ${text}\n`);
    process.exitCode = isConfigError(error) ? 2 : 1;
  },
);
