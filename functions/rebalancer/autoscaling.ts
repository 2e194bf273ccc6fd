import {
  type AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
} from "@aws-sdk/client-auto-scaling";

/** One Auto Scaling group as observed. */
export interface GroupCapacity {
  name: string;
  desired: number;
  min: number;
  max: number;
  inService: number;
  /** Every instance in the group, whatever its lifecycle state. */
  instances: number;
}

/** The Auto Scaling calls the rebalancer makes, on its node groups' ASGs only. */
export interface GroupControl {
  describe(names: string[]): Promise<Map<string, GroupCapacity>>;
  /** Sets desired capacity only (never min or max), ignoring cooldowns: the change is urgent. */
  setDesired(name: string, desired: number): Promise<void>;
}

/** DescribeAutoScalingGroups takes up to 100 names per call. */
const NAMES_PER_CALL = 100;

export function autoScalingGroupControl(client: AutoScalingClient): GroupControl {
  return {
    async describe(names) {
      const groups = new Map<string, GroupCapacity>();
      const unique = [...new Set(names)];
      for (let i = 0; i < unique.length; i += NAMES_PER_CALL) {
        let nextToken: string | undefined;
        do {
          const page = await client.send(
            new DescribeAutoScalingGroupsCommand({
              AutoScalingGroupNames: unique.slice(i, i + NAMES_PER_CALL),
              NextToken: nextToken,
            }),
          );
          for (const g of page.AutoScalingGroups ?? []) {
            if (!g.AutoScalingGroupName) continue;
            const instances = g.Instances ?? [];
            groups.set(g.AutoScalingGroupName, {
              name: g.AutoScalingGroupName,
              desired: g.DesiredCapacity ?? 0,
              min: g.MinSize ?? 0,
              max: g.MaxSize ?? 0,
              inService: instances.filter((x) => x.LifecycleState === "InService").length,
              instances: instances.length,
            });
          }
          nextToken = page.NextToken;
        } while (nextToken);
      }
      return groups;
    },
    async setDesired(name, desired) {
      await client.send(
        new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: desired, HonorCooldown: false }),
      );
    },
  };
}
