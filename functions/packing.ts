/**
 * Scale-in packing: which pod a Deployment removes first. The ReplicaSet controller deletes
 * pods with the lowest `controller.kubernetes.io/pod-deletion-cost` first (after unscheduled,
 * pending and not-ready ones). Without it, it removes a pod from the node holding the most
 * replicas of the same ReplicaSet, which spreads what is left and keeps every GPU node busy
 * with one replica each. With each pod's cost set from how many endpoint pods its node runs,
 * scale-in empties the least occupied node first and the Cluster Autoscaler can remove it.
 *
 * Pure: no Kubernetes or AWS import, so the packer and the simulator run the same rule.
 */

/** The annotation the ReplicaSet controller ranks by (beta since Kubernetes 1.22, on by default). */
export const POD_DELETION_COST_ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";

/** Seconds between the packer's passes unless configured (`gpufleet packer --interval-seconds`). */
export const DEFAULT_PACK_INTERVAL_SECONDS = 15;
/** The longest interval between passes: beyond an hour the costs say little about the cluster. */
export const MAX_PACK_INTERVAL_SECONDS = 3600;

/** Why an interval between passes is refused, or undefined when it is a whole number of seconds in range. */
export function packIntervalProblem(seconds: number): string | undefined {
  return Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_PACK_INTERVAL_SECONDS
    ? undefined
    : `must be a whole number from 1 to ${MAX_PACK_INTERVAL_SECONDS}`;
}

/** The API accepts an int32; clamped so a huge node never produces a value it rejects. */
const MAX_COST = 2_147_483_647;

/** A pod as the packer sees it. */
export interface PackedPod {
  namespace: string;
  name: string;
  /** The node it is bound to; null while unscheduled. */
  nodeName: string | null;
  /**
   * Terminating, or finished (Succeeded or Failed, as an evicted pod stays until garbage
   * collected): it frees or has freed its slice, so it is neither counted nor annotated.
   */
  stopped: boolean;
  /** The pod's current deletion-cost annotation, if any. */
  currentCost: string | undefined;
}

/** One annotation to write. */
export interface CostPatch {
  namespace: string;
  name: string;
  cost: string;
}

/** Whether a pod, from its deletion timestamp and phase, is stopped (see PackedPod.stopped). */
export function isStopped(deletionTimestamp: string | null | undefined, phase: string | undefined): boolean {
  return Boolean(deletionTimestamp) || phase === "Succeeded" || phase === "Failed";
}

/** Distinct tie-breaks per node: occupancy counts in thousands. */
const TIE_BREAKS = 1000;

/**
 * A fixed number in [0, 1000) per node name (FNV-1a): nodes of equal occupancy get different
 * costs, so a scale-in of several pods takes all of one node's before the next node's (with
 * one cost for all, the controller's tie-breaks would take one pod from each). A hash, not a
 * rank among the nodes: a node joining or leaving changes no other node's cost.
 */
export function nodeTieBreak(nodeName: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < nodeName.length; i++) {
    hash ^= nodeName.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % TIE_BREAKS;
}

/**
 * The deletion cost of a pod on node `nodeName` running `podsOnNode` endpoint pods (itself
 * included): lowest on the least occupied node, all pods of a node alike.
 */
export function deletionCost(podsOnNode: number, nodeName: string): number {
  const pods = Math.max(0, Math.floor(podsOnNode));
  return Math.min(MAX_COST, pods * TIE_BREAKS + nodeTieBreak(nodeName));
}

/** Endpoint pods per node, stopped and unscheduled ones left out. */
export function podsPerNode(pods: readonly PackedPod[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const pod of pods) {
    if (pod.nodeName === null || pod.stopped) continue;
    counts.set(pod.nodeName, (counts.get(pod.nodeName) ?? 0) + 1);
  }
  return counts;
}

/**
 * The annotations to write so every scheduled, live pod carries its node's occupancy; only
 * those that differ, so a steady cluster costs no writes. Unscheduled pods go first on
 * scale-in anyway and are left alone.
 */
export function costPatches(pods: readonly PackedPod[]): CostPatch[] {
  const counts = podsPerNode(pods);
  const patches: CostPatch[] = [];
  for (const pod of pods) {
    if (pod.nodeName === null || pod.stopped) continue;
    const cost = String(deletionCost(counts.get(pod.nodeName) ?? 0, pod.nodeName));
    if (pod.currentCost !== cost) patches.push({ namespace: pod.namespace, name: pod.name, cost });
  }
  return patches;
}
