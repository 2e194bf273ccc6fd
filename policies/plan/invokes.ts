/**
 * Offline answers for the invokes a gpufleet program makes. They are plausible, not real:
 * enough for the program to build its resources the way it would against an account.
 */
export type InvokeHandler = (inputs: Record<string, unknown>) => Record<string, unknown>;

export interface OfflineAccount {
  accountId: string;
  region: string;
}

export const DEFAULT_ACCOUNT: OfflineAccount = { accountId: "123456789012", region: "us-east-1" };

interface Statement {
  sid?: string;
  effect?: string;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

/** `aws.iam.getPolicyDocument` rendered the way AWS's provider renders it. */
function policyDocument(inputs: Record<string, unknown>): Record<string, unknown> {
  const statements = (inputs.statements as Statement[] | undefined) ?? [];
  const document = {
    Version: (inputs.version as string | undefined) ?? "2012-10-17",
    Statement: statements.map((s) => {
      const out: Record<string, unknown> = { Effect: s.effect ?? "Allow" };
      if (s.sid) out.Sid = s.sid;
      if (s.actions) out.Action = s.actions.length === 1 ? s.actions[0] : s.actions;
      if (s.notActions) out.NotAction = s.notActions;
      if (s.resources) out.Resource = s.resources.length === 1 ? s.resources[0] : s.resources;
      if (s.notResources) out.NotResource = s.notResources;
      if (s.principals) {
        out.Principal = Object.fromEntries(s.principals.map((p) => [p.type, p.identifiers]));
      }
      if (s.conditions) {
        const condition: Record<string, Record<string, string[]>> = {};
        for (const c of s.conditions) {
          condition[c.test] = { ...condition[c.test], [c.variable]: c.values };
        }
        out.Condition = condition;
      }
      return out;
    }),
  };
  const json = JSON.stringify(document);
  return { json, minifiedJson: json, id: "offline-policy-document" };
}

/** A hex string derived from `text`: stable placeholders that differ between clusters. */
function placeholderHex(text: string, length: number): string {
  let hash = 0x811c9dc5;
  let out = "";
  while (out.length < length) {
    for (const char of `${text}#${out.length}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
    out += hash.toString(16).padStart(8, "0");
  }
  return out.slice(0, length).toUpperCase();
}

/**
 * `aws.eks.getCluster`, the bring-your-own-cluster lookup: a cluster by that name, with a
 * placeholder endpoint, certificate and OIDC issuer derived from the name and region.
 */
function eksCluster(inputs: Record<string, unknown>, account: OfflineAccount): Record<string, unknown> {
  const { accountId, region } = account;
  const name = String(inputs.name ?? "");
  const id = placeholderHex(`${accountId}/${region}/${name}`, 32);
  const zone = (suffix: string) => `${region}${suffix}`;
  return {
    id: name,
    name,
    region,
    arn: `arn:aws:eks:${region}:${accountId}:cluster/${name}`,
    clusterId: "",
    endpoint: `https://${id}.gr7.${region}.eks.amazonaws.com`,
    // Base64 of a PEM header: recognisably a placeholder, and well-formed for a kubeconfig.
    certificateAuthorities: [{ data: Buffer.from("-----BEGIN CERTIFICATE-----\n").toString("base64") }],
    identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${id}` }] }],
    roleArn: `arn:aws:iam::${accountId}:role/${name}-cluster`,
    version: "1.32",
    platformVersion: "eks.1",
    status: "ACTIVE",
    createdAt: "2025-01-01T00:00:00Z",
    deletionProtection: false,
    enabledClusterLogTypes: [],
    accessConfigs: [{ authenticationMode: "API_AND_CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: false }],
    kubernetesNetworkConfigs: [{ ipFamily: "ipv4", serviceIpv4Cidr: "172.20.0.0/16", serviceIpv6Cidr: "" }],
    vpcConfig: {
      clusterSecurityGroupId: `sg-${id.slice(0, 17).toLowerCase()}`,
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
      publicAccessCidrs: [],
      securityGroupIds: [],
      subnetIds: ["a", "b", "c"].map((z) => `subnet-${placeholderHex(zone(z), 17).toLowerCase()}`),
      vpcId: `vpc-${id.slice(0, 17).toLowerCase()}`,
    },
    tags: {},
  };
}

export function offlineInvokes(account: OfflineAccount): Record<string, InvokeHandler> {
  const { accountId, region } = account;
  const zones = ["a", "b", "c"].map((z) => `${region}${z}`);
  return {
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
      accountId,
      arn: `arn:aws:iam::${accountId}:user/gpufleet-plan`,
      userId: "AIDAOFFLINEPLAN",
      id: accountId,
    }),
    "aws:index/getPartition:getPartition": () => ({
      partition: "aws",
      dnsSuffix: "amazonaws.com",
      reverseDnsPrefix: "com.amazonaws",
      id: "aws",
    }),
    "aws:index/getRegion:getRegion": () => ({
      name: region,
      region,
      id: region,
      endpoint: `ec2.${region}.amazonaws.com`,
      description: region,
    }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
      names: zones,
      zoneIds: zones.map((_, i) => `${region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
      id: region,
    }),
    // EKS-optimized AMI IDs are published as SSM public parameters.
    "aws:ssm/getParameter:getParameter": (inputs) => ({
      name: inputs.name,
      value: "ami-0123456789abcdef0",
      insecureValue: "ami-0123456789abcdef0",
      type: "String",
      version: 1,
      arn: `arn:aws:ssm:${region}::parameter${String(inputs.name)}`,
      id: inputs.name,
    }),
    "aws:iam/getPolicyDocument:getPolicyDocument": policyDocument,
    "aws:eks/getCluster:getCluster": (inputs) => eksCluster(inputs, account),
  };
}
