// readWhileParsing: a model read document by document while parsing, each plain value released
// after its read, must be the model buildModel makes from the fully parsed files, and a released
// value must read back as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifestText } from '../../../shared/src/manifest/parse.js';
import { buildModel } from '../../../shared/src/model/build.js';
import { isRelevantKind } from '../../../shared/src/model/kinds.js';
import { readWhileParsing } from '../../../shared/src/model/readWhileParsing.js';
import { REPO_ROOT } from '../../harness/kube/paths.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

const LIST = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: {name: a, namespace: x, annotations: {metallb.io/loadBalancerIPs: 10.0.0.5}}
    spec: {type: LoadBalancer, ports: [{port: 80}]}
  - apiVersion: metallb.io/v1beta1
    kind: IPAddressPool
    metadata: {name: p, namespace: metallb-system}
    spec: {addresses: [10.0.0.0/24]}
`;

const inputs = [...yamlFiles(join(REPO_ROOT, 'examples')).map((f) => ({ file: f, text: readFileSync(f, 'utf8') })), { file: 'list.yaml', text: LIST }];

test('the model read while parsing equals the model of the parsed files', () => {
  const plain = buildModel(inputs.map((i) => parseManifestText(i.text, i.file, { kindFilter: isRelevantKind })));
  const reading = readWhileParsing();
  const files = inputs.map((i) => parseManifestText(i.text, i.file, { kindFilter: isRelevantKind, onDocument: reading.onDocument }));
  const streamed = buildModel(files, {}, reading.known);
  assert.ok(plain.model.services.length > 5 && plain.model.pools.length > 2, 'the examples hold Services and pools');
  // Same objects read (a Service's `doc` is the document of its own parse: compared by position).
  const strip = (o: { doc?: unknown }) => ({ ...o, doc: undefined });
  assert.deepEqual(streamed.model.services.map(strip), plain.model.services.map(strip));
  assert.deepEqual(streamed.model.pools.map(strip), plain.model.pools.map(strip));
  assert.deepEqual(streamed.model.namespaces, plain.model.namespaces);
  assert.deepEqual(streamed.model.metallb, plain.model.metallb);
  assert.deepEqual(streamed.findings, plain.findings);
  // A released value reads back as it was parsed, a List item's too, and positions still resolve.
  const again = inputs.map((i) => parseManifestText(i.text, i.file, { kindFilter: isRelevantKind }));
  let released = 0;
  files.forEach((f, fi) =>
    f.documents.forEach((d, di) => {
      if ((d as unknown as { held: unknown }).held === undefined) released++;
      assert.deepEqual(d.value, again[fi].documents[di].value);
      assert.deepEqual(d.locate(['metadata', 'name']), again[fi].documents[di].locate(['metadata', 'name']));
    }),
  );
  assert.ok(released > 5, `documents read by the fast reader let their values go (${released})`);
});
