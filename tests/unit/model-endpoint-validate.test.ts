import type * as k8s from "@pulumi/kubernetes";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { IdentityMode } from "../../components/gpu-cluster";
import { backlogPerReplica, type ModelEndpointArgs, validateModelEndpointArgs } from "../../components/model-endpoint";
import { ConfigError } from "../../functions/problems";
import { fixtureCluster, happyArgs } from "../fixtures/model-endpoint";

// Validation reads only the pools' plain values; it never touches the Kubernetes provider.
const cluster = fixtureCluster({} as k8s.Provider);
const happy = (): ModelEndpointArgs => happyArgs(cluster);

interface Case {
  what: string;
  change: (a: ModelEndpointArgs) => void;
  message: string;
}

const cases: Case[] = [
  {
    what: "an endpoint name that is not DNS-1123",
    change: (a) => {
      a.endpointName = "Chat_Bot";
    },
    message:
      "endpointName (\"Chat_Bot\") must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit",
  },
  {
    what: "an endpoint name too long for Kubernetes",
    change: (a) => {
      a.endpointName = "a".repeat(64);
    },
    message: `endpointName ("${"a".repeat(64)}") must be at most 63 characters (Kubernetes)`,
  },
  {
    what: "a namespace that starts with a hyphen",
    change: (a) => {
      a.namespace = "-ml";
    },
    message:
      "namespace (\"-ml\") must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit",
  },
  {
    what: "a queue name too long for SQS",
    change: (a) => {
      a.queue = { name: "q".repeat(77) };
    },
    message: `queue.name ("${"q".repeat(77)}") must be 1 to 76 characters (SQS allows 80, less "-dlq" for the dead-letter queue)`,
  },
  {
    what: "a queue name with a dot",
    change: (a) => {
      a.queue = { name: "chat.v1" };
    },
    message: `queue.name ("chat.v1") may contain only letters, digits, '-' and '_'`,
  },
  {
    what: "an empty image",
    change: (a) => {
      a.image = " ";
    },
    message: 'image (" ") must name a container image',
  },
  {
    what: "minReplicas above maxReplicas",
    change: (a) => {
      a.profile.minReplicas = 9;
    },
    message: "profile.minReplicas (9) must not exceed maxReplicas (8)",
  },
  {
    what: "a zero SLO",
    change: (a) => {
      a.profile.sloSeconds = 0;
    },
    message: "profile.sloSeconds (0) must be greater than 0",
  },
  {
    what: "a negative SLO",
    change: (a) => {
      a.profile.sloSeconds = -5;
    },
    message: "profile.sloSeconds (-5) must be greater than 0",
  },
  {
    what: "a zero request time",
    change: (a) => {
      a.profile.secondsPerRequest = 0;
    },
    message: "profile.secondsPerRequest (0) must be greater than 0",
  },
  {
    what: "a negative model load time",
    change: (a) => {
      a.profile.modelLoadSeconds = -1;
    },
    message: "profile.modelLoadSeconds (-1) must be at least 0",
  },
  {
    what: "a fractional concurrency",
    change: (a) => {
      a.profile.concurrencyPerReplica = 1.5;
    },
    message: "profile.concurrencyPerReplica (1.5) must be a whole number",
  },
  {
    what: "zero maxReplicas",
    change: (a) => {
      a.profile.maxReplicas = 0;
    },
    message: "profile.maxReplicas (0) must be at least 1",
  },
  {
    what: "a visibility timeout shorter than the processing time",
    change: (a) => {
      a.queue = { maxProcessingSeconds: 60, visibilityTimeoutSeconds: 20 };
    },
    message:
      "queue.visibilityTimeoutSeconds (20) is shorter than queue.maxProcessingSeconds (60): a request still being processed would be handed to another replica",
  },
  {
    what: "a visibility timeout above the SQS limit",
    change: (a) => {
      a.queue = { visibilityTimeoutSeconds: 50_000 };
    },
    message: "queue.visibilityTimeoutSeconds (50000) must be a whole number between 0 and 43200",
  },
  {
    what: "a maxReceiveCount of zero",
    change: (a) => {
      a.queue = { maxReceiveCount: 0 };
    },
    message: "queue.maxReceiveCount (0) must be a whole number between 1 and 1000",
  },
  {
    what: "a retention below one minute",
    change: (a) => {
      a.queue = { retentionSeconds: 30 };
    },
    message: "queue.retentionSeconds (30) must be a whole number between 60 and 1209600",
  },
  {
    what: "an unknown pool",
    change: (a) => {
      a.pools = ["spot-a", "spot-z"];
    },
    message: 'pools[1] ("spot-z") is not a pool of the cluster (known: spot-a, spot-b, ondemand)',
  },
  {
    what: "no pools",
    change: (a) => {
      a.pools = [];
    },
    message: "pools ([]) must name at least one pool",
  },
  {
    what: "a pool listed twice",
    change: (a) => {
      a.pools = ["spot-a", "ondemand", "spot-a"];
    },
    message: 'pools[2] ("spot-a") is listed twice',
  },
  {
    what: "a grace period longer than the spot notice on a spot pool",
    change: (a) => {
      a.terminationGracePeriodSeconds = 150;
    },
    message:
      'terminationGracePeriodSeconds (150) is longer than the 120 s spot notice, and spot pool "spot-a" is allowed',
  },
  {
    what: "GPU memory over the slice of an allowed pool",
    change: (a) => {
      a.gpuMemoryGiB = 8;
    },
    message:
      'gpuMemoryGiB (8) needs 8192 MiB per replica but pool "spot-a" offers 6144 MiB per slice\ngpuMemoryGiB (8) needs 8192 MiB per replica but pool "spot-b" offers 6144 MiB per slice',
  },
  {
    what: "zero GPU memory",
    change: (a) => {
      a.gpuMemoryGiB = 0;
    },
    message: "gpuMemoryGiB (0) must be greater than 0 and at most 1024",
  },
  {
    what: "an unknown tier",
    change: (a) => {
      (a as { tier?: string }).tier = "premium";
    },
    message: 'tier ("premium") must be one of critical, standard, batch',
  },
  {
    what: "an env var that overrides the worker contract",
    change: (a) => {
      a.env = { GPUFLEET_QUEUE_URL: "https://elsewhere" };
    },
    message: "env.GPUFLEET_QUEUE_URL is set by the worker contract and cannot be overridden",
  },
  {
    what: "a scale-down window the HPA refuses",
    change: (a) => {
      a.scaling = { scaleDownStabilizationSeconds: 7200 };
    },
    message: "scaling.scaleDownStabilizationSeconds (7200) must be a whole number between 0 and 3600",
  },
  {
    what: "an invalid results bucket",
    change: (a) => {
      a.results = { bucketName: "My_Bucket" };
    },
    message: 'results.bucketName ("My_Bucket") is not a valid S3 bucket name',
  },
  {
    what: "both an alarm topic and a new one",
    change: (a) => {
      a.alarms = { topicArn: "arn:aws:sns:us-east-1:123456789012:ops", createTopic: true };
    },
    message: "alarms.topicArn and alarms.createTopic are exclusive",
  },
  {
    what: "an image reference with a line break",
    change: (a) => {
      a.image = "ghcr.io/example/chat:1.0\nrm -rf /";
    },
    message: 'image ("ghcr.io/example/chat:1.0\\nrm -rf /") must not contain whitespace or line breaks',
  },
  {
    what: "an image reference with an upper-case repository",
    change: (a) => {
      a.image = "ghcr.io/Example/chat:1.0";
    },
    message:
      'image ("ghcr.io/Example/chat:1.0") must be an image reference [registry/]repository[:tag][@digest] with a lower-case repository path',
  },
  {
    what: "an SLO shorter than one request",
    change: (a) => {
      a.profile.sloSeconds = 1;
    },
    message:
      "profile.sloSeconds (1) must not be shorter than secondsPerRequest (2): a queued request waits up to one service time for a slot",
  },
  {
    what: "a model load time of years",
    change: (a) => {
      a.profile.modelLoadSeconds = 1e12;
    },
    message: "profile.modelLoadSeconds (1000000000000) must be at most 3600",
  },
  {
    what: "an infinite request time",
    change: (a) => {
      a.profile.secondsPerRequest = Number.POSITIVE_INFINITY;
    },
    message: "profile.secondsPerRequest (.inf) must be a finite number",
  },
  {
    what: "a tag key in AWS's namespace",
    change: (a) => {
      a.tags = { "aws:team": "ml" };
    },
    message: 'tags.aws:team is refused: tag keys starting with "aws:" are reserved for AWS',
  },
  {
    what: "an IRSA cluster without its OIDC provider",
    change: (a) => {
      a.cluster = { ...a.cluster, identity: "irsa", oidcProviderUrl: "https://oidc.example" };
    },
    message: "cluster.oidcProviderArn (undefined) is required under IRSA",
  },
  {
    what: "an unknown identity mode",
    change: (a) => {
      a.cluster = { ...a.cluster, identity: "iam" as IdentityMode };
    },
    message: 'cluster.identity ("iam") must be "pod-identity" or "irsa"',
  },
  {
    what: "a readiness probe with two ways to probe",
    change: (a) => {
      a.readinessProbe = { httpGet: { path: "/ready", port: 8080 }, tcpSocket: { port: 8080 } };
    },
    message: 'readinessProbe (["httpGet", "tcpSocket"]) must set exactly one of httpGet, tcpSocket, exec',
  },
  {
    what: "a readiness probe on port 0",
    change: (a) => {
      a.readinessProbe = { tcpSocket: { port: 0 } };
    },
    message: "readinessProbe.tcpSocket.port (0) must be a whole number between 1 and 65535",
  },
];

describe("validateModelEndpointArgs", () => {
  it("accepts the happy path and resolves every default", () => {
    const resolved = validateModelEndpointArgs("chat", happy());

    expect(resolved.endpointName).toBe("chat");
    expect(resolved.namespace).toBe("default");
    expect(resolved.tier).toBe("standard");
    expect(resolved.gpuMemoryMiB).toBe(5120);
    expect(resolved.pools.map((p) => p.name)).toEqual(["spot-a", "spot-b", "ondemand"]);
    expect(resolved.mayRunOnSpot).toBe(true);
    expect(resolved.queue).toEqual({
      name: "chat",
      dlqName: "chat-dlq",
      maxProcessingSeconds: 10,
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 3,
      retentionSeconds: 345_600,
      dlqRetentionSeconds: 1_209_600,
      receiveWaitTimeSeconds: 20,
    });
    expect(resolved.terminationGracePeriodSeconds).toBe(90);
    expect(resolved.scaling.queueLengthPerReplica).toBe(12);
  });

  it.each(cases)("rejects $what", ({ change, message }) => {
    const args = happy();
    change(args);

    let thrown: unknown;
    try {
      validateModelEndpointArgs("chat", args);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).lines.join("\n")).toBe(message);
  });

  it("allows a long grace period when only on-demand pools are allowed", () => {
    const args = { ...happy(), pools: ["ondemand"], terminationGracePeriodSeconds: 300 };

    const resolved = validateModelEndpointArgs("chat", args);

    expect(resolved.mayRunOnSpot).toBe(false);
    expect(resolved.terminationGracePeriodSeconds).toBe(300);
  });

  it("lets a large model run on the pool whose slice holds it", () => {
    const args = { ...happy(), gpuMemoryGiB: 10, pools: ["ondemand"] };

    expect(validateModelEndpointArgs("chat", args).gpuMemoryMiB).toBe(10_240);
  });

  it("gives on-demand-only endpoints time to finish their longest request", () => {
    const args = { ...happy(), pools: ["ondemand"], queue: { maxProcessingSeconds: 300 } };

    const resolved = validateModelEndpointArgs("chat", args);

    expect(resolved.terminationGracePeriodSeconds).toBe(330);
    expect(resolved.queue.visibilityTimeoutSeconds).toBe(600);
  });
});

describe("backlogPerReplica", () => {
  const profile = { secondsPerRequest: 2, concurrencyPerReplica: 2, modelLoadSeconds: 30, sloSeconds: 10 };

  it("is the in-flight requests plus what a replica drains within the SLO", () => {
    expect(backlogPerReplica({ ...profile, minReplicas: 0, maxReplicas: 1 })).toBe(12);
    expect(
      backlogPerReplica({ ...profile, secondsPerRequest: 30, sloSeconds: 5, minReplicas: 0, maxReplicas: 1 }),
    ).toBe(2);
  });

  it("is at least 1 and never shrinks when the SLO grows", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 600, noNaN: true }),
        fc.integer({ min: 1, max: 64 }),
        fc.double({ min: 0.01, max: 3600, noNaN: true }),
        fc.double({ min: 0, max: 3600, noNaN: true }),
        (secondsPerRequest, concurrencyPerReplica, sloSeconds, extraSlo) => {
          const base = {
            secondsPerRequest,
            concurrencyPerReplica,
            modelLoadSeconds: 0,
            minReplicas: 0,
            maxReplicas: 1,
          };
          const tight = backlogPerReplica({ ...base, sloSeconds });
          const loose = backlogPerReplica({ ...base, sloSeconds: sloSeconds + extraSlo });
          expect(tight).toBeGreaterThanOrEqual(Math.max(1, concurrencyPerReplica));
          expect(loose).toBeGreaterThanOrEqual(tight);
        },
      ),
    );
  });
});
