/**
 * How an endpoint serves, defined once: the schema every reader of a profile checks it
 * with (stack config, ModelEndpoint, FleetControl, the autoscaler's fleet.json, the
 * autoscaler core, simulator scenarios), and the type inferred from it.
 *
 * Every number has a realistic bound: a value past it is a typo or a unit mistake, and
 * unbounded inputs are what let one config hang the autoscaler's forecast loop.
 */
import { fieldPath, type Problem, problemsFromZod } from "./problems";
import * as z from "./validation";

/** Bounds of the profile's numbers, shared with the messages and the docs. */
export const PROFILE_LIMITS = {
  /** One request may take up to an hour on its GPU. */
  secondsPerRequest: { max: 3600 },
  /** Seconds per token (context or generated): ten is slower than any GPU model serves. */
  secondsPerToken: { max: 10 },
  /** Loading a model: an hour covers the largest weights over a slow link. */
  modelLoadSeconds: { max: 3600 },
  /** Queue wait SLO: one day; longer is batch work that needs no autoscaling. */
  sloSeconds: { max: 86_400 },
  concurrencyPerReplica: { min: 1, max: 1024 },
  replicas: { max: 10_000 },
} as const;

// The Lambda bundles carry this schema: zod's mini API keeps them small (functions/validation.ts).
const seconds = (max: number) => z.number().check(z.gte(0, "must be at least 0"), z.lte(max, `must be at most ${max}`));
const positiveSeconds = (max: number) =>
  z.number().check(z.gt(0, "must be greater than 0"), z.lte(max, `must be at most ${max}`));
const wholeNumber = (min: number, max: number) =>
  z.int("must be a whole number").check(z.gte(min, `must be at least ${min}`), z.lte(max, `must be at most ${max}`));
const replicas = (min: number) => wholeNumber(min, PROFILE_LIMITS.replicas.max);

export const tokenCostSchema = z.strictObject({
  baseSeconds: seconds(PROFILE_LIMITS.secondsPerRequest.max),
  secondsPerContextToken: seconds(PROFILE_LIMITS.secondsPerToken.max),
  secondsPerGeneratedToken: seconds(PROFILE_LIMITS.secondsPerToken.max),
});

/** The profile's fields, each with its bound; the cross-field rules are in {@link profileRelationProblems}. */
export const profileFields = {
  /** Mean seconds one request takes when its replica has the GPU to itself. */
  secondsPerRequest: positiveSeconds(PROFILE_LIMITS.secondsPerRequest.max),
  /**
   * Optional token-based cost model: seconds = base + context * perContextToken +
   * generated * perGeneratedToken. When set, secondsPerRequest is its value for a typical request.
   */
  tokenCost: z.optional(tokenCostSchema),
  /** Requests one replica works on at once (batching); each still takes the request's seconds. */
  concurrencyPerReplica: wholeNumber(
    PROFILE_LIMITS.concurrencyPerReplica.min,
    PROFILE_LIMITS.concurrencyPerReplica.max,
  ),
  /** Seconds from container start until the model is loaded and the replica can serve. */
  modelLoadSeconds: seconds(PROFILE_LIMITS.modelLoadSeconds.max),
  /** The longest a request may wait in the queue before it is picked up. */
  sloSeconds: positiveSeconds(PROFILE_LIMITS.sloSeconds.max),
  minReplicas: replicas(0),
  /** At least 1: an endpoint that may never run a replica serves nothing. */
  maxReplicas: replicas(1),
};

export interface ProfileRelations {
  secondsPerRequest?: number | undefined;
  sloSeconds?: number | undefined;
  minReplicas?: number | undefined;
  maxReplicas?: number | undefined;
}

/**
 * The rules between fields: minReplicas <= maxReplicas, and an SLO no shorter than one
 * request (a queued request waits for a busy slot to free, up to one service time).
 */
export function profileRelationProblems(p: ProfileRelations, at: readonly PropertyKey[] = []): Problem[] {
  const problems: Problem[] = [];
  // Only values that pass their own bounds are compared: a bad value is reported once, as such.
  const valid = (key: keyof ProfileRelations): number | undefined => {
    const value = p[key];
    return profileFields[key].safeParse(value).success ? value : undefined;
  };
  const minReplicas = valid("minReplicas");
  const maxReplicas = valid("maxReplicas");
  const sloSeconds = valid("sloSeconds");
  const secondsPerRequest = valid("secondsPerRequest");
  if (minReplicas !== undefined && maxReplicas !== undefined && minReplicas > maxReplicas) {
    problems.push({
      field: fieldPath([...at, "minReplicas"]),
      value: minReplicas,
      rule: `must not exceed maxReplicas (${maxReplicas})`,
    });
  }
  if (sloSeconds !== undefined && secondsPerRequest !== undefined && sloSeconds < secondsPerRequest) {
    problems.push({
      field: fieldPath([...at, "sloSeconds"]),
      value: sloSeconds,
      rule: `must not be shorter than secondsPerRequest (${secondsPerRequest}): a queued request waits up to one service time for a slot`,
    });
  }
  return problems;
}

function withRelations<T extends z.ZodMiniType<ProfileRelations>>(schema: T): T {
  return schema.check(
    z.superRefine((profile: ProfileRelations, ctx) => {
      for (const problem of profileRelationProblems(profile)) {
        const key = problem.field.split(".").pop() as string;
        ctx.addIssue({ code: "custom", path: [key], message: problem.rule, input: problem.value });
      }
    }),
  );
}

/** A complete profile, as the autoscaler and the simulator run on it. */
export const endpointProfileSchema = withRelations(z.strictObject(profileFields));

/** A profile as ModelEndpoint and the stack config take it: concurrency and replica bounds have defaults. */
export const endpointProfileArgsSchema = withRelations(
  z.strictObject({
    ...profileFields,
    concurrencyPerReplica: z.optional(profileFields.concurrencyPerReplica),
    minReplicas: z.optional(profileFields.minReplicas),
    maxReplicas: z.optional(profileFields.maxReplicas),
  }),
);

/**
 * Seconds one request takes from its token counts: base + context * perContextToken +
 * generated * perGeneratedToken. Written out as interfaces (not inferred) because
 * Pulumi's schema inference reads declared interfaces only; {@link ProfileInterfacesMatchSchemas} keeps
 * them equal to the schemas.
 */
export interface TokenCostModel {
  baseSeconds: number;
  secondsPerContextToken: number;
  secondsPerGeneratedToken: number;
}

/** How an endpoint serves; the fields are documented on {@link profileFields}. */
export interface EndpointProfile {
  secondsPerRequest: number;
  tokenCost?: TokenCostModel | undefined;
  concurrencyPerReplica: number;
  modelLoadSeconds: number;
  sloSeconds: number;
  minReplicas: number;
  maxReplicas: number;
}

/** A profile as ModelEndpoint and the stack config take it: concurrency and replica bounds have defaults. */
export type EndpointProfileArgs = z.infer<typeof endpointProfileArgsSchema>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
/** Compiles only while the interfaces above equal what their schemas infer. */
export type ProfileInterfacesMatchSchemas = [
  Holds<Same<TokenCostModel, z.infer<typeof tokenCostSchema>>>,
  Holds<Same<EndpointProfile, z.infer<typeof endpointProfileSchema>>>,
];

/** Every problem of a complete profile, fields under `prefix`; empty when it is valid. */
export function profileProblems(profile: unknown, prefix = ""): Problem[] {
  const result = endpointProfileSchema.safeParse(profile);
  return result.success ? [] : problemsFromZod(endpointProfileSchema, result.error.issues, profile, { prefix });
}
