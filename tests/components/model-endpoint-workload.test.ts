import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { ModelEndpoint } from "../../components/model-endpoint";
import { fixtureCluster, happyArgs, settle } from "../fixtures/model-endpoint";
import { installMocks } from "../support/pulumi-mocks";

const ACCOUNT = "123456789012";

interface PodSpec {
  serviceAccountName: string;
  priorityClassName: string;
  terminationGracePeriodSeconds: number;
  tolerations: unknown[];
  affinity: unknown;
  topologySpreadConstraints: { topologyKey: string; whenUnsatisfiable: string }[];
  containers: {
    name: string;
    image: string;
    env: { name: string; value: string }[];
    resources: { requests: Record<string, string>; limits: Record<string, string> };
    readinessProbe?: unknown;
    command?: string[];
  }[];
}
interface DeploymentInputs {
  metadata: { name: string; namespace: string };
  spec: { replicas?: number; selector: unknown; template: { metadata: { annotations: object }; spec: PodSpec } };
}

describe("ModelEndpoint: Kubernetes workload", () => {
  const mocks = installMocks();
  const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
  const deployment = (name: string) =>
    mocks.one("kubernetes:apps/v1:Deployment", `${name}-deployment`).inputs as unknown as DeploymentInputs;

  it("requests one GPU slice per replica, tolerates the GPU taint and declares its GPU memory", async () => {
    const ep = new ModelEndpoint("chat", { ...happyArgs(fixtureCluster(provider)), cpu: "900m", memory: "3Gi" });
    await settle(ep);

    const d = deployment("chat");
    const container = d.spec.template.spec.containers[0];
    expect(d.metadata).toMatchObject({ name: "chat", namespace: "default" });
    // Created at the floor; KEDA owns the count afterwards (ignoreChanges, see deploy-order.test.ts).
    expect(d.spec.replicas).toBe(1);
    expect(container?.resources).toEqual({
      requests: { cpu: "900m", memory: "3Gi", "nvidia.com/gpu": "1" },
      limits: { memory: "3Gi", "nvidia.com/gpu": "1" },
    });
    expect(d.spec.template.spec.tolerations).toEqual([
      { key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" },
    ]);
    expect(d.spec.template.metadata.annotations).toEqual({
      "gpufleet.io/gpu-memory-mib": "5120",
      // The Cluster Autoscaler removes a node only once scale-in has emptied it.
      "cluster-autoscaler.kubernetes.io/safe-to-evict": "false",
    });
    expect(d.spec.template.spec.serviceAccountName).toBe("chat");
  });

  it("requires the allowed pools and prefers the spot ones", async () => {
    const ep = new ModelEndpoint("aff", happyArgs(fixtureCluster(provider)));
    await settle(ep);

    expect(deployment("aff").spec.template.spec.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [{ key: "gpufleet.io/pool", operator: "In", values: ["spot-a", "spot-b", "ondemand"] }],
            },
          ],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            preference: {
              matchExpressions: [{ key: "gpufleet.io/pool", operator: "In", values: ["spot-a", "spot-b"] }],
            },
          },
        ],
      },
    });
    expect(deployment("aff").spec.template.spec.topologySpreadConstraints.map((c) => c.topologyKey)).toEqual([
      "kubernetes.io/hostname",
      "topology.kubernetes.io/zone",
    ]);
  });

  it("fits the grace period into the spot notice and sets the priority class of its tier", async () => {
    const ep = new ModelEndpoint("batchy", { ...happyArgs(fixtureCluster(provider)), tier: "batch" });
    await settle(ep);

    const spec = deployment("batchy").spec.template.spec;
    expect(spec.terminationGracePeriodSeconds).toBe(90);
    expect(spec.priorityClassName).toBe("gpufleet-batch");
  });

  it("gives on-demand-only endpoints a grace period that covers the longest request", async () => {
    const args = { ...happyArgs(fixtureCluster(provider)), pools: ["ondemand"], queue: { maxProcessingSeconds: 200 } };
    const ep = new ModelEndpoint("od", args);
    await settle(ep);

    const spec = deployment("od").spec.template.spec;
    expect(spec.terminationGracePeriodSeconds).toBe(230);
    expect(spec.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: "gpufleet.io/pool", operator: "In", values: ["ondemand"] }] },
          ],
        },
      },
    });
  });

  it("hands the worker contract to the container through its environment", async () => {
    const ep = new ModelEndpoint("env", {
      ...happyArgs(fixtureCluster(provider)),
      results: { bucketName: "acme-results" },
      env: { MODEL_ID: "llama-7b" },
    });
    await settle(ep);

    expect(deployment("env").spec.template.spec.containers[0]?.env).toEqual([
      { name: "GPUFLEET_QUEUE_URL", value: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/env` },
      { name: "GPUFLEET_DLQ_URL", value: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/env-dlq` },
      { name: "GPUFLEET_ENDPOINT", value: "env" },
      { name: "AWS_REGION", value: "us-east-1" },
      { name: "GPUFLEET_VISIBILITY_TIMEOUT_SECONDS", value: "30" },
      { name: "GPUFLEET_MAX_PROCESSING_SECONDS", value: "10" },
      { name: "GPUFLEET_CONCURRENCY", value: "2" },
      { name: "GPUFLEET_SHUTDOWN_SECONDS", value: "90" },
      { name: "GPUFLEET_RESULTS_URI", value: "s3://acme-results/env/" },
      { name: "GPUFLEET_RESULTS_BUCKET", value: "acme-results" },
      { name: "GPUFLEET_RESULTS_PREFIX", value: "env/" },
      { name: "MODEL_ID", value: "llama-7b" },
    ]);
  });

  it("passes the readiness probe through and applies the deployment transform", async () => {
    const probe = { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 5 };
    const ep = new ModelEndpoint(
      "probe",
      { ...happyArgs(fixtureCluster(provider)), readinessProbe: probe, command: ["python", "-m", "worker"] },
      {
        transform: {
          deployment: (args) => ({ ...args, metadata: { ...args.metadata, annotations: { team: "ml" } } }),
        },
      },
    );
    await settle(ep);

    const d = deployment("probe");
    expect(d.spec.template.spec.containers[0]?.readinessProbe).toEqual(probe);
    expect(d.spec.template.spec.containers[0]?.command).toEqual(["python", "-m", "worker"]);
    expect(d.metadata).toMatchObject({ annotations: { team: "ml" } });
  });

  it("has a PodDisruptionBudget that lets a drain evict a single replica", async () => {
    const ep = new ModelEndpoint("pdb", happyArgs(fixtureCluster(provider)));
    await settle(ep);

    expect(mocks.one("kubernetes:policy/v1:PodDisruptionBudget", "pdb-pdb").inputs).toEqual({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: {
        name: "pdb",
        namespace: "default",
        labels: { "app.kubernetes.io/name": "pdb", "gpufleet.io/endpoint": "pdb" },
      },
      spec: {
        maxUnavailable: 1,
        selector: { matchLabels: { "app.kubernetes.io/name": "pdb", "gpufleet.io/endpoint": "pdb" } },
      },
    });
  });
});
