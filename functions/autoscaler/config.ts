/**
 * The fleet configuration the autoscaler reads: one entry per endpoint. FleetControl writes
 * it as fleet.json next to the bundled handler in the function's archive, because Lambda
 * environment variables are limited to 4 KB in total and 500 endpoints do not fit there.
 * Shared by the handler (parse) and the component (build), so both agree on the shape.
 */

import { FunctionSetupError, parseConfigJson } from "../kit/setup";
import * as z from "../validation";
import { DEFAULT_AUTOSCALER_SETTINGS } from "./core/settings";
import type { AutoscalerSettings } from "./core/types";

export const FLEET_CONFIG_FILE = "fleet.json";
export const FLEET_CONFIG_VERSION = 1;

const positive = () => z.number().check(z.positive());
const nonnegative = () => z.number().check(z.nonnegative());

const profileSchema = z.object({
  secondsPerRequest: positive(),
  tokenCost: z.optional(
    z.object({
      baseSeconds: nonnegative(),
      secondsPerContextToken: nonnegative(),
      secondsPerGeneratedToken: nonnegative(),
    }),
  ),
  concurrencyPerReplica: z.int().check(z.positive()),
  modelLoadSeconds: nonnegative(),
  sloSeconds: positive(),
  minReplicas: z.int().check(z.nonnegative()),
  maxReplicas: z.int().check(z.nonnegative()),
});

const endpointSchema = z.object({
  /** The metric dimension value (Endpoint) the KEDA trigger reads. */
  name: z.string().check(z.minLength(1)),
  queueName: z.string().check(z.minLength(1)),
  queueUrl: z.string().check(z.minLength(1)),
  profile: profileSchema,
  slicesPerGpu: z.int().check(z.gte(1), z.lte(48)),
  leadTimeSeconds: nonnegative(),
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

/** Parses fleet.json text; the error names the file, the first bad field and its value. */
export function parseFleetConfig(text: string, source = FLEET_CONFIG_FILE): FleetConfig {
  const config = parseConfigJson(fleetConfigSchema, text, source);
  const seen = new Set<string>();
  config.endpoints.forEach((e, i) => {
    if (seen.has(e.name)) throw new FunctionSetupError(`${source}: endpoints[${i}].name (${e.name}) is a duplicate`);
    seen.add(e.name);
    if (e.profile.maxReplicas < e.profile.minReplicas) {
      throw new FunctionSetupError(
        `${source}: endpoints[${i}].profile.maxReplicas (${e.profile.maxReplicas}) must be at least minReplicas (${e.profile.minReplicas})`,
      );
    }
  });
  return config;
}
