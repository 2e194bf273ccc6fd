import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { workloadTrustPolicyJson } from "../identity/trust-policy";
import type { WorkloadIdentity } from "../types";
import type { ResolvedModelEndpoint } from "./defaults";

/** IAM policy document (only the parts gpufleet writes). */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: {
    Sid: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource?: string | string[];
    Principal?: Record<string, string>;
    Condition?: Record<string, Record<string, string>>;
  }[];
}

/** The ARN's partition ("aws", "aws-cn", "aws-us-gov"), so no lookup is needed for S3 ARNs. */
export function partitionOf(arn: string): string {
  return arn.split(":")[1] ?? "aws";
}

/** The ARN's region: the queue's region is where the worker and KEDA must talk to. */
export function regionOf(arn: string): string {
  return arn.split(":")[3] ?? "";
}

export interface WorkerPolicyInputs {
  queueArn: string;
  dlqArn: string;
  /** Bucket and prefix the pods may write results under. */
  results?: { bucketName: string; prefix: string };
  /** Customer key encrypting the queues. */
  kmsKeyArn?: string;
}

/**
 * What a model pod may do: consume its own queue (receive, delete, extend visibility, read the
 * backlog), read its DLQ's depth, write results under its own prefix, decrypt with the queue
 * key. Every statement names exact ARNs.
 */
export function workerPolicyDocument(inputs: WorkerPolicyInputs): PolicyDocument {
  const doc: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ConsumeRequests",
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
        Resource: inputs.queueArn,
      },
      // Read-only: a worker may report how many of its requests failed; it never writes the DLQ
      // itself (SQS moves messages there after maxReceiveCount receives).
      { Sid: "ReadDeadLetterDepth", Effect: "Allow", Action: ["sqs:GetQueueAttributes"], Resource: inputs.dlqArn },
    ],
  };
  if (inputs.results) {
    const partition = partitionOf(inputs.queueArn);
    doc.Statement.push({
      Sid: "WriteResults",
      Effect: "Allow",
      Action: ["s3:PutObject"],
      Resource: `arn:${partition}:s3:::${inputs.results.bucketName}/${inputs.results.prefix}*`,
    });
  }
  if (inputs.kmsKeyArn) {
    doc.Statement.push({
      Sid: "DecryptRequests",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: inputs.kmsKeyArn,
    });
  }
  return doc;
}

/** What KEDA needs to scale the endpoint: the queue's depth and the predicted-replicas metric. */
export function scalerPolicyDocument(queueArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadBacklog", Effect: "Allow", Action: ["sqs:GetQueueAttributes"], Resource: queueArn },
      // GetMetricData supports no resource-level permissions; it is read-only.
      { Sid: "ReadPrediction", Effect: "Allow", Action: ["cloudwatch:GetMetricData"], Resource: "*" },
    ],
  };
}

export interface EndpointIdentity {
  role: aws.iam.Role;
  rolePolicy: aws.iam.RolePolicy;
  /** The binding of role to service account with EKS Pod Identity. */
  podIdentityAssociation?: aws.eks.PodIdentityAssociation;
  /**
   * What the pods must wait for: credentials are injected when a pod is admitted, so under Pod
   * Identity the association first; in both modes the role's policy.
   */
  podDependencies: pulumi.Resource[];
  /** Role KEDA assumes for this endpoint's triggers, when the cluster names the KEDA operator role. */
  scalerRole?: aws.iam.Role;
  scalerRolePolicy?: aws.iam.RolePolicy;
}

export interface IdentityInputs {
  name: string;
  resolved: ResolvedModelEndpoint;
  identity: WorkloadIdentity;
  clusterName: pulumi.Input<string>;
  kedaOperatorRoleArn?: pulumi.Input<string>;
  queueArn: pulumi.Output<string>;
  dlqArn: pulumi.Output<string>;
  kmsKeyArn?: pulumi.Input<string>;
  tags: Record<string, string>;
  parent: pulumi.Resource;
}

/** The worker role with its policy and binding to the service account, and the optional scaler role. */
export function createIdentity(i: IdentityInputs): EndpointIdentity {
  const { name, resolved: r, parent, tags } = i;
  const serviceAccount = r.endpointName;
  const identity = i.identity;
  const role = new aws.iam.Role(
    `${name}-role`,
    { assumeRolePolicy: workloadTrustPolicyJson(identity, r.namespace, serviceAccount), tags },
    { parent },
  );
  const policy = pulumi.all([i.queueArn, i.dlqArn, i.kmsKeyArn]).apply(([queueArn, dlqArn, kmsKeyArn]) =>
    JSON.stringify(
      workerPolicyDocument({
        queueArn,
        dlqArn,
        ...(r.results ? { results: r.results } : {}),
        ...(kmsKeyArn ? { kmsKeyArn } : {}),
      }),
    ),
  );
  const rolePolicy = new aws.iam.RolePolicy(`${name}-role-policy`, { role: role.id, policy }, { parent });

  const podIdentityAssociation =
    identity.kind === "pod-identity"
      ? new aws.eks.PodIdentityAssociation(
          `${name}-pod-identity`,
          { clusterName: i.clusterName, namespace: r.namespace, serviceAccount, roleArn: role.arn, tags },
          { parent },
        )
      : undefined;

  const result: EndpointIdentity = {
    role,
    rolePolicy,
    podDependencies: podIdentityAssociation ? [podIdentityAssociation, rolePolicy] : [rolePolicy],
    ...(podIdentityAssociation ? { podIdentityAssociation } : {}),
  };
  if (i.kedaOperatorRoleArn !== undefined) {
    const scalerTrust = pulumi.output(i.kedaOperatorRoleArn).apply((operatorArn) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "KedaOperator", Effect: "Allow", Principal: { AWS: operatorArn }, Action: ["sts:AssumeRole"] },
        ],
      } satisfies PolicyDocument),
    );
    const scalerRole = new aws.iam.Role(`${name}-scaler-role`, { assumeRolePolicy: scalerTrust, tags }, { parent });
    result.scalerRolePolicy = new aws.iam.RolePolicy(
      `${name}-scaler-policy`,
      { role: scalerRole.id, policy: i.queueArn.apply((arn) => JSON.stringify(scalerPolicyDocument(arn))) },
      { parent },
    );
    result.scalerRole = scalerRole;
  }
  return result;
}
