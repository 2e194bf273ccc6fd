/**
 * Shapes of the AWS and Kubernetes names gpufleet's inputs carry, defined once for every
 * validator: DNS labels, regions, ARNs, tags, CloudWatch Logs retention periods.
 */
import type { Problem } from "./problems";

/** Kubernetes DNS-1123 label: names of pools, endpoints, namespaces; label values. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Kubernetes caps a DNS-1123 label at 63 characters. */
export const DNS_LABEL_MAX = 63;

/**
 * An AWS region name: a known geography, an optional partition word, a direction and a
 * number (us-east-1, us-gov-west-1, cn-northwest-1, ap-southeast-7). A new region of a
 * known geography passes without a code change; `mars-north-1` does not.
 */
export const AWS_REGION =
  /^(af|ap|ca|cn|eu|il|me|mx|sa|us)-(gov-|iso-|isob-)?(central|north|south|east|west|northeast|northwest|southeast|southwest)-[1-9]$/;

/** An ARN: arn:partition:service:region:account:resource (region and account may be empty). */
export const ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:\S+$/;

/** A KMS key ARN (keys, not aliases: EKS envelope encryption takes a key). */
export const KMS_KEY_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** The retention periods CloudWatch Logs accepts, days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export function isLogRetentionDays(days: unknown): boolean {
  return (LOG_RETENTION_DAYS as readonly unknown[]).includes(days);
}

/** AWS tag limits: keys up to 128 characters, values up to 256, and the `aws:` prefix is AWS's own. */
export function tagProblems(tags: Readonly<Record<string, unknown>> | undefined, field = "tags"): Problem[] {
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(tags ?? {})) {
    const at = `${field}.${key}`;
    if (key.toLowerCase().startsWith("aws:")) {
      problems.push({ field: at, rule: 'is refused: tag keys starting with "aws:" are reserved for AWS' });
    } else if (key.length === 0 || key.length > 128) {
      problems.push({ field: field, value: key, rule: "has a tag key that is not 1-128 characters" });
    }
    if (typeof value === "string" && value.length > 256) {
      problems.push({ field: at, value, rule: "must be at most 256 characters" });
    }
  }
  return problems;
}
