import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import {
  predictedTriggerMetadata,
  type ScalingConfig,
  scalingConfig,
  sqsTriggerMetadata,
} from "../../functions/scaling/index";
import type { ResolvedModelEndpoint } from "./defaults";
import { selectorLabels } from "./workload";

export interface ScalingInputs {
  queueUrl: pulumi.Input<string>;
  region: pulumi.Input<string>;
  deploymentName: pulumi.Input<string>;
  authenticationName: pulumi.Input<string>;
}

/**
 * The ScaledObject spec. Two triggers, and the HPA takes the larger answer:
 * - aws-sqs-queue: the reactive floor, ceil((visible + in flight) / queueLengthPerReplica);
 * - aws-cloudwatch: the replicas the predictive autoscaler published for this endpoint, read
 *   as the latest one-minute maximum; no datapoint counts as 0, so a silent autoscaler never
 *   holds replicas up (the SQS trigger still covers the backlog).
 */
export function scaledObjectSpec(r: ResolvedModelEndpoint, i: ScalingInputs): Record<string, unknown> {
  const c = endpointScalingConfig(r);
  const authenticationRef = { name: i.authenticationName };
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: i.deploymentName },
    pollingInterval: c.pollingIntervalSeconds,
    cooldownPeriod: c.cooldownSeconds,
    minReplicaCount: c.minReplicaCount,
    maxReplicaCount: c.maxReplicaCount,
    advanced: { horizontalPodAutoscalerConfig: { behavior: c.behavior } },
    triggers: [
      {
        type: "aws-sqs-queue",
        name: "backlog",
        authenticationRef,
        metadata: { queueURL: i.queueUrl, ...sqsTriggerMetadata(c), awsRegion: i.region },
      },
      {
        type: "aws-cloudwatch",
        name: "predicted",
        authenticationRef,
        metadata: { ...predictedTriggerMetadata(c), awsRegion: i.region },
      },
    ],
  };
}

/** The endpoint's scaling configuration: the same pure function the simulator runs. */
export function endpointScalingConfig(r: ResolvedModelEndpoint): ScalingConfig {
  return scalingConfig({
    endpointName: r.endpointName,
    minReplicas: r.profile.minReplicas,
    maxReplicas: r.profile.maxReplicas,
    settings: r.scaling,
  });
}

export interface EndpointScaling {
  triggerAuthentication: k8s.apiextensions.CustomResource;
  scaledObject: k8s.apiextensions.CustomResource;
}

export interface ScalingOptions {
  /** @default the parent's provider for Kubernetes */
  provider?: k8s.Provider;
  parent: pulumi.Resource;
  /** What installs KEDA's CRDs: custom resources fail with "no matches for kind" before it. */
  dependsOn: pulumi.Input<pulumi.Resource>[];
  aliases?: pulumi.Input<pulumi.Alias>[];
}

/** KEDA TriggerAuthentication (AWS pod identity) and ScaledObject for the endpoint's Deployment. */
export function createScaling(
  name: string,
  r: ResolvedModelEndpoint,
  inputs: Omit<ScalingInputs, "authenticationName">,
  scalerRoleArn: pulumi.Input<string> | undefined,
  options: ScalingOptions,
): EndpointScaling {
  const labels = selectorLabels(r.endpointName);
  const opts = {
    parent: options.parent,
    provider: options.provider,
    dependsOn: options.dependsOn,
    ...(options.aliases ? { aliases: options.aliases } : {}),
  };
  // With a scaler role KEDA assumes it (scoped to this queue); without one KEDA uses its own identity.
  const podIdentity = scalerRoleArn !== undefined ? { provider: "aws", roleArn: scalerRoleArn } : { provider: "aws" };
  const triggerAuthentication = new k8s.apiextensions.CustomResource(
    `${name}-keda-auth`,
    {
      apiVersion: "keda.sh/v1alpha1",
      kind: "TriggerAuthentication",
      metadata: { name: `${r.endpointName}-aws`, namespace: r.namespace, labels },
      spec: { podIdentity },
    },
    opts,
  );
  const scaledObject = new k8s.apiextensions.CustomResource(
    `${name}-scaledobject`,
    {
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: { name: r.endpointName, namespace: r.namespace, labels },
      spec: scaledObjectSpec(r, { ...inputs, authenticationName: triggerAuthentication.metadata.name }),
    },
    opts,
  );
  return { triggerAuthentication, scaledObject };
}
