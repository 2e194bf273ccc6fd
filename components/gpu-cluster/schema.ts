/**
 * GpuClusterArgs as plain data (what a stack file can hold), as zod schemas. They check
 * shape only (types, allowed values, unknown keys); the rules between values are
 * validate.ts's, run on both TypeScript callers and stack files. The stack config composes
 * these schemas instead of restating them.
 */
import { z } from "zod";
import type { Agree, SameKeys } from "../schema-keys";
import type {
  AddonsArgs,
  EndpointAccessArgs,
  ExistingClusterArgs,
  GpuClusterArgs,
  GpuPoolArgs,
  NewClusterArgs,
  SystemNodeGroupArgs,
  VpcArgs,
} from "./args";
import type { AddonChartsArgs } from "./cluster-addons";
import type { ChartSource } from "./versions";

const strings = z.array(z.string());

export const gpuPoolSchema = z
  .object({
    name: z.string(),
    instanceTypes: strings,
    capacityType: z.enum(["spot", "on-demand"]),
    minNodes: z.number(),
    maxNodes: z.number(),
    desiredNodes: z.number().optional(),
    fallback: z.boolean().optional(),
    amiType: z.enum(["al2023-nvidia", "bottlerocket-nvidia"]).optional(),
    slicesPerGpu: z.number().optional(),
    gpuMemoryGiB: z.number().optional(),
    gpusPerNode: z.number().optional(),
    diskSizeGiB: z.number().optional(),
    pricePerNodeHour: z.number().optional(),
    subnetIds: strings.optional(),
  })
  .strict();

const chartSourceSchema = z
  .object({
    repository: z.string().optional(),
    chart: z.string().optional(),
    version: z.string().optional(),
    path: z.string().optional(),
  })
  .strict();

const chartsSchema = z
  .object({
    devicePlugin: chartSourceSchema.optional(),
    keda: chartSourceSchema.optional(),
    clusterAutoscaler: chartSourceSchema.optional(),
  })
  .strict();

export const addonsSchema = z
  .object({
    devicePlugin: z.boolean().optional(),
    keda: z.boolean().optional(),
    clusterAutoscaler: z.boolean().optional(),
    sqsQueueNamePrefix: z.string().optional(),
    charts: chartsSchema.optional(),
    priorityClasses: z.boolean().optional(),
    scaleInPacker: z.object({ image: z.string(), intervalSeconds: z.number().optional() }).strict().optional(),
  })
  .strict();

const vpcSchema = z
  .object({
    cidrBlock: z.string().optional(),
    availabilityZoneCount: z.number().optional(),
    availabilityZones: strings.optional(),
  })
  .strict();

const endpointAccessSchema = z
  .object({ privateAccess: z.boolean().optional(), publicAccessCidrs: strings.optional() })
  .strict();

const systemNodeGroupSchema = z
  .object({ instanceTypes: strings.optional(), minNodes: z.number().optional(), maxNodes: z.number().optional() })
  .strict();

export const newClusterSchema = z
  .object({
    mode: z.literal("new"),
    clusterName: z.string().optional(),
    version: z.string().optional(),
    vpc: vpcSchema.optional(),
    subnetIds: strings.optional(),
    endpointAccess: endpointAccessSchema.optional(),
    logTypes: z.array(z.enum(["api", "audit", "authenticator", "controllerManager", "scheduler"])).optional(),
    logRetentionDays: z.number().optional(),
    kmsKeyArn: z.string().optional(),
    identity: z.enum(["pod-identity", "irsa"]).optional(),
    adminArns: strings.optional(),
    systemNodeGroup: systemNodeGroupSchema.optional(),
  })
  .strict();

export const existingClusterSchema = z
  .object({
    mode: z.literal("byo"),
    clusterName: z.string(),
    kubeconfig: z.string().optional(),
    identity: z.enum(["pod-identity", "irsa"]),
    oidcProviderArn: z.string().optional(),
    oidcProviderUrl: z.string().optional(),
    nodeRoleArn: z.string(),
    subnetIds: strings,
  })
  .strict();

/** The cluster-wide settings beside `cluster` and `pools`. */
export const clusterExtrasSchema = {
  addons: addonsSchema.optional(),
  tags: z.record(z.string(), z.string()).optional(),
};

// Each schema reads exactly the plain-data args of its interface. A stack file says which cluster
// it means with `mode` ("new" or "byo") under one key, `cluster`, where the args have two keys.
export type PoolKeysAgree = Agree<SameKeys<z.infer<typeof gpuPoolSchema>, GpuPoolArgs>>;
export type ChartSourceKeysAgree = Agree<SameKeys<z.infer<typeof chartSourceSchema>, ChartSource>>;
export type ChartsKeysAgree = Agree<SameKeys<z.infer<typeof chartsSchema>, AddonChartsArgs>>;
export type AddonsKeysAgree = Agree<SameKeys<z.infer<typeof addonsSchema>, AddonsArgs>>;
export type VpcKeysAgree = Agree<SameKeys<z.infer<typeof vpcSchema>, VpcArgs>>;
export type AccessKeysAgree = Agree<SameKeys<z.infer<typeof endpointAccessSchema>, EndpointAccessArgs>>;
export type SystemKeysAgree = Agree<SameKeys<z.infer<typeof systemNodeGroupSchema>, SystemNodeGroupArgs>>;
export type NewClusterKeysAgree = Agree<SameKeys<Omit<z.infer<typeof newClusterSchema>, "mode">, NewClusterArgs>>;
export type ExistingClusterKeysAgree = Agree<
  SameKeys<Omit<z.infer<typeof existingClusterSchema>, "mode">, ExistingClusterArgs>
>;
export type ClusterKeysAgree = Agree<
  SameKeys<typeof clusterExtrasSchema, Omit<GpuClusterArgs, "newCluster" | "existingCluster" | "pools">>
>;
