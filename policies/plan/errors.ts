/** Why `gpufleet plan` could not produce a report: printed as one line, without a stack trace. */
export class PlanError extends Error {
  override name = "PlanError";
}
