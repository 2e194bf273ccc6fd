/**
 * Bounds on what a simulation accepts, so that no input can crash the process, exhaust its
 * memory or run for ever: every check fails fast with a message naming the value and the
 * bound, before the work it protects starts.
 */
export const LIMITS = {
  /** Longest line of a trace file, characters (a real row is under 100). */
  lineChars: 4096,
  /** Longest trace, minutes: a year. */
  spanMinutes: 366 * 1440,
  /** Most requests in one minute of a per-minute trace. */
  countPerMinute: 10_000_000,
  /** Most requests one simulation replays (all endpoints): about 1.5 GB of working memory. */
  requests: 20_000_000,
  /** Highest --peak-rps. */
  peakRps: 100_000,
  /** Most tokens of one request (context or generated). */
  tokens: 10_000_000,
  /** Longest service time of one request, seconds. */
  workSeconds: 86_400,
} as const;
