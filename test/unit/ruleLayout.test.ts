// One rule = one module with its doc page and tests, found from its id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { ALL_RULES } from '../../shared/src/rules/index.js';

const root = new URL('../../', import.meta.url).pathname;

test('every rule has a module, a doc page and a test file named after its id', () => {
  assert.ok(ALL_RULES.length > 0, 'no rules registered');
  const ids = new Set<string>();
  for (const rule of ALL_RULES) {
    const id = rule.meta.id;
    assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/, `rule id ${id} is kebab-case`);
    assert.ok(!ids.has(id), `duplicate rule id ${id}`);
    ids.add(id);
    assert.ok(existsSync(`${root}shared/src/rules/${id}.ts`), `shared/src/rules/${id}.ts`);
    assert.ok(existsSync(`${root}docs/rules/${id}.md`), `docs/rules/${id}.md`);
    assert.ok(existsSync(`${root}test/rules/${id}.test.ts`), `test/rules/${id}.test.ts`);
    assert.ok(rule.meta.description.length > 10, `${id} has a description`);
  }
});

test('every rule module is registered', () => {
  const modules = readdirSync(`${root}shared/src/rules`).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.replace(/\.ts$/, ''));
  const registered = new Set(ALL_RULES.map((r) => r.meta.id));
  for (const m of modules) assert.ok(registered.has(m), `shared/src/rules/${m}.ts is not in ALL_RULES`);
});

test('the issue\'s rule ids all exist (users\' configs name them)', () => {
  const required = [
    'deprecated-loadbalancerip', 'deprecated-annotation-prefix', 'loadbalancerip-conflict', 'dualstack-no-pool',
    'ip-family-mismatch', 'requested-ip-outside-pools', 'requested-ip-wrong-pool', 'requested-ip-taken',
    'pool-invalid-address', 'pool-overlap', 'pool-host-bits', 'pool-wrong-namespace', 'pool-never-auto-assigned',
    'pool-random-choice', 'pool-network-address', 'pool-exhausted', 'lb-class-ignored', 'cidr-edit-reassigns',
    'harvester-release-annotation-invalid', 'harvester-range-invalid', 'harvester-pool-overlap',
  ];
  const registered = new Set(ALL_RULES.map((r) => r.meta.id));
  const missing = required.filter((id) => !registered.has(id));
  assert.deepEqual(missing, []);
});

test('parse-level finding ids have doc pages too', () => {
  for (const id of ['yaml-syntax', 'yaml-ambiguous-boolean', 'invalid-object', 'ignore-without-reason', 'internal-error']) {
    assert.ok(existsSync(`${root}docs/rules/${id}.md`), `docs/rules/${id}.md`);
  }
});
