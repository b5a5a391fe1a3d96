// kubectl lb lint: where input comes from (files, directories, globs, stdin, --include, config)
// and what bad input does (clear message naming the file, exit 2, never a stack trace).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoStack, BAD_POOL, ensureBuilt, LB_IP_SERVICE, POOL, removeDir, run, SERVICE, tempDir } from './helpers.js';

const dirs: string[] = [];
const mk = (files: Record<string, string | Buffer>) => {
  const d = tempDir(files);
  dirs.push(d);
  return d;
};
const json = (stdout: string) => JSON.parse(stdout) as { findings: { rule: string; file: string; line: number; severity: string; message: string }[]; summary: { files: number } };

describe('lint inputs', () => {
  before(() => ensureBuilt());
  after(() => dirs.forEach(removeDir));

  test('directories are walked recursively for *.yaml/*.yml, skipping node_modules and .git', () => {
    const d = mk({
      'a/pools.yaml': BAD_POOL,
      'a/b/svc.yml': LB_IP_SERVICE,
      'a/notes.txt': BAD_POOL,
      'a/node_modules/x.yaml': BAD_POOL,
      'a/.git/y.yaml': BAD_POOL,
      'empty/README.md': '# nothing',
    });
    const doc = json(run(['lint', 'a', '-o', 'json'], { cwd: d }).stdout);
    assert.equal(doc.summary.files, 2);
    assert.deepEqual([...new Set(doc.findings.map((f) => f.file))].sort(), ['a/b/svc.yml', 'a/pools.yaml']);
    const empty = run(['lint', 'empty'], { cwd: d });
    assert.equal(empty.code, 0, 'a directory without YAML is fine');
    assert.equal(empty.stdout, 'No problems found in 0 files.\n');
  });

  test('globs: *, ** and {a,b}', () => {
    const d = mk({ 'k8s/prod/pools.yaml': BAD_POOL, 'k8s/dev/svc.yaml': LB_IP_SERVICE, 'k8s/dev/other.yml': SERVICE, 'top.yaml': BAD_POOL });
    const files = (g: string) => [...new Set(json(run(['lint', g, '-o', 'json', '--fail-on', 'error'], { cwd: d }).stdout).findings.map((f) => f.file))].sort();
    assert.deepEqual(files('k8s/**/*.yaml'), ['k8s/dev/svc.yaml', 'k8s/prod/pools.yaml']);
    assert.deepEqual(files('k8s/*/pools.yaml'), ['k8s/prod/pools.yaml']);
    assert.deepEqual(files('k8s/{dev,prod}/*.y*ml'), ['k8s/dev/svc.yaml', 'k8s/prod/pools.yaml']);
    assert.deepEqual(files('*.yaml'), ['top.yaml']);
    const none = run(['lint', 'nothing/**/*.yaml'], { cwd: d });
    assert.equal(none.code, 0, 'a glob that matches nothing is not an error');
  });

  test('stdin with -', () => {
    const r = run(['lint', '-', '-o', 'json'], { input: BAD_POOL });
    assert.equal(r.code, 1);
    const doc = json(r.stdout);
    assert.equal(doc.findings[0].file, '<stdin>');
    assert.equal(doc.findings[0].line, 8);
    const text = run(['lint', '-'], { input: BAD_POOL });
    assert.match(text.stdout, /^<stdin>:8:5 error pool-invalid-address /);
  });

  test('a named missing path is exit 2 naming it', () => {
    const d = mk({ 'ok.yaml': POOL });
    const r = run(['lint', 'ok.yaml', 'missing.yaml'], { cwd: d });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'error: missing.yaml: no such file or directory\n');
  });

  test('a binary file is refused with a clear message', () => {
    const d = mk({ 'blob.yaml': Buffer.from([0x61, 0x3a, 0x20, 0x00, 0xff, 0xfe, 0x01]) });
    const r = run(['lint', 'blob.yaml'], { cwd: d });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: blob.yaml: binary file (NUL byte at offset 3), not YAML; remove it from the inputs\n');
  });

  test('a 50 MB file gives a clear error quickly; --max-file-size raises the limit', () => {
    const d = mk({});
    const big = join(d, 'huge.yaml');
    const line = '# ' + 'x'.repeat(1021) + '\n';
    writeFileSync(big, line.repeat(50 * 1024));
    const r = run(['lint', 'huge.yaml'], { cwd: d, timeout: 20_000 });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: huge.yaml: file is 50.0 MB, larger than --max-file-size 10.0 MB; raise --max-file-size to read it\n');
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
    const small = run(['lint', '-', '--max-file-size', '1k'], { input: BAD_POOL + '#'.repeat(2000) });
    assert.equal(small.code, 2);
    assert.match(small.stderr, /^error: <stdin>: input is larger than --max-file-size 1\.0 kB/);
    const bad = run(['lint', '-', '--max-file-size', 'lots'], { input: POOL });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-file-size: "lots" is not a size/);
  });

  test('malformed YAML is reported and the other documents are still linted', () => {
    const d = mk({ 'mixed.yaml': `apiVersion: v1\nkind: Service\nmetadata: {name: a\nspec: [\n---\n${BAD_POOL}` });
    const r = run(['lint', 'mixed.yaml', '-o', 'json'], { cwd: d });
    assert.equal(r.code, 1);
    const rules = json(r.stdout).findings.map((f) => f.rule);
    assert.ok(rules.includes('yaml-syntax'), rules.join());
    assert.ok(rules.includes('pool-invalid-address'), rules.join());
    assertNoStack(r.stderr);
  });

  test('a document that is a string, wrong types, invalid CIDRs: findings, no crash', () => {
    const d = mk({
      'weird.yaml': `just a string\n---\n- a\n- list\n---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: p\n  namespace: metallb-system\nspec:\n  addresses: 42\n  autoAssign: "maybe"\n---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: q\n  namespace: metallb-system\nspec:\n  addresses: [300.1.1.1/24, "10.0.0.0/8-10.1.0.0", fe80::/200]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: LoadBalancer\n  ports: "eighty"\n  loadBalancerIP: [1, 2]\n`,
    });
    const r = run(['lint', 'weird.yaml', '-o', 'json'], { cwd: d });
    assert.equal(r.code, 1, r.stderr);
    assertNoStack(r.stderr);
    const doc = json(r.stdout);
    const rules = doc.findings.map((f) => f.rule);
    assert.ok(rules.filter((x) => x === 'invalid-object').length >= 2, rules.join());
    assert.ok(rules.filter((x) => x === 'pool-invalid-address').length >= 3, rules.join());
    assert.ok(!rules.includes('internal-error'), JSON.stringify(doc.findings.filter((f) => f.rule === 'internal-error')));
  });

  test('an alias bomb is refused as a finding in bounded time', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
    const d = mk({ 'bomb.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: bomb\n${bomb.map((l) => `  ${l}`).join('\n').replace(/^  a:/, '  a:')}\nspec:\n  type: LoadBalancer\n---\n${BAD_POOL}` });
    const r = run(['lint', 'bomb.yaml', '-o', 'json'], { cwd: d, timeout: 20_000 });
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
    assert.equal(r.code, 1, r.stderr);
    const f = json(r.stdout).findings;
    assert.ok(f.some((x) => x.rule === 'yaml-syntax' && /alias/i.test(x.message)), JSON.stringify(f.map((x) => x.message)));
    assert.ok(f.some((x) => x.rule === 'pool-invalid-address'));
  });

  test('--include loads context whose own findings are not reported', () => {
    const d = mk({ 'pools/pools.yaml': BAD_POOL + '---\n' + POOL, 'svc.yaml': LB_IP_SERVICE });
    const r = run(['lint', 'svc.yaml', '--include', 'pools', '-o', 'json'], { cwd: d });
    const files = new Set(json(r.stdout).findings.map((f) => f.file));
    assert.deepEqual([...files], ['svc.yaml']);
    assert.equal(json(r.stdout).summary.files, 1);
    assert.equal(run(['lint', 'svc.yaml', '--include', 'nope'], { cwd: d }).code, 2);
  });

  test('.lbguard.yaml: found upward from the working directory; rule severities and failOn apply', () => {
    const d = mk({
      '.lbguard.yaml': 'rules:\n  deprecated-loadbalancerip: "off"\nfailOn: error\n',
      'sub/dir/svc.yaml': LB_IP_SERVICE,
    });
    const r = run(['lint', 'svc.yaml', '-o', 'json'], { cwd: join(d, 'sub/dir') });
    assert.equal(r.code, 0, r.stdout);
    assert.ok(!json(r.stdout).findings.some((f) => f.rule === 'deprecated-loadbalancerip'));
    const explicit = run(['lint', 'sub/dir/svc.yaml', '--config', join(d, 'sub', 'none.yaml')], { cwd: d });
    assert.equal(explicit.code, 2);
    assert.match(explicit.stderr, /^error: sub\/none\.yaml: cannot read config \(ENOENT\)/);
  });

  test('a bad .lbguard.yaml is exit 2 with file:line:col', () => {
    const d = mk({ '.lbguard.yaml': 'metallb:\n  version: 0.13\nrules:\n  deprecated-loadbalancerip: loud\n', 'svc.yaml': SERVICE });
    const r = run(['lint', 'svc.yaml'], { cwd: d });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: \.lbguard\.yaml:4:\d+: rule "deprecated-loadbalancerip" must be error, warning, info or off\n$/);
    const v = mk({ '.lbguard.yaml': 'metallb:\n  version: "0.9"\n', 'svc.yaml': SERVICE });
    const rv = run(['lint', 'svc.yaml'], { cwd: v });
    assert.equal(rv.code, 2);
    assert.match(rv.stderr, /^error: \.lbguard\.yaml: metallb\.version: MetalLB 0\.9 is older than 0\.12/);
  });

  test('--state reads a kubectl List snapshot', () => {
    const r = run(['lint', 'examples/manifests', '--state', 'examples/cluster-state.yaml', '-o', 'json']);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assert.equal(run(['lint', 'examples/manifests', '--state', 'nope.yaml']).code, 2);
  });
});
