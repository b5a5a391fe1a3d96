import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const RULE = 'dualstack-no-pool';

const v4pool = yaml`
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: v4
    namespace: metallb-system
  spec:
    addresses: [192.168.10.0/24]
`;
const dualPool = yaml`
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: dual
    namespace: metallb-system
  spec:
    addresses: [192.168.20.0/24, "fd00:20::/120"]
`;

const svc = (policy: string, extra = '') => yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: prod
  spec:
    type: LoadBalancer
    ipFamilyPolicy: ${policy}
    ${extra}
`;

const run = (service: string, pools = v4pool, metallbVersion?: string) => ofRule(lintYaml({ 'pools.yaml': pools, 'svc.yaml': service }, { metallbVersion }), RULE);

describe(RULE, () => {
  test('RequireDualStack with only an IPv4 pool: Pending, at ipFamilyPolicy', () => {
    const [f, ...rest] = run(svc('RequireDualStack'));
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'error');
    assert.equal(where(f), 'svc.yaml:8:19-8:35');
    assert.match(f.message, /Failed to allocate IP for "prod\/web": no available IPs/);
    assert.match(f.message, /add an IPv6 range/);
  });

  test('PreferDualStack before 0.14.9 stays Pending too (seed 001, 0.14.5)', () => {
    const [f] = run(svc('PreferDualStack'), v4pool, '0.14.5');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /treats PreferDualStack like RequireDualStack/);
  });

  test('PreferDualStack ≥0.14.9 falls back to one IP of the primary family', () => {
    const [f] = run(svc('PreferDualStack'));
    assert.equal(f.severity, 'info');
    assert.match(f.message, /only one IPv4 IP from pool v4/);
    assert.match(f.message, /AdditionalAssignFailed/);
  });

  test('fix sets SingleStack and drops the secondary family entries', () => {
    const text = svc('PreferDualStack', 'ipFamilies:\n      - IPv4\n      - IPv6');
    const [f] = run(text);
    assert.equal(applyFix(text, f.fixes![0]), text.replace('PreferDualStack', 'SingleStack').replace('    - IPv6\n', ''));
  });

  test('annotated pool without both families: MetalLB\'s per-version message', () => {
    const text = svc('RequireDualStack').replace('  namespace: prod\n', '  namespace: prod\n  annotations:\n    metallb.io/address-pool: v4\n');
    const [f] = run(text, `${v4pool}---\n${dualPool}`);
    assert.match(f.message, /no available IPs in pool v4 for dual IPFamily/);
    const [g] = run(text.replace('metallb.io/', 'metallb.universe.tf/'), `${v4pool}---\n${dualPool}`, '0.14.8');
    assert.match(g.message, /no available IPs in pool "v4" for dual IPFamily/);
  });

  test('quiet with a dual pool, single-stack Services, IPv4-only clusters and no pools', () => {
    assert.equal(run(svc('RequireDualStack'), `${v4pool}---\n${dualPool}`).length, 0);
    assert.equal(run(svc('SingleStack')).length, 0);
    assert.equal(run(svc('PreferDualStack', 'clusterIPs: ["10.96.0.7"]')).length, 0);
    assert.equal(ofRule(lintYaml({ 'svc.yaml': svc('RequireDualStack') }), RULE).length, 0);
  });
});
