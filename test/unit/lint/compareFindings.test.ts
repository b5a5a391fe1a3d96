// The engine sorts with compareFindingsQuick, which must order exactly as compareFindings does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareFindings, type Finding } from '../../../shared/src/findings/finding.js';
import { compareFindingsQuick } from '../../../shared/src/lint/engine.js';

const finding = fc.record({
  file: fc.constantFrom('a.yaml', 'B.yaml', 'b.yaml', 'dir/a.yaml', 'ä.yaml', ''),
  rule: fc.constantFrom('pool-overlap', 'Pool-overlap', 'yaml-syntax', 'a', ''),
  line: fc.nat(5),
  column: fc.nat(5),
});
const toFinding = (f: { file: string; rule: string; line: number; column: number }): Finding => ({
  rule: f.rule,
  severity: 'warning',
  file: f.file,
  range: { start: { line: f.line, column: f.column, offset: 0 }, end: { line: f.line, column: f.column, offset: 0 } },
  message: '',
  docsUrl: '',
});

test('compareFindingsQuick has the sign of compareFindings for every pair', () => {
  fc.assert(
    fc.property(finding, finding, (x, y) => {
      const a = toFinding(x);
      const b = toFinding(y);
      assert.equal(Math.sign(compareFindingsQuick(a, b)), Math.sign(compareFindings(a, b)));
    }),
    { numRuns: 2000 },
  );
});
