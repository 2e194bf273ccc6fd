import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { FleetControlArgs } from "./args";
import { createAutoscaler } from "./autoscaler";
import { dashboardBody } from "./dashboard";
import { createRebalancer } from "./rebalancer";
import { awsScope } from "./scope";
import { tagged } from "./tags";
import { validateFleetControlArgs } from "./validate";

export type { FleetControlArgs, RebalancerOptions } from "./args";
export { autoscalerPolicyDocument } from "./autoscaler-policy";
export { rebalancerPolicyDocument } from "./rebalancer-policy";
export { validateFleetControlArgs } from "./validate";

/**
 * The fleet's control plane: the predictive autoscaler Lambda, the spot rebalancer Lambda
 * with its event plumbing, and a CloudWatch dashboard of the fleet.
 */
export class FleetControl extends pulumi.ComponentResource {
  /** The autoscaler function's name and ARN. */
  readonly autoscalerFunctionName: pulumi.Output<string>;
  readonly autoscalerFunctionArn: pulumi.Output<string>;
  /** The autoscaler role's IAM policy document (JSON): exactly what it may do. */
  readonly autoscalerPolicyDocument: pulumi.Output<string>;
  readonly autoscalerLogGroupName: pulumi.Output<string>;
  readonly autoscalerDeadLetterQueueUrl: pulumi.Output<string>;
  /** The rebalancer's function, event queue, state table and role policy (JSON); undefined when it is left out. */
  readonly rebalancerFunctionName: pulumi.Output<string | undefined>;
  readonly rebalancerQueueUrl: pulumi.Output<string | undefined>;
  readonly rebalancerTableName: pulumi.Output<string | undefined>;
  readonly rebalancerPolicyDocument: pulumi.Output<string | undefined>;
  /** The dashboard's name; undefined when `dashboard: false`. */
  readonly dashboardName: pulumi.Output<string | undefined>;

  constructor(name: string, args: FleetControlArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before anything is registered: a bad argument creates nothing, not even the component.
    const resolved = validateFleetControlArgs(args);
    super("gpufleet:index:FleetControl", name, {}, opts);

    const scope = awsScope(this);
    const autoscaler = createAutoscaler(name, args, resolved, scope, this);
    this.autoscalerFunctionName = autoscaler.function.name;
    this.autoscalerFunctionArn = autoscaler.function.arn;
    this.autoscalerPolicyDocument = autoscaler.policyDocument;
    this.autoscalerLogGroupName = autoscaler.logGroup.name;
    this.autoscalerDeadLetterQueueUrl = autoscaler.deadLetterQueue.url;

    const rebalancer = resolved.rebalancer
      ? createRebalancer(
          name,
          { ...resolved.rebalancer, clusterName: args.clusterName, pools: args.pools, ...tagged(args.tags) },
          scope,
          this,
        )
      : undefined;
    this.rebalancerFunctionName = rebalancer ? rebalancer.function.name : pulumi.output(undefined);
    this.rebalancerQueueUrl = rebalancer ? rebalancer.queueUrl : pulumi.output(undefined);
    this.rebalancerTableName = rebalancer ? rebalancer.tableName : pulumi.output(undefined);
    this.rebalancerPolicyDocument = rebalancer ? rebalancer.policyDocument : pulumi.output(undefined);

    let dashboard: aws.cloudwatch.Dashboard | undefined;
    if (resolved.dashboard) {
      const endpoints = pulumi.all(args.endpoints.map((e) => pulumi.output(e.queueName)));
      const pools = pulumi.all(args.pools.map((p) => pulumi.output(p.asgNames)));
      const region = scope.region;
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
      rebalancerFunctionName: this.rebalancerFunctionName,
      rebalancerQueueUrl: this.rebalancerQueueUrl,
      rebalancerTableName: this.rebalancerTableName,
      rebalancerPolicyDocument: this.rebalancerPolicyDocument,
      dashboardName: this.dashboardName,
    });
  }
}
