import type * as pulumi from "@pulumi/pulumi";

/** The child types of FleetControl that accept `tags`; others (policies, schedules, dashboards) take none. */
const TAGGABLE = new Set([
  "aws:cloudwatch/eventRule:EventRule",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:dynamodb/table:Table",
  "aws:iam/role:Role",
  "aws:lambda/function:Function",
  "aws:sqs/queue:Queue",
]);

/**
 * Adds the given tags to every taggable child, under any tags the child sets itself, so
 * cost reports see the whole control plane without each resource repeating them.
 */
export function tagChildren(tags: Record<string, string>): pulumi.ResourceTransformation {
  return (child) => {
    if (!TAGGABLE.has(child.type)) return undefined;
    const own = (child.props.tags ?? {}) as Record<string, pulumi.Input<string>>;
    return { props: { ...child.props, tags: { ...tags, ...own } }, opts: child.opts };
  };
}
