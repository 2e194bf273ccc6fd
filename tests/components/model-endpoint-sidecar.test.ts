import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
  ModelEndpoint,
  type ModelEndpointArgs,
  ModelWorkload,
  validateModelEndpointArgs,
  validateModelWorkloadArgs,
} from "../../components/model-endpoint";
import { fixtureCluster, happyArgs, json } from "../fixtures/model-endpoint";
import { installMocks, resolveOutput } from "../support/pulumi-mocks";

const READER = "arn:aws:iam::123456789012:role/chat-client";

interface Container {
  name: string;
  image: string;
  restartPolicy?: string;
  env: { name: string; value: string }[];
  resources: { requests: Record<string, string> };
  readinessProbe?: { httpGet: { path: string; port: number } };
  securityContext?: Record<string, unknown>;
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
}

function sidecarArgs(provider: k8s.Provider, extra: Partial<ModelEndpointArgs> = {}): ModelEndpointArgs {
  return {
    ...happyArgs(fixtureCluster(provider)),
    image: "vllm/vllm-openai:v0.6.3",
    env: { MODEL_ID: "acme/chat-7b" },
    sidecar: {
      workerImage: "registry.example.com/gpufleet-worker:0.1.0",
      port: 8000,
      protocol: "openai",
      results: { readerRoleArns: [READER], expireAfterDays: 3 },
    },
    ...extra,
  };
}

async function settleAll(ep: ModelEndpoint): Promise<void> {
  const { alarms, results, ...rest } = ep.resources;
  const children: pulumi.Resource[] = [
    ...Object.values(rest),
    ...(alarms ? Object.values(alarms) : []),
    ...(results ? Object.values(results) : []),
  ];
  await Promise.all(children.map((child) => resolveOutput(child.urn)));
}

describe("ModelEndpoint: sidecar mode", () => {
  const mocks = installMocks();
  const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
  const pod = (name: string) =>
    (
      mocks.one("kubernetes:apps/v1:Deployment", `${name}-deployment`).inputs as {
        spec: { template: { spec: PodSpec } };
      }
    ).spec.template.spec;

  it("runs the worker as the main container and the model server as a native sidecar holding the GPU", async () => {
    const ep = new ModelEndpoint("chat", sidecarArgs(provider));
    await settleAll(ep);

    const spec = pod("chat");
    expect(spec.initContainers?.map((c) => [c.name, c.image, c.restartPolicy])).toEqual([
      ["model", "vllm/vllm-openai:v0.6.3", "Always"],
    ]);
    expect(spec.initContainers?.[0]?.resources.requests["nvidia.com/gpu"]).toBe("1");
    // The model server gets its own variables only; the worker contract is the worker's.
    expect(spec.initContainers?.[0]?.env).toEqual([{ name: "MODEL_ID", value: "acme/chat-7b" }]);

    const worker = spec.containers[0] as Container;
    expect(spec.containers).toHaveLength(1);
    expect(worker.image).toBe("registry.example.com/gpufleet-worker:0.1.0");
    const env = Object.fromEntries(worker.env.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      GPUFLEET_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/chat",
      GPUFLEET_CONCURRENCY: "2",
      GPUFLEET_MODEL_URL: "http://127.0.0.1:8000",
      GPUFLEET_MODEL_PROTOCOL: "openai",
      GPUFLEET_RESULTS_URI: "s3://chat-results-0123abcd/chat/",
      GPUFLEET_RESULTS_BUCKET: "chat-results-0123abcd",
      GPUFLEET_RESULTS_PREFIX: "chat/",
    });
    expect(worker.readinessProbe).toMatchObject({ httpGet: { path: "/readyz", port: 8081 } });
    expect(worker.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(worker.resources.requests["nvidia.com/gpu"]).toBeUndefined();
  });

  it("creates an encrypted, private, expiring results bucket readable only by the named roles", async () => {
    const ep = new ModelEndpoint("res", sidecarArgs(provider));
    await settleAll(ep);

    const lifecycle = mocks.one(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "res-results-lifecycle",
    );
    expect(lifecycle.inputs.rules).toEqual([
      expect.objectContaining({ status: "Enabled", filter: { prefix: "res/" }, expiration: { days: 3 } }),
    ]);
    const sse = mocks.one(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "res-results-encryption",
    );
    expect(sse.inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
    expect(
      mocks.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "res-results-public-access").inputs,
    ).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });

    const policy = json(mocks.one("aws:s3/bucketPolicy:BucketPolicy", "res-results-policy").inputs.policy) as {
      Statement: { Sid: string; Effect: string; Principal: unknown; Condition?: unknown; Resource: unknown }[];
    };
    const bySid = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));
    expect(bySid.ReadersReadResults).toMatchObject({
      Effect: "Allow",
      Principal: { AWS: [READER] },
      Resource: "arn:aws:s3:::res-results-0123abcd/res/*",
    });
    expect(bySid.NobodyElseReadsResults).toMatchObject({
      Effect: "Deny",
      Principal: "*",
      Condition: { ArnNotEquals: { "aws:PrincipalArn": [READER] } },
    });
    expect(bySid.DenyInsecureTransport).toMatchObject({ Effect: "Deny" });

    const writer = json(mocks.one("aws:iam/rolePolicy:RolePolicy", "res-results-writer").inputs.policy);
    expect(writer).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "WriteResults",
          Effect: "Allow",
          Action: ["s3:PutObject"],
          Resource: "arn:aws:s3:::res-results-0123abcd/res/*",
        },
      ],
    });
    expect(await resolveOutput(ep.client)).toEqual({
      queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/res",
      resultsUri: "s3://res-results-0123abcd/res/",
      region: "us-east-1",
    });
  });

  it("uses an existing results bucket when one is named, and creates none", async () => {
    const ep = new ModelEndpoint(
      "byo",
      sidecarArgs(provider, {
        results: { bucketName: "acme-results", prefix: "byo/" },
        sidecar: { workerImage: "w:1", port: 8000 },
      }),
    );
    await settleAll(ep);
    expect(ep.resources.results).toBeUndefined();
    expect(mocks.ofType("aws:s3/bucket:Bucket").filter((b) => b.name.startsWith("byo"))).toEqual([]);
    const env = Object.fromEntries((pod("byo").containers[0] as Container).env.map((e) => [e.name, e.value]));
    expect(env.GPUFLEET_RESULTS_URI).toBe("s3://acme-results/byo/");
    expect(await resolveOutput(ep.resultsUri)).toBe("s3://acme-results/byo/");
  });

  it("arranges the pod the same way in a ModelWorkload alone, writing to the bucket it is given", async () => {
    const workload = new ModelWorkload("alone", {
      ...sidecarArgs(provider),
      queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/alone",
      dlqUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/alone-dlq",
      region: "us-east-1",
      sidecarResults: { bucketName: "other-stack-results", prefix: "alone/" },
    });
    await resolveOutput(workload.deployment.urn);
    const spec = pod("alone");
    expect(spec.initContainers?.map((c) => c.name)).toEqual(["model"]);
    const env = Object.fromEntries((spec.containers[0] as Container).env.map((e) => [e.name, e.value]));
    expect(env.GPUFLEET_RESULTS_URI).toBe("s3://other-stack-results/alone/");
  });

  it("leaves a contract-implementing image as the only container and has no client output without results", async () => {
    const ep = new ModelEndpoint("plain", happyArgs(fixtureCluster(provider)));
    await settleAll(ep);
    expect(pod("plain").initContainers).toBeUndefined();
    expect(pod("plain").containers.map((c) => c.name)).toEqual(["model"]);
    expect(await resolveOutput(ep.client)).toBeUndefined();
  });
});

describe("ModelEndpoint: sidecar mode validation", () => {
  const provider = new k8s.Provider("k8s-validate", { kubeconfig: "{}" });
  const base = (sidecar: Partial<NonNullable<ModelEndpointArgs["sidecar"]>>, extra: Partial<ModelEndpointArgs> = {}) =>
    sidecarArgs(provider, {
      sidecar: { workerImage: "w:1", port: 8000, results: { readerRoleArns: [READER] }, ...sidecar },
      ...extra,
    });

  it("refuses sidecar.results on a ModelWorkload alone, which creates no bucket", () => {
    const args = {
      ...base({}),
      queueUrl: "https://q",
      dlqUrl: "https://d",
      region: "us-east-1",
    };
    expect(() => validateModelWorkloadArgs("v", args)).toThrow(
      'invalid ModelEndpoint "v" arguments:\nsidecar.results describes a bucket ModelEndpoint creates; a ModelWorkload alone needs results.bucketName or sidecarResults',
    );
  });

  it.each([
    [{ port: 0 }, {}, "sidecar.port (0) must be a whole number between 1 and 65535"],
    [{ healthPort: 8000 }, {}, "sidecar.healthPort (8000) must differ from sidecar.port (8000)"],
    [{ protocol: "grpc" as never }, {}, 'sidecar.protocol ("grpc") must be one of json, openai, kserve'],
    [
      { protocol: "kserve" as const },
      {},
      "sidecar.modelName is required with protocol kserve (the route is /v2/models/<modelName>/infer)",
    ],
    [{ healthPath: "ready" }, {}, `sidecar.healthPath ("ready") must start with '/'`],
    [
      { results: { readerRoleArns: [] } },
      {},
      "sidecar.results.readerRoleArns must name at least one role: only those roles may read results",
    ],
    [
      { results: { readerRoleArns: [READER], expireAfterDays: 0 } },
      {},
      "sidecar.results.expireAfterDays (0) must be a whole number between 1 and 3650",
    ],
    [
      { results: undefined },
      {},
      "sidecar mode needs a results location: sidecar.results (a new bucket) or results.bucketName (an existing one)",
    ],
    [
      {},
      { results: { bucketName: "acme-results" } },
      "sidecar.results configures a bucket the endpoint creates; with results.bucketName (an existing bucket) its owner sets lifecycle, encryption and access",
    ],
  ])("refuses %j %j before creating anything", (sidecar, extra, message) => {
    const args = base(sidecar, extra);
    expect(() => validateModelEndpointArgs("v", args)).toThrow(`invalid ModelEndpoint "v" arguments:\n${message}`);
  });
});
