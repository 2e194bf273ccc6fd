/**
 * The packer's loop: every interval, list the endpoint pods, write the deletion costs that
 * changed. A failed pass is logged and the next one tries again, except when the API refuses
 * the packer itself (bad selector, no permission): that will not heal, so it exits.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { costPatches } from "../functions/packing";
import type { Log } from "../worker/log";
import type { PackerConfig } from "./config";
import { KubeApiError, type KubeClient } from "./kube";

/** What one pass did. */
export interface PassResult {
  pods: number;
  patched: number;
  /** Pods deleted between the list and their patch. */
  gone: number;
}

/** One pass: list, decide (pure), write. */
export async function packOnce(kube: KubeClient): Promise<PassResult> {
  const pods = await kube.listPods();
  let patched = 0;
  let gone = 0;
  for (const patch of costPatches(pods)) {
    if (await kube.setDeletionCost(patch.namespace, patch.name, patch.cost)) patched++;
    else gone++;
  }
  return { pods: pods.length, patched, gone };
}

/** Answers that retrying cannot fix: a malformed request or a missing permission. */
function isPermanent(error: unknown): error is KubeApiError {
  return error instanceof KubeApiError && [400, 401, 403].includes(error.status);
}

/** Runs until `signal` aborts; resolves with the process exit code. */
export async function runPacker(
  config: PackerConfig,
  kube: KubeClient,
  log: Log,
  signal: AbortSignal,
): Promise<number> {
  log("info", "started", {
    apiServer: config.apiServer,
    selector: config.selector,
    intervalSeconds: config.intervalSeconds,
  });
  while (!signal.aborted) {
    try {
      const result = await packOnce(kube);
      if (result.patched > 0 || result.gone > 0) log("info", "packed", { ...result });
    } catch (error) {
      if (isPermanent(error)) {
        const hint =
          error.status === 400
            ? "check --selector"
            : "the service account needs list and patch on pods (the ClusterRole GpuCluster creates)";
        log("error", "refused by the API server", { error: error.message, hint });
        return 1;
      }
      log("warn", "pass failed; retrying next interval", {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    await sleep(config.intervalSeconds * 1000, undefined, { signal }).catch(() => undefined);
  }
  log("info", "stopped");
  return 0;
}
