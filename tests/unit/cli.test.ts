import { describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main";
import { capture } from "../support/capture";

describe("gpufleet CLI", () => {
  it("prints usage for --help and exits 0", async () => {
    const io = capture();
    expect(await main(["--help"])).toBe(0);
    expect(io.out()).toContain("Usage: gpufleet <command> [options]");
    vi.restoreAllMocks();
  });

  it("rejects an unknown command with exit code 2 and names it", async () => {
    const io = capture();
    expect(await main(["frobnicate"])).toBe(2);
    expect(io.err()).toContain("unknown command 'frobnicate'");
    vi.restoreAllMocks();
  });

  it("prints the package version", async () => {
    const io = capture();
    expect(await main(["--version"])).toBe(0);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
    vi.restoreAllMocks();
  });
});
