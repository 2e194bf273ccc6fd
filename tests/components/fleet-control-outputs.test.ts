import { describe, expect, it } from "vitest";
import { FleetControl } from "../../components";
import { ACCOUNT, args } from "../fixtures/fleet-control";
import { installMocks, resolveOutput } from "../support/pulumi-mocks";

const mocks = installMocks();

describe("FleetControl outputs and resources", () => {
  it("outputs the functions, roles, queues and alarms other stacks wire to", async () => {
    const fleet = new FleetControl("out", args());

    expect(await resolveOutput(fleet.autoscalerRoleArn)).toBe(`arn:aws:iam::${ACCOUNT}:role/out-autoscaler-role`);
    expect(await resolveOutput(fleet.rebalancerRoleArn)).toBe(`arn:aws:iam::${ACCOUNT}:role/out-rebalancer-role`);
    expect(await resolveOutput(fleet.autoscalerAlarmArns)).toHaveLength(3);
    expect(await resolveOutput(fleet.rebalancerFunctionArn)).toMatch(/out-rebalancer-fn$/);
    expect(await resolveOutput(fleet.rebalancerQueueArn)).toMatch(/^arn:aws:sqs:/);
    expect(await resolveOutput(fleet.rebalancerDeadLetterQueueUrl)).toMatch(/^https:\/\/sqs\./);
    expect(await resolveOutput(fleet.autoscalerDeadLetterQueueArn)).toMatch(/^arn:aws:sqs:/);
    expect(fleet.resources.autoscaler.alarms).toHaveLength(3);
    expect(fleet.resources.rebalancer?.eventSourceMapping).toBeDefined();
    expect(fleet.resources.dashboard).toBeDefined();
  });

  it("has no rebalancer outputs or resources when the rebalancer is left out", async () => {
    const fleet = new FleetControl("norebalancer", args({ rebalancer: { enabled: false } }));

    expect(await resolveOutput(fleet.rebalancerFunctionArn)).toBeUndefined();
    expect(await resolveOutput(fleet.rebalancerRoleArn)).toBeUndefined();
    expect(fleet.resources.rebalancer).toBeUndefined();
  });

  it("lets the rebalancer function's arguments be adjusted before it is created", async () => {
    const fleet = new FleetControl("tuned", args(), {
      transform: {
        rebalancerFunction: (fn) => ({ ...fn, memorySize: 512, tracingConfig: { mode: "Active" } }),
        autoscalerFunction: (fn) => ({ ...fn, layers: ["arn:aws:lambda:us-east-1:123456789012:layer:otel:1"] }),
      },
    });
    await resolveOutput(fleet.rebalancerFunctionName);

    const fn = mocks.one("aws:lambda/function:Function", "tuned-rebalancer-fn").inputs;
    expect(fn.memorySize).toBe(512);
    expect(fn.tracingConfig).toEqual({ mode: "Active" });
    expect(fn.handler).toBe("index.handler");
    const autoscaler = mocks.one("aws:lambda/function:Function", "tuned-autoscaler").inputs;
    expect(autoscaler.layers).toEqual(["arn:aws:lambda:us-east-1:123456789012:layer:otel:1"]);
  });
});
