/**
 * The scaling configuration an endpoint deploys, as plain data: KEDA's two triggers and
 * polling, the HPA behaviour, the SQS target and the CloudWatch query of the predicted
 * replicas. ModelEndpoint renders it into a ScaledObject; the simulator runs it. Pure: no
 * AWS, Pulumi or Kubernetes import.
 */
import { type EndpointProfile, PREDICTED_REPLICAS_METRIC } from "../contract";

/** Every scaling default, in one place (ModelEndpoint documents them with @default). */
export const SCALING_DEFAULTS = {
  /** KEDA pollingInterval: governs activation from zero; the HPA itself reads every 15 s. */
  pollingIntervalSeconds: 15,
  cooldownSeconds: 600,
  scaleUpStabilizationSeconds: 0,
  /**
   * Kubernetes' own default. The autoscaler core damps its predicted replicas' fall itself
   * (a deadband, no fall within 5 minutes of a rise, a quarter per tick), so a longer window
   * only holds each peak longer: 600 s cost 6-26% more at the same attainment (BENCHMARKS.md).
   */
  scaleDownStabilizationSeconds: 300,
  scaleUpPercentPerMinute: 100,
  scaleUpMinPodsPerMinute: 4,
  scaleDownPercentPerMinute: 25,
  scaleDownMinPodsPerMinute: 1,
} as const;

/** The predicted-replicas query: the latest one-minute maximum of the last three minutes. */
export const PREDICTED_QUERY = {
  metricStat: "Maximum",
  metricStatPeriodSeconds: 60,
  /** Three minutes back, so the value published last minute is always in the window. */
  metricCollectionTimeSeconds: 180,
  metricEndTimeOffsetSeconds: 0,
} as const;

/** An endpoint's scaling settings once defaults are applied. */
export interface ScalingSettings {
  queueLengthPerReplica: number;
  pollingIntervalSeconds: number;
  cooldownSeconds: number;
  scaleUpStabilizationSeconds: number;
  scaleDownStabilizationSeconds: number;
  scaleUpPercentPerMinute: number;
  scaleDownPercentPerMinute: number;
}

export interface HpaPolicy {
  type: "Percent" | "Pods";
  value: number;
  periodSeconds: number;
}

/** One direction of the HPA's `behavior` (autoscaling/v2). */
export interface HpaRules {
  stabilizationWindowSeconds: number;
  selectPolicy: "Max" | "Min";
  policies: HpaPolicy[];
}

export interface ScalingConfig {
  pollingIntervalSeconds: number;
  cooldownSeconds: number;
  minReplicaCount: number;
  maxReplicaCount: number;
  behavior: { scaleUp: HpaRules; scaleDown: HpaRules };
  /** aws-sqs-queue: replicas = ceil((visible + in flight) / queueLength). */
  sqs: { queueLength: number; activationQueueLength: number; scaleOnInFlight: boolean; scaleOnDelayed: boolean };
  /** aws-cloudwatch: replicas = ceil(latest published value / targetMetricValue); no datapoint reads as 0. */
  predicted: {
    namespace: string;
    metricName: string;
    dimensionName: string;
    dimensionValue: string;
    targetMetricValue: number;
    activationTargetMetricValue: number;
    minMetricValue: number;
    ignoreNullValues: boolean;
    metricStat: string;
    metricStatPeriodSeconds: number;
    metricCollectionTimeSeconds: number;
    metricEndTimeOffsetSeconds: number;
  };
}

/**
 * Target backlog per replica for the aws-sqs-queue trigger (which counts visible and in-flight
 * messages). A replica works on `c = concurrencyPerReplica` requests at once and finishes
 * `c / secondsPerRequest` per second, so while meeting the SLO it can hold its `c` in-flight
 * requests plus the `c × sloSeconds / secondsPerRequest` it will drain within the SLO:
 *
 *   queueLengthPerReplica = floor(c × (1 + sloSeconds / secondsPerRequest)), at least 1
 *
 * With B messages KEDA asks for ceil(B / queueLengthPerReplica) replicas: exactly enough that the
 * newest message is picked up within the SLO once those replicas are serving.
 */
export function backlogPerReplica(profile: EndpointProfile): number {
  const perReplica = profile.concurrencyPerReplica * (1 + profile.sloSeconds / profile.secondsPerRequest);
  return Math.max(1, Math.floor(perReplica));
}

/** The settings with every default applied; `overrides` are an endpoint's own (already checked) values. */
export function resolveScalingSettings(
  profile: EndpointProfile,
  overrides: Partial<ScalingSettings> = {},
): ScalingSettings {
  const d = SCALING_DEFAULTS;
  return {
    queueLengthPerReplica: overrides.queueLengthPerReplica ?? backlogPerReplica(profile),
    pollingIntervalSeconds: overrides.pollingIntervalSeconds ?? d.pollingIntervalSeconds,
    cooldownSeconds: overrides.cooldownSeconds ?? d.cooldownSeconds,
    scaleUpStabilizationSeconds: overrides.scaleUpStabilizationSeconds ?? d.scaleUpStabilizationSeconds,
    scaleDownStabilizationSeconds: overrides.scaleDownStabilizationSeconds ?? d.scaleDownStabilizationSeconds,
    scaleUpPercentPerMinute: overrides.scaleUpPercentPerMinute ?? d.scaleUpPercentPerMinute,
    scaleDownPercentPerMinute: overrides.scaleDownPercentPerMinute ?? d.scaleDownPercentPerMinute,
  };
}

export interface ScalingInput {
  endpointName: string;
  minReplicas: number;
  maxReplicas: number;
  settings: ScalingSettings;
}

/** One direction of the HPA: per minute, the larger of a share of the replicas and a number of pods. */
function perMinuteRules(stabilizationWindowSeconds: number, percent: number, pods: number): HpaRules {
  return {
    stabilizationWindowSeconds,
    selectPolicy: "Max",
    policies: [
      { type: "Percent", value: percent, periodSeconds: 60 },
      { type: "Pods", value: pods, periodSeconds: 60 },
    ],
  };
}

/** An endpoint's scaling configuration from its resolved settings. */
export function scalingConfig(input: ScalingInput): ScalingConfig {
  const s = input.settings;
  const d = SCALING_DEFAULTS;
  return {
    pollingIntervalSeconds: s.pollingIntervalSeconds,
    cooldownSeconds: s.cooldownSeconds,
    minReplicaCount: input.minReplicas,
    maxReplicaCount: input.maxReplicas,
    behavior: {
      scaleUp: perMinuteRules(s.scaleUpStabilizationSeconds, s.scaleUpPercentPerMinute, d.scaleUpMinPodsPerMinute),
      scaleDown: perMinuteRules(
        s.scaleDownStabilizationSeconds,
        s.scaleDownPercentPerMinute,
        d.scaleDownMinPodsPerMinute,
      ),
    },
    sqs: {
      queueLength: s.queueLengthPerReplica,
      activationQueueLength: 0,
      scaleOnInFlight: true,
      scaleOnDelayed: false,
    },
    predicted: {
      namespace: PREDICTED_REPLICAS_METRIC.namespace,
      metricName: PREDICTED_REPLICAS_METRIC.metricName,
      dimensionName: PREDICTED_REPLICAS_METRIC.dimensionName,
      dimensionValue: input.endpointName,
      // The metric is a replica count: one unit of it is one replica.
      targetMetricValue: 1,
      activationTargetMetricValue: 0,
      minMetricValue: 0,
      ignoreNullValues: true,
      ...PREDICTED_QUERY,
    },
  };
}

/** KEDA metadata of the aws-sqs-queue trigger, less the queue URL and region (deployment values). */
export function sqsTriggerMetadata(c: ScalingConfig): Record<string, string> {
  return {
    queueLength: String(c.sqs.queueLength),
    activationQueueLength: String(c.sqs.activationQueueLength),
    scaleOnInFlight: String(c.sqs.scaleOnInFlight),
    scaleOnDelayed: String(c.sqs.scaleOnDelayed),
  };
}

/** KEDA metadata of the aws-cloudwatch trigger, less the region. */
export function predictedTriggerMetadata(c: ScalingConfig): Record<string, string> {
  const p = c.predicted;
  return {
    namespace: p.namespace,
    metricName: p.metricName,
    dimensionName: p.dimensionName,
    dimensionValue: p.dimensionValue,
    targetMetricValue: String(p.targetMetricValue),
    activationTargetMetricValue: String(p.activationTargetMetricValue),
    minMetricValue: String(p.minMetricValue),
    ignoreNullValues: String(p.ignoreNullValues),
    metricStat: p.metricStat,
    metricStatPeriod: String(p.metricStatPeriodSeconds),
    metricCollectionTime: String(p.metricCollectionTimeSeconds),
    metricEndTimeOffset: String(p.metricEndTimeOffsetSeconds),
  };
}
