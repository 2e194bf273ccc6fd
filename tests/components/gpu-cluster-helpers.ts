import * as pulumi from "@pulumi/pulumi";

/**
 * Waits until every resource registration and invoke the program started has finished,
 * so the mocks' record is complete before a test reads it. `waitForRPCs` is exported by
 * the Pulumi runtime but left out of its type declarations.
 */
export async function settle(): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> };
  await runtime.waitForRPCs();
}

/** Parses a JSON policy document recorded as a resource input. */
export function policyOf(input: unknown): { Statement: Record<string, unknown>[] } {
  return JSON.parse(input as string) as { Statement: Record<string, unknown>[] };
}
