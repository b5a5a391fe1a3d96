// splitDocuments against a line-by-line reference that matches each line with a pattern (what it
// did before it read markers in place).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { splitDocuments } from '../../../shared/src/manifest/index.js';
import { isBlank, type Segment } from '../../../shared/src/manifest/split.js';

const MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/;

function reference(text: string): Segment[] {
  const segments: Segment[] = [];
  let segStart = 0;
  let lineStart = 0;
  let sawContent = false;
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? text.length : nl;
    const marker = MARKER.exec(text.slice(lineStart, lineEnd));
    if (marker) {
      if (marker[1] === '---') {
        if (lineStart > segStart) segments.push({ text: text.slice(segStart, lineStart), offset: segStart });
        segStart = lineStart;
      } else {
        segments.push({ text: text.slice(segStart, nl < 0 ? text.length : nl + 1), offset: segStart });
        segStart = nl < 0 ? text.length : nl + 1;
      }
    }
    sawContent = true;
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  if (segStart < text.length || (!sawContent && segments.length === 0)) segments.push({ text: text.slice(segStart), offset: segStart });
  return segments.filter((s) => !isBlank(s.text));
}

const piece = fc.constantFrom('---', '...', '--', '..', '----', '-', '.', ' ', '\t', '\r', '\n', '#', 'a: b', 'x', '--- #c', '...x', '---\t', '---\r\n');

test('splitDocuments splits as the pattern-per-line reference does', () => {
  fc.assert(fc.property(fc.array(piece, { maxLength: 30 }).map((xs) => xs.join('')), (text) => assert.deepEqual(splitDocuments(text), reference(text))), { numRuns: 5000 });
});

test('isBlank agrees with its pattern on any text', () => {
  const NON_BLANK_LINE = /^(?!\s*(#|$)|(---|\.\.\.)\s*(#.*)?$)/m;
  const bit = fc.constantFrom('---', '...', ' ', '\t', '\r', '\n', '\u2028', '\u00a0', '#', 'a', 'Z', 'k: v', '- x', '1', '--- # c', '...x');
  fc.assert(fc.property(fc.array(bit, { maxLength: 20 }).map((xs) => xs.join('')), (text) => assert.equal(isBlank(text), !NON_BLANK_LINE.test(text))), { numRuns: 5000 });
});
