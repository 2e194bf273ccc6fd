import * as pulumi from "@pulumi/pulumi";

/**
 * Resource inputs in the form the engine hands a policy pack: plain JSON where an unknown
 * value is the unknown sentinel string, secrets and assets carry their signature objects,
 * and resource references are replaced by the referenced resource's ID (or URN), since the
 * policy deserializer does not accept references.
 */
export type Wire = unknown;

const { specialSigKey, specialSecretSig, specialAssetSig, specialArchiveSig, specialResourceSig, unknownValue } =
  pulumi.runtime;

export function toPolicyWire(value: Wire): Wire {
  if (Array.isArray(value)) {
    return value.map(toPolicyWire);
  }
  if (value === null || typeof value !== "object") {
    return value;
  }
  const obj = value as Record<string, unknown>;
  if (obj[specialSigKey] === specialResourceSig) {
    const id = obj.id;
    return typeof id === "string" && id !== "" ? id : obj.urn;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(obj)) {
    out[key] = toPolicyWire(item);
  }
  return out;
}

export const UNKNOWN_TEXT = "[unknown during preview]";

/** Wire values made readable for a report: unknowns, secrets and assets become short markers. */
export function toDisplay(value: Wire): unknown {
  if (value === unknownValue) {
    return UNKNOWN_TEXT;
  }
  if (Array.isArray(value)) {
    return value.map(toDisplay);
  }
  if (value === null || typeof value !== "object") {
    return value;
  }
  const obj = value as Record<string, unknown>;
  switch (obj[specialSigKey]) {
    case specialSecretSig:
      return "[secret]";
    case specialAssetSig:
      return `[asset ${String(obj.path ?? obj.uri ?? "text")}]`;
    case specialArchiveSig:
      return `[archive ${String(obj.path ?? obj.uri ?? "assets")}]`;
    default: {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(obj)) {
        out[key] = toDisplay(item);
      }
      return out;
    }
  }
}
