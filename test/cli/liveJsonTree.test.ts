// The JSON source tree of a listed object (kubectl-plugin/src/live/jsonTree.ts) gives what yaml's
// parseDocument gives for the same JSON text: every lookup, range and scalar source, on objects
// like the API server's and on random ones (property test against yaml).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { ManifestDocument, type NodePart, type PathSegment, type RangeMapper } from '../../shared/src/manifest/document.js';
import { jsonTree } from '../../kubectl-plugin/src/live/jsonTree.js';

const mapper: RangeMapper = {
  fileRange: (s, e) => ({ start: { line: 1, column: s + 1, offset: s }, end: { line: 1, column: Math.max(s, e) + 1, offset: Math.max(s, e) } }),
};

/** Every path to a node of `v`, and paths next to them that do not exist or name a key oddly. */
function paths(v: unknown, prefix: PathSegment[] = [], out: PathSegment[][] = []): PathSegment[][] {
  out.push(prefix, [...prefix, 'missing'], [...prefix, 0], [...prefix, '0'], [...prefix, ''], [...prefix, 7], [...prefix, 1.5]);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

function same(value: Record<string, unknown>): void {
  const text = JSON.stringify(value);
  const parsed = parseDocument(text, { version: '1.1', merge: true, strict: false });
  if (parsed.errors.length) return; // yaml refuses it (e.g. a key over 1024 characters): nothing to match
  const viaYaml = new ManifestDocument('f', 0, value, parsed, mapper);
  const viaJson = new ManifestDocument('f', 0, value, jsonTree(text), mapper);
  for (const p of paths(value)) {
    for (const part of ['value', 'key', 'pair'] as NodePart[]) assert.deepEqual(viaJson.locate(p, part), viaYaml.locate(p, part), `${text} ${JSON.stringify(p)} ${part}`);
    assert.deepEqual(viaJson.scalarAt(p), viaYaml.scalarAt(p), `${text} scalarAt ${JSON.stringify(p)}`);
  }
}

test('a Service and a pool as the API server lists them', () => {
  same({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'team-a', uid: 'f24bc470', labels: { app: 'web', '0': 'zero' }, annotations: { 'metallb.io/loadBalancerIPs': '10.0.0.5', note: 'say "hi"\n\ttabs \\ é ✓ \u2028 \ud800' }, managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:loadBalancerIP': {} } } }] },
    spec: { ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }, { port: 443 }], selector: {}, clusterIPs: [], allocateLoadBalancerNodePorts: false, loadBalancerIP: null, weight: -1.5e-7, big: 1e21 },
    status: { loadBalancer: { ingress: [{ ip: '10.0.0.5', ipMode: 'VIP' }] } },
  });
  same({ apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p' }, spec: { addresses: ['10.0.0.0/24', '10.1.0.1-10.1.0.9'], autoAssign: true, '<<': 'not a merge', '': 'empty key' } });
});

test('random objects: the same lookups, ranges and sources as yaml', () => {
  const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('0', '1', '<<', 'a b', 'x:y', '#', '- ', '"q"', '\\', 'é', '\n'));
  const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.constantFrom('yes', 'no', '~', '1e3', '0x1f', 'null', '', ' a ', '\u2028', '\ud83d\ude00', '\udc00'));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 4 })),
  }));
  fc.assert(
    fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (o) => same(o as Record<string, unknown>)),
    { numRuns: 400 },
  );
});
