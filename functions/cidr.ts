/**
 * IPv4 CIDR arithmetic shared by the cluster's validation and the policy pack: what a set
 * of CIDRs allowed to reach the public Kubernetes API covers, judged by the addresses the
 * union spans rather than by its spelling (0.0.0.0/1 + 128.0.0.0/1 is the whole internet).
 */

export interface Ipv4Range {
  /** First address, as an unsigned 32-bit number. */
  start: number;
  /** Addresses in the block. */
  size: number;
}

/** The block a well-formed IPv4 CIDR names (no bits set past the prefix), else undefined. */
export function parseIpv4Cidr(cidr: string): Ipv4Range | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const start = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  return start % size === 0 ? { start, size } : undefined;
}

/** True for a well-formed IPv4 CIDR whose address has no bits set past the prefix. */
export function isIpv4Cidr(cidr: string): boolean {
  return parseIpv4Cidr(cidr) !== undefined;
}

/** Addresses the union of the blocks covers; overlaps are counted once. */
export function coveredAddresses(ranges: readonly Ipv4Range[]): number {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let total = 0;
  let end = 0;
  for (const range of sorted) {
    const rangeEnd = range.start + range.size;
    if (rangeEnd <= end) continue;
    total += rangeEnd - Math.max(end, range.start);
    end = rangeEnd;
  }
  return total;
}

/**
 * The most addresses the public API endpoint may be open to, all CIDRs together: a /16
 * (65,536). The networks that run `pulumi up` and kubectl are office and CI egress ranges,
 * far smaller; anything wider is treated as open to the internet.
 */
export const MAX_PUBLIC_API_ADDRESSES = 2 ** 16;

/** Why a set of public-access CIDRs opens the API too wide, or undefined when it does not. */
export function publicAccessTooWide(
  cidrs: readonly string[],
  maxAddresses = MAX_PUBLIC_API_ADDRESSES,
): string | undefined {
  const ranges = cidrs.map(parseIpv4Cidr).filter((r): r is Ipv4Range => r !== undefined);
  const covered = coveredAddresses(ranges);
  if (covered >= 2 ** 32) return "together cover the whole internet";
  if (covered > maxAddresses) {
    return `together cover ${covered.toLocaleString("en-US")} addresses, more than the ${maxAddresses.toLocaleString("en-US")} allowed`;
  }
  return undefined;
}
