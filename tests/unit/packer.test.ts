import { describe, expect, it, vi } from "vitest";
import { parseBenchArgs } from "../../cli/bench";
import { main } from "../../cli/main";
import { parsePackerArgs } from "../../cli/packer";
import { ConfigError } from "../../functions/problems";
import { PACKER_DEFAULTS } from "../../packer/config";
import { KubeApiError, type KubeClient } from "../../packer/kube";
import { packOnce, runPacker } from "../../packer/main";
import type { Log } from "../../worker/log";
import { capture } from "../support/capture";

const IN_CLUSTER = { KUBERNETES_SERVICE_HOST: "10.100.0.1", KUBERNETES_SERVICE_PORT: "443" };

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.field);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

/** A KubeClient stand-in for fault injection: answers from the given functions. */
function fakeKube(
  list: () => Promise<{ name: string; nodeName: string }[]>,
  patched: string[] = [],
  patch: (name: string) => Promise<boolean> = async () => true,
): KubeClient {
  return {
    listPods: async () => (await list()).map((p) => ({ namespace: "m", stopped: false, currentCost: undefined, ...p })),
    setDeletionCost: async (_ns: string, name: string, cost: string) => {
      patched.push(`${name}=${cost}`);
      return patch(name);
    },
  } as unknown as KubeClient;
}

function inClusterConfig() {
  const config = parsePackerArgs([], IN_CLUSTER);
  if (config === "help") throw new Error("unexpected --help");
  return config;
}

const logs: { level: string; msg: string }[] = [];
const log: Log = (level, msg) => logs.push({ level, msg });

describe("gpufleet packer settings", () => {
  it("finds the API server, token and CA as a pod does", () => {
    const config = parsePackerArgs([], IN_CLUSTER);

    expect(config).toEqual({
      apiServer: "https://10.100.0.1:443",
      tokenFile: PACKER_DEFAULTS.tokenFile,
      caFile: PACKER_DEFAULTS.caFile,
      selector: "gpufleet.io/endpoint",
      intervalSeconds: 15,
    });
    expect(parsePackerArgs([], { KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "443" })).toMatchObject({
      apiServer: "https://[fd00::1]:443",
    });
  });

  it("refuses bad flags, naming each, before it calls anything", () => {
    expect(problemsOf(() => parsePackerArgs([], {}))).toEqual(["--api-server"]);
    expect(
      problemsOf(() =>
        parsePackerArgs(["--api-server=http://x", "--interval-seconds=0.5", "--selector= ", "--ca-file="], {}),
      ),
    ).toEqual(["--api-server", "--interval-seconds", "--selector", "--ca-file"]);
    expect(problemsOf(() => parsePackerArgs(["--bogus"], IN_CLUSTER))).toEqual(["--bogus"]);
  });
});

describe("gpufleet packer command", () => {
  it("shows its help, and exits 2 naming the option when it cannot start", async () => {
    const io = capture();
    try {
      expect(await main(["packer", "--help"])).toBe(0);
      expect(io.out()).toContain("Usage: gpufleet packer [options]");
      expect(await main(["packer", "--api-server", "https://127.0.0.1:1", "--interval-seconds", "x"])).toBe(2);
      expect(io.err()).toContain('--interval-seconds ("x") must be a whole number from 1 to 3600');
    } finally {
      vi.restoreAllMocks();
    }
  });

  it("exits 1 with a message when the token or the CA file cannot be read", async () => {
    const io = capture();
    try {
      const args = ["packer", "--api-server=https://127.0.0.1:1", "--ca-file=/nonexistent/ca.crt"];
      expect(await main(args)).toBe(1);
      expect(io.out()).toContain("cannot read the service account token or the API server CA");
    } finally {
      vi.restoreAllMocks();
    }
  });

  it("lets gpufleet bench model a cluster that runs it", () => {
    const parsed = parseBenchArgs(["--trace", "t.csv", "--scale-in-packer"]);

    expect(parsed !== "help" && parsed.options.scenario.scaleInPacker).toBe(true);
  });
});

describe("gpufleet packer loop", () => {
  it("patches what the pure core decides and counts pods deleted meanwhile", async () => {
    const patched: string[] = [];
    const kube = fakeKube(
      async () => [
        { name: "a", nodeName: "n1" },
        { name: "b", nodeName: "n1" },
        { name: "c", nodeName: "n2" },
      ],
      patched,
      async (name) => name !== "c",
    );

    expect(await packOnce(kube)).toEqual({ pods: 3, patched: 2, gone: 1 });
    expect(patched).toEqual(["a=2592", "b=2592", "c=1449"]);
  });

  it("retries a failed pass and stops cleanly when signalled", async () => {
    let calls = 0;
    const stop = new AbortController();
    const kube = fakeKube(async () => {
      calls++;
      if (calls === 1)
        throw new KubeApiError(503, "GET", "/api/v1/pods", "the server is currently unable to handle the request");
      stop.abort();
      return [];
    });
    logs.length = 0;

    const code = await runPacker({ ...inClusterConfig(), intervalSeconds: 1 }, kube, log, stop.signal);

    expect(code).toBe(0);
    expect(calls).toBe(2);
    expect(logs.map((l) => l.level)).toEqual(["info", "warn", "info"]);
  });

  it("exits 1 when the API server refuses it for good (no permission)", async () => {
    const kube = fakeKube(async () => {
      throw new KubeApiError(403, "GET", "/api/v1/pods", 'pods is forbidden: User "x" cannot list resource "pods"');
    });
    logs.length = 0;

    const code = await runPacker(inClusterConfig(), kube, log, new AbortController().signal);

    expect(code).toBe(1);
    expect(logs.at(-1)).toMatchObject({ level: "error", msg: "refused by the API server" });
  });
});
