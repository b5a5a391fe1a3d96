// Every problem `kubectl lb status` can report links to docs/rules/<id>.md (docsUrl): the ids are
// collected from the status sources themselves, so a new problem without a page fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { docsUrl } from '../../shared/src/findings/finding.js';
import { parseManifestText } from '../../shared/src/manifest/parse.js';
import { buildModel } from '../../shared/src/model/build.js';
import { ALL_RULES } from '../../shared/src/rules/index.js';
import { STATUS_PROBLEM_IDS } from '../../shared/src/status/problemIds.js';
import { buildStatusReport } from '../../shared/src/status/report.js';

const root = new URL('../../', import.meta.url).pathname;
const statusDir = join(root, 'shared/src/status');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** `rule: '<id>'` literals in shared/src/status/, and every `rule:` value that is not one. */
function scanRuleIds(): { ids: Set<string>; dynamic: string[] } {
  const ids = new Set<string>();
  const dynamic: string[] = [];
  for (const file of sources(statusDir)) {
    const text = readFileSync(file, 'utf8');
    // `rule:` as an object property or interface field (start of line, or after `{` / `,`), not in prose.
    for (const m of text.matchAll(/(?:^|[{,])\s*rule\??:\s*([^,;}\n]+)/gm)) {
      const value = m[1].trim();
      const lit = /^(['"`])([^'"`$]+)\1$/.exec(value);
      if (lit) ids.add(lit[2]);
      // The interface field, and lint findings passed through with their own (documented) rule ids.
      else if (value !== 'string' && value !== 'f.rule') dynamic.push(`${file.slice(root.length)}: rule: ${value}`);
    }
  }
  return { ids, dynamic };
}

test('status problem ids are string literals in the sources (so this test sees them all)', () => {
  const { ids, dynamic } = scanRuleIds();
  assert.ok(ids.size > 0, 'no rule literals found in shared/src/status/');
  assert.deepEqual(dynamic, [], 'a status problem whose id is computed: write it as a literal and add it to STATUS_PROBLEM_IDS');
});

test('STATUS_PROBLEM_IDS is exactly the set of ids the status sources emit', () => {
  const { ids } = scanRuleIds();
  assert.equal(new Set(STATUS_PROBLEM_IDS).size, STATUS_PROBLEM_IDS.length, 'duplicate id in STATUS_PROBLEM_IDS');
  assert.deepEqual([...ids].sort(), [...STATUS_PROBLEM_IDS].sort());
});

test('every status problem id has a docs page whose title is the id', () => {
  const missing: string[] = [];
  for (const id of STATUS_PROBLEM_IDS) {
    assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/, `${id} is kebab-case`);
    assert.ok(docsUrl(id).endsWith(`/docs/rules/${id}.md`), `docsUrl(${id}) points at docs/rules/${id}.md`);
    const page = join(root, 'docs/rules', `${id}.md`);
    if (!existsSync(page)) {
      missing.push(`docs/rules/${id}.md`);
      continue;
    }
    const text = readFileSync(page, 'utf8');
    assert.equal(text.split('\n')[0], `# ${id}`, `docs/rules/${id}.md starts with "# ${id}"`);
    assert.match(text, /kubectl lb status/, `docs/rules/${id}.md says it comes from kubectl lb status`);
  }
  assert.deepEqual(missing, [], 'status problems without a docs page');
});

test('status problem ids do not reuse a lint rule id (they share docs/rules/)', () => {
  const lint = new Set(ALL_RULES.map((r) => r.meta.id));
  assert.deepEqual(STATUS_PROBLEM_IDS.filter((id) => lint.has(id)), []);
});

test('README lists every status problem with a link to its page', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const unlisted = STATUS_PROBLEM_IDS.filter((id) => !readme.includes(`(docs/rules/${id}.md)`));
  assert.deepEqual(unlisted, []);
});

// Behavioural cross-check: what buildStatusReport emits (no lint findings passed in) is in the list.
const LIVE_STATE = `
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: gateway
    namespace: shop
    managedFields:
    - manager: gateway-operator
      operation: Update
      fieldsType: FieldsV1
      fieldsV1: {"f:spec": {"f:loadBalancerIP": {}}}
  spec: {type: LoadBalancer, loadBalancerIP: 10.0.0.5, clusterIP: 10.96.0.11, clusterIPs: [10.96.0.11], ports: [{port: 443, protocol: TCP}]}
  status: {loadBalancer: {ingress: [{ip: 192.168.10.3}]}}
- apiVersion: v1
  kind: Event
  metadata: {name: gateway.1, namespace: shop}
  involvedObject: {kind: Service, name: gateway, namespace: shop}
  reason: ClearAssignment
  type: Normal
  count: 5
  message: 'current IP for "shop/gateway" not allowed by config, will attempt for new IP assignment: ["10.0.0.5"] is not allowed in config'
- apiVersion: loadbalancer.harvesterhci.io/v1beta1
  kind: IPPool
  metadata: {name: pool-a}
  spec: {ranges: [{subnet: 192.168.50.0/24}]}
  status: {allocated: {192.168.50.12: guest/stuck}}
- apiVersion: loadbalancer.harvesterhci.io/v1beta1
  kind: LoadBalancer
  metadata: {name: stuck, namespace: guest}
  spec: {ipam: pool, workloadType: cluster}
  status:
    conditions:
    - type: Ready
      status: "False"
      message: "fail to get ip from pool pool-a, error: 192.168.50.12 has been allocated to guest/stuck, duplicate allocation is not allowed"
`;

test('buildStatusReport emits only listed ids (example state and a live-only state)', () => {
  const inputs = [
    parseManifestText(readFileSync(join(root, 'examples/cluster-state.yaml'), 'utf8'), 'examples/cluster-state.yaml'),
    parseManifestText(LIVE_STATE, 'live.yaml'),
  ];
  const known = new Set<string>(STATUS_PROBLEM_IDS);
  const seen = new Set<string>();
  for (const file of inputs) {
    const { model } = buildModel([file], { metallbNamespace: 'metallb-system' });
    for (const p of buildStatusReport(model).problems) {
      assert.ok(known.has(p.rule), `${file.file}: ${p.rule} is not in STATUS_PROBLEM_IDS`);
      assert.equal(p.docsUrl, docsUrl(p.rule));
      seen.add(p.rule);
    }
  }
  // The inputs reach (almost) every problem, so the check above is not vacuous.
  assert.ok(seen.size >= STATUS_PROBLEM_IDS.length - 1, `only ${[...seen].sort().join(', ')}`);
});
