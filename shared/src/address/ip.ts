// IP addresses as (family, BigInt) pairs. Parsing follows Go's net.ParseIP, which MetalLB uses:
// dotted-quad IPv4 without leading zeros, RFC 4291 IPv6 (embedded IPv4 allowed, zones refused).
import ipaddr from 'ipaddr.js';

export type Family = 'ipv4' | 'ipv6';

export interface IP {
  readonly family: Family;
  readonly value: bigint;
}

export const FAMILY_BITS: Record<Family, number> = { ipv4: 32, ipv6: 128 };

const IPV4_PART = /^(0|[1-9][0-9]{0,2})$/;

export function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!IPV4_PART.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return BigInt(value);
}

export function parseIPv6(text: string): bigint | undefined {
  if (!text.includes(':') || text.includes('%')) return undefined;
  if (!ipaddr.IPv6.isValid(text)) return undefined;
  const parts = ipaddr.IPv6.parse(text).parts;
  let value = 0n;
  for (const p of parts) value = (value << 16n) | BigInt(p);
  return value;
}

/** Parses an IP address the way Go's net.ParseIP does; undefined when invalid. */
export function parseIP(text: string): IP | undefined {
  if (text.includes(':')) {
    const v6 = parseIPv6(text);
    if (v6 === undefined) return undefined;
    // Go treats an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as that IPv4 address.
    if (v6 >> 32n === 0xffffn) return { family: 'ipv4', value: v6 & 0xffffffffn };
    return { family: 'ipv6', value: v6 };
  }
  const v4 = parseIPv4(text);
  return v4 === undefined ? undefined : { family: 'ipv4', value: v4 };
}

export function formatIPv4(value: bigint): string {
  const n = Number(value);
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** RFC 5952 text, as Go prints IPv6 (lowercase, longest zero run compressed, leftmost wins). */
export function formatIPv6(value: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function formatIP(ip: IP): string {
  return ip.family === 'ipv4' ? formatIPv4(ip.value) : formatIPv6(ip.value);
}

export function ipKey(ip: IP): string {
  return `${ip.family}/${ip.value}`;
}

export function sameIP(a: IP, b: IP): boolean {
  return a.family === b.family && a.value === b.value;
}

export function compareIP(a: IP, b: IP): number {
  if (a.family !== b.family) return a.family === 'ipv4' ? -1 : 1;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** MetalLB's avoidBuggyIPs: IPv4 addresses ending in .0 or .255 (some old routers drop them). */
export function isBuggyIP(ip: IP): boolean {
  if (ip.family !== 'ipv4') return false;
  const last = ip.value & 255n;
  return last === 0n || last === 255n;
}

/** Canonical text of an address string if it parses, otherwise the input unchanged. */
export function canonicalIP(text: string): string {
  const ip = parseIP(text.trim());
  return ip ? formatIP(ip) : text;
}
