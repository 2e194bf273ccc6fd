import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { type ExecResult, exec, execOk } from "./exec";
import { REPO_ROOT, type Toolchain } from "./toolchain";

export const PROGRAM_DIR = join(REPO_ROOT, "tests", "e2e", "program");
/** The Pulumi YAML program that uses the component package (dist/pulumi-plugin). */
export const YAML_PROGRAM_DIR = join(REPO_ROOT, "tests", "e2e", "yaml-program");

/** `npm run build`: the compiled components and dist/pulumi-plugin, which the YAML program loads. */
export async function buildPackage(): Promise<void> {
  await execOk("npm", ["run", "build", "--silent"], { cwd: REPO_ROOT, env: process.env });
}

/**
 * Bundles the program's TypeScript (and the gpufleet modules it imports) into the JavaScript
 * file Pulumi.yaml names; packages stay external and load from the repository's node_modules.
 */
export async function bundleProgram(): Promise<void> {
  await build({
    entryPoints: [join(PROGRAM_DIR, "index.ts")],
    outfile: join(PROGRAM_DIR, ".build", "index.js"),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
}

/** Runs the real Pulumi CLI against a local file backend, with the e2e toolchain on PATH. */
export class PulumiCli {
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    toolchain: Toolchain,
    workDir: string,
    private readonly programDir: string = PROGRAM_DIR,
  ) {
    const home = join(workDir, "pulumi-home");
    mkdirSync(home, { recursive: true });
    this.env = {
      ...process.env,
      PATH: [toolchain.languageHost, toolchain.bin, process.env.PATH].join(":"),
      PULUMI_HOME: home,
      PULUMI_CONFIG_PASSPHRASE: "gpufleet-e2e",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      HELM_CACHE_HOME: join(workDir, "helm", "cache"),
      HELM_CONFIG_HOME: join(workDir, "helm", "config"),
      HELM_DATA_HOME: join(workDir, "helm", "data"),
    };
    this.stateDir = join(workDir, "state");
    mkdirSync(this.stateDir, { recursive: true });
  }

  /** The file backend the stack lives in (`pulumi login file://…`). */
  readonly stateDir: string;

  /** `pulumi <args>` in the program directory; the caller judges the exit code. */
  run(args: string[]): Promise<ExecResult> {
    return exec("pulumi", [...args, "--non-interactive", "--color=never"], { cwd: this.programDir, env: this.env });
  }

  /** `pulumi <args>`, failing with the output on a non-zero exit. */
  ok(args: string[]): Promise<ExecResult> {
    return execOk("pulumi", [...args, "--non-interactive", "--color=never"], {
      cwd: this.programDir,
      env: this.env,
    });
  }
}
