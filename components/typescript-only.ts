/**
 * Members of a component class that only TypeScript programs use (its provider, settings, child
 * resources). Pulumi's schema inference reads every property a component class declares as an
 * output, and these have no schema form, so the class keeps them here and exposes them through
 * getters.
 */
export interface TypeScriptOnlyMembers<Owner extends object, Members> {
  set(owner: Owner, members: Members): void;
  /** The members set in the owner's constructor. */
  get(owner: Owner): Members;
}

export function typescriptOnlyMembers<Owner extends object, Members>(): TypeScriptOnlyMembers<Owner, Members> {
  const members = new WeakMap<Owner, Members>();
  return {
    set: (owner, value) => {
      members.set(owner, value);
    },
    get: (owner) => members.get(owner) as Members,
  };
}
