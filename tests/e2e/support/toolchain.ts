import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** Repository root, from this file's place in it. */
export const REPO_ROOT = resolve(__dirname, "..", "..", "..");

/** Where `npm run setup:e2e` builds the toolchain; overridable like the setup script. */
export const CACHE_DIR = process.env.GPUFLEET_E2E_CACHE ?? join(homedir(), ".cache", "gpufleet-e2e");

export interface Toolchain {
  bin: string;
  charts: string;
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
  /** Directory holding the project's own Pulumi Node.js language host. */
  languageHost: string;
}

/** What a local control plane (support/cluster.ts) needs. */
export type ControlPlaneTools = Pick<Toolchain, "bin" | "serviceAccountKey" | "serviceAccountPublicKey">;

const CONTROL_PLANE = ["etcd", "kube-apiserver", "kube-controller-manager", "kubectl"] as const;
const PULUMI = ["pulumi", "pulumi-language-yaml", "pulumi-resource-kubernetes"] as const;
const CHARTS = ["keda/crds", "nvidia-device-plugin", "cluster-autoscaler"] as const;

/** The whole toolchain, or an error naming what is missing and how to build it. */
export function findToolchain(): Toolchain {
  const charts = join(CACHE_DIR, "charts");
  const tools = findControlPlane([
    ...PULUMI.map((b) => join(CACHE_DIR, "bin", b)),
    ...CHARTS.map((c) => join(charts, c)),
  ]);
  return { ...tools, charts, languageHost: join(REPO_ROOT, "tests", "e2e", "langhost") };
}

/** The control plane's binaries and keys (plus any `more` paths), or an error naming what is missing. */
export function findControlPlane(more: string[] = []): ControlPlaneTools {
  const bin = join(CACHE_DIR, "bin");
  const pki = join(CACHE_DIR, "pki");
  const missing = [...CONTROL_PLANE.map((b) => join(bin, b)), join(pki, "sa.key"), join(pki, "sa.pub"), ...more].filter(
    (p) => !existsSync(p),
  );
  if (missing.length > 0) {
    throw new Error(
      `The end-to-end toolchain is missing in ${CACHE_DIR} (${missing.join(", ")}). ` +
        "Run `npm run setup:e2e` first (about 75 minutes cold on 2 cores; set GPUFLEET_E2E_CACHE to use another cache).",
    );
  }
  return { bin, serviceAccountKey: join(pki, "sa.key"), serviceAccountPublicKey: join(pki, "sa.pub") };
}
