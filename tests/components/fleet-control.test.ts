import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { FleetControl, type FleetControlArgs } from "../../components";
import { fleetConfigJson } from "../../components/fleet-control/autoscaler";
import { autoscalerPolicyDocument } from "../../components/fleet-control/autoscaler-policy";
import { validateFleetControlArgs } from "../../components/fleet-control/validate";
import { parseFleetConfig } from "../../functions/autoscaler/config";
import { args as baseArgs, endpoint, pool } from "../fixtures/fleet-control";
import { installMocks, resolveOutput } from "../support/pulumi-mocks";

const mocks = installMocks();

/** Two endpoints on a spot pool of two slices per GPU and the on-demand fallback. */
function args(over: Partial<FleetControlArgs> = {}): FleetControlArgs {
  return baseArgs({
    endpoints: [endpoint("chat", ["spot-a"]), endpoint("embed", ["spot-a", "od"])],
    pools: [pool("spot-a", { slicesPerGpu: 2 }), pool("od", { capacityType: "on-demand", fallback: true })],
    ...over,
  });
}

async function settle(): Promise<void> {
  // Let the mocks register every child (registration is asynchronous).
  await new Promise((r) => setTimeout(r, 50));
}

describe("FleetControl", () => {
  it("creates the autoscaler: arm64 Node.js 22 function with fleet.json, schedule, logs, alarms, dashboard", async () => {
    const fleet = new FleetControl("fleet", args());
    await resolveOutput(fleet.autoscalerFunctionArn);
    await resolveOutput(fleet.dashboardName);
    await settle();

    const fn = mocks.one("aws:lambda/function:Function", "fleet-autoscaler").inputs;
    expect(fn).toMatchObject({
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      memorySize: 1024,
      timeout: 50,
      loggingConfig: { logFormat: "JSON" },
    });
    expect(fn.environment).toEqual({
      variables: {
        HISTORY_DAYS: "14",
        POWERTOOLS_SERVICE_NAME: "gpufleet-autoscaler",
      },
    });
    expect(mocks.one("aws:scheduler/schedule:Schedule", "fleet-autoscaler-schedule").inputs).toMatchObject({
      scheduleExpression: "rate(1 minute)",
      flexibleTimeWindow: { mode: "OFF" },
      target: { retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 } },
    });
    expect(mocks.one("aws:cloudwatch/logGroup:LogGroup", "fleet-autoscaler-logs").inputs.retentionInDays).toBe(30);
    expect(
      mocks
        .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
        .map((a) => a.name)
        .sort(),
    ).toEqual(["fleet-autoscaler-dead-letters", "fleet-autoscaler-errors", "fleet-autoscaler-not-running"]);
    expect(mocks.one("aws:sqs/queue:Queue", "fleet-autoscaler-dlq").inputs.sqsManagedSseEnabled).toBe(true);
    expect(
      JSON.parse(mocks.one("aws:sqs/queuePolicy:QueuePolicy", "fleet-autoscaler-dlq").inputs.policy as string)
        .Statement,
    ).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: "arn:aws:sqs:us-east-1:123456789012:fleet-autoscaler-dlq",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
    expect(
      JSON.parse(mocks.one("aws:iam/role:Role", "fleet-autoscaler-scheduler-role").inputs.assumeRolePolicy as string)
        .Statement[0].Condition,
    ).toEqual({
      StringEquals: {
        "aws:SourceAccount": "123456789012",
        "aws:SourceArn": "arn:aws:scheduler:us-east-1:123456789012:schedule-group/default",
      },
    });
    expect(
      mocks.one("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "fleet-autoscaler-invoke").inputs,
    ).toMatchObject({
      maximumRetryAttempts: 0,
      destinationConfig: { onFailure: { destination: "arn:aws:sqs:us-east-1:123456789012:fleet-autoscaler-dlq" } },
    });
    expect(mocks.one("aws:cloudwatch/logGroup:LogGroup", "fleet-autoscaler-logs").inputs.name).toBe(
      "/gpufleet/gpufleet-test/fleet-autoscaler",
    );
  });

  it("exposes exactly the least-privilege policy it attaches to the role", async () => {
    const fleet = new FleetControl("least", args());
    const document = JSON.parse(await resolveOutput(fleet.autoscalerPolicyDocument));
    await settle();

    const logGroupArn = "arn:aws:mock:us-east-1:123456789012:loggroup/least-autoscaler-logs";
    const dlqArn = "arn:aws:sqs:us-east-1:123456789012:least-autoscaler-dlq";
    expect(document).toEqual(
      autoscalerPolicyDocument(
        ["arn:aws:sqs:us-east-1:123456789012:chat-requests", "arn:aws:sqs:us-east-1:123456789012:embed-requests"],
        logGroupArn,
        dlqArn,
      ),
    );
    expect(document.Statement).toEqual([
      {
        Sid: "ReadEndpointQueueDepth",
        Effect: "Allow",
        Action: ["sqs:GetQueueAttributes"],
        Resource: [
          "arn:aws:sqs:us-east-1:123456789012:chat-requests",
          "arn:aws:sqs:us-east-1:123456789012:embed-requests",
        ],
      },
      { Sid: "ReadMetrics", Effect: "Allow", Action: ["cloudwatch:GetMetricData"], Resource: "*" },
      {
        Sid: "PublishPredictedReplicas",
        Effect: "Allow",
        Action: ["cloudwatch:PutMetricData"],
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": "gpufleet" } },
      },
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [`${logGroupArn}:*`],
      },
      { Sid: "ReportFailedTicks", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [dlqArn] },
    ]);
    const attached = mocks.one("aws:iam/rolePolicy:RolePolicy", "least-autoscaler-policy").inputs.policy as string;
    expect(JSON.parse(attached)).toEqual(document);
  });

  it("writes fleet.json with each endpoint's slowest lead time and most-sliced pool", async () => {
    const input = args({ leadTimeSecondsByPool: { "spot-a": 300, od: 420 }, autoscalerSettings: { headroom: 1.2 } });
    const json = await resolveOutput(fleetConfigJson(input, validateFleetControlArgs(input)));

    const config = parseFleetConfig(json);
    // tickSeconds comes from the schedule (rate(1 minute)), never set apart from it.
    expect(config.settings).toEqual({ headroom: 1.2, tickSeconds: 60 });
    expect(config.endpoints.map((e) => [e.name, e.queueName, e.slicesPerGpu, e.leadTimeSeconds])).toEqual([
      ["chat", "chat-requests", 2, 300],
      ["embed", "embed-requests", 4, 420],
    ]);
  });

  it("keeps 500 endpoints out of the 4 KB environment", async () => {
    const many = Array.from({ length: 500 }, (_, i) => endpoint(`model-${i}`, ["spot-a"]));
    const input = args({ endpoints: many });
    const fleet = new FleetControl("big", input);
    await resolveOutput(fleet.autoscalerFunctionArn);
    await settle();

    const env = mocks.one("aws:lambda/function:Function", "big-autoscaler").inputs.environment;
    expect(JSON.stringify(env).length).toBeLessThan(4096);
    const json = await resolveOutput(fleetConfigJson(input, validateFleetControlArgs(input)));
    expect(parseFleetConfig(json).endpoints).toHaveLength(500);
  });

  it("draws a dashboard row per endpoint and a widget per pool", async () => {
    const fleet = new FleetControl("dash", args());
    await resolveOutput(fleet.dashboardName);
    await settle();

    const body = JSON.parse(
      mocks.one("aws:cloudwatch/dashboard:Dashboard", "dash-dashboard").inputs.dashboardBody as string,
    );
    const titles = body.widgets.map((w: { properties: { title: string } }) => w.properties.title);
    expect(titles).toEqual([
      "chat: arrivals per minute",
      "chat: backlog",
      "chat: oldest message age (s)",
      "chat: predicted vs. actual replicas",
      "embed: arrivals per minute",
      "embed: backlog",
      "embed: oldest message age (s)",
      "embed: predicted vs. actual replicas",
      "pool spot-a: nodes",
      "pool od: nodes",
    ]);
    expect(body.widgets[3].properties.metrics[0]).toEqual([
      "gpufleet",
      "PredictedReplicas",
      "Endpoint",
      "chat",
      { stat: "Maximum", label: "predicted" },
    ]);
    expect(body.widgets[8].properties.metrics[0]).toEqual([
      "AWS/AutoScaling",
      "GroupDesiredCapacity",
      "AutoScalingGroupName",
      "eks-spot-a-asg",
      { stat: "Maximum", label: "eks-spot-a-asg desired" },
    ]);
  });

  it("creates no dashboard when asked not to", async () => {
    const fleet = new FleetControl("nodash", args({ dashboard: false }));
    expect(await resolveOutput(fleet.dashboardName)).toBeUndefined();
    await settle();

    expect(mocks.ofType("aws:cloudwatch/dashboard:Dashboard").map((d) => d.name)).not.toContain("nodash-dashboard");
  });

  const invalid: [string, Partial<FleetControlArgs>, string][] = [
    [
      "unknown pool",
      { endpoints: [endpoint("chat", ["gpu-x"])] },
      'endpoints[0].poolNames[0] ("gpu-x") is not one of the pools (spot-a, od)',
    ],
    [
      "duplicate endpoint",
      { endpoints: [endpoint("chat", ["od"]), endpoint("chat", ["od"])] },
      'endpoints[1].endpointName ("chat") is already used by endpoints[0]',
    ],
    [
      "bad endpoint name",
      { endpoints: [endpoint("Chat_1", ["od"])] },
      "endpoints[0].endpointName (\"Chat_1\") must be 1-63 lowercase letters, digits or '-', starting and ending alphanumeric",
    ],
    [
      "max below min",
      {
        endpoints: [{ ...endpoint("chat", ["od"]), profile: { ...endpoint("chat", ["od"]).profile, maxReplicas: 0 } }],
      },
      "endpoints[0].profile.maxReplicas (0) must be at least 1",
    ],
    [
      "slices",
      { pools: [pool("spot-a", { slicesPerGpu: 64 })] },
      "pools[0].slicesPerGpu (64) must be a whole number between 1 and 48",
    ],
    [
      "lead time of unknown pool",
      { leadTimeSecondsByPool: { gpux: 10 } },
      "leadTimeSecondsByPool.gpux names no pool (pools: spot-a, od)",
    ],
    [
      "settings",
      { autoscalerSettings: { headroom: 0 } },
      "autoscalerSettings.headroom (0) must be greater than 0 and at most 100",
    ],
    [
      "retention",
      { logRetentionDays: 10 },
      "logRetentionDays (10) must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ],
    [
      "tick apart from the schedule",
      { schedule: "rate(5 minutes)", autoscalerSettings: { tickSeconds: 60 } },
      "autoscalerSettings.tickSeconds (60) must match the schedule (rate(5 minutes) ticks every 300 s); leave it out",
    ],
    [
      "schedule",
      { schedule: "every minute" },
      'schedule ("every minute") must be an EventBridge Scheduler expression: rate(...), cron(...) or at(...)',
    ],
    ["history", { historyDays: 15 }, "historyDays (15) must be a whole number between 0 and 14"],
  ];
  it.each(invalid)("rejects %s before creating anything", async (_, over, message) => {
    const before = mocks.resources.length;

    expect(() => new FleetControl(`bad-${before}`, args(over))).toThrow(message);
    await settle();
    expect(mocks.resources.filter((r) => r.name.startsWith(`bad-${before}`))).toEqual([]);
  });

  it("names the component type", async () => {
    const fleet = new FleetControl("typed", args());
    expect(await resolveOutput((fleet as unknown as { urn: pulumi.Output<string> }).urn)).toContain(
      "gpufleet:index:FleetControl",
    );
  });
});
