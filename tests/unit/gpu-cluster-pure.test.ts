import { describe, expect, it } from "vitest";
import { expanderPriorities } from "../../components/gpu-cluster/addons";
import { resolvePool } from "../../components/gpu-cluster/defaults";
import { principalOfCaller } from "../../components/gpu-cluster/eks";
import { planSubnets } from "../../components/gpu-cluster/network";
import { asgNamesOf, autoscalerTemplateTags } from "../../components/gpu-cluster/node-pool";
import { isIpv4Cidr } from "../../functions/cidr";
import { gpuMemoryMiBPerSlice, instanceGpuInfo } from "../../functions/gpu-catalog";
import { happyPools } from "../fixtures/gpu-cluster-args";

describe("GPU instance table", () => {
  it.each([
    ["g4dn.xlarge", "NVIDIA T4", 16, 1],
    ["g5.48xlarge", "NVIDIA A10G", 24, 8],
    ["g6e.12xlarge", "NVIDIA L40S", 48, 4],
    ["p4d.24xlarge", "NVIDIA A100 40GB", 40, 8],
    ["p5.48xlarge", "NVIDIA H100", 80, 8],
  ])("knows %s", (type, gpuModel, gpuMemoryGiB, gpusPerNode) => {
    expect(instanceGpuInfo(type)).toMatchObject({ gpuModel, gpuMemoryGiB, gpusPerNode });
  });

  it("knows nothing of an unlisted family", () => {
    expect(instanceGpuInfo("x9.large")).toEqual({ family: "x9", size: "large" });
  });

  it("rounds a slice's memory down", () => {
    expect(gpuMemoryMiBPerSlice(24, 7)).toBe(3510);
  });

  it("takes a pool's GPU overrides over the table", () => {
    const pool = resolvePool({
      name: "custom",
      instanceTypes: ["x9.large"],
      capacityType: "on-demand",
      minNodes: 0,
      maxNodes: 1,
      gpuMemoryGiB: 32,
      gpusPerNode: 2,
      slicesPerGpu: 8,
    });

    expect(pool).toMatchObject({ gpuMemoryGiBPerGpu: 32, gpusPerNode: 2, gpuMemoryMiBPerSlice: 4096 });
    expect(autoscalerTemplateTags(pool)["k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu"]).toBe("16");
  });
});

describe("subnet plan", () => {
  it("splits a /16 into /19 private and /22 public subnets", () => {
    expect(planSubnets("10.0.0.0/16", 2)).toEqual({
      privateCidrs: ["10.0.0.0/19", "10.0.32.0/19"],
      publicCidrs: ["10.0.224.0/22", "10.0.228.0/22"],
    });
  });

  it("produces valid, disjoint CIDRs for a /24 over four zones", () => {
    const { privateCidrs, publicCidrs } = planSubnets("192.168.4.0/24", 4);
    const all = [...privateCidrs, ...publicCidrs];

    expect(all.every(isIpv4Cidr)).toBe(true);
    expect(new Set(all).size).toBe(8);
    expect(publicCidrs[3]).toBe("192.168.4.236/30");
  });

  it.each([
    ["10.0.0.0/16", true],
    ["10.0.0.1/16", false],
    ["300.0.0.0/8", false],
    ["0.0.0.0/0", true],
    ["10.0.0.0", false],
  ])("isIpv4Cidr(%s) is %s", (cidr, valid) => {
    expect(isIpv4Cidr(cidr)).toBe(valid);
  });
});

describe("autoscaler names", () => {
  it("matches exactly the ASG names the node groups report, escaped", () => {
    const tiers = expanderPriorities([
      { capacityType: "spot", fallback: false, asgNames: ["eks-gpufleet-spot.a-1111", "eks-gpufleet-spot-b-2222"] },
    ]);
    const [regex] = (tiers["50"] ?? []).map((r) => new RegExp(r));

    expect(tiers["50"]).toEqual(["^eks-gpufleet-spot\\.a-1111$", "^eks-gpufleet-spot-b-2222$"]);
    expect(regex?.test("eks-gpufleet-spot.a-1111")).toBe(true);
    expect(regex?.test("eks-gpufleet-spotXa-1111")).toBe(false);
    expect(regex?.test("eks-gpufleet-spot.a-1111-big")).toBe(false);
  });

  it("ranks spot over on-demand over the fallback", () => {
    const pools = [
      ...happyPools()
        .map(resolvePool)
        .map((p) => ({ ...p, asgNames: [`asg-${p.name}`] })),
      { capacityType: "on-demand" as const, fallback: false, asgNames: ["asg-od-extra"] },
    ];

    expect(Object.keys(expanderPriorities(pools)).sort((a, b) => Number(b) - Number(a))).toEqual([
      "50",
      "20",
      "10",
      "1",
    ]);
    expect(expanderPriorities(pools)["20"]).toEqual(["^asg-od-extra$"]);
  });

  it("reads ASG names from a node group's resources, tolerating an unknown value", () => {
    expect(asgNamesOf(undefined)).toEqual([]);
    expect(asgNamesOf([{ autoscalingGroups: [{ name: "eks-a-1" }, {}] }, {}])).toEqual(["eks-a-1"]);
  });
});

describe("cluster admins", () => {
  it("maps an assumed-role session to its role, and keeps users and roles", () => {
    expect(principalOfCaller("arn:aws:sts::123456789012:assumed-role/deployer/ci-run-7")).toBe(
      "arn:aws:iam::123456789012:role/deployer",
    );
    expect(principalOfCaller("arn:aws:iam::123456789012:user/alice")).toBe("arn:aws:iam::123456789012:user/alice");
  });
});
