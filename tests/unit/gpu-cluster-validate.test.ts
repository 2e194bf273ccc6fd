import { describe, expect, it } from "vitest";
import {
  type ExistingClusterArgs,
  type GpuClusterArgs,
  type NewClusterArgs,
  validateGpuClusterArgs,
} from "../../components/gpu-cluster";
import { ConfigError } from "../../functions/problems";
import { happyArgs, happyExistingCluster } from "../fixtures/gpu-cluster-args";

type Mutation = (args: GpuClusterArgs) => void;

const pool = (args: GpuClusterArgs, i: number) => {
  const p = args.pools[i];
  if (!p) throw new Error(`fixture has no pool ${i}`);
  return p;
};
const newCluster = (args: GpuClusterArgs) => args.newCluster as NewClusterArgs;
const byo = (args: GpuClusterArgs): ExistingClusterArgs => {
  delete args.newCluster;
  args.existingCluster = happyExistingCluster();
  return args.existingCluster;
};

const cases: [string, Mutation, string][] = [
  [
    "slicesPerGpu above 48",
    (a) => {
      pool(a, 1).slicesPerGpu = 64;
    },
    "pools[1].slicesPerGpu (64) must be a whole number between 1 and 48",
  ],
  [
    "slicesPerGpu of 0",
    (a) => {
      pool(a, 0).slicesPerGpu = 0;
    },
    "pools[0].slicesPerGpu (0) must be a whole number between 1 and 48",
  ],
  [
    "fractional slicesPerGpu",
    (a) => {
      pool(a, 0).slicesPerGpu = 2.5;
    },
    "pools[0].slicesPerGpu (2.5) must be a whole number between 1 and 48",
  ],
  [
    "spot pool with one instance type",
    (a) => {
      pool(a, 0).instanceTypes = ["g5.xlarge"];
    },
    'pools[0].instanceTypes (["g5.xlarge"]) must list at least two instance types for a spot pool (capacity diversification)',
  ],
  [
    "unknown instance family without GPU figures",
    (a) => {
      pool(a, 2).instanceTypes = ["x9.large"];
    },
    'pools[2].instanceTypes[0] ("x9.large") is not in the GPU instance table: set pools[2].gpuMemoryGiB and pools[2].gpusPerNode',
  ],
  [
    "known family, size without a GPU count",
    (a) => {
      pool(a, 2).instanceTypes = ["g5.3xlarge"];
    },
    'pools[2].instanceTypes[0] ("g5.3xlarge") is not in the GPU instance table: set pools[2].gpusPerNode',
  ],
  [
    "mixed GPU memory in one pool",
    (a) => {
      pool(a, 0).instanceTypes = ["g5.xlarge", "g4dn.xlarge"];
    },
    'pools[0].instanceTypes (["g5.xlarge", "g4dn.xlarge"]) must share one GPU memory size, found 24 GiB, 16 GiB',
  ],
  [
    "mixed instance sizes in one pool",
    (a) => {
      pool(a, 0).instanceTypes = ["g5.xlarge", "g5.2xlarge", "g5.4xlarge"];
    },
    'pools[0].instanceTypes (["g5.xlarge", "g5.2xlarge", "g5.4xlarge"]) mix instance sizes (g5.xlarge: 4 vCPU, 16 GiB; g5.2xlarge: 8 vCPU, 32 GiB; g5.4xlarge: 16 vCPU, 64 GiB): the Cluster Autoscaler assumes every node of a node group has the same capacity; diversify across families of one size instead, e.g. ["g5.xlarge", "g6.xlarge"]',
  ],
  [
    "mixed GPU counts in one pool",
    (a) => {
      pool(a, 0).instanceTypes = ["g5.xlarge", "g5.12xlarge"];
    },
    'pools[0].instanceTypes (["g5.xlarge", "g5.12xlarge"]) must have the same GPUs per node, found 1, 4',
  ],
  [
    "minNodes above maxNodes",
    (a) => {
      pool(a, 2).minNodes = 8;
    },
    "pools[2].minNodes (8) must not exceed pools[2].maxNodes (6)",
  ],
  [
    "negative minNodes",
    (a) => {
      pool(a, 0).minNodes = -1;
    },
    "pools[0].minNodes (-1) must be a whole number between 0 and 1000",
  ],
  [
    "desiredNodes outside the bounds",
    (a) => {
      pool(a, 0).desiredNodes = 11;
    },
    "pools[0].desiredNodes (11) must be a whole number between minNodes (0) and maxNodes (10)",
  ],
  [
    "spot pools without a fallback",
    (a) => {
      pool(a, 2).fallback = false;
    },
    "pools[].fallback must be true on one on-demand pool when any pool is spot (spot pools: spot-a10g, spot-a10g-big)",
  ],
  [
    "a spot pool marked as fallback",
    (a) => {
      pool(a, 2).fallback = false;
      pool(a, 0).fallback = true;
    },
    'pools[0].fallback (true) requires capacityType "on-demand", got "spot"',
  ],
  [
    "two fallback pools",
    (a) => {
      a.pools.push({ ...pool(a, 2), name: "ondemand-b" });
    },
    "pools[3].fallback (true) is already set on pools[2]: only one fallback pool is allowed",
  ],
  [
    "duplicate pool names",
    (a) => {
      pool(a, 1).name = "spot-a10g";
    },
    'pools[1].name ("spot-a10g") is already used by pools[0]',
  ],
  [
    "pool name that is not a DNS label",
    (a) => {
      pool(a, 0).name = "Spot_A10G";
    },
    'pools[0].name ("Spot_A10G") must be a lowercase DNS label (a-z, 0-9, "-") of at most 40 characters',
  ],
  [
    "no pools",
    (a) => {
      a.pools = [];
    },
    "pools ([]) must list at least one GPU pool",
  ],
  [
    "GPU memory override of zero",
    (a) => {
      pool(a, 2).gpuMemoryGiB = 0;
    },
    "pools[2].gpuMemoryGiB (0) must be greater than 0 and at most 512",
  ],
  [
    "cluster version that is not 1.NN",
    (a) => {
      newCluster(a).version = "1.3";
    },
    'newCluster.version ("1.3") must look like "1.32"',
  ],
  [
    "public endpoint open to the internet",
    (a) => {
      newCluster(a).endpointAccess = { publicAccessCidrs: ["0.0.0.0/0"] };
    },
    'newCluster.endpointAccess.publicAccessCidrs (["0.0.0.0/0"]) together cover the whole internet: the public API endpoint is open only to the networks that need it',
  ],
  [
    "malformed public CIDR",
    (a) => {
      newCluster(a).endpointAccess = { publicAccessCidrs: ["203.0.113.7/24"] };
    },
    'newCluster.endpointAccess.publicAccessCidrs[0] ("203.0.113.7/24") must be an IPv4 CIDR',
  ],
  [
    "no way to reach the API",
    (a) => {
      newCluster(a).endpointAccess = { privateAccess: false };
    },
    "newCluster.endpointAccess.privateAccess (false) leaves the API unreachable: keep it on or list publicAccessCidrs",
  ],
  [
    "unknown control-plane log type",
    (a) => {
      (newCluster(a) as { logTypes: string[] }).logTypes = ["api", "kubelet"];
    },
    'newCluster.logTypes[1] ("kubelet") must be one of api, audit, authenticator, controllerManager, scheduler',
  ],
  [
    "log retention CloudWatch does not offer",
    (a) => {
      newCluster(a).logRetentionDays = 45;
    },
    "newCluster.logRetentionDays (45) must be a CloudWatch Logs retention period (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)",
  ],
  [
    "VPC CIDR too small",
    (a) => {
      newCluster(a).vpc = { cidrBlock: "10.0.0.0/26" };
    },
    'newCluster.vpc.cidrBlock ("10.0.0.0/26") must be an IPv4 CIDR with a prefix length between 16 and 24',
  ],
  [
    "one availability zone",
    (a) => {
      newCluster(a).vpc = { availabilityZoneCount: 1 };
    },
    "newCluster.vpc.availabilityZoneCount (1) must name between 2 and 4 zones",
  ],
  [
    "subnets and a VPC shape together",
    (a) => {
      newCluster(a).subnetIds = ["subnet-1", "subnet-2"];
    },
    "newCluster.subnetIds and newCluster.vpc are exclusive: give existing subnets or shape the new VPC",
  ],
  [
    "existing cluster without an identity",
    (a) => {
      delete (byo(a) as Partial<ExistingClusterArgs>).identity;
    },
    'existingCluster.identity is required for an existing cluster: "pod-identity", or "irsa" with oidcProviderArn and oidcProviderUrl',
  ],
  [
    "existing cluster with IRSA but no OIDC provider ARN",
    (a) => {
      byo(a).oidcProviderArn = "";
    },
    'existingCluster.oidcProviderArn ("") is required for IRSA',
  ],
  [
    "existing cluster without a node role",
    (a) => {
      delete (byo(a) as Partial<ExistingClusterArgs>).nodeRoleArn;
    },
    "existingCluster.nodeRoleArn (undefined) is required for an existing cluster",
  ],
  [
    "existing cluster without subnets",
    (a) => {
      byo(a).subnetIds = [];
    },
    "existingCluster.subnetIds ([]) must list the subnets for the GPU nodes",
  ],
  [
    "neither a new nor an existing cluster",
    (a) => {
      delete a.newCluster;
    },
    "newCluster or existingCluster is required: give exactly one, a new cluster or an existing one",
  ],
  [
    "both a new and an existing cluster",
    (a) => {
      a.existingCluster = happyExistingCluster();
    },
    "newCluster and existingCluster are exclusive: create a new cluster or bring an existing one",
  ],
  [
    "empty SQS queue prefix (would grant every queue)",
    (a) => {
      a.addons = { sqsQueueNamePrefix: "" };
    },
    'addons.sqsQueueNamePrefix ("") must be 1-40 letters, digits, "-" or "_"',
  ],
  [
    "a GPU memory override larger than the catalog's",
    (a) => {
      pool(a, 0).gpuMemoryGiB = 200;
    },
    "pools[0].gpuMemoryGiB (200) disagrees with the GPU catalog: g5.xlarge has 24 GiB per GPU (set it only for instance types the catalog does not know)",
  ],
  [
    "a GPU count override the instance type does not have",
    (a) => {
      pool(a, 2).gpusPerNode = 16;
    },
    "pools[2].gpusPerNode (16) disagrees with the GPU catalog: g5.xlarge has 1 GPU(s) per node (set it only for instance types the catalog does not know)",
  ],
  [
    "two halves of the internet as public CIDRs",
    (a) => {
      newCluster(a).endpointAccess = { publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"] };
    },
    'newCluster.endpointAccess.publicAccessCidrs (["0.0.0.0/1", "128.0.0.0/1"]) together cover the whole internet: the public API endpoint is open only to the networks that need it',
  ],
  [
    "a public CIDR wider than a /16",
    (a) => {
      newCluster(a).endpointAccess = { publicAccessCidrs: ["0.0.0.0/2"] };
    },
    'newCluster.endpointAccess.publicAccessCidrs (["0.0.0.0/2"]) together cover 1,073,741,824 addresses, more than the 65,536 allowed: the public API endpoint is open only to the networks that need it',
  ],
  [
    "a KMS key that is not an ARN",
    (a) => {
      newCluster(a).kmsKeyArn = "not-an-arn";
    },
    'newCluster.kmsKeyArn ("not-an-arn") must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
  ],
  [
    "a tag key in AWS's namespace",
    (a) => {
      a.tags = { "aws:cost-center": "ml" };
    },
    'tags.aws:cost-center is refused: tag keys starting with "aws:" are reserved for AWS',
  ],
  [
    "a malformed instance type",
    (a) => {
      pool(a, 2).instanceTypes = ["g5 xlarge"];
    },
    'pools[2].instanceTypes[0] ("g5 xlarge") must be an EC2 instance type such as "g5.xlarge"',
  ],
  [
    "more nodes than a managed node group holds",
    (a) => {
      pool(a, 0).maxNodes = 1e6;
    },
    "pools[0].maxNodes (1000000) must be a whole number between 1 and 1000",
  ],
  [
    "a cluster name too long for the default queue prefix",
    (a) => {
      newCluster(a).clusterName = "c".repeat(45);
    },
    `addons.sqsQueueNamePrefix defaults to "gpufleet-${"c".repeat(45)}-", 55 characters (at most 50 leave room for endpoint names in SQS's 80): set a shorter prefix`,
  ],
  [
    "an admin that is not an IAM principal ARN",
    (a) => {
      newCluster(a).adminArns = ["arn:aws:sts::123456789012:assumed-role/admin/me"];
    },
    'newCluster.adminArns[0] ("arn:aws:sts::123456789012:assumed-role/admin/me") must be an IAM role or user ARN',
  ],
  [
    "a local chart directory with a version",
    (a) => {
      a.addons = { charts: { keda: { path: "./charts/keda", version: "2.17.2" } } };
    },
    'addons.charts.keda.path ("./charts/keda") is exclusive with version: a local chart\'s Chart.yaml says its version',
  ],
  [
    "an OCI chart without a version",
    (a) => {
      a.addons = { charts: { devicePlugin: { chart: "oci://registry.example.com/charts/nvidia-device-plugin" } } };
    },
    "addons.charts.devicePlugin.version is required for an OCI chart (oci://registry.example.com/charts/nvidia-device-plugin): pin an exact version",
  ],
  [
    "a chart version range",
    (a) => {
      a.addons = { charts: { clusterAutoscaler: { repository: "https://charts.example.com", version: "^9.46" } } };
    },
    'addons.charts.clusterAutoscaler.version ("^9.46") must be an exact chart version such as 1.2.3',
  ],
];

describe("validateGpuClusterArgs", () => {
  it("accepts the happy path in both modes", () => {
    const { newCluster: _new, ...rest } = happyArgs();
    const existing: GpuClusterArgs = { ...rest, existingCluster: happyExistingCluster() };

    expect(() => validateGpuClusterArgs(happyArgs())).not.toThrow();
    expect(() => validateGpuClusterArgs(existing)).not.toThrow();
  });

  it.each(cases)("rejects %s", (_label, mutate, message) => {
    const args = happyArgs();
    mutate(args);

    let caught: unknown;
    try {
      validateGpuClusterArgs(args);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).lines).toEqual([message]);
  });

  it("reports every bad field at once", () => {
    const args = happyArgs();
    pool(args, 0).slicesPerGpu = 64;
    pool(args, 2).minNodes = 8;

    expect(() => validateGpuClusterArgs(args)).toThrow(
      "invalid GpuCluster arguments:\npools[0].slicesPerGpu (64) must be a whole number between 1 and 48\npools[2].minNodes (8) must not exceed pools[2].maxNodes (6)",
    );
  });
});
