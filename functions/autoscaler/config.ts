/**
 * The fleet configuration the autoscaler reads: one entry per endpoint. FleetControl writes
 * it as fleet.json next to the bundled handler in the function's archive, because Lambda
 * environment variables are limited to 4 KB in total and 500 endpoints do not fit there.
 * Shared by the handler (parse) and the component (build), so both agree on the shape.
 */
import { z } from "zod";
import { FunctionSetupError, parseConfigJson } from "../kit/setup";
import { DEFAULT_AUTOSCALER_SETTINGS } from "./core/settings";
import type { AutoscalerSettings } from "./core/types";

export const FLEET_CONFIG_FILE = "fleet.json";
export const FLEET_CONFIG_VERSION = 1;

const profileSchema = z.object({
  secondsPerRequest: z.number().positive(),
  tokenCost: z
    .object({
      baseSeconds: z.number().nonnegative(),
      secondsPerContextToken: z.number().nonnegative(),
      secondsPerGeneratedToken: z.number().nonnegative(),
    })
    .optional(),
  concurrencyPerReplica: z.number().int().positive(),
  modelLoadSeconds: z.number().nonnegative(),
  sloSeconds: z.number().positive(),
  minReplicas: z.number().int().nonnegative(),
  maxReplicas: z.number().int().nonnegative(),
});

const endpointSchema = z.object({
  /** The metric dimension value (Endpoint) the KEDA trigger reads. */
  name: z.string().min(1),
  queueName: z.string().min(1),
  queueUrl: z.string().min(1),
  profile: profileSchema,
  slicesPerGpu: z.number().int().min(1).max(48),
  leadTimeSeconds: z.number().nonnegative(),
});

const settingsSchema = z
  .object(
    Object.fromEntries(Object.keys(DEFAULT_AUTOSCALER_SETTINGS).map((k) => [k, z.number().optional()])) as Record<
      keyof AutoscalerSettings,
      z.ZodOptional<z.ZodNumber>
    >,
  )
  .strict();

export const fleetConfigSchema = z.object({
  version: z.literal(FLEET_CONFIG_VERSION),
  endpoints: z.array(endpointSchema),
  settings: settingsSchema.optional(),
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
