/** Entry point of the bundled packer (the image's /app/packer.js): `gpufleet packer` without the rest of the CLI. */
import { runAsProgram } from "../cli/entry";
import { packerCommand } from "../cli/packer";

runAsProgram(packerCommand);
