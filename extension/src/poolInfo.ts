// Hovers and code lenses: what an IP, CIDR or range belongs to, and how full each pool is.
// Pool definitions come from the workspace (what the user edits); who holds which IP comes from
// the cluster state (state file or live snapshot) when known, else from the IPs the manifests'
// Services request (marked as such).
import { cidrSize, formatCidr, parseCidr } from '../../shared/src/address/cidr.js';
import { formatIP, type IP, parseIP } from '../../shared/src/address/ip.js';
import { parsePoolAddress } from '../../shared/src/address/poolAddress.js';
import type { ManifestFile } from '../../shared/src/manifest/parse.js';
import type { ClusterModel, Pool, Service } from '../../shared/src/model/types.js';
import { behaviourFor, type MetalLBBehaviour } from '../../shared/src/metallb/versions.js';
import { poolContains, poolTotals } from '../../shared/src/status/pools.js';
import { requestedIPs } from '../../shared/src/status/report.js';

export interface UsageContext {
  /** Pools and Services of the workspace. */
  model: ClusterModel;
  /** The cluster's objects (state file / live), when known. */
  state?: ClusterModel;
  stateLabel?: string;
  version?: string;
}

export interface PoolUsageInfo {
  pool: Pool;
  total: bigint;
  ipv4: bigint;
  ipv6: bigint;
  used: bigint;
  free: bigint;
  /** IP → Services holding (state) or requesting (manifests) it. */
  holders: { ip: string; services: string[] }[];
  /** Where `used` comes from. */
  source: 'state' | 'manifests';
}

function behaviour(version?: string): MetalLBBehaviour {
  try {
    return behaviourFor(version);
  } catch {
    return behaviourFor();
  }
}

/** IP → Service keys: ingress IPs from the state, else requested IPs from the manifests. */
function ipHolders(ctx: UsageContext): { map: Map<string, string[]>; source: 'state' | 'manifests' } {
  const b = behaviour(ctx.version);
  const map = new Map<string, string[]>();
  const add = (ip: string, s: Service) => {
    const p = parseIP(ip.trim());
    if (!p) return;
    const key = formatIP(p);
    const list = map.get(key) ?? [];
    if (!list.includes(s.key)) list.push(s.key);
    map.set(key, list);
  };
  if (ctx.state) {
    for (const s of ctx.state.services) if (s.type === 'LoadBalancer') for (const ip of s.ingressIPs) add(ip, s);
    return { map, source: 'state' };
  }
  for (const s of ctx.model.services) if (s.type === 'LoadBalancer') for (const ip of requestedIPs(s, b) ?? []) add(ip, s);
  return { map, source: 'manifests' };
}

export function poolUsage(pool: Pool, ctx: UsageContext, holders = ipHolders(ctx)): PoolUsageInfo {
  const t = poolTotals(pool, behaviour(ctx.version));
  const inPool: { ip: string; services: string[] }[] = [];
  for (const [ip, services] of holders.map) {
    const p = parseIP(ip);
    if (p && poolContains(pool, p)) inPool.push({ ip, services: [...services].sort() });
  }
  inPool.sort((a, b) => cmpIP(a.ip, b.ip));
  const total = t.ipv4 + t.ipv6;
  const used = BigInt(inPool.length);
  return { pool, total, ipv4: t.ipv4, ipv6: t.ipv6, used, free: total > used ? total - used : 0n, holders: inPool, source: holders.source };
}

export function allPoolUsage(ctx: UsageContext): PoolUsageInfo[] {
  const holders = ipHolders(ctx);
  return ctx.model.pools.map((p) => poolUsage(p, ctx, holders));
}

function cmpIP(a: string, b: string): number {
  const x = parseIP(a);
  const y = parseIP(b);
  if (!x || !y) return a.localeCompare(b);
  return x.family === y.family ? (x.value < y.value ? -1 : x.value > y.value ? 1 : 0) : x.family === 'ipv4' ? -1 : 1;
}

/** "12", "65,536", "18,446,744,073,709,551,616" (BigInt, no float rounding). */
export function formatCount(n: bigint): string {
  return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function serviceCount(u: PoolUsageInfo): number {
  return new Set(u.holders.flatMap((h) => h.services)).size;
}

/** The code lens title on a pool: "3 Services · 250 free". */
export function lensTitle(u: PoolUsageInfo): string {
  const n = serviceCount(u);
  const what = u.source === 'state' ? 'Service' : 'Service requesting';
  const services = u.source === 'state' ? `${n} ${what}${n === 1 ? '' : 's'}` : `${n} ${n === 1 ? 'Service requests' : 'Services request'} IPs`;
  return `${services} · ${formatCount(u.free)} free`;
}

// ---- the token under the cursor --------------------------------------------------------------

export type Token =
  | { kind: 'ip'; text: string; ip: IP; start: number; end: number }
  | { kind: 'cidr' | 'range'; text: string; start: number; end: number; first: IP; last: IP; size: bigint; cidrs: string[] }
  | { kind: 'pool-name'; text: string; start: number; end: number };

const ADDRESS_LIKE = /[0-9A-Fa-f:.]*[0-9A-Fa-f][0-9A-Fa-f:.]*(?:\/[0-9]{1,3})?(?:[ \t]*-[ \t]*[0-9A-Fa-f:.]*[0-9A-Fa-f][0-9A-Fa-f:.]*)?/g;

/** The IP, CIDR or range at `column` (0-based) of a line, if any. */
export function addressAt(line: string, column: number): Token | undefined {
  const code = stripComment(line);
  for (const m of code.matchAll(ADDRESS_LIKE)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (column < start || column > end) continue;
    const text = m[0];
    if (text.includes('-')) {
      const r = parsePoolAddress(text);
      if (r.ok && r.kind === 'range') {
        const size = r.cidrs.reduce((acc, c) => acc + cidrSize(c), 0n);
        return { kind: 'range', text, start, end, first: r.start, last: r.end, size, cidrs: r.cidrs.map(formatCidr) };
      }
      // "a - b" where only one side is under the cursor: try each side alone.
      const parts = text.split('-');
      let off = start;
      for (const part of parts) {
        const lead = part.length - part.trimStart().length;
        const t = part.trim();
        const s = off + lead;
        if (column >= s && column <= s + t.length) {
          const ip = parseIP(t);
          if (ip) return { kind: 'ip', text: t, ip, start: s, end: s + t.length };
        }
        off += part.length + 1;
      }
      continue;
    }
    if (text.includes('/')) {
      const c = parseCidr(text);
      if (c) return { kind: 'cidr', text, start, end, first: { family: c.cidr.family, value: c.cidr.start }, last: { family: c.cidr.family, value: c.cidr.end }, size: cidrSize(c.cidr), cidrs: [formatCidr(c.cidr)] };
      continue;
    }
    const ip = parseIP(text);
    if (ip) return { kind: 'ip', text, ip, start, end };
  }
  return undefined;
}

function stripComment(line: string): string {
  const i = line.search(/(^|\s)#/);
  return i < 0 ? line : line.slice(0, i) + ' '.repeat(line.length - i);
}

/** A pool name under the cursor: a pool's metadata.name, or an address-pool annotation value. */
export function poolNameAt(line: string, column: number, poolNames: Set<string>): Token | undefined {
  const m = /^(\s*(?:-\s+)?)(name|(?:metallb\.io|metallb\.universe\.tf)\/address-pool)\s*:\s*["']?([A-Za-z0-9._-]+)["']?/.exec(line);
  if (!m) return undefined;
  const value = m[3];
  const start = line.indexOf(value, m[1].length + m[2].length);
  if (column < start || column > start + value.length) return undefined;
  if (!poolNames.has(value)) return undefined;
  return { kind: 'pool-name', text: value, start, end: start + value.length };
}

// ---- hover text ------------------------------------------------------------------------------

export interface HoverResult {
  markdown: string;
  start: number;
  end: number;
}

function poolWhere(p: Pool): string {
  const ns = p.namespace ? `${p.namespace}/` : '';
  return `\`${ns}${p.name}\` (${p.source}${p.doc ? `, ${p.doc.file}:${p.doc.range.start.line}` : ''})`;
}

function usageLine(u: PoolUsageInfo, stateLabel?: string): string {
  if (u.source === 'state') {
    return `Used **${formatCount(u.used)}** of ${formatCount(u.total)} · **${formatCount(u.free)} free** (state: ${stateLabel ?? 'cluster'})`;
  }
  return `${formatCount(u.total)} addresses; manifests request ${formatCount(u.used)} of them (no cluster state loaded: set \`lbguard.stateFile\` or \`lbguard.cluster.context\` for used/free)`;
}

function holdersList(u: PoolUsageInfo, limit = 10): string {
  if (!u.holders.length) return u.source === 'state' ? 'No Service holds an IP of this pool.' : 'No Service requests an IP of this pool.';
  const rows = u.holders.slice(0, limit).map((h) => `- \`${h.ip}\` — ${h.services.join(', ')}`);
  if (u.holders.length > limit) rows.push(`- … and ${u.holders.length - limit} more`);
  return `${u.source === 'state' ? 'Held by' : 'Requested by'}:\n${rows.join('\n')}`;
}

/** Hover markdown for the token at (line text, 0-based column), or undefined. */
export function hoverFor(lineText: string, column: number, ctx: UsageContext): HoverResult | undefined {
  const names = new Set(ctx.model.pools.map((p) => p.name));
  const nameTok = poolNameAt(lineText, column, names);
  if (nameTok) {
    const pools = ctx.model.pools.filter((p) => p.name === nameTok.text);
    const parts = pools.map((p) => {
      const u = poolUsage(p, ctx);
      return [`**lbguard** · pool ${poolWhere(p)}`, `Addresses: ${p.addresses.map((a) => `\`${a.text}\``).join(', ') || '(none)'}`, usageLine(u, ctx.stateLabel), holdersList(u)].join('\n\n');
    });
    return { markdown: parts.join('\n\n---\n\n'), start: nameTok.start, end: nameTok.end };
  }
  const tok = addressAt(lineText, column);
  if (!tok || tok.kind === 'pool-name') return undefined;
  const lines: string[] = [];
  if (tok.kind === 'ip') {
    const pools = ctx.model.pools.filter((p) => poolContains(p, tok.ip));
    lines.push(`**lbguard** · \`${formatIP(tok.ip)}\``);
    if (!pools.length) lines.push('In no pool defined in this workspace.');
    for (const p of pools) {
      const u = poolUsage(p, ctx);
      const holder = u.holders.find((h) => h.ip === formatIP(tok.ip));
      lines.push(`In pool ${poolWhere(p)}`);
      lines.push(usageLine(u, ctx.stateLabel));
      if (holder) lines.push(`${u.source === 'state' ? 'Held by' : 'Requested by'} ${holder.services.join(', ')}`);
      else if (u.source === 'state') lines.push('Free: no Service holds it.');
    }
  } else {
    lines.push(`**lbguard** · ${tok.kind === 'cidr' ? 'CIDR' : 'range'} \`${tok.text.trim()}\``);
    lines.push(`Size **${formatCount(tok.size)}** · first \`${formatIP(tok.first)}\` · last \`${formatIP(tok.last)}\``);
    if (tok.kind === 'cidr' && tok.cidrs[0] !== tok.text.trim()) lines.push(`MetalLB reads it as \`${tok.cidrs[0]}\` (host bits masked).`);
    if (tok.kind === 'range' && tok.cidrs.length > 1) lines.push(`Summarised as ${tok.cidrs.map((c) => `\`${c}\``).join(', ')}`);
    const pools = ctx.model.pools.filter((p) => poolContains(p, tok.first) || poolContains(p, tok.last));
    for (const p of pools) {
      const u = poolUsage(p, ctx);
      const inside = u.holders.filter((h) => {
        const ip = parseIP(h.ip);
        return ip && ip.family === tok.first.family && ip.value >= tok.first.value && ip.value <= tok.last.value;
      });
      lines.push(`Pool ${poolWhere(p)}: ${usageLine(u, ctx.stateLabel)}`);
      if (u.source === 'state') lines.push(`In this ${tok.kind}: ${formatCount(BigInt(inside.length))} used · ${formatCount(tok.size - BigInt(inside.length))} free`);
      if (inside.length) lines.push(`${u.source === 'state' ? 'Held' : 'Requested'} here: ${inside.map((h) => `\`${h.ip}\` ${h.services.join(', ')}`).join('; ')}`);
    }
  }
  return { markdown: lines.join('\n\n'), start: tok.start, end: tok.end };
}

/** Pools defined in a file, with the 0-based line of their `metadata.name` (for code lenses). */
export function poolsInFile(model: ClusterModel, file: ManifestFile): { pool: Pool; line: number }[] {
  return model.pools
    .filter((p) => p.doc?.file === file.file)
    .map((p) => ({ pool: p, line: p.doc!.locate([...p.docPath, ...(p.source === 'ConfigMap' ? ['name'] : ['metadata', 'name'])], 'key').range.start.line - 1 }));
}
