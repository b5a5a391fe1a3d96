// End-to-end proof of the VS Code harness: a real VS Code (code-server 4.100.3) in Debian's
// Chromium, with the probe extension (test/harness/vscode/probe-extension) installed from a .vsix.
//
//   node --import tsx --test test/e2e/harness.test.ts
//
// Needs: bash test/harness/vscode/install-code-server.sh (cached) and apt-get install chromium.
// A missing piece FAILS the test with a message saying what to install — it never skips.
// Screenshots and the code-server log go to test-artifacts/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireCodeServer, startCodeServer, type CodeServer } from '../harness/vscode/codeServer.js';
import { CHROMIUM_PATH, openWorkbench, type Workbench } from '../harness/vscode/browser.js';
import { packageVsix, PROBE_EXTENSION_DIR } from '../harness/vscode/vsix.js';
import { runExtensionTests } from '../harness/vscode/runExtensionTests.js';
import { closeSession, failWithEvidence } from '../harness/vscode/session.js';

const SVC_YAML = [
  'apiVersion: v1', // 1
  'kind: Service', // 2
  'metadata:', // 3
  '  name: demo', // 4
  '  annotations:', // 5
  '    lbguard.example/note: PROBE here', // 6  (PROBE at column 27)
  'spec:', // 7
  '  type: LoadBalancer', // 8
  '  ports:', // 9
  '    - port: 80', // 10
  '',
].join('\n');
const PROBE_LINE = 6;
const PROBE_COL = SVC_YAML.split('\n')[PROBE_LINE - 1]!.indexOf('PROBE') + 1;

function preflight(): void {
  requireCodeServer(); // throws naming the install path and install-code-server.sh
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set LBGUARD_CHROMIUM)`);
  }
}

function makeWorkspace(): string {
  const ws = mkdtempSync(join(tmpdir(), 'lbguard-e2e-ws-'));
  mkdirSync(join(ws, 'manifests'), { recursive: true });
  writeFileSync(join(ws, 'manifests', 'svc.yaml'), SVC_YAML);
  writeFileSync(join(ws, 'README.md'), '# e2e workspace\n');
  return ws;
}

test('workbench: probe warning in Problems, hover, quick fix, typing, save', { timeout: 110_000 }, async () => {
  preflight();
  const ws = makeWorkspace();
  const vsix = packageVsix(PROBE_EXTENSION_DIR, join(ws, '..', `lbguard-probe-${process.pid}.vsix`));
  let cs: CodeServer | undefined;
  let wb: Workbench | undefined;
  try {
    cs = await startCodeServer({ workspace: ws, vsix });
    wb = await openWorkbench(cs.url, ws);
    await wb.openFile('manifests/svc.yaml');

    const problem = await wb.waitForProblem((p) => p.code === 'probe-word', 30_000);
    assert.deepEqual(
      { ...problem, aria: undefined },
      {
        message: 'probe word PROBE found',
        source: 'lbguard-probe',
        code: 'probe-word',
        line: PROBE_LINE,
        col: PROBE_COL,
        severity: 'warning',
        file: 'svc.yaml',
        aria: undefined,
      },
    );
    await wb.screenshot('harness-1-problem');

    const hover = await wb.hoverAt(PROBE_LINE, PROBE_COL + 2, { keepOpen: true });
    assert.match(hover, /lbguard probe hover: line 6 holds PROBE/);
    assert.match(hover, /probe word PROBE found/); // the diagnostic's own hover part
    await wb.screenshot('harness-2-hover');

    assert.deepEqual(await wb.listQuickFixes({ line: PROBE_LINE, col: PROBE_COL }), ['Replace PROBE with CHECKED']);
    await wb.applyQuickFix('Replace PROBE', { line: PROBE_LINE, col: PROBE_COL });
    const fixed = SVC_YAML.replace('PROBE', 'CHECKED');
    assert.equal(await wb.editorText(), fixed);
    await wb.waitForNoProblem((p) => p.code === 'probe-word', 15_000);
    await wb.screenshot('harness-3-fixed');

    // Typing goes through real key events; the extension sees the change and reports it.
    await wb.typeAt(10, 1, '# PROBE again\n');
    const typed = await wb.waitForProblem((p) => p.code === 'probe-word', 15_000);
    assert.equal(typed.line, 10);
    assert.equal(typed.col, 3);
    await wb.save();
    const expected = fixed.replace('    - port: 80', '# PROBE again\n    - port: 80');
    assert.equal(readFileSync(join(ws, 'manifests', 'svc.yaml'), 'utf8'), expected);
    assert.equal(await wb.editorText(), expected);
    await wb.screenshot('harness-4-typed-and-saved');
  } catch (e) {
    await failWithEvidence(e, 'harness', cs, wb);
  } finally {
    await closeSession('harness', cs, wb);
    rmSync(ws, { recursive: true, force: true });
    rmSync(vsix, { force: true });
  }
});

test('extension-host test suite runs inside code-server and reports its result', { timeout: 110_000 }, async () => {
  preflight();
  const ws = makeWorkspace();
  try {
    // The suite opens svc.yaml from the workspace root.
    writeFileSync(join(ws, 'svc.yaml'), SVC_YAML);
    const r = await runExtensionTests({
      extensionDevelopmentPath: PROBE_EXTENSION_DIR,
      extensionTestsPath: join(PROBE_EXTENSION_DIR, 'test', 'suite', 'index.js'),
      workspace: ws,
      timeoutMs: 90_000,
      artifactName: 'harness-extension-tests',
    });
    assert.equal(r.exitCode, 0, `extension tests failed (exit ${r.exitCode}):\n${r.log.slice(-40).join('\n')}`);
    const results = (r.results as { results: { name: string; ok: boolean }[]; vscodeVersion: string }).results;
    assert.equal(results.length, 4);
    assert.ok(results.every((x) => x.ok), JSON.stringify(results));
    assert.equal((r.results as { vscodeVersion: string }).vscodeVersion, '1.100.3');
    assert.ok(r.log.some((l) => l.includes('ok - quick fix replaces PROBE')), 'extension host console is forwarded');
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
