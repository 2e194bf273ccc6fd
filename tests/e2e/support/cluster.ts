import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { exec } from "./exec";
import type { ControlPlaneTools } from "./toolchain";

/** A control plane on 127.0.0.1 (etcd, kube-apiserver, kube-controller-manager) with no nodes. */
export interface LocalCluster {
  kubeconfig: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** The apiserver's self-signed serving certificate: the CA a client verifies it with. */
  caFile: string;
  /** Seconds from the first process start until the apiserver answered /readyz. */
  startSeconds: number;
  kubectl(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** A port the kernel reports free right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Starts one control-plane process, its output going to a log file under the work directory. */
function startProcess(workDir: string, binary: string, name: string, args: string[]): ChildProcess {
  const log = createWriteStream(join(workDir, `${name}.log`));
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

/** Waits until a check passes, failing with the last error after the deadline. */
async function waitFor(what: string, deadlineSeconds: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + deadlineSeconds * 1000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(500);
  }
  throw new Error(`${what} did not become ready within ${deadlineSeconds} s`);
}

export async function startLocalCluster(toolchain: ControlPlaneTools, workDir: string): Promise<LocalCluster> {
  const started = performance.now();
  mkdirSync(workDir, { recursive: true });
  const bin = (name: string) => join(toolchain.bin, name);
  const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
  const token = "gpufleet-e2e-admin-token";
  const tokens = join(workDir, "tokens.csv");
  writeFileSync(tokens, `${token},admin,admin,system:masters\n`);
  const kubeconfig = join(workDir, "kubeconfig");
  writeFileSync(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      "- name: e2e",
      "  cluster:",
      `    server: https://127.0.0.1:${apiPort}`,
      "    insecure-skip-tls-verify: true",
      "users:",
      "- name: admin",
      "  user:",
      `    token: ${token}`,
      "contexts:",
      "- name: e2e",
      "  context: {cluster: e2e, user: admin}",
      "current-context: e2e",
      "",
    ].join("\n"),
  );

  const processes: ChildProcess[] = [];
  const stop = async () => {
    for (const child of processes.reverse()) {
      if (child.exitCode === null) child.kill("SIGTERM");
    }
    await sleep(1000);
  };

  const etcdUrl = `http://127.0.0.1:${etcdClient}`;
  const peerUrl = `http://127.0.0.1:${etcdPeer}`;
  processes.push(
    startProcess(workDir, bin("etcd"), "etcd", [
      "--name=e2e",
      `--data-dir=${join(workDir, "etcd")}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=e2e=${peerUrl}`,
    ]),
  );
  processes.push(
    startProcess(workDir, bin("kube-apiserver"), "kube-apiserver", [
      `--etcd-servers=${etcdUrl}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(workDir, "apiserver-certs")}`,
      `--token-auth-file=${tokens}`,
      "--authorization-mode=RBAC",
      "--service-cluster-ip-range=10.96.0.0/16",
      "--service-account-issuer=https://kubernetes.default.svc",
      `--service-account-key-file=${toolchain.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${toolchain.serviceAccountKey}`,
    ]),
  );
  const kubectl = async (args: string[]) => {
    const result = await exec(bin("kubectl"), [`--kubeconfig=${kubeconfig}`, ...args]);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${result.stderr}`);
    return result.stdout;
  };
  try {
    await waitFor("kube-apiserver", 180, async () => {
      const result = await exec(bin("kubectl"), [`--kubeconfig=${kubeconfig}`, "get", "--raw", "/readyz"]);
      return result.code === 0;
    });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; see the logs in ${workDir}`);
  }
  // The controller manager runs the garbage collector and namespace controller: foreground
  // deletion (used when Pulumi deletes a Deployment or a custom resource) and namespace
  // deletion finish only through them.
  processes.push(
    startProcess(workDir, bin("kube-controller-manager"), "kube-controller-manager", [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      `--service-account-private-key-file=${toolchain.serviceAccountKey}`,
      "--leader-elect=false",
      "--bind-address=127.0.0.1",
      `--secure-port=${await freePort()}`,
      `--cert-dir=${join(workDir, "controller-manager-certs")}`,
    ]),
  );
  return {
    kubeconfig,
    server: `https://127.0.0.1:${apiPort}`,
    caFile: join(workDir, "apiserver-certs", "apiserver.crt"),
    startSeconds: (performance.now() - started) / 1000,
    kubectl,
    stop,
  };
}
