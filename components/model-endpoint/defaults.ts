import {
  type CapacityType,
  type EndpointProfile,
  type PriorityTier,
  SPOT_NOTICE_SECONDS,
  type TokenCostModel,
} from "../../functions/contract";
import {
  backlogPerReplica,
  QUEUE_DEFAULTS,
  resolveQueueTiming,
  resolveScalingSettings,
  SCALING_DEFAULTS,
  type ScalingSettings,
} from "../../functions/scaling/index";
import { type SliceShare, sliceShare } from "../gpu-cluster/allocatable";
import type { ClusterRef, GpuPoolInfo } from "../types";
import type { ModelEndpointArgs, ModelEndpointProfileArgs } from "./args";

/** Every default of ModelEndpoint, in one place. */
export const MODEL_ENDPOINT_DEFAULTS = {
  namespace: "default",
  awaitReady: false,
  tier: "standard" as PriorityTier,
  concurrencyPerReplica: 1,
  minReplicas: 1,
  maxReplicas: 10,
  ...QUEUE_DEFAULTS,
  retentionSeconds: 4 * 24 * 3600,
  dlqRetentionSeconds: 14 * 24 * 3600,
  /** Long polling: fewer empty receives, and a worker waits for work instead of spinning. */
  receiveWaitTimeSeconds: 20,
  /**
   * Grace period when a spot pool is allowed: 30 s short of the 2-minute notice, so the pod has
   * exited before EC2 reclaims the node even when the drain starts a little late.
   */
  spotGracePeriodSeconds: SPOT_NOTICE_SECONDS - 30,
  /** On on-demand-only endpoints a replica may finish its longest request, plus this margin. */
  onDemandGraceMarginSeconds: 30,
  ...SCALING_DEFAULTS,
  alarmsEnabled: true,
  createTopic: false,
  oldestMessageSloMultiple: 3,
  stalledMinutes: 15,
} as const;

/** Plain, fully defaulted settings of one endpoint: what the resources are built from. */
export interface ResolvedModelEndpoint {
  endpointName: string;
  namespace: string;
  image: string;
  /** CPU request: the argument, or the smallest per-slice share of the allowed pools; undefined when neither is known. */
  cpu: string | undefined;
  /** Memory request and limit, likewise. */
  memory: string | undefined;
  /** Wait for the Deployment's pods to be ready during `pulumi up`. */
  awaitReady: boolean;
  gpuMemoryMiB: number;
  tier: PriorityTier;
  pools: {
    name: string;
    capacityType: CapacityType;
    fallback: boolean;
    gpuMemoryMiBPerSlice: number;
    /** CPU and memory one slice of the pool's smallest node may request; undefined for unknown instance types. */
    share: SliceShare | undefined;
  }[];
  /** True when any allowed pool is a spot pool. */
  mayRunOnSpot: boolean;
  profile: EndpointProfile;
  queue: {
    name: string;
    dlqName: string;
    maxProcessingSeconds: number;
    visibilityTimeoutSeconds: number;
    maxReceiveCount: number;
    retentionSeconds: number;
    dlqRetentionSeconds: number;
    receiveWaitTimeSeconds: number;
  };
  results?: { bucketName: string; prefix: string };
  scaling: ScalingSettings;
  terminationGracePeriodSeconds: number;
  alarms: {
    enabled: boolean;
    createTopic: boolean;
    oldestMessageSloMultiple: number;
    stalledMinutes: number;
  };
}

/** The profile with its defaults applied. */
export function resolveProfile(profile: ModelEndpointProfileArgs): EndpointProfile {
  const resolved: EndpointProfile = {
    secondsPerRequest: profile.secondsPerRequest,
    concurrencyPerReplica: profile.concurrencyPerReplica ?? MODEL_ENDPOINT_DEFAULTS.concurrencyPerReplica,
    modelLoadSeconds: profile.modelLoadSeconds,
    sloSeconds: profile.sloSeconds,
    minReplicas: profile.minReplicas ?? MODEL_ENDPOINT_DEFAULTS.minReplicas,
    maxReplicas: profile.maxReplicas ?? MODEL_ENDPOINT_DEFAULTS.maxReplicas,
  };
  if (profile.tokenCost) resolved.tokenCost = { ...profile.tokenCost } satisfies TokenCostModel;
  return resolved;
}

/** The SQS target per replica (defined with the rest of the scaling configuration). */
export { backlogPerReplica };

/**
 * A ModelEndpoint's arguments as validation reads them: everything but the cluster, of which
 * only the queue-name prefix (the pools are passed beside).
 */
export type EndpointSettings = Omit<ModelEndpointArgs, "cluster"> & { cluster?: Pick<ClusterRef, "queueNamePrefix"> };

/** Applies every default to args whose individual values were already checked. */
export function resolveModelEndpoint(
  name: string,
  args: EndpointSettings,
  clusterPools: readonly GpuPoolInfo[],
): ResolvedModelEndpoint {
  const d = MODEL_ENDPOINT_DEFAULTS;
  const endpointName = args.endpointName ?? name;
  const profile = resolveProfile(args.profile);
  const poolNames = args.pools ?? clusterPools.map((p) => p.name);
  const pools = poolNames.flatMap((poolName) => {
    const pool = clusterPools.find((p) => p.name === poolName);
    return pool
      ? [
          {
            name: pool.name,
            capacityType: pool.capacityType,
            fallback: pool.fallback,
            gpuMemoryMiBPerSlice: pool.gpuMemoryMiBPerSlice,
            share: sliceShare(pool),
          },
        ]
      : [];
  });
  const shares = pools.map((p) => p.share);
  const known = shares.every((share) => share !== undefined) && shares.length > 0;
  const derived = (pick: (share: SliceShare) => number) =>
    known ? Math.min(...shares.map((share) => pick(share as SliceShare))) : undefined;
  const cpuShare = derived((share) => share.cpuMillis);
  const memoryShare = derived((share) => share.memoryMiB);
  const mayRunOnSpot = pools.some((p) => p.capacityType === "spot");
  // The cluster's prefix, so the KEDA operator's role (scoped to the prefix) may read the queue.
  const queueName = args.queue?.name ?? `${args.cluster?.queueNamePrefix ?? ""}${endpointName}`;
  const { maxProcessingSeconds, visibilityTimeoutSeconds, maxReceiveCount } = resolveQueueTiming(
    profile,
    args.queue ?? {},
  );
  const terminationGracePeriodSeconds =
    args.terminationGracePeriodSeconds ??
    (mayRunOnSpot
      ? d.spotGracePeriodSeconds
      : Math.max(d.spotGracePeriodSeconds, maxProcessingSeconds + d.onDemandGraceMarginSeconds));
  const resolved: ResolvedModelEndpoint = {
    endpointName,
    namespace: args.namespace ?? d.namespace,
    image: args.image,
    cpu: args.cpu ?? (cpuShare !== undefined ? `${cpuShare}m` : undefined),
    memory: args.memory ?? (memoryShare !== undefined ? `${memoryShare}Mi` : undefined),
    awaitReady: args.awaitReady ?? d.awaitReady,
    gpuMemoryMiB: Math.ceil(args.gpuMemoryGiB * 1024),
    tier: args.tier ?? d.tier,
    pools,
    mayRunOnSpot,
    profile,
    queue: {
      name: queueName,
      dlqName: `${queueName}-dlq`,
      maxProcessingSeconds,
      visibilityTimeoutSeconds,
      maxReceiveCount,
      retentionSeconds: args.queue?.retentionSeconds ?? d.retentionSeconds,
      dlqRetentionSeconds: args.queue?.dlqRetentionSeconds ?? d.dlqRetentionSeconds,
      receiveWaitTimeSeconds: d.receiveWaitTimeSeconds,
    },
    scaling: resolveScalingSettings(profile, args.scaling ?? {}),
    terminationGracePeriodSeconds,
    alarms: {
      enabled: args.alarms?.enabled ?? d.alarmsEnabled,
      createTopic: args.alarms?.createTopic ?? d.createTopic,
      oldestMessageSloMultiple: args.alarms?.oldestMessageSloMultiple ?? d.oldestMessageSloMultiple,
      stalledMinutes: args.alarms?.stalledMinutes ?? d.stalledMinutes,
    },
  };
  if (args.results) {
    resolved.results = {
      bucketName: args.results.bucketName,
      prefix: args.results.prefix ?? `${endpointName}/`,
    };
  }
  return resolved;
}
