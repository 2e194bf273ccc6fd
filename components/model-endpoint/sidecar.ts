/**
 * Sidecar mode: the user's image is a plain HTTP model server; gpufleet's worker sidecar runs
 * the worker contract for it. The worker is the pod's main container and the model server a
 * native sidecar (a restartable init container), so on shutdown Kubernetes stops the worker
 * first, and the model keeps serving while the worker finishes or releases its requests.
 */

import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { SIDECAR_ENV, WORKER_ENV } from "../../functions/contract";
import type { Problem } from "../../functions/problems";
import type { ModelEndpointTransforms } from "./args";
import type { ResolvedModelEndpoint } from "./defaults";
import { type WorkerEnvInputs, workerEnv } from "./workload";

type Container = k8s.types.input.core.v1.Container;
type EnvVar = k8s.types.input.core.v1.EnvVar;

/** How the worker sidecar talks to the model server. */
export const ModelProtocol = { Json: "json", Openai: "openai", Kserve: "kserve" } as const;
export type ModelProtocol = (typeof ModelProtocol)[keyof typeof ModelProtocol];
/** The former name of ModelProtocol. */
export type ModelProtocolArg = ModelProtocol;

/** Results the endpoint creates for sidecar mode (a new bucket). */
export interface ModelEndpointSidecarResultsArgs {
  /**
   * Days after which a result (and its streamed parts) is deleted by an S3 lifecycle rule (1 to 3650).
   * @default 7
   */
  expireAfterDays?: number;
  /** IAM roles that may read results; every other principal is denied. At least one. */
  readerRoleArns: pulumi.Input<string>[];
  /**
   * A customer-managed KMS key for the results; the worker role gets kms:GenerateDataKey on it.
   * @default SSE-S3 (AES-256)
   */
  kmsKeyArn?: pulumi.Input<string>;
}

/** The worker sidecar that forwards queued requests to an HTTP model server in the same pod. */
export interface ModelEndpointSidecarArgs {
  /** The worker sidecar's image, built from the repository's Dockerfile. */
  workerImage: string;
  /** Port the model server listens on (the worker calls http://127.0.0.1:<port>). */
  port: number;
  /**
   * How requests are forwarded: `json` (POST /invocations, health /ping), `openai`
   * (POST /v1/chat/completions, health /health) or `kserve` (POST /v2/models/<modelName>/infer,
   * health /v2/health/ready).
   * @default "json"
   */
  protocol?: ModelProtocol;
  /**
   * Path requests are POSTed to.
   * @default the protocol's
   */
  invokePath?: string;
  /**
   * Path that answers 2xx once the model is loaded; the pod is ready only then.
   * @default the protocol's
   */
  healthPath?: string;
  /** Model name, required by the kserve protocol's default route. */
  modelName?: string;
  /**
   * Port of the worker's /healthz and /readyz; must differ from `port`.
   * @default 8081
   */
  healthPort?: number;
  /**
   * Milliseconds streamed events are gathered into one published part.
   * @default 500
   */
  streamFlushMillis?: number;
  /**
   * CPU request of the worker container.
   * @default "250m"
   */
  cpu?: string;
  /**
   * Memory request and limit of the worker container.
   * @default "256Mi"
   */
  memory?: string;
  /**
   * The results bucket the endpoint creates. Omit only when `results.bucketName` names an
   * existing bucket (whose lifecycle, encryption and access its owner then manages).
   */
  results?: ModelEndpointSidecarResultsArgs;
}

export const SIDECAR_DEFAULTS = {
  protocol: "json" as ModelProtocol,
  healthPort: 8081,
  streamFlushMillis: 500,
  cpu: "250m",
  memory: "256Mi",
  expireAfterDays: 7,
} as const;

const PROTOCOLS: readonly ModelProtocol[] = Object.values(ModelProtocol);

/**
 * Checks sidecar mode's arguments; `fail` throws the component's config error. `existingBucket`
 * says whether `results.bucketName` names a bucket to use instead of creating one.
 */
export function checkSidecarArgs(
  s: ModelEndpointSidecarArgs,
  existingBucket: boolean,
  fail: (problem: Problem) => never,
): void {
  const port = (field: string, value: number) => {
    if (!Number.isInteger(value) || value < 1 || value > 65_535) {
      fail({ field, value, rule: "must be a whole number between 1 and 65535" });
    }
  };
  if (!s.workerImage) {
    fail({ field: "sidecar.workerImage", rule: "is required (an image built from the gpufleet Dockerfile)" });
  }
  port("sidecar.port", s.port);
  const healthPort = s.healthPort ?? SIDECAR_DEFAULTS.healthPort;
  port("sidecar.healthPort", healthPort);
  if (healthPort === s.port) {
    fail({ field: "sidecar.healthPort", value: healthPort, rule: `must differ from sidecar.port (${s.port})` });
  }
  const protocol = s.protocol ?? SIDECAR_DEFAULTS.protocol;
  if (!PROTOCOLS.includes(protocol)) {
    fail({ field: "sidecar.protocol", value: protocol, rule: `must be one of ${PROTOCOLS.join(", ")}` });
  }
  if (protocol === "kserve" && !s.modelName && !s.invokePath) {
    fail({
      field: "sidecar.modelName",
      rule: "is required with protocol kserve (the route is /v2/models/<modelName>/infer)",
    });
  }
  for (const field of ["invokePath", "healthPath"] as const) {
    const value = s[field];
    if (value !== undefined && !value.startsWith("/"))
      fail({ field: `sidecar.${field}`, value, rule: "must start with '/'" });
  }
  const flush = s.streamFlushMillis;
  if (flush !== undefined && (!Number.isInteger(flush) || flush < 0 || flush > 60_000)) {
    fail({ field: "sidecar.streamFlushMillis", value: flush, rule: "must be a whole number between 0 and 60000" });
  }
  if (existingBucket) {
    if (s.results) {
      fail({
        field: "sidecar.results",
        rule: "configures a bucket the endpoint creates; with results.bucketName (an existing bucket) its owner sets lifecycle, encryption and access",
      });
    }
    return;
  }
  if (!s.results) {
    fail({
      field: "sidecar",
      rule: "mode needs a results location: sidecar.results (a new bucket) or results.bucketName (an existing one)",
    });
  }
  const days = s.results.expireAfterDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) {
    fail({ field: "sidecar.results.expireAfterDays", value: days, rule: "must be a whole number between 1 and 3650" });
  }
  if (s.results.readerRoleArns.length === 0) {
    fail({
      field: "sidecar.results.readerRoleArns",
      rule: "must name at least one role: only those roles may read results",
    });
  }
}

export interface SidecarContainerInputs {
  sidecar: ModelEndpointSidecarArgs;
  /** The worker contract's variables (queue, timeouts, concurrency), as the model container would get them. */
  contractEnv: EnvVar[];
  results: { bucketName: pulumi.Input<string>; prefix: string; uri: pulumi.Input<string> };
}

/** The worker container: the contract's environment, the model's address, probes, a locked-down security context. */
export function workerContainer(i: SidecarContainerInputs): Container {
  const s = i.sidecar;
  const healthPort = s.healthPort ?? SIDECAR_DEFAULTS.healthPort;
  const resultsNames: string[] = [WORKER_ENV.resultsUri, WORKER_ENV.resultsBucket, WORKER_ENV.resultsPrefix];
  const env: EnvVar[] = [
    ...i.contractEnv.filter((e) => !resultsNames.includes(e.name as string)),
    { name: WORKER_ENV.resultsUri, value: i.results.uri },
    { name: WORKER_ENV.resultsBucket, value: i.results.bucketName },
    { name: WORKER_ENV.resultsPrefix, value: i.results.prefix },
    { name: SIDECAR_ENV.modelUrl, value: `http://127.0.0.1:${s.port}` },
    { name: SIDECAR_ENV.protocol, value: s.protocol ?? SIDECAR_DEFAULTS.protocol },
    { name: SIDECAR_ENV.healthPort, value: String(healthPort) },
    { name: SIDECAR_ENV.streamFlushMillis, value: String(s.streamFlushMillis ?? SIDECAR_DEFAULTS.streamFlushMillis) },
  ];
  if (s.invokePath) env.push({ name: SIDECAR_ENV.invokePath, value: s.invokePath });
  if (s.healthPath) env.push({ name: SIDECAR_ENV.healthPath, value: s.healthPath });
  if (s.modelName) env.push({ name: SIDECAR_ENV.modelName, value: s.modelName });
  const memory = s.memory ?? SIDECAR_DEFAULTS.memory;
  return {
    name: "worker",
    image: s.workerImage,
    env,
    ports: [{ name: "worker-health", containerPort: healthPort }],
    // Ready only while the model's health route answers: KEDA and the HPA count serving replicas.
    readinessProbe: { httpGet: { path: "/readyz", port: healthPort }, periodSeconds: 5, failureThreshold: 2 },
    livenessProbe: { httpGet: { path: "/healthz", port: healthPort }, periodSeconds: 10, failureThreshold: 3 },
    resources: { requests: { cpu: s.cpu ?? SIDECAR_DEFAULTS.cpu, memory }, limits: { memory } },
    securityContext: {
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    },
  };
}

type DeploymentArgs = k8s.apps.v1.DeploymentArgs;
type PodSpec = k8s.types.input.core.v1.PodSpec;

/**
 * Rearranges the endpoint's pod for sidecar mode: the model container becomes a native sidecar
 * and the worker the main container. The Deployment's arguments are plain values built by the
 * component (not outputs), which is what lets this edit them.
 */
export function withWorkerSidecar(args: DeploymentArgs, worker: Container): DeploymentArgs {
  const spec = args.spec as k8s.types.input.apps.v1.DeploymentSpec;
  const template = spec.template as k8s.types.input.core.v1.PodTemplateSpec;
  const pod = template.spec as PodSpec;
  const containers = pod.containers as Container[];
  const podSpec: PodSpec = {
    ...pod,
    initContainers: [
      ...((pod.initContainers as Container[] | undefined) ?? []),
      ...containers.map((c) => ({ ...c, restartPolicy: "Always" })),
    ],
    containers: [worker],
  };
  return { ...args, spec: { ...spec, template: { ...template, spec: podSpec } } };
}

/** The model container's environment and the Deployment transform, for either mode. */
export interface PodArrangement {
  env: EnvVar[];
  transform?: ModelEndpointTransforms;
}

export interface PodArrangementArgs {
  sidecar?: ModelEndpointSidecarArgs;
  env?: Record<string, pulumi.Input<string>>;
  transform?: ModelEndpointTransforms;
}

/**
 * Without a sidecar the model container gets the worker contract's environment. With one, the
 * model server gets only the user's variables and the worker gets the contract's; the pod is
 * rearranged before the user's transform sees it. `results` is the location the worker writes
 * to: the bucket the endpoint created, else `results.bucketName`.
 */
export function podArrangement(
  r: ResolvedModelEndpoint,
  args: PodArrangementArgs,
  contract: WorkerEnvInputs,
  results: { bucketName: pulumi.Input<string>; prefix: string } | undefined,
): PodArrangement {
  const userTransform = args.transform;
  if (!args.sidecar || !results) {
    return { env: workerEnv(r, contract, args.env ?? {}), ...(userTransform ? { transform: userTransform } : {}) };
  }
  const worker = workerContainer({
    sidecar: args.sidecar,
    contractEnv: workerEnv(r, contract, {}),
    results: { ...results, uri: pulumi.interpolate`s3://${results.bucketName}/${results.prefix}` },
  });
  const user = userTransform?.deployment;
  return {
    env: Object.entries(args.env ?? {}).map(([name, value]) => ({ name, value })),
    transform: {
      deployment: (a) => {
        const arranged = withWorkerSidecar(a, worker);
        return user ? user(arranged) : arranged;
      },
    },
  };
}
