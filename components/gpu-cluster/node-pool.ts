import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GPU_RESOURCE, GPU_TAINT, LABELS } from "../../functions/contract";
import { instanceGpuInfo } from "../../functions/gpu-catalog";
import type { GpuPoolInfo } from "../types";
import type { GpuAmiFamily } from "./args";
import { plainPoolInfo, type ResolvedPool } from "./defaults";

/** Node label: which image family a GPU node runs (Bottlerocket brings its own device plugin). */
export const AMI_FAMILY_LABEL = "gpufleet.io/ami-family";

/** The name of the device plugin config (and the node label value) for a pool. */
export function devicePluginConfigName(poolName: string): string {
  return `pool-${poolName}`;
}

/** EKS managed node group name of a pool: fixed, so the autoscaler's priorities can name its ASG. */
export function nodeGroupName(poolName: string): string {
  return `gpufleet-${poolName}`;
}

export const EKS_AMI_TYPES: Record<GpuAmiFamily, string> = {
  "al2023-nvidia": "AL2023_x86_64_NVIDIA",
  "bottlerocket-nvidia": "BOTTLEROCKET_x86_64_NVIDIA",
};

/**
 * The label the Cluster Autoscaler reads on AWS to know a node has GPUs: with it, a new GPU
 * node does not count as ready until the device plugin has advertised its GPUs, so the
 * autoscaler does not scale up again in the meantime.
 */
export const ACCELERATOR_LABEL = "k8s.amazonaws.com/accelerator";

/** The accelerator label's value: the pool's GPU model ("nvidia-a10g"), or its GPU memory when types mix models. */
export function acceleratorLabelValue(pool: Pick<ResolvedPool, "instanceTypes" | "gpuMemoryGiBPerGpu">): string {
  const models = new Set(pool.instanceTypes.map((t) => instanceGpuInfo(t).gpuModel ?? ""));
  const [model] = [...models];
  const name = models.size === 1 && model ? model : `nvidia ${pool.gpuMemoryGiBPerGpu}gb`;
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 63);
}

/** The Kubernetes labels every node of a pool carries. */
export function poolNodeLabels(pool: ResolvedPool): Record<string, string> {
  return {
    [ACCELERATOR_LABEL]: acceleratorLabelValue(pool),
    [LABELS.pool]: pool.name,
    [LABELS.capacityType]: pool.capacityType,
    [LABELS.slicesPerGpu]: String(pool.slicesPerGpu),
    [LABELS.gpuMemoryPerSliceMiB]: String(pool.gpuMemoryMiBPerSlice),
    [LABELS.gpuPresent]: "true",
    [LABELS.devicePluginConfig]: devicePluginConfigName(pool.name),
    [AMI_FAMILY_LABEL]: pool.amiType === "bottlerocket-nvidia" ? "bottlerocket" : "al2023",
  };
}

/** The taint that keeps non-GPU workloads off GPU nodes, in the EKS API's spelling. */
export const EKS_GPU_TAINT = { key: GPU_TAINT.key, value: GPU_TAINT.value, effect: "NO_SCHEDULE" } as const;

const CA_TEMPLATE = "k8s.io/cluster-autoscaler/node-template";

/**
 * Tags that tell the Cluster Autoscaler what a node of an empty pool will offer, so it can
 * scale the pool up from zero: the sliced GPU count (what pods request), every label
 * endpoints select on, and the GPU taint.
 */
export function autoscalerTemplateTags(pool: ResolvedPool): Record<string, string> {
  const tags: Record<string, string> = {
    [`${CA_TEMPLATE}/resources/${GPU_RESOURCE}`]: String(pool.gpusPerNode * pool.slicesPerGpu),
  };
  for (const [key, value] of Object.entries(poolNodeLabels(pool))) {
    tags[`${CA_TEMPLATE}/label/${key}`] = value;
  }
  tags[`${CA_TEMPLATE}/taint/${GPU_TAINT.key}`] = `${GPU_TAINT.value}:${GPU_TAINT.effect}`;
  return tags;
}

/**
 * Bottlerocket's NVIDIA variants run their own device plugin, configured through settings
 * rather than the Helm chart: the same time-slicing, in its TOML.
 */
export function bottlerocketSettings(pool: ResolvedPool): string {
  if (pool.slicesPerGpu === 1) {
    return ["[settings.kubelet-device-plugins.nvidia]", 'device-sharing-strategy = "none"', ""].join("\n");
  }
  return [
    "[settings.kubelet-device-plugins.nvidia]",
    'device-sharing-strategy = "time-slicing"',
    "",
    "[settings.kubelet-device-plugins.nvidia.time-slicing]",
    `replicas = ${pool.slicesPerGpu}`,
    "rename-by-default = false",
    "fail-requests-greater-than-one = true",
    "",
  ].join("\n");
}

interface NodeGroupResource {
  autoscalingGroups?: { name?: string }[];
}

/** Auto Scaling group names from a node group's `resources` output (empty until AWS reports them). */
export function asgNamesOf(resources: NodeGroupResource[] | undefined): string[] {
  return (resources ?? []).flatMap((r) => (r.autoscalingGroups ?? []).flatMap((g) => (g.name ? [g.name] : [])));
}

/** A tag key as a resource-name fragment. */
const slug = (key: string): string => key.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");

export interface NodePoolArgs {
  clusterName: pulumi.Input<string>;
  nodeRoleArn: pulumi.Input<string>;
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  tags: Record<string, string>;
  /** The component's name, prefixed to child names. */
  prefix: string;
  dependsOn: pulumi.Resource[];
}

/** A created GPU pool: what other components see of it, and its node group. */
export interface NodePool {
  info: GpuPoolInfo;
  nodeGroup: aws.eks.NodeGroup;
}

/** Creates one GPU pool: the managed node group, and the autoscaler's template tags on its ASG. */
export function createNodePool(pool: ResolvedPool, args: NodePoolArgs, parent: pulumi.Resource): NodePool {
  const base = `${args.prefix}-${pool.name}`;
  const bottlerocket = pool.amiType === "bottlerocket-nvidia";
  const launchTemplate = bottlerocket
    ? new aws.ec2.LaunchTemplate(
        `${base}-lt`,
        {
          userData: Buffer.from(bottlerocketSettings(pool)).toString("base64"),
          // Bottlerocket keeps images on its data volume (/dev/xvdb), not the root volume.
          blockDeviceMappings: [
            {
              deviceName: "/dev/xvdb",
              ebs: { volumeSize: pool.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
            },
          ],
          metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 },
          tags: args.tags,
        },
        { parent },
      )
    : undefined;

  const nodeGroup = new aws.eks.NodeGroup(
    base,
    {
      clusterName: args.clusterName,
      nodeGroupName: nodeGroupName(pool.name),
      nodeRoleArn: args.nodeRoleArn,
      subnetIds: pool.subnetIds ?? args.subnetIds,
      instanceTypes: pool.instanceTypes,
      capacityType: pool.capacityType === "spot" ? "SPOT" : "ON_DEMAND",
      amiType: EKS_AMI_TYPES[pool.amiType],
      scalingConfig: { minSize: pool.minNodes, maxSize: pool.maxNodes, desiredSize: pool.desiredNodes },
      ...(launchTemplate
        ? { launchTemplate: { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` } }
        : { diskSize: pool.diskSizeGiB }),
      labels: poolNodeLabels(pool),
      taints: [EKS_GPU_TAINT],
      updateConfig: { maxUnavailablePercentage: 33 },
      nodeRepairConfig: { enabled: true },
      tags: { ...args.tags, [LABELS.pool]: pool.name },
    },
    // The Cluster Autoscaler and the rebalancer own the node count after creation.
    { parent, dependsOn: args.dependsOn, ignoreChanges: ["scalingConfig.desiredSize"] },
  );

  const asgNames = nodeGroup.resources.apply((resources) => asgNamesOf(resources));
  // Tags on a managed node group stay on the node group: the autoscaler reads its ASG's tags.
  for (const [key, value] of Object.entries(autoscalerTemplateTags(pool))) {
    new aws.autoscaling.Tag(
      `${base}-ca-${slug(key.replace(`${CA_TEMPLATE}/`, ""))}`,
      {
        autoscalingGroupName: asgNames.apply((names) => names[0] as string),
        tag: { key, value, propagateAtLaunch: false },
      },
      { parent },
    );
  }

  return { info: { ...plainPoolInfo(pool), nodeGroupName: nodeGroup.nodeGroupName, asgNames }, nodeGroup };
}
