// Listed objects as one ManifestFile (kubectl-plugin/src/live/objects.ts): one JSON document per
// object, `---` separated; positions point into that text, which is made only when asked for (and
// no JSON at all until a position is).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveDocuments, objectsToManifestFile } from '../../kubectl-plugin/src/live/objects.js';
import { lint } from '../../shared/src/lint/engine.js';

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

test('every position (line, column, offset) is the one the whole text gives, without making the text first', () => {
  const many = Array.from({ length: 30 }, (_, i) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}`, namespace: 'é-ns', labels: { a: 'x'.repeat(i) } }, spec: { ports: [{ port: 80 + i }] } }));
  const f = objectsToManifestFile(many, 'live');
  const positions = f.documents.map((d) => d.locate(['spec', 'ports', 0, 'port']).range);
  for (const [i, r] of positions.entries()) {
    assert.equal(r.start.line, 2 * i + 1);
    assert.deepEqual(f.lines.position(r.start.offset), r.start);
    assert.deepEqual(f.lines.position(r.end.offset), r.end);
    assert.equal(f.text.slice(r.start.offset, r.end.offset), String(80 + i));
  }
  assert.deepEqual(JSON.parse(JSON.stringify(positions[3].start)), { line: 7, column: positions[3].start.column, offset: positions[3].start.offset }, 'the offset is a plain field to JSON');
});

test('objects prepared page by page (LiveDocuments.add) give the same file; an object listed twice is two documents', () => {
  const live = new LiveDocuments('live', { kindFilter: (kind) => kind !== 'ConfigMap' });
  live.add(objects.slice(0, 2));
  live.add(objects.slice(2));
  const f = live.file([...objects, objects[1]]);
  const g = objectsToManifestFile([...objects, objects[1]], 'live', (kind) => kind !== 'ConfigMap');
  assert.equal(f.text, g.text);
  assert.deepEqual(f.documents.map((d) => [d.docIndex, d.kind, d.locate(['metadata', 'name']).range]), g.documents.map((d) => [d.docIndex, d.kind, d.locate(['metadata', 'name']).range]));
  assert.equal(new Set(f.documents).size, 4);
  assert.equal(f.documents[3].locate(['metadata', 'name']).range.start.line, 9);
});

test('the listing is not a file anyone edits: rules offer no fixes on it, and its text is never made for them', () => {
  const pool = { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p', namespace: 'metallb-system' }, spec: { addresses: ['10.0.0.1/24'] } };
  const f = objectsToManifestFile([pool], 'live');
  assert.equal(f.editable, false);
  let made = false;
  const watched = { ...f, get text() { made = true; return f.text; } };
  watched.documents = f.documents;
  const hostBits = lint({ files: [watched] }).findings.find((x) => x.rule === 'pool-host-bits');
  assert.ok(hostBits, 'pool-host-bits still reported');
  assert.equal(hostBits.fixes, undefined);
  assert.equal(made, false);
  // The same pool in an editable file gets the fix.
  const editable = { ...objectsToManifestFile([pool], 'file'), editable: undefined };
  assert.ok(lint({ files: [editable] }).findings.find((x) => x.rule === 'pool-host-bits')?.fixes?.length);
});
