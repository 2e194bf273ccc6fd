import { describe, expect, it } from "vitest";
import {
  backlogPerReplica,
  planningInputs,
  predictedTriggerMetadata,
  resolveQueueTiming,
  resolveScalingSettings,
  scalingConfig,
  sqsTriggerMetadata,
  tickSecondsOf,
} from "../../functions/scaling/index";

const profile = {
  secondsPerRequest: 2,
  concurrencyPerReplica: 4,
  modelLoadSeconds: 30,
  sloSeconds: 10,
  minReplicas: 1,
  maxReplicas: 20,
};

describe("scaling configuration", () => {
  it("targets floor(c x (1 + SLO / s)) messages per replica and rate-limits the HPA per minute", () => {
    const c = scalingConfig({
      endpointName: "chat",
      minReplicas: 1,
      maxReplicas: 20,
      settings: resolveScalingSettings(profile),
    });

    expect(c.sqs.queueLength).toBe(24);
    expect(sqsTriggerMetadata(c)).toEqual({
      queueLength: "24",
      activationQueueLength: "0",
      scaleOnInFlight: "true",
      scaleOnDelayed: "false",
    });
    expect(c.behavior.scaleDown).toEqual({
      stabilizationWindowSeconds: 300,
      selectPolicy: "Max",
      policies: [
        { type: "Percent", value: 25, periodSeconds: 60 },
        { type: "Pods", value: 1, periodSeconds: 60 },
      ],
    });
    expect(c.pollingIntervalSeconds).toBe(15);
  });

  it("reads the predicted replicas as the latest one-minute maximum of the last three minutes", () => {
    const c = scalingConfig({
      endpointName: "chat",
      minReplicas: 0,
      maxReplicas: 5,
      settings: resolveScalingSettings(profile),
    });

    expect(predictedTriggerMetadata(c)).toMatchObject({
      dimensionValue: "chat",
      metricStat: "Maximum",
      metricStatPeriod: "60",
      metricCollectionTime: "180",
      targetMetricValue: "1",
      ignoreNullValues: "true",
    });
  });

  it("keeps an endpoint's own settings over the defaults", () => {
    const s = resolveScalingSettings(profile, { queueLengthPerReplica: 3, scaleDownStabilizationSeconds: 60 });

    expect(s.queueLengthPerReplica).toBe(3);
    expect(s.scaleDownStabilizationSeconds).toBe(60);
    expect(backlogPerReplica({ ...profile, secondsPerRequest: 30, sloSeconds: 5 })).toBe(4);
  });

  it("derives the visibility timeout from the longest request, with a floor", () => {
    expect(resolveQueueTiming(profile)).toEqual({
      maxProcessingSeconds: 10,
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 3,
    });
    expect(resolveQueueTiming({ ...profile, secondsPerRequest: 20 }).visibilityTimeoutSeconds).toBe(200);
  });
});

describe("planning inputs", () => {
  it("plans on the most-sliced pool and the slowest lead time", () => {
    expect(
      planningInputs([
        { slicesPerGpu: 2, leadTimeSeconds: 300 },
        { slicesPerGpu: 4, leadTimeSeconds: 200 },
      ]),
    ).toEqual({ slicesPerGpu: 4, leadTimeSeconds: 300 });
  });

  it.each([
    ["rate(1 minute)", 60],
    ["rate(5 minutes)", 300],
    ["rate(2 hours)", 7200],
    ["cron(0/5 * * * ? *)", undefined],
    ["at(2026-01-01T00:00:00)", undefined],
  ])("reads the tick of %s", (schedule, seconds) => {
    expect(tickSecondsOf(schedule)).toBe(seconds);
  });
});
