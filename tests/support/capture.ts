import { vi } from "vitest";

/** What a command wrote to stdout and stderr so far. */
export interface CapturedOutput {
  out(): string;
  err(): string;
}

/**
 * Records (and silences) everything written to process.stdout and process.stderr, for tests
 * of commands that print. The spies stay until `vi.restoreAllMocks()`.
 */
export function capture(): CapturedOutput {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    err.push(String(chunk));
    return true;
  });
  return { out: () => out.join(""), err: () => err.join("") };
}
