// `loadbalancer.harvesterhci.io/manuallyReleaseIP` on an IPPool. Harvester removes the annotation
// whatever happens and only logs why it did nothing, so a wrong value fails silently.
import { parseIP } from '../address/ip.js';
import { MANUALLY_RELEASE_IP_ANNOTATION, parseReleaseAnnotation } from '../harvester/ranges.js';
import { defineRule, type RuleContext } from '../lint/rule.js';
import type { HarvesterIPPool } from '../model/types.js';

export const rule = defineRule({
  meta: {
    id: 'harvester-release-annotation-invalid',
    severity: 'warning',
    description: 'A manuallyReleaseIP annotation Harvester will drop without releasing anything.',
  },
  check(ctx) {
    for (const pool of ctx.model.harvesterPools) {
      const value = pool.annotations[MANUALLY_RELEASE_IP_ANNOTATION];
      if (value === undefined || value === '' || !pool.doc) continue;
      const problem = diagnose(ctx, pool, value);
      if (!problem) continue;
      ctx.report({
        doc: pool.doc,
        path: ['metadata', 'annotations', MANUALLY_RELEASE_IP_ANNOTATION],
        message: `${problem} Harvester removes the annotation anyway, releases nothing and only logs it (IP Pool ${pool.name} has a manual IP release request ${value.trim()}, …, skip).`,
        data: { pool: pool.name, value },
      });
    }
  },
});

function diagnose(ctx: RuleContext, pool: HarvesterIPPool, value: string): string | undefined {
  const req = parseReleaseAnnotation(value);
  const format = `write "<ip>: <lb-namespace>/<lb-name>", e.g. "192.168.5.12: default/cluster1-lb-3"`;
  if (!req.ok) {
    const ipPart = value.trim().split(' ')[0].replace(/:$/, '');
    if (value.split(':').length > 2 && parseIP(ipPart)?.family === 'ipv6') {
      return `Harvester splits this value on ":", so an IPv6 address cannot be released with this annotation ("it is not valid, skip"); release it by deleting the entry from status.allocated instead.`;
    }
    return `Harvester cannot parse "${value}" ("it is not valid, skip"): ${format}.`;
  }
  if (req.ip !== req.ip.trim()) {
    return `The IP part "${req.ip}" keeps its spaces (Harvester trims only after the colon), so it matches no status.allocated entry ("it has been released, skip"): write "${req.ip.trim()}: ${req.namespace}/${req.name}" with no space before the colon.`;
  }
  if (!parseIP(req.ip)) return `"${req.ip}" is not an IP address, so it matches no status.allocated entry ("it has been released, skip"): ${format}.`;
  const holder = `${req.namespace}/${req.name}`;
  const hasStatus = pool.doc?.has(['status']) ?? false;
  if (hasStatus) {
    const current = pool.allocated[req.ip];
    if (current === undefined) {
      return `${req.ip} is not in this pool's status.allocated ("it has been released, skip")${Object.keys(pool.allocated).length ? '' : ': the pool has no allocations'}. Check the IP against status.allocated (the key must be written exactly as there).`;
    }
    if (current !== holder) {
      return `${req.ip} is allocated to ${current}, not ${holder} ("it has been released, skip"): write "${req.ip}: ${current}" if that LoadBalancer is gone.`;
    }
  }
  const lbs = [...ctx.model.harvesterLoadBalancers, ...(ctx.state?.model.harvesterLoadBalancers ?? [])];
  if (lbs.some((lb) => lb.namespace === req.namespace && lb.name === req.name)) {
    return `LoadBalancer ${holder} still exists ("the lb ${holder} is still existing, skip"): Harvester releases IPs only of deleted LoadBalancers; delete the LoadBalancer (its IP is then released by itself) or leave the IP allocated.`;
  }
  return undefined;
}
