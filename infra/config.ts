import { z } from "zod";
import { validateFleetControlArgs } from "../components/fleet-control";
import type { GpuClusterArgs } from "../components/gpu-cluster";
import { plainPoolInfo, resolveAddons, resolvePool } from "../components/gpu-cluster/defaults";
import {
  clusterExtrasSchema,
  existingClusterSchema,
  gpuPoolSchema,
  newClusterSchema,
} from "../components/gpu-cluster/schema";
import { gpuClusterProblems } from "../components/gpu-cluster/validate";
import type { EndpointSettings } from "../components/model-endpoint/defaults";
import { resolveProfile } from "../components/model-endpoint/defaults";
import { endpointSettingsShape } from "../components/model-endpoint/schema";
import { modelEndpointProblems } from "../components/model-endpoint/validate";
import type { FleetEndpoint, GpuPoolInfo } from "../components/types";
import { DEFAULT_AUTOSCALER_SETTINGS } from "../functions/autoscaler/core";
import { AWS_REGION, DNS_LABEL } from "../functions/aws-names";
import { ConfigError, isConfigError, nearestKey, type Problem, problemsFromZod } from "../functions/problems";
import { fleetControlArgs, SECONDS_PER_MINUTE } from "./control-args";

/**
 * The stack configuration under the Pulumi config namespace `gpufleet`: `cluster`, `pools`,
 * `endpoints` and `control`. The shapes are the components' own schemas; every rule of
 * every component (GpuCluster, each ModelEndpoint, FleetControl) runs here, so a bad
 * stack fails before any resource is registered.
 */

export const CONFIG_NAMESPACE = "gpufleet";
/** The stack's component name, and so the cluster's name when the config gives none. */
export const STACK_NAME = "gpufleet";
export const STACK_CONFIG_KEYS = ["cluster", "pools", "endpoints", "control"] as const;
/** Settings that were renamed: their old name gets a message saying the new one. */
const RENAMED = { minSize: "minNodes", maxSize: "maxNodes", desiredSize: "desiredNodes" } as const;
/** Endpoint names become queue names after the cluster's prefix, which SQS caps at 80 with "-dlq". */
const ENDPOINT_NAME_MAX = 40;

const endpointSchema = z.object({ name: z.string(), ...endpointSettingsShape }).strict();

/**
 * The stack's `control` settings: a few of FleetControl's arguments under the names the stack
 * file uses (control-args.ts maps them). Only their types are read here: the bounds are
 * FleetControl's own (the autoscaler core's settings, FleetControl's lead time, the
 * rebalancer's tunables), checked by FleetControl's validation below, and the defaults are the
 * core's, so neither is restated.
 */
const controlSchema = z
  .object({
    autoscaler: z
      .object({
        /** Multiplier on the forecast capacity; the core's defaults are calibrated for 1 (docs/autoscaler.md). */
        headroom: z.number().default(DEFAULT_AUTOSCALER_SETTINGS.headroom),
        /** Seconds from a scale decision to a node able to run the pod. @default FleetControl's */
        leadTimeSeconds: z.number().optional(),
      })
      .strict()
      .prefault({}),
    rebalancer: z
      .object({
        /** False leaves the rebalancer out; true deploys it where FleetControl would (any spot pool). */
        enabled: z.boolean().default(true),
        /** Minutes a spot pool must stay healthy before capacity migrates back. @default the rebalancer's (10) */
        stableMinutes: z.number().optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

const stackSchema = z
  .object({
    cluster: z.discriminatedUnion("mode", [
      newClusterSchema.extend(clusterExtrasSchema),
      existingClusterSchema.extend(clusterExtrasSchema),
    ]),
    pools: z.array(gpuPoolSchema),
    endpoints: z.array(endpointSchema).default([]),
    control: controlSchema.prefault({}),
  })
  .strict();

type ParsedStack = z.infer<typeof stackSchema>;
export type EndpointConfig = z.infer<typeof endpointSchema>;
export type ControlConfig = z.infer<typeof controlSchema>;

/** The validated stack: GpuCluster arguments plus the endpoints and control settings. */
export interface StackConfig {
  cluster: GpuClusterArgs;
  endpoints: EndpointConfig[];
  control: ControlConfig;
}

export interface StackConfigContext {
  /** `aws:region`, when the stack sets it. */
  region?: string;
  /** True for a top-level key whose value came from a `secure:` setting: it is never shown. */
  isSecret?: (key: string) => boolean;
  /** Every other config key of the stack (`aws:region`, `other:cluster`): for the hint on a wrong namespace. */
  otherKeys?: readonly string[];
}

const SUBJECT = "gpufleet stack config";

/** Problems of the document as a whole: nothing there, or keys nobody reads. */
function documentProblems(raw: unknown, context: StackConfigContext): Problem[] {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return [{ field: CONFIG_NAMESPACE, value: raw, rule: "must be a mapping of settings" }];
  }
  const keys = Object.keys(raw);
  if (keys.length === 0) {
    const misplaced = (context.otherKeys ?? []).filter((k) =>
      (STACK_CONFIG_KEYS as readonly string[]).includes(k.slice(k.indexOf(":") + 1)),
    );
    const hint =
      misplaced.length > 0
        ? ` (found ${misplaced.join(", ")}: these belong to another project's namespace)`
        : context.otherKeys && context.otherKeys.length > 0
          ? ` (the file sets only ${context.otherKeys.join(", ")})`
          : " (the file sets none)";
    return [
      {
        field: CONFIG_NAMESPACE,
        rule: `has no settings: the stack needs ${CONFIG_NAMESPACE}:cluster and ${CONFIG_NAMESPACE}:pools${hint}`,
      },
    ];
  }
  return keys.flatMap((key) => {
    if ((STACK_CONFIG_KEYS as readonly string[]).includes(key)) return [];
    const near = nearestKey(key, STACK_CONFIG_KEYS);
    const known = STACK_CONFIG_KEYS.map((k) => `${CONFIG_NAMESPACE}:${k}`);
    return [
      {
        field: `${CONFIG_NAMESPACE}:${key}`,
        rule: near
          ? `is not a known setting: did you mean ${CONFIG_NAMESPACE}:${near}?`
          : `is not a known setting (known: ${known.join(", ")})`,
      },
    ];
  });
}

function toClusterArgs(parsed: ParsedStack): GpuClusterArgs {
  const { addons, tags, ...cluster } = parsed.cluster;
  const args: GpuClusterArgs =
    cluster.mode === "new"
      ? { newCluster: withoutMode(cluster), pools: parsed.pools }
      : { existingCluster: withoutMode(cluster), pools: parsed.pools };
  if (addons) args.addons = addons;
  if (tags) args.tags = tags;
  return args;
}

function withoutMode<T extends { mode: string }>(cluster: T): Omit<T, "mode"> {
  const { mode: _mode, ...rest } = cluster;
  return rest;
}

/** The stack file has one `cluster` key for both kinds of cluster. */
const STACK_CLUSTER_FIELDS = { newCluster: "cluster", existingCluster: "cluster" };

function prefixed(problems: readonly Problem[], prefix: string): Problem[] {
  return problems.map((p) => ({ ...p, field: `${prefix}${p.field}` }));
}

/**
 * The ModelEndpoint arguments the stack gives one entry (see stack.ts, which adds the
 * cluster): the queue is named with the cluster's prefix, as KEDA's role reads those only.
 */
export function endpointSettings(endpoint: EndpointConfig, queueNamePrefix: string): EndpointSettings {
  const { name: _name, ...settings } = endpoint;
  return { ...settings, cluster: { queueNamePrefix } };
}

function endpointProblems(parsed: ParsedStack, pools: GpuPoolInfo[], queuePrefix: string): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  parsed.endpoints.forEach((endpoint, i) => {
    const at = `endpoints[${i}]`;
    if (!DNS_LABEL.test(endpoint.name) || endpoint.name.length > ENDPOINT_NAME_MAX) {
      problems.push({
        field: `${at}.name`,
        value: endpoint.name,
        rule: `must be a lowercase DNS label (a-z, 0-9, "-") of at most ${ENDPOINT_NAME_MAX} characters`,
      });
      return;
    }
    const first = seen.get(endpoint.name);
    if (first !== undefined) {
      problems.push({ field: `${at}.name`, value: endpoint.name, rule: `is already used by endpoints[${first}]` });
    } else seen.set(endpoint.name, i);
    const settings = endpointSettings(endpoint, queuePrefix);
    problems.push(...prefixed(modelEndpointProblems(endpoint.name, settings, pools).problems, `${at}.`));
  });
  return problems;
}

/** FleetControl's fields as the stack config names them, with the value as the stack file gives it. */
const CONTROL_FIELDS: Readonly<Record<string, { field: string; value?: (seconds: number) => number }>> = {
  leadTimeSeconds: { field: "control.autoscaler.leadTimeSeconds" },
  "autoscalerSettings.headroom": { field: "control.autoscaler.headroom" },
  "rebalancer.tunables.stableSeconds": {
    field: "control.rebalancer.stableMinutes",
    value: (seconds) => seconds / SECONDS_PER_MINUTE,
  },
};

/** A FleetControl problem in the stack's terms: its field, and its value in the stack file's unit. */
function stackProblemOf(problem: Problem): Problem {
  if (problem.field.startsWith("endpoints[")) return problem;
  const known = CONTROL_FIELDS[problem.field];
  if (!known) return { ...problem, field: `control (FleetControl ${problem.field})` };
  const { value: toStack } = known;
  return toStack && typeof problem.value === "number"
    ? { ...problem, field: known.field, value: toStack(problem.value) }
    : { ...problem, field: known.field };
}

/** FleetControl's validation on plain stand-ins for the endpoints and pools the stack will create. */
function controlProblems(parsed: ParsedStack, pools: GpuPoolInfo[], tags?: Record<string, string>): Problem[] {
  if (parsed.endpoints.length === 0) return [];
  const endpoints: FleetEndpoint[] = parsed.endpoints.map((e) => ({
    endpointName: e.name,
    queueName: e.name,
    queueUrl: "",
    queueArn: "",
    profile: resolveProfile(e.profile),
    poolNames: e.pools ?? pools.map((p) => p.name),
  }));
  try {
    validateFleetControlArgs(
      fleetControlArgs(parsed.cluster.clusterName ?? "", endpoints, pools, parsed.control, tags),
    );
    return [];
  } catch (error) {
    if (!isConfigError(error)) throw error;
    return error.problems.map(stackProblemOf);
  }
}

/**
 * Parses and validates the raw `gpufleet` config object (keys cluster, pools, endpoints,
 * control), running every component's validation. Pure: throws one ConfigError listing
 * every problem, before anything is created.
 */
export function parseStackConfig(raw: unknown, context: StackConfigContext = {}): StackConfig {
  const problems = documentProblems(raw, context);
  if (context.region !== undefined && !AWS_REGION.test(context.region)) {
    problems.push({ field: "aws:region", value: context.region, rule: 'must be an AWS region such as "us-east-1"' });
  }
  if (raw === null || typeof raw !== "object" || Object.keys(raw).length === 0)
    throw new ConfigError(SUBJECT, problems);
  // Unknown top-level keys are reported above; the known ones are still checked, so one run names every problem.
  const known = Object.fromEntries(
    Object.entries(raw).filter(([key]) => (STACK_CONFIG_KEYS as readonly string[]).includes(key)),
  );
  const parsed = stackSchema.safeParse(known);
  if (!parsed.success) {
    problems.push(
      ...problemsFromZod(stackSchema, parsed.error.issues, known, {
        renamed: RENAMED,
        isSecret: (path) => typeof path[0] === "string" && (context.isSecret?.(path[0]) ?? false),
      }),
    );
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(SUBJECT, problems);
  // Each layer needs the one before it to be valid: endpoints are checked against resolved pools.
  const cluster = toClusterArgs(parsed.data);
  const pools: GpuPoolInfo[] = parsed.data.pools.map((p) => ({
    ...plainPoolInfo(resolvePool(p)),
    nodeGroupName: p.name,
    asgNames: [],
  }));
  const clusterName = parsed.data.cluster.clusterName ?? STACK_NAME;
  const queuePrefix = resolveAddons(cluster.addons, clusterName).sqsQueueNamePrefix;
  for (const layer of [
    () => gpuClusterProblems(cluster, STACK_CLUSTER_FIELDS),
    () => endpointProblems(parsed.data, pools, queuePrefix),
    () => controlProblems(parsed.data, pools, cluster.tags),
  ]) {
    const found = layer();
    if (found.length > 0) throw new ConfigError(SUBJECT, found);
  }
  return { cluster, endpoints: parsed.data.endpoints, control: parsed.data.control };
}
