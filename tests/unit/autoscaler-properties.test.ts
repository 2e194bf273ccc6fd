import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideReplicas } from "../../functions/autoscaler/core";
import type { EndpointInput } from "../../functions/autoscaler/core/types";
import { MINUTE, NOW, PROFILE } from "./autoscaler-fixtures";

/** Long synthetic histories (up to 9 days) from a few numbers, so seasonality paths are exercised cheaply. */
const seasonalValues = fc
  .record({
    days: fc.integer({ min: 1, max: 9 }),
    base: fc.integer({ min: 0, max: 500 }),
    amplitude: fc.integer({ min: 0, max: 400 }),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
    gapEvery: fc.integer({ min: 0, max: 50 }),
  })
  .map(({ days, base, amplitude, seed, gapEvery }) => {
    let state = seed;
    const minutes = days * 1440 + 30;
    return Array.from({ length: minutes }, (_, i) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      if (gapEvery > 0 && i % gapEvery === 0) return null;
      const daily = Math.sin((2 * Math.PI * (i % 1440)) / 1440);
      return Math.max(0, Math.round(base + amplitude * daily + (state % 40) - 20));
    });
  });

const shortValues = fc.array(fc.option(fc.integer({ min: 0, max: 3000 }), { nil: null, freq: 8 }), { maxLength: 90 });

const endpointArb: fc.Arbitrary<EndpointInput> = fc
  .record({
    values: fc.oneof(shortValues, seasonalValues),
    lagMinutes: fc.integer({ min: 0, max: 15 }),
    minReplicas: fc.integer({ min: 0, max: 10 }),
    extra: fc.integer({ min: 0, max: 60 }),
    slicesPerGpu: fc.integer({ min: 1, max: 8 }),
    secondsPerRequest: fc.double({ min: 0.05, max: 20, noNaN: true }),
    concurrency: fc.integer({ min: 1, max: 16 }),
    slo: fc.integer({ min: 1, max: 600 }),
    lead: fc.integer({ min: 0, max: 900 }),
    queue: fc.option(
      fc.record({
        visible: fc.integer({ min: 0, max: 5000 }),
        inFlight: fc.integer({ min: 0, max: 500 }),
        oldestMessageAgeSeconds: fc.integer({ min: 0, max: 900 }),
        observedAgoSeconds: fc.integer({ min: 0, max: 400 }),
      }),
      { nil: null },
    ),
    published: fc.array(
      fc.record({ agoMinutes: fc.integer({ min: 1, max: 20 }), replicas: fc.integer({ min: 0, max: 80 }) }),
      {
        maxLength: 6,
      },
    ),
  })
  .map((r) => ({
    name: "e",
    profile: {
      ...PROFILE,
      secondsPerRequest: r.secondsPerRequest,
      concurrencyPerReplica: r.concurrency,
      // Within the shared profile schema: an SLO of at least one request, at least one replica allowed.
      sloSeconds: Math.max(r.slo, r.secondsPerRequest),
      minReplicas: r.minReplicas,
      maxReplicas: Math.max(1, r.minReplicas + r.extra),
    },
    slicesPerGpu: r.slicesPerGpu,
    leadTimeSeconds: r.lead,
    arrivals: { startMs: NOW - (r.values.length + r.lagMinutes) * MINUTE, values: r.values },
    queue: r.queue && {
      visible: r.queue.visible,
      inFlight: r.queue.inFlight,
      oldestMessageAgeSeconds: r.queue.oldestMessageAgeSeconds,
      observedAtMs: NOW - r.queue.observedAgoSeconds * 1000,
    },
    published: r.published
      .map((p) => ({ atMs: NOW - p.agoMinutes * MINUTE, replicas: p.replicas }))
      .sort((a, b) => a.atMs - b.atMs),
  }));

function decideOne(e: EndpointInput, headroom = 1) {
  const [decision] = decideReplicas({ nowMs: NOW, endpoints: [e] }, { headroom });
  if (!decision) throw new Error("no decision");
  return decision;
}

function scaled(e: EndpointInput, factor: number, add: number): EndpointInput {
  const values = e.arrivals.values.map((v) => (v === null ? null : v * factor + add));
  return { ...e, arrivals: { ...e.arrivals, values } };
}

// Each property runs the forecast with its backtests on up to nine days of minutes a hundred times:
// generous timeouts keep a busy machine from failing them.
describe("decideReplicas properties", { timeout: 120_000 }, () => {
  it("stays within [minReplicas, maxReplicas]", () => {
    fc.assert(
      fc.property(endpointArb, (e) => {
        const { replicas } = decideOne(e);
        expect(Number.isInteger(replicas)).toBe(true);
        expect(replicas).toBeGreaterThanOrEqual(e.profile.minReplicas);
        expect(replicas).toBeLessThanOrEqual(e.profile.maxReplicas);
      }),
    );
  });

  it("never decides fewer replicas than the current backlog needs (up to maxReplicas)", () => {
    fc.assert(
      fc.property(endpointArb, (e) => {
        const decision = decideOne(e);
        const need = decision.detail?.backlogReplicas;
        if (need !== undefined) expect(decision.replicas).toBeGreaterThanOrEqual(Math.min(need, e.profile.maxReplicas));
      }),
    );
  });

  it("is monotone in demand: more arrivals never give fewer replicas", () => {
    fc.assert(
      fc.property(
        endpointArb,
        fc.double({ min: 1, max: 5, noNaN: true }),
        fc.integer({ min: 0, max: 300 }),
        (e, factor, add) => {
          expect(decideOne(scaled(e, factor, add)).replicas).toBeGreaterThanOrEqual(decideOne(e).replicas);
        },
      ),
    );
  });

  it("is monotone in backlog: more queued or in-flight messages never give fewer replicas", () => {
    fc.assert(
      fc.property(endpointArb, fc.nat(2000), fc.nat(200), (e, moreVisible, moreInFlight) => {
        fc.pre(e.queue !== null);
        const q = e.queue as NonNullable<EndpointInput["queue"]>;
        const bigger = { ...e, queue: { ...q, visible: q.visible + moreVisible, inFlight: q.inFlight + moreInFlight } };
        expect(decideOne(bigger).replicas).toBeGreaterThanOrEqual(decideOne(e).replicas);
      }),
    );
  });

  it("is monotone in headroom", () => {
    fc.assert(
      fc.property(
        endpointArb,
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (e, h, more) => {
          expect(decideOne(e, h + more).replicas).toBeGreaterThanOrEqual(decideOne(e, h).replicas);
        },
      ),
    );
  });

  it("holds on missing data: never below the last published value, and says so", () => {
    fc.assert(
      fc.property(endpointArb, fc.boolean(), (e, dropQueue) => {
        fc.pre(e.published.length > 0);
        const missing = dropQueue ? { ...e, queue: null } : { ...e, arrivals: { startMs: NOW, values: [] } };
        const decision = decideOne(missing);
        const previous = e.published[e.published.length - 1]?.replicas ?? 0;
        expect(decision.held).toBe(true);
        expect(decision.replicas).toBeGreaterThanOrEqual(
          Math.min(Math.max(previous, e.profile.minReplicas), e.profile.maxReplicas),
        );
        expect(decision.reasons.join(" ")).toMatch(/holding|raised/);
      }),
    );
  });

  it("is deterministic and leaves its input untouched", () => {
    fc.assert(
      fc.property(fc.array(endpointArb, { maxLength: 4 }), (endpoints) => {
        const input = { nowMs: NOW, endpoints };
        const copy = structuredClone(input);
        const first = decideReplicas(input);
        expect(decideReplicas(copy)).toEqual(first);
        expect(input).toEqual(copy);
        expect(first.map((d) => d.name)).toEqual(endpoints.map((e) => e.name));
      }),
    );
  });
});
