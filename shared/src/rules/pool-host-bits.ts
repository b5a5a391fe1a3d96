// A CIDR written with host bits (`192.168.1.5/24`): MetalLB masks them without a word, so the pool
// owns the whole /24, starting at its network address, not the addresses from .5 on.
import { type Cidr, cidrSize, formatCidr } from '../address/cidr.js';
import { formatIP } from '../address/ip.js';
import { defineRule } from '../lint/rule.js';
import { isTemplated, poolLabel, replaceScalarFix } from './support/poolLocations.js';

export const rule = defineRule({
  meta: {
    id: 'pool-host-bits',
    severity: 'warning',
    description: 'A pool CIDR with host bits set, which MetalLB silently masks to a larger network.',
    fixable: true,
  },
  check(ctx) {
    for (const pool of ctx.model.pools) {
      if (!pool.doc) continue;
      for (const entry of pool.addresses) {
        if (!entry.hadHostBits || isTemplated(entry.text) || entry.cidrs.length !== 1) continue;
        const cidr = entry.cidrs[0];
        const masked = formatCidr(cidr);
        const written = entry.text.slice(0, entry.text.indexOf('/'));
        const first = formatIP({ family: cidr.family, value: cidr.start });
        const last = formatIP({ family: cidr.family, value: cidr.end });
        const fix = replaceScalarFix(ctx.files, pool.doc, entry.path, entry.text, masked, `Write the network MetalLB uses: ${masked}`);
        ctx.report({
          doc: pool.doc,
          path: entry.path,
          message:
            `MetalLB masks the host bits of "${entry.text}" and reads it as ${masked}: ${poolLabel(pool)} owns ${size(cidr)} addresses from ${first} to ${last}, and hands out ${first} first. ` +
            `Write ${masked} if that is intended; if you meant only the addresses from ${written} on, write a range such as ${written}-${last} (or ${written}/${cidr.family === 'ipv4' ? 32 : 128} for one address).`,
          fixes: fix ? [fix] : undefined,
          data: { pool: pool.name, written: entry.text, masked },
        });
      }
    }
  },
});

function size(c: Cidr): string {
  const n = cidrSize(c);
  return n > 1_000_000n ? `2^${c.family === 'ipv4' ? 32 - c.prefix : 128 - c.prefix}` : n.toString();
}
