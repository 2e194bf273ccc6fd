import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { handleRecords, handleTick } from "../../functions/rebalancer/service";
import { FakeWorld } from "./support/rebalancer-fakes";

const NOW = Date.UTC(2025, 0, 15, 12, 0, 30);
const warningBody = (id: string, instanceId = "i-0123456789abcdef0") => {
  const event = JSON.parse(readFileSync(join(__dirname, "../fixtures/events/spot-interruption-warning.json"), "utf8"));
  return JSON.stringify({ ...event, id, detail: { ...event.detail, "instance-id": instanceId } });
};

function world(): FakeWorld {
  const w = new FakeWorld();
  w.instances.set("i-0123456789abcdef0", { asgName: "asg-spot-a" });
  return w;
}

// Fault injection around the service; the same paths run against the emulator in tests/integration.
describe("handleRecords fault handling", () => {
  it("retries the records and gives their claims back when the fallback raise fails", async () => {
    const w = world();
    w.failSetDesired = true;
    const result = await handleRecords(w.deps(NOW), [{ messageId: "m1", body: warningBody("e1") }]);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: "m1" }]);
    expect(w.items.has("event#e1")).toBe(false);
    expect(w.items.has("state")).toBe(false);

    w.failSetDesired = false;
    const retried = await handleRecords(w.deps(NOW + 30_000), [{ messageId: "m1", body: warningBody("e1") }]);
    expect(retried.batchItemFailures).toEqual([]);
    expect(w.groups.get("asg-od")?.desired).toBe(1);
  });

  it("gives the records back when another invocation holds the lease", async () => {
    const w = world();
    await w.store.acquireLease("someone-else", NOW, 60_000);
    const result = await handleRecords(w.deps(NOW), [{ messageId: "m1", body: warningBody("e1") }]);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: "m1" }]);
    expect(w.groups.get("asg-od")?.desired).toBe(0);
  });

  it("acts once for an event delivered twice in one batch and again later", async () => {
    const w = world();
    const first = await handleRecords(w.deps(NOW), [
      { messageId: "m1", body: warningBody("e1") },
      { messageId: "m2", body: warningBody("e1") },
    ]);
    const later = await handleRecords(w.deps(NOW + 60_000), [{ messageId: "m3", body: warningBody("e1") }]);
    expect(first.batchItemFailures).toEqual([]);
    expect(later.batchItemFailures).toEqual([]);
    expect(w.groups.get("asg-od")?.desired).toBe(1);
    expect(w.logs.filter((l) => l.message === "duplicate event acknowledged")).toHaveLength(2);
  });

  it("acknowledges an event for an instance in another group without acting", async () => {
    const w = world();
    w.instances.set("i-0fedcba9876543210", { asgName: "not-ours" });
    const result = await handleRecords(w.deps(NOW), [
      { messageId: "m1", body: warningBody("e1", "i-0fedcba9876543210") },
    ]);
    expect(result.batchItemFailures).toEqual([]);
    expect(w.calls).not.toContain("SetDesiredCapacity");
    expect(w.logs.find((l) => l.message === "record acknowledged and ignored")?.extra?.note).toBe(
      "instance i-0fedcba9876543210 (group not-ours) is not in this cluster's GPU pools",
    );
  });

  it("skips a tick while the lease is held elsewhere", async () => {
    const w = world();
    await w.store.acquireLease("someone-else", NOW, 60_000);
    expect(await handleTick(w.deps(NOW))).toEqual({ ran: false });
  });
});
