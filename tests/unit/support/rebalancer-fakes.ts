import type { LogSink } from "../../../functions/kit/log";
import type { HealthValues } from "../../../functions/kit/metrics";
import type { GroupCapacity, GroupControl } from "../../../functions/rebalancer/autoscaling";
import type { RebalancerState } from "../../../functions/rebalancer/core";
import type { InstanceDirectory, InstanceGroup } from "../../../functions/rebalancer/instances";
import type { ServiceDeps } from "../../../functions/rebalancer/service";
import { parseRuntimeConfig, type RuntimeConfig } from "../../../functions/rebalancer/settings";
import type { StateStore } from "../../../functions/rebalancer/state-store";
import { onDemandFallbackPool } from "../../../sim/pools";
import { spotPool } from "../../support/rebalancer-pools";

/**
 * In-memory stand-ins for the adapters, for the unit-level fuzz and fault-injection tests
 * (the integration suite runs the same service against the AWS API emulator).
 */
export const runtimeConfig: RuntimeConfig = {
  clusterName: "demo",
  accountId: "123456789012",
  region: "us-east-1",
  pools: [
    { ...spotPool("spot-a", 1, 10), asgNames: ["asg-spot-a"] },
    { ...onDemandFallbackPool("od", 8), asgNames: ["asg-od"] },
  ],
};

export class FakeWorld {
  instances = new Map<string, InstanceGroup>();
  groups = new Map<string, GroupCapacity>([
    ["asg-spot-a", { name: "asg-spot-a", desired: 4, min: 0, max: 10, inService: 4, instances: 4 }],
    ["asg-od", { name: "asg-od", desired: 0, min: 0, max: 8, inService: 0, instances: 0 }],
  ]);
  items = new Map<
    string,
    { state?: RebalancerState; version?: number; claimedAtMs?: number; owner?: string; until?: number }
  >();
  calls: string[] = [];
  failSetDesired = false;

  directory: InstanceDirectory = {
    groupsOf: async (ids) => {
      this.calls.push("DescribeAutoScalingInstances");
      return new Map(
        ids.flatMap((id) => (this.instances.has(id) ? [[id, this.instances.get(id) as InstanceGroup]] : [])),
      );
    },
  };

  control: GroupControl = {
    describe: async (names) => {
      this.calls.push("DescribeAutoScalingGroups");
      return new Map(
        names.flatMap((n) => (this.groups.has(n) ? [[n, { ...(this.groups.get(n) as GroupCapacity) }]] : [])),
      );
    },
    setDesired: async (name, desired) => {
      this.calls.push("SetDesiredCapacity");
      if (this.failSetDesired) throw Object.assign(new Error("Rate exceeded"), { name: "Throttling" });
      const g = this.groups.get(name);
      if (g) this.groups.set(name, { ...g, desired });
    },
  };

  store: StateStore = {
    load: async () => {
      const item = this.items.get("state");
      return { state: item?.state ? structuredClone(item.state) : null, version: item?.version ?? 0 };
    },
    save: async (state, version) => {
      if ((this.items.get("state")?.version ?? 0) !== version) return false;
      this.items.set("state", { state: structuredClone(state), version: version + 1 });
      return true;
    },
    claimEvent: async (id, nowMs, _ttl, staleMs) => {
      this.calls.push("PutItem");
      const item = this.items.get(`event#${id}`);
      if (item && (item.claimedAtMs ?? 0) >= nowMs - staleMs) return false;
      this.items.set(`event#${id}`, { claimedAtMs: nowMs });
      return true;
    },
    releaseEvent: async (id) => {
      this.items.delete(`event#${id}`);
    },
    acquireLease: async (owner, nowMs, leaseMs) => {
      const lease = this.items.get("lease");
      if (lease && (lease.until ?? 0) >= nowMs && lease.owner !== owner) return false;
      this.items.set("lease", { owner, until: nowMs + leaseMs });
      return true;
    },
    releaseLease: async (owner) => {
      if (this.items.get("lease")?.owner === owner) this.items.delete("lease");
    },
  };

  logs: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
  /** Every health-metric set the service published, in order. */
  published: HealthValues[] = [];
  log: LogSink = {
    info: (message, extra) => this.logs.push({ level: "info", message, extra }),
    warn: (message, extra) => this.logs.push({ level: "warn", message, extra }),
    error: (message, extra) => this.logs.push({ level: "error", message, extra }),
  };

  deps(nowMs: number): ServiceDeps {
    return {
      loaded: parseRuntimeConfig(JSON.stringify(runtimeConfig), "test"),
      directory: this.directory,
      groups: this.control,
      store: this.store,
      log: this.log,
      metrics: { publish: (values) => this.published.push(values) },
      owner: "test",
      clock: () => nowMs,
      sleep: async () => undefined,
      leaseMs: 60_000,
      leaseWaitMs: 1_000,
      claimTtlSeconds: 86_400,
    };
  }
}
