export {
  type Burst,
  type BurstModel,
  burstFactor,
  type DailyPeak,
  dailyShape,
  drawBursts,
  perMinuteCounts,
  type RateShape,
} from "./arrivals";
export { COLD_START_MINUTES, COLD_START_QUIET_MINUTES, coldStartScenario, stepCounts } from "./cold-start";
export {
  DEMO_DAYS,
  DEMO_ENDPOINTS,
  DEMO_POOLS,
  type DemoEndpoint,
  type DemoOptions,
  demoNotes,
  demoScenario,
} from "./scenario";
