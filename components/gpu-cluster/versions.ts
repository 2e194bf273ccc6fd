/**
 * Every add-on chart gpufleet installs, pinned here and nowhere else, so an upgrade is one
 * reviewed change. Charts come from their projects' official repositories.
 */
export interface ChartPin {
  /** Chart name in the repository. */
  chart: string;
  /** Helm repository URL. */
  repo: string;
  /** Exact chart version (never a range: a plan must be reproducible). */
  version: string;
  /** Namespace the release is installed into. */
  namespace: string;
}

export const CHARTS = {
  /** NVIDIA device plugin (app v0.17.x): time-slicing through `config.map` and the per-node config label. */
  devicePlugin: {
    chart: "nvidia-device-plugin",
    repo: "https://nvidia.github.io/k8s-device-plugin",
    version: "0.17.1",
    namespace: "nvidia-device-plugin",
  },
  /** KEDA (app v2.17): `serviceAccount.operator.*` and `podIdentity.aws.irsa.*` values. */
  keda: {
    chart: "keda",
    repo: "https://kedacore.github.io/charts",
    version: "2.17.2",
    namespace: "keda",
  },
  /**
   * Cluster Autoscaler chart 9.46.x ships autoscaler v1.32, which matches the default
   * cluster version; the autoscaler's minor version should follow the cluster's.
   */
  clusterAutoscaler: {
    chart: "cluster-autoscaler",
    repo: "https://kubernetes.github.io/autoscaler",
    version: "9.46.6",
    namespace: "kube-system",
  },
} as const satisfies Record<string, ChartPin>;

/** Service accounts the add-ons run as: their AWS identities are bound to these names. */
export const SERVICE_ACCOUNTS = {
  keda: { namespace: CHARTS.keda.namespace, name: "keda-operator" },
  clusterAutoscaler: { namespace: CHARTS.clusterAutoscaler.namespace, name: "cluster-autoscaler" },
} as const;
