/**
 * The package as another stack gets it: `npm pack` (which builds through `prepack`) from a
 * clean copy of the working tree, installed into a fresh project set up the way
 * `pulumi new aws-typescript` sets one up, with the BYO example as its program. The
 * @pulumi packages, TypeScript and ts-node come from this repository's node_modules
 * (file: links), gpufleet's own dependencies from the npm cache or the registry.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { expectGpufleetSchema, inferSchema } from "./schema-expectations";

const REPO = resolve(__dirname, "../..");
const EXAMPLE = join(REPO, "examples", "byo-cluster");
const FIXTURES = join(__dirname, "fixtures");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

interface Run {
  resources: { type: string; name: string; inputs?: Record<string, unknown> }[];
  invokes: string[];
}

let work: string;
let consumer: string;
let tarball: string;

function run(command: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of the working tree's files (tracked, or new and not ignored), with node_modules linked in. */
function cleanCopy(into: string): string {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPO,
    encoding: "utf8",
  })
    .split("\0")
    .filter((file) => file !== "" && existsSync(join(REPO, file)));
  for (const file of files) {
    mkdirSync(dirname(join(into, file)), { recursive: true });
    copyFileSync(join(REPO, file), join(into, file));
  }
  execFileSync("ln", ["-s", join(REPO, "node_modules"), join(into, "node_modules")]);
  return into;
}

/** The components a program creates itself (they create ClusterAddons and ModelWorkload inside). */
const TOP_LEVEL = new Set(["gpufleet:index:GpuCluster", "gpufleet:index:ModelEndpoint", "gpufleet:index:FleetControl"]);

const local = (name: string) => `file:${join(REPO, "node_modules", name)}`;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "gpufleet-package-"));
  // Packing from a copy keeps the build (which starts by deleting dist/) away from the
  // checkout's dist/lambda, which other suites deploy from while this one runs.
  const source = cleanCopy(join(work, "source"));
  const packed = run(NPM, ["pack", "--pack-destination", work, "--loglevel=error"], source);
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}${packed.stdout}`);
  const name = readdirSync(work).find((f) => f.endsWith(".tgz"));
  if (!name) throw new Error(`npm pack wrote no tarball into ${work}`);
  tarball = join(work, name);

  consumer = join(work, "consumer");
  mkdirSync(consumer);
  for (const file of ["index.ts", "Pulumi.yaml", "Pulumi.example.yaml", "tsconfig.json"]) {
    copyFileSync(join(EXAMPLE, file), join(consumer, file));
  }
  const manifest = {
    name: "byo-consumer",
    private: true,
    main: "index.ts",
    dependencies: {
      gpufleet: `file:${tarball}`,
      "@pulumi/pulumi": local("@pulumi/pulumi"),
      "@pulumi/aws": local("@pulumi/aws"),
      "@pulumi/kubernetes": local("@pulumi/kubernetes"),
    },
    devDependencies: {
      "@types/node": local("@types/node"),
      typescript: local("typescript"),
      "ts-node": local("ts-node"),
    },
  };
  writeFileSync(join(consumer, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const installed = run(
    NPM,
    // --legacy-peer-deps: npm's peer placement fails on file: links to directories
    // ("Cannot read properties of null (reading 'matches')"); the peers are direct dependencies here anyway.
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      "--legacy-peer-deps",
      "--loglevel=error",
    ],
    consumer,
  );
  if (installed.status !== 0) throw new Error(`npm install failed:\n${installed.stderr}${installed.stdout}`);
  cpSync(join(FIXTURES, "program.js"), join(consumer, "js", "index.js"));
  // The runners live in the consumer: from inside this repository, `gpufleet/*` would resolve
  // to the repository itself (a package may import itself by name), not the installed tarball.
  for (const runner of ["run-typescript.cjs", "run-javascript.cjs"])
    cpSync(join(FIXTURES, runner), join(consumer, runner));
}, 900_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The example's Pulumi.example.yaml as the language host passes config: `ns:key` -> string, objects as JSON. */
function exampleConfig(): Record<string, string> {
  const { config } = parseYaml(readFileSync(join(consumer, "Pulumi.example.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
}

describe("the packed package", () => {
  it("ships compiled JavaScript, declarations and the Lambda bundles, and nothing of the repository's tooling", () => {
    const listed = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n").filter(Boolean);
    const files = listed.map((f) => f.replace(/^package\//, ""));

    expect(files).toEqual(
      expect.arrayContaining([
        "package.json",
        "bin/gpufleet.cjs",
        "dist/components/index.js",
        "dist/components/index.d.ts",
        "dist/policies/plan/index.js",
        "dist/policies/PulumiPolicy.yaml",
        "dist/cli/main.js",
        "dist/lambda/autoscaler/index.js",
        "dist/lambda/rebalancer/index.js",
        "dist/pulumi-plugin/PulumiPlugin.yaml",
        "dist/pulumi-plugin/package.json",
        "dist/pulumi-plugin/index.js",
        "dist/pulumi-plugin/index.ts",
        "dist/pulumi-plugin/src/components/gpu-cluster/args.ts",
      ]),
    );
    expect(
      files.filter((f) => /^(tests|bench|scripts|\.ci|infra|sim|components|functions|policies|cli)\//.test(f)),
    ).toEqual([]);
    // TypeScript source only where the component package's schema is inferred from.
    expect(
      files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.startsWith("dist/pulumi-plugin/")),
    ).toEqual([]);
  });

  it("carries a Pulumi component package whose schema infers from the installed files", () => {
    const plugin = join(consumer, "node_modules", "gpufleet", "dist", "pulumi-plugin");

    const schema = inferSchema(plugin, consumer);

    expectGpufleetSchema(schema);
    expect(schema.version).toBe(JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version);
  });
});

describe("a consumer project set up like `pulumi new aws-typescript`", () => {
  it("loads the BYO example through ts-node in CommonJS, type-checked, and deploys the shipped Lambda bundles", () => {
    const configFile = join(consumer, "config.json");
    writeFileSync(configFile, JSON.stringify(exampleConfig()));

    const result = run(process.execPath, ["run-typescript.cjs", "index.ts", configFile], consumer);

    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const { resources, invokes } = JSON.parse(result.stdout) as Run;
    const components = resources.filter((r) => TOP_LEVEL.has(r.type)).map((r) => `${r.type} ${r.name}`);
    expect(components.sort()).toEqual([
      "gpufleet:index:FleetControl ml-control",
      "gpufleet:index:GpuCluster ml",
      "gpufleet:index:ModelEndpoint chat",
      "gpufleet:index:ModelEndpoint summarize",
    ]);
    expect(invokes).toContain("aws:eks/getCluster:getCluster");
    const code = resources.find((r) => r.name === "ml-control-autoscaler")?.inputs?.code;
    expect(JSON.stringify(code)).toContain(join(consumer, "node_modules", "gpufleet", "dist", "lambda", "autoscaler"));
  });

  it("runs a plain JavaScript program under Pulumi mocks", () => {
    const result = run(process.execPath, ["run-javascript.cjs", "js/index.js"], consumer);

    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const { resources } = JSON.parse(result.stdout) as Run;
    expect(resources.filter((r) => TOP_LEVEL.has(r.type)).map((r) => r.name)).toEqual(["js", "chat", "js-control"]);
    expect(resources.filter((r) => r.type === "aws:lambda/function:Function")).toHaveLength(2);
  });

  it("runs the installed `gpufleet bench` on two worker threads, from the compiled simulator", () => {
    // Two quiet hours then a busy one, per minute: enough to make the policies differ.
    const rows = Array.from({ length: 180 }, (_, minute) => `${minute},${minute < 120 ? 30 : 240}`);
    writeFileSync(join(consumer, "trace.csv"), `minute,count\n${rows.join("\n")}\n`);
    const args = [
      "bench",
      "--trace",
      "trace.csv",
      "--policies",
      "gpufleet,reactive",
      "--settings",
      "2",
      "--seeds",
      "2",
    ];
    const result = run(
      join(consumer, "node_modules", ".bin", "gpufleet"),
      [...args, "--workers", "2", "--json"],
      consumer,
    );

    expect(result.stderr).not.toMatch(/error|cannot find module/i);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { seeds: number[]; policies: { name: string; costUsd: number }[] };
    expect(report.seeds).toHaveLength(2);
    expect(report.policies.map((p) => p.name)).toEqual(["gpufleet", "reactive"]);
    for (const policy of report.policies) expect(policy.costUsd).toBeGreaterThan(0);
  });

  it("plans the program offline with the installed `gpufleet plan`, the eks:getCluster lookup included", () => {
    const result = run(
      join(consumer, "node_modules", ".bin", "gpufleet"),
      ["plan", ".", "--config", "Pulumi.example.yaml", "--json", "-"],
      consumer,
    );

    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as { resources: { type: string }[]; violations: { level: string }[] };
    expect(report.resources.filter((r) => r.type === "gpufleet:index:ModelEndpoint")).toHaveLength(2);
    expect(result.status).toBe(report.violations.some((v) => v.level === "mandatory") ? 1 : 0);
  });
});
