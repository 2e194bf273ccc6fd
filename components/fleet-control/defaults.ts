import { DEFAULT_LEAD_TIME_SECONDS, DEFAULT_SCHEDULE } from "../../functions/scaling/planning";

/** FleetControl's defaults, in one place (documented with @default in args.ts). */
export const FLEET_CONTROL_DEFAULTS = {
  leadTimeSeconds: DEFAULT_LEAD_TIME_SECONDS,
  schedule: DEFAULT_SCHEDULE,
  historyDays: 14,
  logRetentionDays: 30,
  memorySizeMb: 1024,
  timeoutSeconds: 50,
  dashboard: true,
  /**
   * Lambda runtime and architecture of both bundled functions (autoscaler and rebalancer).
   * Node.js 22: Lambda deprecated nodejs20.x in 2026; the bundles target node20 and run on both.
   */
  runtime: "nodejs22.x",
  architecture: "arm64",
} as const;

/** The rebalancer's defaults (documented with @default in args.ts); its log retention is FleetControl's. */
export const REBALANCER_DEFAULTS = {
  /** The recovery tick (migration back to spot), independent of the autoscaler's schedule. */
  schedule: "rate(1 minute)",
  maxReceiveCount: 5,
  timeoutSeconds: 60,
  batchSize: 100,
} as const;
