import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { installMocks, resolveOutput } from "../support/pulumi-mocks";

const ACCOUNT = "123456789012";

/** Stack config as `pulumi config` would hold it for examples/byo-cluster (structured values as JSON). */
const stackConfig = {
  "byo:clusterName": "ml-prod",
  "byo:kubeconfig": "apiVersion: v1\nkind: Config\n",
  "byo:namespace": "models",
  "byo:queueNamePrefix": "ml-prod-",
  "byo:alarmTopicArn": `arn:aws:sns:us-east-1:${ACCOUNT}:ml-oncall`,
  "byo:identity": JSON.stringify({
    kind: "irsa",
    oidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/XYZ`,
    oidcProviderUrl: "https://oidc.eks.us-east-1.amazonaws.com/id/XYZ",
  }),
  "byo:pools": JSON.stringify([
    {
      name: "spot-g5",
      capacityType: "spot",
      instanceTypes: ["g5.xlarge", "g5.2xlarge"],
      gpusPerNode: 1,
      slicesPerGpu: 4,
      gpuMemoryGiBPerGpu: 24,
      minNodes: 0,
      maxNodes: 10,
      nodeGroupName: "ml-prod-spot-g5",
    },
    {
      name: "ondemand-g5",
      capacityType: "on-demand",
      fallback: true,
      instanceTypes: ["g5.xlarge"],
      gpusPerNode: 1,
      slicesPerGpu: 2,
      gpuMemoryGiBPerGpu: 24,
      minNodes: 0,
      maxNodes: 4,
      nodeGroupName: "ml-prod-ondemand-g5",
    },
  ]),
};

interface ExportedEndpoint {
  name: string;
  queueUrl: pulumi.Output<string>;
  deploymentName: pulumi.Output<string>;
  roleArn: pulumi.Output<string>;
  profile: { minReplicas: number };
}

describe("examples/byo-cluster", () => {
  const mocks = installMocks();

  it("adds two endpoints to a cluster given by config, importing the package by name", async () => {
    pulumi.runtime.setAllConfig(stackConfig, ["byo:kubeconfig"]);

    const program = (await import("../../examples/byo-cluster/index.js")) as { endpoints: ExportedEndpoint[] };
    const endpoints = program.endpoints;

    expect(endpoints.map((e) => e.name)).toEqual(["chat", "summarize"]);
    expect(await resolveOutput(endpoints[0]?.queueUrl)).toBe(
      `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/ml-prod-chat`,
    );
    expect(await resolveOutput(endpoints[1]?.deploymentName)).toBe("summarize");
    expect(await resolveOutput(endpoints[1]?.roleArn)).toBe(`arn:aws:iam::${ACCOUNT}:role/summarize-role`);
    expect(endpoints[1]?.profile.minReplicas).toBe(0);
    const deployments = mocks
      .ofType("kubernetes:apps/v1:Deployment")
      .map((d) => d.inputs.metadata as { name: string })
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(deployments).toEqual([
      expect.objectContaining({ name: "chat", namespace: "models" }),
      expect.objectContaining({ name: "summarize", namespace: "models" }),
    ]);
    const trust = JSON.parse(mocks.one("aws:iam/role:Role", "chat-role").inputs.assumeRolePolicy as string);
    expect(trust.Statement[0].Condition.StringEquals).toEqual({
      "oidc.eks.us-east-1.amazonaws.com/id/XYZ:sub": "system:serviceaccount:models:chat",
      "oidc.eks.us-east-1.amazonaws.com/id/XYZ:aud": "sts.amazonaws.com",
    });
    expect(mocks.unknownInvokes).toEqual([]);
  });
});
