import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { FleetControlArgs, FleetControlOptions } from "./args";
import { type AutoscalerResources, createAutoscaler } from "./autoscaler";
import { shippedBundle } from "./bundle";
import { dashboardBody } from "./dashboard";
import { createRebalancer, type RebalancerResources } from "./rebalancer";
import { awsScope } from "./scope";
import { tagged } from "./tags";
import { validateFleetControlArgs } from "./validate";

export type { AutoscalerSettings } from "../../functions/autoscaler/core/types";
export type { RebalancerTunables } from "../../functions/rebalancer/core/types";
export type { FleetControlArgs, FleetControlOptions, FleetControlTransforms, RebalancerOptions } from "./args";
export type { AutoscalerResources } from "./autoscaler";
export type { RebalancerResources } from "./rebalancer";

/** FleetControl's child resources, for stacks that need to reference or depend on one. */
export interface FleetControlResources {
  autoscaler: AutoscalerResources;
  /** Undefined when the rebalancer is left out. */
  rebalancer: RebalancerResources | undefined;
  /** Undefined when `dashboard: false`. */
  dashboard: aws.cloudwatch.Dashboard | undefined;
}
export { autoscalerPolicyDocument } from "./autoscaler-policy";
export { rebalancerPolicyDocument } from "./rebalancer-policy";
export { validateFleetControlArgs } from "./validate";

/**
 * The fleet's control plane: the predictive autoscaler Lambda, the spot rebalancer Lambda
 * with its event plumbing, and a CloudWatch dashboard of the fleet.
 */
export class FleetControl extends pulumi.ComponentResource {
  /** The autoscaler function's name and ARN, and the ARN of the role it runs as. */
  readonly autoscalerFunctionName: pulumi.Output<string>;
  readonly autoscalerFunctionArn: pulumi.Output<string>;
  readonly autoscalerRoleArn: pulumi.Output<string>;
  /** ARNs of the autoscaler's alarms: errors, not running, dead letters. */
  readonly autoscalerAlarmArns: pulumi.Output<string[]>;
  /** The autoscaler role's IAM policy document (JSON): exactly what it may do. */
  readonly autoscalerPolicyDocument: pulumi.Output<string>;
  readonly autoscalerLogGroupName: pulumi.Output<string>;
  readonly autoscalerDeadLetterQueueUrl: pulumi.Output<string>;
  readonly autoscalerDeadLetterQueueArn: pulumi.Output<string>;
  /** The rebalancer's function, role, event queue and its DLQ, state table and role policy (JSON); undefined when it is left out. */
  readonly rebalancerFunctionName: pulumi.Output<string | undefined>;
  readonly rebalancerFunctionArn: pulumi.Output<string | undefined>;
  readonly rebalancerRoleArn: pulumi.Output<string | undefined>;
  readonly rebalancerQueueUrl: pulumi.Output<string | undefined>;
  readonly rebalancerQueueArn: pulumi.Output<string | undefined>;
  readonly rebalancerDeadLetterQueueUrl: pulumi.Output<string | undefined>;
  readonly rebalancerTableName: pulumi.Output<string | undefined>;
  readonly rebalancerPolicyDocument: pulumi.Output<string | undefined>;
  /** The dashboard's name; undefined when `dashboard: false`. */
  readonly dashboardName: pulumi.Output<string | undefined>;
  /** The child resources. */
  readonly resources: FleetControlResources;

  constructor(name: string, args: FleetControlArgs, opts?: FleetControlOptions) {
    // Validate before anything is registered: a bad argument creates nothing, not even the component.
    const resolved = validateFleetControlArgs(args);
    // A missing Lambda bundle is a broken install, reported before anything is registered.
    shippedBundle("autoscaler");
    if (resolved.rebalancer) shippedBundle("rebalancer");
    const { transform = {}, ...resourceOptions } = opts ?? {};
    super("gpufleet:index:FleetControl", name, {}, resourceOptions);

    const scope = awsScope(this);
    const autoscaler = createAutoscaler(name, args, resolved, scope, this, transform);
    this.autoscalerFunctionName = autoscaler.function.name;
    this.autoscalerFunctionArn = autoscaler.function.arn;
    this.autoscalerPolicyDocument = autoscaler.policyDocument;
    this.autoscalerLogGroupName = autoscaler.logGroup.name;
    this.autoscalerDeadLetterQueueUrl = autoscaler.deadLetterQueue.url;
    this.autoscalerDeadLetterQueueArn = autoscaler.deadLetterQueue.arn;
    this.autoscalerRoleArn = autoscaler.role.arn;
    this.autoscalerAlarmArns = pulumi.all(autoscaler.alarms.map((alarm) => alarm.arn));

    const rebalancer = resolved.rebalancer
      ? createRebalancer(
          name,
          {
            ...resolved.rebalancer,
            clusterName: args.clusterName,
            pools: args.pools,
            ...tagged(args.tags),
            ...(transform.rebalancerFunction ? { transformFunction: transform.rebalancerFunction } : {}),
          },
          scope,
          this,
        )
      : undefined;
    const ofRebalancer = <T>(value: (r: RebalancerResources) => pulumi.Output<T>): pulumi.Output<T | undefined> =>
      rebalancer ? value(rebalancer) : pulumi.output(undefined);
    this.rebalancerFunctionName = ofRebalancer((r) => r.function.name);
    this.rebalancerFunctionArn = ofRebalancer((r) => r.function.arn);
    this.rebalancerRoleArn = ofRebalancer((r) => r.role.arn);
    this.rebalancerQueueUrl = ofRebalancer((r) => r.queueUrl);
    this.rebalancerQueueArn = ofRebalancer((r) => r.queueArn);
    this.rebalancerDeadLetterQueueUrl = ofRebalancer((r) => r.deadLetterQueue.url);
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
    this.resources = { autoscaler, rebalancer, dashboard };

    this.registerOutputs({
      autoscalerFunctionName: this.autoscalerFunctionName,
      autoscalerFunctionArn: this.autoscalerFunctionArn,
      autoscalerPolicyDocument: this.autoscalerPolicyDocument,
      autoscalerLogGroupName: this.autoscalerLogGroupName,
      autoscalerDeadLetterQueueUrl: this.autoscalerDeadLetterQueueUrl,
      autoscalerDeadLetterQueueArn: this.autoscalerDeadLetterQueueArn,
      autoscalerRoleArn: this.autoscalerRoleArn,
      autoscalerAlarmArns: this.autoscalerAlarmArns,
      rebalancerFunctionName: this.rebalancerFunctionName,
      rebalancerFunctionArn: this.rebalancerFunctionArn,
      rebalancerRoleArn: this.rebalancerRoleArn,
      rebalancerQueueUrl: this.rebalancerQueueUrl,
      rebalancerQueueArn: this.rebalancerQueueArn,
      rebalancerDeadLetterQueueUrl: this.rebalancerDeadLetterQueueUrl,
      rebalancerTableName: this.rebalancerTableName,
      rebalancerPolicyDocument: this.rebalancerPolicyDocument,
      dashboardName: this.dashboardName,
    });
  }
}
