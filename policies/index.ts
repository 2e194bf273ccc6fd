/**
 * The policy pack entry point for the Pulumi CLI:
 *
 *   pulumi preview --policy-pack policies [--policy-pack-config policy-config.json]
 *
 * Constructing a PolicyPack starts the gRPC analyzer server the engine talks to and reads
 * ./package.json from the working directory, so only the engine should load this file.
 * Tests and `gpufleet plan` import the rules from ./rules instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_NAME, rules } from "./rules";

new PolicyPack(POLICY_PACK_NAME, {
  description:
    "Guards gpufleet stacks: shared GPUs, spot capacity with fallback, queues, Lambda, IAM, EKS and cost tags.",
  // Each rule carries its own level; this is the level for a rule that sets none.
  enforcementLevel: "advisory",
  policies: [...rules],
});
