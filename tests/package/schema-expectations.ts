/**
 * What gpufleet's inferred Pulumi package schema must say, wherever the plugin is loaded from
 * (a checkout, or the installed npm package): each component's type token, its required inputs,
 * key inputs and outputs, and the enums other languages get.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect } from "vitest";

interface Resource {
  isComponent?: boolean;
  inputProperties: Record<string, { $ref?: string; type?: string }>;
  requiredInputs?: string[];
  properties: Record<string, unknown>;
}

export interface Schema {
  name: string;
  version: string;
  resources: Record<string, Resource>;
  types: Record<string, { type: string; enum?: { value: string }[]; properties?: Record<string, unknown> }>;
  dependencies?: { name: string }[];
}

/** Runs Pulumi's schema inference on a plugin folder in a child process (it loads the TypeScript compiler). */
export function inferSchema(pluginDir: string, cwd: string = pluginDir): Schema {
  const result = spawnSync(process.execPath, [join(__dirname, "fixtures", "schema.cjs"), pluginDir], {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Schema;
}

const COMPONENTS: Record<string, { required: string[]; inputs: string[]; outputs: string[] }> = {
  GpuCluster: {
    required: ["pools"],
    inputs: ["newCluster", "existingCluster", "addons", "tags"],
    outputs: ["clusterName", "kubeconfig", "identity", "oidcProviderArn", "pools", "kedaOperatorRoleArn"],
  },
  ClusterAddons: {
    required: ["clusterName", "identity", "pools", "region"],
    inputs: ["kubeconfig", "charts", "kedaOperatorRoleArn", "priorityClasses"],
    outputs: ["kedaRelease", "devicePluginRelease", "clusterAutoscalerRelease", "priorityClasses"],
  },
  ModelEndpoint: {
    required: ["cluster", "gpuMemoryGiB", "image", "profile"],
    inputs: ["readinessProbe", "queue", "alarms", "tags", "sidecar", "scaling"],
    outputs: ["queueUrl", "queueArn", "dlqUrl", "roleArn", "deploymentName", "alarmArns", "client"],
  },
  ModelWorkload: {
    required: ["cluster", "dlqUrl", "gpuMemoryGiB", "image", "profile", "queueUrl", "region"],
    inputs: ["readinessProbe", "queue", "roleArn", "scalerRoleArn", "sidecarResults"],
    outputs: ["deploymentName", "namespace", "serviceAccountName", "scaledObjectName"],
  },
  FleetControl: {
    required: ["clusterName", "endpoints", "pools"],
    inputs: ["leadTimeSeconds", "leadTimeSecondsByPool", "rebalancer", "autoscalerSettings", "tags"],
    outputs: ["autoscalerFunctionArn", "autoscalerRoleArn", "rebalancerFunctionArn", "rebalancerQueueUrl"],
  },
};

const ENUMS: Record<string, string[]> = {
  CapacityType: ["spot", "on-demand"],
  IdentityMode: ["pod-identity", "irsa"],
  PriorityTier: ["critical", "standard", "batch"],
  GpuAmiFamily: ["al2023-nvidia", "bottlerocket-nvidia"],
  ModelProtocol: ["json", "openai", "kserve"],
  ControlPlaneLogType: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
};

export function expectGpufleetSchema(schema: Schema): void {
  expect(schema.name).toBe("gpufleet");
  expect(Object.keys(schema.resources).sort()).toEqual(
    Object.keys(COMPONENTS)
      .map((c) => `gpufleet:index:${c}`)
      .sort(),
  );
  for (const [component, want] of Object.entries(COMPONENTS)) {
    const resource = schema.resources[`gpufleet:index:${component}`];
    expect(resource?.isComponent, component).toBe(true);
    expect(resource?.requiredInputs?.slice().sort(), component).toEqual(want.required);
    expect(Object.keys(resource?.inputProperties ?? {}), component).toEqual(expect.arrayContaining(want.inputs));
    expect(Object.keys(resource?.properties ?? {}), component).toEqual(expect.arrayContaining(want.outputs));
  }
  // The cluster of the Kubernetes halves is the plain-values ClusterRef, not an untyped value.
  const workload = schema.resources["gpufleet:index:ModelWorkload"];
  expect(workload?.inputProperties.cluster?.$ref).toBe("#/types/gpufleet:index:ClusterRef");
  expect(Object.keys(schema.types["gpufleet:index:ClusterRef"]?.properties ?? {})).toEqual(
    expect.arrayContaining(["clusterName", "kubeconfig", "pools", "identity", "oidcProviderArn"]),
  );
  for (const [name, values] of Object.entries(ENUMS)) {
    expect(
      schema.types[`gpufleet:index:${name}`]?.enum?.map((e) => e.value),
      name,
    ).toEqual(values);
  }
  expect(schema.dependencies?.map((d) => d.name).sort()).toEqual(["aws", "kubernetes"]);
}
