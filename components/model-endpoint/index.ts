import * as pulumi from "@pulumi/pulumi";
import type { EndpointProfile } from "../../functions/contract";
import { type FleetEndpoint, workloadIdentityOf } from "../types";
import { typescriptOnlyMembers } from "../typescript-only";
import { createAlarms, type EndpointAlarms } from "./alarms";
import type { ModelEndpointArgs, ModelEndpointOptions } from "./args";
import type { ResolvedModelEndpoint } from "./defaults";
import { createIdentity, type EndpointIdentity, regionOf } from "./identity";
import { ModelWorkload } from "./model-workload";
import { createQueues, type EndpointQueues } from "./queue";
import { createResults, type EndpointResults } from "./results";
import type { EndpointScaling } from "./scaling";
import { validateModelEndpointArgs } from "./validate";
import type { EndpointWorkload } from "./workload";

/** The child resources, for stacks that need to reference or depend on one. */
export interface ModelEndpointResources
  extends EndpointQueues,
    Omit<EndpointIdentity, "podDependencies">,
    EndpointWorkload,
    EndpointScaling {
  /** The Kubernetes half, which owns the workload and scaling resources below. */
  workload: ModelWorkload;
  alarms?: EndpointAlarms;
  /** The results bucket sidecar mode creates. */
  results?: EndpointResults;
}

/** What a client needs to send requests and read results (see client/). */
export interface ModelEndpointClientOutput {
  queueUrl: string;
  resultsUri: string;
  region: string;
}

export type * from "./args";
export { backlogPerReplica, MODEL_ENDPOINT_DEFAULTS, type ResolvedModelEndpoint, resolveProfile } from "./defaults";
export { isReservedEnvName, WORKER_ENV } from "./env";
export { scalerPolicyDocument, workerPolicyDocument } from "./identity";
export {
  ModelWorkload,
  type ModelWorkloadArgs,
  type ModelWorkloadOptions,
  type SidecarResultsLocation,
  validateModelWorkloadArgs,
  type WorkloadQueueArgs,
} from "./model-workload";
export { denyInsecureTransportPolicy } from "./queue";
export { clientPolicyDocument, resultsBucketPolicyDocument, resultsWriterPolicyDocument } from "./results";
export { scaledObjectSpec } from "./scaling";
export {
  checkSidecarArgs,
  type ModelEndpointSidecarArgs,
  type ModelEndpointSidecarResultsArgs,
  ModelProtocol,
  SIDECAR_DEFAULTS,
  withWorkerSidecar,
  workerContainer,
} from "./sidecar";
export { modelEndpointProblems, requestProblems, validateModelEndpointArgs } from "./validate";
export { clusterRefProblems, readinessProbeProblems } from "./validate-refs";
export { poolAffinity } from "./workload";

const typescriptOnly = typescriptOnlyMembers<
  ModelEndpoint,
  { settings: ResolvedModelEndpoint; resources: ModelEndpointResources }
>();

/**
 * One model served as an async endpoint on shared GPU slices: an encrypted SQS queue with a
 * DLQ, a least-privilege pod identity, a Deployment with one GPU slice per replica, a KEDA
 * ScaledObject scaling on backlog and on the predictive autoscaler's metric, and alarms.
 * The AWS side is built here; the Kubernetes resources are a `ModelWorkload` child.
 * Satisfies FleetEndpoint, so FleetControl can manage it.
 */
export class ModelEndpoint extends pulumi.ComponentResource implements FleetEndpoint {
  /** The endpoint's name: Kubernetes name and the predicted-replicas metric dimension. */
  readonly endpointName: string;
  readonly namespace: string;
  readonly profile: EndpointProfile;
  readonly poolNames: string[];
  readonly queueName: pulumi.Output<string>;
  readonly queueUrl: pulumi.Output<string>;
  readonly queueArn: pulumi.Output<string>;
  readonly dlqUrl: pulumi.Output<string>;
  readonly dlqArn: pulumi.Output<string>;
  readonly deploymentName: pulumi.Output<string>;
  readonly serviceAccountName: pulumi.Output<string>;
  /** The role the model pods run as. */
  readonly roleArn: pulumi.Output<string>;
  /** The SNS topic the alarms notify, when the endpoint has one. */
  readonly alarmTopicArn: pulumi.Output<string | undefined>;
  readonly alarmArns: pulumi.Output<string[]>;
  /** The queue's region. */
  readonly region: pulumi.Output<string>;
  /** `s3://bucket/prefix/` where results are written, when the endpoint has a results location. */
  readonly resultsUri: pulumi.Output<string | undefined>;
  /** Queue URL, results URI and region for the client SDK and `gpufleet invoke`, when there are results. */
  readonly client: pulumi.Output<ModelEndpointClientOutput | undefined>;

  /** Every setting after defaults, for inspection and tests. */
  get settings(): ResolvedModelEndpoint {
    return typescriptOnly.get(this).settings;
  }

  /** The child resources, for stacks that need to reference or depend on one. */
  get resources(): ModelEndpointResources {
    return typescriptOnly.get(this).resources;
  }

  constructor(name: string, args: ModelEndpointArgs, opts?: ModelEndpointOptions) {
    // Validation first, synchronously: a bad config fails before any resource exists.
    const r = validateModelEndpointArgs(name, args);
    const { transform, ...resourceOptions } = opts ?? {};
    super("gpufleet:index:ModelEndpoint", name, {}, resourceOptions);
    this.endpointName = r.endpointName;
    this.namespace = r.namespace;
    this.profile = r.profile;
    this.poolNames = r.pools.map((p) => p.name);

    const tags = { "gpufleet:endpoint": r.endpointName, ...args.tags };
    const kmsKeyArn = args.queue?.kmsKeyArn;
    const queues = createQueues(name, r, kmsKeyArn, tags, this);
    const { queue, dlq } = queues;
    const region = queue.arn.apply(regionOf);

    const identity = createIdentity({
      name,
      resolved: r,
      identity: workloadIdentityOf(args.cluster),
      clusterName: args.cluster.clusterName,
      ...(args.cluster.kedaOperatorRoleArn !== undefined
        ? { kedaOperatorRoleArn: args.cluster.kedaOperatorRoleArn }
        : {}),
      queueArn: queue.arn,
      dlqArn: dlq.arn,
      ...(kmsKeyArn !== undefined ? { kmsKeyArn } : {}),
      tags,
      parent: this,
    });

    // Sidecar mode with sidecar.results: a results bucket of the endpoint's own.
    const resultsPrefix = `${r.endpointName}/`;
    const results =
      args.sidecar?.results !== undefined
        ? createResults({
            name,
            endpointName: r.endpointName,
            prefix: resultsPrefix,
            args: args.sidecar.results,
            roleName: identity.role.name,
            tags,
            parent: this,
          })
        : undefined;
    const resultsLocation = results ? { bucketName: results.bucket.bucket, prefix: resultsPrefix } : r.results;

    const workload = new ModelWorkload(
      name,
      {
        ...args,
        queueUrl: queue.url,
        dlqUrl: dlq.url,
        region,
        roleArn: identity.role.arn,
        ...(identity.scalerRole ? { scalerRoleArn: identity.scalerRole.arn } : {}),
        ...(results ? { sidecarResults: { bucketName: results.bucket.bucket, prefix: resultsPrefix } } : {}),
      },
      {
        parent: this,
        podDependsOn: results ? [...identity.podDependencies, results.writerPolicy] : identity.podDependencies,
        ...(transform ? { transform } : {}),
        ...(opts?.dependsOn !== undefined ? { dependsOn: opts.dependsOn } : {}),
      },
    );

    const givenTopicArn = args.alarms?.topicArn;
    const alarms = r.alarms.enabled
      ? createAlarms({
          name,
          resolved: r,
          queueName: queue.name,
          dlqName: dlq.name,
          ...(givenTopicArn !== undefined ? { topicArn: givenTopicArn } : {}),
          tags,
          parent: this,
        })
      : undefined;
    const topicArn = alarms?.topic ? alarms.topic.arn : givenTopicArn;
    const { podDependencies: _dependencies, ...identityResources } = identity;
    const resources: ModelEndpointResources = {
      ...queues,
      ...identityResources,
      workload,
      serviceAccount: workload.serviceAccount,
      deployment: workload.deployment,
      pdb: workload.pdb,
      triggerAuthentication: workload.triggerAuthentication,
      scaledObject: workload.scaledObject,
      ...(alarms ? { alarms } : {}),
      ...(results ? { results } : {}),
    };
    typescriptOnly.set(this, { settings: r, resources });

    this.queueName = queue.name;
    this.queueUrl = queue.url;
    this.queueArn = queue.arn;
    this.dlqUrl = dlq.url;
    this.dlqArn = dlq.arn;
    this.deploymentName = workload.deployment.metadata.name;
    this.serviceAccountName = workload.serviceAccount.metadata.name;
    this.roleArn = identity.role.arn;
    this.alarmTopicArn = pulumi.output(topicArn);
    this.alarmArns = pulumi.all(alarms ? [alarms.dlqNotEmpty.arn, alarms.oldestMessage.arn, alarms.stalled.arn] : []);
    this.region = region;
    const resultsUri = resultsLocation
      ? pulumi.interpolate`s3://${resultsLocation.bucketName}/${resultsLocation.prefix}`
      : undefined;
    this.resultsUri = pulumi.output(resultsUri);
    this.client = resultsUri
      ? pulumi
          .all([queue.url, resultsUri, region])
          .apply(([queueUrl, uri, queueRegion]): ModelEndpointClientOutput | undefined => ({
            queueUrl,
            resultsUri: uri,
            region: queueRegion,
          }))
      : pulumi.output<ModelEndpointClientOutput | undefined>(undefined);

    this.registerOutputs({
      endpointName: this.endpointName,
      namespace: this.namespace,
      profile: this.profile,
      poolNames: this.poolNames,
      queueName: this.queueName,
      queueUrl: this.queueUrl,
      queueArn: this.queueArn,
      dlqUrl: this.dlqUrl,
      dlqArn: this.dlqArn,
      deploymentName: this.deploymentName,
      serviceAccountName: this.serviceAccountName,
      roleArn: this.roleArn,
      alarmTopicArn: this.alarmTopicArn,
      alarmArns: this.alarmArns,
      region: this.region,
      resultsUri: this.resultsUri,
      client: this.client,
    });
  }
}
