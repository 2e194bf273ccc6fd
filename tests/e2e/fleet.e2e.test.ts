/**
 * gpufleet's Kubernetes side on a real Pulumi engine and a real kube-apiserver: the cluster
 * add-ons (three Helm charts from local directories, the scale-in packer) and two endpoint
 * workloads go up from empty in one pass, a second run changes nothing, the policy pack runs through the engine,
 * a Pulumi YAML program runs an endpoint through the component package (dist/pulumi-plugin),
 * and destroy leaves nothing behind. Opt-in: `npm run setup:e2e`, then `npm run test:e2e`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKER_RULES } from "../../components/gpu-cluster/packer";
import { type LocalCluster, startLocalCluster } from "./support/cluster";
import { buildPackage, bundleProgram, PROGRAM_DIR, PulumiCli, YAML_PROGRAM_DIR } from "./support/pulumi";
import { findToolchain, REPO_ROOT } from "./support/toolchain";

const STACK = "e2e";
const NAMESPACES = ["gpufleet-models", "keda", "nvidia-device-plugin"];
/** The namespace the YAML program creates for its endpoint. */
const YAML_NAMESPACE = "gpufleet-yaml";
const timings: Record<string, number> = {};
/** The stack's config file, written next to Pulumi.yaml by `pulumi config set` (git-ignored). */
const STACK_CONFIG = join(PROGRAM_DIR, `Pulumi.${STACK}.yaml`);
const YAML_STACK_CONFIG = join(YAML_PROGRAM_DIR, `Pulumi.${STACK}.yaml`);

let workDir = "";
let cluster: LocalCluster;
let pulumi: PulumiCli;
/** The same CLI, state and credentials, in the YAML program's directory. */
let yaml: PulumiCli;

/** Names of the objects of a kind the program made (by namespace), as kubectl lists them. */
async function names(kind: string, namespace: string): Promise<string[]> {
  const out = await cluster.kubectl(["get", kind, "-n", namespace, "-o", "name", "--ignore-not-found"]);
  return out.split("\n").filter(Boolean).sort();
}

async function namespaces(): Promise<string[]> {
  const out = await cluster.kubectl(["get", "namespaces", "-o", "name"]);
  return out
    .split("\n")
    .filter(Boolean)
    .map((n) => n.replace("namespace/", ""));
}

describe("gpufleet on a real engine and apiserver", () => {
  beforeAll(async () => {
    const toolchain = findToolchain();
    workDir = mkdtempSync(join(tmpdir(), "gpufleet-e2e-"));
    cluster = await startLocalCluster(toolchain, join(workDir, "cluster"));
    timings.controlPlaneStart = cluster.startSeconds;
    const started = performance.now();
    await bundleProgram();
    timings.bundleProgram = (performance.now() - started) / 1000;
    const building = performance.now();
    await buildPackage();
    timings.buildPackage = (performance.now() - building) / 1000;
    pulumi = new PulumiCli(toolchain, workDir);
    yaml = new PulumiCli(toolchain, workDir, YAML_PROGRAM_DIR);
    rmSync(STACK_CONFIG, { force: true });
    rmSync(YAML_STACK_CONFIG, { force: true });
    await pulumi.ok(["login", `file://${pulumi.stateDir}`]);
    await pulumi.ok(["stack", "init", STACK]);
    await pulumi.ok(["config", "set", "kubeconfig", cluster.kubeconfig]);
    await pulumi.ok(["config", "set", "chartsDir", toolchain.charts]);
    await yaml.ok(["stack", "init", STACK]);
    await yaml.ok(["config", "set", "kubeconfig", cluster.kubeconfig]);
  });

  afterAll(async () => {
    await cluster?.stop();
    rmSync(STACK_CONFIG, { force: true });
    rmSync(YAML_STACK_CONFIG, { force: true });
    if (workDir === "") return;
    const reports = join(REPO_ROOT, "reports");
    mkdirSync(reports, { recursive: true });
    writeFileSync(join(reports, "e2e-timings.json"), `${JSON.stringify(timings, null, 2)}\n`);
    console.log("e2e step timings (s):", timings, `\nlogs and state: ${workDir}`);
  });

  it("deploys the add-ons and two endpoints from empty in one pass", async () => {
    const up = await pulumi.ok(["up", "--yes", "--skip-preview"]);
    timings.upFromEmpty = up.seconds;

    expect(await names("scaledobjects.keda.sh", "gpufleet-models")).toEqual([
      "scaledobject.keda.sh/chat",
      "scaledobject.keda.sh/embed",
    ]);
    expect(await names("triggerauthentications.keda.sh", "gpufleet-models")).toEqual([
      "triggerauthentication.keda.sh/chat-aws",
      "triggerauthentication.keda.sh/embed-aws",
    ]);
    expect(await names("deployments", "gpufleet-models")).toEqual(["deployment.apps/chat", "deployment.apps/embed"]);
    expect(await names("poddisruptionbudgets", "gpufleet-models")).toHaveLength(2);
    expect(await names("deployments", "keda")).toContain("deployment.apps/keda-operator");
    expect(await names("daemonsets", "nvidia-device-plugin")).toHaveLength(1);
    expect(await names("configmaps", "kube-system")).toContain("configmap/cluster-autoscaler-priority-expander");
    expect(await names("deployments", "kube-system")).toContain("deployment.apps/gpufleet-packer");
    const rules = await cluster.kubectl(["get", "clusterrole", "gpufleet-packer", "-o", "jsonpath={.rules}"]);
    expect(JSON.parse(rules)).toEqual(PACKER_RULES);
  });

  it("changes nothing on a second preview and a second up", async () => {
    const preview = await pulumi.ok(["preview", "--expect-no-changes"]);
    timings.previewNoChanges = preview.seconds;
    const up = await pulumi.ok(["up", "--yes", "--expect-no-changes", "--skip-preview"]);
    timings.secondUp = up.seconds;
  });

  it("runs the policy pack through the engine", async () => {
    const preview = await pulumi.run(["preview", "--policy-pack", join(REPO_ROOT, "policies")]);
    timings.previewWithPolicyPack = preview.seconds;
    const output = preview.stdout + preview.stderr;
    expect(output, output).toMatch(/Policies:/);
    expect(output).toMatch(/gpufleet@v/);
    expect(preview.code, output).toBe(0);
  });

  it("runs a ModelWorkload from a Pulumi YAML program, served by the component package", async () => {
    const up = await yaml.ok(["up", "--yes", "--skip-preview"]);
    timings.yamlUp = up.seconds;

    expect(await names("deployments", YAML_NAMESPACE)).toEqual(["deployment.apps/summarize"]);
    expect(await names("scaledobjects.keda.sh", YAML_NAMESPACE)).toEqual(["scaledobject.keda.sh/summarize"]);
    expect(await names("triggerauthentications.keda.sh", YAML_NAMESPACE)).toEqual([
      "triggerauthentication.keda.sh/summarize-aws",
    ]);
    const probe = await cluster.kubectl([
      "get",
      "deployment/summarize",
      "-n",
      YAML_NAMESPACE,
      "-o",
      "jsonpath={.spec.template.spec.containers[0].readinessProbe.httpGet.port}",
    ]);
    expect(probe).toBe("8080");
  });

  it("changes nothing on a second preview of the YAML program", async () => {
    const preview = await yaml.ok(["preview", "--expect-no-changes"]);
    timings.yamlPreviewNoChanges = preview.seconds;
  });

  it("destroys what the YAML program created", async () => {
    const destroy = await yaml.ok(["destroy", "--yes", "--skip-preview"]);
    timings.yamlDestroy = destroy.seconds;

    expect(await names("deployments", YAML_NAMESPACE)).toEqual([]);
    expect(await namespaces()).not.toContain(YAML_NAMESPACE);
  });

  it("destroys everything it created", async () => {
    const destroy = await pulumi.ok(["destroy", "--yes", "--skip-preview"]);
    timings.destroy = destroy.seconds;

    expect(await names("scaledobjects.keda.sh", "gpufleet-models")).toEqual([]);
    expect(await names("deployments", "kube-system")).toEqual([]);
    expect(await cluster.kubectl(["get", "clusterrole", "gpufleet-packer", "--ignore-not-found", "-o", "name"])).toBe(
      "",
    );
    const left = (await namespaces()).filter((n) => NAMESPACES.includes(n));
    expect(left, `namespaces left behind: ${left.join(", ")}`).toEqual([]);
  });
});
