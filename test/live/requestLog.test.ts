// kubectl's -v request logging against the real API server: -v=6 logs every request with its
// status and time, -v=7 the request headers with the credential masked, -v=8 the start of each
// answer; the output on stdout does not change, no level ever prints the token, and a level that
// is not a number is a usage error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster } from '../harness/kube/cluster.js';
import { crdDir } from '../harness/kube/paths.js';
import { ensureBuilt, lb, pool, service } from './helpers.js';

test('-v logs API requests as kubectl does, never the credential', { timeout: 240_000 }, async (t) => {
  ensureBuilt();
  const cluster = await startCluster();
  t.after(() => cluster.stop());
  await cluster.ensureMetalLBNamespace();
  await cluster.ensureNamespace('apps');
  await cluster.applyCRDs(crdDir('v0.14.8'));
  await cluster.apply([pool('p', ['192.168.80.0/24']), service('apps', 'web'), service('apps', 'db')]);
  const kc = cluster.kubeconfigFor('admin');
  const token = cluster.tokens.admin;
  const base = ['status', '--kubeconfig', kc, '-o', 'json', '--chunk-size', '1'];

  const quiet = lb(base);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.doesNotMatch(quiet.stderr, /milliseconds/, 'no log without -v');

  const v6 = lb([...base, '-v=6']);
  assert.equal(v6.code, 0, v6.stderr);
  assert.deepEqual(JSON.parse(v6.stdout).services, JSON.parse(quiet.stdout).services, 'stdout is the same with -v');
  // Every line but lbguard's own notes (no controller Deployment here) is a request.
  const lines = v6.stderr.split('\n').filter((l) => l && !l.startsWith('note: '));
  assert.ok(lines.length >= 5, v6.stderr);
  const server = cluster.server.replace(/\/$/, '');
  const request = new RegExp(`^GET ${server.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+ 200 OK in \\d+ milliseconds$`);
  for (const l of lines) assert.match(l, request);
  // Discovery, and the Services listed one per page (two Services: pages along the continue token).
  assert.ok(lines.some((l) => l.includes('/apis ')), v6.stderr);
  const servicePages = lines.filter((l) => l.includes('/api/v1/services?'));
  assert.ok(servicePages.length >= 2, v6.stderr);
  assert.ok(servicePages.some((l) => /[?&]continue=/.test(l)), 'a page asked for along the continue token is logged');
  assert.doesNotMatch(v6.stderr, /Request Headers|Response Body/);

  const v7 = lb([...base, '--v', '7']);
  assert.equal(v7.code, 0, v7.stderr);
  assert.match(v7.stderr, /^Request Headers:\n {4}Accept: application\/json\n/m);
  assert.match(v7.stderr, /^ {4}Authorization: Bearer <masked>$/m);
  assert.doesNotMatch(v7.stderr, /Response Body/);

  const v8 = lb([...base, '-v', '8']);
  assert.equal(v8.code, 0, v8.stderr);
  assert.match(v8.stderr, /^Response Body: \{"kind":"ServiceList"/m);

  for (const r of [v6, v7, v8]) assert.ok(!r.stderr.includes(token) && !r.stdout.includes(token), 'the token is never printed');

  const bad = lb([...base, '-v', 'loud']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: -v: "loud" is not a log level \(0-10; 6 logs each request\)/m);
});
