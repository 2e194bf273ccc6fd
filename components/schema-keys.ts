/**
 * Compile-time agreement between a component's Args interface and the zod schema that
 * reads the same settings from a stack file: adding an arg without its schema entry (or
 * the reverse) fails the type check instead of being refused at run time.
 */
type Missing<A, B> = Exclude<keyof A, keyof B>;

/** `true` when A and B have the same keys; otherwise a type naming the keys that differ. */
export type SameKeys<A, B> = [Missing<A, B>, Missing<B, A>] extends [never, never]
  ? true
  : { onlyInFirst: Missing<A, B>; onlyInSecond: Missing<B, A> };

/** Compiles only for `true`. */
export type Agree<T extends true> = T;
