// kubectl lb lint: the four output formats render the same findings with the same positions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { annotation, escapeData, escapeProperty } from '../../kubectl-plugin/src/format/github.js';
import { BAD_POOL, ensureBuilt, LB_IP_SERVICE, POOL, removeDir, run, SERVICE, tempDir } from './helpers.js';

let dir: string;

describe('lint output formats', () => {
  before(() => {
    ensureBuilt();
    dir = tempDir({ 'pools.yaml': POOL + '---\n' + BAD_POOL, 'svc.yaml': SERVICE + '---\n' + LB_IP_SERVICE, 'clean.yaml': POOL });
  });
  after(() => removeDir(dir));

  test('text: exact `file:line:col severity rule message` lines, summary, docs links; exit 1', () => {
    const json = JSON.parse(run(['lint', 'pools.yaml', 'svc.yaml', '-o', 'json'], { cwd: dir }).stdout);
    const r = run(['lint', 'pools.yaml', 'svc.yaml'], { cwd: dir });
    assert.equal(r.code, 1);
    const expected = json.findings.map((f: { file: string; line: number; column: number; severity: string; rule: string; message: string }) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule} ${f.message}`);
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines.slice(0, expected.length), expected);
    assert.ok(expected.some((l: string) => l.startsWith('pools.yaml:17:5 error pool-invalid-address ')), expected.join('\n'));
    assert.ok(expected.some((l: string) => l.startsWith('svc.yaml:19:3 warning deprecated-loadbalancerip ')), expected.join('\n'));
    const s = json.summary;
    assert.ok(lines.includes(`${s.errors + s.warnings + s.infos} problems (${[s.errors && `${s.errors} error${s.errors > 1 ? 's' : ''}`, s.warnings && `${s.warnings} warning${s.warnings > 1 ? 's' : ''}`, s.infos && `${s.infos} info`].filter(Boolean).join(', ')})`), r.stdout);
    assert.match(r.stdout, /\nDocs:\n  pool-invalid-address: https:\/\/github\.com\/lbguard\/lbguard\/blob\/main\/docs\/rules\/pool-invalid-address\.md/);
    assert.equal(r.stderr, '');
  });

  test('text: a clean input says so and exits 0', () => {
    const r = run(['lint', 'clean.yaml', '--fail-on', 'error'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout.trim().split('\n').at(-1)!, /^No problems found in 1 file\.$|^\d+ problems? \(\d+ info\)$/);
  });

  test('--fail-on decides the exit code', () => {
    assert.equal(run(['lint', 'svc.yaml', '--fail-on', 'error'], { cwd: dir }).code, 0);
    assert.equal(run(['lint', 'svc.yaml', '--fail-on', 'warning'], { cwd: dir }).code, 1);
    assert.equal(run(['lint', 'svc.yaml'], { cwd: dir }).code, 1, 'default is warning');
    assert.equal(run(['lint', 'pools.yaml', '--fail-on', 'error'], { cwd: dir }).code, 1);
  });

  test('json: versioned document with 1-based end-exclusive ranges and a summary', () => {
    const r = run(['lint', 'pools.yaml', 'svc.yaml', '-o', 'json'], { cwd: dir });
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.version, 1);
    assert.equal(doc.tool, 'lbguard');
    assert.match(doc.metallbVersion, /^\d+\.\d+\.\d+$/);
    assert.ok(doc.findings.length >= 2);
    for (const f of doc.findings) {
      for (const k of ['rule', 'severity', 'file', 'message', 'docsUrl']) assert.equal(typeof f[k], 'string', k);
      for (const k of ['line', 'column', 'endLine', 'endColumn']) assert.ok(Number.isInteger(f[k]) && f[k] >= 1, k);
      assert.ok(['error', 'warning', 'info'].includes(f.severity));
      assert.ok(f.endLine > f.line || (f.endLine === f.line && f.endColumn >= f.column));
    }
    const bad = doc.findings.find((f: { rule: string }) => f.rule === 'pool-invalid-address');
    assert.deepEqual([bad.file, bad.line, bad.column, bad.endLine, bad.endColumn], ['pools.yaml', 17, 5, 17, 16]); // `10.0.0.1/33`, end-exclusive
    assert.deepEqual(bad.object, { kind: 'IPAddressPool', apiVersion: 'metallb.io/v1beta1', name: 'broken', namespace: 'metallb-system' });
    assert.deepEqual(Object.keys(doc.summary).sort(), ['errors', 'exitCode', 'failOn', 'files', 'infos', 'suppressed', 'warnings']);
    assert.equal(doc.summary.files, 2);
    assert.equal(doc.summary.exitCode, 1);
    assert.equal(doc.summary.errors, doc.findings.filter((f: { severity: string }) => f.severity === 'error').length);
  });

  test('sarif: 2.1.0 log with rules, levels, regions, relative URIs', () => {
    const r = run(['lint', 'pools.yaml', 'svc.yaml', '-o', 'sarif'], { cwd: dir });
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const run0 = log.runs[0];
    const driver = run0.tool.driver;
    assert.equal(driver.name, 'lbguard');
    assert.match(driver.version, /^\d+\.\d+\.\d+/);
    assert.match(driver.informationUri, /^https:\/\//);
    assert.ok(driver.rules.length >= 2);
    const ids = new Set();
    for (const rule of driver.rules) {
      assert.ok(!ids.has(rule.id), `duplicate rule ${rule.id}`);
      ids.add(rule.id);
      assert.equal(typeof rule.shortDescription.text, 'string');
      assert.match(rule.helpUri, new RegExp(`/docs/rules/${rule.id}\\.md$`));
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    assert.ok(run0.results.length >= 2);
    for (const res of run0.results) {
      assert.equal(driver.rules[res.ruleIndex].id, res.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      assert.equal(typeof res.message.text, 'string');
      const loc = res.locations[0].physicalLocation;
      assert.ok(!loc.artifactLocation.uri.includes('\\') && !loc.artifactLocation.uri.startsWith('/'));
      for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) assert.ok(Number.isInteger(loc.region[k]) && loc.region[k] >= 1);
    }
    const bad = run0.results.find((x: { ruleId: string }) => x.ruleId === 'pool-invalid-address');
    assert.equal(bad.level, 'error');
    assert.deepEqual(bad.locations[0].physicalLocation, { artifactLocation: { uri: 'pools.yaml' }, region: { startLine: 17, startColumn: 5, endLine: 17, endColumn: 16 } });
    const dep = run0.results.find((x: { ruleId: string }) => x.ruleId === 'deprecated-loadbalancerip');
    assert.equal(dep.level, 'warning');
    if (dep.fixes) {
      const change = dep.fixes[0].artifactChanges[0];
      assert.equal(change.artifactLocation.uri, 'svc.yaml');
      assert.ok(change.replacements[0].deletedRegion.startLine >= 1);
      assert.equal(typeof change.replacements[0].insertedContent.text, 'string');
    }
  });

  test('sarif: suppressed findings are kept with suppressions; json marks them', () => {
    const d = tempDir({
      's.yaml': `apiVersion: v1
kind: Service
metadata:
  name: legacy
spec:
  type: LoadBalancer
  # lbguard-ignore deprecated-loadbalancerip: migrating next sprint
  loadBalancerIP: 192.168.1.15
  ports: [{port: 80}]
`,
    });
    try {
      const sarif = JSON.parse(run(['lint', 's.yaml', '-o', 'sarif'], { cwd: d }).stdout);
      const res = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'deprecated-loadbalancerip');
      assert.deepEqual(res.suppressions, [{ kind: 'inSource', status: 'accepted', justification: 'migrating next sprint' }]);
      const j = run(['lint', 's.yaml', '-o', 'json'], { cwd: d });
      const doc = JSON.parse(j.stdout);
      const f = doc.findings.find((x: { rule: string }) => x.rule === 'deprecated-loadbalancerip');
      assert.deepEqual(f.suppressed, { kind: 'comment', justification: 'migrating next sprint' });
      assert.equal(doc.summary.suppressed, 1);
      const text = run(['lint', 's.yaml'], { cwd: d });
      assert.ok(!text.stdout.includes('deprecated-loadbalancerip'));
      assert.match(text.stdout, /\(1 suppressed\)/);
      const shown = run(['lint', 's.yaml', '--show-suppressed'], { cwd: d });
      assert.match(shown.stdout, /s\.yaml:8:3 warning deprecated-loadbalancerip .*\(suppressed by comment: migrating next sprint\)/);
    } finally {
      removeDir(d);
    }
  });

  test('github: one workflow command per finding, info -> notice, columns only on one line', () => {
    const r = run(['lint', 'pools.yaml', 'svc.yaml', '-o', 'github'], { cwd: dir });
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    const cmds = lines.filter((l) => l.startsWith('::'));
    assert.ok(cmds.length >= 2);
    assert.ok(cmds.some((l) => l.startsWith('::error file=pools.yaml,line=17,endLine=17,col=5,endColumn=15,title=lbguard pool-invalid-address::')), cmds.join('\n'));
    for (const l of cmds) assert.match(l, /^::(error|warning|notice) file=[^,]+,line=\d+,endLine=\d+(,col=\d+,endColumn=\d+)?,title=lbguard [a-z0-9-]+::\S/);
    assert.match(lines.at(-1)!, /^\d+ problems? \(/);
  });

  test('github: escaping of %, CR, LF in data and also : and , in properties', () => {
    assert.equal(escapeData('100% done\r\nnext'), '100%25 done%0D%0Anext');
    assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
    const range = { start: { line: 3, column: 2, offset: 0 }, end: { line: 5, column: 1, offset: 9 } };
    const a = annotation({ rule: 'r', severity: 'info', file: 'dir,x/f:1.yaml', range, message: 'ip 1.2.3.4:80, 50%\nnext', docsUrl: 'https://x/r.md' });
    assert.equal(a, '::notice file=dir%2Cx/f%3A1.yaml,line=3,endLine=5,title=lbguard r::ip 1.2.3.4:80, 50%25%0Anext (https://x/r.md)');
  });

  test('github: file names with commas and colons are escaped end to end', () => {
    const d = tempDir({ 'a,b:c.yaml': BAD_POOL });
    try {
      const r = run(['lint', 'a,b:c.yaml', '-o', 'github'], { cwd: d });
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^::error file=a%2Cb%3Ac\.yaml,line=8,endLine=8,col=5,endColumn=15,title=lbguard pool-invalid-address::/m);
    } finally {
      removeDir(d);
    }
  });

  test('colour: --color always colours, NO_COLOR and pipes do not, --color always beats NO_COLOR', () => {
    const esc = /\x1b\[/;
    assert.doesNotMatch(run(['lint', 'svc.yaml'], { cwd: dir }).stdout, esc, 'piped: no colour');
    assert.match(run(['lint', 'svc.yaml', '--color', 'always'], { cwd: dir }).stdout, esc);
    assert.match(run(['lint', 'svc.yaml'], { cwd: dir, env: { FORCE_COLOR: '1' } }).stdout, esc);
    assert.doesNotMatch(run(['lint', 'svc.yaml'], { cwd: dir, env: { FORCE_COLOR: '1', NO_COLOR: '' } }).stdout, esc, 'NO_COLOR (even empty) wins over FORCE_COLOR');
    assert.match(run(['lint', 'svc.yaml', '--color', 'always'], { cwd: dir, env: { NO_COLOR: '1' } }).stdout, esc);
    assert.doesNotMatch(run(['lint', 'svc.yaml', '--color', 'never'], { cwd: dir, env: { FORCE_COLOR: '1' } }).stdout, esc);
    assert.doesNotMatch(run(['lint', 'svc.yaml', '-o', 'json', '--color', 'always'], { cwd: dir }).stdout, esc, 'json is never coloured');
  });
});
