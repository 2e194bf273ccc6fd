import { DescribeInstancesCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { chunks } from "../kit/concurrency";

/** The Auto Scaling group and node group an instance belongs to, from its tags. */
export interface InstanceGroup {
  asgName?: string;
  nodeGroup?: string;
}

/** Instance -> group lookup: the one EC2 question the rebalancer asks. */
export interface InstanceDirectory {
  /** Groups of the instances found; instances EC2 no longer knows are simply absent. */
  groupsOf(instanceIds: string[]): Promise<Map<string, InstanceGroup>>;
}

export const ASG_TAG = "aws:autoscaling:groupName";
export const NODEGROUP_TAG = "eks:nodegroup-name";

/** DescribeInstances takes up to 200 values per filter. */
const IDS_PER_CALL = 200;

export function ec2InstanceDirectory(client: EC2Client): InstanceDirectory {
  return {
    async groupsOf(instanceIds) {
      const found = new Map<string, InstanceGroup>();
      for (const chunk of chunks([...new Set(instanceIds)], IDS_PER_CALL)) {
        let nextToken: string | undefined;
        do {
          // A filter, unlike InstanceIds, does not fail the whole call when one id is unknown:
          // a warning that arrives after its instance is gone must not poison the batch.
          const page = await client.send(
            new DescribeInstancesCommand({
              Filters: [{ Name: "instance-id", Values: chunk }],
              NextToken: nextToken,
              MaxResults: 1000,
            }),
          );
          for (const reservation of page.Reservations ?? []) {
            for (const instance of reservation.Instances ?? []) {
              if (!instance.InstanceId) continue;
              const tag = (key: string) => instance.Tags?.find((t) => t.Key === key)?.Value;
              const group: InstanceGroup = {};
              const asgName = tag(ASG_TAG);
              const nodeGroup = tag(NODEGROUP_TAG);
              if (asgName) group.asgName = asgName;
              if (nodeGroup) group.nodeGroup = nodeGroup;
              found.set(instance.InstanceId, group);
            }
          }
          nextToken = page.NextToken;
        } while (nextToken);
      }
      return found;
    },
  };
}
