import { GPU_RESOURCE, GPU_TAINT, LABELS } from "../../functions/contract";
import type { TestResource } from "./harness";

/** Happy-path resources in the shapes gpufleet's components create; each test changes one field. */

export function nodeGroup(name: string, capacityType: "SPOT" | "ON_DEMAND", instanceTypes: string[]): TestResource {
  return {
    type: "aws:eks/nodeGroup:NodeGroup",
    name,
    props: {
      clusterName: "gpu",
      nodeGroupName: name,
      capacityType,
      instanceTypes,
      scalingConfig: { minSize: 0, desiredSize: 0, maxSize: 8 },
      labels: {
        [LABELS.pool]: name,
        [LABELS.capacityType]: capacityType === "SPOT" ? "spot" : "on-demand",
        [LABELS.slicesPerGpu]: "4",
        [LABELS.gpuMemoryPerSliceMiB]: "6144",
      },
      taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: "NO_SCHEDULE" }],
    },
  };
}

export const spotGroup = () => nodeGroup("a10g-spot", "SPOT", ["g5.xlarge", "g5.2xlarge"]);
export const onDemandGroup = () => nodeGroup("a10g-on-demand", "ON_DEMAND", ["g5.xlarge"]);

export function deployment(pools: string[] = ["a10g-spot", "a10g-on-demand"]): TestResource {
  return {
    type: "kubernetes:apps/v1:Deployment",
    name: "llm",
    props: {
      metadata: { name: "llm", namespace: "models" },
      spec: {
        template: {
          metadata: { annotations: { [LABELS.gpuMemoryMiB]: "5000" } },
          spec: {
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: LABELS.pool, operator: "In", values: pools }] }],
                },
              },
            },
            tolerations: [{ key: GPU_TAINT.key, operator: "Equal", value: GPU_TAINT.value, effect: GPU_TAINT.effect }],
            containers: [{ name: "model", image: "model:1", resources: { limits: { [GPU_RESOURCE]: "1" } } }],
          },
        },
      },
    },
  };
}

/** A stack where every GPU rule passes: spot + on-demand A10G pools and one endpoint on both. */
export function gpuStack(): TestResource[] {
  return [spotGroup(), onDemandGroup(), deployment()];
}

export function devicePlugin(config: string): TestResource {
  return {
    type: "kubernetes:helm.sh/v3:Release",
    name: "nvidia-device-plugin",
    props: { chart: "nvidia-device-plugin", values: { config: { map: { "a10g-spot": config } } } },
  };
}

export const TIME_SLICING = [
  "version: v1",
  "sharing:",
  "  timeSlicing:",
  "    failRequestsGreaterThanOne: true",
  "    resources:",
  "      - name: nvidia.com/gpu",
  "        replicas: 4",
].join("\n");

export function queue(name = "llm"): TestResource {
  return {
    type: "aws:sqs/queue:Queue",
    name,
    props: {
      name,
      sqsManagedSseEnabled: true,
      visibilityTimeoutSeconds: 360,
      redrivePolicy: JSON.stringify({
        deadLetterTargetArn: `arn:aws:sqs:us-east-1:123456789012:${name}-dlq`,
        maxReceiveCount: 5,
      }),
      tags: { "cost-center": "ml", team: "inference" },
    },
  };
}

export function cluster(): TestResource {
  return {
    type: "aws:eks/cluster:Cluster",
    name: "gpu",
    props: {
      name: "gpu",
      roleArn: "arn:aws:iam::123456789012:role/cluster",
      vpcConfig: { subnetIds: ["subnet-a"], endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] },
      enabledClusterLogTypes: ["api", "audit", "authenticator"],
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:aws:kms:us-east-1:123456789012:key/k" } },
    },
  };
}

export function rolePolicy(statements: unknown[]): TestResource {
  return {
    type: "aws:iam/rolePolicy:RolePolicy",
    name: "autoscaler",
    props: { role: "autoscaler", policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) },
  };
}

export const SCOPED_STATEMENT = {
  Effect: "Allow",
  Action: ["sqs:GetQueueAttributes", "autoscaling:SetDesiredCapacity"],
  Resource: "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/eks-a10g-spot",
};

/** An async-invoked function with a timeout, a retained log group and an on-failure destination. */
export function lambdaStack(): TestResource[] {
  return [
    {
      type: "aws:lambda/function:Function",
      name: "autoscaler",
      props: { name: "gpufleet-autoscaler", timeout: 60, runtime: "nodejs20.x", handler: "index.handler" },
    },
    {
      type: "aws:cloudwatch/logGroup:LogGroup",
      name: "autoscaler",
      props: { name: "/aws/lambda/gpufleet-autoscaler", retentionInDays: 14 },
    },
    {
      type: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
      name: "autoscaler",
      props: {
        functionName: "gpufleet-autoscaler",
        destinationConfig: { onFailure: { destination: "arn:aws:sqs:us-east-1:123456789012:llm-dlq" } },
      },
    },
  ];
}
