// One entry of a MetalLB pool's `addresses` list, accepted and rejected exactly as MetalLB's
// config.ParseCIDR does (identical from v0.12.1 to HEAD), with MetalLB's own error text.
import { type Cidr, parseCidr, summarizeRange } from './cidr.js';
import { type IP, formatIP, parseIP } from './ip.js';

export type PoolAddressResult =
  | { ok: true; kind: 'cidr'; cidrs: Cidr[]; hadHostBits: boolean; written: IP }
  | { ok: true; kind: 'range'; cidrs: Cidr[]; start: IP; end: IP }
  | { ok: false; error: string };

export function parsePoolAddress(entry: string): PoolAddressResult {
  const dash = entry.indexOf('-');
  if (dash < 0) {
    // CIDR form: no trimming, a bare IP is invalid.
    const parsed = parseCidr(entry);
    if (!parsed) return { ok: false, error: `invalid CIDR "${entry}"` };
    return { ok: true, kind: 'cidr', cidrs: [parsed.cidr], hadHostBits: parsed.hadHostBits, written: parsed.address };
  }
  const startText = entry.slice(0, dash).trim();
  const endText = entry.slice(dash + 1).trim();
  const start = parseIP(startText);
  if (!start) return { ok: false, error: `invalid IP range "${entry}": invalid start IP "${startText}"` };
  const end = parseIP(endText);
  if (!end) return { ok: false, error: `invalid IP range "${entry}": invalid end IP "${endText}"` };
  if (start.family !== end.family) {
    // MetalLB never tested this; Go compares the 16-byte forms and Summarize yields nothing useful.
    // lbguard refuses it outright rather than guess.
    return { ok: false, error: `invalid IP range "${entry}": start IP "${startText}" and end IP "${endText}" are of different families` };
  }
  if (start.value > end.value) {
    return {
      ok: false,
      error: `invalid IP range "${entry}": start IP "${formatIP(start)}" is after the end IP "${formatIP(end)}"`,
    };
  }
  return { ok: true, kind: 'range', cidrs: summarizeRange(start.family, start.value, end.value), start, end };
}
