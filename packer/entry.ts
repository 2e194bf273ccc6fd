/** Entry point of the bundled packer (the image's /app/packer.js): `gpufleet packer` without the rest of the CLI. */
import { usageText } from "../cli/command";
import { packerCommand } from "../cli/packer";
import { isConfigError } from "../functions/problems";

packerCommand.run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const text = isConfigError(error) ? usageText(error) : error instanceof Error ? error.message : String(error);
    process.stderr.write(`gpufleet packer: ${text}\n`);
    process.exitCode = isConfigError(error) ? 2 : 1;
  },
);
