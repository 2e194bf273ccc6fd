import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { WorkloadIdentity } from "../types";
import type { ResolvedNewCluster } from "./defaults";
import { createClusterRole, createNodeRole } from "./iam";
import { buildKubeconfig } from "./kubeconfig";
import { createNetwork } from "./network";

/** Node group name of the on-demand group that runs the controllers (GPU pools' names all start "gpufleet-"). */
export const SYSTEM_NODE_GROUP = "system";

/** What the rest of GpuCluster needs of a cluster, whoever created it. */
export interface ClusterFoundation {
  clusterName: pulumi.Output<string>;
  nodeRoleArn: pulumi.Output<string>;
  subnetIds: pulumi.Output<string[]>;
  identity: WorkloadIdentity;
  kubeconfig: pulumi.Output<string>;
  /** Node groups this component created besides the GPU pools (the autoscaler may resize them). */
  extraNodeGroupNames: string[];
  /** Resources that must exist before GPU node groups join. */
  nodeGroupDependencies: pulumi.Resource[];
  /** Resources that must exist before add-on pods can run and get AWS credentials. */
  addonDependencies: pulumi.Resource[];
  /** Resources that must exist before the Kubernetes provider can talk to the API (the admins' access). */
  providerDependencies: pulumi.Resource[];
  vpcId?: pulumi.Output<string>;
}

export interface NewClusterContext {
  name: string;
  config: ResolvedNewCluster;
  partition: pulumi.Output<string>;
  region: pulumi.Output<string>;
  /** ARN of the identity running the program: the admin when the config names none. */
  callerArn: pulumi.Output<string>;
  tags: Record<string, string>;
  parent: pulumi.Resource;
}

/**
 * The IAM principal behind a caller ARN: an assumed-role session
 * (`arn:aws:sts::<account>:assumed-role/<role>/<session>`) is its role; users and roles are themselves.
 */
export function principalOfCaller(arn: string): string {
  const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : arn;
}

/** Grants each admin cluster-admin through an EKS access entry; the provider waits for them. */
function createAdminAccess(
  name: string,
  clusterName: pulumi.Input<string>,
  admins: pulumi.Input<string>[],
  partition: pulumi.Input<string>,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): pulumi.Resource[] {
  return admins.flatMap((principalArn, i) => {
    const entry = new aws.eks.AccessEntry(
      `${name}-admin-${i}`,
      { clusterName, principalArn, type: "STANDARD", tags },
      { parent },
    );
    const policy = new aws.eks.AccessPolicyAssociation(
      `${name}-admin-${i}-policy`,
      {
        clusterName,
        principalArn: entry.principalArn,
        policyArn: pulumi.interpolate`arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: "cluster" },
      },
      { parent },
    );
    return [entry, policy];
  });
}

/**
 * A new EKS cluster: network, control plane with KMS secrets encryption and control-plane
 * logging, an on-demand system node group, and the workload identity mechanism.
 */
export function createEksCluster(ctx: NewClusterContext): ClusterFoundation {
  const { name, config, tags, parent } = ctx;
  const opts = { parent };

  const network =
    config.subnetIds === undefined
      ? createNetwork(
          name,
          {
            clusterName: config.clusterName,
            cidrBlock: config.vpcCidr,
            zoneCount: config.availabilityZoneCount,
            ...(config.availabilityZones ? { zones: config.availabilityZones } : {}),
            tags,
          },
          parent,
        )
      : undefined;
  const subnetIds = network ? pulumi.all(network.privateSubnetIds) : pulumi.all(config.subnetIds ?? []);

  const clusterRole = createClusterRole(name, ctx.partition, tags, parent);
  const kmsKeyArn =
    config.kmsKeyArn ??
    new aws.kms.Key(
      `${name}-secrets-key`,
      {
        description: `Envelope encryption of Kubernetes secrets in EKS cluster ${config.clusterName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags,
      },
      opts,
    ).arn;
  // Created first so EKS writes into a group with a retention rather than one it creates with none.
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-control-plane-logs`,
    { name: `/aws/eks/${config.clusterName}/cluster`, retentionInDays: config.logRetentionDays, tags },
    opts,
  );

  const publicAccess = config.publicAccessCidrs.length > 0;
  const cluster = new aws.eks.Cluster(
    `${name}-eks`,
    {
      name: config.clusterName,
      version: config.version,
      roleArn: clusterRole.role.arn,
      vpcConfig: {
        subnetIds,
        endpointPrivateAccess: config.privateAccess,
        endpointPublicAccess: publicAccess,
        ...(publicAccess ? { publicAccessCidrs: config.publicAccessCidrs } : {}),
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: kmsKeyArn } },
      enabledClusterLogTypes: config.logTypes,
      // Admins come from explicit access entries (below), which the config can change or revoke.
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      tags,
    },
    { parent, dependsOn: [logGroup, clusterRole.attachment] },
  );

  const nodeRole = createNodeRole(name, ctx.partition, tags, parent);
  const systemNodes = new aws.eks.NodeGroup(
    `${name}-system`,
    {
      clusterName: cluster.name,
      nodeGroupName: SYSTEM_NODE_GROUP,
      nodeRoleArn: nodeRole.role.arn,
      subnetIds,
      instanceTypes: config.systemInstanceTypes,
      capacityType: "ON_DEMAND",
      amiType: "AL2023_x86_64_STANDARD",
      scalingConfig: {
        minSize: config.systemMinSize,
        maxSize: config.systemMaxSize,
        desiredSize: config.systemMinSize,
      },
      labels: { "gpufleet.io/role": "system" },
      updateConfig: { maxUnavailable: 1 },
      tags,
    },
    { parent, dependsOn: nodeRole.attachments, ignoreChanges: ["scalingConfig.desiredSize"] },
  );

  let identity: WorkloadIdentity;
  const addonDependencies: pulumi.Resource[] = [systemNodes];
  if (config.identity === "pod-identity") {
    const agent = new aws.eks.Addon(
      `${name}-pod-identity-agent`,
      { clusterName: cluster.name, addonName: "eks-pod-identity-agent", tags },
      { parent, dependsOn: [systemNodes] },
    );
    addonDependencies.push(agent);
    identity = { kind: "pod-identity" };
  } else {
    const issuer = cluster.identities.apply((ids) => ids?.[0]?.oidcs?.[0]?.issuer ?? "");
    const oidc = new aws.iam.OpenIdConnectProvider(
      `${name}-oidc`,
      { url: issuer, clientIdLists: ["sts.amazonaws.com"], tags },
      opts,
    );
    identity = { kind: "irsa", oidcProviderArn: oidc.arn, oidcProviderUrl: issuer };
  }

  const kubeconfig = pulumi
    .all([cluster.name, cluster.endpoint, cluster.certificateAuthority, ctx.region])
    .apply(([clusterName, endpoint, ca, region]) =>
      buildKubeconfig({
        clusterName,
        endpoint: endpoint ?? "",
        certificateAuthority: ca?.data ?? "",
        region,
      }),
    );

  const admins = config.adminArns ?? [ctx.callerArn.apply(principalOfCaller)];
  const providerDependencies = createAdminAccess(name, cluster.name, admins, ctx.partition, tags, parent);

  const foundation: ClusterFoundation = {
    clusterName: cluster.name,
    nodeRoleArn: nodeRole.role.arn,
    subnetIds,
    identity,
    kubeconfig: pulumi.secret(kubeconfig),
    extraNodeGroupNames: [SYSTEM_NODE_GROUP],
    nodeGroupDependencies: [cluster, ...nodeRole.attachments],
    addonDependencies,
    providerDependencies,
  };
  if (network) foundation.vpcId = network.vpcId;
  return foundation;
}
