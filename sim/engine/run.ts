/**
 * One simulation run: one policy at one knob setting over a workload. Arrivals come from
 * the workload's sorted stream, everything else from the event heap; after the trace ends
 * the run continues until every request is served or dead-lettered (or six more hours
 * pass), and nodes are billed until then.
 */

import { ConfigError } from "../../functions/problems";
import { resolveQueueTiming, resolveScalingSettings, scalingConfig } from "../../functions/scaling/index";
import { BATCH_SLOWDOWN, DEFAULT_SPOT, type LifecycleDelays, NODE_PRICES } from "../constants";
import {
  type Knobs,
  type Policy,
  type PolicyEnv,
  type PolicyFactory,
  planningOf,
  replicasFor,
} from "../policies/types";
import type { PolicySeries, PolicySummary } from "../report/types";
import { printable } from "../text";
import type { Workload } from "../workload";
import { newEndpointMetrics, putPredicted } from "./cloudwatch";
import {
  caScan,
  drainNode,
  finishStopping,
  nodeReady,
  packerPass,
  podReady,
  reconcile,
  terminateNode,
  warmStart,
} from "./cluster";
import { applyActions, hpaSync, policyView, readyReplicas, sampleAges } from "./control";
import { EventHeap } from "./heap";
import { newHpaState } from "./hpa";
import { quantileIndex, quantileOf } from "./select";
import { gpuDone, offer } from "./serve";
import { burst, burstSchedule } from "./spot";
import { Ev, type Node, PodState, type Pool, type World } from "./world";

export interface RunOptions {
  seed: number;
  knobs: Knobs;
  lifecycle: LifecycleDelays;
  releaseOnSigterm: boolean;
  /** Whether the SLO bounds end-to-end latency (wait + service) instead of the queue wait. @default false */
  sloOnLatency?: boolean;
  /** Keep per-minute series and the waits (the final run of a policy, not the search's). */
  detail: boolean;
}

/** A run's figures: a summary row (before the cost-at-SLO search) plus what the report draws. */
export interface RunResult
  extends Omit<PolicySummary, "name" | "costAtSloUsd" | "costAtSloCi95" | "tunedKnobs" | "frontier"> {
  policy: string;
  knobs: Knobs;
  launchFailures: number;
  /** Total and per endpoint (when there are several), detail runs only. */
  series: PolicySeries[];
  /** Queue waits of the served requests, sorted (detail runs only). */
  waits: Float32Array;
}

const DRAIN_SECONDS = 6 * 3600;

export function poolPrice(
  pool: { name: string; capacityType: string; instanceTypes: string[]; pricePerNodeHour?: number },
  i: number,
): number {
  if (pool.pricePerNodeHour !== undefined) return pool.pricePerNodeHour;
  const known = NODE_PRICES[pool.instanceTypes[0] ?? ""];
  if (!known)
    throw new ConfigError("scenario", [
      {
        field: `pools[${i}].pricePerNodeHour`,
        rule: `is required for instance type ${printable(pool.instanceTypes[0] ?? "")} (list prices known for ${Object.keys(NODE_PRICES).join(", ")})`,
      },
    ]);
  return pool.capacityType === "spot" ? known.spot : known.onDemand;
}

const PRIORITY = (p: Pool) => (p.desc.capacityType === "spot" && !p.desc.fallback ? 0 : p.desc.fallback ? 2 : 1);

/** minReplicaCount for a knob setting: a share of the replicas the trace's mean load needs, at least the profile's. */
export function tunedMinReplicas(env: PolicyEnv, i: number): number {
  const e = env.workload.endpoints[i];
  if (!e) return 0;
  const meanWork = (e.cumWork[e.cumWork.length - 1] ?? 0) / env.workload.durationSeconds;
  const mean = replicasFor(meanWork, e.profile.concurrencyPerReplica, planningOf(env, i).slicesPerGpu);
  return Math.min(e.profile.maxReplicas, Math.max(e.profile.minReplicas, Math.ceil(env.knobs.minShare * mean - 1e-9)));
}

function createWorld(w: Workload, options: RunOptions, policy: Policy, env: PolicyEnv): World {
  const pools: Pool[] = w.scenario.pools.map(({ spot, ...desc }, index) => ({
    index,
    desc,
    price: poolPrice(desc, index),
    spot: { ...DEFAULT_SPOT, ...spot },
    desired: 0,
    nodes: [],
    zoneShortageUntil: new Float64Array({ ...DEFAULT_SPOT, ...spot }.zones),
    launchFailed: false,
    unfulfilledSince: -1,
    backoffUntil: 0,
    retryScheduled: false,
    burstTimes: [],
    launchFailures: 0,
  }));
  const world: World = {
    w,
    heap: new EventHeap(),
    now: 0,
    lifecycle: options.lifecycle,
    releaseOnSigterm: options.releaseOnSigterm,
    pools,
    eps: w.endpoints.map((e, i) => {
      const settings = resolveScalingSettings(e.configured);
      const queueLength = Math.max(1, Math.round(settings.queueLengthPerReplica / policy.sqsTargetDivisor));
      return {
        pods: [],
        idle: [],
        partial: [],
        queue: new Int32Array(1024),
        qHead: 0,
        qLen: 0,
        inFlight: 0,
        floor: 0,
        scaling: scalingConfig({
          endpointName: e.name,
          minReplicas: tunedMinReplicas(env, i),
          maxReplicas: e.profile.maxReplicas,
          settings: {
            ...settings,
            queueLengthPerReplica: queueLength,
            scaleDownStabilizationSeconds: policy.scaleDownWindowSeconds ?? settings.scaleDownStabilizationSeconds,
          },
        }),
        queueTiming: resolveQueueTiming(e.configured),
        hpa: newHpaState(),
        metrics: newEndpointMetrics(w.minutes + DRAIN_SECONDS / 60 + 2),
        slo: e.profile.sloSeconds,
        concurrency: e.profile.concurrencyPerReplica,
        poolIdx: e.pools
          .map((name) => pools.findIndex((p) => p.desc.name === name))
          .sort((a, b) => PRIORITY(pools[a] as Pool) - PRIORITY(pools[b] as Pool) || a - b),
      };
    }),
    gpus: [],
    nodes: [],
    replicas: [],
    recv: new Float64Array(w.time.length),
    done: new Uint8Array(w.time.length),
    receives: new Uint8Array(w.time.length),
    completed: 0,
    deadLettered: 0,
    withinSlo: 0,
    sloOnLatency: options.sloOnLatency === true,
    waits: new Float32Array(w.time.length),
    latencies: new Float32Array(w.time.length),
    signals: [],
    signalSeq: 0,
    interruptions: 0,
    nodeSeconds: new Float64Array(pools.length),
    endBilling: Number.POSITIVE_INFINITY,
    seed: options.seed,
    batchSlowdown: w.scenario.batchSlowdown ?? BATCH_SLOWDOWN,
    scaleInPacker: w.scenario.scaleInPacker ?? false,
    lastScaleUpAt: Number.NEGATIVE_INFINITY,
    afterStop: (rep) => finishStopping(world, rep),
  };
  return world;
}

function replaceOnRebalance(world: World, node: Node): void {
  node.cordoned = true;
  if (node.replacementLaunched) return;
  // EKS managed node groups launch a replacement when a spot node is told it is at risk.
  node.replacementLaunched = true;
  const pool = node.pool;
  if (pool.desired < pool.desc.maxNodes) {
    pool.desired++;
    reconcile(world, pool);
  }
}

function signal(world: World, node: Node, kind: "interruption-warning" | "rebalance-recommendation"): void {
  world.signals.push({
    id: `${kind}-${node.id}`,
    kind,
    pool: node.pool.desc.name,
    instanceId: `i-${node.id.toString(16).padStart(8, "0")}`,
    atMs: world.w.startMs + Math.round(world.now * 1000),
  });
}

function newSeries(policy: string, minutes: number, endpoint?: string): PolicySeries {
  const s: PolicySeries = {
    policy,
    tSeconds: Array.from({ length: minutes }, (_, m) => m * 60),
    demandRps: new Array(minutes).fill(0),
    replicas: new Array(minutes).fill(0),
    spotGpus: new Array(minutes).fill(0),
    onDemandGpus: new Array(minutes).fill(0),
    backlog: new Array(minutes).fill(0),
  };
  if (endpoint !== undefined) s.endpoint = endpoint;
  return s;
}

function sample(world: World, series: PolicySeries[], m: number): void {
  const total = series[0] as PolicySeries;
  const multi = series.length > 1;
  world.eps.forEach((ep, i) => {
    const demand = (world.w.endpoints[i]?.perMinute[m] ?? 0) / 60;
    const ready = readyReplicas(ep);
    total.demandRps[m] = (total.demandRps[m] as number) + demand;
    total.replicas[m] = (total.replicas[m] as number) + ready;
    total.backlog[m] = (total.backlog[m] as number) + ep.qLen + ep.inFlight;
    if (!multi) return;
    const s = series[i + 1] as PolicySeries;
    s.demandRps[m] = demand;
    s.replicas[m] = ready;
    s.backlog[m] = ep.qLen + ep.inFlight;
    for (const rep of ep.pods) {
      if (rep.state !== PodState.Ready || !rep.node) continue;
      const share = 1 / rep.node.pool.desc.slicesPerGpu;
      if (rep.node.pool.desc.capacityType === "spot") s.spotGpus[m] = (s.spotGpus[m] as number) + share;
      else s.onDemandGpus[m] = (s.onDemandGpus[m] as number) + share;
    }
  });
  for (const pool of world.pools) {
    const gpus = pool.nodes.length * pool.desc.gpusPerNode;
    if (pool.desc.capacityType === "spot") total.spotGpus[m] = (total.spotGpus[m] as number) + gpus;
    else total.onDemandGpus[m] = (total.onDemandGpus[m] as number) + gpus;
  }
}

function quantile(sorted: Float32Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[quantileIndex(sorted.length, q)] as number;
}

export function runPolicy(w: Workload, factory: PolicyFactory, options: RunOptions): RunResult {
  const env: PolicyEnv = { workload: w, lifecycle: options.lifecycle, knobs: options.knobs };
  const policy: Policy = factory(env);
  const world = createWorld(w, options, policy, env);
  const l = options.lifecycle;
  const heap = world.heap;
  warmStart(world, policy.initialReplicas);
  world.eps.forEach((ep, i) => {
    if (!policy.reactive) ep.floor = policy.initialReplicas[i] ?? 0;
    ep.hpa.recs.push(0, ep.pods.length);
  });
  for (const pool of world.pools) {
    pool.burstTimes = burstSchedule(options.seed, pool, w.durationSeconds);
    pool.burstTimes.forEach((t, i) => {
      heap.push(t, Ev.Burst, pool.index, i);
    });
  }
  heap.push(0, Ev.Minute, 0, 0);
  heap.push(l.caScanSeconds, Ev.CaScan, 0, 0);
  heap.push(l.hpaSyncSeconds, Ev.HpaSync, 0, 0);
  // The packer's clock is its own: half a period out of step with the HPA's.
  if (world.scaleInPacker) heap.push(l.packerIntervalSeconds / 2, Ev.PackerPass, 0, 0);
  const series = [newSeries(policy.name, w.minutes)];
  if (w.endpoints.length > 1) for (const e of w.endpoints) series.push(newSeries(policy.name, w.minutes, e.name));
  const total = w.time.length;
  const hardEnd = w.durationSeconds + DRAIN_SECONDS;
  const ev = { time: 0, kind: 0, id: 0, ver: 0 };
  let next = 0;
  let sampled = 0;
  for (;;) {
    const ta = next < total ? (w.time[next] as number) : Number.POSITIVE_INFINITY;
    const th = heap.peekTime();
    if (ta <= th) {
      world.now = ta;
      offer(world, next++);
      continue;
    }
    if (th > hardEnd || (th >= w.durationSeconds && world.completed + world.deadLettered === total)) break;
    heap.pop(ev);
    world.now = ev.time;
    switch (ev.kind) {
      case Ev.GpuDone: {
        const gpu = world.gpus[ev.id];
        if (gpu && gpu.version === ev.ver) gpuDone(world, gpu);
        break;
      }
      case Ev.HpaSync:
        hpaSync(world, policy);
        heap.push(world.now + l.hpaSyncSeconds, Ev.HpaSync, 0, 0);
        break;
      case Ev.CaScan:
        caScan(world, policy.ca);
        heap.push(world.now + l.caScanSeconds, Ev.CaScan, 0, 0);
        break;
      case Ev.Minute: {
        const m = Math.round(world.now / 60);
        if (m > 0 && m <= w.minutes) sample(world, series, m - 1);
        sampled = m;
        sampleAges(world);
        const view = policyView(world);
        if (policy.floors) {
          const floors = policy.floors(view);
          world.eps.forEach((ep, i) => {
            ep.floor = floors[i] ?? 0;
          });
        }
        if (policy.publish) {
          const values = policy.publish(view);
          world.eps.forEach((ep, i) => {
            putPredicted(ep.metrics, world.now, values[i] ?? 0);
          });
        }
        if (policy.rebalance) {
          applyActions(world, policy.rebalance(view, world.signals));
          world.signals.length = 0;
        }
        heap.push((m + 1) * 60, Ev.Minute, 0, 0);
        break;
      }
      case Ev.NodeReady: {
        const node = world.nodes[ev.id];
        if (node && node.version === ev.ver && !node.gone) nodeReady(world, node);
        break;
      }
      case Ev.PodReady: {
        const rep = world.replicas[ev.id];
        if (rep && rep.version === ev.ver && rep.state === PodState.Starting) podReady(world, rep);
        break;
      }
      case Ev.Redeliver: {
        const ep = world.eps[w.endpoint[ev.id] as number];
        if (ep) ep.inFlight--;
        offer(world, ev.id);
        break;
      }
      case Ev.RebalanceRec: {
        const node = world.nodes[ev.id];
        if (!node || node.interruptVersion !== ev.ver || node.gone) break;
        signal(world, node, "rebalance-recommendation");
        replaceOnRebalance(world, node);
        break;
      }
      case Ev.Notice: {
        const node = world.nodes[ev.id];
        if (!node || node.interruptVersion !== ev.ver || node.gone) break;
        world.interruptions++;
        signal(world, node, "interruption-warning");
        replaceOnRebalance(world, node);
        drainNode(world, node, world.releaseOnSigterm);
        break;
      }
      case Ev.Terminate: {
        const node = world.nodes[ev.id];
        if (!node || node.interruptVersion !== ev.ver || node.gone) break;
        node.pool.desired = Math.max(0, node.pool.desired - 1);
        terminateNode(world, node, world.releaseOnSigterm);
        reconcile(world, node.pool);
        break;
      }
      case Ev.LaunchRetry: {
        const pool = world.pools[ev.id] as Pool;
        pool.retryScheduled = false;
        reconcile(world, pool);
        break;
      }
      case Ev.Burst:
        burst(world, world.pools[ev.id] as Pool, ev.ver);
        break;
      case Ev.PackerPass:
        packerPass(world);
        heap.push(world.now + l.packerIntervalSeconds, Ev.PackerPass, 0, 0);
        break;
    }
    if (world.signals.length > 0) {
      if (policy.rebalance) applyActions(world, policy.rebalance(policyView(world), world.signals));
      world.signals.length = 0;
    }
  }
  for (let m = sampled; m < w.minutes; m++) sample(world, series, m);
  for (const node of world.nodes) {
    if (node.gone) continue;
    world.nodeSeconds[node.pool.index] =
      (world.nodeSeconds[node.pool.index] as number) +
      Math.max(0, Math.min(world.now, world.endBilling) - node.launchedAt);
  }
  let cost = 0;
  let gpuSeconds = 0;
  let spotGpuSeconds = 0;
  let launchFailures = 0;
  for (const pool of world.pools) {
    const s = world.nodeSeconds[pool.index] as number;
    cost += (s / 3600) * pool.price;
    gpuSeconds += s * pool.desc.gpusPerNode;
    if (pool.desc.capacityType === "spot") spotGpuSeconds += s * pool.desc.gpusPerNode;
    launchFailures += pool.launchFailures;
  }
  const waits = options.detail ? world.waits.slice(0, world.completed).sort() : new Float32Array(0);
  return {
    policy: policy.name,
    knobs: options.knobs,
    costUsd: cost,
    gpuHours: gpuSeconds / 3600,
    spotShare: gpuSeconds > 0 ? spotGpuSeconds / gpuSeconds : 0,
    sloAttainment: total > 0 ? world.withinSlo / total : 1,
    p50WaitSeconds: quantile(waits, 0.5),
    p99WaitSeconds: quantile(waits, 0.99),
    p99LatencySeconds: quantileOf(world.latencies.subarray(0, world.completed), 0.99),
    lostRequests: total - world.completed,
    deadLettered: world.deadLettered,
    interruptions: world.interruptions,
    launchFailures,
    series: options.detail ? series : [],
    waits,
  };
}
