/** Entry point of the bundled sidecar (the container image runs this file): `gpufleet worker` without the rest of the CLI. */
import { runAsProgram } from "../cli/entry";
import { workerCommand } from "../cli/worker";

runAsProgram(workerCommand);
