/**
 * The control plane as the policies see it: the HPA reading KEDA's triggers (the SQS
 * backlog live, the predicted replicas through CloudWatch, a policy's direct trigger), the
 * policy's minute tick with what the autoscaler Lambda can read, and the spot signals that
 * go to a rebalancer. Desired capacity from a rebalancer is capped at maxNodes.
 */
import type { CapacityAction } from "../../functions/rebalancer/core/types";
import type { Policy, PolicyView } from "../policies/types";
import { latestAge, readableMinutes, readPredicted, readPublished, recordAge } from "./cloudwatch";
import { reconcile, setReplicas } from "./cluster";
import { hpaStep, proposal } from "./hpa";
import { oldestVisible } from "./serve";
import { type EndpointState, PodState, type World } from "./world";

/** Minutes of its own metric the autoscaler reads back each tick (as functions/autoscaler/tick.ts). */
const PUBLISHED_MINUTES = 10;

/** Samples the oldest visible message's age into CloudWatch's per-minute maximum. */
export function sampleAges(world: World): void {
  for (const ep of world.eps) {
    const oldest = oldestVisible(world, ep);
    if (Number.isFinite(oldest)) recordAge(ep.metrics, world.now, world.now - oldest);
    else recordAge(ep.metrics, world.now, 0);
  }
}

export function hpaSync(world: World, policy: Policy): void {
  const l = world.lifecycle;
  sampleAges(world);
  world.eps.forEach((ep, i) => {
    const c = ep.scaling;
    const current = ep.pods.length;
    if (!policy.reactive) {
      // Fixed replicas: no autoscaler, the Deployment's own count.
      const fixed = Math.max(c.minReplicaCount, Math.min(c.maxReplicaCount, ep.floor));
      if (fixed !== current) setReplicas(world, i, fixed);
      return;
    }
    // aws-sqs-queue (scaleOnInFlight): KEDA reads the queue when the HPA asks.
    let rec = proposal(ep.qLen + ep.inFlight, c.sqs.queueLength, current, l.hpaTolerance);
    if (policy.publish) {
      const predicted = readPredicted(ep.metrics, world.now, c.predicted, l.putMetricVisibleSeconds);
      rec = Math.max(rec, proposal(predicted, c.predicted.targetMetricValue, current, l.hpaTolerance));
    }
    if (ep.floor > 0) rec = Math.max(rec, proposal(ep.floor, 1, current, l.hpaTolerance));
    // From zero KEDA activates the Deployment to one replica; the HPA takes over from there.
    const desired =
      current === 0
        ? rec > 0
          ? Math.max(1, c.minReplicaCount)
          : c.minReplicaCount
        : hpaStep(ep.hpa, c, world.now, current, rec);
    if (desired !== current) setReplicas(world, i, desired);
  });
}

export function policyView(world: World): PolicyView {
  const l = world.lifecycle;
  const nowMs = world.w.startMs + Math.round(world.now * 1000);
  const readable = Math.min(world.w.minutes, readableMinutes(world.now, l.sqsMetricLagSeconds));
  return {
    nowSeconds: world.now,
    nowMs,
    minute: Math.floor(world.now / 60 + 1e-9),
    readableMinutes: readable,
    endpoints: world.eps.map((ep: EndpointState) => {
      const oldest = oldestVisible(world, ep);
      return {
        visible: ep.qLen,
        inFlight: ep.inFlight,
        oldestMessageAgeSeconds: Number.isFinite(oldest) ? world.now - oldest : 0,
        cloudWatchAgeSeconds: latestAge(ep.metrics, world.now, l.sqsMetricLagSeconds),
        published: readPublished(ep.metrics, world.now, PUBLISHED_MINUTES, l.putMetricVisibleSeconds, world.w.startMs),
        replicas: ep.pods.length,
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
