import * as pulumi from "@pulumi/pulumi";
import type { WorkloadIdentity } from "../types";

/** A role trust policy as gpufleet writes it: one statement naming who may assume the role. */
export interface TrustPolicyDocument {
  Version: "2012-10-17";
  Statement: {
    Sid: string;
    Effect: "Allow";
    Principal: Record<string, string>;
    Action: string[];
    Condition: Record<string, Record<string, string>>;
  }[];
}

/** A workload identity with its provider values known (not Pulumi inputs). */
export type PlainWorkloadIdentity =
  | { kind: "pod-identity" }
  | { kind: "irsa"; oidcProviderArn: string; oidcProviderUrl: string };

/** Strips the scheme: IRSA condition keys are "<issuer host/path>:sub". */
function issuer(url: string): string {
  return url.replace(/^https:\/\//, "");
}

/**
 * Trust policy of a role for one Kubernetes service account: only that exact service account
 * may assume it, through EKS Pod Identity (the namespace and service-account session tags the
 * Pod Identity agent sets) or IRSA (the OIDC token's sub and aud). Without the conditions,
 * any Pod Identity association in the account could hand the role to any pod.
 */
export function workloadTrustPolicy(
  identity: PlainWorkloadIdentity,
  namespace: string,
  serviceAccount: string,
): TrustPolicyDocument {
  if (identity.kind === "pod-identity") {
    return {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "EksPodIdentity",
          Effect: "Allow",
          Principal: { Service: "pods.eks.amazonaws.com" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
          Condition: {
            StringEquals: {
              "aws:RequestTag/kubernetes-namespace": namespace,
              "aws:RequestTag/kubernetes-service-account": serviceAccount,
            },
          },
        },
      ],
    };
  }
  const host = issuer(identity.oidcProviderUrl);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Irsa",
        Effect: "Allow",
        Principal: { Federated: identity.oidcProviderArn },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        Condition: {
          StringEquals: {
            [`${host}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            [`${host}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
  };
}

/** `workloadTrustPolicy` for an identity whose OIDC provider values may be Pulumi outputs, as JSON. */
export function workloadTrustPolicyJson(
  identity: WorkloadIdentity,
  namespace: string,
  serviceAccount: string,
): pulumi.Output<string> {
  const trust =
    identity.kind === "pod-identity"
      ? pulumi.output(workloadTrustPolicy(identity, namespace, serviceAccount))
      : pulumi
          .all([identity.oidcProviderArn, identity.oidcProviderUrl])
          .apply(([oidcProviderArn, oidcProviderUrl]) =>
            workloadTrustPolicy({ kind: "irsa", oidcProviderArn, oidcProviderUrl }, namespace, serviceAccount),
          );
  return trust.apply((doc) => JSON.stringify(doc));
}
