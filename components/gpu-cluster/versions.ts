/**
 * Every add-on chart gpufleet installs, pinned here and nowhere else, so an upgrade is one
 * reviewed change. Charts come from their projects' official repositories unless the user
 * points an add-on at a mirror, an OCI registry or a local chart directory (`ChartSource`).
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

/**
 * Where to install an add-on's chart from. Give one of: `repository` (a Helm repository URL,
 * e.g. an internal mirror; `chart` and `version` default to the pin), `chart` as an OCI
 * reference `oci://<registry>/<path>/<chart>` with `version`, or `path` (a local chart directory
 * holding Chart.yaml: installs with no network, for air-gapped clusters). Plain fields, no
 * union, so the type maps onto a Pulumi schema.
 */
export interface ChartSource {
  /**
   * Helm repository URL.
   * @default the pinned public repository
   */
  repository?: string;
  /**
   * Chart name in `repository`, or an OCI reference `oci://host/path/chart`.
   * @default the pinned chart name
   */
  chart?: string;
  /**
   * Exact chart version.
   * @default the pinned version
   */
  version?: string;
  /**
   * Local chart directory (holding Chart.yaml). Exclusive with the other fields: the
   * directory's Chart.yaml says the version.
   * @default undefined (install from a repository)
   */
  path?: string;
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

/** The add-ons whose chart source can be overridden. */
export type AddonChart = keyof typeof CHARTS;

/** Service accounts the add-ons run as: their AWS identities are bound to these names. */
export const SERVICE_ACCOUNTS = {
  keda: { namespace: CHARTS.keda.namespace, name: "keda-operator" },
  clusterAutoscaler: { namespace: CHARTS.clusterAutoscaler.namespace, name: "cluster-autoscaler" },
} as const;
