// Listed objects as one ManifestFile (kubectl-plugin/src/live/objects.ts): one JSON document per
// object, `---` separated; positions point into that text, which is made only when asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { objectsToManifestFile } from '../../kubectl-plugin/src/live/objects.js';

const objects = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'team-a' }, spec: { type: 'LoadBalancer', loadBalancerIP: '10.0.0.5' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'skipped' } },
  { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p', namespace: 'metallb-system' }, spec: { addresses: ['10.0.0.0/24'] } },
];

test('the text is the objects as JSON, `---` between them; documents keep their index in it', () => {
  const f = objectsToManifestFile(objects, 'live', (kind) => kind !== 'ConfigMap');
  assert.equal(f.text, `${objects.map((o) => JSON.stringify(o)).join('\n---\n')}\n`);
  assert.deepEqual(f.documents.map((d) => [d.docIndex, d.kind]), [[0, 'Namespace'], [1, 'Service'], [3, 'IPAddressPool']]);
  assert.equal(f.lines.lineCount, 2 * objects.length);
});

test('a position is the line and column in that text, and its offset', () => {
  const f = objectsToManifestFile(objects, 'live');
  const json = JSON.stringify(objects[3]);
  const start = f.text.indexOf(json);
  const at = f.documents[3].locate(['spec', 'addresses', 0]).range.start;
  const column = json.indexOf('"10.0.0.0/24"');
  assert.deepEqual(at, { line: 7, column: column + 1, offset: start + column });
  assert.equal(f.text.slice(at.offset, at.offset + 13), '"10.0.0.0/24"');
  assert.deepEqual(f.lines.position(at.offset), at);
});

test('a missing field points at the nearest ancestor that exists', () => {
  const f = objectsToManifestFile(objects, 'live');
  const loc = f.documents[1].locate(['spec', 'ports', 0, 'port']);
  assert.equal(loc.found, false);
  assert.equal(loc.range.start.line, 3);
});
