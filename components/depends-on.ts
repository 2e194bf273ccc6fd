import type * as pulumi from "@pulumi/pulumi";

/**
 * A component's `dependsOn` option as a list its children can extend. Pulumi holds back a
 * component's own registration for it, not its children's: a component whose children must wait
 * (a ScaledObject for KEDA's CRDs) passes it on. A Promise or Output of a list stays one entry,
 * which Pulumi resolves and flattens when it gathers dependencies.
 */
export function dependsOnList(
  dependsOn: pulumi.ComponentResourceOptions["dependsOn"] | undefined,
): pulumi.Input<pulumi.Resource>[] {
  if (dependsOn === undefined) return [];
  if (Array.isArray(dependsOn)) return dependsOn;
  return [dependsOn as pulumi.Input<pulumi.Resource>];
}
