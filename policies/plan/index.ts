/** The offline plan API: run a program against mocks and check it against the policy pack. */
export { ConfigError, isConfigError, type Problem } from "../../functions/problems";
export { DEFAULT_ACCOUNT, type InvokeHandler, type OfflineAccount } from "./invokes";
export { type OfflineRun, type OfflineRunOptions, type PlannedResource, runOffline } from "./offline-engine";
export { countByLevel, type PlanReport, renderTree, renderViolations } from "./report";
export { DEFAULT_CONFIG, DEFAULT_PROGRAM, type PlanOptions, planExitCode, runPlan } from "./run-plan";
