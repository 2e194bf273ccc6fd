import { loadConfigFile } from "../kit/setup";
import { FLEET_CONFIG_FILE, type FleetConfig, parseFleetConfig } from "./config";
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
  const config = loadConfigFile(env, FLEET_CONFIG_FILE, parseFleetConfig);
  resolveSettings(config.settings);
  return config;
}

/** The Lambda entry point over injected clients: handler.ts wires the real ones, tests inject faults. */
export function createHandler(deps: TickDeps, config: FleetConfig, env: AutoscalerEnv): () => Promise<TickSummary> {
  return () =>
    runTick(deps, config, {
      historyDays: env.HISTORY_DAYS,
      queueConcurrency: env.QUEUE_READ_CONCURRENCY,
    });
}
