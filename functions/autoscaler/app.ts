import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { type FleetConfig, parseFleetConfig } from "./config";
import { resolveSettings } from "./core/settings";
import type { AutoscalerEnv } from "./env";
import { runTick, type TickDeps, type TickSummary } from "./tick";

/**
 * SDK retry configuration of every client: standard mode retries throttling, 5xx and
 * timeouts with exponential backoff and jitter; five attempts ride out a short throttling
 * burst and still end well inside one tick.
 */
export const SDK_RETRY = { maxAttempts: 5, retryMode: "standard" } as const;

/** Reads and checks fleet.json, settings included, so a bad file fails the cold start rather than a tick. */
export function loadFleetConfig(env: AutoscalerEnv): FleetConfig {
  const root = env.LAMBDA_TASK_ROOT ?? __dirname;
  const path = isAbsolute(env.FLEET_CONFIG_PATH) ? env.FLEET_CONFIG_PATH : join(root, env.FLEET_CONFIG_PATH);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read the fleet configuration ${path}: ${(error as Error).message}`);
  }
  const config = parseFleetConfig(text, path);
  resolveSettings(config.settings);
  return config;
}

/** The Lambda entry point over injected clients: handler.ts wires the real ones, tests inject faults. */
export function createHandler(deps: TickDeps, config: FleetConfig, env: AutoscalerEnv): () => Promise<TickSummary> {
  return () =>
    runTick(deps, config, {
      historyDays: env.HISTORY_DAYS,
      queueConcurrency: env.QUEUE_READ_CONCURRENCY,
      healthNamespace: env.HEALTH_NAMESPACE,
    });
}
