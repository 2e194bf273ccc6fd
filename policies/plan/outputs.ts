import type { OfflineAccount } from "./invokes";

/**
 * What the offline provider answers for the outputs a program links resources by (names,
 * ARNs, URLs). Autonamed resources keep their logical name (no random suffix). Every other
 * provider-computed output stays unknown, as in a first `pulumi preview`.
 */
export function synthesizedOutputs(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  account: OfflineAccount,
): Record<string, unknown> {
  const { accountId, region } = account;
  const given = typeof inputs.name === "string" ? inputs.name : name;
  switch (type) {
    case "aws:sqs/queue:Queue":
      return {
        name: given,
        arn: `arn:aws:sqs:${region}:${accountId}:${given}`,
        url: `https://sqs.${region}.amazonaws.com/${accountId}/${given}`,
      };
    case "aws:iam/role:Role":
      return { name: given, arn: `arn:aws:iam::${accountId}:role/${given}`, uniqueId: `AROA${given.toUpperCase()}` };
    case "aws:iam/policy:Policy":
      return { name: given, arn: `arn:aws:iam::${accountId}:policy/${given}` };
    case "aws:lambda/function:Function":
      return {
        name: given,
        arn: `arn:aws:lambda:${region}:${accountId}:function:${given}`,
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:${accountId}:function:${given}/invocations`,
      };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { name: given, arn: `arn:aws:logs:${region}:${accountId}:log-group:${given}` };
    case "aws:eks/cluster:Cluster":
      return {
        name: given,
        arn: `arn:aws:eks:${region}:${accountId}:cluster/${given}`,
        endpoint: `https://OFFLINEPLAN.gr7.${region}.eks.amazonaws.com`,
        certificateAuthority: { data: Buffer.from("offline plan certificate").toString("base64") },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/OFFLINEPLAN` }] }],
      };
    case "aws:eks/nodeGroup:NodeGroup": {
      const nodeGroupName = typeof inputs.nodeGroupName === "string" ? inputs.nodeGroupName : name;
      return {
        nodeGroupName,
        arn: `arn:aws:eks:${region}:${accountId}:nodegroup/${nodeGroupName}`,
        resources: [{ autoscalingGroups: [{ name: `eks-${nodeGroupName}-asg` }] }],
      };
    }
    case "aws:kms/key:Key":
      return { keyId: `${name}-key-id`, arn: `arn:aws:kms:${region}:${accountId}:key/${name}-key-id` };
    default:
      if (type.startsWith("aws:")) {
        const service = type.slice(4, type.indexOf("/"));
        return { arn: `arn:aws:${service}:${region}:${accountId}:${name}` };
      }
      return {};
  }
}
