// The incremental parser must give exactly what a full parse gives (documents, values, every range,
// parse findings, ignore comments) while re-parsing only the documents whose text changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IncrementalParser } from '../../../shared/src/manifest/incremental.js';
import { parseManifestText, type ManifestFile } from '../../../shared/src/manifest/parse.js';
import type { ManifestDocument, PathSegment } from '../../../shared/src/manifest/document.js';
import { isRelevantKind } from '../../../shared/src/model/kinds.js';

const POOL = (name: string, cidr: string) =>
  `---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: ${name}\n  namespace: metallb-system\nspec:\n  addresses:\n    - ${cidr}\n`;
const SVC = (name: string, ip: string) =>
  `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  annotations:\n    metallb.io/address-pool: prod\nspec:\n  type: LoadBalancer\n  loadBalancerIP: ${ip}\n  ports:\n    - port: 80\n`;
const OTHER = '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: yes\n';

const PATHS: PathSegment[][] = [[], ['metadata', 'name'], ['spec', 'addresses', 0], ['spec', 'loadBalancerIP'], ['spec', 'ports', 0, 'port'], ['spec', 'missing']];

function summary(f: ManifestFile) {
  const docs = f.documents.map((d: ManifestDocument) => ({
    docIndex: d.docIndex,
    kind: d.kind,
    name: d.name,
    value: d.value,
    ranges: PATHS.flatMap((p) => (['key', 'value', 'pair'] as const).map((part) => d.locate(p, part))),
  }));
  return { file: f.file, text: f.text, docs, findings: f.findings, ignore: f.ignoreComments, lineCount: f.lines.lineCount };
}

const BASE = [POOL('prod', '10.0.0.0/24'), SVC('a', '10.0.0.5'), OTHER, SVC('b', '10.0.0.6'), '# lbguard-ignore x: because\n', POOL('dev', '10.1.0.0/24')].join('');

test('same result as a full parse, for a file and after edits in each document', () => {
  const p = new IncrementalParser('m.yaml', { kindFilter: isRelevantKind });
  assert.deepEqual(summary(p.parse(BASE)), summary(parseManifestText(BASE, 'm.yaml', { kindFilter: isRelevantKind })));
  assert.equal(p.lastStats.parsed, p.lastStats.segments);
  const edits = [
    BASE.replace('10.0.0.5', '10.0.0.55'), // grows a document in the middle: later documents move
    BASE.replace('name: prod', 'name: production\n  labels: {a: b}'), // adds a line to the first document
    BASE.replace('loadBalancerIP: 10.0.0.6', 'loadBalancerIP: [oops'), // syntax error
    BASE.replace('replicas: yes', 'replicas: on'),
    BASE.replace('# lbguard-ignore x: because\n', ''),
  ];
  for (const text of edits) {
    const inc = p.parse(text);
    assert.deepEqual(summary(inc), summary(parseManifestText(text, 'm.yaml', { kindFilter: isRelevantKind })));
    assert.ok(p.lastStats.parsed <= 2, `re-parsed ${p.lastStats.parsed} of ${p.lastStats.segments}`);
  }
});

test('only the changed document is parsed again', () => {
  const p = new IncrementalParser('m.yaml');
  p.parse(BASE);
  p.parse(BASE.replace('10.0.0.5', '10.0.0.7'));
  assert.deepEqual(p.lastStats, { segments: 5, parsed: 1 });
  p.parse(BASE.replace('10.0.0.5', '10.0.0.7'));
  assert.deepEqual(p.lastStats, { segments: 5, parsed: 0 });
});

test('property: random edits give the full parse result', () => {
  const p = new IncrementalParser('r.yaml', { kindFilter: isRelevantKind });
  p.parse(BASE);
  const alphabet = ['a', ' ', '\n', ':', '-', '---\n', '1', '.', '/', '#', '"', '\r\n', 'kind: Service\n', '  '];
  fc.assert(
    fc.property(
      fc.array(fc.record({ at: fc.nat(), del: fc.nat({ max: 6 }), ins: fc.array(fc.constantFrom(...alphabet), { maxLength: 4 }) }), { maxLength: 6 }),
      (edits) => {
        let text = BASE;
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.ins.join('') + text.slice(at + e.del);
          assert.deepEqual(summary(p.parse(text)), summary(parseManifestText(text, 'r.yaml', { kindFilter: isRelevantKind })));
        }
      },
    ),
    { numRuns: 100 },
  );
});

test('unchanged documents at the same place keep their ManifestDocument objects', () => {
  const p = new IncrementalParser('m.yaml', { kindFilter: isRelevantKind });
  const first = p.parse(BASE).documents;
  // Same length edit in the second Service: everything else is where it was.
  const same = p.parse(BASE.replace('10.0.0.6', '10.0.0.7')).documents;
  assert.deepEqual(same.map((d, i) => d === first[i]), [true, true, false, true]);
  // A longer edit in the first Service moves the documents after it: those are new objects.
  const moved = p.parse(BASE.replace('10.0.0.6', '10.0.0.7').replace('10.0.0.5', '10.0.0.55')).documents;
  assert.deepEqual(moved.map((d, i) => d === same[i]), [true, false, false, false]);
  // A same-length edit that removes a line break from a document: the documents after it start at
  // the same offset but one line earlier, so they are new objects, with the full parse's ranges.
  const a = p.parse(BASE).documents;
  const joined = BASE.replace('  name: a\n  annotations:\n    metallb.io/address-pool: prod\n', '  name: a\n  annotations: {metallb.io/address-pool: prod}  \n');
  assert.equal(joined.length, BASE.length);
  const b = p.parse(joined);
  assert.deepEqual(b.findings, []);
  assert.deepEqual(b.documents.map((d, i) => d === a[i]), [true, false, false, false]);
  assert.equal(b.documents[2].range.start.offset, a[2].range.start.offset);
  assert.equal(b.documents[2].range.start.line, a[2].range.start.line - 1);
  assert.deepEqual(summary(b), summary(parseManifestText(joined, 'm.yaml', { kindFilter: isRelevantKind })));
});
