/**
 * The scale-in packer against a real kube-apiserver and the real ReplicaSet controller: the
 * bundled `gpufleet packer` runs as the service account GpuCluster creates, with exactly the
 * ClusterRole's rules, and a scale-in then deletes the pod on the emptiest node instead of
 * one from the most crowded node (what the controller does without it). The cluster has no
 * kubelet or scheduler, so pods are bound to node objects and marked ready through the API.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKER_NAME, PACKER_NAMESPACE, PACKER_RULES } from "../../components/gpu-cluster/packer";
import { LABELS } from "../../functions/contract";
import { deletionCost, POD_DELETION_COST_ANNOTATION } from "../../functions/packing";
import { bundleImageProgram } from "../../worker/bundle";
import { type LocalCluster, startLocalCluster } from "./support/cluster";
import { findControlPlane } from "./support/toolchain";

const NAMESPACE = "models";
const NODES = ["gpu-a", "gpu-b", "gpu-c"];

interface Pod {
  metadata: { name: string; annotations?: Record<string, string>; deletionTimestamp?: string };
  spec: { nodeName?: string };
}

let workDir = "";
let cluster: LocalCluster;
let packer: ChildProcess | undefined;
let packerLog = "";

async function apply(object: object): Promise<void> {
  const file = join(workDir, `object-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(object));
  await cluster.kubectl(["apply", "-f", file]);
}

async function pods(selector: string): Promise<Pod[]> {
  const out = await cluster.kubectl(["get", "pods", "-n", NAMESPACE, "-l", selector, "-o", "json"]);
  return (JSON.parse(out) as { items: Pod[] }).items;
}

async function waitUntil<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(500);
  }
  throw new Error(`${what} did not happen within 120 s; packer log:\n${packerLog}`);
}

/** Binds a pod to a node and marks it running and ready, as the scheduler and a kubelet would. */
async function bindReady(pod: string, node: string): Promise<void> {
  const binding = join(workDir, `binding-${pod}.json`);
  writeFileSync(
    binding,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Binding",
      metadata: { name: pod },
      target: { kind: "Node", name: node },
    }),
  );
  await cluster.kubectl(["create", "--raw", `/api/v1/namespaces/${NAMESPACE}/pods/${pod}/binding`, "-f", binding]);
  const now = new Date().toISOString();
  const status = { phase: "Running", conditions: [{ type: "Ready", status: "True", lastTransitionTime: now }] };
  await cluster.kubectl([
    "patch",
    "pod",
    pod,
    "-n",
    NAMESPACE,
    "--subresource=status",
    "--type=merge",
    "-p",
    JSON.stringify({ status }),
  ]);
}

/**
 * A Deployment with one pod per entry of `layout`, each bound to the node named there;
 * returns the pods by node.
 */
async function deployPods(
  name: string,
  labels: Record<string, string>,
  layout: string[],
): Promise<Map<string, string[]>> {
  await apply({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: NAMESPACE },
    spec: {
      replicas: layout.length,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: "model", image: "example.com/model:1" }] } },
    },
  });
  const created = await waitUntil(`${layout.length} pods of ${name}`, async () => {
    const list = await pods(selectorOf(labels));
    return list.length === layout.length ? list.map((p) => p.metadata.name).sort() : undefined;
  });
  const byNode = new Map<string, string[]>();
  for (const [i, pod] of created.entries()) {
    const node = layout[i] as string;
    await bindReady(pod, node);
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  return byNode;
}

function selectorOf(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

/** Scales a Deployment to `replicas` and returns the pods the ReplicaSet controller deleted, sorted. */
async function scaleIn(name: string, selector: string, replicas: number, expected: number): Promise<string[]> {
  await cluster.kubectl(["scale", "deployment", name, "-n", NAMESPACE, `--replicas=${replicas}`]);
  return waitUntil(`${expected} pods of ${name} deleted`, async () => {
    const gone = (await pods(selector)).filter((p) => p.metadata.deletionTimestamp);
    return gone.length >= expected ? gone.map((p) => p.metadata.name).sort() : undefined;
  });
}

describe("gpufleet packer on a real apiserver and ReplicaSet controller", () => {
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), "gpufleet-packer-e2e-"));
    cluster = await startLocalCluster(findControlPlane(), join(workDir, "cluster"));
    await apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } });
    for (const name of NODES) await apply({ apiVersion: "v1", kind: "Node", metadata: { name } });
    // The packer's identity as GpuCluster makes it, with the component's own rules.
    await apply({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: PACKER_NAME, namespace: PACKER_NAMESPACE },
    });
    await apply({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: PACKER_NAME },
      rules: PACKER_RULES,
    });
    await apply({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: PACKER_NAME },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: PACKER_NAME },
      subjects: [{ kind: "ServiceAccount", name: PACKER_NAME, namespace: PACKER_NAMESPACE }],
    });
  });

  afterAll(async () => {
    packer?.kill("SIGTERM");
    await cluster?.stop();
  });

  it("without deletion costs, the ReplicaSet controller scales in from the most crowded node", async () => {
    const byNode = await deployPods("plain", { app: "plain" }, ["gpu-a", "gpu-a", "gpu-a", "gpu-b"]);

    const deleted = await scaleIn("plain", "app=plain", 3, 1);

    expect(deleted).toHaveLength(1);
    expect(byNode.get("gpu-a")).toContain(deleted[0]);
  });

  it("annotates each pod with its node's occupancy, and a scale-in then empties one least occupied node whole", async () => {
    const labels = { [LABELS.endpoint]: "chat" };
    const selector = selectorOf(labels);
    const layout = ["gpu-a", "gpu-a", "gpu-a", "gpu-b", "gpu-b", "gpu-c", "gpu-c"];
    const byNode = await deployPods("chat", labels, layout);

    const token = await cluster.kubectl(["create", "token", PACKER_NAME, "-n", PACKER_NAMESPACE]);
    const tokenFile = join(workDir, "token");
    writeFileSync(tokenFile, token.trim());
    const bundle = join(workDir, "packer.js");
    writeFileSync(bundle, (await bundleImageProgram("packer")).code);
    packer = spawn(process.execPath, [
      bundle,
      `--api-server=${cluster.server}`,
      `--token-file=${tokenFile}`,
      `--ca-file=${cluster.caFile}`,
      "--interval-seconds=1",
    ]);
    packer.stdout?.on("data", (chunk: Buffer) => {
      packerLog += chunk.toString();
    });
    packer.stderr?.on("data", (chunk: Buffer) => {
      packerLog += chunk.toString();
    });

    const costs = await waitUntil("deletion costs on every pod", async () => {
      const list = await pods(selector);
      const byPod = Object.fromEntries(
        list.map((p) => [p.metadata.name, p.metadata.annotations?.[POD_DELETION_COST_ANNOTATION]]),
      );
      return Object.values(byPod).every((v) => v !== undefined) ? byPod : undefined;
    });
    const expected: Record<string, string> = {};
    for (const [node, names] of byNode) {
      for (const pod of names) expected[pod] = String(deletionCost(names.length, node));
    }
    expect(costs).toEqual(expected);

    // gpu-b and gpu-c hold two pods each; their tie-breaks differ, so both of one node's go.
    const first = deletionCost(2, "gpu-b") < deletionCost(2, "gpu-c") ? "gpu-b" : "gpu-c";
    expect(await scaleIn("chat", selector, 5, 2)).toEqual([...(byNode.get(first) ?? [])].sort());
    expect(packer.exitCode).toBeNull();
    expect(packerLog).not.toContain('"level":"error"');
  });
});
