/**
 * The simulator's public entry points: `runComparison` replays a scenario through every
 * policy and returns the ReportData that `gpufleet simulate` renders and `gpufleet bench`
 * prints.
 */
import { compare } from "./compare";
import type { ReportData } from "./report/types";
import type { Scenario } from "./scenario";

export type { Scenario, ScenarioEndpoint, ScenarioPool, TraceSpec } from "./scenario";
export { loadScenarioFile, ScenarioError, scenarioFromTrace, validateScenario } from "./scenario";

export const POLICY_NAMES = ["gpufleet", "reactive", "predictive-hourly", "static-peak", "oracle"] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export interface ComparisonOptions {
  scenario: Scenario;
  /** Seed of arrivals within minutes, spot events and launch failures. @default 1 */
  seed?: number;
  /** Share of requests that must wait at most the SLO. @default 0.99 */
  sloTarget?: number;
  /** Overrides every endpoint's profile.sloSeconds. */
  sloSeconds?: number;
  /** @default all of POLICY_NAMES */
  policies?: PolicyName[];
  /** Run the cost-at-SLO search (bisection on each policy's headroom knob). @default true */
  costAtSlo?: boolean;
  /** Report title. @default "gpufleet simulation: <scenario name>" */
  title?: string;
}

/** Progress of a long run, for a progress line on stderr. */
export interface ComparisonProgress {
  policy: string;
  /** Runs finished so far and the expected total (the total grows by a few while searching). */
  done: number;
  total: number;
  message: string;
}

export async function runComparison(
  options: ComparisonOptions,
  onProgress?: (progress: ComparisonProgress) => void,
): Promise<ReportData> {
  return compare(options, onProgress);
}
