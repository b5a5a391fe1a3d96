// compareText's own comparison of ASCII text (when the host declares a root-like default locale)
// against ICU's root collation ('en'), character by character and on strings that differ a little:
// tab, newline and printable ASCII in any mix, capitals, prefixes. Other text goes to ICU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assumeRootCollation, compareRanked, compareText } from '../../shared/src/text/compareText.js';

const icu = new Intl.Collator('en');
const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const ALPHABET = '\t\n\v\f\r' + Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

/** A small deterministic generator (the test fails the same way every time). */
function random(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

test('ranked ASCII compares as ICU root collation: every pair of characters and of 2-character strings from a sample', () => {
  const one = [...ALPHABET];
  for (const a of one) for (const b of one) assert.equal(compareRanked(a, b), sign(icu.compare(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  const rnd = random(7);
  const two = one.flatMap((a) => one.map((b) => a + b));
  for (const a of two) {
    for (let k = 0; k < 8; k++) {
      const b = two[Math.floor(rnd() * two.length)];
      assert.equal(compareRanked(a, b), sign(icu.compare(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  }
});

test('ranked ASCII compares as ICU root collation: strings a few edits apart (case, punctuation, prefixes)', () => {
  const rnd = random(42);
  const pick = (s: string) => s[Math.floor(rnd() * s.length)];
  for (const chars of ['aAbBzZ09-_. /:', ALPHABET]) {
    for (let k = 0; k < 30_000; k++) {
      let a = '';
      for (let i = Math.floor(rnd() * 10); i > 0; i--) a += pick(chars);
      const b = [...a];
      for (let e = 1 + Math.floor(rnd() * 3); e > 0; e--) {
        const at = Math.floor(rnd() * (b.length + 1));
        const r = rnd();
        if (r < 0.33) b.splice(at, 0, pick(chars));
        else if (r < 0.66) b.splice(at, 1);
        else b[at] = pick(chars);
      }
      const bs = b.join('');
      assert.equal(compareRanked(a, bs), sign(icu.compare(a, bs)), `${JSON.stringify(a)} vs ${JSON.stringify(bs)}`);
    }
  }
});

test('compareText: the default collator without the declaration, and for text outside the ranked characters', () => {
  const collator = new Intl.Collator();
  const pairs: [string, string][] = [
    ['pool-b', 'pool-a'],
    ['Web', 'web'],
    ['é', 'f'],
    ['a\u0001b', 'ab'],
    ['≥0.14.9', '0.14.9'],
    ['same', 'same'],
  ];
  try {
    for (const declared of [false, true]) {
      assumeRootCollation(declared);
      for (const [a, b] of pairs) assert.equal(compareText(a, b), sign(collator.compare(a, b)), `${declared}: ${a} vs ${b}`);
    }
  } finally {
    assumeRootCollation(false);
  }
});

test('with the declaration, names of lower-case letters, digits, "-", "." and "/" compare as ICU root collation (plain code order)', () => {
  const chars = '-./0123456789abcdefghijklmnopqrstuvwxyz';
  const rnd = random(3);
  const pick = () => chars[Math.floor(rnd() * chars.length)];
  const names: string[] = [''];
  for (const a of chars) for (const b of chars) names.push(a + b);
  for (let k = 0; k < 3000; k++) {
    let s = '';
    for (let i = 1 + Math.floor(rnd() * 12); i > 0; i--) s += pick();
    names.push(s, s + pick(), s.slice(0, -1) + pick());
  }
  assumeRootCollation(true);
  try {
    for (let i = 0; i < names.length; i++) {
      for (let k = 0; k < 6; k++) {
        const a = names[i];
        const b = names[Math.floor(rnd() * names.length)];
        assert.equal(compareText(a, b), sign(icu.compare(a, b)), `${a} vs ${b}`);
      }
    }
  } finally {
    assumeRootCollation(false);
  }
});
