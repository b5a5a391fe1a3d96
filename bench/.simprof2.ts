// Profiling driver for simulate(): 50 pools (40 IPv4 /16, 5 IPv6 /48, 5 IPv6 /64, serviceAllocation
// namespaces), N Services. `node --import tsx bench/.simprof2.ts 100000 [runs] [--hash]`.
// Prints wall and CPU (user+system) time per run; --hash prints a digest of the full result
// (outcomes, events, pool usage) so before/after results can be compared. gc: GC pause time during the run.
import { createHash } from 'node:crypto';
import { PerformanceObserver } from 'node:perf_hooks';
import { simulate } from '../shared/src/metallb/simulate.js';
import type { ClusterModel, Pool, Service } from '../shared/src/model/types.js';
import { parsePoolAddress } from '../shared/src/address/poolAddress.js';
const N = Number(process.argv[2] ?? 100000);
const RUNS = Number(process.argv[3] ?? 1);
const HASH = process.argv.includes('--hash');
const pools: Pool[] = [];
for (let p = 0; p < 50; p++) {
  const addr = p < 40 ? `10.${p}.0.0/16` : p < 45 ? `fd00:${p}::/48` : `fd01:${p}::/64`;
  const r = parsePoolAddress(addr); if (!r.ok) throw 1;
  pools.push({ name: `pool-${p}`, namespace: 'metallb-system', source: 'IPAddressPool', addresses: [{ text: addr, cidrs: r.cidrs, path: [] }], cidrs: r.cidrs, autoAssign: true, avoidBuggyIPs: false, serviceAllocation: { priority: p + 1, namespaces: [`ns-${p}`], namespaceSelectors: [], serviceSelectors: [] }, docPath: [] });
}
const services: Service[] = [];
for (let i = 0; i < N; i++) {
  const p = i % 50;
  services.push({ namespace: `ns-${p}`, name: `svc-${i}`, key: `ns-${p}/svc-${i}`, labels: {}, annotations: {}, type: 'LoadBalancer', clusterIPs: [], ipFamilies: p < 40 ? [] : ['IPv6'], ports: [{ protocol: 'TCP', port: 80 }], externalTrafficPolicy: 'Cluster', selector: {}, ingressIPs: [] });
}
const model: ClusterModel = { pools, services, namespaces: [], harvesterPools: [], harvesterLoadBalancers: [], events: [], metallb: { namespace: 'metallb-system' } };
let gcMs = 0;
new PerformanceObserver((l) => { for (const e of l.getEntries()) gcMs += e.duration; }).observe({ entryTypes: ['gc'] });
await new Promise((r) => setTimeout(r, 10));
for (let run = 0; run < RUNS; run++) {
  gcMs = 0;
  const c0 = process.cpuUsage();
  const t = performance.now();
  const r = simulate(model);
  const wall = performance.now() - t;
  const c = process.cpuUsage(c0);
  await new Promise((r) => setTimeout(r, 10));
  let assigned = 0;
  for (const s of r.services.values()) if (s.state === 'assigned') assigned++;
  console.log(`simulate ${N}: wall ${wall.toFixed(0)} ms, cpu ${((c.user + c.system) / 1000).toFixed(0)} ms, gc ${gcMs.toFixed(0)} ms, assigned ${assigned}`);
  if (HASH && run === 0) {
    const h = createHash('sha256');
    for (const [k, o] of r.services) h.update(JSON.stringify([k, { ...o, service: undefined }]));
    h.update(JSON.stringify(r.events));
    h.update(JSON.stringify(r.pools, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
    console.log('hash', h.digest('hex'));
  }
}
