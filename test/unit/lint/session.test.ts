// A LintSession must give exactly what lint() gives, call after call, while reusing the models of
// unchanged inputs (baseline, state) and the per-document reads of unchanged documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { lint, type LintInput, type LintOptions } from '../../../shared/src/lint/engine.js';
import { createLintSession } from '../../../shared/src/lint/session.js';
import { parseConfig } from '../../../shared/src/lint/config.js';
import { IncrementalParser } from '../../../shared/src/manifest/incremental.js';
import { parseManifestText } from '../../../shared/src/manifest/parse.js';
import { isRelevantKind } from '../../../shared/src/model/kinds.js';

const OPTS = { kindFilter: isRelevantKind };
const POOL = (name: string, cidr: string, ns = 'metallb-system') =>
  `---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  addresses:\n    - ${cidr}\n  autoAssign: on\n`;
const SVC = (name: string, ip: string, pool = 'prod') =>
  `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: shop\n  annotations:\n    metallb.io/address-pool: ${pool}\nspec:\n  type: LoadBalancer\n  loadBalancerIP: ${ip}\n  ports:\n    - port: 80\n`;
const CONFIGMAP = `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config\n  namespace: metallb-system\ndata:\n  config: |\n    address-pools:\n    - name: legacy\n      protocol: layer2\n      addresses:\n      - 10.9.0.0/24\n`;
const NAMESPACE = '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    team: a\n';
const CONTROLLER = '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: controller\n  namespace: lb\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: quay.io/metallb/controller:v0.13.12\n        args: ["--lb-class=x"]\n';

const BASE = [POOL('prod', '10.0.0.0/24'), SVC('a', '10.0.0.5'), NAMESPACE, SVC('b', '10.0.0.5'), POOL('dev', '10.1.0.0/24', 'other'), CONFIGMAP, SVC('c', '10.9.0.7', 'legacy')].join('');
const STATE = parseManifestText([POOL('prod', '10.0.0.0/24'), SVC('a', '10.0.0.9'), SVC('b', '10.0.0.5')].join(''), 'state.yaml', OPTS);
const BASELINE = parseManifestText(BASE.replace('10.0.0.0/24', '10.0.0.0/25'), 'm.yaml', OPTS);

function corpus(): string[] {
  const dir = '/work/shared/corpus';
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort().slice(0, 60).map((n) => join(dir, n));
}

function same(input: LintInput, options: LintOptions, session: ReturnType<typeof createLintSession>): void {
  const a = lint(input, options);
  const b = session.lint(input, options);
  assert.deepEqual(b.findings, a.findings);
  assert.equal(b.version, a.version);
  assert.equal(b.simulation === undefined, a.simulation === undefined);
}

test('same findings as lint(), and the baseline and state models are built once', () => {
  const session = createLintSession();
  const parser = new IncrementalParser('m.yaml', OPTS);
  const pools = parseManifestText(POOL('extra', '10.2.0.0/24'), 'pools.yaml', OPTS);
  let file = parser.parse(BASE);
  same({ files: [file, pools], baseline: [BASELINE], state: [STATE] }, {}, session);
  assert.equal(session.stats.modelsBuilt, 3);
  // A keystroke in one Service: only the edited document (and none before it) is read again.
  file = parser.parse(BASE.replace('name: b', 'name: bx'));
  same({ files: [file, pools], baseline: [BASELINE], state: [STATE] }, {}, session);
  assert.equal(session.stats.modelsReused, 2, 'baseline and state reused');
  assert.equal(session.stats.modelsBuilt, 1);
  assert.ok(session.stats.documentsRead < file.documents.length, String(session.stats.documentsRead));
  // Nothing changed: the whole model is reused.
  same({ files: [file, pools], baseline: [BASELINE], state: [STATE] }, {}, session);
  assert.equal(session.stats.modelsBuilt, 0);
  // Other options (namespace, version, config) give lint()'s result too.
  const config = parseConfig('metallb:\n  namespace: other\n  lbClass: x\nrules:\n  pool-wrong-namespace: error\n');
  same({ files: [file, pools], baseline: [BASELINE], state: [STATE] }, { config }, session);
  same({ files: [file, pools], state: [STATE] }, { metallbVersion: '0.12.1' }, session);
  same({ files: [file, pools] }, { metallbNamespace: 'lb' }, session);
  // A MetalLB controller Deployment sets the namespace, version and lbClass in document order.
  file = parser.parse(BASE + CONTROLLER);
  same({ files: [file, pools], baseline: [BASELINE], state: [STATE] }, {}, session);
  same({ files: [pools, file] }, {}, session);
});

test('same findings as lint() over random edits, and on the corpus', () => {
  const session = createLintSession();
  const parser = new IncrementalParser('m.yaml', OPTS);
  const corpusFiles = corpus().map((p) => parseManifestText(readFileSync(p, 'utf8'), p, OPTS));
  let text = BASE;
  fc.assert(
    fc.property(fc.nat(), fc.constantFrom('x', '\n', ' ', '#', ': ', '1', '---\n', ''), fc.nat(3), (at, insert, del) => {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + insert + text.slice(i + del);
      const file = parser.parse(text);
      same({ files: [file, ...corpusFiles], baseline: [BASELINE], state: [STATE] }, {}, session);
    }),
    { numRuns: 60, seed: 42 },
  );
});
