// Differential tests of the fast block-YAML reader: whenever it accepts a document, everything
// lbguard reads from it — values, every locate() range, scalarAt(), parse findings — must equal
// what the `yaml` package gives.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { FastTree, LazyFastTree, fastParseDocument, type FastNode } from '../../shared/src/manifest/fastParse.js';
import { parseManifestText, splitDocuments, sniffKind, type PathSegment } from '../../shared/src/manifest/index.js';
import { IncrementalParser } from '../../shared/src/manifest/incremental.js';

const YAML_OPTIONS = { version: '1.1', prettyErrors: false, uniqueKeys: true, strict: false, merge: true } as const;
const CORPUS = '/work/shared/corpus';

/** Every node of yaml's tree equals the fast tree's: kind, [start, valueEnd], scalar value/source/style. */
function compareTrees(y: unknown, f: FastNode, where: string): void {
  if (isMap(y)) {
    assert.equal(f.k, 1, `${where}: map`);
    if (f.k !== 1) return;
    assert.deepEqual([f.start, f.end], y.range!.slice(0, 2), `${where}: map range`);
    assert.equal(f.keys.length, y.items.length, `${where}: map size`);
    y.items.forEach((p, i) => {
      assert.ok(isPair(p));
      compareTrees(p.key, f.keys[i], `${where}.key${i}`);
      compareTrees(p.value, f.values[i], `${where}.${String(f.keys[i].value)}`);
    });
  } else if (isSeq(y)) {
    assert.equal(f.k, 2, `${where}: seq`);
    if (f.k !== 2) return;
    assert.deepEqual([f.start, f.end], y.range!.slice(0, 2), `${where}: seq range`);
    assert.equal(f.items.length, y.items.length, `${where}: seq size`);
    y.items.forEach((it, i) => compareTrees(it, f.items[i], `${where}[${i}]`));
  } else {
    assert.ok(isScalar(y), `${where}: scalar`);
    assert.equal(f.k, 0, `${where}: scalar`);
    if (f.k !== 0 || !isScalar(y)) return;
    assert.deepEqual([f.start, f.end], y.range!.slice(0, 2), `${where}: scalar range`);
    assert.equal(f.value, y.value, `${where}: scalar value`);
    assert.equal(f.source, y.source, `${where}: scalar source`);
    assert.equal(f.type, y.type, `${where}: scalar type`);
  }
}

/** Paths to every node of a value, plus missing children and numeric-string indexes. */
function pathsOf(value: unknown, prefix: PathSegment[] = [], out: PathSegment[][] = []): PathSegment[][] {
  out.push(prefix);
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      pathsOf(v, [...prefix, i], out);
      out.push([...prefix, String(i)]);
    });
    out.push([...prefix, value.length], [...prefix, 'missing']);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
    out.push([...prefix, 'missing', 'deeper'], [...prefix, 0]);
  } else out.push([...prefix, 'x']);
  return out;
}

/** Parses `text` with and without the fast path; every observable result must be equal. */
function assertSameAsYaml(text: string, label: string): void {
  const slow = parseManifestText(text, 'f.yaml', { fastPath: false });
  const fast = parseManifestText(text, 'f.yaml');
  assert.deepEqual(fast.findings, slow.findings, `${label}: findings`);
  assert.equal(fast.documents.length, slow.documents.length, `${label}: documents`);
  fast.documents.forEach((d, i) => {
    const s = slow.documents[i];
    assert.deepEqual(d.value, s.value, `${label}: value`);
    assert.deepEqual([d.ref, d.docIndex, d.pathPrefix], [s.ref, s.docIndex, s.pathPrefix]);
    assert.deepEqual(d.range, s.range, `${label}: range`);
    // Documents both paths read with yaml are the same by construction; large ones are sampled.
    if (!(d.tree instanceof FastTree || d.tree instanceof LazyFastTree)) return;
    const all = pathsOf(s.value);
    const step = Math.max(1, Math.floor(all.length / 1500));
    for (let j = 0; j < all.length; j += step) {
      const p = all[j];
      for (const part of ['key', 'value', 'pair'] as const) {
        assert.deepEqual(d.locate(p, part), s.locate(p, part), `${label}: locate ${JSON.stringify(p)} ${part}`);
      }
      assert.deepEqual(d.scalarAt(p), s.scalarAt(p), `${label}: scalarAt ${JSON.stringify(p)}`);
    }
  });
}

/** Fast result of one segment, checked node by node against yaml when accepted. */
function checkSegment(text: string, label: string): boolean {
  const fast = fastParseDocument(text);
  if (!fast) return false;
  const doc = parseDocument(text, YAML_OPTIONS);
  assert.deepEqual(doc.errors, [], `${label}: fast path accepted a document yaml refuses:\n${text}`);
  assert.deepEqual(fast.value, doc.toJS({ maxAliasCount: 100 }), `${label}: value\n${text}`);
  try {
    compareTrees(doc.contents, fast.tree.root, label);
  } catch (e) {
    (e as Error).message += `\n${JSON.stringify(text)}`;
    throw e;
  }
  return true;
}

describe('fast path vs yaml on the corpus', () => {
  test('every accepted corpus document reads exactly as yaml reads it', () => {
    const counts = new Map<string, { total: number; fast: number }>();
    let total = 0;
    let accepted = 0;
    for (const name of readdirSync(CORPUS).filter((n) => n.endsWith('.yaml')).sort()) {
      const text = readFileSync(join(CORPUS, name), 'utf8');
      for (const [i, seg] of splitDocuments(text).entries()) {
        const ok = checkSegment(seg.text, `${name}#${i}`);
        const kind = sniffKind(seg.text)?.kind ?? '(unsniffable)';
        const c = counts.get(kind) ?? { total: 0, fast: 0 };
        c.total++;
        total++;
        if (ok) {
          c.fast++;
          accepted++;
        }
        counts.set(kind, c);
      }
      assertSameAsYaml(text, name);
    }
    const pct = (a: number, b: number) => `${a}/${b} (${b ? Math.round((100 * a) / b) : 0}%)`;
    const lb = ['Service', 'IPAddressPool', 'IPPool', 'ConfigMap', 'L2Advertisement', 'BGPAdvertisement'];
    const summary = [`all documents: ${pct(accepted, total)}`, ...lb.filter((k) => counts.has(k)).map((k) => `${k}: ${pct(counts.get(k)!.fast, counts.get(k)!.total)}`)];
    console.log(`fast path acceptance on ${CORPUS}: ${summary.join(', ')}`);
    const svc = counts.get('Service')!;
    assert.ok(svc.fast / svc.total >= 0.8, `Service acceptance ${pct(svc.fast, svc.total)}`);
  });
});

// ---- generated documents --------------------------------------------------------------------

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLAIN_SCALARS = [
  'web', 'LoadBalancer', 'TCP', '10.0.0.5', '10.0.0.0/24', '10.0.0.1-10.0.0.9', 'fd00::/64', '::1', '80', '0', '-0', '08', '0755', '0o17', '0x1F', '0b101',
  '1_000', '+12', '-1', '1.5', '1.', '.5', '1e3', 'e3', 'E5', '.inf', '-.Inf', '.nan', '.NaN', '190:20:30', '2001-12-14', '2001-12-14 21:59:43.10 -5', 'yes', 'Yes',
  'YES', 'no', 'No', 'on', 'On', 'OFF', 'off', 'y', 'n', 'Y', 'N', 'true', 'False', 'TRUE', 'null', 'Null', 'NULL', '~', 'nul', 'yess', 'onn', 'a b c',
  'http://x:80/y', 'a#b', 'foo, bar', 'x]', 'x}', '$(VAR)', 'ñandú', 'v1', '1.2.3', '-x', '--flag', 'a:b', 'a: b', 'a:', 'it\'s', 'say "hi"', '@x', '`x`', '%x',
  '!tag x', '&a x', '*a', '|', '>', '?', '? x', '- x', '-', '[a', '{a', '<<', '=', 'foo  bar', 'a\tb', 'x #c', '"', 'metallb.io/v1beta1', 'ab:c:d', 'z:',
];
const KEYS = [
  'name', 'namespace', 'app', 'app.kubernetes.io/name', 'metallb.universe.tf/address-pool', 'a-b_c', 'A', 'x1', '.dockerconfigjson', '80', 'yes', 'on', 'y',
  'true', 'null', '~', 'e5', '1.5', '<<', '__proto__', 'a b', 'a:b', '"a:b"', "'x y'", '"with \\"esc\\""', "'it''s'", '"yes"', '"80"', '"__proto__"',
  '"tab\\there"', '-a', 'ports', 'spec', 'constructor', 'toString', 'a.b.c', 'k/v', '"\\u00e9"', '""',
];
const QUOTED = ["'single'", "'it''s'", "''", '""', '"double"', '"esc \\n \\t \\" \\\\ \\/ \\x41 \\u00e9 \\ end"', '"yes"', '"10.0.0.1"', '"bad \\z"', '"\\U0001F600"', "'a: b'", '"a # b"', '"unclosed', "'x'y", '"a"b'];
const FLOWS = ['[]', '{}', '[ ]', '[a, b]', '["10.0.0.0/24"]', '[{port: 80}]', '[{port: 80, protocol: TCP}, {port: 443}]', '{name: x, namespace: y}', '[yes, on, 0755]', '[a, [b, c]]', '{a: [1, 2]}', '[a,b]', '{a: 1,b: 2}', '[a, ]', '{a}', '{a: }', '[a: b]', "['q', \"d\"]", '{"k": v}', '{"k":v}', '[a b]', '[x:y]', '{a: 1, a: 2}', '[ a , b ]', '[a] #c', '[a]#c'];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function randomString(r: () => number): string {
  const alphabet = 'abyYnNoO019_-.:/#, "\'[]{}~!&*|>%@`\\ e';
  let s = '';
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

/** Scalars the fast path reads, for documents that should mostly be accepted. */
const CLEAN_SCALARS = PLAIN_SCALARS.filter((s) => /^[A-Za-z0-9_.~$(+ñ][^:#\t]*$/.test(s) && !/^\d{4}-/.test(s)).concat(QUOTED.slice(0, 8), FLOWS.slice(0, 11));

function scalarText(r: () => number, clean = false): string {
  if (clean) return pick(r, CLEAN_SCALARS);
  const x = r();
  if (x < 0.6) return pick(r, PLAIN_SCALARS);
  if (x < 0.75) return pick(r, QUOTED);
  if (x < 0.85) return pick(r, FLOWS);
  if (x < 0.93) return randomString(r);
  return `'${randomString(r).replace(/'/g, "''")}'`;
}

/** Renders a random Kubernetes-like block document. */
function generate(seed: number): string {
  const r = rng(seed);
  const ind = pick(r, [2, 2, 2, 4, 1, 3]);
  const seqIndented = r() < 0.5;
  const clean = r() < 0.5;
  const scalar = () => scalarText(r, clean);
  const lines: string[] = [];
  const trailing = () => (r() < 0.1 ? ' '.repeat(1 + Math.floor(r() * 2)) : '') + (r() < 0.1 ? ` # ${pick(r, ['c', 'a: b', 'x #y', ''])}` : '');
  const colonSpace = () => (r() < 0.9 ? ' ' : '  ');
  const key = () => (clean || r() < 0.7 ? pick(r, KEYS.slice(0, 10)) : pick(r, KEYS)) + (r() < 0.02 ? ' ' : '');
  const interleave = (depth: number) => {
    if (r() < (clean ? 0.02 : 0.08)) lines.push(`${' '.repeat(Math.floor(r() * (depth + 2)))}# comment${r() < 0.3 ? ': x' : ''}`);
    if (r() < 0.06) lines.push(r() < 0.5 ? '' : ' '.repeat(Math.floor(r() * 4)));
  };
  // Emits a mapping; `first` is the text before the first key (for `- key: v`).
  const map = (col: number, depth: number, first?: string) => {
    const n = 1 + Math.floor(r() * (depth > 2 ? 2 : 4));
    const used = new Set<string>();
    for (let i = 0; i < n; i++) {
      let k = key();
      if (used.has(k) && r() < 0.95) k = `${k}${i}`;
      used.add(k);
      const lead = i === 0 && first !== undefined ? first : ' '.repeat(col);
      value(`${lead}${k}:`, col, depth);
      interleave(col);
    }
  };
  const seq = (col: number, depth: number) => {
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      const dash = `${' '.repeat(col)}-`;
      const x = r();
      const gap = ' '.repeat(1 + (r() < 0.15 ? Math.floor(r() * 3) : 0));
      if (x < 0.45 && depth < 4) map(col + 1 + gap.length, depth + 1, dash + gap);
      else if (x < 0.55 && depth < 4) {
        lines.push(dash + (r() < 0.9 ? '' : ' '));
        if (r() < 0.5) map(col + ind, depth + 1);
        else seq(col + ind, depth + 1);
      } else if (x < 0.6) lines.push(dash + (r() < 0.5 ? '' : ' '));
      else lines.push(`${dash}${gap}${scalar()}${trailing()}`);
      interleave(col);
    }
  };
  const value = (head: string, col: number, depth: number) => {
    const x = r();
    if (x < 0.5 || depth >= 4) lines.push(`${head}${colonSpace()}${scalar()}${trailing()}`);
    else if (x < 0.72) {
      lines.push(head + (r() < 0.1 ? ' # c' : ''));
      map(col + ind, depth + 1);
    } else if (x < 0.9) {
      lines.push(head + (r() < 0.1 ? ' # c' : ''));
      seq(seqIndented ? col + ind : col, depth + 1);
    } else lines.push(head + (r() < 0.3 ? '  ' : ''));
  };
  if (r() < 0.2) lines.push('# leading comment');
  if (r() < 0.4) lines.push(r() < 0.8 ? '---' : '--- # doc');
  lines.push(`apiVersion: ${pick(r, ['v1', 'metallb.io/v1beta1'])}`, `kind: ${pick(r, ['Service', 'IPAddressPool', 'ConfigMap'])}`);
  map(0, 0);
  const eol = r() < 0.15 ? '\r\n' : '\n';
  return lines.join(eol) + (r() < 0.85 ? eol : '');
}

describe('fast path vs yaml on generated documents', () => {
  test('random Kubernetes-like block YAML: accepted documents read exactly as yaml reads them', () => {
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.noShrink(fc.integer()), (seed) => {
        const text = generate(seed);
        runs++;
        try {
          if (checkSegment(text, `seed ${seed}`)) accepted++;
          assertSameAsYaml(text, `seed ${seed}:\n${text}`);
        } catch (e) {
          console.error((e as Error).message);
          throw e;
        }
      }),
      { numRuns: 3000 },
    );
    console.log(`generated documents accepted by the fast path: ${accepted}/${runs}`);
    assert.ok(accepted > runs / 10, `only ${accepted}/${runs} generated documents were accepted`);
  });

  test('whole generated files (several documents, offsets) give the same results', () => {
    fc.assert(
      fc.property(fc.noShrink(fc.array(fc.integer(), { minLength: 2, maxLength: 5 })), (seeds) => {
        const text = seeds.map((s) => generate(s).replace(/^(# leading comment\r?\n)?(---.*\r?\n)?/, '')).join('---\n');
        assertSameAsYaml(text, 'file');
        const inc = new IncrementalParser('f.yaml').parse(text);
        const full = parseManifestText(text, 'f.yaml', { fastPath: false });
        assert.deepEqual(inc.findings, full.findings);
        assert.deepEqual(
          inc.documents.map((d) => [d.value, d.range, d.locate(['metadata', 'name'], 'pair')]),
          full.documents.map((d) => [d.value, d.range, d.locate(['metadata', 'name'], 'pair')]),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('fast path rejects what it does not read exactly', () => {
  const base = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n';
  test('the base document is accepted', () => {
    assert.ok(fastParseDocument(base));
    assert.ok(fastParseDocument(`---\n${base}`));
    assert.ok(fastParseDocument(base.replace(/\n/g, '\r\n')));
    assert.ok(fastParseDocument(`${base}spec:\n  ports: [{port: 80}]\n  addresses: ["10.0.0.0/24"]\n`));
  });
  const cases: [string, string][] = [
    ['anchor', `${base}spec: &a\n  x: 1\n`],
    ['alias', `${base}spec: *a\n`],
    ['tag', `${base}spec: !!str 1\n`],
    ['literal block scalar', `${base}data:\n  config: |\n    x\n`],
    ['folded block scalar', `${base}data:\n  config: >\n    x\n`],
    ['multi-line plain scalar', `${base}  desc: a\n    b\n`],
    ['multi-line quoted scalar', `${base}  desc: "a\n    b"\n`],
    ['complex key', `${base}? a\n: b\n`],
    ['directive', `%YAML 1.1\n---\n${base}`],
    ['document end marker', `${base}...\n`],
    ['tab indentation', `${base}\tx: 1\n`],
    ['duplicate key', `${base}kind: Pod\n`],
    ['merge key', `${base}spec:\n  <<: {a: 1}\n`],
    ['odd indentation', `${base}   x: 1\n`],
    ['non-string key', `${base}spec:\n  80: http\n`],
    ['YAML 1.1 boolean key', `${base}spec:\n  on: x\n`],
    ['timestamp value', `${base}  created: 2001-12-14\n`],
    ['empty value followed by a comment', `${base}spec:\n# c\nstatus: {}\n`],
    ['root sequence', '- a\n- b\n'],
    ['root scalar', 'hello\n'],
    ['nested compact sequence', `${base}spec:\n  - - a\n`],
    ['unknown escape', `${base}  x: "\\z"\n`],
    ['flow collection over lines', `${base}  x: [a,\n    b]\n`],
    ['nested mapping on one line', `${base}  x: a: b\n`],
    ['__proto__ key', `${base}  __proto__: x\n`],
  ];
  for (const [what, text] of cases) {
    test(what, () => {
      assert.equal(fastParseDocument(text), undefined);
      assertSameAsYaml(text, what);
    });
  }
});
