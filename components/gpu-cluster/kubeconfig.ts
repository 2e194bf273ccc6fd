import { stringify } from "yaml";

export interface KubeconfigArgs {
  clusterName: string;
  /** API server URL; empty while unknown (a preview). */
  endpoint: string;
  /** Base64 cluster CA bundle. */
  certificateAuthority: string;
  region: string;
}

/**
 * A kubeconfig that authenticates through `aws eks get-token`, so it holds no credential of
 * its own: whoever uses it needs AWS credentials with access to the cluster.
 */
export function buildKubeconfig(args: KubeconfigArgs): string {
  const context = args.clusterName;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: context, cluster: { server: args.endpoint, "certificate-authority-data": args.certificateAuthority } },
    ],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    "current-context": context,
    users: [
      {
        name: context,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", args.clusterName, "--region", args.region, "--output", "json"],
            interactiveMode: "Never",
          },
        },
      },
    ],
  });
}
