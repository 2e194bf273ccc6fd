/**
 * The rebalancer role's permissions as a pure function of plain ARNs, so tests (and the
 * emulator's IAM enforcement) can check the very document the role gets.
 */
export interface RebalancerPolicyInputs {
  partition: string;
  region: string;
  accountId: string;
  /** The EKS cluster: EKS tags its managed node groups' Auto Scaling groups with `eks:cluster-name`. */
  clusterName: string;
  /** The node groups' Auto Scaling group names: the only groups whose size it may set. */
  asgNames: string[];
  tableArn: string;
  queueArn: string;
  logGroupArn: string;
}

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** An Auto Scaling group's ARN by name (the group id in the ARN changes if it is recreated). */
export function asgArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:autoscaling:${region}:${accountId}:autoScalingGroup:*:autoScalingGroupName/${name}`;
}

export function rebalancerPolicyDocument(inputs: RebalancerPolicyInputs): PolicyDocument {
  const { partition, region, accountId } = inputs;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "SetNodeGroupDesiredCapacity",
        Effect: "Allow",
        Action: ["autoscaling:SetDesiredCapacity"],
        Resource: [...new Set(inputs.asgNames)].sort().map((name) => asgArn(partition, region, accountId, name)),
        // A group of the same name in another cluster (names are reused after a rebuild) stays out of reach.
        Condition: { StringEquals: { "aws:ResourceTag/eks:cluster-name": inputs.clusterName } },
      },
      {
        // These Describe calls support no resource-level permissions: "*" is the only form, and they are read-only.
        Sid: "DescribeGroupsAndInstances",
        Effect: "Allow",
        Action: ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances"],
        Resource: ["*"],
      },
      {
        Sid: "StateTable",
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
        Resource: [inputs.tableArn],
      },
      {
        Sid: "EventQueue",
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"],
        Resource: [inputs.queueArn],
      },
      {
        Sid: "Logs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [`${inputs.logGroupArn}:*`],
      },
    ],
  };
}
