/**
 * The HorizontalPodAutoscaler's replica calculation for external metrics (autoscaling/v2):
 * each metric proposes ceil(total / target) unless within the tolerance of the current
 * replicas, the largest proposal wins, then the endpoint's `behavior` applies: stabilization
 * windows over past recommendations and per-period rate limits. The behaviour comes from the
 * endpoint's ScalingConfig (functions/scaling), as deployed.
 */
import type { HpaRules, ScalingConfig } from "../../functions/scaling/index";

export interface HpaState {
  /** Recommendations, [time, replicas] pairs, oldest first. */
  recs: number[];
  /** Scale events, [time, change] pairs, oldest first. */
  events: number[];
}

export function newHpaState(): HpaState {
  return { recs: [], events: [] };
}

/** One metric's proposal (AverageValue target): keep the current replicas within the tolerance. */
export function proposal(total: number, target: number, current: number, tolerance: number): number {
  if (current > 0 && Math.abs(total / (target * current) - 1) <= tolerance) return current;
  return Math.ceil(total / target - 1e-9);
}

function changeInPeriod(events: number[], now: number, period: number, up: boolean): number {
  let sum = 0;
  for (let k = 0; k < events.length; k += 2) {
    if ((events[k] as number) <= now - period) continue;
    const d = events[k + 1] as number;
    if (up ? d > 0 : d < 0) sum += Math.abs(d);
  }
  return sum;
}

function upLimit(current: number, events: number[], now: number, rules: HpaRules): number {
  const limits = rules.policies.map((p) => {
    const start = current - changeInPeriod(events, now, p.periodSeconds, true);
    return p.type === "Pods" ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  return rules.selectPolicy === "Max" ? Math.max(...limits) : Math.min(...limits);
}

function downLimit(current: number, events: number[], now: number, rules: HpaRules): number {
  const limits = rules.policies.map((p) => {
    const start = current + changeInPeriod(events, now, p.periodSeconds, false);
    return p.type === "Pods" ? start - p.value : Math.ceil(start * (1 - p.value / 100));
  });
  return rules.selectPolicy === "Max" ? Math.min(...limits) : Math.max(...limits);
}

/** The replicas the HPA sets now, given the largest metric proposal; records the step. */
export function hpaStep(
  state: HpaState,
  config: Pick<ScalingConfig, "behavior" | "minReplicaCount" | "maxReplicaCount">,
  now: number,
  current: number,
  recommendation: number,
): number {
  const { scaleUp, scaleDown } = config.behavior;
  const rec = Math.max(config.minReplicaCount, Math.min(config.maxReplicaCount, recommendation));
  const keep = Math.max(scaleUp.stabilizationWindowSeconds, scaleDown.stabilizationWindowSeconds);
  const recs = state.recs;
  let drop = 0;
  while (drop < recs.length && (recs[drop] as number) <= now - keep) drop += 2;
  if (drop > 0) recs.splice(0, drop);
  let upRec = rec;
  let downRec = rec;
  for (let k = 0; k < recs.length; k += 2) {
    const t = recs[k] as number;
    const r = recs[k + 1] as number;
    if (t > now - scaleUp.stabilizationWindowSeconds) upRec = Math.min(upRec, r);
    if (t > now - scaleDown.stabilizationWindowSeconds) downRec = Math.max(downRec, r);
  }
  recs.push(now, rec);
  let stabilized = current;
  if (stabilized < upRec) stabilized = upRec;
  if (stabilized > downRec) stabilized = downRec;
  const events = state.events;
  const longest = Math.max(
    ...scaleUp.policies.map((p) => p.periodSeconds),
    ...scaleDown.policies.map((p) => p.periodSeconds),
  );
  let old = 0;
  while (old < events.length && (events[old] as number) <= now - longest) old += 2;
  if (old > 0) events.splice(0, old);
  let desired = current;
  if (stabilized > current)
    desired = Math.min(stabilized, upLimit(current, events, now, scaleUp), config.maxReplicaCount);
  else if (stabilized < current)
    desired = Math.max(stabilized, downLimit(current, events, now, scaleDown), config.minReplicaCount);
  if (desired !== current) events.push(now, desired - current);
  return desired;
}
