import { describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT, offlineInvokes } from "../../policies/plan/invokes";

const answer = offlineInvokes(DEFAULT_ACCOUNT)["aws:eks/getCluster:getCluster"];

function getCluster(inputs: Record<string, unknown>): Record<string, unknown> {
  if (!answer) throw new Error("no offline answer for aws:eks/getCluster:getCluster");
  return answer(inputs);
}

describe("offline answer to aws.eks.getCluster (the bring-your-own-cluster lookup)", () => {
  it("describes the cluster it is asked for, in the plan's account and region", () => {
    const cluster = getCluster({ name: "ml-prod" });

    expect(cluster).toMatchObject({
      name: "ml-prod",
      arn: "arn:aws:eks:us-east-1:123456789012:cluster/ml-prod",
      status: "ACTIVE",
      endpoint: expect.stringMatching(/^https:\/\/[0-9A-F]{32}\.gr7\.us-east-1\.eks\.amazonaws\.com$/),
      identities: [
        { oidcs: [{ issuer: expect.stringMatching(/^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\//) }] },
      ],
    });
    const [authority] = cluster.certificateAuthorities as { data: string }[];
    const ca = authority?.data ?? "";
    expect(Buffer.from(ca, "base64").toString()).toContain("BEGIN CERTIFICATE");
  });

  it("answers the same name the same way and two names differently", () => {
    const first = getCluster({ name: "ml-prod" });
    const again = getCluster({ name: "ml-prod" });
    const other = getCluster({ name: "ml-staging" });

    expect(again).toEqual(first);
    expect(other.endpoint).not.toBe(first.endpoint);
  });
});
