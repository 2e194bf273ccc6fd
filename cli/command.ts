/** A `gpufleet` subcommand. `run` returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  run(argv: string[]): Promise<number>;
}

/** A user error: printed as one line, without a stack trace, with exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
