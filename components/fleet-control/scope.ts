import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** Where the stack runs: ARNs, trust conditions and the rebalancer's own-account check are built from it. */
export interface AwsScope {
  partition: pulumi.Output<string>;
  region: pulumi.Output<string>;
  accountId: pulumi.Output<string>;
}

/** Looks the scope up once for all of FleetControl's children. */
export function awsScope(parent: pulumi.Resource): AwsScope {
  const opts = { parent };
  return {
    partition: aws.getPartitionOutput({}, opts).partition,
    region: aws.getRegionOutput({}, opts).region,
    accountId: aws.getCallerIdentityOutput({}, opts).accountId,
  };
}
