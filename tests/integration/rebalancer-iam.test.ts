import { UpdateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PolicyDocument, rebalancerPolicyDocument } from "../../components/fleet-control/rebalancer-policy";
import { handleRecords } from "../../functions/rebalancer/service";
import { createUserWithPolicy } from "../support/iam";
import { type MotoServer, startMotoServer } from "../support/moto-server";
import {
  type Clients,
  clients,
  createWorld,
  emulatorServiceDeps,
  eventBody,
  groupState,
  OD_ASG,
  SPOT_ASG,
  TABLE,
} from "./support/rebalancer-world";

const ACCOUNT = "123456789012";
/**
 * A denial as the emulator answers it: HTTP 403. (For JSON-protocol services it sends the
 * denial as XML, which the SDK cannot decode into a named error, so the status is what to check.)
 */
const FORBIDDEN = { $metadata: { httpStatusCode: 403 } };
const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:rebalancer-events`;

/**
 * What the emulator can check. moto evaluates the resource of a request only for SQS (and
 * IAM/STS); for Auto Scaling, DynamoDB and EC2 it matches the action against Resource "*",
 * where an ARN-scoped statement never matches, and it reads no resource tags, so a tag
 * condition cannot be evaluated. Those statements are widened here, so this run proves the
 * action list is sufficient and that everything else is denied, and the SQS statement is
 * enforced as written. The exact ARNs and the tag condition are asserted on the document
 * itself in tests/components/rebalancer-resources.test.ts.
 */
function emulatorView(policy: PolicyDocument): PolicyDocument {
  return {
    ...policy,
    Statement: policy.Statement.map(({ Condition: _tagCondition, ...s }) =>
      s.Action.every((a) => a.startsWith("sqs:")) ? s : { ...s, Resource: ["*"] },
    ),
  };
}

describe("the rebalancer under IAM enforcement", () => {
  let server: MotoServer;
  let admin: Clients;
  let restricted: Clients;

  beforeAll(async () => {
    server = await startMotoServer({ initialNoAuthActionCount: 6 });
    const policy = rebalancerPolicyDocument({
      partition: "aws",
      region: "us-east-1",
      accountId: ACCOUNT,
      clusterName: "demo",
      asgNames: [SPOT_ASG, OD_ASG],
      tableArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${TABLE}`,
      queueArn: QUEUE_ARN,
      logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/rebalancer`,
    });
    const adminKeys = await createUserWithPolicy(server.endpoint, "admin", {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
    });
    const rebalancerKeys = await createUserWithPolicy(server.endpoint, "rebalancer", emulatorView(policy));
    admin = clients({ endpoint: server.endpoint, credentials: adminKeys });
    restricted = clients({ endpoint: server.endpoint, credentials: rebalancerKeys });
    await createWorld(admin);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("does its work with only the role's permissions", async () => {
    const [victim] = (await groupState(admin, SPOT_ASG)).instanceIds;
    const result = await handleRecords(
      emulatorServiceDeps(restricted, { owner: "iam-test", sleep: async () => undefined, leaseWaitMs: 1_000 }),
      [{ messageId: "m1", body: eventBody("warning", "evt-iam", victim as string) }],
    );

    expect(result.batchItemFailures).toEqual([]);
    expect((await groupState(admin, OD_ASG)).desired).toBe(1);
  });

  it("may consume its own queue but no other, and may not send to it", async () => {
    const own = `${server.endpoint}/${ACCOUNT}/rebalancer-events`;
    const other = `${server.endpoint}/${ACCOUNT}/rebalancer-dlq`;

    await expect(restricted.sqs.send(new ReceiveMessageCommand({ QueueUrl: own }))).resolves.toBeDefined();
    await expect(restricted.sqs.send(new ReceiveMessageCommand({ QueueUrl: other }))).rejects.toMatchObject(FORBIDDEN);
    await expect(
      restricted.sqs.send(new SendMessageCommand({ QueueUrl: own, MessageBody: "x" })),
    ).rejects.toMatchObject(FORBIDDEN);
  });

  it("is denied everything outside its action list: group min/max, instances, the table itself", async () => {
    await expect(
      restricted.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: SPOT_ASG, MaxSize: 100 })),
    ).rejects.toMatchObject({ name: "AccessDenied" });
    const [instance] = (await groupState(admin, SPOT_ASG)).instanceIds;
    await expect(
      restricted.ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance as string] })),
    ).rejects.toThrow(/not authorized|AccessDenied|UnauthorizedOperation/i);
    await expect(restricted.dynamodb.send(new DeleteTableCommand({ TableName: TABLE }))).rejects.toMatchObject(
      FORBIDDEN,
    );
  });
});
