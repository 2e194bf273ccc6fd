import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const toInt = (octets: number[]): number => octets.reduce((acc, o) => acc * 256 + o, 0);
const toDotted = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");

export interface SubnetPlan {
  privateCidrs: string[];
  publicCidrs: string[];
}

/**
 * Splits a VPC CIDR into eight equal blocks: the first `zones` are private (nodes, large),
 * and block 7 is cut again into eight small public blocks (NAT gateway, load balancers).
 * A /16 gives /19 private subnets (8,190 addresses: pods take VPC IPs) and /22 public ones.
 */
export function planSubnets(vpcCidr: string, zones: number): SubnetPlan {
  const [address = "", prefixText = ""] = vpcCidr.split("/");
  const base = toInt(address.split(".").map(Number));
  const prefix = Number(prefixText);
  const block = 2 ** (32 - prefix - 3);
  const privateCidrs = Array.from({ length: zones }, (_, i) => `${toDotted(base + i * block)}/${prefix + 3}`);
  const publicBase = base + 7 * block;
  const publicCidrs = Array.from(
    { length: zones },
    (_, i) => `${toDotted(publicBase + (i * block) / 8)}/${prefix + 6}`,
  );
  return { privateCidrs, publicCidrs };
}

export interface NetworkArgs {
  clusterName: string;
  cidrBlock: string;
  zoneCount: number;
  /** Zone names; when absent the region's available zones are looked up. */
  zones?: string[];
  tags: Record<string, string>;
}

export interface Network {
  vpcId: pulumi.Output<string>;
  privateSubnetIds: pulumi.Output<string>[];
  publicSubnetIds: pulumi.Output<string>[];
}

/**
 * A VPC with private subnets for the control plane and nodes and public subnets for one
 * NAT gateway and internet-facing load balancers. One NAT gateway, not one per zone: GPU
 * nodes pull large images once and then mostly talk to SQS, so the saving outweighs the
 * zone-failure risk for this traffic; give `subnetIds` to use a network built otherwise.
 */
export function createNetwork(name: string, args: NetworkArgs, parent: pulumi.Resource): Network {
  const opts = { parent };
  const plan = planSubnets(args.cidrBlock, args.zoneCount);
  const zones: pulumi.Input<string[]> =
    args.zones ?? aws.getAvailabilityZonesOutput({ state: "available" }, opts).names;
  const zoneAt = (i: number) => pulumi.output(zones).apply((names) => names[i] ?? names[names.length - 1] ?? "");
  const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: "shared" };

  const vpc = new aws.ec2.Vpc(
    `${name}-vpc`,
    {
      cidrBlock: args.cidrBlock,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { ...args.tags, Name: `${name}-vpc` },
    },
    opts,
  );
  const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: args.tags }, opts);
  const publicRoutes = new aws.ec2.RouteTable(
    `${name}-public-rt`,
    { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags: args.tags },
    opts,
  );
  /** A subnet per CIDR, one per zone, on `routes`; `elbRole` tells the load balancer controller which subnets it may use. */
  const subnets = (tier: "public" | "private", cidrs: string[], routes: aws.ec2.RouteTable, elbRole: string) =>
    cidrs.map((cidrBlock, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-${tier}-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock,
          availabilityZone: zoneAt(i),
          tags: { ...args.tags, ...clusterTag, [elbRole]: "1", Name: `${name}-${tier}-${i}` },
        },
        opts,
      );
      new aws.ec2.RouteTableAssociation(`${name}-${tier}-${i}`, { subnetId: subnet.id, routeTableId: routes.id }, opts);
      return subnet;
    });
  const publicSubnets = subnets("public", plan.publicCidrs, publicRoutes, "kubernetes.io/role/elb");
  const firstPublic = publicSubnets[0];
  if (!firstPublic) throw new Error("planSubnets returned no public subnet");
  const eip = new aws.ec2.Eip(`${name}-nat`, { domain: "vpc", tags: args.tags }, opts);
  const nat = new aws.ec2.NatGateway(
    `${name}-nat`,
    { subnetId: firstPublic.id, allocationId: eip.id, tags: args.tags },
    { parent, dependsOn: [igw] },
  );
  const privateRoutes = new aws.ec2.RouteTable(
    `${name}-private-rt`,
    { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }], tags: args.tags },
    opts,
  );
  const privateSubnets = subnets("private", plan.privateCidrs, privateRoutes, "kubernetes.io/role/internal-elb");
  return {
    vpcId: vpc.id,
    privateSubnetIds: privateSubnets.map((s) => s.id),
    publicSubnetIds: publicSubnets.map((s) => s.id),
  };
}
