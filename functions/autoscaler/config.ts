/**
 * The fleet configuration the autoscaler reads: one entry per endpoint. FleetControl writes
 * it as fleet.json next to the bundled handler in the function's archive, because Lambda
 * environment variables are limited to 4 KB in total and 500 endpoints do not fit there.
 * Shared by the handler (parse) and the component (build), so both agree on the shape.
 */
import { parseConfigJson } from "../kit/setup";
import { ConfigError } from "../problems";
import { endpointProfileSchema } from "../profile";
import * as z from "../validation";
import { MAX_LEAD_TIME_SECONDS } from "./core";
import { DEFAULT_AUTOSCALER_SETTINGS } from "./core/settings";
import type { AutoscalerSettings } from "./core/types";

export const FLEET_CONFIG_FILE = "fleet.json";
export const FLEET_CONFIG_VERSION = 1;

const endpointSchema = z.object({
  /** The metric dimension value (Endpoint) the KEDA trigger reads. */
  name: z.string().check(z.minLength(1)),
  queueName: z.string().check(z.minLength(1)),
  queueUrl: z.string().check(z.minLength(1)),
  profile: endpointProfileSchema,
  slicesPerGpu: z.int().check(z.gte(1), z.lte(48)),
  leadTimeSeconds: z.number().check(z.gte(0), z.lte(MAX_LEAD_TIME_SECONDS)),
});

const settingsSchema = z.strictObject(
  Object.fromEntries(Object.keys(DEFAULT_AUTOSCALER_SETTINGS).map((k) => [k, z.optional(z.number())])) as Record<
    keyof AutoscalerSettings,
    z.ZodMiniOptional<z.ZodMiniNumber>
  >,
);

export const fleetConfigSchema = z.object({
  version: z.literal(FLEET_CONFIG_VERSION),
  endpoints: z.array(endpointSchema),
  settings: z.optional(settingsSchema),
});

export type FleetConfig = z.infer<typeof fleetConfigSchema>;
export type FleetConfigEndpoint = z.infer<typeof endpointSchema>;

/** Parses fleet.json text; throws a ConfigError naming every bad field, e.g. `endpoints[2].queueUrl`. */
export function parseFleetConfig(text: string, source = FLEET_CONFIG_FILE): FleetConfig {
  const config = parseConfigJson(fleetConfigSchema, text, source);
  const seen = new Map<string, number>();
  const duplicates = config.endpoints.flatMap((e, i) => {
    const first = seen.get(e.name);
    if (first === undefined) seen.set(e.name, i);
    return first === undefined
      ? []
      : [{ field: `endpoints[${i}].name`, value: e.name, rule: `is already used by endpoints[${first}]` }];
  });
  if (duplicates.length > 0) throw new ConfigError(source, duplicates);
  return config;
}
