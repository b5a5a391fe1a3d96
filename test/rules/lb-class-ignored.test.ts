import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';
import { EMPTY_CONFIG } from '../../shared/src/lint/config.js';

const RULE = 'lb-class-ignored';

const svc = (spec = '', annotations = 'x: y') => yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: web
    annotations:
      ${annotations}
  spec:
    type: LoadBalancer
    ${spec}
`;

const cfg = (lbClass?: string) => ({ ...EMPTY_CONFIG, metallb: { lbClass } });
const run = (text: string, lbClass?: string, metallbVersion?: string) => ofRule(lintYaml({ 'svc.yaml': text }, { config: cfg(lbClass), metallbVersion }), RULE);

describe(RULE, () => {
  test('unknown class, MetalLB without --lb-class: ignored silently', () => {
    const [f, ...rest] = run(svc('loadBalancerClass: example.com/lb'));
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'warning');
    assert.equal(where(f), 'svc.yaml:9:22-9:36');
    assert.match(f.message, /MetalLB ignores the Service completely \(no IP, no event/);
  });

  test('a metallb-looking class hints at metallb.lbClass', () => {
    const [f] = run(svc('loadBalancerClass: metallb-l2'));
    assert.match(f.message, /set metallb\.lbClass: metallb-l2 in \.lbguard\.yaml/);
    assert.equal(run(svc('loadBalancerClass: metallb-l2'), 'metallb-l2').length, 0);
  });

  test('known other allocator: quiet unless MetalLB annotations say it is meant for MetalLB', () => {
    assert.equal(run(svc('loadBalancerClass: io.cilium/l2-announcer')).length, 0);
    const [f] = run(svc('loadBalancerClass: io.cilium/l2-announcer', 'metallb.io/address-pool: prod'));
    assert.equal(f.severity, 'error');
    assert.match(f.message, /carries MetalLB annotations \(metallb\.io\/address-pool\)/);
  });

  test('class differs from --lb-class: fix sets MetalLB\'s class', () => {
    const text = svc('loadBalancerClass: example.com/lb');
    const [f] = run(text, 'metallb.io/metallb');
    assert.match(f.message, /runs with --lb-class=metallb\.io\/metallb/);
    assert.equal(applyFix(text, f.fixes![0]), text.replace('example.com/lb', 'metallb.io/metallb'));
  });

  test('no class while MetalLB has --lb-class', () => {
    const text = svc();
    const [f] = run(text, 'metallb.io/metallb');
    assert.equal(where(f), 'svc.yaml:8:9-8:21');
    assert.match(f.message, /--lb-class=metallb\.io\/metallb and this Service has no loadBalancerClass/);
    assert.equal(applyFix(text, f.fixes![0]), text.replace('type: LoadBalancer\n', 'type: LoadBalancer\n  loadBalancerClass: metallb.io/metallb\n'));
  });

  test('0.12 has no class filter: it allocates for classed Services too (when MetalLB\'s config is in the input)', () => {
    const configMap = yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: config
        namespace: metallb-system
      data:
        config: |
          address-pools:
            - name: default
              protocol: layer2
              addresses: [192.168.10.0/24]
    `;
    const run12 = (text: string) => ofRule(lintYaml({ 'cm.yaml': configMap, 'svc.yaml': text }, { metallbVersion: '0.12.1' }), RULE);
    const [f] = run12(svc('loadBalancerClass: io.cilium/l2-announcer'));
    assert.match(f.message, /no --lb-class support and ignores loadBalancerClass/);
    assert.equal(run12(svc()).length, 0);
    assert.equal(run(svc('loadBalancerClass: io.cilium/l2-announcer'), undefined, '0.12.1').length, 0, 'no MetalLB config in the input');
  });

  test('quiet for matching classes and other Service types', () => {
    assert.equal(run(svc()).length, 0);
    assert.equal(run(svc('loadBalancerClass: metallb.io/metallb'), 'metallb.io/metallb').length, 0);
    assert.equal(run(svc('loadBalancerClass: example.com/lb').replace('LoadBalancer', 'ClusterIP')).length, 0);
  });
});
