import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { ModelEndpoint } from "../../components/model-endpoint";
import { fixtureCluster, happyArgs, json, settle } from "../fixtures/model-endpoint";
import { installMocks, resolveOutput } from "../support/pulumi-mocks";

const ACCOUNT = "123456789012";

interface Trigger {
  type: string;
  name: string;
  authenticationRef: { name: string };
  metadata: Record<string, string>;
}
interface ScaledObjectInputs {
  metadata: { name: string; namespace: string };
  spec: {
    scaleTargetRef: { name: string };
    pollingInterval: number;
    cooldownPeriod: number;
    minReplicaCount: number;
    maxReplicaCount: number;
    advanced: { horizontalPodAutoscalerConfig: { behavior: Record<string, unknown> } };
    triggers: Trigger[];
  };
}

describe("ModelEndpoint: KEDA scaling and alarms", () => {
  const mocks = installMocks();
  const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
  const scaledObject = (name: string) =>
    mocks.one("kubernetes:keda.sh/v1alpha1:ScaledObject", `${name}-scaledobject`)
      .inputs as unknown as ScaledObjectInputs;
  const trigger = (name: string, type: string) => scaledObject(name).spec.triggers.find((t) => t.type === type);

  it("scales the Deployment between min and max with GPU cold-start behaviour", async () => {
    const ep = new ModelEndpoint("chat", happyArgs(fixtureCluster(provider)));
    await settle(ep);

    const so = scaledObject("chat");
    expect(so.metadata).toMatchObject({ name: "chat", namespace: "default" });
    expect(so.spec).toMatchObject({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "chat" },
      pollingInterval: 15,
      cooldownPeriod: 600,
      minReplicaCount: 1,
      maxReplicaCount: 8,
    });
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Max",
        policies: [
          { type: "Percent", value: 100, periodSeconds: 60 },
          { type: "Pods", value: 4, periodSeconds: 60 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: "Max",
        policies: [
          { type: "Percent", value: 25, periodSeconds: 60 },
          { type: "Pods", value: 1, periodSeconds: 60 },
        ],
      },
    });
  });

  it("scales on the SQS backlog, in-flight counted, with the backlog per replica from the profile", async () => {
    const ep = new ModelEndpoint("sqs", happyArgs(fixtureCluster(provider)));
    await settle(ep);

    expect(trigger("sqs", "aws-sqs-queue")).toEqual({
      type: "aws-sqs-queue",
      name: "backlog",
      authenticationRef: { name: "sqs-aws" },
      metadata: {
        queueURL: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/sqs`,
        // 2 in flight + 2 × 10 s SLO / 2 s per request
        queueLength: "12",
        activationQueueLength: "0",
        awsRegion: "us-east-1",
        scaleOnInFlight: "true",
        scaleOnDelayed: "false",
      },
    });
  });

  it("scales on the predicted replicas the autoscaler publishes for this endpoint, missing data as 0", async () => {
    const ep = new ModelEndpoint("pred", happyArgs(fixtureCluster(provider)));
    await settle(ep);

    expect(trigger("pred", "aws-cloudwatch")).toEqual({
      type: "aws-cloudwatch",
      name: "predicted",
      authenticationRef: { name: "pred-aws" },
      metadata: {
        namespace: "gpufleet",
        metricName: "PredictedReplicas",
        dimensionName: "Endpoint",
        dimensionValue: "pred",
        targetMetricValue: "1",
        activationTargetMetricValue: "0",
        minMetricValue: "0",
        ignoreNullValues: "true",
        metricStat: "Maximum",
        metricStatPeriod: "60",
        metricCollectionTime: "180",
        metricEndTimeOffset: "0",
        awsRegion: "us-east-1",
      },
    });
  });

  it("honours scaling overrides, scale to zero included", async () => {
    const args = happyArgs(fixtureCluster(provider));
    args.profile.minReplicas = 0;
    const ep = new ModelEndpoint("zero", {
      ...args,
      scaling: { queueLengthPerReplica: 3, cooldownSeconds: 900, scaleDownStabilizationSeconds: 1200 },
    });
    await settle(ep);

    const so = scaledObject("zero");
    expect(so.spec.minReplicaCount).toBe(0);
    expect(so.spec.cooldownPeriod).toBe(900);
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown).toMatchObject({
      stabilizationWindowSeconds: 1200,
    });
    expect(trigger("zero", "aws-sqs-queue")?.metadata.queueLength).toBe("3");
  });

  it("authenticates KEDA with its own identity unless the cluster names the KEDA operator role", async () => {
    const plain = new ModelEndpoint("auth", happyArgs(fixtureCluster(provider)));
    const operator = `arn:aws:iam::${ACCOUNT}:role/keda-operator`;
    const scoped = new ModelEndpoint(
      "scaler",
      happyArgs(fixtureCluster(provider, { identity: "pod-identity" }, { kedaOperatorRoleArn: operator })),
    );
    await Promise.all([settle(plain), settle(scoped)]);

    const auth = (name: string) =>
      mocks.one("kubernetes:keda.sh/v1alpha1:TriggerAuthentication", `${name}-keda-auth`).inputs.spec;
    expect(auth("auth")).toEqual({ podIdentity: { provider: "aws" } });
    expect(auth("scaler")).toEqual({
      podIdentity: { provider: "aws", roleArn: `arn:aws:iam::${ACCOUNT}:role/scaler-scaler-role` },
    });
    expect(json(mocks.one("aws:iam/role:Role", "scaler-scaler-role").inputs.assumeRolePolicy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "KedaOperator", Effect: "Allow", Principal: { AWS: operator }, Action: ["sts:AssumeRole"] }],
    });
    expect(json(mocks.one("aws:iam/rolePolicy:RolePolicy", "scaler-scaler-policy").inputs.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadBacklog",
          Effect: "Allow",
          Action: ["sqs:GetQueueAttributes"],
          Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:scaler`,
        },
        { Sid: "ReadPrediction", Effect: "Allow", Action: ["cloudwatch:GetMetricData"], Resource: "*" },
      ],
    });
    expect(mocks.ofType("aws:iam/role:Role").map((r) => r.name)).not.toContain("auth-scaler-role");
  });

  it("alarms on a non-empty DLQ, old requests and a stalled queue, notifying a new topic", async () => {
    const ep = new ModelEndpoint("alarm", { ...happyArgs(fixtureCluster(provider)), alarms: { createTopic: true } });
    await settle(ep);

    const topicArn = await resolveOutput(ep.alarmTopicArn);
    expect(topicArn).toBe(`arn:aws:mock:us-east-1:${ACCOUNT}:topic/alarm-alarms`);
    expect(mocks.one("aws:sns/topic:Topic", "alarm-alarms").inputs.kmsMasterKeyId).toBe("alias/aws/sns");
    const actions = { alarmActions: [topicArn], okActions: [topicArn] };
    expect(mocks.one("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm-dlq-not-empty").inputs).toMatchObject({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: "alarm-dlq" },
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      ...actions,
    });
    expect(mocks.one("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm-oldest-message").inputs).toMatchObject({
      metricName: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: "alarm" },
      // 3 × the 10 s SLO
      threshold: 30,
      comparisonOperator: "GreaterThanThreshold",
      ...actions,
    });
    const stalled = mocks.one("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm-stalled").inputs;
    expect(stalled).toMatchObject({ evaluationPeriods: 15, datapointsToAlarm: 15, threshold: 1, ...actions });
    expect(stalled.metricQueries).toMatchObject([
      {
        id: "visible",
        metric: { metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: "alarm" } },
      },
      {
        id: "inflight",
        metric: { metricName: "ApproximateNumberOfMessagesNotVisible", dimensions: { QueueName: "alarm" } },
      },
      { id: "stalled", expression: "IF(visible > 0 AND inflight == 0, 1, 0)", returnData: true },
    ]);
    expect(await resolveOutput(ep.alarmArns)).toHaveLength(3);
  });

  it("creates no alarms when they are disabled", async () => {
    const ep = new ModelEndpoint("quiet", { ...happyArgs(fixtureCluster(provider)), alarms: { enabled: false } });
    await settle(ep);

    expect(mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((r) => r.name.startsWith("quiet-"))).toEqual(
      [],
    );
    expect(await resolveOutput(ep.alarmArns)).toEqual([]);
  });
});
