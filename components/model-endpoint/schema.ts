/**
 * ModelEndpointArgs as plain data (what a stack file can hold), as zod schemas: shape only;
 * validate.ts holds the rules. The profile is the shared EndpointProfile schema.
 */
import { z } from "zod";
import { PRIORITY_TIERS, type PriorityTier } from "../../functions/contract";
import { endpointProfileArgsSchema } from "../../functions/profile";
import type { Agree, SameKeys } from "../schema-keys";
import type {
  ModelEndpointAlarmsArgs,
  ModelEndpointArgs,
  ModelEndpointProfileArgs,
  ModelEndpointQueueArgs,
  ModelEndpointResultsArgs,
  ModelEndpointScalingArgs,
} from "./args";

const number = z.number().optional();

/** Queue settings a stack may set; the stack names the queue itself (its KEDA prefix). */
export const endpointQueueSchema = z
  .object({
    maxProcessingSeconds: number,
    visibilityTimeoutSeconds: number,
    maxReceiveCount: number,
    retentionSeconds: number,
    dlqRetentionSeconds: number,
    kmsKeyArn: z.string().optional(),
  })
  .strict();

const resultsSchema = z.object({ bucketName: z.string(), prefix: z.string().optional() }).strict();

const scalingSchema = z
  .object({
    queueLengthPerReplica: number,
    pollingIntervalSeconds: number,
    cooldownSeconds: number,
    scaleUpStabilizationSeconds: number,
    scaleDownStabilizationSeconds: number,
    scaleUpPercentPerMinute: number,
    scaleDownPercentPerMinute: number,
  })
  .strict();

const alarmsSchema = z
  .object({
    enabled: z.boolean().optional(),
    topicArn: z.string().optional(),
    createTopic: z.boolean().optional(),
    oldestMessageSloMultiple: number,
    stalledMinutes: number,
  })
  .strict();

/**
 * The endpoint settings a stack file may give. Not here: the cluster (the stack's own),
 * the name (the stack entry's `name`), tags (the stack's), and what code must supply
 * (readiness probe objects, transforms, the worker sidecar).
 */
export const endpointSettingsShape = {
  namespace: z.string().optional(),
  image: z.string(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  gpuMemoryGiB: z.number(),
  cpu: z.string().optional(),
  memory: z.string().optional(),
  pools: z.array(z.string()).optional(),
  tier: z.enum(PRIORITY_TIERS as [PriorityTier, ...PriorityTier[]]).optional(),
  profile: endpointProfileArgsSchema,
  queue: endpointQueueSchema.optional(),
  results: resultsSchema.optional(),
  scaling: scalingSchema.optional(),
  terminationGracePeriodSeconds: number,
  alarms: alarmsSchema.optional(),
  awaitReady: z.boolean().optional(),
};

// The worker sidecar is configured in code for now: its results bucket grants roles by ARN outputs.
type FromCode = "cluster" | "endpointName" | "readinessProbe" | "tags" | "transform" | "sidecar";
export type EndpointKeysAgree = Agree<SameKeys<typeof endpointSettingsShape, Omit<ModelEndpointArgs, FromCode>>>;
export type ProfileKeysAgree = Agree<SameKeys<z.infer<typeof endpointProfileArgsSchema>, ModelEndpointProfileArgs>>;
export type QueueKeysAgree = Agree<SameKeys<z.infer<typeof endpointQueueSchema>, Omit<ModelEndpointQueueArgs, "name">>>;
export type ResultsKeysAgree = Agree<SameKeys<z.infer<typeof resultsSchema>, ModelEndpointResultsArgs>>;
export type ScalingKeysAgree = Agree<SameKeys<z.infer<typeof scalingSchema>, ModelEndpointScalingArgs>>;
export type AlarmsKeysAgree = Agree<SameKeys<z.infer<typeof alarmsSchema>, ModelEndpointAlarmsArgs>>;
