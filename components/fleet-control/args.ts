import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { AutoscalerSettings } from "../../functions/autoscaler/core/types";
import type { RebalancerTunables } from "../../functions/rebalancer/core/types";
import type { FleetEndpoint, GpuPoolInfo } from "../types";

/** The spot rebalancer's settings; the cluster and pools come from FleetControl's own args. */
export interface RebalancerOptions
  extends Omit<RebalancerResourcesArgs, "clusterName" | "pools" | "tags" | "transformFunction"> {
  /**
   * Deploy the rebalancer. It needs exactly one on-demand pool with `fallback: true`.
   * @default true when any pool is spot, false otherwise
   */
  enabled?: boolean;
}

export interface FleetControlArgs {
  /**
   * The EKS cluster the endpoints run on: the dashboard's widgets, and the `eks:cluster-name`
   * tag the rebalancer may resize node groups under.
   */
  clusterName: pulumi.Input<string>;
  /** The endpoints to scale ahead of demand. ModelEndpoint satisfies FleetEndpoint. */
  endpoints: FleetEndpoint[];
  /** The GPU pools the endpoints may run on. */
  pools: GpuPoolInfo[];
  /**
   * Seconds from a scale decision until a new node can run a pod: metric and KEDA lag, node
   * provisioning and boot, device plugin registration, image pull. Model load time comes from
   * each endpoint's profile on top. An endpoint on several pools plans for the slowest.
   * @default 360 (60 s metric lag + 30 s KEDA poll + 180 s GPU node to Ready + 30 s device plugin + 60 s image pull)
   */
  leadTimeSeconds?: number;
  /** Lead time of particular pools, by pool name, where it differs from `leadTimeSeconds`. @default {} */
  leadTimeSecondsByPool?: Record<string, number>;
  /** Overrides of the decision's tunables (see docs/autoscaler.md). @default the core's defaults */
  autoscalerSettings?: Partial<AutoscalerSettings>;
  /**
   * How often the autoscaler runs, an EventBridge Scheduler expression. A `rate(...)` sets the
   * core's `tickSeconds` (part of its horizon); `autoscalerSettings.tickSeconds` must then be left
   * out or equal. @default "rate(1 minute)"
   */
  schedule?: string;
  /** Days of arrival history the autoscaler reads (1-minute data is kept 15 days). @default 14 */
  historyDays?: number;
  /** Retention of the functions' log groups, days (the rebalancer's unless it sets its own). @default 30 */
  logRetentionDays?: number;
  /** Memory of the autoscaler function, MB (14 days of history for 500 endpoints fits in 1 GB). @default 1024 */
  memorySizeMb?: number;
  /** Timeout of one tick, seconds; below the schedule's period so ticks do not overlap. @default 50 */
  timeoutSeconds?: number;
  /** SNS topic ARNs (or other alarm actions) notified when the autoscaler fails. @default [] */
  alarmActions?: pulumi.Input<string>[];
  /**
   * The spot rebalancer (EventBridge rules, event queue, state table, Lambda, one-minute
   * schedule); `{ enabled: false }` leaves it out.
   * @default enabled, with the rebalancer's defaults, when any pool is spot; off otherwise
   */
  rebalancer?: RebalancerOptions;
  /** Tags for every taggable resource FleetControl creates (cost allocation). @default {} */
  tags?: Record<string, string>;
  /** Create the fleet dashboard. @default true */
  dashboard?: boolean;
}

/** Hooks to adjust the children users most often tweak, before they are created. */
export interface FleetControlTransforms {
  /** The autoscaler's function (memory, VPC config, layers, tracing). */
  autoscalerFunction?: (args: aws.lambda.FunctionArgs) => aws.lambda.FunctionArgs;
  /** The rebalancer's function. */
  rebalancerFunction?: (args: aws.lambda.FunctionArgs) => aws.lambda.FunctionArgs;
}

/**
 * FleetControl's resource options. The transform hooks live here rather than in the args:
 * the args are what other Pulumi languages see, and a schema cannot carry callbacks.
 */
export interface FleetControlOptions extends pulumi.ComponentResourceOptions {
  transform?: FleetControlTransforms;
}

/** The rebalancer's arguments: its options plus FleetControl's cluster and pools. */
export interface RebalancerResourcesArgs {
  clusterName: pulumi.Input<string>;
  /** The cluster's GPU pools: spot pools are watched; the one fallback pool takes over. */
  pools: GpuPoolInfo[];
  /** Health model and decision knobs. @default DEFAULT_REBALANCER_TUNABLES (stable 600 s, half-life 300 s) */
  tunables?: Partial<RebalancerTunables>;
  /** Days the function's logs are kept. @default FleetControl's `logRetentionDays` */
  logRetentionDays?: number;
  /** Deliveries of one event before it moves to the dead-letter queue. @default 5 */
  maxReceiveCount?: number;
  /** The function's timeout, seconds. @default 60 */
  timeoutSeconds?: number;
  /** Records per invocation: a storm is coalesced per pool, so larger batches mean fewer API calls. @default 100 */
  batchSize?: number;
  /** Tags for every taggable resource of the rebalancer. @default {} */
  tags?: Record<string, string>;
  /** Adjusts the function's arguments before it is created (memory, VPC config, layers, tracing). */
  transformFunction?: (args: aws.lambda.FunctionArgs) => aws.lambda.FunctionArgs;
}
