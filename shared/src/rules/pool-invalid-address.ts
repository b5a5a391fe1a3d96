// An `addresses` entry MetalLB refuses (config.ParseCIDR), or a pool with no addresses at all.
// MetalLB parses every pool of its namespace as one configuration, so one bad entry stops them all.
import type { Fix } from '../findings/finding.js';
import { parseCidr } from '../address/cidr.js';
import { parseIP } from '../address/ip.js';
import { parsePoolAddress } from '../address/poolAddress.js';
import { defineRule, type RuleContext } from '../lint/rule.js';
import type { Pool, PoolAddressEntry } from '../model/types.js';
import { configRejected, isTemplated, poolFieldPath, poolLabel, replaceScalarFix } from './support/poolLocations.js';

export const rule = defineRule({
  meta: {
    id: 'pool-invalid-address',
    severity: 'error',
    description: 'A pool address MetalLB cannot parse (bad CIDR, bare IP, reversed range) or a pool with no addresses.',
    fixable: true,
  },
  check(ctx) {
    for (const pool of ctx.model.pools) {
      if (!pool.doc) continue;
      checkEmpty(ctx, pool);
      for (const entry of pool.addresses) {
        if (!entry.error || isTemplated(entry.text)) continue;
        ctx.report({
          doc: pool.doc,
          path: entry.path,
          message: `MetalLB refuses this address: ${entry.error}${hint(entry)}. ${configRejected(pool)}`,
          fixes: fixesFor(ctx, pool, entry),
          data: { pool: pool.name, entry: entry.text, metallbError: entry.error },
        });
      }
    }
  },
});

function hint(entry: PoolAddressEntry): string {
  const t = entry.text;
  if (t.trim() !== t || /\s/.test(t)) {
    if (!t.includes('-')) return ' (MetalLB does not trim spaces in a CIDR)';
  }
  if (!t.includes('-') && !t.includes('/') && parseIP(t)) return ` (a single address must be written as a CIDR: ${single(t)})`;
  if (/is after the end IP/.test(entry.error ?? '')) return ' (the start and end are reversed)';
  return '';
}

function single(ipText: string): string {
  const ip = parseIP(ipText)!;
  return `${ipText}/${ip.family === 'ipv4' ? 32 : 128}`;
}

function fixesFor(ctx: RuleContext, pool: Pool, entry: PoolAddressEntry): Fix[] | undefined {
  const t = entry.text;
  let replacement: string | undefined;
  let title = '';
  if (!t.includes('-')) {
    const compact = t.replace(/\s+/g, '');
    if (compact !== t && parseCidr(compact)) {
      replacement = compact;
      title = `Remove the spaces: ${compact}`;
    } else if (!compact.includes('/') && parseIP(compact)) {
      replacement = single(compact);
      title = `Write the single address as ${replacement}`;
    }
  } else if (/is after the end IP/.test(entry.error ?? '')) {
    const dash = t.indexOf('-');
    const swapped = `${t.slice(dash + 1).trim()}-${t.slice(0, dash).trim()}`;
    if (parsePoolAddress(swapped).ok) {
      replacement = swapped;
      title = `Swap the range bounds: ${swapped}`;
    }
  }
  if (replacement === undefined || !pool.doc) return undefined;
  const fix = replaceScalarFix(ctx.files, pool.doc, entry.path, t, replacement, title);
  return fix ? [fix] : undefined;
}

function checkEmpty(ctx: RuleContext, pool: Pool): void {
  const doc = pool.doc!;
  const path = poolFieldPath(pool, 'addresses');
  const raw = doc.get(path);
  if (raw === undefined || raw === null) {
    const where = pool.source === 'ConfigMap' ? [...pool.docPath, 'name'] : doc.has(['spec']) ? ['spec'] : ['metadata', 'name'];
    const message =
      pool.source === 'ConfigMap'
        ? `${poolLabel(pool)} has no addresses: MetalLB ≤0.12 rejects the whole config ("pool has no prefixes defined") and keeps its previous one. Add an addresses list.`
        : `${poolLabel(pool)} has no spec.addresses: the API server rejects it (the CRD requires the field), and MetalLB's parser would say "pool has no prefixes defined". Add the CIDRs or ranges the pool owns.`;
    ctx.report({ doc, path: where, part: pool.source === 'ConfigMap' ? 'value' : 'key', message, data: { pool: pool.name } });
    return;
  }
  if (Array.isArray(raw) && raw.length === 0) {
    ctx.report({
      doc,
      path,
      message: `${poolLabel(pool)} has an empty address list: MetalLB refuses it ("pool has no prefixes defined"). ${configRejected(pool)} Add addresses, or delete the pool.`,
      data: { pool: pool.name },
    });
  }
}
