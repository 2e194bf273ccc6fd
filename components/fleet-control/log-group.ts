import * as pulumi from "@pulumi/pulumi";

/**
 * The log group of one of FleetControl's functions, named explicitly: the function's
 * loggingConfig and the policy pack can then tie the two together before either exists,
 * and the project and stack in the name keep two stacks in one account apart.
 */
export function functionLogGroupName(name: string, role: string): string {
  return `/gpufleet/${pulumi.getProject()}-${pulumi.getStack()}/${name}-${role}`;
}
