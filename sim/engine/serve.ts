/**
 * Serving: SQS queues and replicas working on time-sliced GPUs.
 *
 * A GPU with k busy replicas gives each (1 - TIME_SLICE_OVERHEAD) / k of its throughput
 * (all of it when k = 1); a replica works on up to `concurrencyPerReplica` requests at
 * once, and with n of them each progresses at 1 / (1 + batchSlowdown × (n - 1)) of the
 * replica's share (the batching curve). So every request on one replica progresses at the
 * same rate, and a per-replica virtual clock turns finish times into one number per slot.
 */
import { TIME_SLICE_OVERHEAD } from "../../functions/contract";
import { receiveBatchSize, visibleAgainAt } from "../../functions/queue-worker";
import { type EndpointState, Ev, type Gpu, gpuRate, PodState, type Replica, type World } from "./world";

const EPS = 1e-9;

/** Seconds of solo work one request of a replica gets per second. */
function requestRate(world: World, gpu: Gpu, rep: Replica): number {
  return gpuRate(gpu.busy, TIME_SLICE_OVERHEAD) / (1 + world.batchSlowdown * (rep.busy - 1));
}

/** Brings every busy replica's clock on the GPU to t (before any rate changes). */
function advance(world: World, gpu: Gpu, t: number): void {
  // Several calls at one instant (completions, then polls) move no clock after the first.
  if (t === gpu.lastT) return;
  if (gpu.busy > 0) {
    const dt = t - gpu.lastT;
    for (const rep of gpu.replicas) if (rep.busy > 0) rep.v += dt * requestRate(world, gpu, rep);
  }
  gpu.lastT = t;
}

/** Schedules the GPU's next completion (and invalidates the previous one). */
function reschedule(world: World, gpu: Gpu): void {
  gpu.version++;
  if (gpu.busy === 0) return;
  let soonest = Number.POSITIVE_INFINITY;
  for (const rep of gpu.replicas) {
    if (rep.busy === 0) continue;
    const f = rep.finishV;
    const s = rep.slots;
    let min = Number.POSITIVE_INFINITY;
    for (let j = 0; j < s.length; j++) if ((s[j] as number) >= 0 && (f[j] as number) < min) min = f[j] as number;
    soonest = Math.min(soonest, Math.max(0, min - rep.v) / requestRate(world, gpu, rep));
  }
  world.heap.push(world.now + soonest, Ev.GpuDone, gpu.id, gpu.version);
}

function removeFromList(ep: EndpointState, rep: Replica): void {
  if (rep.list === 0) return;
  const list = rep.list === 1 ? ep.idle : ep.partial;
  const last = list.pop() as Replica;
  if (last !== rep) {
    list[rep.listIdx] = last;
    last.listIdx = rep.listIdx;
  }
  rep.list = 0;
}

/** Takes a replica off the idle and partial lists: it gets no new message. */
export function unlist(world: World, rep: Replica): void {
  removeFromList(world.eps[rep.ep] as EndpointState, rep);
}

/** Puts a replica into the idle or partial list that matches its load. */
export function relist(world: World, rep: Replica): void {
  const ep = world.eps[rep.ep] as EndpointState;
  const want = rep.state !== PodState.Ready ? 0 : rep.busy === 0 ? 1 : rep.busy < rep.slots.length ? 2 : 0;
  if (want === rep.list) return;
  removeFromList(ep, rep);
  if (want === 0) return;
  const list = want === 1 ? ep.idle : ep.partial;
  rep.list = want;
  rep.listIdx = list.length;
  list.push(rep);
}

function startOn(world: World, rep: Replica, req: number): void {
  const gpu = rep.gpu as Gpu;
  advance(world, gpu, world.now);
  let j = 0;
  while ((rep.slots[j] as number) >= 0) j++;
  rep.slots[j] = req;
  rep.finishV[j] = rep.v + (world.w.work[req] as number);
  if (rep.busy++ === 0) gpu.busy++;
  world.recv[req] = world.now;
  world.receives[req] = (world.receives[req] as number) + 1;
  (world.eps[rep.ep] as EndpointState).inFlight++;
}

/** A free replica for a new message: one on an idle GPU, else one with a free slot, else the least shared. */
function pick(ep: EndpointState): Replica | null {
  const idle = ep.idle;
  const n = idle.length;
  const scan = Math.max(0, n - 8);
  for (let i = n - 1; i >= scan; i--) if ((idle[i] as Replica).gpu?.busy === 0) return idle[i] as Replica;
  if (ep.partial.length > 0) return ep.partial[ep.partial.length - 1] as Replica;
  let best: Replica | null = null;
  for (let i = n - 1; i >= scan; i--) {
    const r = idle[i] as Replica;
    if (best === null || (r.gpu as Gpu).busy < (best.gpu as Gpu).busy) best = r;
  }
  return best;
}

function pushQueue(ep: EndpointState, req: number): void {
  if (ep.qLen === ep.queue.length) {
    const bigger = new Int32Array(ep.queue.length * 2);
    for (let i = 0; i < ep.qLen; i++) bigger[i] = ep.queue[(ep.qHead + i) % ep.queue.length] as number;
    ep.queue = bigger;
    ep.qHead = 0;
  }
  ep.queue[(ep.qHead + ep.qLen) % ep.queue.length] = req;
  ep.qLen++;
}

function popQueue(ep: EndpointState): number {
  const req = ep.queue[ep.qHead] as number;
  ep.qHead = (ep.qHead + 1) % ep.queue.length;
  ep.qLen--;
  return req;
}

/** The oldest visible message's arrival time (Infinity when the queue is empty). */
export function oldestVisible(world: World, ep: EndpointState): number {
  return ep.qLen > 0 ? (world.w.time[ep.queue[ep.qHead] as number] as number) : Number.POSITIVE_INFINITY;
}

/**
 * A message becomes visible (sent, or back after a release or the visibility timeout); one
 * received maxReceiveCount times already goes to the dead-letter queue instead.
 */
export function offer(world: World, req: number): void {
  const ep = world.eps[world.w.endpoint[req] as number] as EndpointState;
  if ((world.receives[req] as number) >= ep.queueTiming.maxReceiveCount) {
    world.deadLettered++;
    return;
  }
  const rep = ep.qLen === 0 ? pick(ep) : null;
  if (rep === null) {
    pushQueue(ep, req);
    return;
  }
  startOn(world, rep, req);
  relist(world, rep);
  reschedule(world, rep.gpu as Gpu);
}

/** A ready replica long-polls: it takes visible messages until its slots are full. */
export function pull(world: World, rep: Replica): void {
  const ep = world.eps[rep.ep] as EndpointState;
  if (rep.state !== PodState.Ready || ep.qLen === 0 || rep.busy === rep.slots.length) return;
  // The worker sidecar's rule: receive while a slot is free (its batches of at most 10 are instantaneous here).
  while (ep.qLen > 0 && receiveBatchSize(rep.slots.length, rep.busy) > 0) startOn(world, rep, popQueue(ep));
  relist(world, rep);
  reschedule(world, rep.gpu as Gpu);
}

/** Completions on one GPU: delete the messages, record waits, let the replicas poll again. */
export function gpuDone(world: World, gpu: Gpu): void {
  advance(world, gpu, world.now);
  for (const rep of gpu.replicas) {
    if (rep.busy === 0) continue;
    const ep = world.eps[rep.ep] as EndpointState;
    const limit = rep.v + EPS;
    for (let j = 0; j < rep.slots.length; j++) {
      const req = rep.slots[j] as number;
      if (req < 0 || (rep.finishV[j] as number) > limit) continue;
      rep.slots[j] = -1;
      if (--rep.busy === 0) gpu.busy--;
      ep.inFlight--;
      const wait = (world.recv[req] as number) - (world.w.time[req] as number);
      const latency = world.now - (world.w.time[req] as number);
      world.waits[world.completed] = wait;
      world.latencies[world.completed++] = latency;
      if ((world.sloOnLatency ? latency : wait) <= ep.slo + EPS) world.withinSlo++;
      world.done[req] = 1;
    }
  }
  // Polling after all completions keeps the order of the replicas' list irrelevant to the outcome.
  // Allocated only when a replica stops: completions are the engine's most frequent event.
  let stopped: Replica[] | null = null;
  for (const rep of gpu.replicas) {
    if (rep.state === PodState.Ready) {
      const ep = world.eps[rep.ep] as EndpointState;
      while (ep.qLen > 0 && receiveBatchSize(rep.slots.length, rep.busy) > 0) startOn(world, rep, popQueue(ep));
    } else if (rep.state === PodState.Stopping && rep.busy === 0) {
      if (stopped === null) stopped = [];
      stopped.push(rep);
    }
    relist(world, rep);
  }
  if (stopped) for (const rep of stopped) world.afterStop(rep);
  reschedule(world, gpu);
}

/**
 * Takes a replica's in-flight messages away: visible at once when the worker releases them
 * on SIGTERM, else after the visibility timeout counted from their receipt (the sidecar's
 * rules, functions/queue-worker.ts).
 */
export function releaseAll(world: World, rep: Replica, immediate: boolean): void {
  if (rep.busy === 0) return;
  const gpu = rep.gpu as Gpu;
  advance(world, gpu, world.now);
  const ep = world.eps[rep.ep] as EndpointState;
  const back: number[] = [];
  for (let j = 0; j < rep.slots.length; j++) {
    const req = rep.slots[j] as number;
    if (req < 0) continue;
    rep.slots[j] = -1;
    if (immediate) {
      ep.inFlight--;
      back.push(req);
    } else {
      // Still in flight for SQS until the timeout runs out; the Redeliver event makes it visible.
      const visibleAt = visibleAgainAt(
        world.recv[req] as number,
        world.now,
        ep.queueTiming.visibilityTimeoutSeconds,
        false,
      );
      world.heap.push(visibleAt, Ev.Redeliver, req, 0);
    }
  }
  rep.busy = 0;
  gpu.busy--;
  relist(world, rep);
  reschedule(world, gpu);
  for (const req of back) offer(world, req);
}
