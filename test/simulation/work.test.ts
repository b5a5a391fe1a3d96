// Work guard for simulate() (not a timing test: it cannot flake under load). The number of
// convergeBalancer runs must stay linear in Services: a steady start re-adopts holders once, then
// one by-ingress pass, plus at most one reprocess-all for the ≥0.15 first-allocation trigger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePoolAddress } from '../../shared/src/address/poolAddress.js';
import type { ClusterModel, Pool, Service } from '../../shared/src/model/types.js';
import { startController } from '../../shared/src/metallb/simulate.js';

function model(n: number): ClusterModel {
  const pools: Pool[] = [];
  for (let p = 0; p < 10; p++) {
    const text = p < 8 ? `10.${p}.0.0/16` : `fd00:${p}::/64`;
    const r = parsePoolAddress(text);
    if (!r.ok) throw new Error(r.error);
    pools.push({ name: `pool-${p}`, namespace: 'metallb-system', source: 'IPAddressPool', addresses: [{ text, cidrs: r.cidrs, path: [] }], cidrs: r.cidrs, autoAssign: true, avoidBuggyIPs: false, serviceAllocation: { priority: p + 1, namespaces: [`ns-${p}`], namespaceSelectors: [], serviceSelectors: [] }, docPath: [] });
  }
  const services: Service[] = [];
  for (let i = 0; i < n; i++) {
    const p = i % 10;
    // A third already hold an IP in status.
    const ingress = i % 3 === 0 ? [p < 8 ? `10.${p}.${(i >> 8) & 255}.${i & 255}` : `fd00:${p}::${i.toString(16)}`] : [];
    services.push({ namespace: `ns-${p}`, name: `svc-${i}`, key: `ns-${p}/svc-${i}`, labels: {}, annotations: i % 7 === 0 ? { 'metallb.io/allow-shared-ip': 'k' } : {}, type: 'LoadBalancer', clusterIPs: [], ipFamilies: p < 8 ? [] : ['IPv6'], ports: [{ protocol: 'TCP', port: 80 + (i % 5) }], externalTrafficPolicy: 'Cluster', selector: {}, ingressIPs: ingress });
  }
  return { pools, services, namespaces: [], harvesterPools: [], harvesterLoadBalancers: [], events: [], metallb: { namespace: 'metallb-system' } };
}

for (const version of ['0.13.12', '0.14.8', '0.16.2']) {
  test(`simulate does linear work (reconciles per Service bounded), ${version}`, () => {
    const per: number[] = [];
    for (const n of [2_000, 8_000]) {
      const ctrl = startController(model(n), { version });
      per.push(ctrl.reconciles / n);
      if (process.env.LBG_DEBUG) console.log(version, n, ctrl.reconciles / n);
      assert.ok(ctrl.reconciles <= 3 * n, `${ctrl.reconciles} reconciles for ${n} Services`);
    }
    // Same work per Service at 4× the size.
    assert.ok(Math.abs(per[0] - per[1]) < 0.5, `reconciles per Service ${per.join(' vs ')}`);
  });
}

// A steady start whose holders all re-adopt cleanly converges each of them once: the first
// reprocess-all skips the holders its pre-pass settled (a first adoption setting the pool counts as
// settled; it is the adoption itself, not a change).
for (const version of ['0.14.8', '0.16.2']) {
  test(`a steady start converges each settled holder once, ${version}`, () => {
    const n = 3_000;
    const m = model(n);
    // Every Service holds an IP of its namespace's pool; no sharing keys (≥0.15 reprocesses on a first sharing key).
    m.services = m.services.map((s, i) => ({ ...s, annotations: {}, ingressIPs: [i % 10 < 8 ? `10.${i % 10}.${(i >> 8) & 255}.${i & 255}` : `fd00:${i % 10}::${i.toString(16)}`] }));
    const ctrl = startController(m, { version });
    assert.equal(ctrl.reconciles, n);
    assert.ok(ctrl.outcomes().get('ns-3/svc-3')?.pool === 'pool-3');
  });
}
