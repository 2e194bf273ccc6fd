/**
 * The `tags` input of FleetControl's taggable children (event rules, log groups, alarms,
 * the table, roles, functions, queues): the component's tags, or nothing when none are
 * given. Passed to each child explicitly rather than through a transform, because
 * transforms run in the Pulumi engine: Pulumi's mocks and the offline `gpufleet plan`
 * would never see the tags.
 */
export function tagged(tags: Record<string, string> | undefined): { tags?: Record<string, string> } {
  return tags && Object.keys(tags).length > 0 ? { tags: { ...tags } } : {};
}
