import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { workloadTrustPolicyJson } from "../identity/trust-policy";
import type { WorkloadIdentity } from "../types";

/** An IAM policy document. */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource?: string | string[];
    Principal?: Record<string, string | string[]>;
    Condition?: Record<string, Record<string, string | string[]>>;
  }[];
}

/** Where ARNs live: partition, region and account. */
export interface ArnScope {
  partition: string;
  region: string;
  accountId: string;
}

export function assumeRolePolicy(service: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  };
}

/** The ASG EKS creates for a managed node group is named `eks-<nodegroup>-<nodegroup uuid>`. */
export function nodeGroupAsgPattern(nodeGroupName: string): string {
  return `eks-${nodeGroupName}-*`;
}

/**
 * Cluster Autoscaler's policy. Reads need `*` (the Describe calls take no resource); the
 * two writes are limited to the Auto Scaling groups of this cluster's node groups, by ARN
 * and by the `eks:cluster-name` tag EKS puts on them, so the autoscaler cannot resize
 * anything else in the account.
 */
export function clusterAutoscalerPolicy(
  scope: ArnScope,
  clusterName: string,
  nodeGroupNames: string[],
): PolicyDocument {
  const { partition, region, accountId } = scope;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Describe",
        Effect: "Allow",
        Action: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeLaunchConfigurations",
          "autoscaling:DescribeScalingActivities",
          "autoscaling:DescribeTags",
          "ec2:DescribeImages",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:GetInstanceTypesFromInstanceRequirements",
        ],
        Resource: "*",
      },
      {
        Sid: "DescribeNodegroups",
        Effect: "Allow",
        Action: "eks:DescribeNodegroup",
        Resource: nodeGroupNames.map(
          (ng) => `arn:${partition}:eks:${region}:${accountId}:nodegroup/${clusterName}/${ng}/*`,
        ),
      },
      {
        Sid: "ResizeOwnNodeGroups",
        Effect: "Allow",
        Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        Resource: nodeGroupNames.map(
          (ng) =>
            `arn:${partition}:autoscaling:${region}:${accountId}:autoScalingGroup:*:autoScalingGroupName/${nodeGroupAsgPattern(ng)}`,
        ),
        Condition: { StringEquals: { "aws:ResourceTag/eks:cluster-name": clusterName } },
      },
    ],
  };
}

/**
 * KEDA's policy: queue attributes (the SQS scaler's backlog) for this cluster's queues only
 * (the prefix carries the cluster name), and the one CloudWatch call KEDA's aws-cloudwatch
 * scaler makes (GetMetricData, in pkg/scalers/aws_cloudwatch_scaler.go), which takes no
 * resource ARN.
 */
export function kedaPolicy(scope: ArnScope, queueNamePrefix: string): PolicyDocument {
  const { partition, region, accountId } = scope;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadQueueAttributes",
        Effect: "Allow",
        Action: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
        Resource: `arn:${partition}:sqs:${region}:${accountId}:${queueNamePrefix}*`,
      },
      {
        Sid: "ReadMetrics",
        Effect: "Allow",
        Action: "cloudwatch:GetMetricData",
        Resource: "*",
      },
    ],
  };
}

export interface WorkloadRoleArgs {
  clusterName: pulumi.Input<string>;
  identity: WorkloadIdentity;
  namespace: string;
  serviceAccount: string;
  policy: pulumi.Input<PolicyDocument>;
  tags: Record<string, string>;
}

/** An add-on's AWS identity, and what its pods must wait for before they start. */
export interface WorkloadRole {
  role: aws.iam.Role;
  policy: aws.iam.RolePolicy;
  /** The binding of role to service account (Pod Identity only). */
  association?: aws.eks.PodIdentityAssociation;
  /**
   * Resources the add-on's pods depend on: credentials are injected when a pod is admitted,
   * so under Pod Identity the association must exist first; in both modes the policy.
   */
  podDependencies: pulumi.Resource[];
}

/**
 * A role for one add-on's service account, with its inline policy; under Pod Identity
 * also the association that hands the role to the service account.
 */
export function createWorkloadRole(
  name: string,
  args: WorkloadRoleArgs,
  parent: pulumi.Resource,
  dependsOn: pulumi.Resource[] = [],
): WorkloadRole {
  const opts = { parent };
  const { identity } = args;
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      assumeRolePolicy: workloadTrustPolicyJson(identity, args.namespace, args.serviceAccount),
      tags: args.tags,
    },
    opts,
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-policy`,
    { role: role.name, policy: pulumi.output(args.policy).apply((doc) => JSON.stringify(doc)) },
    opts,
  );
  if (identity.kind === "pod-identity") {
    const association = new aws.eks.PodIdentityAssociation(
      `${name}-pod-identity`,
      {
        clusterName: args.clusterName,
        namespace: args.namespace,
        serviceAccount: args.serviceAccount,
        roleArn: role.arn,
        tags: args.tags,
      },
      { parent, dependsOn },
    );
    return { role, policy, association, podDependencies: [association, policy] };
  }
  return { role, policy, podDependencies: [policy] };
}

/** AWS managed policies every EKS node needs. */
export const NODE_POLICIES = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "AmazonEC2ContainerRegistryReadOnly",
] as const;

/** The role the cluster's nodes (system and GPU) run as. */
export function createNodeRole(
  name: string,
  partition: pulumi.Input<string>,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): { role: aws.iam.Role; attachments: aws.iam.RolePolicyAttachment[] } {
  const role = new aws.iam.Role(
    `${name}-node-role`,
    { assumeRolePolicy: JSON.stringify(assumeRolePolicy("ec2.amazonaws.com")), tags },
    { parent },
  );
  const attachments = NODE_POLICIES.map(
    (policy) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-node-${policy}`,
        { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` },
        { parent },
      ),
  );
  return { role, attachments };
}

/** The role the EKS control plane runs as. */
export function createClusterRole(
  name: string,
  partition: pulumi.Input<string>,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): { role: aws.iam.Role; attachment: aws.iam.RolePolicyAttachment } {
  const role = new aws.iam.Role(
    `${name}-cluster-role`,
    { assumeRolePolicy: JSON.stringify(assumeRolePolicy("eks.amazonaws.com")), tags },
    { parent },
  );
  const attachment = new aws.iam.RolePolicyAttachment(
    `${name}-cluster-policy`,
    { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AmazonEKSClusterPolicy` },
    { parent },
  );
  return { role, attachment };
}
