// MetalLB hands out every address of a CIDR, network (.0) and broadcast (.255) included, starting
// at the network address. Some clients and routers drop traffic to those; avoidBuggyIPs skips them.
import { formatIP, isBuggyIP, parseIP, type IP } from '../address/ip.js';
import { defineRule, type RuleContext } from '../lint/rule.js';
import type { Pool, PoolAddressEntry } from '../model/types.js';
import { isTemplated, poolFieldKey, poolLabel, setKeyFix } from './support/poolLocations.js';

export const rule = defineRule({
  meta: {
    id: 'pool-network-address',
    severity: 'info',
    description: 'A pool hands out IPv4 addresses ending in .0 or .255 (network/broadcast), which some clients and routers drop.',
    fixable: true,
  },
  check(ctx) {
    let held: HeldBuggy[] | undefined;
    for (const pool of ctx.model.pools) {
      if (!pool.doc || pool.avoidBuggyIPs) continue;
      const hits = pool.addresses.map((e) => ({ entry: e, buggy: buggyIn(e) })).filter((h) => h.buggy);
      if (hits.length === 0) continue;
      const inUse = buggyInUse((held ??= heldBuggyIPs(ctx)), hits.map((h) => h.entry));
      hits.forEach(({ entry, buggy }, i) => {
        ctx.report({
          doc: pool.doc,
          path: entry.path,
          message: message(ctx, pool, entry, buggy!, inUse),
          // One fix per pool is enough: it is the same edit.
          fixes: i === 0 ? fixFor(ctx, pool) : undefined,
          data: { pool: pool.name, addresses: buggy, inUse: inUse.map((u) => u.ip) },
        });
      });
    }
  },
});

/** The first buggy addresses of an entry (at most 2 shown), or undefined; /31, /32 and IPv6 are never reported. */
function buggyIn(entry: PoolAddressEntry): string[] | undefined {
  if (isTemplated(entry.text) || entry.cidrs.length === 0 || entry.cidrs[0].family !== 'ipv4') return undefined;
  const start = entry.cidrs[0].start;
  const end = entry.cidrs[entry.cidrs.length - 1].end;
  if (end - start + 1n <= 2n) return undefined;
  const found: string[] = [];
  // First .0 and first .255 at or after start.
  const base = start - (start & 255n);
  for (const cand of [base, base + 255n, base + 256n]) {
    if (cand >= start && cand <= end && found.length < 2 && !found.includes(formatIP({ family: 'ipv4', value: cand }))) {
      found.push(formatIP({ family: 'ipv4', value: cand }));
    }
  }
  return found.length ? found : undefined;
}

interface InUse {
  ip: string;
  services: string[];
}

interface HeldBuggy {
  ip: IP;
  service: string;
}

/** Every .0/.255 IP a Service holds (manifests' status, then the cluster state), parsed once for all pools. */
function heldBuggyIPs(ctx: RuleContext): HeldBuggy[] {
  const out: HeldBuggy[] = [];
  const state = ctx.state?.model.services ?? [];
  // The state may be the input itself (`status`): its Services once.
  for (const services of state === ctx.model.services ? [state] : [ctx.model.services, state]) {
    // Index loops: every Service's IPs, mostly before the optimizing compiler has seen this.
    for (let s = 0; s < services.length; s++) {
      const svc = services[s];
      for (let i = 0; i < svc.ingressIPs.length; i++) {
        const text = svc.ingressIPs[i];
        // Dotted-quad text (no leading zeros) is a .0/.255 address only if it ends so: the others
        // are not parsed. IPv6 text may hold an IPv4-mapped address: parsed.
        if (!text.includes(':') && !text.endsWith('.0') && !text.endsWith('.255')) continue;
        const ip = parseIP(text);
        if (ip && isBuggyIP(ip)) out.push({ ip, service: svc.key });
      }
    }
  }
  return out;
}

/** Services whose current IPs (manifests' status or the cluster state) are buggy addresses of these entries. */
function buggyInUse(held: HeldBuggy[], entries: PoolAddressEntry[]): InUse[] {
  const out = new Map<string, Set<string>>();
  for (const { ip, service } of held) {
    if (!entries.some((e) => inEntry(e, ip))) continue;
    const key = formatIP(ip);
    out.set(key, (out.get(key) ?? new Set()).add(service));
  }
  return [...out].map(([ip, s]) => ({ ip, services: [...s].sort() }));
}

function inEntry(e: PoolAddressEntry, ip: IP): boolean {
  return e.cidrs.some((c) => c.family === ip.family && ip.value >= c.start && ip.value <= c.end);
}

function message(ctx: RuleContext, pool: Pool, entry: PoolAddressEntry, buggy: string[], inUse: InUse[]): string {
  const key = poolFieldKey(pool, 'avoidBuggyIPs');
  const firstIsBuggy = entry.cidrs[0].start === parseIP(buggy[0])!.value;
  let text =
    `MetalLB hands out ${buggy.join(' and ')} from "${entry.text}"${firstIsBuggy ? ` (${buggy[0]} first: it scans from the network address)` : ''}; ` +
    'some clients and routers drop traffic to addresses ending in .0 or .255. ';
  if (pool.source === 'AddressPool') {
    text += 'The legacy AddressPool has no avoidBuggyIPs: start the range at .1 instead, or move to an IPAddressPool.';
  } else if (pool.source === 'IPAddressPool' && !ctx.behaviour.avoidBuggyIPs) {
    text += `MetalLB ${ctx.behaviour.version} lacks avoidBuggyIPs (0.13.0–0.13.3 dropped it; ≥0.13.4 has it): write a range that starts at .1 and ends at .254, or upgrade.`;
  } else {
    text += `Set ${key}: true on ${poolLabel(pool)} (MetalLB then skips every .0/.255 address), or write a range that starts at .1.`;
  }
  if (inUse.length > 0 && pool.source !== 'AddressPool') {
    const held = inUse.map((u) => `${u.ip} (${u.services.join(', ')})`).join(', ');
    text += ctx.behaviour.staleConfigOnEdit
      ? ` Careful: ${held} in use; with ${key} MetalLB ${ctx.behaviour.version} rejects the new config as stale ("cannot own … under new config") until that Service moves.`
      : ` Careful: ${held} in use; enabling ${key} takes it away and MetalLB re-allocates a new IP to that Service.`;
  }
  return text;
}

function fixFor(ctx: RuleContext, pool: Pool) {
  if (pool.source === 'AddressPool') return undefined;
  if (pool.source === 'IPAddressPool' && !ctx.behaviour.avoidBuggyIPs) return undefined;
  const mapping = pool.source === 'ConfigMap' ? pool.docPath : ['spec'];
  const key = poolFieldKey(pool, 'avoidBuggyIPs');
  const fix = setKeyFix(ctx.files, pool.doc!, mapping, poolFieldKey(pool, 'addresses'), key, 'true', `Set ${key}: true (skip .0 and .255 addresses)`);
  return fix ? [fix] : undefined;
}
