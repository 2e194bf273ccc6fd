import type * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** Hooks to adjust the children users most often tweak, before they are created. */
export interface GpuClusterTransforms {
  /**
   * Every EKS managed node group GpuCluster creates (`<name>-<pool>`, and `<name>-system`
   * for a new cluster): labels, taints, update or repair settings, launch template.
   */
  nodeGroup?: (args: aws.eks.NodeGroupArgs, resourceName: string) => aws.eks.NodeGroupArgs;
  /**
   * Every Helm release (`release` is its name: nvidia-device-plugin, keda,
   * cluster-autoscaler), for values gpufleet does not set: resources, tolerations, extra args.
   */
  helmRelease?: (args: k8s.helm.v3.ReleaseArgs, release: string) => k8s.helm.v3.ReleaseArgs;
}

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/**
 * GpuCluster's resource options. The transform hooks and the provider live here rather than in
 * the args: the args are what other Pulumi languages see, and a schema carries neither
 * callbacks nor provider objects.
 */
export interface GpuClusterOptions extends pulumi.ComponentResourceOptions {
  transform?: GpuClusterTransforms;
  /**
   * An existing cluster's Kubernetes provider, for the add-ons (instead of one built from
   * `existingCluster.kubeconfig` or the cluster's endpoint).
   * @default a provider GpuCluster builds
   */
  kubernetesProvider?: k8s.Provider;
}

/** The transforms as a resource transformation applied to the component's children. */
export function childTransformation(transforms: GpuClusterTransforms): pulumi.ResourceTransformation {
  return (child) => {
    if (child.type === NODE_GROUP && transforms.nodeGroup) {
      return { props: transforms.nodeGroup(child.props as aws.eks.NodeGroupArgs, child.name), opts: child.opts };
    }
    if (child.type === HELM_RELEASE && transforms.helmRelease) {
      const args = child.props as k8s.helm.v3.ReleaseArgs;
      return { props: transforms.helmRelease(args, String(args.name)), opts: child.opts };
    }
    return undefined;
  };
}
