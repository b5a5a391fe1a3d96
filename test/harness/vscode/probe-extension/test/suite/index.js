// Extension-host test suite for the probe extension, run INSIDE code-server's extension host by
// test/harness/vscode/runExtensionTests.ts (the --extensionTestsPath contract: export run(),
// return a Promise that rejects on failure).
//
// It uses a ten-line runner instead of mocha because mocha is not a dependency of this repo;
// a mocha suite plugs in the same way (run() { const m = new Mocha(); m.addFile(...); ... }).
// Results are also written as JSON to $LBGUARD_EXT_TEST_RESULTS (code-server passes its
// environment on to the extension host), so the caller gets them without scraping logs.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

async function waitFor(what, fn, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let doc;

test('probe extension is loaded from the development path and activates on YAML', async () => {
  const ext = vscode.extensions.getExtension('lbguard-test.lbguard-harness-probe');
  assert.ok(ext, 'probe extension not found');
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder open');
  doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'svc.yaml'));
  await vscode.window.showTextDocument(doc);
  assert.equal(doc.languageId, 'yaml');
  const api = await waitFor('activation', async () => (ext.isActive ? ext.exports : undefined));
  assert.equal(api.probeActivated, true);
});

test('diagnostic on the PROBE line', async () => {
  const diags = await waitFor('diagnostics', async () => {
    const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === 'lbguard-probe');
    return d.length ? d : undefined;
  });
  assert.equal(diags.length, 1);
  assert.equal(diags[0].code, 'probe-word');
  assert.equal(diags[0].severity, vscode.DiagnosticSeverity.Warning);
  const line = doc.getText().split('\n').findIndex((l) => l.includes('PROBE'));
  assert.equal(diags[0].range.start.line, line);
});

test('hover provider answers over PROBE', async () => {
  const d = vscode.languages.getDiagnostics(doc.uri)[0];
  const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, d.range.start);
  const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  assert.match(text, /lbguard probe hover/);
});

test('quick fix replaces PROBE', async () => {
  const d = vscode.languages.getDiagnostics(doc.uri)[0];
  const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, d.range);
  const fix = actions.find((a) => a.title.includes('Replace PROBE'));
  assert.ok(fix, `no fix among ${actions.map((a) => a.title)}`);
  assert.ok(await vscode.workspace.applyEdit(fix.edit));
  assert.ok(doc.getText().includes('CHECKED'));
  await waitFor('diagnostic to clear', async () => vscode.languages.getDiagnostics(doc.uri).length === 0);
});

if (process.env.LBGUARD_PROBE_FAIL === '1') {
  test('deliberately failing test (LBGUARD_PROBE_FAIL=1)', async () => assert.equal(1, 2));
}

async function run() {
  const results = [];
  for (const t of tests) {
    const t0 = Date.now();
    try {
      await t.fn();
      results.push({ name: t.name, ok: true, ms: Date.now() - t0 });
      console.log(`ok - ${t.name}`);
    } catch (e) {
      results.push({ name: t.name, ok: false, ms: Date.now() - t0, error: String(e && e.stack ? e.stack : e) });
      console.error(`not ok - ${t.name}: ${e && e.message}`);
    }
  }
  const out = process.env.LBGUARD_EXT_TEST_RESULTS;
  if (out) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ results, vscodeVersion: vscode.version }, null, 2));
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length) throw new Error(`${failed.length} of ${results.length} extension tests failed`);
}

module.exports = { run };
