// IP addresses as (family, BigInt) pairs. Parsing follows Go's net.ParseIP, which MetalLB uses:
// dotted-quad IPv4 without leading zeros, RFC 4291 IPv6 (embedded IPv4 allowed, zones refused).
import ipaddr from 'ipaddr.js';

export type Family = 'ipv4' | 'ipv6';

export interface IP {
  readonly family: Family;
  readonly value: bigint;
}

export const FAMILY_BITS: Record<Family, number> = { ipv4: 32, ipv6: 128 };

/**
 * Dotted-quad IPv4 as Go's net.ParseIP reads it: four decimal parts 0–255, no leading zeros, no
 * signs or spaces. A character scan (no split, no regex): status and cluster IPs are parsed per
 * Service.
 */
export function parseIPv4(text: string): bigint | undefined {
  const n = parseIPv4Number(text);
  return n === undefined ? undefined : BigInt(n);
}

/** parseIPv4 as a number (IPv4 fits a double exactly). */
export function parseIPv4Number(text: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || ++dots > 3) return undefined;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      continue;
    }
    if (c < 48 || c > 57) return undefined;
    if (digits > 0 && part === 0) return undefined; // a leading zero
    part = part * 10 + (c - 48);
    if (++digits > 3 || part > 255) return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + part;
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
  return formatIPv4Number(Number(value));
}

/** Decimal text of each byte, with and without the dot that follows it. */
const OCTET = Array.from({ length: 256 }, (_, i) => String(i));
const OCTET_DOT = OCTET.map((o) => `${o}.`);

/** formatIPv4 of a number: three table lookups with their dots and one without (no number printing). */
export function formatIPv4Number(n: number): string {
  return OCTET_DOT[(n >>> 24) & 255] + OCTET_DOT[(n >>> 16) & 255] + OCTET_DOT[(n >>> 8) & 255] + OCTET[n & 255];
}

/** RFC 5952 text, as Go prints IPv6 (lowercase, longest zero run compressed, leftmost wins). */
export function formatIPv6(value: bigint): string {
  // Four 32-bit words (four BigInt shifts, not eight), then the groups as numbers.
  const w0 = Number(BigInt.asUintN(32, value >> 96n));
  const w1 = Number(BigInt.asUintN(32, value >> 64n));
  const w2 = Number(BigInt.asUintN(32, value >> 32n));
  const w3 = Number(BigInt.asUintN(32, value));
  const g = GROUPS;
  g[0] = w0 >>> 16;
  g[1] = w0 & 0xffff;
  g[2] = w1 >>> 16;
  g[3] = w1 & 0xffff;
  g[4] = w2 >>> 16;
  g[5] = w2 & 0xffff;
  g[6] = w3 >>> 16;
  g[7] = w3 & 0xffff;
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    if (i > 0 && i !== bestStart + bestLen) out += ':';
    out += g[i].toString(16);
  }
  return out;
}

/** Scratch groups for formatIPv6 (single-threaded, never escapes). */
const GROUPS = new Uint16Array(8);

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
  // The low byte through a Number: no BigInt allocated (IPv4 values fit a double exactly).
  const last = ip.value <= 0xffffffffn ? Number(ip.value) % 256 : Number(ip.value & 255n);
  return last === 0 || last === 255;
}

/** Canonical text of an address string if it parses, otherwise the input unchanged. */
export function canonicalIP(text: string): string {
  const ip = parseIP(text.trim());
  return ip ? formatIP(ip) : text;
}
