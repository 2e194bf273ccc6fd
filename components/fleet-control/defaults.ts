/** FleetControl's defaults, in one place (documented with @default in args.ts). */
export const FLEET_CONTROL_DEFAULTS = {
  leadTimeSeconds: 360,
  schedule: "rate(1 minute)",
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
