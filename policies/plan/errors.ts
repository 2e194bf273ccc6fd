import type { Problem } from "../../functions/problems";

/** Why `gpufleet plan` could not produce a report: printed without a stack trace. */
export class PlanError extends Error {
  override name = "PlanError";
  /** The problems of a refused config, each naming field, value and rule; empty for other failures. */
  readonly problems: readonly Problem[];

  constructor(message: string, problems: readonly Problem[] = []) {
    super(message);
    this.problems = problems;
  }
}
