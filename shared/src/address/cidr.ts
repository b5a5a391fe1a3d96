// CIDR prefixes as inclusive BigInt intervals. Never enumerates addresses: a /64 costs what a /30 does.
import { FAMILY_BITS, type Family, type IP, formatIP, parseIP } from './ip.js';

export interface Cidr {
  readonly family: Family;
  readonly prefix: number;
  /** First (network) address. */
  readonly start: bigint;
  /** Last (broadcast) address, inclusive. */
  readonly end: bigint;
}

export function cidrOf(family: Family, address: bigint, prefix: number): Cidr {
  const hostBits = BigInt(FAMILY_BITS[family] - prefix);
  const start = (address >> hostBits) << hostBits;
  return { family, prefix, start, end: start + (1n << hostBits) - 1n };
}

export function cidrSize(c: Cidr): bigint {
  return c.end - c.start + 1n;
}

export function formatCidr(c: Cidr): string {
  return `${formatIP({ family: c.family, value: c.start })}/${c.prefix}`;
}

export function cidrContains(c: Cidr, ip: IP): boolean {
  return c.family === ip.family && ip.value >= c.start && ip.value <= c.end;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

export interface ParsedCidr {
  readonly cidr: Cidr;
  /** The address as written, before host bits were masked (e.g. 10.0.0.5 in 10.0.0.5/24). */
  readonly address: IP;
  /** True when the written address had host bits set. */
  readonly hadHostBits: boolean;
}

const PREFIX = /^[0-9]{1,3}$/;

/** Go's net.ParseCIDR: "ip/len", no whitespace, host bits masked off. */
export function parseCidr(text: string): ParsedCidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIP(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!address || !PREFIX.test(prefixText)) return undefined;
  // Go rejects an IPv4-mapped form with a v4 prefix written in IPv6 notation only in odd cases; we
  // treat the family of the address text as authoritative.
  const family: Family = text.slice(0, slash).includes(':') && address.family === 'ipv6' ? 'ipv6' : address.family;
  const prefix = Number(prefixText);
  if (prefix > FAMILY_BITS[family]) return undefined;
  const cidr = cidrOf(family, address.value, prefix);
  return { cidr, address, hadHostBits: cidr.start !== address.value };
}

/**
 * The minimal list of CIDRs covering [start, end], ascending (like Go's ipaddr.Summarize).
 * Runs in O(bits) steps per CIDR emitted, at most 2·bits CIDRs.
 */
export function summarizeRange(family: Family, start: bigint, end: bigint): Cidr[] {
  const bits = FAMILY_BITS[family];
  const out: Cidr[] = [];
  let cur = start;
  while (cur <= end) {
    // Largest block aligned at cur that does not pass end.
    let hostBits = 0;
    while (hostBits < bits) {
      const size = 1n << BigInt(hostBits + 1);
      if (cur % size !== 0n || cur + size - 1n > end) break;
      hostBits++;
    }
    const size = 1n << BigInt(hostBits);
    out.push({ family, prefix: bits - hostBits, start: cur, end: cur + size - 1n });
    cur += size;
    if (cur > (1n << BigInt(bits)) - 1n) break;
  }
  return out;
}
