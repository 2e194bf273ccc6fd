import { foresight } from "./foresight";
import { gpufleet, gpufleetPolicy } from "./gpufleet";
import { predictiveHourly } from "./predictive-hourly";
import { reactive } from "./reactive";
import { staticPeak } from "./static-peak";
import type { PolicyFactory } from "./types";

export type { Knobs, Policy, PolicyEnv, PolicyFactory, PolicyView } from "./types";

/** Every policy by its name in reports and `gpufleet bench --json`. */
export const POLICIES: Record<string, PolicyFactory> = {
  gpufleet,
  reactive,
  "predictive-hourly": predictiveHourly,
  "static-peak": staticPeak,
  foresight,
  "gpufleet-no-prediction": gpufleetPolicy("gpufleet-no-prediction", { prediction: false, rebalancer: true }),
  "gpufleet-no-rebalancer": gpufleetPolicy("gpufleet-no-rebalancer", { prediction: true, rebalancer: false }),
  "gpufleet-uniform-margin": gpufleetPolicy("gpufleet-uniform-margin", {
    prediction: true,
    rebalancer: true,
    settings: { budgetWindowMinutes: 0 },
  }),
};
