import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";

/** A moto server process listening on loopback. */
export interface MotoServer {
  endpoint: string;
  stop(): Promise<void>;
}

export interface MotoServerOptions {
  /**
   * Enforce IAM: after this many unauthenticated actions (used to create the users and
   * policies a test needs), every request is checked against the caller's IAM policies.
   * Omit to run without authorization checks.
   */
  initialNoAuthActionCount?: number;
}

const repoRoot = resolve(__dirname, "../..");

function motoBinary(): string {
  const venv = process.env.GPUFLEET_VENV ?? join(repoRoot, ".venv");
  const bin = join(venv, "bin", "moto_server");
  if (!existsSync(bin)) {
    throw new Error(
      `The AWS API emulator is not installed at ${bin}. Run 'npm run setup:peer' (needs Python 3.9+ with venv), or just 'npm test', which does it first.`,
    );
  }
  return bin;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitUntilReady(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`moto server exited with code ${child.exitCode} before it was ready:\n${output()}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`moto server did not answer on ${endpoint} within 30 s:\n${output()}`);
}

/** Starts moto server on 127.0.0.1 at a free port and waits until it answers. */
export async function startMotoServer(options: MotoServerOptions = {}): Promise<MotoServer> {
  const bin = motoBinary();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.initialNoAuthActionCount !== undefined) {
    env.INITIAL_NO_AUTH_ACTION_COUNT = String(options.initialNoAuthActionCount);
  }
  const child = spawn(bin, ["-H", "127.0.0.1", "-p", String(port)], { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady(endpoint, child, () => log);
  return {
    endpoint,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}

/** Drops every resource the emulator holds, so each test starts from an empty account. */
export async function resetMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
  if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
}
