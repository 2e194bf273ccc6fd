/**
 * The scale-in packer as Kubernetes objects: a one-replica Deployment of `gpufleet packer`
 * on the system nodes, with a service account that may list and patch pods and nothing
 * else. See functions/packing.ts for what it does and why.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ScaleInPackerArgs } from "./args";

export const PACKER_NAME = "gpufleet-packer";
export const PACKER_NAMESPACE = "kube-system";

/** All the packer may do: read pods to count them per node, patch their deletion-cost annotation. */
export const PACKER_RULES = [{ apiGroups: [""], resources: ["pods"], verbs: ["list", "patch"] }];

const labels = { "app.kubernetes.io/name": PACKER_NAME };

/** The packer's Deployment spec: restricted pod security, no GPU toleration (it runs on the system nodes). */
export function packerDeploymentSpec(args: ScaleInPackerArgs): k8s.types.input.apps.v1.DeploymentSpec {
  return {
    replicas: 1,
    // Two at once would only write the same values twice, but one is all it takes.
    strategy: { type: "Recreate" },
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
      spec: {
        serviceAccountName: PACKER_NAME,
        securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
        containers: [
          {
            name: "packer",
            image: args.image,
            // The image's entrypoint is node; its default program is the worker.
            args: [
              "/app/packer.js",
              ...(args.intervalSeconds !== undefined ? [`--interval-seconds=${args.intervalSeconds}`] : []),
            ],
            resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "128Mi" } },
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ["ALL"] },
            },
          },
        ],
      },
    },
  };
}

export interface ScaleInPackerResources {
  serviceAccount: k8s.core.v1.ServiceAccount;
  clusterRole: k8s.rbac.v1.ClusterRole;
  binding: k8s.rbac.v1.ClusterRoleBinding;
  deployment: k8s.apps.v1.Deployment;
}

export function createScaleInPacker(
  name: string,
  args: ScaleInPackerArgs,
  opts: pulumi.CustomResourceOptions,
  dependsOn: pulumi.Input<pulumi.Resource>[],
): ScaleInPackerResources {
  const metadata = { name: PACKER_NAME, namespace: PACKER_NAMESPACE, labels };
  const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-packer`, { metadata }, { ...opts, dependsOn });
  const clusterRole = new k8s.rbac.v1.ClusterRole(
    `${name}-packer`,
    { metadata: { name: PACKER_NAME, labels }, rules: PACKER_RULES },
    { ...opts, dependsOn },
  );
  const binding = new k8s.rbac.v1.ClusterRoleBinding(
    `${name}-packer`,
    {
      metadata: { name: PACKER_NAME, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole.metadata.name },
      subjects: [{ kind: "ServiceAccount", name: serviceAccount.metadata.name, namespace: PACKER_NAMESPACE }],
    },
    { ...opts, dependsOn },
  );
  // Bound after its permission exists: a first pass refused with 403 would exit and back off.
  const deployment = new k8s.apps.v1.Deployment(
    `${name}-packer`,
    { metadata, spec: packerDeploymentSpec(args) },
    { ...opts, dependsOn: [...dependsOn, binding] },
  );
  return { serviceAccount, clusterRole, binding, deployment };
}
