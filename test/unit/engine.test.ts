import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defineRule } from '../../shared/src/lint/rule.js';
import { ConfigError, parseConfig } from '../../shared/src/lint/config.js';
import { lintYaml, yaml } from '../helpers/lintYaml.js';

// A probe rule: flags every Service's spec.type value. It exercises the engine, not a product rule.
const probe = defineRule({
  meta: { id: 'probe-rule', severity: 'warning', description: 'test probe: flags Service types' },
  check(ctx) {
    for (const svc of ctx.model.services) ctx.report({ doc: svc.doc, path: ['spec', 'type'], message: `type ${svc.type}` });
  },
});
const crashing = defineRule({
  meta: { id: 'crashing-rule', severity: 'error', description: 'test probe: always throws' },
  check() {
    throw new Error('boom');
  },
});

const svc = (name: string, extra = '') => yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: ${name}
  ${extra}
  spec:
    type: LoadBalancer
`;

describe('lint engine', () => {
  test('reports at the located range with docs link and object', () => {
    const [f] = lintYaml({ 'a.yaml': svc('a') }, { rules: [probe] });
    assert.equal(f.rule, 'probe-rule');
    assert.equal(f.severity, 'warning');
    assert.deepEqual([f.range.start.line, f.range.start.column], [7, 9]); // line 5 is the empty `extra` slot
    assert.equal(f.docsUrl.endsWith('/docs/rules/probe-rule.md'), true);
    assert.deepEqual(f.object, { kind: 'Service', apiVersion: 'v1', name: 'a', namespace: undefined });
  });

  test('a crashing rule becomes one internal-error finding; other rules still run', () => {
    const fs = lintYaml({ 'a.yaml': svc('a') }, { rules: [crashing, probe] });
    assert.deepEqual(fs.map((f) => f.rule).sort(), ['internal-error', 'probe-rule']);
    assert.match(fs.find((f) => f.rule === 'internal-error')!.message, /crashing-rule failed: boom/);
  });

  test('config severities and "off"', () => {
    const config = parseConfig('rules:\n  probe-rule: error\n');
    assert.equal(lintYaml({ 'a.yaml': svc('a') }, { rules: [probe], config })[0].severity, 'error');
    const off = parseConfig('rules:\n  probe-rule: off\n');
    assert.equal(lintYaml({ 'a.yaml': svc('a') }, { rules: [probe], config: off }).length, 0);
  });

  test('suppression by annotation, by comment with reason, and by config; kept when asked', () => {
    const annotated = svc('a', '  annotations:\n      lbguard.io/ignore: "probe-rule,other"');
    assert.equal(lintYaml({ 'a.yaml': annotated }, { rules: [probe] }).length, 0);
    const all = lintYaml({ 'a.yaml': annotated }, { rules: [probe], includeSuppressed: true });
    assert.deepEqual(all.map((f) => f.suppressed?.kind), ['annotation']);

    const commented = svc('b').replace('  type:', '  # lbguard-ignore probe-rule: owned by team X\n  type:');
    const c = lintYaml({ 'b.yaml': commented }, { rules: [probe], includeSuppressed: true });
    assert.deepEqual(c.map((f) => [f.suppressed?.kind, f.suppressed?.justification]), [['comment', 'owned by team X']]);

    const config = parseConfig('ignore:\n  - rule: probe-rule\n    kind: Service\n    name: c\n    reason: vendored chart\n');
    assert.equal(lintYaml({ 'c.yaml': svc('c'), 'd.yaml': svc('d') }, { rules: [probe], config }).map((f) => f.object?.name).join(), 'd');
  });

  test('an ignore comment without a reason does not suppress and is reported', () => {
    const commented = svc('b').replace('  type:', '  # lbguard-ignore probe-rule\n  type:');
    const fs = lintYaml({ 'b.yaml': commented }, { rules: [probe] });
    assert.deepEqual(fs.map((f) => f.rule).sort(), ['ignore-without-reason', 'probe-rule']);
  });

  test('an unknown MetalLB version is refused with the list of profiles', () => {
    assert.throws(() => lintYaml({ 'a.yaml': svc('a') }, { rules: [probe], metallbVersion: 'banana' }), /unknown MetalLB version "banana"/);
  });
});

describe('.lbguard.yaml', () => {
  test('parses every section', () => {
    const c = parseConfig(yaml`
      metallb: {version: 0.13.12, namespace: lb, lbClass: metallb}
      cluster: {ipFamilies: [IPv6, IPv4]}
      rules: {pool-overlap: error}
      ignore:
        - rules: [pool-overlap]
          file: vendor/
          reason: upstream chart
      include: [infra/pools]
      failOn: error
    `);
    assert.deepEqual(c.metallb, { version: '0.13.12', namespace: 'lb', lbClass: 'metallb' });
    assert.deepEqual(c.cluster.ipFamilies, ['IPv6', 'IPv4']);
    assert.equal(c.ignore[0].file, 'vendor/');
    assert.deepEqual(c.include, ['infra/pools']);
    assert.equal(c.failOn, 'error');
  });
  test('errors name the file and position', () => {
    assert.throws(() => parseConfig('rules:\n  pool-overlap: loud\n', 'cfg.yaml'), (e: unknown) => e instanceof ConfigError && /cfg\.yaml:2:17: rule "pool-overlap" must be/.test(e.message));
    assert.throws(() => parseConfig('ignore:\n  - rule: x\n', 'cfg.yaml'), /cfg\.yaml:2:5: an ignore entry needs a `reason`/);
    assert.throws(() => parseConfig('bogus: 1\n'), /unknown key "bogus"/);
    assert.throws(() => parseConfig('rules: {nope: error}\n', 'c', new Set(['pool-overlap'])), /unknown rule "nope"/);
  });
});
