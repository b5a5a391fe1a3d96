// 1-based core ranges → 0-based VS Code positions, checked against real core findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { offsetAt, rangeKey, toZeroBased } from '../../extension/src/ranges.js';
import { LineIndex } from '../../shared/src/manifest/source.js';

test('toZeroBased shifts lines and columns by one, end stays exclusive', () => {
  const r = { start: { line: 3, column: 5, offset: 0 }, end: { line: 3, column: 19, offset: 0 } };
  assert.deepEqual(toZeroBased(r), { start: { line: 2, character: 4 }, end: { line: 2, character: 18 } });
  assert.equal(rangeKey(toZeroBased(r)), '2:4-2:18');
});

test('round trip with the core LineIndex: the range selects the same text (LF, CRLF, UTF-16)', () => {
  for (const text of ['a: 1\nspec:\n  loadBalancerIP: 10.0.0.1\n', 'a: 1\r\nspec:\r\n  loadBalancerIP: 10.0.0.1\r\n', 'x: "é😀"\nspec:\n  loadBalancerIP: 10.0.0.1\n']) {
    const lines = new LineIndex(text);
    const start = text.indexOf('loadBalancerIP');
    const end = start + 'loadBalancerIP'.length;
    const r0 = toZeroBased(lines.range(start, end));
    assert.equal(r0.start.line, 2);
    assert.equal(r0.start.character, 2);
    assert.equal(text.slice(offsetAt(text, r0.start), offsetAt(text, r0.end)), 'loadBalancerIP');
  }
  const emoji = 'k: "😀" # x\n';
  const lines = new LineIndex(emoji);
  const hash = emoji.indexOf('#');
  assert.equal(toZeroBased(lines.range(hash, hash + 1)).start.character, 8); // the surrogate pair counts 2, as in VS Code
});

test('a range that ends at the start of the next line maps to (line+1, 0)', () => {
  const text = 'a\nb\n';
  const r0 = toZeroBased(new LineIndex(text).range(0, 2));
  assert.deepEqual(r0, { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } });
});
