// Two lint tiers: a keystroke runs the rules that do not simulate MetalLB and carries the slow
// rules' last findings over, moved past the edit; the full tier replaces them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffTexts, shiftFindings } from '../../extension/src/shift.js';
import { WorkspaceIndex } from '../../extension/src/workspaceIndex.js';
import { LineIndex } from '../../shared/src/manifest/source.js';
import type { Finding } from '../../shared/src/findings/finding.js';
import { POOLS, SERVICES, STATE } from './fixtures.js';

const finding = (text: string, needle: string): Finding => {
  const lines = new LineIndex(text);
  const s = text.indexOf(needle);
  const range = lines.range(s, s + needle.length);
  return { rule: 'slow', severity: 'warning', file: 'f.yaml', range, message: 'm', docsUrl: 'u', fixes: [{ title: 't', edits: [{ file: 'f.yaml', range, newText: 'X' }] }] };
};

test('shiftFindings: before the edit unchanged, after it moved (lines and columns), touched dropped', () => {
  const old = 'a: 1\nb: 2\nc: 3\n';
  const neu = 'a: 1\nb: 22\nextra: 0\nc: 3\n';
  assert.deepEqual(diffTexts(old, neu), { start: 9, oldEnd: 9, delta: 10 });
  const fs = [finding(old, 'a'), finding(old, '2'), finding(old, 'c')];
  const out = shiftFindings(fs, 'f.yaml', old, neu, new LineIndex(neu));
  assert.equal(out.length, 2, 'the finding on the edited value is dropped');
  assert.deepEqual([out[0].range.start.line, out[0].range.start.column], [1, 1]);
  assert.deepEqual([out[1].range.start.line, out[1].range.start.column, out[1].range.start.offset], [4, 1, neu.indexOf('c: 3')]);
  assert.equal(out[1].fixes?.[0].edits[0].range.start.offset, neu.indexOf('c: 3'));
});

test('fast tier skips the simulation rules but keeps their last findings; the full tier recomputes', () => {
  const idx = new WorkspaceIndex();
  idx.setFile('pools.yaml', POOLS);
  idx.setState('cluster-state.yaml', STATE);
  idx.setFile('services.yaml', SERVICES, true);
  const full = idx.lintFile('services.yaml', 'full');
  assert.ok(idx.slowRules.size > 0, 'some rules run the simulation');
  const slowFull = full.findings.filter((f) => idx.slowRules.has(f.rule));
  // Insert a comment line at the top: every finding moves down by one line.
  idx.setFile('services.yaml', `# edited\n${SERVICES}`, true);
  const fast = idx.lintFile('services.yaml', 'fast');
  const slowFast = fast.findings.filter((f) => idx.slowRules.has(f.rule));
  assert.deepEqual(slowFast.map((f) => [f.rule, f.range.start.line]), slowFull.map((f) => [f.rule, f.range.start.line + 1]));
  const again = idx.lintFile('services.yaml', 'full');
  assert.deepEqual(again.findings.map((f) => [f.rule, f.range.start.line]), fast.findings.map((f) => [f.rule, f.range.start.line]));
});
