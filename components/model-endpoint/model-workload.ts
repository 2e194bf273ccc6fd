import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../functions/problems";
import type { ModelEndpointArgs, ModelEndpointQueueArgs } from "./args";
import type { ResolvedModelEndpoint } from "./defaults";
import { createScaling } from "./scaling";
import { podArrangement } from "./sidecar";
import { validateModelEndpointArgs } from "./validate";
import { createWorkload } from "./workload";

export interface ModelWorkloadArgs extends Omit<ModelEndpointArgs, "queue" | "alarms" | "tags"> {
  /** The queue settings the worker contract passes to the pods (name, processing time, visibility). */
  queue?: Pick<ModelEndpointQueueArgs, "name" | "maxProcessingSeconds" | "visibilityTimeoutSeconds">;
  /** URL of the request queue the pods consume. */
  queueUrl: pulumi.Input<string>;
  /** URL of its dead-letter queue. */
  dlqUrl: pulumi.Input<string>;
  /** AWS region of the queue. */
  region: pulumi.Input<string>;
  /**
   * IAM role of the pods. Required under IRSA (it annotates the ServiceAccount); not used under
   * Pod Identity, where an association binds the role to the ServiceAccount instead.
   * @default none
   */
  roleArn?: pulumi.Input<string>;
  /**
   * What the pods need before they are admitted: the Pod Identity association (credentials are
   * injected at admission only) and the role's policy.
   * @default []
   */
  identityDependencies?: pulumi.Input<pulumi.Resource>[];
  /**
   * Role KEDA assumes for this endpoint's triggers (scoped to its queue).
   * @default none: KEDA uses the operator's own identity
   */
  scalerRoleArn?: pulumi.Input<string>;
  /**
   * Sidecar mode with `sidecar.results`: the bucket ModelEndpoint created for results (its name
   * is known only at deploy time) and the prefix the worker writes under.
   * @default none
   */
  sidecarResults?: { bucketName: pulumi.Input<string>; prefix: string };
}

/** Checks ModelWorkload arguments: the endpoint's own rules, plus the IRSA role annotation. */
export function validateModelWorkloadArgs(name: string, args: ModelWorkloadArgs): ResolvedModelEndpoint {
  const resolved = validateModelEndpointArgs(name, args);
  if (args.sidecar?.results !== undefined && args.sidecarResults === undefined) {
    throw new ConfigError(`ModelEndpoint "${resolved.endpointName}" arguments`, [
      {
        field: "sidecar.results",
        rule: "describes a bucket ModelEndpoint creates; a ModelWorkload alone needs results.bucketName or sidecarResults",
      },
    ]);
  }
  if (args.cluster.identity.kind === "irsa" && args.roleArn === undefined) {
    throw new ConfigError(`ModelEndpoint "${resolved.endpointName}" arguments`, [
      { field: "roleArn", rule: "is required under IRSA: it annotates the ServiceAccount" },
    ]);
  }
  return resolved;
}

/**
 * The Kubernetes half of a ModelEndpoint: ServiceAccount, Deployment (one GPU slice per
 * replica), PodDisruptionBudget, KEDA TriggerAuthentication and ScaledObject. Takes plain
 * values (queue URLs, role ARN, the cluster's pools and provider) and creates no AWS resource,
 * so it can run against any Kubernetes API, or beside an AWS side another stack manages.
 */
export class ModelWorkload extends pulumi.ComponentResource {
  readonly settings: ResolvedModelEndpoint;
  readonly serviceAccount: k8s.core.v1.ServiceAccount;
  readonly deployment: k8s.apps.v1.Deployment;
  readonly pdb: k8s.policy.v1.PodDisruptionBudget;
  readonly triggerAuthentication: k8s.apiextensions.CustomResource;
  readonly scaledObject: k8s.apiextensions.CustomResource;

  constructor(name: string, args: ModelWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    const r = validateModelWorkloadArgs(name, args);
    super("gpufleet:index:ModelWorkload", name, {}, opts);
    this.settings = r;
    const { provider } = args.cluster;
    // These children used to be the parent's own: the alias keeps their URNs when composed.
    const aliases = opts?.parent ? [{ parent: opts.parent }] : [];
    const addons = args.cluster.addons !== undefined ? [args.cluster.addons] : [];
    const irsa = args.cluster.identity.kind === "irsa" && args.roleArn !== undefined;

    const pod = podArrangement(
      r,
      args,
      { queueUrl: args.queueUrl, dlqUrl: args.dlqUrl, region: args.region },
      args.sidecarResults ?? r.results,
    );
    const workload = createWorkload({
      name,
      resolved: r,
      ...(args.command ? { command: args.command } : {}),
      ...(args.args ? { args: args.args } : {}),
      env: pod.env,
      ...(args.readinessProbe ? { readinessProbe: args.readinessProbe } : {}),
      serviceAccountAnnotations: irsa
        ? pulumi
            .output(args.roleArn)
            .apply((arn): Record<string, string> => ({ "eks.amazonaws.com/role-arn": arn ?? "" }))
        : {},
      ...(pod.transform ? { transform: pod.transform } : {}),
      provider,
      parent: this,
      dependsOn: [...(args.identityDependencies ?? []), ...addons],
      aliases,
    });
    const scaling = createScaling(
      name,
      r,
      { queueUrl: args.queueUrl, region: args.region, deploymentName: workload.deployment.metadata.name },
      args.scalerRoleArn,
      { provider, parent: this, dependsOn: addons, aliases },
    );
    this.serviceAccount = workload.serviceAccount;
    this.deployment = workload.deployment;
    this.pdb = workload.pdb;
    this.triggerAuthentication = scaling.triggerAuthentication;
    this.scaledObject = scaling.scaledObject;
    this.registerOutputs({});
  }
}
