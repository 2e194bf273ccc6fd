import type * as pulumi from "@pulumi/pulumi";
import type { FleetControlArgs } from "../components/fleet-control";
import type { FleetEndpoint, GpuPoolInfo } from "../components/types";
import type { ControlConfig } from "./config";

/** `control.rebalancer.stableMinutes` is in minutes; the rebalancer counts seconds. */
export const SECONDS_PER_MINUTE = 60;

/**
 * FleetControl's arguments from the stack's `control` settings. One builder for the stack
 * (with the real cluster and endpoints) and for its validation (with plain stand-ins), so
 * what is validated is what is created.
 */
export function fleetControlArgs(
  clusterName: pulumi.Input<string>,
  endpoints: FleetEndpoint[],
  pools: GpuPoolInfo[],
  control: ControlConfig,
  tags?: Record<string, string>,
): FleetControlArgs {
  const { rebalancer, autoscaler } = control;
  return {
    clusterName,
    ...(tags !== undefined ? { tags } : {}),
    endpoints,
    pools,
    autoscalerSettings: { headroom: autoscaler.headroom },
    ...(autoscaler.leadTimeSeconds !== undefined ? { leadTimeSeconds: autoscaler.leadTimeSeconds } : {}),
    rebalancer: rebalancer.enabled
      ? rebalancer.stableMinutes !== undefined
        ? { tunables: { stableSeconds: rebalancer.stableMinutes * SECONDS_PER_MINUTE } }
        : {}
      : { enabled: false },
  };
}
