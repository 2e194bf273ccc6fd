import { describe, expect, it } from "vitest";
import { FleetControl } from "../../components";
import { args, chat, pool } from "../fixtures/fleet-control";
import { installMocks, resolveOutput } from "../support/pulumi-mocks";

const mocks = installMocks();

function rebalancerFunctions(parent: string): string[] {
  return mocks
    .ofType("aws:lambda/function:Function")
    .map((r) => r.name)
    .filter((n) => n === `${parent}-rebalancer-fn`);
}

describe("FleetControl tags", () => {
  it("puts the given tags on every taggable child and none on the rest", async () => {
    const fleet = new FleetControl("tagged", args({ tags: { team: "ml", "cost-center": "inference" } }));
    await resolveOutput(fleet.rebalancerFunctionName);
    await resolveOutput(fleet.autoscalerFunctionArn);

    const children = mocks.resources.filter((r) => r.name.startsWith("tagged-"));
    const taggable = children.filter((r) =>
      ["aws:lambda/function:Function", "aws:sqs/queue:Queue", "aws:iam/role:Role", "aws:dynamodb/table:Table"].includes(
        r.type,
      ),
    );
    expect(taggable.length).toBeGreaterThanOrEqual(8);
    for (const child of taggable) {
      expect(child.inputs.tags, `${child.type} ${child.name}`).toMatchObject({
        team: "ml",
        "cost-center": "inference",
      });
    }
    const policies = children.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy");
    expect(policies.length).toBeGreaterThan(0);
    for (const policy of policies) expect(policy.inputs.tags).toBeUndefined();
  });
});

describe("FleetControl with the spot rebalancer", () => {
  it("adds the rebalancer by default when a pool is spot, with FleetControl's log retention", async () => {
    const fleet = new FleetControl("withspot", args({ logRetentionDays: 90 }));

    const document = JSON.parse((await resolveOutput(fleet.rebalancerPolicyDocument)) ?? "{}") as {
      Statement: { Action: string | string[]; Resource: string | string[] }[];
    };
    // The function registers once its bundle is built: wait for its name.
    await resolveOutput(fleet.rebalancerFunctionName);

    expect(rebalancerFunctions("withspot")).toEqual(["withspot-rebalancer-fn"]);
    const logGroup = mocks.one("aws:cloudwatch/logGroup:LogGroup", "withspot-rebalancer-logs");
    expect(logGroup.inputs.retentionInDays).toBe(90);
    const setDesired = document.Statement.find((s) => [s.Action].flat().includes("autoscaling:SetDesiredCapacity"));
    expect([setDesired?.Resource].flat().sort()).toEqual([
      "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/eks-od-asg",
      "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/eks-spot-asg",
    ]);
  });

  it("leaves the rebalancer out with rebalancer: { enabled: false }", async () => {
    const fleet = new FleetControl("nospot", args({ rebalancer: { enabled: false } }));

    expect(await resolveOutput(fleet.rebalancerFunctionName)).toBeUndefined();
    expect(rebalancerFunctions("nospot")).toEqual([]);
  });

  it("leaves the rebalancer out when every pool is on-demand", async () => {
    const fleet = new FleetControl(
      "ondemand",
      args({
        pools: [pool("od", { capacityType: "on-demand", fallback: true })],
        endpoints: [{ ...chat, poolNames: ["od"] }],
      }),
    );

    expect(await resolveOutput(fleet.rebalancerTableName)).toBeUndefined();
    expect(rebalancerFunctions("ondemand")).toEqual([]);
  });

  it("rejects a bad rebalancer option in FleetControl's words before any resource exists", () => {
    const before = mocks.resources.length;

    expect(() => new FleetControl("badopt", args({ rebalancer: { maxReceiveCount: 0 } }))).toThrow(
      "invalid FleetControl arguments:\nrebalancer.maxReceiveCount (0) must be a whole number between 1 and 1000",
    );
    expect(mocks.resources.length).toBe(before);
  });

  it("rejects spot pools without an on-demand fallback pool", () => {
    expect(
      () => new FleetControl("nofallback", args({ pools: [pool("spot"), pool("od", { capacityType: "on-demand" })] })),
    ).toThrow(
      "invalid FleetControl arguments:\nrebalancer.pools have 0 with fallback: true; exactly one on-demand fallback pool is required",
    );
  });
});
