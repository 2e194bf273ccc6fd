/**
 * The control plane as the policies see it: KEDA's SQS scaler, the HPA (tolerance,
 * scale-up rate, scale-down stabilization), the policy's minute tick and the spot signals
 * that go to a rebalancer. Desired capacity from a rebalancer is capped at maxNodes.
 */
import type { CapacityAction } from "../../functions/rebalancer/core/types";
import type { Policy, PolicyView } from "../policies/types";
import { reconcile, setReplicas } from "./cluster";
import { oldestVisible } from "./serve";
import { type EndpointState, PodState, type World } from "./world";

export function kedaPoll(world: World): void {
  // KEDA's aws-sqs-queue scaler counts visible and in-flight messages (scaleOnInFlight: true).
  for (const ep of world.eps) ep.kedaMetric = ep.qLen + ep.inFlight;
}

export function hpaSync(world: World, policy: Policy, knob: number): void {
  const l = world.lifecycle;
  world.eps.forEach((ep, i) => {
    const profile = world.w.endpoints[i]?.profile;
    if (!profile) return;
    const min = profile.minReplicas;
    const max = profile.maxReplicas;
    const current = ep.pods.length;
    if (!policy.reactive) {
      setReplicas(world, i, Math.max(min, Math.min(max, ep.floor)));
      return;
    }
    // The SQS trigger's target per replica: its concurrency, scaled by the headroom knob.
    const target = ep.concurrency / knob;
    const ratio = current > 0 ? ep.kedaMetric / (target * current) : Number.POSITIVE_INFINITY;
    const fromQueue =
      current > 0 && Math.abs(ratio - 1) <= l.hpaTolerance ? current : Math.ceil(ep.kedaMetric / target - 1e-9);
    let raw = Math.max(min, Math.min(max, Math.max(fromQueue, ep.floor)));
    // Default scale-up policy: at most double or +4 pods per period, whichever is more.
    raw = Math.min(raw, Math.max(2 * current, current + 4));
    const h = ep.history;
    h.push(world.now, raw);
    let start = 0;
    while (start < h.length && (h[start] as number) < world.now - l.hpaDownStabilizationSeconds) start += 2;
    if (start > 0) h.splice(0, start);
    let desired = raw;
    if (raw < current) {
      let highest = raw;
      for (let k = 1; k < h.length; k += 2) highest = Math.max(highest, h[k] as number);
      desired = Math.min(current, highest);
    }
    if (desired !== current) setReplicas(world, i, desired);
  });
}

export function policyView(world: World): PolicyView {
  return {
    nowSeconds: world.now,
    nowMs: world.w.startMs + Math.round(world.now * 1000),
    minute: Math.floor(world.now / 60 + 1e-9),
    endpoints: world.eps.map((ep: EndpointState) => {
      const oldest = oldestVisible(world, ep);
      const pool = world.pools[ep.poolIdx[0] as number];
      return {
        visible: ep.qLen,
        inFlight: ep.inFlight,
        oldestMessageAgeSeconds: Number.isFinite(oldest) ? world.now - oldest : 0,
        replicas: ep.pods.length,
        slicesPerGpu: pool?.desc.slicesPerGpu ?? 1,
      };
    }),
    pools: world.pools.map((p) => ({
      name: p.desc.name,
      desired: p.desired,
      inService: p.nodes.filter((n) => !n.booting && !n.gone).length,
      maxNodes: p.desc.maxNodes,
      // Launched instances, booting ones included (the rebalancer's optional `instances`).
      instances: p.nodes.length,
    })),
  };
}

export function applyActions(world: World, actions: CapacityAction[]): void {
  for (const action of actions) {
    const pool = world.pools.find((p) => p.desc.name === action.pool);
    if (!pool) continue;
    pool.desired = Math.max(0, Math.min(pool.desc.maxNodes, Math.round(action.desired)));
    reconcile(world, pool);
  }
}

/** Ready replicas (serving) of an endpoint. */
export function readyReplicas(ep: EndpointState): number {
  let n = 0;
  for (const rep of ep.pods) if (rep.state === PodState.Ready) n++;
  return n;
}
