import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifestText, splitDocuments } from '../../shared/src/manifest/index.js';
import { buildModel, isRelevantKind } from '../../shared/src/model/index.js';
import { readDocument } from '../../shared/src/model/build.js';
import { yaml } from '../helpers/lintYaml.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, visit } from 'yaml';

describe('splitDocuments', () => {
  test('splits on --- and ... at column 0, keeps offsets, drops empty documents', () => {
    const text = 'a: 1\n---\nb: 2\n...\n---\n# only a comment\n---\nc: |\n  ---not a marker\n  x\n';
    const segs = splitDocuments(text);
    assert.deepEqual(segs.map((s) => s.text.trim().split('\n').pop()!.trim()), ['a: 1', '...', 'x']);
    for (const s of segs) assert.equal(text.slice(s.offset, s.offset + s.text.length), s.text);
  });
});

describe('parseManifestText', () => {
  const text = yaml`
    apiVersion: v1
    kind: Service
    metadata:
      name: web
      namespace: apps
    spec:
      type: LoadBalancer
      loadBalancerIP: 10.0.0.5
    ---
    this: [is broken
    ---
    apiVersion: metallb.io/v1beta1
    kind: IPAddressPool
    metadata: {name: p, namespace: metallb-system}
    spec:
      addresses: ["10.0.0.0/24"]
      autoAssign: on
  `;
  const file = parseManifestText(text, 'f.yaml');

  test('a syntax error is positioned and the other documents are still read', () => {
    assert.deepEqual(file.documents.map((d) => `${d.kind}/${d.name}`), ['Service/web', 'IPAddressPool/p']);
    const syntax = file.findings.filter((f) => f.rule === 'yaml-syntax');
    assert.equal(syntax.length, 1);
    // The parser notices the unclosed flow sequence where the document ends (line 11, before `---`).
    assert.ok(syntax[0].range.start.line >= 10 && syntax[0].range.start.line <= 11, String(syntax[0].range.start.line));
  });

  test('locate gives exact key and value ranges, 1-based, end exclusive', () => {
    const svc = file.documents[0];
    const key = svc.locate(['spec', 'loadBalancerIP'], 'key');
    assert.equal(key.found, true);
    assert.deepEqual([key.range.start.line, key.range.start.column, key.range.end.column], [8, 3, 17]);
    const value = svc.locate(['spec', 'loadBalancerIP']);
    assert.deepEqual([value.range.start.line, value.range.start.column, value.range.end.column], [8, 19, 27]);
    assert.equal(text.slice(value.range.start.offset, value.range.end.offset), '10.0.0.5');
  });

  test('a missing path falls back to the nearest existing ancestor key', () => {
    const svc = file.documents[0];
    const missing = svc.locate(['spec', 'ipFamilyPolicy']);
    assert.equal(missing.found, false);
    assert.equal(text.slice(missing.range.start.offset, missing.range.end.offset), 'spec');
  });

  test('flow-style values are located too', () => {
    const pool = file.documents[1];
    const r = pool.locate(['spec', 'addresses', 0]).range;
    assert.equal(text.slice(r.start.offset, r.end.offset), '"10.0.0.0/24"');
  });

  test('YAML 1.1 booleans are read as Kubernetes reads them, and flagged', () => {
    assert.equal(file.documents[1].get(['spec', 'autoAssign']), true);
    const amb = file.findings.filter((f) => f.rule === 'yaml-ambiguous-boolean');
    assert.equal(amb.length, 1);
    assert.equal(amb[0].range.start.line, 17);
  });

  test('kind: List is expanded with ranges inside the list', () => {
    const list = yaml`
      apiVersion: v1
      kind: List
      items:
      - apiVersion: v1
        kind: Service
        metadata: {name: a}
        spec: {type: LoadBalancer}
      - apiVersion: v1
        kind: Service
        metadata: {name: b}
        spec: {type: LoadBalancer, loadBalancerIP: 1.2.3.4}
    `;
    const f = parseManifestText(list, 'l.yaml');
    assert.deepEqual(f.documents.map((d) => d.name), ['a', 'b']);
    assert.equal(f.documents[1].locate(['spec', 'loadBalancerIP']).range.start.line, 11);
  });

  test('non-object documents, alias bombs and binary-ish input give findings, never throw', () => {
    const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';
    const r = parseManifestText(`just a string\n---\n- a\n- list\n---\n${bomb}`, 'bad.yaml');
    assert.deepEqual(r.findings.map((f) => f.rule), ['invalid-object', 'invalid-object', 'yaml-syntax']);
    assert.match(r.findings[2].message, /alias/i);
    assert.doesNotThrow(() => parseManifestText('\u0000\u0001\u0002garbage: [', 'bin'));
  });

  test('kindFilter skips irrelevant documents without parsing them', () => {
    const t = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: metallb-controller}\nspec: {broken: [\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n';
    const r = parseManifestText(t, 'k.yaml', { kindFilter: isRelevantKind });
    assert.deepEqual(r.documents.map((d) => d.kind), ['Service']);
    assert.ok(r.findings.length >= 1, 'MetalLB Deployments are parsed (MetalLB version), so its syntax error is reported');
    assert.ok(r.findings.every((f) => f.rule === 'yaml-syntax' && f.range.start.line <= 4));
  });

  test('kindFilter gets the document text: only MetalLB Deployments and ≤0.12 ConfigMaps are parsed', () => {
    const t = yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec: {template: {spec: {containers: [{name: web, image: nginx, env: [{name: X, value: on}]}]}}}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: controller, namespace: lb}
      spec: {template: {spec: {containers: [{name: c, image: "quay.io/metallb/controller:v0.13.12"}]}}}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: app}
      data: {broken: [
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: config, namespace: lb}
      data:
        config: |
          address-pools:
          - name: default
            protocol: layer2
            addresses: [10.0.0.0/24]
    `;
    const seen: [string, string | undefined, boolean][] = [];
    const r = parseManifestText(t, 'k.yaml', {
      kindFilter: (kind, apiVersion, text) => {
        seen.push([kind, apiVersion, typeof text === 'string']);
        return isRelevantKind(kind, apiVersion, text);
      },
    });
    assert.deepEqual(seen, [
      ['Deployment', 'apps/v1', true],
      ['Deployment', 'apps/v1', true],
      ['ConfigMap', 'v1', true],
      ['ConfigMap', 'v1', true],
    ]);
    assert.deepEqual(r.documents.map((d) => `${d.kind}/${d.name}`), ['Deployment/controller', 'ConfigMap/config']);
    assert.deepEqual(r.findings, [], 'the skipped documents (an ambiguous boolean, a syntax error) are not parsed');
    const { model } = buildModel([r]);
    assert.equal(model.metallb.version, '0.13.12');
    assert.deepEqual(model.pools.map((p) => p.name), ['default']);
    // Without the filter every document is parsed, and the model is the same.
    const full = buildModel([parseManifestText(t, 'k.yaml')]).model;
    assert.equal(full.metallb.version, model.metallb.version);
    assert.deepEqual(full.pools.map((p) => p.name), ['default']);
  });

  test('isRelevantKind: text narrows Deployments and ConfigMaps; without text they are kept', () => {
    assert.equal(isRelevantKind('Deployment', 'apps/v1'), true);
    assert.equal(isRelevantKind('ConfigMap', 'v1'), true);
    assert.equal(isRelevantKind('Deployment', 'apps/v1', 'kind: Deployment\nimage: nginx\n'), false);
    assert.equal(isRelevantKind('Deployment', 'apps/v1', 'kind: Deployment\nimage: quay.io/metallb/controller:v0.14.8\n'), true);
    assert.equal(isRelevantKind('ConfigMap', 'v1', 'kind: ConfigMap\ndata: {a: b}\n'), false);
    assert.equal(isRelevantKind('ConfigMap', 'v1', 'kind: ConfigMap\ndata:\n  config: |\n    address-pools: []\n'), true);
    // A double-quoted escape could spell the word: such documents are kept.
    assert.equal(isRelevantKind('ConfigMap', 'v1', 'kind: ConfigMap\ndata: {config: "address\\x2dpools: []"}\n'), true);
    assert.equal(isRelevantKind('Service', 'v1', 'kind: Service\n'), true);
    assert.equal(isRelevantKind('Secret', 'v1', 'kind: Secret\naddress-pools metallb\n'), false);
  });

  test('List items are filtered without text (kept as before)', () => {
    const t = yaml`
      apiVersion: v1
      kind: List
      items:
      - {apiVersion: apps/v1, kind: Deployment, metadata: {name: web}}
      - {apiVersion: v1, kind: Secret, metadata: {name: s}}
      - {apiVersion: v1, kind: Service, metadata: {name: svc}}
    `;
    const r = parseManifestText(t, 'l.yaml', { kindFilter: isRelevantKind });
    assert.deepEqual(r.documents.map((d) => `${d.kind}/${d.name}`), ['Deployment/web', 'Service/svc']);
  });
});

describe('ambiguous-boolean pre-check', () => {
  // parse.ts walks a document for YAML 1.1 booleans only when its text has one of the words as a
  // whole word. Check on the shared corpus and on tricky inputs that no flagged scalar is missed.
  const WORDS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
  const PRECHECK = /\b(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)\b/;
  const texts: string[] = [
    'a: on\n', 'a: [on,off]\n', 'a: {x: y}\n', '- n\n', 'yes: 1\n', 'a:\n  - No # c\n', '? ON\n: x\n', 'a: &x on\nb: *x\n',
  ];
  const dir = '/work/shared/corpus';
  if (existsSync(dir)) for (const n of readdirSync(dir)) if (/\.ya?ml$/.test(n)) texts.push(readFileSync(join(dir, n), 'utf8'));
  test('every document with a flagged boolean passes the pre-check', () => {
    let flaggedDocs = 0;
    for (const text of texts) {
      for (const seg of splitDocuments(text)) {
        const doc = parseDocument(seg.text, { version: '1.1', prettyErrors: false, uniqueKeys: true, strict: false, merge: true });
        let flagged = false;
        visit(doc, {
          Scalar(_k, node) {
            if (node.type === 'PLAIN' && typeof node.value === 'boolean' && typeof node.source === 'string' && WORDS.test(node.source)) flagged = true;
          },
        });
        if (flagged) {
          flaggedDocs++;
          assert.ok(PRECHECK.test(seg.text), seg.text);
        }
      }
    }
    assert.ok(flaggedDocs >= 8);
  });
});

describe('ignore comments', () => {
  test('own-line comment covers the next node and its children; trailing covers its line', () => {
    const t = yaml`
      apiVersion: v1
      kind: Service
      metadata:
        name: x
      # lbguard-ignore deprecated-loadbalancerip,requested-ip-taken: migrating in Q3
      spec:
        type: LoadBalancer
        loadBalancerIP: 1.2.3.4
      status: {}  # lbguard-ignore lb-class-ignored
    `;
    const f = parseManifestText(t, 'x.yaml');
    assert.equal(f.ignoreComments.length, 2);
    const [own, trailing] = f.ignoreComments;
    assert.deepEqual([own.fromLine, own.toLine, own.rules, own.reason], [6, 8, ['deprecated-loadbalancerip', 'requested-ip-taken'], 'migrating in Q3']);
    assert.deepEqual([trailing.fromLine, trailing.toLine, trailing.reason], [9, 9, undefined]);
  });
});

describe('buildModel', () => {
  test('with reads made ahead (readDocument per document) it builds the same model and findings', () => {
    const f = parseManifestText(readFileSync(new URL('../../examples/cluster-state.yaml', import.meta.url), 'utf8'), 'state.yaml', { kindFilter: isRelevantKind });
    const bad = parseManifestText(yaml`
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata: {name: p, namespace: other}
      spec: {addresses: "10.0.0.0/24"}
    `, 'bad.yaml');
    const files = [f, bad];
    const whole = buildModel(files, { lbClass: 'x' });
    const reads = new Map(files.flatMap((file) => file.documents.map((d) => [d, readDocument(d, file, 'default')] as const)));
    const ahead = buildModel(files, { lbClass: 'x' }, { defaultNamespace: 'default', read: (d) => reads.get(d) });
    assert.deepEqual(ahead, whole);
    assert.ok(whole.model.services.length > 3 && whole.model.metallb.image && whole.findings.length, 'the example exercises Services, the controller and findings');
    // Reads made for another default namespace are not used.
    const other = buildModel(files, { defaultNamespace: 'x' }, { defaultNamespace: 'default', read: (d) => reads.get(d) });
    assert.deepEqual(other, buildModel(files, { defaultNamespace: 'x' }));
  });

  test('ConfigMap (≤0.12) pools are read with positions inside the embedded config', () => {
    const t = yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: config
        namespace: metallb-system
      data:
        config: |
          address-pools:
          - name: default
            protocol: layer2
            addresses:
            - 192.168.1.240-192.168.1.250
            - 10.0.0.0/33
    `;
    const f = parseManifestText(t, 'cm.yaml');
    const { model } = buildModel([f]);
    assert.equal(model.pools.length, 1);
    const pool = model.pools[0];
    assert.equal(pool.source, 'ConfigMap');
    assert.equal(pool.addresses[1].error, 'invalid CIDR "10.0.0.0/33"');
    const r = pool.doc!.locate(pool.addresses[1].path).range;
    assert.equal(t.slice(r.start.offset, r.end.offset), '10.0.0.0/33');
    assert.deepEqual([r.start.line, r.start.column], [13, 9]);
  });

  test('wrong types become positioned invalid-object findings; the rest is still read', () => {
    const t = yaml`
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata: {name: p, namespace: metallb-system}
      spec:
        addresses: "10.0.0.0/24"
        autoAssign: "false"
    `;
    const { model, findings } = buildModel([parseManifestText(t, 'p.yaml')]);
    assert.equal(model.pools[0].addresses.length, 0);
    assert.deepEqual(findings.map((f) => [f.rule, f.range.start.line]), [['invalid-object', 5], ['invalid-object', 6]]);
    assert.match(findings[0].message, /spec\.addresses must be a list/);
  });

  test('MetalLB version and namespace come from the controller Deployment', () => {
    const t = yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: controller, namespace: lb}
      spec:
        template:
          spec:
            containers:
            - name: controller
              image: quay.io/metallb/controller:v0.13.12
              args: ["--port=7472", "--lb-class=metallb"]
    `;
    const { model } = buildModel([parseManifestText(t, 'd.yaml')]);
    assert.deepEqual([model.metallb.version, model.metallb.namespace, model.metallb.lbClass], ['0.13.12', 'lb', 'metallb']);
  });
});
