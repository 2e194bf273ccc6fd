/**
 * Where the SLO's miss budget is spent. The SLO lets a share of requests wait too long; the
 * forecast spends it uniformly (a quantile margin everywhere), which leaves every surprise it
 * did not see (a spike, a step) to be missed, whatever it costs. Instead, the surprises of the
 * recent past are ranked and capacity is held in reserve for all but the largest of them: the
 * largest are the ones whose cover costs most per avoided miss (capacity held all day for a
 * few minutes of requests), and the requests they carry are what the budget pays for.
 */
import { usable } from "./series";
import type { AutoscalerSettings } from "./types";

/** The reserve and the figures behind it, requests per minute. */
export interface SurpriseReserve {
  /** Arrival rate held above the level: every past surprise but those the budget pays for is covered. */
  reservePerMinute: number;
  /** Minutes of the window whose surprise the reserve leaves uncovered (they would miss). */
  uncoveredMinutes: number;
  /** Share of the window's requests in those minutes: at most missBudget. */
  uncoveredShare: number;
}

const NONE: SurpriseReserve = { reservePerMinute: 0, uncoveredMinutes: 0, uncoveredShare: 0 };

/**
 * The smallest reserve r (requests per minute above the level) such that the minutes of the
 * last `budgetWindowMinutes` whose surprise r would not have covered carry at most
 * `missBudget` of the window's requests.
 *
 * A minute's surprise is how far its arrivals a rose above the level a decision `reach`
 * minutes earlier saw (the burst window's mean then, ref): capacity ordered then is what
 * served it. A rise of at most ref * slo / 60 queues no more than that capacity drains within
 * the SLO, so noise at the scale of minutes needs no reserve. A larger one, left uncovered,
 * keeps queueing minute after minute (a step does not stop after one), and first in first
 * out every request behind the queue waits too long: the minute is counted as missed whole
 * unless the reserve covers all of a - ref.
 *
 * One surprise is not a pattern: the reserve never exceeds the second-largest episode (a run
 * of consecutive surprised minutes) of the window, so a burst that happened once and is over
 * keeps nothing; one that came back is covered.
 *
 * O(window) per call, plus a sort of the surprised minutes only.
 */
export function surpriseReserve(
  values: readonly (number | null)[],
  last: number,
  reach: number,
  sloSeconds: number,
  s: AutoscalerSettings,
): SurpriseReserve {
  if (s.budgetWindowMinutes === 0) return NONE;
  const k = Math.min(1, sloSeconds / 60);
  const from = Math.max(0, last - s.budgetWindowMinutes + 1);
  const burst = s.burstMinutes;
  let total = 0;
  const need: number[] = [];
  const weight: number[] = [];
  const minute: number[] = [];
  // The reference window [t - reach - burst + 1, t - reach] slides with t: one value in, one out.
  let sum = 0;
  let count = 0;
  for (let i = from - reach - burst + 1; i < from - reach; i++) {
    const v = usable(values, i);
    if (v >= 0) {
      sum += v;
      count++;
    }
  }
  for (let t = from; t <= last; t++) {
    const entering = usable(values, t - reach);
    if (entering >= 0) {
      sum += entering;
      count++;
    }
    if (t > from) {
      const leaving = usable(values, t - reach - burst);
      if (leaving >= 0) {
        sum -= leaving;
        count--;
      }
    }
    const a = usable(values, t);
    if (a < 0) continue;
    total += a;
    if (count === 0) continue;
    const ref = sum / count;
    const v = a - ref;
    if (v > ref * k) {
      need.push(v);
      weight.push(a);
      minute.push(t);
    }
  }
  const reserve = Math.min(budgetedReserve(need, weight, s.missBudget * total), secondEpisode(need, minute));
  let uncovered = 0;
  let minutes = 0;
  for (let i = 0; i < need.length; i++) {
    if ((need[i] as number) <= reserve) continue;
    uncovered += weight[i] as number;
    minutes++;
  }
  return { reservePerMinute: reserve, uncoveredMinutes: minutes, uncoveredShare: total > 0 ? uncovered / total : 0 };
}

/** The smallest reserve whose uncovered minutes (need above it) carry at most `budget` requests. */
function budgetedReserve(need: readonly number[], weight: readonly number[], budget: number): number {
  let all = 0;
  for (const a of weight) all += a;
  if (all <= budget) return 0;
  // Largest surprises first: leave them uncovered while their requests fit the budget.
  const order = need.map((_, i) => i).sort((x, y) => (need[y] as number) - (need[x] as number));
  let spent = 0;
  for (const i of order) {
    spent += weight[i] as number;
    if (spent > budget) return need[i] as number;
  }
  return 0;
}

/** The peak need of the second-largest episode: surprised minutes one after another form one. */
function secondEpisode(need: readonly number[], minute: readonly number[]): number {
  let first = 0;
  let second = 0;
  let peak = 0;
  for (let i = 0; i < need.length; i++) {
    const n = need[i] as number;
    peak = i > 0 && (minute[i] as number) === (minute[i - 1] as number) + 1 ? Math.max(peak, n) : n;
    const ends = i === need.length - 1 || (minute[i + 1] as number) !== (minute[i] as number) + 1;
    if (!ends) continue;
    if (peak > first) [first, second] = [peak, first];
    else if (peak > second) second = peak;
  }
  return second;
}
