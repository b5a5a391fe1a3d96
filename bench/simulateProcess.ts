// One `kubectl lb simulate`-sized process for `npm run bench` (bench/run.ts runs it several times,
// each in a fresh `node`): builds the 100k-Service model as the command does, then times the first
// simulation (cold code, on top of the model just built, as the command runs it) and two more.
// Prints one JSON line. LBGUARD_BENCH_QUICK=1: 10,000 Services.
import { simulate } from '../shared/src/metallb/simulate.js';
import { modelAsCommandsBuildIt } from './commandModel.js';

export const SIMULATE_POOLS = 50;

/** 50 pools (IPv4 /16, IPv6 /48 and /64, some with serviceAllocation) and `services` Services, a quarter holding a status IP. */
export function bigModel(services: number, pools: number): string {
  const out: string[] = [];
  for (let p = 0; p < pools; p++) {
    const addrs = p % 10 === 0 ? [`fd${(p % 256).toString(16).padStart(2, '0')}:${p}::/48`] : p % 10 === 1 ? [`2001:db8:${p}::/64`] : [`10.${p}.0.0/16`];
    if (p % 10 === 2) addrs.push(`fd99:${p}::/64`);
    out.push(`apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: pool-${p}\n  namespace: metallb-system\nspec:\n  addresses: [${addrs.map((a) => `"${a}"`).join(', ')}]\n${p % 3 === 0 ? '' : `  serviceAllocation:\n    priority: ${p % 7}\n    namespaces: [team-${p % 20}]\n`}`);
  }
  for (let i = 0; i < services; i++) {
    const pinned = i % 4 === 0;
    const ip = pinned ? `\nstatus:\n  loadBalancer:\n    ingress:\n    - ip: 10.${2 + (i % 40)}.${(i >> 8) & 255}.${1 + (i & 127)}` : '';
    out.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\n  namespace: team-${i % 20}\nspec:\n  type: LoadBalancer\n  clusterIPs: [${i % 10 === 0 ? '"fd00::1"' : '"10.96.0.1"'}]\n  ports: [{port: ${80 + (i % 3)}}]${ip}\n`);
  }
  return out.join('---\n');
}

export interface SimulateProcessResult {
  services: number;
  megabytes: number;
  modelMs: number;
  firstMs: number;
  warmMs: number[];
  assigned: number;
}

const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;

if (/simulateProcess(\.bundle)?\.m?[jt]s$/.test(process.argv[1] ?? '')) {
  const services = process.env.LBGUARD_BENCH_QUICK === '1' ? 10_000 : 100_000;
  const text = bigModel(services, SIMULATE_POOLS);
  let t0 = performance.now();
  const model = modelAsCommandsBuildIt(text, 'big.yaml');
  const modelMs = ms(t0);
  t0 = performance.now();
  const first = simulate(model, { version: '0.16.1' });
  const firstMs = ms(t0);
  const warmMs: number[] = [];
  for (let i = 0; i < 2; i++) {
    t0 = performance.now();
    simulate(model, { version: '0.16.1' });
    warmMs.push(ms(t0));
  }
  let assigned = 0;
  for (const o of first.services.values()) if (o.state === 'assigned') assigned++;
  const result: SimulateProcessResult = { services, megabytes: Math.round((text.length / 1048576) * 10) / 10, modelMs, firstMs, warmMs, assigned };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
