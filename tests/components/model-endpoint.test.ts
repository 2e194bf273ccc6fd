import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { ModelEndpoint } from "../../components/model-endpoint";
import type { FleetEndpoint } from "../../components/types";
import { fixtureCluster, happyArgs, IRSA, json, settle } from "../fixtures/model-endpoint";
import { installMocks, resolveOutput } from "../support/pulumi-mocks";

const ACCOUNT = "123456789012";
const arnOf = (queue: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${queue}`;

describe("ModelEndpoint: queue, identity and outputs", () => {
  const mocks = installMocks();
  const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });

  it("encrypts both queues and redrives to the DLQ after maxReceiveCount", async () => {
    const ep = new ModelEndpoint("chat", happyArgs(fixtureCluster(provider)));
    await settle(ep);

    const queue = mocks.one("aws:sqs/queue:Queue", "chat-queue").inputs;
    const dlq = mocks.one("aws:sqs/queue:Queue", "chat-dlq").inputs;
    expect(queue).toMatchObject({
      name: "chat",
      sqsManagedSseEnabled: true,
      visibilityTimeoutSeconds: 30,
      messageRetentionSeconds: 345_600,
      receiveWaitTimeSeconds: 20,
    });
    expect(json(queue.redrivePolicy)).toEqual({ deadLetterTargetArn: arnOf("chat-dlq"), maxReceiveCount: 3 });
    expect(dlq).toMatchObject({ name: "chat-dlq", sqsManagedSseEnabled: true, messageRetentionSeconds: 1_209_600 });
  });

  it("uses a customer KMS key when given and lets the worker decrypt with it", async () => {
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1111-2222`;
    const ep = new ModelEndpoint("kms", { ...happyArgs(fixtureCluster(provider)), queue: { kmsKeyArn: key } });
    await settle(ep);

    for (const name of ["kms-queue", "kms-dlq"]) {
      const inputs = mocks.one("aws:sqs/queue:Queue", name).inputs;
      expect(inputs.kmsMasterKeyId).toBe(key);
      expect(inputs.sqsManagedSseEnabled).toBeUndefined();
    }
    const policy = json(mocks.one("aws:iam/rolePolicy:RolePolicy", "kms-role-policy").inputs.policy) as {
      Statement: { Sid: string }[];
    };
    expect(policy.Statement).toContainEqual({
      Sid: "DecryptRequests",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: key,
    });
  });

  it("denies non-TLS access on both queues", async () => {
    const ep = new ModelEndpoint("tls", happyArgs(fixtureCluster(provider)));
    await settle(ep);

    for (const [policyName, queueName] of [
      ["tls-queue-policy", "tls"],
      ["tls-dlq-policy", "tls-dlq"],
    ]) {
      const inputs = mocks.one("aws:sqs/queuePolicy:QueuePolicy", policyName as string).inputs;
      expect(inputs.queueUrl).toBe(`https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${queueName}`);
      expect(json(inputs.policy)).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "sqs:*",
            Resource: arnOf(queueName as string),
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      });
    }
  });

  it("scopes the worker policy to its own queue, DLQ and results prefix", async () => {
    const ep = new ModelEndpoint("scoped", {
      ...happyArgs(fixtureCluster(provider)),
      results: { bucketName: "acme-results", prefix: "chat/out/" },
    });
    await settle(ep);

    const policy = json(mocks.one("aws:iam/rolePolicy:RolePolicy", "scoped-role-policy").inputs.policy);
    expect(policy).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ConsumeRequests",
          Effect: "Allow",
          Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
          Resource: arnOf("scoped"),
        },
        {
          Sid: "ReadDeadLetterDepth",
          Effect: "Allow",
          Action: ["sqs:GetQueueAttributes"],
          Resource: arnOf("scoped-dlq"),
        },
        {
          Sid: "WriteResults",
          Effect: "Allow",
          Action: ["s3:PutObject"],
          Resource: "arn:aws:s3:::acme-results/chat/out/*",
        },
      ],
    });
    const actions = (policy as { Statement: { Action: string[]; Resource: string }[] }).Statement.flatMap((s) =>
      s.Action.map((action) => ({ action, resource: s.Resource })),
    );
    expect(actions.filter((a) => a.action.includes("*") || a.resource.endsWith(":*"))).toEqual([]);
  });

  it("binds the role to the exact service account with EKS Pod Identity", async () => {
    const ep = new ModelEndpoint("podid", { ...happyArgs(fixtureCluster(provider)), namespace: "models" });
    await settle(ep);

    const trust = json(mocks.one("aws:iam/role:Role", "podid-role").inputs.assumeRolePolicy);
    expect(trust).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "EksPodIdentity",
          Effect: "Allow",
          Principal: { Service: "pods.eks.amazonaws.com" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
          Condition: {
            StringEquals: {
              "aws:RequestTag/kubernetes-namespace": "models",
              "aws:RequestTag/kubernetes-service-account": "podid",
            },
          },
        },
      ],
    });
    expect(
      mocks.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "podid-pod-identity").inputs,
    ).toMatchObject({
      clusterName: "gpu-fleet",
      namespace: "models",
      serviceAccount: "podid",
      roleArn: `arn:aws:iam::${ACCOUNT}:role/podid-role`,
    });
    const sa = mocks.one("kubernetes:core/v1:ServiceAccount", "podid-sa").inputs as { metadata: object };
    expect(sa.metadata).toMatchObject({ name: "podid", namespace: "models" });
    expect(sa.metadata).not.toHaveProperty(["annotations", "eks.amazonaws.com/role-arn"]);
  });

  it("trusts the OIDC provider for the exact service account with IRSA", async () => {
    const ep = new ModelEndpoint("irsa", happyArgs(fixtureCluster(provider, IRSA)));
    await settle(ep);

    const trust = json(mocks.one("aws:iam/role:Role", "irsa-role").inputs.assumeRolePolicy);
    expect(trust).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Irsa",
          Effect: "Allow",
          Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123` },
          Action: ["sts:AssumeRoleWithWebIdentity"],
          Condition: {
            StringEquals: {
              "oidc.eks.us-east-1.amazonaws.com/id/ABC123:sub": "system:serviceaccount:default:irsa",
              "oidc.eks.us-east-1.amazonaws.com/id/ABC123:aud": "sts.amazonaws.com",
            },
          },
        },
      ],
    });
    expect(mocks.ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").map((r) => r.name)).not.toContain(
      "irsa-pod-identity",
    );
    const sa = mocks.one("kubernetes:core/v1:ServiceAccount", "irsa-sa").inputs;
    expect(sa.metadata).toMatchObject({
      annotations: { "eks.amazonaws.com/role-arn": `arn:aws:iam::${ACCOUNT}:role/irsa-role` },
    });
  });

  it("exposes the outputs FleetControl and other stacks use", async () => {
    const ep = new ModelEndpoint("out", { ...happyArgs(fixtureCluster(provider)), pools: ["spot-a", "ondemand"] });
    await settle(ep);
    const fleetEndpoint: FleetEndpoint = ep;

    expect(fleetEndpoint.endpointName).toBe("out");
    expect(fleetEndpoint.poolNames).toEqual(["spot-a", "ondemand"]);
    expect(fleetEndpoint.profile).toEqual({
      secondsPerRequest: 2,
      concurrencyPerReplica: 2,
      modelLoadSeconds: 30,
      sloSeconds: 10,
      minReplicas: 1,
      maxReplicas: 8,
    });
    expect(await resolveOutput(ep.queueName)).toBe("out");
    expect(await resolveOutput(ep.queueUrl)).toBe(`https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/out`);
    expect(await resolveOutput(ep.queueArn)).toBe(arnOf("out"));
    expect(await resolveOutput(ep.dlqUrl)).toBe(`https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/out-dlq`);
    expect(await resolveOutput(ep.deploymentName)).toBe("out");
    expect(ep.namespace).toBe("default");
    expect(await resolveOutput(ep.roleArn)).toBe(`arn:aws:iam::${ACCOUNT}:role/out-role`);
  });

  it("fails on bad config before creating any resource", () => {
    const before = mocks.resources.length;
    const args = { ...happyArgs(fixtureCluster(provider)), gpuMemoryGiB: 8 };

    expect(() => new ModelEndpoint("big", args)).toThrow(
      'invalid ModelEndpoint "big" arguments:\ngpuMemoryGiB (8) needs 8192 MiB per replica but pool "spot-a" offers 6144 MiB per slice',
    );
    expect(mocks.resources.length).toBe(before);
    expect(mocks.unknownInvokes).toEqual([]);
  });
});
