import { describe, expect, it } from "vitest";
import { eksControlPlaneLogs, eksEndpointRestricted, eksSecretsEncrypted } from "../../policies/eks";
import { requiredCostTags } from "../../policies/tags";
import { direct, UNKNOWN, urnOf, withField, wrapped } from "./harness";
import { cluster, queue } from "./resources";

describe("eks-secrets-encrypted", () => {
  const rule = eksSecretsEncrypted;

  it("passes a cluster that encrypts secrets with KMS", () => {
    expect(direct(rule, [cluster()])).toEqual([]);
  });

  it("reports a cluster without secrets encryption", () => {
    expect(direct(rule, [withField(cluster(), "props.encryptionConfig", undefined)])).toEqual([
      'EKS cluster "gpu" does not encrypt Kubernetes secrets: set encryptionConfig with resources ["secrets"] and provider.keyArn.',
    ]);
  });

  it("reports through the engine's wrapping, and cannot run on an unknown key", async () => {
    const plain = withField(cluster(), "props.encryptionConfig.resources", []);
    expect((await wrapped(rule, [plain])).map((v) => [v.enforcementLevel, v.urn])).toEqual([
      ["mandatory", urnOf(plain)],
    ]);
    const unknown = await wrapped(rule, [withField(cluster(), "props.encryptionConfig.provider.keyArn", UNKNOWN)]);
    expect(unknown.map((v) => [v.enforcementLevel, v.message])).toEqual([
      [
        "advisory",
        `can't run policy '${rule.name}' during preview: string value at .encryptionConfig.provider.keyArn can't be known during preview`,
      ],
    ]);
  });
});

describe("eks-endpoint-restricted", () => {
  const rule = eksEndpointRestricted;

  it("passes a public endpoint limited to listed networks, and a private one", () => {
    const privateOnly = withField(cluster(), "props.vpcConfig", { subnetIds: ["s"], endpointPublicAccess: false });
    expect(direct(rule, [cluster(), privateOnly])).toEqual([]);
  });

  it("reports an endpoint open to 0.0.0.0/0", () => {
    expect(direct(rule, [withField(cluster(), "props.vpcConfig.publicAccessCidrs", ["0.0.0.0/0"])])).toEqual([
      'EKS cluster "gpu" API endpoint is open to the internet: set vpcConfig.endpointPublicAccess to false or publicAccessCidrs to your networks.',
    ]);
  });

  it.each([
    [["0.0.0.0/1", "128.0.0.0/1"], "together cover the whole internet"],
    [["0.0.0.0/2"], "together cover 1,073,741,824 addresses, more than the 65,536 allowed"],
    [["198.51.0.0/16", "198.52.0.0/16"], "together cover 131,072 addresses, more than the 65,536 allowed"],
  ])("reports public CIDRs %j by what they cover", (cidrs, why) => {
    expect(direct(rule, [withField(cluster(), "props.vpcConfig.publicAccessCidrs", cidrs)])).toEqual([
      `EKS cluster "gpu" API endpoint public CIDRs (${cidrs.join(", ")}) ${why}: list only the networks that need the API.`,
    ]);
  });

  it("counts overlapping CIDRs once", () => {
    const cidrs = ["198.51.0.0/16", "198.51.100.0/24", "198.51.0.0/17"];
    expect(direct(rule, [withField(cluster(), "props.vpcConfig.publicAccessCidrs", cidrs)])).toEqual([]);
  });

  it("reports EKS's default, which is public to everyone", () => {
    expect(direct(rule, [withField(cluster(), "props.vpcConfig", { subnetIds: ["s"] })])).toEqual([
      'EKS cluster "gpu" API endpoint is open to the internet: set vpcConfig.endpointPublicAccess to false or publicAccessCidrs to your networks.',
    ]);
  });

  it("reports through the engine's wrapping, and cannot run on unknown CIDRs", async () => {
    const open = withField(cluster(), "props.vpcConfig.publicAccessCidrs", ["0.0.0.0/0"]);
    expect((await wrapped(rule, [open])).map((v) => [v.enforcementLevel, v.urn])).toEqual([["mandatory", urnOf(open)]]);
    const unknown = await wrapped(rule, [withField(cluster(), "props.vpcConfig.publicAccessCidrs", UNKNOWN)]);
    expect(unknown.map((v) => [v.enforcementLevel, v.message])).toEqual([
      [
        "advisory",
        `can't run policy '${rule.name}' during preview: string value at .vpcConfig.publicAccessCidrs can't be known during preview`,
      ],
    ]);
  });
});

describe("eks-control-plane-logs", () => {
  const rule = eksControlPlaneLogs;

  it("passes a cluster shipping api, audit and authenticator logs", () => {
    expect(direct(rule, [cluster()])).toEqual([]);
  });

  it("reports missing log types", () => {
    expect(direct(rule, [withField(cluster(), "props.enabledClusterLogTypes", ["api"])])).toEqual([
      'EKS cluster "gpu" does not ship control plane logs audit, authenticator: add them to enabledClusterLogTypes.',
    ]);
  });

  it("reads the required log types from config", () => {
    expect(direct(rule, [cluster()], { requiredLogTypes: ["scheduler"] })).toEqual([
      'EKS cluster "gpu" does not ship control plane logs scheduler: add them to enabledClusterLogTypes.',
    ]);
  });

  it("reports through the engine's wrapping, and cannot run on unknown log types", async () => {
    const few = withField(cluster(), "props.enabledClusterLogTypes", []);
    expect((await wrapped(rule, [few])).map((v) => [v.enforcementLevel, v.urn])).toEqual([["mandatory", urnOf(few)]]);
    const unknown = await wrapped(rule, [withField(cluster(), "props.enabledClusterLogTypes", UNKNOWN)]);
    expect(unknown.map((v) => [v.enforcementLevel, v.message])).toEqual([
      [
        "advisory",
        `can't run policy '${rule.name}' during preview: string value at .enabledClusterLogTypes can't be known during preview`,
      ],
    ]);
  });
});

describe("required-cost-tags", () => {
  const rule = requiredCostTags;

  it("passes a resource with the tags, and a type it does not check", () => {
    const untaggable = { type: "aws:autoscaling/tag:Tag", name: "t", props: {} };
    expect(direct(rule, [queue(), untaggable])).toEqual([]);
  });

  it("reports missing tag keys", () => {
    expect(direct(rule, [withField(queue(), "props.tags", { team: "inference" })])).toEqual([
      'aws:sqs/queue:Queue "llm" is missing cost tags: cost-center.',
    ]);
  });

  it("reads the tag keys from config", () => {
    expect(direct(rule, [queue()], { tagKeys: ["cost-center", "owner"] })).toEqual([
      'aws:sqs/queue:Queue "llm" is missing cost tags: owner.',
    ]);
  });

  it("counts the provider's defaultTags, as the engine passes them", async () => {
    const untagged = withField(queue(), "props.tags", undefined);
    const defaultTags = JSON.stringify({ tags: { "cost-center": "ml", team: "inference" } });
    expect(await wrapped(rule, [untagged], {}, { defaultTags })).toEqual([]);
    expect(await wrapped(rule, [untagged], { enforcementLevel: "mandatory" })).toEqual([
      {
        rule: rule.name,
        enforcementLevel: "mandatory",
        urn: urnOf(untagged),
        message: 'aws:sqs/queue:Queue "llm" is missing cost tags: cost-center, team.',
      },
    ]);
  });

  it("cannot run on unknown tags during preview", async () => {
    const unknown = await wrapped(rule, [withField(queue(), "props.tags", UNKNOWN)]);
    expect(unknown.map((v) => [v.enforcementLevel, v.message])).toEqual([
      [
        "advisory",
        `can't run policy '${rule.name}' during preview: string value at .tags can't be known during preview`,
      ],
    ]);
  });
});
