/**
 * Spot rebalancer benchmark (not a test): `npx tsx bench/rebalancer.ts`
 *
 * 1. Core decision time for a 1,000-event storm, in one call and as ten batches of 100.
 * 2. The handler's AWS API calls for the same storm, against a local moto server.
 */
import { performance } from "node:perf_hooks";
import {
  decideRebalance,
  initialRebalancerState,
  rebalancerConfig,
  type SpotSignal,
} from "../functions/rebalancer/core";
import { handleRecords } from "../functions/rebalancer/service";
import { g5SpotPool, onDemandFallbackPool } from "../sim/pools";
import { countCalls } from "../tests/integration/support/counting";
import {
  clients,
  createWorld,
  emulatorServiceDeps,
  eventBody,
  groupState,
  SPOT_ASG,
} from "../tests/integration/support/rebalancer-world";
import { startMotoServer } from "../tests/support/moto-server";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function coreStorm(): void {
  const pools = [
    ...["spot-a", "spot-b", "spot-c"].map((name) => g5SpotPool(name, 200)),
    onDemandFallbackPool("od", 500),
  ];
  const config = rebalancerConfig(pools);
  const now = Date.UTC(2025, 0, 15, 12, 0, 0);
  const signals: SpotSignal[] = Array.from({ length: 1000 }, (_, i) => ({
    id: `evt-${i}`,
    kind: i % 3 === 0 ? "rebalance-recommendation" : i % 50 === 1 ? "launch-failure" : "interruption-warning",
    pool: ["spot-a", "spot-b", "spot-c"][i % 3] as string,
    atMs: now - (i % 60) * 1000,
    instanceId: `i-${(i % 300).toString(16).padStart(17, "0")}`,
  }));
  const capacity = pools.map((p) => ({
    name: p.name,
    desired: p.fallback ? 0 : 120,
    inService: p.fallback ? 0 : 110,
    maxNodes: p.maxNodes,
  }));
  const one: number[] = [];
  const ten: number[] = [];
  for (let run = 0; run < 30; run++) {
    let t = performance.now();
    decideRebalance({ nowMs: now, config, state: initialRebalancerState(), capacity, signals });
    one.push(performance.now() - t);
    t = performance.now();
    let state = initialRebalancerState();
    for (let b = 0; b < 10; b++) {
      state = decideRebalance({
        nowMs: now,
        config,
        state,
        capacity,
        signals: signals.slice(b * 100, b * 100 + 100),
      }).state;
    }
    ten.push(performance.now() - t);
  }
  console.log(`core, 1,000 signals in one call:        median ${median(one).toFixed(2)} ms (30 runs)`);
  console.log(`core, 1,000 signals as 10 calls of 100: median ${median(ten).toFixed(2)} ms (30 runs)`);
}

async function handlerStorm(): Promise<void> {
  const server = await startMotoServer();
  try {
    const c = clients({
      endpoint: server.endpoint,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    await createWorld(c);
    const instanceIds = (await groupState(c, SPOT_ASG)).instanceIds;
    const counts = countCalls(c);
    const deps = emulatorServiceDeps(c, { owner: "bench" });
    const perInvocation: number[] = [];
    const t0 = performance.now();
    for (let b = 0; b < 10; b++) {
      const records = Array.from({ length: 100 }, (_, i) => {
        const n = b * 100 + i;
        return {
          messageId: `m-${n}`,
          body: eventBody(
            n % 2 ? "recommendation" : "warning",
            `storm-${n}`,
            instanceIds[n % instanceIds.length] as string,
          ),
        };
      });
      const t = performance.now();
      await handleRecords(deps, records);
      perInvocation.push(performance.now() - t);
    }
    const total = performance.now() - t0;
    console.log(
      `handler, 1,000 events as 10 invocations of 100 against moto: ${total.toFixed(0)} ms in all, slowest invocation ${Math.max(...perInvocation).toFixed(0)} ms`,
    );
    console.log("API calls:", Object.fromEntries(counts));
  } finally {
    await server.stop();
  }
}

coreStorm();
handlerStorm().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
