import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const RULE = 'deprecated-loadbalancerip';
const run = (text: string, metallbVersion?: string) => ofRule(lintYaml({ 'svc.yaml': text }, { metallbVersion }), RULE);

const svc = yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: prod
  spec:
    type: LoadBalancer
    loadBalancerIP: 192.168.10.20
    ports:
      - port: 80
`;

describe(RULE, () => {
  test('flags spec.loadBalancerIP at the key, deprecated, with the metallb.io/ fix on ≥0.14.9', () => {
    const [f, ...rest] = run(svc);
    assert.equal(rest.length, 0);
    assert.equal(where(f), 'svc.yaml:8:3-8:17');
    assert.equal(f.deprecated, true);
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /deprecated since Kubernetes 1\.24/);
    assert.match(f.message, /metallb\.io\/loadBalancerIPs/);
    assert.equal(f.fixes?.length, 1);
    assert.equal(
      applyFix(svc, f.fixes![0]),
      svc
        .replace('  namespace: prod\n', '  namespace: prod\n  annotations:\n    metallb.io/loadBalancerIPs: "192.168.10.20"\n')
        .replace('  loadBalancerIP: 192.168.10.20\n', ''),
    );
  });

  test('uses the metallb.universe.tf/ prefix before 0.14.9', () => {
    const [f] = run(svc, '0.14.8');
    assert.match(f.message, /metallb\.universe\.tf\/loadBalancerIPs/);
    assert.match(applyFix(svc, f.fixes![0]), /\n {4}metallb\.universe\.tf\/loadBalancerIPs: "192\.168\.10\.20"\n/);
  });

  test('adds to existing annotations, preserving everything else byte-for-byte', () => {
    const text = yaml`
      apiVersion: v1
      kind: Service
      metadata:
        name: web   # keep me
        annotations:
          external-dns.alpha.kubernetes.io/hostname: web.example.org
      spec:
        type: LoadBalancer
        loadBalancerIP: "192.168.10.20"  # pinned
        selector: {app: web}
    `;
    const [f] = run(text);
    assert.equal(
      applyFix(text, f.fixes![0]),
      text
        .replace('web.example.org\n', 'web.example.org\n    metallb.io/loadBalancerIPs: "192.168.10.20"\n')
        .replace('  loadBalancerIP: "192.168.10.20"  # pinned\n', ''),
    );
  });

  test('when the annotation already requests the same IP the fix only removes the field', () => {
    const text = yaml`
      apiVersion: v1
      kind: Service
      metadata:
        name: web
        annotations:
          metallb.io/loadBalancerIPs: 192.168.10.20
      spec:
        type: LoadBalancer
        loadBalancerIP: 192.168.10.20
    `;
    const [f] = run(text);
    assert.match(f.message, /both/);
    assert.equal(f.fixes?.length, 1);
    assert.equal(applyFix(text, f.fixes![0]), text.replace('  loadBalancerIP: 192.168.10.20\n', ''));
  });

  test('no fix when the annotation asks for something else', () => {
    const text = svc.replace('  name: web\n', '  name: web\n  annotations:\n    metallb.io/loadBalancerIPs: 192.168.10.21\n');
    const [f] = run(text);
    assert.equal(f.fixes?.length, 0);
  });

  test('quiet for other allocators, other types and Services without the field', () => {
    assert.equal(run(svc.replace('type: LoadBalancer', 'type: LoadBalancer\n  loadBalancerClass: io.cilium/l2-announcer')).length, 0);
    assert.equal(run(svc.replace('  namespace: prod\n', '  namespace: prod\n  annotations:\n    cloud.google.com/load-balancer-type: Internal\n')).length, 0);
    assert.equal(run(svc.replace('  namespace: prod\n', '  namespace: prod\n  annotations:\n    service.beta.kubernetes.io/do-loadbalancer-name: x\n')).length, 0);
    assert.equal(run(svc.replace('type: LoadBalancer', 'type: ClusterIP')).length, 0);
    assert.equal(run(svc.replace('  loadBalancerIP: 192.168.10.20\n', '')).length, 0);
  });

  test('a metallb-looking class still counts as MetalLB\'s', () => {
    assert.equal(run(svc.replace('type: LoadBalancer', 'type: LoadBalancer\n  loadBalancerClass: metallb-l2')).length, 1);
  });
});
