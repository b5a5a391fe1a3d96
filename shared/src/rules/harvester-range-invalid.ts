// Harvester IPPool ranges its webhook refuses (MakeRange errors, empty ranges) or that it silently
// changes (host-bit subnet masked, rangeStart/rangeEnd swapped, default gateway excluded), and
// IPPools written with the wrong API group from Harvester's docs.
import { formatCidr } from '../address/cidr.js';
import { formatIP } from '../address/ip.js';
import type { Fix } from '../findings/finding.js';
import { makeRange, countRange, HARVESTER_LB_GROUP, HARVESTER_WRONG_GROUP, type AllocRange } from '../harvester/ranges.js';
import { defineRule, type RuleContext } from '../lint/rule.js';
import type { HarvesterIPPool, HarvesterRange } from '../model/types.js';
import { isTemplated, replaceScalarFix } from './support/poolLocations.js';

export const rule = defineRule({
  meta: {
    id: 'harvester-range-invalid',
    severity: 'error',
    description: 'Harvester IPPool ranges the webhook refuses or Harvester silently changes, and IPPools with the wrong API group.',
    fixable: true,
  },
  check(ctx) {
    checkWrongGroup(ctx);
    for (const pool of ctx.model.harvesterPools) {
      if (!pool.doc) continue;
      if (pool.ranges.length === 0) {
        const raw = pool.doc.get(['spec', 'ranges']);
        if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) {
          ctx.report({
            doc: pool.doc,
            path: raw === undefined || raw === null ? (pool.doc.has(['spec']) ? ['spec'] : ['metadata', 'name']) : ['spec', 'ranges'],
            part: raw === undefined || raw === null ? 'key' : 'value',
            message: `IPPool "${pool.name}" has no ranges: Harvester's webhook denies it ("can't create IP pool ${pool.name} because range can't be empty"). Add at least one range with a subnet.`,
            data: { pool: pool.name },
          });
        }
        continue;
      }
      pool.ranges.forEach((r) => checkRange(ctx, pool, r));
    }
  },
});

function checkRange(ctx: RuleContext, pool: HarvesterIPPool, r: HarvesterRange): void {
  const doc = pool.doc!;
  if ([r.subnet, r.rangeStart, r.rangeEnd, r.gateway].some((v) => v && isTemplated(v))) return;
  const m = makeRange(r);
  if (!m.ok) {
    const what = m.field === 'subnet' ? `subnet "${r.subnet}" is not a CIDR (Harvester: "${m.error}")` : m.error.replace(/^invalid [a-z ]+ [^:]+: /, '');
    ctx.report({
      doc,
      path: [...r.path, m.field],
      message:
        `Harvester refuses this range: ${what}. Its webhook denies the IPPool ("can't create IP pool ${pool.name} because ${m.error}"), and a pool already stored with it gets no allocator, so no LoadBalancer gets an IP from it. ` +
        (m.field === 'subnet' ? 'Write the subnet as a CIDR such as 192.168.5.0/24.' : `Use an address inside ${m.error.includes('out of subnet') ? 'the subnet' : 'the subnet, other than its network and broadcast addresses'}.`),
      data: { pool: pool.name, field: m.field, harvesterError: m.error },
    });
    return;
  }
  const range = m.range;
  if (range.subnetHadHostBits) {
    const masked = formatCidr(range.subnet);
    const fix = replaceScalarFix(ctx.files, doc, [...r.path, 'subnet'], r.subnet, masked, `Write the subnet as ${masked}`);
    ctx.report({
      doc,
      path: [...r.path, 'subnet'],
      severity: 'warning',
      message: `Harvester masks the host bits of subnet "${r.subnet}" and uses ${masked}${r.rangeStart ? '' : `: without rangeStart the range starts at ${ip(range, range.subnet.start + 1n)}, not at the address written`}. Write ${masked}${r.rangeStart ? '' : ' and set rangeStart/rangeEnd for a narrower range'}.`,
      fixes: fix ? [fix] : undefined,
      data: { pool: pool.name, subnet: r.subnet, masked },
    });
  }
  if (range.swapped && r.rangeStart && r.rangeEnd) {
    const a = replaceScalarFix(ctx.files, doc, [...r.path, 'rangeStart'], r.rangeStart, r.rangeEnd, '');
    const b = replaceScalarFix(ctx.files, doc, [...r.path, 'rangeEnd'], r.rangeEnd, r.rangeStart, '');
    const fixes: Fix[] | undefined = a && b ? [{ title: 'Swap rangeStart and rangeEnd', edits: [...a.edits, ...b.edits] }] : undefined;
    ctx.report({
      doc,
      path: [...r.path, 'rangeStart'],
      severity: 'warning',
      message: `rangeStart ${r.rangeStart} is after rangeEnd ${r.rangeEnd}: Harvester swaps them without a word and allocates ${formatRangeText(range)}. Swap them so the manifest says what Harvester does.`,
      fixes,
      data: { pool: pool.name },
    });
  }
  // The default gateway (.1) is never handed out; say so when the user wrote a range that includes it.
  if (range.defaultGateway && range.gateway !== undefined && range.gateway >= range.start && range.gateway <= range.end && (r.rangeStart || r.rangeEnd)) {
    const gw = ip(range, range.gateway);
    ctx.report({
      doc,
      path: [...r.path, r.rangeStart ? 'rangeStart' : 'rangeEnd'],
      severity: 'info',
      message: `No gateway is set, so Harvester takes ${gw} as the gateway and never hands it out: this range gives ${countRange(range)} addresses, not ${countRange(range) + 1n}. Set gateway: to the real gateway if it is not ${gw}.`,
      data: { pool: pool.name, gateway: gw },
    });
  }
}

function ip(r: AllocRange, v: bigint): string {
  return formatIP({ family: r.family, value: v });
}

function formatRangeText(r: AllocRange): string {
  return `${ip(r, r.start)}–${ip(r, r.end)}`;
}

function checkWrongGroup(ctx: RuleContext): void {
  for (const file of ctx.files) {
    for (const doc of file.documents) {
      if (doc.kind !== 'IPPool' || !doc.apiVersion.startsWith(`${HARVESTER_WRONG_GROUP}/`)) continue;
      const right = doc.apiVersion.replace(HARVESTER_WRONG_GROUP, HARVESTER_LB_GROUP);
      const fix = replaceScalarFix(ctx.files, doc, ['apiVersion'], doc.apiVersion, right, `Use ${right}`);
      ctx.report({
        doc,
        path: ['apiVersion'],
        message: `IPPool "${doc.name}" uses apiVersion ${doc.apiVersion}, the group Harvester's docs show by mistake: there is no such API, so kubectl refuses it (no matches for kind "IPPool" in version "${doc.apiVersion}"). Harvester's IPPool is ${right}.`,
        fixes: fix ? [fix] : undefined,
        data: { apiVersion: doc.apiVersion },
      });
    }
  }
}
