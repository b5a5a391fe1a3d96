// Hover text and code lens titles from the workspace model and the cluster state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressAt, formatCount, hoverFor, lensTitle, allPoolUsage, poolsInFile, poolNameAt } from '../../extension/src/poolInfo.js';
import { WorkspaceIndex } from '../../extension/src/workspaceIndex.js';
import { POOLS, SERVICES, STATE } from './fixtures.js';

function ctx(withState: boolean) {
  const idx = new WorkspaceIndex();
  idx.setFile('pools.yaml', POOLS);
  idx.setFile('services.yaml', SERVICES);
  if (withState) idx.setState('state.yaml', STATE);
  return { idx, ctx: { model: idx.model(), state: idx.stateModel(), stateLabel: idx.stateSource } };
}

test('tokens: IP, CIDR, range (with spaces), comments ignored, ports are not IPs', () => {
  assert.deepEqual(addressAt('  loadBalancerIP: 192.168.10.20', 20), { kind: 'ip', text: '192.168.10.20', ip: { family: 'ipv4', value: 3232238100n }, start: 18, end: 31 });
  const c = addressAt('    - 192.168.10.0/24', 10);
  assert.equal(c?.kind, 'cidr');
  assert.equal(c && 'size' in c && c.size, 256n);
  const r = addressAt('    - 10.20.0.10 - 10.20.0.19', 8);
  assert.equal(r?.kind, 'range');
  assert.equal(r && 'size' in r && r.size, 10n);
  assert.equal(addressAt('    - port: 80', 12), undefined);
  assert.equal(addressAt('  x: 1 # 10.0.0.1', 12), undefined);
  const v6 = addressAt('    - fd00::/64', 8);
  assert.equal(v6 && 'size' in v6 && v6.size, 18446744073709551616n);
  assert.equal(formatCount(18446744073709551616n), '18,446,744,073,709,551,616');
});

test('hover on a Service IP: its pool, used/free from the state, who holds it', () => {
  const { ctx: c } = ctx(true);
  const h = hoverFor('  loadBalancerIP: 192.168.10.20', 22, c)!;
  assert.match(h.markdown, /`192\.168\.10\.20`/);
  assert.match(h.markdown, /In pool `metallb-system\/prod` \(IPAddressPool, pools\.yaml:1\)/);
  assert.match(h.markdown, /Used \*\*2\*\* of 256 · \*\*254 free\*\* \(state: state\.yaml\)/); // avoidBuggyIPs is off: .0 and .255 count
  assert.match(h.markdown, /Held by shop\/web/);
  assert.deepEqual([h.start, h.end], [18, 31]);
});

test('hover on a CIDR: size (BigInt), first/last; on a range: used/free inside it', () => {
  const { ctx: c } = ctx(true);
  const h = hoverFor('    - 192.168.10.0/24', 9, c)!;
  assert.match(h.markdown, /Size \*\*256\*\* · first `192\.168\.10\.0` · last `192\.168\.10\.255`/);
  const masked = hoverFor('    - 192.168.10.7/24', 9, c)!;
  assert.match(masked.markdown, /MetalLB reads it as `192\.168\.10\.0\/24` \(host bits masked\)/);
  const r = hoverFor('    - 10.20.0.10-10.20.0.19', 9, c)!;
  assert.match(r.markdown, /Size \*\*10\*\*/);
  assert.match(r.markdown, /In this range: 1 used · 9 free/);
  assert.match(r.markdown, /`10\.20\.0\.12` infra\/dns/);
});

test('hover on a pool name: usage and the Services holding its IPs; without state: what manifests request', () => {
  const { ctx: c } = ctx(true);
  const h = hoverFor('  name: prod', 9, c)!;
  assert.match(h.markdown, /pool `metallb-system\/prod`/);
  assert.match(h.markdown, /- `192\.168\.10\.1` — shop\/api\n- `192\.168\.10\.20` — shop\/web/);
  assert.ok(poolNameAt('    metallb.io/address-pool: prod', 32, new Set(['prod'])));
  const { ctx: noState } = ctx(false);
  const h2 = hoverFor('  name: prod', 9, noState)!;
  assert.match(h2.markdown, /manifests request 1 of them/);
  assert.equal(hoverFor('  name: web', 8, noState), undefined, 'a Service name is no pool');
});

test('code lenses: one per pool on its metadata.name line, "N Services · M free"', () => {
  const { idx, ctx: c } = ctx(true);
  const lenses = poolsInFile(c.model, idx.get('pools.yaml')!);
  assert.deepEqual(lenses.map((l) => [l.pool.name, l.line]), [['prod', 3], ['lab', 12]]);
  const titles = allPoolUsage(c).map(lensTitle);
  assert.deepEqual(titles, ['2 Services · 254 free', '1 Service · 9 free']);
  const { ctx: noState } = ctx(false);
  assert.deepEqual(allPoolUsage(noState).map(lensTitle), ['1 Service requests IPs · 255 free', '0 Services request IPs · 10 free']);
});
