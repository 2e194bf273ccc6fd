/** Entry point of the bundled sidecar (the container image runs this file): `gpufleet worker` without the rest of the CLI. */
import { UsageError } from "../cli/command";
import { workerCommand } from "../cli/worker";

workerCommand.run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`gpufleet worker: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
