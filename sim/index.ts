/**
 * The simulator's public entry points: `runComparison` replays a scenario through every
 * policy and returns the ReportData that `gpufleet simulate` renders and `gpufleet bench`
 * prints.
 */
import { compare, type PolicyName } from "./compare";
import type { ReportData } from "./report/types";
import type { Scenario } from "./scenario";

export { POLICY_NAMES, type PolicyName } from "./compare";
export type { Scenario, ScenarioEndpoint, ScenarioPool, TraceSpec } from "./scenario";
export { loadScenarioFile, scenarioFromTrace, validateScenario } from "./scenario";

export interface ComparisonOptions {
  scenario: Scenario;
  /** First seed of arrivals within minutes, spot events and launch failures. @default 1 */
  seed?: number;
  /** Seeds each knob setting runs with: seed, seed + 1, ... @default 5 */
  seeds?: number;
  /** Knob settings each policy is tuned over. @default 27 */
  settings?: number;
  /** Worker threads. @default one per core */
  workers?: number;
  /** What the SLO bounds. @default "wait" */
  sloOn?: "wait" | "latency";
  /** Share of requests that must wait at most the SLO. @default 0.99 */
  sloTarget?: number;
  /** Overrides every endpoint's profile.sloSeconds. */
  sloSeconds?: number;
  /** @default all of POLICY_NAMES */
  policies?: PolicyName[];
  /** Run the sweep of knob settings and seeds (cost at SLO, frontier, lower bound). @default true */
  costAtSlo?: boolean;
  /** Report title. @default "gpufleet simulation: <scenario name>" */
  title?: string;
}

/** Progress of a long run, for a progress line on stderr. */
export interface ComparisonProgress {
  policy: string;
  /** Jobs finished so far and the total. */
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
