import { gpufleet } from "./gpufleet";
import { oracle } from "./oracle";
import { predictiveHourly } from "./predictive-hourly";
import { reactive } from "./reactive";
import { staticPeak } from "./static-peak";
import type { PolicyFactory } from "./types";

export type { Policy, PolicyEnv, PolicyFactory, PolicyView } from "./types";

/** Every policy by its name in reports and `gpufleet bench --json`. */
export const POLICIES: Record<string, PolicyFactory> = {
  gpufleet,
  reactive,
  "predictive-hourly": predictiveHourly,
  "static-peak": staticPeak,
  oracle,
};
