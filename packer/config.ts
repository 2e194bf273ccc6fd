/**
 * The packer's settings: flags over the in-cluster defaults (the pod's service account token
 * and CA, the API server from KUBERNETES_SERVICE_HOST/PORT). Pure: bad values fail here,
 * named by the flag.
 */

import { optionValue } from "../cli/command";
import { LABELS } from "../functions/contract";
import { DEFAULT_PACK_INTERVAL_SECONDS, packIntervalProblem } from "../functions/packing";
import { type Problem, throwIfProblems } from "../functions/problems";

export interface PackerConfig {
  /** https://host:port of the Kubernetes API server. */
  apiServer: string;
  /** Re-read before every request: a projected service account token is rotated on disk. */
  tokenFile: string;
  caFile: string;
  /** Label selector of the pods to pack. */
  selector: string;
  intervalSeconds: number;
}

export type PackerFlags = Partial<
  Record<"api-server" | "token-file" | "ca-file" | "selector" | "interval-seconds", string>
>;

const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

export const PACKER_DEFAULTS = {
  tokenFile: `${SERVICE_ACCOUNT_DIR}/token`,
  caFile: `${SERVICE_ACCOUNT_DIR}/ca.crt`,
  /** Every ModelEndpoint pod carries it. */
  selector: LABELS.endpoint,
  intervalSeconds: DEFAULT_PACK_INTERVAL_SECONDS,
} as const;

export const PACKER_SETTINGS = "packer settings";

/** The API server a pod reaches, as client-go's in-cluster config finds it. */
function inClusterApiServer(env: NodeJS.ProcessEnv): string | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return undefined;
  return `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

export function parsePackerConfig(env: NodeJS.ProcessEnv, flags: PackerFlags): PackerConfig {
  const problems: Problem[] = [];
  const apiServer = flags["api-server"] ?? inClusterApiServer(env);
  if (apiServer === undefined) {
    problems.push({
      field: "--api-server",
      rule: "is required outside a pod (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set)",
    });
  } else if (!/^https:\/\/[^/\s]+\/?$/.test(apiServer)) {
    problems.push({ field: "--api-server", value: apiServer, rule: "must be https://host[:port]" });
  }
  const interval = flags["interval-seconds"];
  const intervalSeconds = interval === undefined ? PACKER_DEFAULTS.intervalSeconds : Number(interval);
  const intervalRule = packIntervalProblem(intervalSeconds);
  if (intervalRule) {
    problems.push({ field: "--interval-seconds", value: optionValue(interval ?? ""), rule: intervalRule });
  }
  const selector = flags.selector ?? PACKER_DEFAULTS.selector;
  if (selector.trim() === "") {
    problems.push({
      field: "--selector",
      value: selector,
      rule: "must be a label selector, e.g. gpufleet.io/endpoint",
    });
  }
  for (const flag of ["token-file", "ca-file"] as const) {
    if (flags[flag] !== undefined && flags[flag].trim() === "") {
      problems.push({ field: `--${flag}`, value: flags[flag], rule: "must be a file path" });
    }
  }
  throwIfProblems(PACKER_SETTINGS, problems);
  return {
    apiServer: (apiServer as string).replace(/\/$/, ""),
    tokenFile: flags["token-file"] ?? PACKER_DEFAULTS.tokenFile,
    caFile: flags["ca-file"] ?? PACKER_DEFAULTS.caFile,
    selector,
    intervalSeconds,
  };
}
