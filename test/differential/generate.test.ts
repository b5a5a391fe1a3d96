// The differential test's scenario generator: deterministic per seed, version-gated features,
// configurations MetalLB accepts (an invalid one would make a scenario trivially "agree").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { parseScenario, runScenario } from '../../shared/src/metallb/scenario.js';
import { generateScenario, poolObject, namespaceObject } from './generate.js';

const VERSIONS = ['v0.13.12', 'v0.14.8', 'v0.16.2'];

test('same seed, version and index ⇒ same scenario; other index ⇒ another', () => {
  assert.deepEqual(generateScenario(42, 'v0.14.8', 3), generateScenario(42, 'v0.14.8', 3));
  assert.notDeepEqual(generateScenario(42, 'v0.14.8', 3), generateScenario(42, 'v0.14.8', 4));
});

test('features per version: serviceAllocation from 0.14.8, metallb.io/ prefix from 0.14.9', () => {
  const all = (v: string) => Array.from({ length: 300 }, (_, i) => generateScenario(1, v, i));
  assert.ok(all('v0.13.12').every((s) => s.pools.every((p) => !p.serviceAllocation)));
  assert.ok(all('v0.14.8').some((s) => s.pools.some((p) => p.serviceAllocation)));
  const keys = (v: string) => all(v).flatMap((s) => s.services.flatMap((x) => Object.keys(x.annotations)));
  assert.ok(keys('v0.14.8').every((k) => k.startsWith('metallb.universe.tf/')));
  assert.ok(keys('v0.16.2').length > 0 && keys('v0.16.2').every((k) => k.startsWith('metallb.io/')));
});

test('every generated configuration is valid, sizes stay in range, edits are a minority', () => {
  for (const v of VERSIONS) {
    let edits = 0;
    for (let i = 0; i < 200; i++) {
      const g = generateScenario(9, v, i);
      assert.ok(g.pools.length >= 1 && g.pools.length <= 4, g.id);
      assert.ok(g.services.length >= 1 && g.services.length <= 8, g.id);
      if (g.edit) edits++;
      const steps = [{ apply: [...g.namespaces.map(namespaceObject), ...g.pools.map((p) => poolObject(p))] }];
      if (g.edit) steps.push({ apply: [poolObject(g.pools.find((p) => p.name === g.edit!.pool)!, g.edit.addresses)] });
      const text = stringify({ kind: 'Scenario', metallbVersion: v.slice(1), ipFamilies: ['IPv4', 'IPv6'], steps });
      const parsed = parseScenario(text, `${g.id}.yaml`);
      assert.ok(parsed.scenario, `${g.id}: ${JSON.stringify(parsed.errors)}`);
      for (const r of runScenario(parsed.scenario)) assert.equal(r.configError, undefined, `${g.id}: ${r.configError?.message}`);
    }
    assert.ok(edits > 10 && edits < 60, `${v}: ${edits} edits in 200`);
  }
});
