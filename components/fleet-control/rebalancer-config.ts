import * as pulumi from "@pulumi/pulumi";
import type { RuntimeConfig } from "../../functions/rebalancer/settings";
import type { RebalancerResourcesArgs } from "./args";

/** Where the stack runs: the rebalancer acts only on events of this account and region. */
export interface StackHome {
  accountId: pulumi.Input<string>;
  region: pulumi.Input<string>;
}

/** The rebalancer's runtime configuration, bundled as a file next to the handler (see functions/rebalancer/settings.ts). */
export function runtimeConfigJson(args: RebalancerResourcesArgs, home: StackHome): pulumi.Output<string> {
  const poolOutputs = pulumi.all(
    args.pools.map((p) => pulumi.all([pulumi.output(p.asgNames), pulumi.output(p.nodeGroupName)])),
  );
  const tunables = Object.fromEntries(Object.entries(args.tunables ?? {}).filter(([, v]) => v !== undefined));
  return pulumi
    .all([pulumi.output(args.clusterName), pulumi.output(home.accountId), pulumi.output(home.region), poolOutputs])
    .apply(([clusterName, accountId, region, resolved]) => {
      const config: RuntimeConfig = {
        clusterName,
        accountId,
        region,
        pools: args.pools.map((p, i) => {
          const [asgNames, nodeGroupName] = resolved[i] as [string[], string];
          return {
            name: p.name,
            capacityType: p.capacityType,
            fallback: p.fallback,
            instanceTypes: [...p.instanceTypes],
            gpusPerNode: p.gpusPerNode,
            slicesPerGpu: p.slicesPerGpu,
            minNodes: p.minNodes,
            maxNodes: p.maxNodes,
            ...(p.pricePerNodeHour === undefined ? {} : { pricePerNodeHour: p.pricePerNodeHour }),
            nodeGroupName,
            asgNames,
          };
        }),
        tunables: tunables as Record<string, number>,
      };
      return JSON.stringify(config);
    });
}
