import { type AutoScalingClient, DescribeAutoScalingInstancesCommand } from "@aws-sdk/client-auto-scaling";
import { chunks } from "../kit/concurrency";

/** The Auto Scaling group an instance belongs to. */
export interface InstanceGroup {
  asgName?: string;
}

/** Instance -> group lookup: the one question the rebalancer asks about an instance. */
export interface InstanceDirectory {
  /** Groups of the instances found; instances Auto Scaling does not know (gone, or not in a group) are absent. */
  groupsOf(instanceIds: string[]): Promise<Map<string, InstanceGroup>>;
}

/** DescribeAutoScalingInstances takes up to 50 instance ids per call. */
const IDS_PER_CALL = 50;

/**
 * Asks Auto Scaling rather than EC2: it answers with the group name directly, ignores ids it
 * does not know (a warning that arrives after its instance is gone does not poison the
 * batch), and its client is a fraction of the EC2 client's size in the bundle.
 */
export function autoScalingInstanceDirectory(client: AutoScalingClient): InstanceDirectory {
  return {
    async groupsOf(instanceIds) {
      const found = new Map<string, InstanceGroup>();
      for (const chunk of chunks([...new Set(instanceIds)], IDS_PER_CALL)) {
        let nextToken: string | undefined;
        do {
          const page = await client.send(
            new DescribeAutoScalingInstancesCommand({
              InstanceIds: chunk,
              MaxRecords: IDS_PER_CALL,
              NextToken: nextToken,
            }),
          );
          for (const instance of page.AutoScalingInstances ?? []) {
            if (!instance.InstanceId) continue;
            const group: InstanceGroup = {};
            if (instance.AutoScalingGroupName) group.asgName = instance.AutoScalingGroupName;
            found.set(instance.InstanceId, group);
          }
          nextToken = page.NextToken;
        } while (nextToken);
      }
      return found;
    },
  };
}
