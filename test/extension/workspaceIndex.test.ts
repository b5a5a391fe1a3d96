// The workspace index: cross-file lint (a Service checked against pools in another file), only
// the open file's findings, incremental re-parse, baselines from git or the state file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../extension/src/workspaceIndex.js';
import { diagnosticsFor, DiagSeverity, movedServices, toDiagnosticSpec } from '../../extension/src/diagnostics.js';
import { FixStore, applyEdits, suppressCommentEdit } from '../../extension/src/fixes.js';
import { effectiveConfig } from '../../extension/src/settings.js';
import { parseManifestText } from '../../shared/src/manifest/parse.js';
import { POOLS, SERVICES, STATE } from './fixtures.js';

function ws() {
  const idx = new WorkspaceIndex();
  idx.setFile('pools.yaml', POOLS);
  idx.setFile('services.yaml', SERVICES, true);
  idx.setFile('README.yaml', 'just: a value\n');
  return idx;
}

test('lintFile returns only the file\'s own findings, with the real rules', () => {
  const idx = ws();
  const { findings } = idx.lintFile('services.yaml');
  assert.ok(findings.length > 0);
  assert.ok(findings.every((f) => f.file === 'services.yaml'));
  const dep = findings.find((f) => f.rule === 'deprecated-loadbalancerip');
  assert.ok(dep, JSON.stringify(findings.map((f) => f.rule)));
  assert.equal(dep.range.start.line, 8);
  assert.ok(idx.lintFiles().every((f) => f.file !== 'README.yaml'), 'files without objects lbguard reads are not linted');
});

test('diagnostic specs: 0-based exact range, severity, code target, Deprecated tag', () => {
  const idx = ws();
  const [d] = diagnosticsFor(idx.lintFile('services.yaml').findings, 'services.yaml').filter((x) => x.code.value === 'deprecated-loadbalancerip');
  assert.deepEqual(d.range, { start: { line: 7, character: 2 }, end: { line: 7, character: 16 } });
  assert.equal(d.severity, DiagSeverity.Warning);
  assert.equal(d.source, 'lbguard');
  assert.match(d.code.target, /docs\/rules\/deprecated-loadbalancerip\.md$/);
  assert.equal(d.deprecated, true);
  const info = toDiagnosticSpec({ ...idx.lintFile('services.yaml').findings[0], severity: 'info', suppressed: undefined });
  assert.equal(info.severity, DiagSeverity.Information);
});

test('suppressed findings are not shown', () => {
  const idx = ws();
  idx.setFile('services.yaml', SERVICES.replace('  loadBalancerIP:', '  # lbguard-ignore deprecated-loadbalancerip: pinned by DNS\n  loadBalancerIP:'), true);
  const specs = diagnosticsFor(idx.lintFile('services.yaml').findings, 'services.yaml');
  assert.ok(!specs.some((d) => d.code.value === 'deprecated-loadbalancerip'));
});

test('quick fix from the side map: keyed by rule + range, only for the linted version; edit moves the IP to the annotation', () => {
  const idx = ws();
  const findings = idx.lintFile('services.yaml').findings;
  const store = new FixStore();
  store.set('services.yaml', 7, findings);
  const d = diagnosticsFor(findings, 'services.yaml').find((x) => x.code.value === 'deprecated-loadbalancerip')!;
  assert.deepEqual(store.get('services.yaml', 8, 'deprecated-loadbalancerip', d.range), [], 'stale version: no fixes');
  const [fix] = store.get('services.yaml', 7, 'deprecated-loadbalancerip', d.range);
  assert.match(fix.title, /Move 192\.168\.10\.20 to the metallb\.io\/loadBalancerIPs annotation/);
  const fixed = applyEdits(SERVICES, fix.edits);
  assert.ok(!fixed.includes('loadBalancerIP: '), fixed);
  assert.match(fixed, /annotations:\n    metallb\.io\/loadBalancerIPs: "?192\.168\.10\.20"?\n/);
  idx.setFile('services.yaml', fixed, true);
  assert.ok(!idx.lintFile('services.yaml').findings.some((f) => f.rule === 'deprecated-loadbalancerip'));
});

test('suppress-comment edit: own line above, same indentation, snippet placeholder for the reason', () => {
  const lines = SERVICES.split('\n');
  const e = suppressCommentEdit(lines[7], 7, 'deprecated-loadbalancerip');
  assert.equal(e.title, 'Suppress deprecated-loadbalancerip with a comment');
  assert.equal(e.snippet, '  # lbguard-ignore deprecated-loadbalancerip: ${1:reason}\n');
  const text = applyEdits(SERVICES, [{ range: { start: { line: 7, character: 0 }, end: { line: 7, character: 0 } }, newText: e.text.replace('reason', 'DNS points here') }]);
  const idx = ws();
  idx.setFile('services.yaml', text, true);
  const f = idx.lintFile('services.yaml').findings.find((x) => x.rule === 'deprecated-loadbalancerip');
  assert.equal(f?.suppressed?.kind, 'comment');
  assert.equal(f?.suppressed?.justification, 'DNS points here');
});

test('incremental: a keystroke in one document re-parses only that document', () => {
  const idx = ws();
  const parser = (idx as unknown as { entries: Map<string, { parser: { lastStats: { parsed: number; segments: number } } }> }).entries.get('services.yaml')!.parser;
  idx.setFile('services.yaml', SERVICES.replace('port: 443', 'port: 4443'), true);
  assert.deepEqual(parser.lastStats, { segments: 2, parsed: 1 });
});

test('settings and .lbguard.yaml: settings win per key, rules merge per id', () => {
  const file = 'metallb:\n  version: "0.13.7"\nrules:\n  deprecated-loadbalancerip: info\n  pool-overlap: off\n';
  const e = effectiveConfig({ maxFileSize: 1, rules: { 'deprecated-loadbalancerip': 'error', 'pool-host-bits': false } }, file);
  assert.equal(e.metallbVersion, '0.13.7');
  assert.deepEqual(e.config.rules, { 'deprecated-loadbalancerip': 'error', 'pool-overlap': 'off', 'pool-host-bits': 'off' });
  const e2 = effectiveConfig({ maxFileSize: 1, metallbVersion: '0.14.9', rules: { x: 'loud' } }, 'bad: [');
  assert.equal(e2.metallbVersion, '0.14.9');
  assert.equal(e2.problems.length, 2);
  const idx = ws();
  idx.effective = effectiveConfig({ maxFileSize: 1, rules: { 'deprecated-loadbalancerip': 'off' } });
  assert.ok(!idx.lintFile('services.yaml').findings.some((f) => f.rule === 'deprecated-loadbalancerip'));
  idx.effective = effectiveConfig({ maxFileSize: 1, metallbVersion: '0.13.12' });
  const dep = idx.lintFile('services.yaml').findings.find((f) => f.rule === 'deprecated-loadbalancerip');
  assert.match(dep!.message, /metallb\.universe\.tf\/loadBalancerIPs/, 'prefix follows the version');
});

test('baselines: git HEAD texts win, else the state file; the state file is not linted as a manifest', () => {
  const idx = ws();
  assert.equal(idx.baselineSource, 'none');
  idx.setFile('cluster-state.yaml', STATE);
  idx.setState('cluster-state.yaml', STATE);
  idx.setExcluded(['cluster-state.yaml']);
  assert.equal(idx.baselineSource, 'state');
  assert.equal(idx.baseline()?.[0].file, 'cluster-state.yaml');
  assert.ok(!idx.lintFiles().some((f) => f.file === 'cluster-state.yaml'));
  idx.setGitBaseline(new Map([['pools.yaml', POOLS]]));
  assert.equal(idx.baselineSource, 'git');
  assert.deepEqual(idx.baseline()?.map((f) => f.file), ['pools.yaml']);
  idx.setClusterSnapshot('cluster:prod', STATE);
  assert.equal(idx.stateSource, 'cluster:prod');
});

test('movedServices reads data.moves in the shapes rules use', () => {
  const base = parseManifestText('a: 1\n', 'x.yaml');
  void base;
  const f = { rule: 'cidr-edit-reassigns', severity: 'warning' as const, file: 'p.yaml', range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } }, message: 'Pool edit moves Services.', docsUrl: 'u' };
  assert.deepEqual(movedServices({ ...f, data: { moves: ['shop/web', { key: 'shop/api', before: ['1.1.1.1'], after: ['1.1.1.2'] }] } }), ['shop/web', 'shop/api (1.1.1.1 → 1.1.1.2)']);
  assert.match(toDiagnosticSpec({ ...f, data: { moves: ['shop/web'] } }).message, /Services that would move: shop\/web\./);
  assert.equal(toDiagnosticSpec({ ...f, message: 'moves shop/web', data: { moves: ['shop/web'] } }).message, 'moves shop/web');
});
