// status, explain, simulate and plan on the bundled example cluster.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { assertNoStack, ensureBuilt, removeDir, run, tempDir } from './helpers.js';

const STATE = 'examples/cluster-state.yaml';

describe('status', () => {
  before(() => ensureBuilt());

  test('table: header, pools with usage, Services, problems, summary line', () => {
    const r = run(['status', '--state', STATE]);
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout;
    assert.match(out, /^MetalLB 0\.13\.10 \(image quay\.io\/metallb\/controller:v0\.13\.10\), namespace metallb-system \[examples\/cluster-state\.yaml\]\n/);
    assert.match(out, /^POOL +FAMILY +USED +AVAILABLE +TOTAL +USE% +AUTO-ASSIGN +ADDRESSES$/m);
    assert.match(out, /^production +IPv4 +5 +1 +6 +83% +true +192\.168\.10\.10-192\.168\.10\.15$/m);
    assert.match(out, /^staging \(ignored\) /m);
    assert.match(out, /^NAMESPACE +NAME +STATE +IPS +POOL +REASON$/m);
    assert.match(out, /^default +dual-web +pending +<none> +<none> +AllocationFailed: Failed to allocate IP for "default\/dual-web": no available IPs$/m);
    for (const rule of ['restart-risk', 'duplicate-ip', 'ip-outside-pools', 'pending-service', 'loadbalancerip-fight', 'lb-class-unhandled', 'harvester-stale-allocation', 'harvester-invalid-release']) {
      assert.match(out, new RegExp(`^  (error|warning|info) +${rule} `, 'm'), rule);
    }
    assert.match(out.trim().split('\n').at(-1)!, /^3 pools \(2 active\), 10 LoadBalancer Services \(8 assigned, 1 pending, 1 ignored\); \d+ problems \(\d+ errors?, /);
    assert.doesNotMatch(out, /IP +POOL +SERVICES/, 'owner map only with -o wide');
  });

  test('-o wide adds the IP owner map; --no-headers drops headers', () => {
    const r = run(['status', '--state', STATE, '-o', 'wide']);
    assert.match(r.stdout, /^IP +POOL +SERVICES +SHARED$/m);
    assert.match(r.stdout, /^192\.168\.20\.1 +lab +lab\/jupyter,lab\/notebook +conflict$/m);
    assert.match(r.stdout, /^192\.168\.30\.5 +<no pool> +default\/old-ingress +no$/m);
    const nh = run(['status', '--state', STATE, '--no-headers']);
    assert.doesNotMatch(nh.stdout, /^POOL +FAMILY/m);
  });

  test('colour thresholds: 83% is yellow (75% band) with --color always', () => {
    const r = run(['status', '--state', STATE, '--color', 'always']);
    assert.match(r.stdout, /\x1b\[33m83%\x1b\[39m/);
    assert.match(r.stdout, /\x1b\[32m6\.7%\x1b\[39m/);
  });

  test('-o json / -o yaml: the documented schema', () => {
    const r = run(['status', '--state', STATE, '-o', 'json']);
    assert.equal(r.code, 0);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.schemaVersion, 1);
    assert.deepEqual(Object.keys(doc).sort(), ['ips', 'metallb', 'pools', 'problems', 'schemaVersion', 'services', 'source', 'summary']);
    assert.equal(doc.metallb.version, '0.13.10');
    assert.equal(doc.metallb.versionSource, 'image');
    const prod = doc.pools.find((p: { name: string }) => p.name === 'production');
    assert.deepEqual(prod.ipv4, { total: '6', used: '5', available: '1', percent: 83.3, level: 'usage75' });
    assert.equal(prod.ipv6, undefined);
    assert.equal(doc.summary.pending, 1);
    assert.equal(doc.summary.worstUsage, 'usage75');
    const dw = doc.services.find((s: { name: string }) => s.name === 'dual-web');
    assert.equal(dw.state, 'pending');
    assert.equal(dw.latestEvent.reason, 'AllocationFailed');
    for (const p of doc.problems) {
      assert.ok(['error', 'warning', 'info'].includes(p.severity));
      assert.match(p.docsUrl, /^https:\/\//);
    }
    const y = parse(run(['status', '--state', STATE, '-o', 'yaml']).stdout);
    assert.deepEqual(y, doc);
  });

  test('--fail-on', () => {
    assert.equal(run(['status', '--state', STATE, '--fail-on', 'error']).code, 1);
    const d = tempDir({
      's.yaml': `apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p, namespace: metallb-system}\nspec:\n  addresses: [10.0.0.1-10.0.0.9]\n`,
    });
    try {
      assert.equal(run(['status', '--state', 's.yaml', '--fail-on', 'info'], { cwd: d }).code, 0);
    } finally {
      removeDir(d);
    }
  });

  test('a missing or binary state file is exit 2', () => {
    const r = run(['status', '--state', 'nope.yaml']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: nope.yaml: no such file or directory\n');
  });
});

describe('explain', () => {
  before(() => ensureBuilt());

  test('Pending Service: ordered checklist with evidence and a verdict', () => {
    const r = run(['explain', 'default/dual-web', '--state', STATE]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Service default\/dual-web: Pending\n/);
    const steps = r.stdout.split('\n').filter((l) => /^ ?\d+\. \[/.test(l));
    assert.deepEqual(
      steps.map((l) => l.replace(/^ ?\d+\. \[(\w+) *\] ([^:]+):.*$/, '$1 $2')),
      ['ok Service type', 'ok loadBalancerClass', 'ok MetalLB configuration', 'ok IP family', 'info Requested IPs', 'info address-pool annotation', 'FAIL Candidate pools', 'skip Free addresses', 'info IP sharing', 'info Current IP', 'WARN Controller restart', "WARN MetalLB's events"],
    );
    assert.match(r.stdout, /production \[192\.168\.10\.10-192\.168\.10\.15\]: not a candidate \(has only ipv4, the Service needs dual\)/);
    assert.match(r.stdout, /\nVerdict: Pending: no pool can serve the Service/);
  });

  test('-o json; ignored and IP-outside-pool Services', () => {
    const j = JSON.parse(run(['explain', 'default/internal-lb', '--state', STATE, '-o', 'json']).stdout);
    assert.equal(j.service.state, 'ignored');
    assert.equal(j.steps.find((s: { id: string }) => s.id === 'class').status, 'fail');
    const o = JSON.parse(run(['explain', 'default/old-ingress', '--state', STATE, '-o', 'json']).stdout);
    assert.equal(o.steps.find((s: { id: string }) => s.id === 'ip-change').status, 'fail');
    assert.equal(o.steps.find((s: { id: string }) => s.id === 'address-pool').status, 'fail');
  });

  test('an unknown Service is exit 2 and lists the known ones', () => {
    const r = run(['explain', 'default/nope', '--state', STATE]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: Service default\/nope not found in examples\/cluster-state\.yaml \(LoadBalancer Services: /);
    assertNoStack(r.stderr);
  });
});

describe('simulate', () => {
  before(() => ensureBuilt());

  test('table of Services with state, IPs, pool and MetalLB reason', () => {
    const r = run(['simulate', '-f', STATE]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^NAMESPACE +NAME +STATE +IPS +POOL +REASON$/m);
    assert.match(r.stdout, /^default +web +assigned +192\.168\.10\.10 +production/m);
    assert.match(r.stdout, /^default +dual-web +pending +<none> +<none> +AllocationFailed: /m);
  });

  test('-f is repeatable and takes directories; -o json and yaml agree', () => {
    const d = tempDir({
      'pools/a.yaml': `apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: a, namespace: metallb-system}\nspec:\n  addresses: [10.0.0.1-10.0.0.2]\n`,
      'pools/b.yaml': `apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: b, namespace: metallb-system}\nspec:\n  addresses: [10.1.0.1-10.1.0.2]\n`,
      'svc.yaml': `apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: default}\nspec:\n  type: LoadBalancer\n  ports: [{port: 80}]\n`,
    });
    try {
      const r = run(['simulate', '-f', 'pools', '-f', 'svc.yaml', '-o', 'json'], { cwd: d });
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.schemaVersion, 1);
      const s = doc.services[0];
      assert.equal(s.state, 'assigned');
      assert.deepEqual(s.candidates.map((c: { pool: string }) => c.pool).sort(), ['a', 'b'], 'two global pools: MetalLB picks at random');
      assert.deepEqual(parse(run(['simulate', '-f', 'pools', '-f', 'svc.yaml', '-o', 'yaml'], { cwd: d }).stdout), doc);
      const t = run(['simulate', '-f', 'pools', '-f', 'svc.yaml'], { cwd: d });
      assert.match(t.stdout, /MetalLB picks among several pools at random for:\n  default\/s: (a|b) \(/);
    } finally {
      removeDir(d);
    }
  });

  test('a scenario file runs step by step', () => {
    const d = tempDir({
      'scenario.yaml': `kind: Scenario
metallbVersion: 0.13.10
steps:
- apply:
  - apiVersion: metallb.io/v1beta1
    kind: IPAddressPool
    metadata: {name: p, namespace: metallb-system}
    spec: {addresses: [10.0.0.1-10.0.0.1]}
  - apiVersion: v1
    kind: Service
    metadata: {name: a, namespace: default}
    spec: {type: LoadBalancer, clusterIPs: [10.96.0.1], ports: [{port: 80}]}
- apply:
  - apiVersion: v1
    kind: Service
    metadata: {name: b, namespace: default}
    spec: {type: LoadBalancer, clusterIPs: [10.96.0.2], ports: [{port: 80}]}
- restartController: true
`,
    });
    try {
      const r = run(['simulate', '-f', 'scenario.yaml', '-o', 'json'], { cwd: d });
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.kind, 'ScenarioResult');
      assert.equal(doc.steps.length, 3);
      const b = doc.steps[1].services.find((s: { name: string }) => s.name === 'b');
      assert.equal(b.state, 'pending');
      const t = run(['simulate', '-f', 'scenario.yaml'], { cwd: d });
      assert.match(t.stdout, /^Step 1: apply\n/);
      assert.match(t.stdout, /\nStep 3: restart\n/);
      const bad = tempDir({ 's.yaml': 'kind: Scenario\nsteps: 3\n' });
      try {
        const e = run(['simulate', '-f', 's.yaml'], { cwd: bad });
        assert.equal(e.code, 2);
        assert.match(e.stderr, /^error: s\.yaml:\d+:\d+: /);
      } finally {
        removeDir(bad);
      }
    } finally {
      removeDir(d);
    }
  });
});

describe('plan', () => {
  before(() => ensureBuilt());

  test('a CIDR edit on 0.13 makes the config stale; exit 1', () => {
    const r = run(['plan', '--from', STATE, '--to', 'examples/pools-edited.yaml', '--state', STATE]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^NAMESPACE +NAME +CHANGE +BEFORE +AFTER +POOL +REASON$/m);
    assert.match(r.stdout, /^shop +legacy-gateway +stale +192\.168\.10\.14 /m);
    assert.match(r.stdout.trim().split('\n').at(-1)!, /^\d+ Service\(s\) holding IPs: \d+ kept, 0 moved, 0 lost, 1 stale\.$/);
  });

  test('on 0.14.8 the same edit moves or loses the IP; json', () => {
    const r = run(['plan', '--from', STATE, '--to', 'examples/pools-edited.yaml', '--metallb-version', '0.14.8', '-o', 'json']);
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.schemaVersion, 1);
    const e = doc.entries.find((x: { key: string }) => x.key === 'shop/legacy-gateway');
    assert.ok(['moved', 'lost'].includes(e.change));
    assert.deepEqual(e.before, ['192.168.10.14']);
    assert.equal(doc.summary.kept + doc.summary.moved + doc.summary.lost + doc.summary.stale, doc.summary.services);
  });

  test('no change: exit 0', () => {
    const r = run(['plan', '--from', STATE, '--to', STATE]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /0 moved, 0 lost\.\n$/);
  });

  test('git refs and <ref>:<path>', () => {
    const r = run(['plan', '--from', 'HEAD:examples/cluster-state.yaml', '--to', STATE]);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const bad = run(['plan', '--from', 'no-such-ref', '--to', STATE]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: --from no-such-ref: neither an existing path nor a git ref/);
  });
});
