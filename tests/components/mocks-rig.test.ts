import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { installMocks, resolveOutput } from "../support/pulumi-mocks";

describe("the Pulumi mocks rig", () => {
  const mocks = installMocks();

  it("records a resource with its inputs and synthesizes AWS-shaped outputs", async () => {
    const queue = new aws.sqs.Queue("rig", { name: "rig", sqsManagedSseEnabled: true });

    expect(await resolveOutput(queue.arn)).toBe("arn:aws:sqs:us-east-1:123456789012:rig");
    expect(mocks.one("aws:sqs/queue:Queue", "rig").inputs.sqsManagedSseEnabled).toBe(true);
  });

  it("answers known invokes and rejects unknown ones by name", async () => {
    const identity = await aws.getCallerIdentity();
    expect(identity.accountId).toBe("123456789012");

    await expect(aws.ec2.getVpc({ default: true })).rejects.toBeDefined();
    expect(mocks.unknownInvokes).toEqual(["aws:ec2/getVpc:getVpc"]);
  });
});
