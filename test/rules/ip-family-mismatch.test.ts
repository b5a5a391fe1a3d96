import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const RULE = 'ip-family-mismatch';
const run = (text: string, opts: Parameters<typeof lintYaml>[1] = {}) => ofRule(lintYaml({ 'svc.yaml': text }, opts), RULE);

const svc = (annotations: string, spec = '') => yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: prod
    annotations:
      ${annotations}
  spec:
    type: LoadBalancer
    ${spec}
`;

describe(RULE, () => {
  test('annotation and spec.loadBalancerIP both set', () => {
    const [f, ...rest] = run(svc('metallb.io/loadBalancerIPs: 10.0.0.1', 'loadBalancerIP: 10.0.0.1'));
    assert.equal(rest.length, 0);
    assert.equal(where(f), 'svc.yaml:7:5-7:31');
    assert.match(f.message, /service can not have both metallb\.io\/loadBalancerIPs and svc\.Spec\.LoadBalancerIP/);
    assert.equal(f.related?.[0].range.start.line, 10);
  });

  test('the "both" message names the version\'s prefix even for the other key', () => {
    const [f] = run(svc('metallb.universe.tf/loadBalancerIPs: 10.0.0.1', 'loadBalancerIP: 10.0.0.1'), { metallbVersion: '0.14.8' });
    assert.match(f.message, /both metallb\.universe\.tf\/loadBalancerIPs/);
  });

  test('unparsable annotation and spec values, with MetalLB\'s words', () => {
    const [a] = run(svc('metallb.io/loadBalancerIPs: "10.0.0.1, 10.0.0.300"'));
    assert.match(a.message, /invalid metallb\.io\/loadBalancerIPs: "10\.0\.0\.1, 10\.0\.0\.300"/);
    assert.equal(where(a), 'svc.yaml:7:33-7:55');
    const [s] = run(svc('x: y', 'loadBalancerIP: 10.0.0.01'));
    assert.match(s.message, /invalid spec\.loadBalancerIP "10\.0\.0\.01"/);
  });

  test('two IPs of one family, three IPs', () => {
    const [two] = run(svc('metallb.io/loadBalancerIPs: 10.0.0.1,10.0.0.2', 'ipFamilyPolicy: PreferDualStack'));
    assert.match(two.message, /IPFamilyForAddresses: same address family \["10\.0\.0\.1" "10\.0\.0\.2"\]/);
    const [three] = run(svc('metallb.io/loadBalancerIPs: 10.0.0.1,fc00::1,10.0.0.3'));
    assert.match(three.message, /IPFamilyForAddresses: invalid ips length 3 \["10\.0\.0\.1" "fc00::1" "10\.0\.0\.3"\]/);
  });

  test('requested family differs from the ClusterIP family', () => {
    const [f] = run(svc('metallb.io/loadBalancerIPs: fc00::10', 'clusterIPs: ["10.96.0.10"]'));
    assert.equal(f.severity, 'error');
    assert.match(f.message, /requested loadBalancer IP\(s\) \["fc00::10"\] does not match the ipFamily of the service/);
    assert.match(f.message, /asks for IPv6 but the Service is IPv4/);
  });

  test('dual-stack ClusterIPs with one requested IP (PreferDualStack too)', () => {
    const [f] = run(svc('metallb.io/loadBalancerIPs: 10.0.0.1', 'ipFamilyPolicy: PreferDualStack\n    clusterIPs: ["10.96.0.10", "fd00::10"]'));
    assert.match(f.message, /asks for IPv4 but the Service is dual-stack/);
  });

  test('predicted ClusterIP family is a warning and follows cluster.ipFamilies', () => {
    const text = svc('metallb.io/loadBalancerIPs: 10.0.0.1', 'ipFamilyPolicy: PreferDualStack');
    const [f] = run(text);
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /predicted/);
    const config = { metallb: {}, cluster: { ipFamilies: ['IPv4' as const] }, rules: {}, ignore: [], include: [] };
    assert.equal(run(text, { config }).length, 0);
  });

  test('a single IPv4 Service asking for a v4/v6 pair', () => {
    const [f] = run(svc('metallb.io/loadBalancerIPs: 10.0.0.1,fc00::1', 'ipFamilyPolicy: SingleStack'));
    assert.match(f.message, /asks for dual-stack but the Service is IPv4/);
  });

  test('quiet on matching requests, placeholders and other allocators', () => {
    assert.equal(run(svc('metallb.io/loadBalancerIPs: 10.0.0.1')).length, 0);
    assert.equal(run(svc('metallb.io/loadBalancerIPs: 10.0.0.1,fc00::1', 'ipFamilyPolicy: RequireDualStack')).length, 0);
    assert.equal(run(svc('metallb.io/loadBalancerIPs: ${LB_IP}')).length, 0);
    assert.equal(run(svc('x: y', 'loadBalancerIP: fc00::1\n    loadBalancerClass: io.cilium/l2-announcer')).length, 0);
    assert.equal(run(svc('cloud.google.com/load-balancer-type: Internal', 'loadBalancerIP: fc00::1')).length, 0);
  });
});
