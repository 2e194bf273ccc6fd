/**
 * The Kubernetes and EC2 side: Deployment replicas (pods), the scheduler, node groups
 * (Auto Scaling desired capacity, launches across zones and launch failures) and the Cluster
 * Autoscaler (scan, priority expander, fail-fast on insufficient capacity, scale-down delay
 * after a scale-up, unneeded-node removal, provisioning give-up).
 */
import { deletionCost } from "../../functions/packing";
import { pull, releaseAll, relist, unlist } from "./serve";
import { scheduleIndependentInterruption } from "./spot";
import { type EndpointState, Ev, type Node, PodState, type Pool, type Replica, type World } from "./world";

/** The Cluster Autoscaler settings a policy is tuned with. */
export interface CaOptions {
  /** --scale-down-unneeded-time. */
  unneededSeconds: number;
}

export function slotsPerNode(pool: Pool): number {
  return pool.desc.gpusPerNode * pool.desc.slicesPerGpu;
}

function newReplica(world: World, ep: number): Replica {
  const c = (world.eps[ep] as EndpointState).concurrency;
  const rep: Replica = {
    id: world.replicas.length,
    ep,
    state: PodState.Pending,
    node: null,
    gpu: null,
    slots: new Int32Array(c).fill(-1),
    v: 0,
    finishV: new Float64Array(c),
    busy: 0,
    list: 0,
    listIdx: 0,
    version: 0,
    deletionCost: 0,
  };
  world.replicas.push(rep);
  (world.eps[ep] as EndpointState).pods.push(rep);
  return rep;
}

/** The zone an Auto Scaling group launches in: the one with the fewest nodes that has capacity; -1 when none has. */
function launchZone(world: World, pool: Pool, warm: boolean): number {
  const zones = pool.spot.zones;
  const perZone = new Array<number>(zones).fill(0);
  for (const n of pool.nodes) perZone[n.zone] = (perZone[n.zone] as number) + 1;
  const spot = pool.desc.capacityType === "spot" && !warm;
  let zone = -1;
  for (let z = 0; z < zones; z++) {
    if (spot && world.now < (pool.zoneShortageUntil[z] as number)) continue;
    if (zone < 0 || (perZone[z] as number) < (perZone[zone] as number)) zone = z;
  }
  return zone;
}

/** Launches a node, or returns null when every zone of the pool lacks capacity. */
export function launchNode(world: World, pool: Pool, warm: boolean): Node | null {
  const zone = launchZone(world, pool, warm);
  if (zone < 0) return null;
  const node: Node = {
    id: world.nodes.length,
    pool,
    zone,
    booting: !warm,
    gone: false,
    cordoned: false,
    launchedAt: world.now,
    gpus: [],
    replicas: [],
    slots: slotsPerNode(pool),
    images: new Set(),
    emptySince: warm ? world.now : -1,
    recAt: Number.POSITIVE_INFINITY,
    noticeAt: Number.POSITIVE_INFINITY,
    terminateAt: Number.POSITIVE_INFINITY,
    replacementLaunched: false,
    version: 0,
    interruptVersion: 0,
  };
  for (let g = 0; g < pool.desc.gpusPerNode; g++) {
    const gpu = { id: world.gpus.length, node, replicas: [], busy: 0, lastT: world.now, version: 0 };
    world.gpus.push(gpu);
    node.gpus.push(gpu);
  }
  world.nodes.push(node);
  pool.nodes.push(node);
  if (!warm) {
    const l = world.lifecycle;
    world.heap.push(world.now + l.nodeBootSeconds + l.devicePluginSeconds, Ev.NodeReady, node.id, node.version);
  }
  if (pool.desc.capacityType === "spot") scheduleIndependentInterruption(world, node);
  return node;
}

/** Binds a pod to a node: the GPU with the fewest replicas, image pull unless cached, model load. */
function place(world: World, rep: Replica, node: Node, warm: boolean): void {
  let gpu = node.gpus[0];
  for (const g of node.gpus) if (gpu === undefined || g.replicas.length < gpu.replicas.length) gpu = g;
  if (gpu === undefined) return;
  rep.node = node;
  rep.gpu = gpu;
  gpu.replicas.push(rep);
  node.replicas.push(rep);
  node.emptySince = -1;
  if (warm) {
    node.images.add(rep.ep);
    rep.state = PodState.Ready;
    relist(world, rep);
    return;
  }
  const pullSeconds = node.images.has(rep.ep) ? 0 : world.lifecycle.imagePullSeconds;
  node.images.add(rep.ep);
  rep.state = PodState.Starting;
  const load = world.w.endpoints[rep.ep]?.profile.modelLoadSeconds ?? 0;
  world.heap.push(world.now + pullSeconds + load, Ev.PodReady, rep.id, rep.version);
}

function fits(node: Node): boolean {
  return !node.booting && !node.gone && !node.cordoned && node.replicas.length < node.slots;
}

/**
 * kube-scheduler as ModelEndpoint's pods meet it: the preferred (spot) pools first (node
 * affinity, weight 100), then the node with the fewest replicas of the endpoint (topology
 * spread by hostname), then the least allocated one (NodeResourcesFit's default scoring).
 */
export function schedulePending(world: World): void {
  for (const ep of world.eps) {
    for (const rep of ep.pods) {
      if (rep.state !== PodState.Pending) continue;
      let best: Node | null = null;
      let bestScore = Number.POSITIVE_INFINITY;
      for (const p of ep.poolIdx) {
        const pool = world.pools[p] as Pool;
        const preference = pool.desc.capacityType === "spot" ? 0 : 1;
        for (const node of pool.nodes) {
          if (!fits(node)) continue;
          const score = preference * 1e6 + replicasOf(node, rep.ep) * 1e3 + node.replicas.length;
          if (score < bestScore) {
            best = node;
            bestScore = score;
          }
        }
      }
      if (best === null) break;
      place(world, rep, best, false);
    }
  }
}

export function podReady(world: World, rep: Replica): void {
  rep.state = PodState.Ready;
  relist(world, rep);
  pull(world, rep);
}

export function nodeReady(world: World, node: Node): void {
  node.booting = false;
  node.emptySince = world.now;
  schedulePending(world);
}

function detach(world: World, rep: Replica): void {
  const node = rep.node;
  const gpu = rep.gpu;
  if (gpu) gpu.replicas.splice(gpu.replicas.indexOf(rep), 1);
  if (node) {
    node.replicas.splice(node.replicas.indexOf(rep), 1);
    if (node.replicas.length === 0) node.emptySince = world.now;
  }
  rep.node = null;
  rep.gpu = null;
  rep.state = PodState.Gone;
  rep.version++;
}

function dropFromDeployment(world: World, rep: Replica): void {
  const pods = (world.eps[rep.ep] as EndpointState).pods;
  const i = pods.indexOf(rep);
  if (i >= 0) pods.splice(i, 1);
}

/** A replica scaled in while busy: called once it has finished its last request. */
export function finishStopping(world: World, rep: Replica): void {
  detach(world, rep);
}

/** Pod deleted from under the Deployment (drain, node loss): its work goes back, a new pod is created. */
export function evict(world: World, rep: Replica, immediate: boolean): void {
  const wasActive = rep.state !== PodState.Stopping;
  rep.state = PodState.Gone;
  relist(world, rep);
  releaseAll(world, rep, immediate);
  detach(world, rep);
  if (wasActive) {
    dropFromDeployment(world, rep);
    newReplica(world, rep.ep);
  }
}

/**
 * Sets an endpoint's Deployment replicas. Scale-in deletes pods in the ReplicaSet
 * controller's order: pending, then not ready, then (with the scale-in packer) those on the
 * least occupied nodes, then those on the nodes with the most replicas of the endpoint,
 * newest first. A busy one finishes its requests first.
 */
export function setReplicas(world: World, epIdx: number, desired: number): void {
  const ep = world.eps[epIdx] as EndpointState;
  let n = ep.pods.length;
  if (desired > n) {
    while (n++ < desired) newReplica(world, epIdx);
    schedulePending(world);
    return;
  }
  while (n > desired) {
    let victim: Replica | null = null;
    let score = Number.NEGATIVE_INFINITY;
    for (const rep of ep.pods) {
      const s = deletionRank(rep);
      if (s > score || (s === score && victim !== null && rep.id > victim.id)) {
        score = s;
        victim = rep;
      }
    }
    if (victim === null) return;
    dropFromDeployment(world, victim);
    n--;
    if (victim.state === PodState.Ready && victim.busy > 0) {
      victim.state = PodState.Stopping;
      relist(world, victim);
    } else {
      detach(world, victim);
      relist(world, victim);
    }
  }
}

/**
 * Higher goes first: unscheduled, then starting, then ready pods by their deletion cost
 * (lowest first: the packer's last pass, 0 without it), then by their endpoint's replicas
 * on the node. Weighted sums: a node holds under 1000 pods, so no term reaches the one above it.
 */
function deletionRank(rep: Replica): number {
  if (rep.state === PodState.Pending) return 2e9;
  if (rep.state === PodState.Starting) return 1e9;
  return -rep.deletionCost * 1e3 + replicasOf(rep.node as Node, rep.ep);
}

/** The node's name as the packer would see it: stable for the node's life. */
function nodeName(node: Node): string {
  return `ip-node-${node.id}`;
}

/**
 * One pass of the scale-in packer (`gpufleet packer`): every live pod on a node gets the
 * packer's cost for the node (`deletionCost`: its live pods in thousands plus the node's
 * tie-break). Between passes the costs go stale, as they do in a cluster.
 */
export function packerPass(world: World): void {
  // The pools hold only the nodes still up; world.nodes keeps every node ever launched.
  for (const pool of world.pools) {
    for (const node of pool.nodes) packNode(node);
  }
}

function packNode(node: Node): void {
  let live = 0;
  for (const r of node.replicas) if (r.state !== PodState.Stopping) live++;
  const cost = deletionCost(live, nodeName(node));
  for (const r of node.replicas) if (r.state !== PodState.Stopping) r.deletionCost = cost;
}

/** The endpoint's replicas on a node: what its topology spread and the ReplicaSet's ranking count. */
function replicasOf(node: Node, ep: number): number {
  let n = 0;
  for (const r of node.replicas) if (r.ep === ep) n++;
  return n;
}

/**
 * Evicts every pod of a node. They get SIGTERM together and none receives again, so none
 * may take a message a sibling releases: evicted one by one, a released message went from
 * pod to pod of the node, a receive each, into the dead-letter queue.
 */
export function drainNode(world: World, node: Node, immediate: boolean): void {
  const pods = [...node.replicas];
  for (const rep of pods) unlist(world, rep);
  for (const rep of pods) evict(world, rep, immediate);
}

/** Node gone (scale-in or interruption): pods drained first; billing stops. */
export function terminateNode(world: World, node: Node, immediate: boolean): void {
  if (node.gone) return;
  drainNode(world, node, immediate);
  node.gone = true;
  node.version++;
  const end = Math.min(world.now, world.endBilling);
  world.nodeSeconds[node.pool.index] =
    (world.nodeSeconds[node.pool.index] as number) + Math.max(0, end - node.launchedAt);
  const pool = node.pool;
  pool.nodes.splice(pool.nodes.indexOf(node), 1);
  schedulePending(world);
}

/** Auto Scaling: launch or terminate nodes until the group matches its desired capacity. */
export function reconcile(world: World, pool: Pool): void {
  while (pool.nodes.length < pool.desired) {
    if (launchNode(world, pool, false) === null) {
      pool.launchFailures++;
      pool.launchFailed = true;
      world.signals.push({
        id: `launch-failure-${pool.index}-${world.signalSeq++}`,
        kind: "launch-failure",
        pool: pool.desc.name,
        atMs: world.w.startMs + world.now * 1000,
      });
      if (!pool.retryScheduled) {
        pool.retryScheduled = true;
        world.heap.push(world.now + 60, Ev.LaunchRetry, pool.index, 0);
      }
      return;
    }
  }
  while (pool.nodes.length > pool.desired) {
    let victim: Node | null = null;
    for (const node of pool.nodes) {
      if (
        victim === null ||
        node.replicas.length < victim.replicas.length ||
        (node.replicas.length === victim.replicas.length && node.id > victim.id)
      )
        victim = node;
    }
    if (victim === null) return;
    terminateNode(world, victim, true);
  }
}

/** One Cluster Autoscaler scan. */
export function caScan(world: World, ca: CaOptions): void {
  const now = world.now;
  const l = world.lifecycle;
  const upcoming = new Map<Pool, number>();
  for (const pool of world.pools) {
    if (pool.desired > pool.nodes.length) {
      if (pool.unfulfilledSince < 0) pool.unfulfilledSince = now;
      // On InsufficientInstanceCapacity the AWS provider gives up at once (kubernetes/autoscaler
      // PR #4489), otherwise after --max-node-provision-time.
      if (pool.launchFailed || now - pool.unfulfilledSince >= l.caMaxProvisionSeconds) {
        pool.desired = pool.nodes.length;
        pool.backoffUntil = now + l.caBackoffSeconds;
        pool.unfulfilledSince = -1;
        pool.launchFailed = false;
      }
    } else {
      pool.unfulfilledSince = -1;
      pool.launchFailed = false;
    }
    let free = Math.max(0, pool.desired - pool.nodes.length) * slotsPerNode(pool);
    for (const node of pool.nodes) if (node.booting && !node.cordoned) free += node.slots - node.replicas.length;
    upcoming.set(pool, free);
  }
  for (const ep of world.eps) {
    let pending = 0;
    for (const rep of ep.pods) if (rep.state === PodState.Pending) pending++;
    for (const p of ep.poolIdx) {
      if (pending === 0) break;
      const pool = world.pools[p] as Pool;
      const take = Math.min(pending, upcoming.get(pool) ?? 0);
      upcoming.set(pool, (upcoming.get(pool) ?? 0) - take);
      pending -= take;
    }
    for (const p of ep.poolIdx) {
      if (pending === 0) break;
      const pool = world.pools[p] as Pool;
      if (now < pool.backoffUntil || pool.desired >= pool.desc.maxNodes) continue;
      const per = slotsPerNode(pool);
      const add = Math.min(Math.ceil(pending / per), pool.desc.maxNodes - pool.desired);
      pool.desired += add;
      world.lastScaleUpAt = now;
      upcoming.set(pool, (upcoming.get(pool) ?? 0) + add * per - Math.min(pending, add * per));
      pending = Math.max(0, pending - add * per);
      reconcile(world, pool);
    }
  }
  if (now - world.lastScaleUpAt < l.caScaleDownDelayAfterAddSeconds) return;
  for (const pool of world.pools) {
    for (const node of [...pool.nodes]) {
      if (pool.nodes.length <= pool.desc.minNodes) break;
      if (node.booting || node.cordoned || node.replicas.length > 0 || node.emptySince < 0) continue;
      if (now - node.emptySince < ca.unneededSeconds) continue;
      pool.desired = Math.max(0, pool.desired - 1);
      terminateNode(world, node, true);
    }
  }
}

/** Every policy starts warm: nodes up, images pulled, replicas serving. */
export function warmStart(world: World, replicas: number[]): void {
  replicas.forEach((count, epIdx) => {
    const ep = world.eps[epIdx] as EndpointState;
    for (let i = 0; i < count; i++) {
      const rep = newReplica(world, epIdx);
      let target: Node | null = null;
      for (const p of ep.poolIdx) {
        const pool = world.pools[p] as Pool;
        target = pool.nodes.find((n) => n.replicas.length < n.slots) ?? null;
        if (target) break;
        if (pool.nodes.length < pool.desc.maxNodes) {
          target = launchNode(world, pool, true);
          if (target) break;
        }
      }
      if (target) place(world, rep, target, true);
    }
  });
  for (const pool of world.pools) {
    while (pool.nodes.length < pool.desc.minNodes) if (launchNode(world, pool, true) === null) break;
    pool.desired = pool.nodes.length;
  }
  for (const rep of world.replicas) if (rep.state === PodState.Ready) pull(world, rep);
}
