import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT, offlineInvokes } from "../../policies/plan/invokes";
import { installMocks, resolveOutput } from "../support/pulumi-mocks";

const ACCOUNT = "123456789012";

/** Stack config as `pulumi config` would hold it for examples/byo-cluster (structured values as JSON). */
const stackConfig = {
  "byo:clusterName": "ml-prod",
  "byo:namespace": "models",
  "byo:alarmTopicArn": `arn:aws:sns:us-east-1:${ACCOUNT}:ml-oncall`,
  "byo:nodeRoleArn": `arn:aws:iam::${ACCOUNT}:role/ml-prod-gpu-nodes`,
  "byo:subnetIds": JSON.stringify(["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]),
  "byo:identity": "irsa",
  "byo:oidcProviderArn": `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/XYZ`,
  "byo:oidcProviderUrl": "https://oidc.eks.us-east-1.amazonaws.com/id/XYZ",
};

interface ExportedEndpoint {
  name: string;
  queueUrl: pulumi.Output<string>;
  deploymentName: pulumi.Output<string>;
  roleArn: pulumi.Output<string>;
  profile: { minReplicas: number };
}

describe("examples/byo-cluster", () => {
  // The cluster is looked up by name when no kubeconfig is configured: answer as `gpufleet plan` does.
  const getCluster = offlineInvokes(DEFAULT_ACCOUNT)["aws:eks/getCluster:getCluster"];
  const mocks = installMocks(getCluster ? { "aws:eks/getCluster:getCluster": getCluster } : {});

  it("adds GPU pools, two endpoints and FleetControl to a cluster given by config", async () => {
    pulumi.runtime.setAllConfig(stackConfig);

    const program = (await import("../../examples/byo-cluster/index.js")) as {
      endpoints: ExportedEndpoint[];
      rebalancerQueueUrl: pulumi.Output<string | undefined>;
    };
    const endpoints = program.endpoints;

    expect(endpoints.map((e) => e.name)).toEqual(["chat", "summarize"]);
    expect(await resolveOutput(endpoints[0]?.queueUrl)).toBe(
      `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/gpufleet-ml-prod-chat`,
    );
    expect(await resolveOutput(endpoints[1]?.deploymentName)).toBe("summarize");
    expect(await resolveOutput(endpoints[1]?.roleArn)).toBe(`arn:aws:iam::${ACCOUNT}:role/summarize-role`);
    expect(endpoints[1]?.profile.minReplicas).toBe(0);
    expect(await resolveOutput(program.rebalancerQueueUrl)).toMatch(/^https:\/\/sqs\./);
    const nodeGroups = mocks.ofType("aws:eks/nodeGroup:NodeGroup").map((g) => g.inputs);
    expect(nodeGroups.map((g) => [g.clusterName, g.capacityType]).sort()).toEqual([
      ["ml-prod", "ON_DEMAND"],
      ["ml-prod", "SPOT"],
    ]);
    const deployments = mocks
      .ofType("kubernetes:apps/v1:Deployment")
      .map((d) => d.inputs.metadata as { name: string })
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(deployments).toEqual([
      expect.objectContaining({ name: "chat", namespace: "models" }),
      expect.objectContaining({ name: "summarize", namespace: "models" }),
    ]);
    expect(mocks.ofType("aws:lambda/function:Function").map((f) => f.name)).toEqual([
      "ml-control-autoscaler",
      "ml-control-rebalancer-fn",
    ]);
    const trust = JSON.parse(mocks.one("aws:iam/role:Role", "chat-role").inputs.assumeRolePolicy as string);
    expect(trust.Statement[0].Condition.StringEquals).toEqual({
      "oidc.eks.us-east-1.amazonaws.com/id/XYZ:sub": "system:serviceaccount:models:chat",
      "oidc.eks.us-east-1.amazonaws.com/id/XYZ:aud": "sts.amazonaws.com",
    });
    expect(mocks.invokes.filter((i) => i.token === "aws:eks/getCluster:getCluster")).toEqual([
      { token: "aws:eks/getCluster:getCluster", inputs: { name: "ml-prod" } },
    ]);
    expect(mocks.unknownInvokes).toEqual([]);
  });
});
