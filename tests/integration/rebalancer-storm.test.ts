import { beforeEach, describe, expect, inject, it } from "vitest";
import { handleRecords } from "../../functions/rebalancer/service";
import { resetMoto } from "../support/moto-server";
import { countCalls } from "./support/counting";
import {
  clients,
  createWorld,
  emulatorServiceDeps,
  eventBody,
  groupState,
  OD_ASG,
  SPOT_ASG,
} from "./support/rebalancer-world";

describe("a 1,000-event storm against the AWS API emulator", () => {
  beforeEach(async () => {
    await resetMoto(inject("awsEndpoint"));
  });

  it("coalesces per pool: a handful of Auto Scaling calls and one lookup per batch", async () => {
    const c = clients();
    await createWorld(c);
    const counts = countCalls(c);
    const instanceIds = (await groupState(c, SPOT_ASG)).instanceIds;
    counts.clear();
    const deps = emulatorServiceDeps(c, { owner: "storm" });

    // Ten batches of 100 (the event source mapping's batch size): warnings and
    // recommendations for the pool's four nodes, each event id distinct.
    let failures = 0;
    for (let batch = 0; batch < 10; batch++) {
      const records = Array.from({ length: 100 }, (_, i) => {
        const n = batch * 100 + i;
        const kind = n % 2 === 0 ? "warning" : "recommendation";
        return {
          messageId: `m-${n}`,
          body: eventBody(kind, `storm-${n}`, instanceIds[n % instanceIds.length] as string),
        };
      });
      failures += (await handleRecords(deps, records)).batchItemFailures.length;
    }

    const calls = Object.fromEntries(counts);
    expect(failures).toBe(0);
    // Four nodes at risk, each covered once, however many events named them.
    expect((await groupState(c, OD_ASG)).desired).toBe(4);
    expect(calls).toEqual({
      DescribeAutoScalingInstancesCommand: 10,
      DescribeAutoScalingGroupsCommand: 10,
      SetDesiredCapacityCommand: 1,
      GetItemCommand: 10,
      // 1,000 claims, ten state writes, ten leases taken.
      PutItemCommand: 1_020,
      DeleteItemCommand: 10,
    });
  });
});
