import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../functions/problems";
import { dependsOnList } from "../depends-on";
import { connectionOf } from "../types";
import { typescriptOnlyMembers } from "../typescript-only";
import type { EndpointWorkloadArgs, ModelEndpointOptions } from "./args";
import type { ResolvedModelEndpoint } from "./defaults";
import { createScaling, type EndpointScaling } from "./scaling";
import { podArrangement } from "./sidecar";
import { validateModelEndpointArgs } from "./validate";
import { createWorkload, type EndpointWorkload } from "./workload";

/** The queue settings the worker contract passes to the pods. */
export interface WorkloadQueueArgs {
  /**
   * SQS name of the request queue (the pods report it in their metrics).
   * @default the endpoint name
   */
  name?: string;
  /**
   * The longest one request may take to process, seconds.
   * @default 5 × profile.secondsPerRequest, rounded up
   */
  maxProcessingSeconds?: number;
  /**
   * Seconds a received message stays hidden from other replicas; at least `maxProcessingSeconds`.
   * @default max(30, 2 × maxProcessingSeconds)
   */
  visibilityTimeoutSeconds?: number;
}

/** Where the worker sidecar writes results when ModelEndpoint created the bucket. */
export interface SidecarResultsLocation {
  bucketName: pulumi.Input<string>;
  /** Key prefix, e.g. "<endpoint name>/". */
  prefix: string;
}

/** The Kubernetes half of an endpoint, given the queue and role another stack or ModelEndpoint made. */
export interface ModelWorkloadArgs extends EndpointWorkloadArgs {
  /**
   * The queue settings the worker contract passes to the pods (name, processing time, visibility).
   * @default see WorkloadQueueArgs
   */
  queue?: WorkloadQueueArgs;
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
   * Role KEDA assumes for this endpoint's triggers (scoped to its queue).
   * @default none: KEDA uses the operator's own identity
   */
  scalerRoleArn?: pulumi.Input<string>;
  /**
   * Sidecar mode with `sidecar.results`: the bucket ModelEndpoint created for results (its name
   * is known only at deploy time) and the prefix the worker writes under.
   * @default none
   */
  sidecarResults?: SidecarResultsLocation;
}

/** ModelWorkload's resource options. */
export interface ModelWorkloadOptions extends ModelEndpointOptions {
  /**
   * What the pods need before they are admitted: the Pod Identity association (credentials are
   * injected at admission only) and the role's policy.
   * @default []
   */
  podDependsOn?: pulumi.Input<pulumi.Resource>[];
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
  if (args.cluster.identity === "irsa" && args.roleArn === undefined) {
    throw new ConfigError(`ModelEndpoint "${resolved.endpointName}" arguments`, [
      { field: "roleArn", rule: "is required under IRSA: it annotates the ServiceAccount" },
    ]);
  }
  return resolved;
}

/** ModelWorkload's children. */
export interface ModelWorkloadResources extends EndpointWorkload, EndpointScaling {}

const typescriptOnly = typescriptOnlyMembers<
  ModelWorkload,
  { settings: ResolvedModelEndpoint; resources: ModelWorkloadResources }
>();

/**
 * The Kubernetes half of a ModelEndpoint: ServiceAccount, Deployment (one GPU slice per
 * replica), PodDisruptionBudget, KEDA TriggerAuthentication and ScaledObject. Takes plain
 * values (queue URLs, role ARN, the cluster's pools and kubeconfig) and creates no AWS
 * resource, so it can run against any Kubernetes API, beside an AWS side another stack
 * manages, from any Pulumi language.
 */
export class ModelWorkload extends pulumi.ComponentResource {
  /** Every setting after defaults, for inspection and tests. */
  get settings(): ResolvedModelEndpoint {
    return typescriptOnly.get(this).settings;
  }
  /** The child resources, for stacks that need to reference or depend on one. */
  get resources(): ModelWorkloadResources {
    return typescriptOnly.get(this).resources;
  }
  get serviceAccount(): k8s.core.v1.ServiceAccount {
    return this.resources.serviceAccount;
  }
  get deployment(): k8s.apps.v1.Deployment {
    return this.resources.deployment;
  }
  get pdb(): k8s.policy.v1.PodDisruptionBudget {
    return this.resources.pdb;
  }
  get triggerAuthentication(): k8s.apiextensions.CustomResource {
    return this.resources.triggerAuthentication;
  }
  get scaledObject(): k8s.apiextensions.CustomResource {
    return this.resources.scaledObject;
  }
  /** The Deployment's name (the endpoint name). */
  readonly deploymentName: pulumi.Output<string>;
  /** The Kubernetes namespace of the Deployment, ServiceAccount and KEDA objects. */
  readonly namespace: pulumi.Output<string>;
  readonly serviceAccountName: pulumi.Output<string>;
  /** The KEDA ScaledObject's name. */
  readonly scaledObjectName: pulumi.Output<string>;

  constructor(name: string, args: ModelWorkloadArgs, opts?: ModelWorkloadOptions) {
    const r = validateModelWorkloadArgs(name, args);
    const { transform, podDependsOn, ...resourceOptions } = opts ?? {};
    super("gpufleet:index:ModelWorkload", name, {}, resourceOptions);
    const connection = connectionOf(args.cluster);
    // A GpuCluster's provider, else one from the kubeconfig, else the `providers` option's (inherited).
    const provider =
      connection.provider ??
      (args.cluster.kubeconfig !== undefined
        ? new k8s.Provider(`${name}-k8s`, { kubeconfig: args.cluster.kubeconfig }, { parent: this })
        : undefined);
    // These children used to be the parent's own: the alias keeps their URNs when composed.
    const aliases = opts?.parent ? [{ parent: opts.parent }] : [];
    // The add-ons (KEDA's CRDs, PriorityClasses), and whatever the component itself waits for.
    const addons = [...(connection.addons !== undefined ? [connection.addons] : []), ...dependsOnList(opts?.dependsOn)];
    const irsa = args.cluster.identity === "irsa" && args.roleArn !== undefined;

    const pod = podArrangement(
      r,
      { ...args, ...(transform ? { transform } : {}) },
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
      ...(provider ? { provider } : {}),
      parent: this,
      dependsOn: [...(podDependsOn ?? []), ...addons],
      aliases,
    });
    const scaling = createScaling(
      name,
      r,
      { queueUrl: args.queueUrl, region: args.region, deploymentName: workload.deployment.metadata.name },
      args.scalerRoleArn,
      { ...(provider ? { provider } : {}), parent: this, dependsOn: addons, aliases },
    );
    typescriptOnly.set(this, { settings: r, resources: { ...workload, ...scaling } });
    this.deploymentName = workload.deployment.metadata.name;
    this.namespace = workload.deployment.metadata.namespace;
    this.serviceAccountName = workload.serviceAccount.metadata.name;
    this.scaledObjectName = scaling.scaledObject.metadata.name;
    this.registerOutputs({
      deploymentName: this.deploymentName,
      namespace: this.namespace,
      serviceAccountName: this.serviceAccountName,
      scaledObjectName: this.scaledObjectName,
    });
  }
}
