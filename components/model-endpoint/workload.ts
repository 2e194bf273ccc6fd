import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { GPU_RESOURCE, GPU_TAINT, LABELS, priorityClassName } from "../../functions/contract";
import type { ModelEndpointTransforms } from "./args";
import type { ResolvedModelEndpoint } from "./defaults";
import { WORKER_ENV } from "./env";

type Affinity = k8s.types.input.core.v1.Affinity;
type EnvVar = k8s.types.input.core.v1.EnvVar;

/** Labels that select the endpoint's pods. */
export function selectorLabels(endpointName: string): Record<string, string> {
  return { "app.kubernetes.io/name": endpointName, [LABELS.endpoint]: endpointName };
}

/**
 * Node affinity: required to land on one of the allowed pools (fallback included), preferring
 * spot pools so the on-demand fallback only takes replicas when spot has no room.
 */
export function poolAffinity(pools: ResolvedModelEndpoint["pools"]): Affinity {
  const spot = pools.filter((p) => p.capacityType === "spot").map((p) => p.name);
  const onDemand = pools.filter((p) => p.capacityType !== "spot");
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: LABELS.pool, operator: "In", values: pools.map((p) => p.name) }] },
        ],
      },
      // A preference only matters when there is a choice between spot and on-demand.
      ...(spot.length > 0 && onDemand.length > 0
        ? {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 100, preference: { matchExpressions: [{ key: LABELS.pool, operator: "In", values: spot }] } },
            ],
          }
        : {}),
    },
  };
}

export interface WorkerEnvInputs {
  queueUrl: pulumi.Input<string>;
  dlqUrl: pulumi.Input<string>;
  region: pulumi.Input<string>;
}

/** The worker contract's environment (docs/model-endpoint.md), then the user's extra variables. */
export function workerEnv(
  r: ResolvedModelEndpoint,
  inputs: WorkerEnvInputs,
  extra: Record<string, pulumi.Input<string>>,
): EnvVar[] {
  const env: EnvVar[] = [
    { name: WORKER_ENV.queueUrl, value: inputs.queueUrl },
    { name: WORKER_ENV.dlqUrl, value: inputs.dlqUrl },
    { name: WORKER_ENV.endpointName, value: r.endpointName },
    { name: WORKER_ENV.region, value: inputs.region },
    { name: WORKER_ENV.visibilityTimeoutSeconds, value: String(r.queue.visibilityTimeoutSeconds) },
    { name: WORKER_ENV.maxProcessingSeconds, value: String(r.queue.maxProcessingSeconds) },
    { name: WORKER_ENV.concurrency, value: String(r.profile.concurrencyPerReplica) },
    { name: WORKER_ENV.shutdownSeconds, value: String(r.terminationGracePeriodSeconds) },
  ];
  if (r.results) {
    env.push(
      { name: WORKER_ENV.resultsUri, value: `s3://${r.results.bucketName}/${r.results.prefix}` },
      { name: WORKER_ENV.resultsBucket, value: r.results.bucketName },
      { name: WORKER_ENV.resultsPrefix, value: r.results.prefix },
    );
  }
  for (const [name, value] of Object.entries(extra)) env.push({ name, value });
  return env;
}

export interface WorkloadInputs {
  name: string;
  resolved: ResolvedModelEndpoint;
  command?: string[];
  args?: string[];
  env: EnvVar[];
  readinessProbe?: k8s.types.input.core.v1.Probe;
  serviceAccountAnnotations: pulumi.Input<Record<string, string>>;
  transform?: ModelEndpointTransforms;
  /** @default the parent's provider for Kubernetes */
  provider?: k8s.Provider;
  parent: pulumi.Resource;
  /**
   * Resources the pods need before they start: the Pod Identity association (credentials are
   * injected only when a pod is admitted), the role policy, and the cluster's add-ons
   * (PriorityClasses).
   */
  dependsOn: pulumi.Input<pulumi.Resource>[];
  aliases?: pulumi.Input<pulumi.Alias>[];
}

/** pulumi-kubernetes' annotation that skips waiting for a resource to become ready. */
export const SKIP_AWAIT_ANNOTATION = "pulumi.com/skipAwait";

/**
 * Keeps the Cluster Autoscaler from draining a node that serves replicas. Its scale-down of
 * an under-used GPU node (below half its slices requested) plans to pack the pods elsewhere,
 * but the scheduler spreads them again (the topology spread below), each move is a model
 * reload, and the next under-used node follows: in the simulator that churn took the demo to
 * 28% of requests within the SLO. Nodes leave when scale-in empties them; spot drains use
 * the eviction API, which this annotation does not affect.
 */
const NOT_SAFE_TO_EVICT = { "cluster-autoscaler.kubernetes.io/safe-to-evict": "false" } as const;

export interface EndpointWorkload {
  serviceAccount: k8s.core.v1.ServiceAccount;
  deployment: k8s.apps.v1.Deployment;
  pdb: k8s.policy.v1.PodDisruptionBudget;
}

/** ServiceAccount, Deployment (one GPU slice per replica) and PodDisruptionBudget. */
export function createWorkload(w: WorkloadInputs): EndpointWorkload {
  const { name, resolved: r, provider, parent } = w;
  const labels = selectorLabels(r.endpointName);
  const opts = { parent, provider, ...(w.aliases ? { aliases: w.aliases } : {}) };

  const serviceAccount = new k8s.core.v1.ServiceAccount(
    `${name}-sa`,
    { metadata: { name: r.endpointName, namespace: r.namespace, labels, annotations: w.serviceAccountAnnotations } },
    opts,
  );

  const gpu = { [GPU_RESOURCE]: "1" };
  let deploymentArgs: k8s.apps.v1.DeploymentArgs = {
    metadata: {
      name: r.endpointName,
      namespace: r.namespace,
      labels,
      // A replica may wait minutes for a GPU node from zero: see `awaitReady`.
      ...(r.awaitReady ? {} : { annotations: { [SKIP_AWAIT_ANNOTATION]: "true" } }),
    },
    spec: {
      // Created at the floor (0 allowed); afterwards KEDA owns the count (ignoreChanges below).
      replicas: r.profile.minReplicas,
      selector: { matchLabels: labels },
      // Surge instead of unavailability: a rollout never lowers serving capacity.
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels, annotations: { [LABELS.gpuMemoryMiB]: String(r.gpuMemoryMiB), ...NOT_SAFE_TO_EVICT } },
        spec: {
          serviceAccountName: serviceAccount.metadata.name,
          priorityClassName: priorityClassName(r.tier),
          terminationGracePeriodSeconds: r.terminationGracePeriodSeconds,
          tolerations: [{ key: GPU_TAINT.key, operator: "Equal", value: GPU_TAINT.value, effect: GPU_TAINT.effect }],
          affinity: poolAffinity(r.pools),
          // Spread replicas so one reclaimed spot node or zone takes as few as possible. Soft, so
          // a spread never keeps a replica pending while a slice is free.
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: "kubernetes.io/hostname",
              whenUnsatisfiable: "ScheduleAnyway",
              labelSelector: { matchLabels: labels },
            },
            {
              maxSkew: 1,
              topologyKey: "topology.kubernetes.io/zone",
              whenUnsatisfiable: "ScheduleAnyway",
              labelSelector: { matchLabels: labels },
            },
          ],
          containers: [
            {
              name: "model",
              image: r.image,
              ...(w.command ? { command: w.command } : {}),
              ...(w.args ? { args: w.args } : {}),
              env: w.env,
              resources: {
                requests: { ...(r.cpu ? { cpu: r.cpu } : {}), ...(r.memory ? { memory: r.memory } : {}), ...gpu },
                limits: { ...(r.memory ? { memory: r.memory } : {}), ...gpu },
              },
              ...(w.readinessProbe ? { readinessProbe: w.readinessProbe } : {}),
            },
          ],
        },
      },
    },
  };
  if (w.transform?.deployment) deploymentArgs = w.transform.deployment(deploymentArgs);
  const deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, deploymentArgs, {
    ...opts,
    dependsOn: w.dependsOn,
    // KEDA's HPA sets spec.replicas from here on: an update must not reset it to the floor.
    ignoreChanges: ["spec.replicas"],
  });

  // maxUnavailable 1 rather than minAvailable: with a single replica a node drain may still
  // evict it (the spot node is going away regardless), and with more it goes one at a time.
  const pdb = new k8s.policy.v1.PodDisruptionBudget(
    `${name}-pdb`,
    {
      metadata: { name: r.endpointName, namespace: r.namespace, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    },
    opts,
  );
  return { serviceAccount, deployment, pdb };
}
