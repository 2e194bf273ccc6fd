import { describe, expect, it } from "vitest";
import {
  gpuRequestIsOneSlice,
  gpuSliceMemoryFits,
  gpuWorkloadToleratesGpuTaintAndSelectsGpuPool,
} from "../../policies/gpu";
import { direct, STACK_URN, UNKNOWN, urnOf, withField, wrapped } from "./harness";
import { deployment, devicePlugin, gpuStack, onDemandGroup, spotGroup, TIME_SLICING } from "./resources";

const POD = "props.spec.template.spec";

describe("gpu-workload-tolerates-gpu-taint-and-selects-gpu-pool", () => {
  const rule = gpuWorkloadToleratesGpuTaintAndSelectsGpuPool;

  it("passes a GPU Deployment that tolerates the taint and selects pools", () => {
    expect(direct(rule, [deployment()])).toEqual([]);
  });

  it("ignores a Deployment that requests no GPU", () => {
    const cpuOnly = withField(deployment(), `${POD}.containers.0.resources`, { limits: { cpu: "1" } });
    expect(direct(rule, [withField(cpuOnly, `${POD}.tolerations`, [])])).toEqual([]);
  });

  it("accepts an Exists toleration on the taint key", () => {
    const exists = withField(deployment(), `${POD}.tolerations`, [{ key: "nvidia.com/gpu", operator: "Exists" }]);
    expect(direct(rule, [exists])).toEqual([]);
  });

  it("reports a missing toleration", () => {
    expect(direct(rule, [withField(deployment(), `${POD}.tolerations`, [])])).toEqual([
      "Deployment models/llm requests nvidia.com/gpu but does not tolerate the GPU taint nvidia.com/gpu=true:NoSchedule.",
    ]);
  });

  it("reports a Deployment pinned to no pool", () => {
    expect(direct(rule, [withField(deployment(), `${POD}.affinity`, undefined)])).toEqual([
      "Deployment models/llm requests nvidia.com/gpu but selects no GPU pool: add a required node affinity (or nodeSelector) on gpufleet.io/pool.",
    ]);
  });

  it("accepts a nodeSelector on the pool label", () => {
    const selector = withField(withField(deployment(), `${POD}.affinity`, undefined), `${POD}.nodeSelector`, {
      "gpufleet.io/pool": "a10g-spot",
    });
    expect(direct(rule, [selector])).toEqual([]);
  });

  it("reports the same through the engine's wrapping", async () => {
    const violations = await wrapped(rule, [withField(deployment(), `${POD}.tolerations`, [])]);
    expect(violations).toEqual([
      {
        rule: rule.name,
        enforcementLevel: "mandatory",
        urn: urnOf(deployment()),
        message:
          "Deployment models/llm requests nvidia.com/gpu but does not tolerate the GPU taint nvidia.com/gpu=true:NoSchedule.",
      },
    ]);
  });

  it("cannot run on an unknown toleration list during preview, and says so as advisory", async () => {
    const violations = await wrapped(rule, [withField(deployment(), `${POD}.tolerations`, UNKNOWN)]);
    expect(violations).toEqual([
      {
        rule: rule.name,
        enforcementLevel: "advisory",
        urn: urnOf(deployment()),
        message: `can't run policy '${rule.name}' during preview: string value at .spec.template.spec.tolerations can't be known during preview`,
      },
    ]);
  });
});

describe("gpu-slice-memory-fits", () => {
  const rule = gpuSliceMemoryFits;

  it("passes when the declared memory fits one slice of every pool", () => {
    expect(direct(rule, gpuStack())).toEqual([]);
  });

  it("reports a replica that needs more than a slice offers", () => {
    const big = withField(deployment(), "props.spec.template.metadata.annotations", {
      "gpufleet.io/gpu-memory-mib": "7000",
    });
    expect(direct(rule, [spotGroup(), onDemandGroup(), big])).toEqual([
      'Deployment models/llm needs 7000 MiB of GPU memory per replica but a slice of pool "a10g-spot" (node group "a10g-spot") offers 6144 MiB.',
      'Deployment models/llm needs 7000 MiB of GPU memory per replica but a slice of pool "a10g-on-demand" (node group "a10g-on-demand") offers 6144 MiB.',
    ]);
  });

  it("reports a GPU Deployment that declares no memory", () => {
    const silent = withField(deployment(), "props.spec.template.metadata.annotations", {});
    expect(direct(rule, [spotGroup(), onDemandGroup(), silent])).toEqual([
      "Deployment models/llm requests nvidia.com/gpu but declares no GPU memory: set the pod template annotation gpufleet.io/gpu-memory-mib.",
    ]);
  });

  it("reports a selected pool that no node group provides", () => {
    expect(direct(rule, [spotGroup(), deployment(["a10g-spot", "missing"])])).toEqual([
      'Deployment models/llm selects pool "missing" but no node group carries gpufleet.io/pool=missing.',
    ]);
  });

  it("checks nothing against node groups in a stack that has none (its node groups live elsewhere)", () => {
    expect(direct(rule, [deployment(["a10g-spot", "missing"])])).toEqual([]);
  });

  it("computes slice memory from the instance type when the label is missing", () => {
    const group = spotGroup();
    delete (group.props.labels as Record<string, string>)["gpufleet.io/gpu-memory-per-slice-mib"];
    const big = withField(deployment(["a10g-spot"]), "props.spec.template.metadata.annotations", {
      "gpufleet.io/gpu-memory-mib": "6145",
    });
    // A10G: 24 GiB over 4 slices = 6144 MiB.
    expect(direct(rule, [group, big])).toEqual([
      'Deployment models/llm needs 6145 MiB of GPU memory per replica but a slice of pool "a10g-spot" (node group "a10g-spot") offers 6144 MiB.',
    ]);
  });

  it("reports through the engine's wrapping against the Deployment's URN", async () => {
    const big = withField(deployment(["a10g-spot"]), "props.spec.template.metadata.annotations", {
      "gpufleet.io/gpu-memory-mib": "7000",
    });
    const violations = await wrapped(rule, [spotGroup(), big]);
    expect(violations).toEqual([
      {
        rule: rule.name,
        enforcementLevel: "mandatory",
        urn: urnOf(big),
        message:
          'Deployment models/llm needs 7000 MiB of GPU memory per replica but a slice of pool "a10g-spot" (node group "a10g-spot") offers 6144 MiB.',
      },
    ]);
  });

  it("still checks the other Deployments when one has an unknown annotation, then reports it cannot run", async () => {
    const unknown = withField(deployment(["a10g-spot"]), "props.spec.template.metadata.annotations", UNKNOWN);
    const big = withField(
      withField(deployment(["a10g-spot"]), "name", "big"),
      "props.spec.template.metadata.annotations",
      { "gpufleet.io/gpu-memory-mib": "7000" },
    );
    const violations = await wrapped(rule, [spotGroup(), unknown, big]);
    expect(violations.map((v) => [v.enforcementLevel, v.urn, v.message])).toEqual([
      [
        "mandatory",
        urnOf(big),
        'Deployment models/llm needs 7000 MiB of GPU memory per replica but a slice of pool "a10g-spot" (node group "a10g-spot") offers 6144 MiB.',
      ],
      [
        "advisory",
        STACK_URN,
        `can't run policy '${rule.name}' during preview: string value at .spec.template.metadata.annotations can't be known during preview`,
      ],
    ]);
  });
});

describe("gpu-request-is-one-slice", () => {
  const rule = gpuRequestIsOneSlice;

  it("passes one slice per replica and a device plugin that refuses more", () => {
    expect(direct(rule, [...gpuStack(), devicePlugin(TIME_SLICING)])).toEqual([]);
  });

  it("reports a replica asking for two slices of a time-sliced pool", () => {
    const two = withField(deployment(), `${POD}.containers.0.resources.limits`, { "nvidia.com/gpu": "2" });
    expect(direct(rule, [spotGroup(), onDemandGroup(), two])).toEqual([
      'Deployment models/llm container "model" requests "2" nvidia.com/gpu on time-sliced pool "a10g-spot" (4 slices per GPU): request exactly 1 slice.',
    ]);
  });

  it("allows several whole GPUs on pools that are not time-sliced", () => {
    const group = spotGroup();
    (group.props.labels as Record<string, string>)["gpufleet.io/slices-per-gpu"] = "1";
    const two = withField(deployment(["a10g-spot"]), `${POD}.containers.0.resources.limits`, { "nvidia.com/gpu": 2 });
    expect(direct(rule, [group, two])).toEqual([]);
  });

  it("reports a device plugin config that lets a pod take several slices", () => {
    const lax = devicePlugin(
      TIME_SLICING.replace("failRequestsGreaterThanOne: true", "failRequestsGreaterThanOne: false"),
    );
    expect(direct(rule, [lax])).toEqual([
      'device plugin Release "nvidia-device-plugin" config "a10g-spot" splits nvidia.com/gpu into 4 slices without failRequestsGreaterThanOne: true, so one pod could take several slices and more memory than its pool allows.',
    ]);
  });

  it("reports through the engine's wrapping", async () => {
    const two = withField(deployment(["a10g-spot"]), `${POD}.containers.0.resources.limits`, { "nvidia.com/gpu": "2" });
    const violations = await wrapped(rule, [spotGroup(), two]);
    expect(violations.map((v) => [v.enforcementLevel, v.urn])).toEqual([["mandatory", urnOf(two)]]);
  });

  it("cannot check an unknown GPU limit during preview", async () => {
    const unknown = withField(deployment(["a10g-spot"]), `${POD}.containers.0.resources.limits`, UNKNOWN);
    const violations = await wrapped(rule, [spotGroup(), unknown]);
    expect(violations).toEqual([
      {
        rule: rule.name,
        enforcementLevel: "advisory",
        urn: STACK_URN,
        message: `can't run policy '${rule.name}' during preview: string value at .spec.template.spec.containers.0.resources.limits can't be known during preview`,
      },
    ]);
  });
});
