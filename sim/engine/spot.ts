/**
 * The spot market: per-node independent interruptions, zone-wide bursts, and the
 * capacity shortage that follows a burst in that zone (launches there fail with
 * InsufficientInstanceCapacity; the Auto Scaling group launches in its other zones).
 * Each interruption goes rebalance recommendation -> 2-minute notice -> termination.
 */
import { SPOT_NOTICE_SECONDS } from "../../functions/contract";
import { Rng, streamSeed } from "./prng";
import { Ev, type Node, type Pool, type World } from "./world";

const MONTH_SECONDS = 30 * 86400;

/** Sets (or brings forward) a node's interruption and schedules its three events. */
export function setInterruption(world: World, node: Node, recAt: number, noticeAt: number): void {
  if (noticeAt >= node.noticeAt) return;
  node.interruptVersion++;
  node.recAt = Math.max(world.now, Math.min(recAt, noticeAt));
  node.noticeAt = noticeAt;
  node.terminateAt = noticeAt + SPOT_NOTICE_SECONDS;
  const horizon = world.endBilling + 6 * 3600;
  if (node.recAt > horizon) return;
  world.heap.push(node.recAt, Ev.RebalanceRec, node.id, node.interruptVersion);
  world.heap.push(node.noticeAt, Ev.Notice, node.id, node.interruptVersion);
  world.heap.push(node.terminateAt, Ev.Terminate, node.id, node.interruptVersion);
}

/** Draws the node's own interruption time (exponential, the pool's monthly rate) at launch. */
export function scheduleIndependentInterruption(world: World, node: Node): void {
  const rate = node.pool.spot.interruptionsPerNodeMonth / MONTH_SECONDS;
  if (rate <= 0) return;
  const rng = new Rng(streamSeed(world.seed, "node", node.pool.index, node.id));
  const terminateAt = world.now + rng.exponential(rate);
  const noticeAt = Math.max(world.now, terminateAt - SPOT_NOTICE_SECONDS);
  setInterruption(world, node, noticeAt - rng.next() * node.pool.spot.rebalanceLeadMaxSeconds, noticeAt);
}

/** Burst times of one spot pool: a Poisson process, the same for every policy of a run. */
export function burstSchedule(seed: number, pool: Pool, durationSeconds: number): number[] {
  const rate = pool.spot.burstsPerDay / 86400;
  if (pool.desc.capacityType !== "spot" || rate <= 0) return [];
  const rng = new Rng(streamSeed(seed, "bursts", pool.desc.name));
  const times: number[] = [];
  for (let t = rng.exponential(rate); t < durationSeconds; t += rng.exponential(rate)) times.push(t);
  return times;
}

/** A burst: one zone loses a share of its nodes within minutes, and the pool cannot launch for a while. */
export function burst(world: World, pool: Pool, index: number): void {
  const rng = new Rng(streamSeed(world.seed, "burst", pool.desc.name, index));
  const zone = Math.floor(rng.next() * pool.spot.zones);
  pool.zoneShortageUntil[zone] = Math.max(
    pool.zoneShortageUntil[zone] as number,
    world.now + pool.spot.shortageSeconds,
  );
  for (const node of pool.nodes) {
    const hit = rng.next() < pool.spot.burstShare;
    const rec = world.now + rng.next() * pool.spot.burstSpreadSeconds;
    const lead = rng.next() * pool.spot.rebalanceLeadMaxSeconds;
    if (node.zone === zone && hit) setInterruption(world, node, rec, rec + lead);
  }
}
