import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifestText } from '../../shared/src/manifest/parse.js';
import { insertEntry, removeEntry, renameKey, setAnnotation, setScalar } from '../../shared/src/rules/support/yamlEdits.js';
import type { TextEdit } from '../../shared/src/findings/finding.js';
import { applyFix, yaml } from '../helpers/lintYaml.js';

function parse(text: string) {
  const file = parseManifestText(text, 'svc.yaml');
  return { file, doc: file.documents[0] };
}

function apply(text: string, ...edits: (TextEdit | undefined)[]): string {
  for (const e of edits) assert.ok(e, 'edit produced');
  return applyFix(text, { title: 't', edits: edits as TextEdit[] });
}

function checkOffsets(text: string, e: TextEdit | undefined) {
  assert.ok(e);
  const { file } = parse(text);
  assert.deepEqual(e.range.start, file.lines.position(e.range.start.offset));
  assert.deepEqual(e.range.end, file.lines.position(e.range.end.offset));
}

const svc = yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: web   # the web frontend
    labels:
      app: web
  spec:
    type: LoadBalancer
    loadBalancerIP: 10.0.0.5 # fixed
    ipFamilies:
      - IPv4
      - IPv6
    ports:
      - port: 80
`;

describe('removeEntry', () => {
  test('removes a mapping entry line with its trailing comment, nothing else', () => {
    const { file, doc } = parse(svc);
    const e = removeEntry(file, doc, ['spec', 'loadBalancerIP']);
    checkOffsets(svc, e);
    assert.equal(apply(svc, e), svc.replace('  loadBalancerIP: 10.0.0.5 # fixed\n', ''));
  });

  test('removes a block sequence item', () => {
    const { file, doc } = parse(svc);
    assert.equal(apply(svc, removeEntry(file, doc, ['spec', 'ipFamilies', 1])), svc.replace('    - IPv6\n', ''));
  });

  test('refuses entries that share their line', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {loadBalancerIP: 1.2.3.4}\n';
    const { file, doc } = parse(text);
    assert.equal(removeEntry(file, doc, ['spec', 'loadBalancerIP']), undefined);
    assert.equal(removeEntry(file, doc, ['spec', 'nope']), undefined);
    const t2 = yaml`
      apiVersion: v1
      kind: Service
      spec:
        ports:
          - port: 80
            name: http
    `;
    const p2 = parse(t2);
    assert.equal(removeEntry(p2.file, p2.doc, ['spec', 'ports', 0, 'port']), undefined);
    assert.equal(removeEntry(p2.file, p2.doc, ['spec', 'ports', 0]), undefined);
  });

  test('last line without a newline, and CRLF files', () => {
    const t = 'kind: Service\nspec:\n  loadBalancerIP: 1.2.3.4';
    const { file, doc } = parse(t);
    assert.equal(apply(t, removeEntry(file, doc, ['spec', 'loadBalancerIP'])), 'kind: Service\nspec:\n');
    const crlf = 'kind: Service\r\nspec:\r\n  loadBalancerIP: 1.2.3.4\r\n  type: LoadBalancer\r\n';
    const p = parse(crlf);
    assert.equal(apply(crlf, removeEntry(p.file, p.doc, ['spec', 'loadBalancerIP'])), 'kind: Service\r\nspec:\r\n  type: LoadBalancer\r\n');
  });
});

describe('insertEntry / setAnnotation', () => {
  test('creates annotations under metadata with the file\'s indentation', () => {
    const { file, doc } = parse(svc);
    const e = setAnnotation(file, doc, 'metallb.io/loadBalancerIPs', '10.0.0.5');
    checkOffsets(svc, e);
    assert.equal(
      apply(svc, e),
      svc.replace('    app: web\n', '    app: web\n  annotations:\n    metallb.io/loadBalancerIPs: "10.0.0.5"\n'),
    );
  });

  test('adds to an existing block mapping after its last entry (4-space indent)', () => {
    const t = yaml`
      kind: Service
      metadata:
          name: a
          annotations:
              a.example/x: "1"
              b.example/y: |
                  multi
                  line
      spec: {}
    `;
    const { file, doc } = parse(t);
    assert.equal(
      apply(t, setAnnotation(file, doc, 'metallb.io/address-pool', 'prod')),
      t.replace('            line\n', '            line\n        metallb.io/address-pool: "prod"\n'),
    );
  });

  test('fills an empty or flow mapping', () => {
    const nul = 'kind: Service\nmetadata:\n  name: a\n  annotations:\nspec: {}\n';
    let p = parse(nul);
    assert.equal(apply(nul, setAnnotation(p.file, p.doc, 'k', 'v')), 'kind: Service\nmetadata:\n  name: a\n  annotations:\n    k: "v"\nspec: {}\n');
    const empty = 'kind: Service\nmetadata:\n  name: a\n  annotations: {}\nspec: {}\n';
    p = parse(empty);
    assert.equal(apply(empty, setAnnotation(p.file, p.doc, 'k', 'v')), 'kind: Service\nmetadata:\n  name: a\n  annotations: {k: "v"}\nspec: {}\n');
    const flow = 'kind: Service\nmetadata: {name: a, annotations: {x: "1"}}\n';
    p = parse(flow);
    assert.equal(apply(flow, setAnnotation(p.file, p.doc, 'k', 'v')), 'kind: Service\nmetadata: {name: a, annotations: {x: "1", k: "v"}}\n');
    const flowNoAnn = 'kind: Service\nmetadata: {name: a}\n';
    p = parse(flowNoAnn);
    assert.equal(apply(flowNoAnn, setAnnotation(p.file, p.doc, 'k', 'v')), 'kind: Service\nmetadata: {name: a, annotations: {k: "v"}}\n');
  });

  test('overwrites an existing annotation value', () => {
    const t = 'kind: Service\nmetadata:\n  annotations:\n    k: old\n';
    const p = parse(t);
    assert.equal(apply(t, setAnnotation(p.file, p.doc, 'k', 'new')), 'kind: Service\nmetadata:\n  annotations:\n    k: "new"\n');
  });

  test('works inside a List item and in a later document', () => {
    const t = yaml`
      apiVersion: v1
      kind: List
      items:
        - apiVersion: v1
          kind: Service
          metadata:
            name: a
          spec:
            type: LoadBalancer
    `;
    const p = parse(t);
    assert.equal(
      apply(t, insertEntry(p.file, p.doc, ['metadata', 'annotations'], 'k', '"v"')),
      t.replace('      name: a\n', '      name: a\n      annotations:\n        k: "v"\n'),
    );
    const two = 'kind: ConfigMap\n---\nkind: Service\nmetadata:\n  name: b\n';
    const f = parseManifestText(two, 'x.yaml');
    assert.equal(apply(two, setAnnotation(f, f.documents[1], 'k', 'v')), 'kind: ConfigMap\n---\nkind: Service\nmetadata:\n  name: b\n  annotations:\n    k: "v"\n');
  });

  test('file without a final newline', () => {
    const t = 'kind: Service\nmetadata:\n  name: a';
    const p = parse(t);
    assert.equal(apply(t, setAnnotation(p.file, p.doc, 'k', 'v')), 'kind: Service\nmetadata:\n  name: a\n  annotations:\n    k: "v"\n');
  });
});

describe('renameKey / setScalar', () => {
  test('renames a key keeping its quotes', () => {
    const t = 'kind: Service\nmetadata:\n  annotations:\n    "metallb.universe.tf/address-pool": prod\n    metallb.universe.tf/allow-shared-ip: k\n';
    const p = parse(t);
    assert.equal(
      apply(t, renameKey(p.file, p.doc, ['metadata', 'annotations', 'metallb.universe.tf/address-pool'], 'metallb.io/address-pool')),
      t.replace('"metallb.universe.tf/address-pool"', '"metallb.io/address-pool"'),
    );
    assert.equal(
      apply(t, renameKey(p.file, p.doc, ['metadata', 'annotations', 'metallb.universe.tf/allow-shared-ip'], 'metallb.io/allow-shared-ip')),
      t.replace('metallb.universe.tf/allow-shared-ip', 'metallb.io/allow-shared-ip'),
    );
  });

  test('sets a scalar keeping its quotes', () => {
    const t = 'kind: Service\nspec:\n  ipFamilyPolicy: PreferDualStack # x\n  type: "LoadBalancer"\n';
    const p = parse(t);
    assert.equal(apply(t, setScalar(p.file, p.doc, ['spec', 'ipFamilyPolicy'], 'SingleStack')), t.replace('PreferDualStack', 'SingleStack'));
    assert.equal(apply(t, setScalar(p.file, p.doc, ['spec', 'type'], 'ClusterIP')), t.replace('"LoadBalancer"', '"ClusterIP"'));
    assert.equal(setScalar(p.file, p.doc, ['spec', 'missing'], 'x'), undefined);
  });
});
