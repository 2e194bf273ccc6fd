import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { FleetControlArgs } from "./args";
import { createAutoscaler } from "./autoscaler";
import { dashboardBody } from "./dashboard";
import { validateFleetControlArgs } from "./validate";

export type { FleetControlArgs } from "./args";
export { autoscalerPolicyDocument } from "./autoscaler-policy";
export { FleetControlError, validateFleetControlArgs } from "./validate";

/**
 * The fleet's control plane: the predictive autoscaler Lambda (and, added alongside, the
 * spot rebalancer) plus a CloudWatch dashboard of the fleet.
 */
export class FleetControl extends pulumi.ComponentResource {
  /** The autoscaler function's name and ARN. */
  readonly autoscalerFunctionName: pulumi.Output<string>;
  readonly autoscalerFunctionArn: pulumi.Output<string>;
  /** The autoscaler role's IAM policy document (JSON): exactly what it may do. */
  readonly autoscalerPolicyDocument: pulumi.Output<string>;
  readonly autoscalerLogGroupName: pulumi.Output<string>;
  readonly autoscalerDeadLetterQueueUrl: pulumi.Output<string>;
  /** The dashboard's name; undefined when `dashboard: false`. */
  readonly dashboardName: pulumi.Output<string | undefined>;

  constructor(name: string, args: FleetControlArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before anything is registered: a bad argument creates nothing, not even the component.
    const resolved = validateFleetControlArgs(args);
    super("gpufleet:index:FleetControl", name, {}, opts);

    const autoscaler = createAutoscaler(name, args, resolved, this);
    this.autoscalerFunctionName = autoscaler.function.name;
    this.autoscalerFunctionArn = autoscaler.function.arn;
    this.autoscalerPolicyDocument = autoscaler.policyDocument;
    this.autoscalerLogGroupName = autoscaler.logGroup.name;
    this.autoscalerDeadLetterQueueUrl = autoscaler.deadLetterQueue.url;

    let dashboard: aws.cloudwatch.Dashboard | undefined;
    if (resolved.dashboard) {
      const endpoints = pulumi.all(args.endpoints.map((e) => pulumi.output(e.queueName)));
      const pools = pulumi.all(args.pools.map((p) => pulumi.output(p.asgNames)));
      const region = aws.getRegionOutput({}, { parent: this }).region;
      dashboard = new aws.cloudwatch.Dashboard(
        `${name}-dashboard`,
        {
          dashboardName: pulumi.interpolate`gpufleet-${name}`,
          dashboardBody: pulumi
            .all([args.clusterName, region, endpoints, pools])
            .apply(([cluster, regionName, queueNames, asgNames]) =>
              dashboardBody(
                cluster,
                regionName,
                args.endpoints.map((e, i) => ({ name: e.endpointName, queueName: queueNames[i] ?? "" })),
                args.pools.map((p, i) => ({ name: p.name, asgNames: asgNames[i] ?? [] })),
              ),
            ),
        },
        { parent: this },
      );
    }
    this.dashboardName = dashboard ? dashboard.dashboardName : pulumi.output(undefined);

    this.registerOutputs({
      autoscalerFunctionName: this.autoscalerFunctionName,
      autoscalerFunctionArn: this.autoscalerFunctionArn,
      autoscalerPolicyDocument: this.autoscalerPolicyDocument,
      autoscalerLogGroupName: this.autoscalerLogGroupName,
      autoscalerDeadLetterQueueUrl: this.autoscalerDeadLetterQueueUrl,
      dashboardName: this.dashboardName,
    });
  }
}
