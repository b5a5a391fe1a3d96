// kubectl lb: version, help for every command, usage errors and their exit codes.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoStack, ensureBuilt, ROOT, run } from './helpers.js';

const COMMANDS = ['lint', 'status', 'explain', 'simulate', 'plan'];

describe('kubectl lb basics', () => {
  before(() => ensureBuilt());

  test('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const r = run(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), `lbguard ${pkg.version}`);
  });

  test('no arguments prints usage and exits 0', () => {
    const r = run([]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: kubectl lb <command>/);
    for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'));
    assert.match(r.stdout, /Exit codes:/);
  });

  test('--help lists every command', () => {
    const r = run(['--help']);
    assert.equal(r.code, 0);
    for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'));
  });

  for (const c of COMMANDS) {
    test(`${c} --help has usage, the shared flags and examples`, () => {
      const r = run([c, '--help']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^Usage: kubectl lb ${c}`, 'm'));
      for (const flag of ['--metallb-version', '--metallb-namespace', '--config', '--color', '--max-file-size']) assert.ok(r.stdout.includes(flag), `${c} --help lacks ${flag}`);
      assert.match(r.stdout, /Examples:\n/);
      assert.match(r.stdout, /^  kubectl lb /m);
      assert.match(r.stdout, /Exit codes:/);
    });
  }

  test('an unknown command is a usage error (exit 2)', () => {
    const r = run(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
  });

  test('an unknown flag is a usage error (exit 2)', () => {
    const r = run(['lint', '--nope', 'examples/manifests']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--nope'/);
  });

  test('a bad --output value lists the choices (exit 2)', () => {
    const r = run(['lint', '-o', 'xml', 'examples/manifests']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Allowed choices are text, json, sarif, github/);
  });

  test('a bad --metallb-version is a usage error listing the profiles', () => {
    for (const c of [['lint', 'examples/manifests'], ['status', '--state', 'examples/cluster-state.yaml'], ['simulate', '-f', 'examples/manifests']]) {
      const r = run([...c, '--metallb-version', '9.9.x']);
      assert.equal(r.code, 2, `${c[0]}: ${r.stderr}`);
      assert.match(r.stderr, /^error: --metallb-version: unknown MetalLB version "9\.9\.x"/);
      assert.match(r.stderr, /0\.13, 0\.14\.2, 0\.14\.8, 0\.14, 0\.14\.9, 0\.15, 0\.16, latest/);
      assertNoStack(r.stderr);
    }
  });

  test('a profile name is accepted as --metallb-version', () => {
    const r = run(['lint', 'examples/manifests/app.yaml', '--metallb-version', '0.13', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).metallbVersion, '0.13.12');
  });

  test('a missing required flag is a usage error', () => {
    assert.equal(run(['simulate']).code, 2);
    assert.equal(run(['plan', '--from', 'examples/cluster-state.yaml']).code, 2);
    // Without --state, status reads the live cluster; with no kubeconfig that is exit 2, one line, no stack.
    const r = run(['status'], { env: { KUBECONFIG: '/nonexistent/kubeconfig', HOME: '/nonexistent' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: /);
    assertNoStack(r.stderr);
  });

  test('LBGUARD_DEBUG=1 adds a stack; without it there is none', () => {
    const plain = run(['lint', 'does-not-exist.yaml']);
    assert.equal(plain.code, 2);
    assert.equal(plain.stderr, 'error: does-not-exist.yaml: no such file or directory\n');
    const dbg = run(['lint', 'does-not-exist.yaml'], { env: { LBGUARD_DEBUG: '1' } });
    assert.equal(dbg.code, 2);
    assert.match(dbg.stderr, /\n\s+at /);
  });
});
