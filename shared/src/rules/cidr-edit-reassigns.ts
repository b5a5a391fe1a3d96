// A pool edit (against --baseline) that takes addresses Services hold out of the pools (seed 002).
// ≥0.14.2 MetalLB unassigns and re-allocates those Services (new IP or Pending); ≤0.13.x refuses the
// whole new configuration as stale and keeps the old pools. planPoolChange names every move.
import { type Cidr, formatCidr, summarizeRange } from '../address/cidr.js';
import { type Family, formatIP, parseIP } from '../address/ip.js';
import { IntervalSet } from '../address/intervalSet.js';
import type { RelatedLocation } from '../findings/finding.js';
import { defineRule, type RuleContext } from '../lint/rule.js';
import type { PathSegment } from '../manifest/document.js';
import { planPoolChange } from '../metallb/plan.js';
import type { PlanEntry } from '../metallb/types.js';
import type { ClusterModel, Pool, Service } from '../model/types.js';
import { isMetalLBService, poolHolds, readablePools, requestedIPs } from './support/metallbService.js';
import { poolsByName } from './support/poolLocations.js';
import { PoolsByAddress } from './support/poolsByAddress.js';

const FAMILIES: Family[] = ['ipv4', 'ipv6'];

function familySet(pools: Pool[], family: Family): IntervalSet {
  return IntervalSet.of(pools.flatMap((p) => p.cidrs.filter((c) => c.family === family)));
}

/** Removed addresses as CIDRs (few) or ranges, and their count (BigInt-safe). */
function describeSet(set: IntervalSet, family: Family): { text: string; size: bigint } {
  const parts: string[] = [];
  for (const iv of set.intervals()) {
    const cidrs: Cidr[] = summarizeRange(family, iv.start, iv.end);
    if (cidrs.length <= 2) parts.push(...cidrs.map((c) => (c.start === c.end ? formatIP({ family, value: c.start }) : formatCidr(c))));
    else parts.push(`${formatIP({ family, value: iv.start })}-${formatIP({ family, value: iv.end })}`);
  }
  return { text: parts.join(', '), size: set.size() };
}

interface Holder {
  svc: Service;
  ips: string[];
}

/** Services and the IPs they hold: from the state when given, else status, else requested IPs. */
function holders(ctx: RuleContext): { list: Holder[]; source: 'state' | 'inputs' } {
  if (ctx.state) {
    const list = ctx.state.model.services.filter((s) => s.type === 'LoadBalancer' && s.ingressIPs.length).map((svc) => ({ svc, ips: svc.ingressIPs }));
    return { list, source: 'state' };
  }
  const list: Holder[] = [];
  for (const svc of ctx.model.services) {
    if (!isMetalLBService(svc, ctx.model, ctx.behaviour)) continue;
    if (svc.ingressIPs.length) list.push({ svc, ips: svc.ingressIPs });
    else {
      const req = requestedIPs(svc, ctx.behaviour);
      if (req && req.ips.every(Boolean)) list.push({ svc, ips: req.texts });
    }
  }
  return { list, source: 'inputs' };
}

/** Where to point for a pool's edit: the entry that changed, the addresses list, or the pool. */
function editLocation(oldPool: Pool, newPool: Pool | undefined): { pool: Pool; path: PathSegment[]; part: 'key' | 'value' } | undefined {
  if (!newPool) return oldPool.doc ? { pool: oldPool, path: [...oldPool.docPath, 'metadata', 'name'], part: 'value' } : undefined;
  const oldTexts = new Set(oldPool.addresses.map((a) => a.text));
  const changed = newPool.addresses.find((a) => !oldTexts.has(a.text));
  if (changed) return { pool: newPool, path: changed.path, part: 'value' };
  if (newPool.avoidBuggyIPs && !oldPool.avoidBuggyIPs) return { pool: newPool, path: newPool.source === 'ConfigMap' ? [...newPool.docPath, 'avoid-buggy-ips'] : ['spec', 'avoidBuggyIPs'], part: 'key' };
  const listPath = newPool.addresses[0]?.path.slice(0, -1) ?? (newPool.source === 'ConfigMap' ? [...newPool.docPath, 'addresses'] : ['spec', 'addresses']);
  return { pool: newPool, path: listPath, part: 'key' };
}

function withIPs(model: ClusterModel, list: Holder[]): ClusterModel {
  return { ...model, services: list.map((h) => ({ ...h.svc, ingressIPs: h.ips })) };
}

export const rule = defineRule({
  meta: {
    id: 'cidr-edit-reassigns',
    severity: 'error',
    description: 'A pool edit takes in-use addresses out of the pools: MetalLB moves those Services to new IPs (≥0.14.2) or refuses the config as stale (≤0.13).',
    requires: ['baseline'],
  },
  check(ctx) {
    if (!ctx.baseline) return;
    const b = ctx.behaviour;
    const oldPools = readablePools(ctx.baseline.model, b);
    const newPools = readablePools(ctx.model, b);
    if (oldPools.length === 0) return;
    const { list, source } = holders(ctx);
    const newSets = Object.fromEntries(FAMILIES.map((f) => [f, familySet(newPools, f)])) as Record<Family, IntervalSet>;

    // Held IPs that an old pool held and no new pool holds, grouped by old pool.
    const lostByPool = new Map<string, { svc: Service; ip: string }[]>();
    const [oldByAddress, newByAddress] = [new PoolsByAddress(oldPools), new PoolsByAddress(newPools)];
    for (const h of list) {
      for (const t of h.ips) {
        const ip = parseIP(t);
        if (!ip) continue;
        const before = oldByAddress.covering(ip).find((p) => poolHolds(p, ip, b));
        if (!before || newByAddress.covering(ip).some((p) => poolHolds(p, ip, b))) continue;
        const arr = lostByPool.get(before.name) ?? [];
        arr.push({ svc: h.svc, ip: t });
        lostByPool.set(before.name, arr);
      }
    }

    let plan: PlanEntry[] | undefined;
    let configError: string | undefined;
    if (lostByPool.size) {
      try {
        const result = planPoolChange(withIPs(ctx.baseline.model, list), ctx.model, {
          version: b.version,
          network: ctx.network,
          lbClass: ctx.model.metallb.lbClass,
          namespace: ctx.model.metallb.namespace,
        });
        plan = result.entries;
        configError = result.configError?.message;
      } catch {
        plan = undefined;
      }
    }

    const newPoolNamed = poolsByName(newPools);
    for (const oldPool of oldPools) {
      const newPool = newPoolNamed.get(oldPool.name);
      const loc = editLocation(oldPool, newPool);
      if (!loc?.pool.doc) continue;
      const removedParts = FAMILIES.map((f) => ({ f, set: familySet([oldPool], f).difference(newSets[f]) })).filter((x) => !x.set.isEmpty());
      const buggyOn = !!newPool && newPool.avoidBuggyIPs && !oldPool.avoidBuggyIPs && b.avoidBuggyIPs;
      if (removedParts.length === 0 && !buggyOn) continue;
      const removedText = removedParts.map((x) => describeSet(x.set, x.f)).map((d) => `${d.text} (${d.size} address${d.size === 1n ? '' : 'es'})`).join(' and ');
      const what = newPool
        ? `This edit of pool ${oldPool.name} removes ${removedText || 'the .0/.255 addresses (avoidBuggyIPs)'}`
        : `Deleting pool ${oldPool.name} removes ${removedText}`;
      const lost = lostByPool.get(oldPool.name) ?? [];
      const deletedNote = newPool ? '' : ' (the pool is gone; shown at its old position)';
      const related: RelatedLocation[] = [];
      for (const l of lost) {
        const d = l.svc.doc;
        if (d) related.push({ file: d.file, range: d.locate(['metadata', 'name']).range, message: `${l.svc.key} holds ${l.ip}` });
      }
      if (lost.length === 0) {
        if (source === 'state') continue;
        ctx.report({
          doc: loc.pool.doc,
          path: loc.path,
          part: loc.part,
          severity: 'warning',
          message:
            `${what}${deletedNote}. lbguard has no cluster state, so it cannot tell whether Services hold addresses there; any that do ` +
            (b.staleConfigOnEdit
              ? `make MetalLB ${b.version} refuse the new configuration as stale ("new config not compatible with assigned IPs") and keep the old pools.`
              : `are unassigned and re-allocated by MetalLB ${b.version}: they change IP or go Pending.`) +
            ' Run with --state (or against the cluster) to see which Services move.',
          data: { pool: oldPool.name, removed: removedText, moves: [] },
        });
        continue;
      }
      const keys = new Set(lost.map((l) => l.svc.key));
      const entries = (plan ?? []).filter((e) => keys.has(e.key));
      const moves = lost.map((l) => {
        const e = entries.find((x) => x.key === l.svc.key);
        return {
          service: l.svc.key,
          from: l.ip,
          to: e && e.change === 'moved' ? e.after.join(',') : null,
          pool: e?.poolAfter ?? null,
          change: e?.change ?? (b.staleConfigOnEdit ? 'stale' : 'moved'),
          reason: e?.reason,
          message: e?.message,
        };
      });
      let message: string;
      if (b.staleConfigOnEdit) {
        const first = lost[0];
        const err = configError ?? `new config not compatible with assigned IPs: service "${first.svc.key}" cannot own ["${first.ip}"] under new config`;
        message =
          `${what}${deletedNote}, but ${lost.map((l) => `${l.svc.key} holds ${l.ip}`).join(', ')}. MetalLB ${b.version} refuses the whole new configuration: ${err}. ` +
          'It keeps running on the old pools (config marked stale), so neither this edit nor any later pool change applies until those Services release the addresses. Move them first, then edit the pool.';
      } else {
        const fates = moves.map((mv) =>
          mv.change === 'moved'
            ? `${mv.service} ${mv.from} → ${mv.to}${mv.pool ? ` (pool ${mv.pool})` : ''}`
            : mv.change === 'lost'
              ? `${mv.service} ${mv.from} → Pending${mv.message ? ` (${mv.message})` : ''}`
              : `${mv.service} ${mv.from} → re-allocated`,
        );
        message =
          `${what}${deletedNote}, where Services hold IPs. MetalLB ${b.version} unassigns them and re-allocates (ClearAssignment, then a new IP or Pending): ${fates.join('; ')}. ` +
          'Clients, DNS records and firewall rules that use the old IPs break. Keep the in-use addresses in the pool, or move those Services deliberately first.';
      }
      ctx.report({ doc: loc.pool.doc, path: loc.path, part: loc.part, message, related, data: { pool: oldPool.name, removed: removedText, moves } });
    }
  },
});
