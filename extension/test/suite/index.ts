// Extension-host test suite: runs INSIDE a real VS Code extension host (code-server 4.100.3,
// VS Code 1.100) through test/harness/vscode/runExtensionTests.ts — the --extensionTestsPath
// contract: export run(), reject on failure. Bundled to extension/dist/test/suite.js.
//
// The workspace it expects (written by test/e2e/extension.test.ts): pools.yaml, services.yaml,
// cluster-state.yaml and .vscode/settings.json with lbguard.stateFile = cluster-state.yaml.
// With $LBGUARD_EXT_SUITE set (git, cluster) it runs that suite of baselines.ts instead.
// A mocha-style runner of a few lines (mocha is not a dependency of this repo); results also go
// to $LBGUARD_EXT_TEST_RESULTS as JSON.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LbguardApi } from '../../src/extension.js';
import { SUITES } from './baselines.js';

const tests: { name: string; fn: () => Promise<void> }[] = [];
const test = (name: string, fn: () => Promise<void>) => tests.push({ name, fn });

async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const folder = () => vscode.workspace.workspaceFolders![0].uri;
const lbguardDiags = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'lbguard');
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
let api: LbguardApi;
let services: vscode.TextDocument;
let pools: vscode.TextDocument;

test('activates on YAML in under 50 ms', async () => {
  const ext = vscode.extensions.getExtension<LbguardApi>('lbguard.lbguard');
  assert.ok(ext, 'extension lbguard.lbguard not found');
  services = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'services.yaml'));
  await vscode.window.showTextDocument(services);
  api = await waitFor('activation', () => (ext.isActive ? ext.exports : undefined));
  await api.ready;
  console.log(`activation ${api.activationMs.toFixed(2)} ms ${JSON.stringify(api.activationMarks)}`);
  assert.ok(api.activationMs < 50, `activate() took ${api.activationMs} ms`);
});

test('deprecated loadBalancerIP: warning, exact range, code with docs link, Deprecated tag', async () => {
  const d = await waitFor('deprecated-loadbalancerip diagnostic', () => lbguardDiags(services.uri).find((x) => codeOf(x) === 'deprecated-loadbalancerip'));
  const line = services.getText().split('\n').findIndex((l) => l.includes('loadBalancerIP:'));
  assert.equal(d.range.start.line, line);
  assert.equal(d.range.start.character, 2);
  assert.equal(d.range.end.character, 2 + 'loadBalancerIP'.length);
  assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
  assert.ok(typeof d.code === 'object' && d.code.target.toString().endsWith('/docs/rules/deprecated-loadbalancerip.md'));
  assert.deepEqual(d.tags, [vscode.DiagnosticTag.Deprecated]);
});

test('hover on the Service IP names its pool (defined in another file) and who holds the IP', async () => {
  const line = services.getText().split('\n').findIndex((l) => l.includes('loadBalancerIP:'));
  const col = services.lineAt(line).text.indexOf('192.168') + 3;
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', services.uri, new vscode.Position(line, col));
  const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
  assert.match(text, /In pool `metallb-system\/prod`/);
  assert.match(text, /Held by shop\/web/);
});

test('code lens on each pool: "N Services · M free" from the state file', async () => {
  pools = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'pools.yaml'));
  const lenses = await waitFor('code lenses', async () => {
    const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', pools.uri);
    return l.length ? l : undefined;
  });
  assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title]), [[3, '2 Services · 254 free'], [12, '1 Service · 9 free']]);
});

test('cross-file: a requested IP outside every pool is reported until the pools file covers it', async () => {
  const edit = new vscode.WorkspaceEdit();
  const text = services.getText();
  const at = text.indexOf('192.168.10.20');
  edit.replace(services.uri, new vscode.Range(services.positionAt(at), services.positionAt(at + '192.168.10.20'.length)), '172.16.5.5');
  assert.ok(await vscode.workspace.applyEdit(edit));
  // spec.loadBalancerIP outside every pool: loadbalancerip-conflict (annotation: requested-ip-outside-pools).
  const outsideRule = (d: vscode.Diagnostic) => codeOf(d) !== 'deprecated-loadbalancerip' && d.message.includes('172.16.5.5') && /in no pool|not allowed in config/.test(d.message);
  const outside = await waitFor('a finding that 172.16.5.5 is in no pool', () => lbguardDiags(services.uri).find(outsideRule));
  assert.match(codeOf(outside), /^(loadbalancerip-conflict|requested-ip-outside-pools)$/);
  const add = new vscode.WorkspaceEdit();
  const line = pools.getText().split('\n').findIndex((l) => l.includes('- 192.168.10.0/24'));
  add.insert(pools.uri, new vscode.Position(line + 1, 0), '    - 172.16.5.0/24\n');
  assert.ok(await vscode.workspace.applyEdit(add));
  await waitFor('the finding to go away', () => !lbguardDiags(services.uri).some(outsideRule));
  // put both files back
  for (const doc of [services, pools]) {
    const full = new vscode.WorkspaceEdit();
    full.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), fs.readFileSync(doc.uri.fsPath, 'utf8'));
    await vscode.workspace.applyEdit(full);
  }
  await waitFor('deprecated-loadbalancerip back', () => lbguardDiags(services.uri).find((x) => codeOf(x) === 'deprecated-loadbalancerip'));
});

test('quick fixes: the rule\'s fix and "Suppress … with a comment"; applying the fix clears the warning', async () => {
  const d = await waitFor('diagnostic', () => lbguardDiags(services.uri).find((x) => codeOf(x) === 'deprecated-loadbalancerip'));
  const actions = await waitFor('code actions', async () => {
    const a = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', services.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    return a.some((x) => x.title.startsWith('Move')) ? a : undefined;
  });
  const titles = actions.map((a) => a.title);
  assert.ok(titles.includes('Move 192.168.10.20 to the metallb.io/loadBalancerIPs annotation'), JSON.stringify(titles));
  assert.ok(titles.includes('Suppress deprecated-loadbalancerip with a comment'), JSON.stringify(titles));
  const fix = actions.find((a) => a.title.startsWith('Move'))!;
  assert.ok(await vscode.workspace.applyEdit(fix.edit!));
  assert.ok(!services.getText().includes('loadBalancerIP: 192.168.10.20'));
  assert.match(services.getText(), /metallb\.io\/loadBalancerIPs: "?192\.168\.10\.20"?/);
  await waitFor('warning to clear', () => !lbguardDiags(services.uri).some((x) => codeOf(x) === 'deprecated-loadbalancerip'));
});

test('commands: show status, lint workspace, refresh cluster state without a context', async () => {
  const status = await vscode.commands.executeCommand<string>('lbguard.showStatus');
  assert.match(status, /cluster state from cluster-state\.yaml/);
  assert.match(status, /metallb-system\/prod/);
  const r = await vscode.commands.executeCommand<{ findings: number; files: number }>('lbguard.lintWorkspace');
  assert.ok(r.files >= 1);
  assert.equal(await vscode.commands.executeCommand('lbguard.refreshClusterState'), false);
});

test('settings apply without reload: rule off, then the size guard says why it stopped', async () => {
  const cfg = vscode.workspace.getConfiguration('lbguard');
  const edit = new vscode.WorkspaceEdit();
  edit.insert(services.uri, new vscode.Position(services.lineCount, 0), '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: extra\nspec:\n  type: LoadBalancer\n  loadBalancerIP: 192.168.10.40\n');
  assert.ok(await vscode.workspace.applyEdit(edit));
  await waitFor('warning on the new Service', () => lbguardDiags(services.uri).find((x) => codeOf(x) === 'deprecated-loadbalancerip'));
  await cfg.update('rules', { 'deprecated-loadbalancerip': 'off' }, vscode.ConfigurationTarget.Workspace);
  await waitFor('rule off', () => !lbguardDiags(services.uri).some((x) => codeOf(x) === 'deprecated-loadbalancerip'));
  await cfg.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
  await waitFor('rule back', () => lbguardDiags(services.uri).some((x) => codeOf(x) === 'deprecated-loadbalancerip'));
  await cfg.update('maxFileSize', 100, vscode.ConfigurationTarget.Workspace);
  const guard = await waitFor('size guard', () => vscode.languages.getDiagnostics(services.uri).find((x) => x.code === 'max-file-size'));
  assert.equal(guard.severity, vscode.DiagnosticSeverity.Information);
  assert.match(guard.message, /more than lbguard\.maxFileSize \(100 B\)/);
  await cfg.update('maxFileSize', undefined, vscode.ConfigurationTarget.Workspace);
  await waitFor('linted again', () => lbguardDiags(services.uri).some((x) => codeOf(x) === 'deprecated-loadbalancerip'));
});

test('typing: a keystroke in a 2,000-line file re-lints in the core quickly', async () => {
  const lines: string[] = [];
  for (let i = 0; lines.length < 2000; i++) {
    lines.push('---', 'apiVersion: v1', 'kind: Service', 'metadata:', `  name: s${i}`, '  namespace: bench', 'spec:', '  type: LoadBalancer', '  ports:', '    - port: 80', '      targetPort: 8080');
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: lines.join('\n') + '\n' });
  await vscode.window.showTextDocument(doc);
  const fastBefore = api.lintTimes.length;
  const fullBefore = api.fullLintTimes.length;
  for (let i = 0; i < 30; i++) {
    const e = new vscode.WorkspaceEdit();
    e.insert(doc.uri, new vscode.Position(4, 9), 'x');
    await vscode.workspace.applyEdit(e);
    await api.lintNow(doc.uri, 'typing');
    if (i % 3 === 0) await api.lintNow(doc.uri, 'settle');
  }
  const stats = (xs: number[]) => {
    const t = [...xs].sort((a, b) => a - b);
    return `p50 ${t[Math.floor(t.length / 2)].toFixed(2)} ms, p95 ${t[Math.min(t.length - 1, Math.ceil(t.length * 0.95) - 1)].toFixed(2)} ms`;
  };
  console.log(`in-host re-lint of a 2000-line file: keystroke (fast tier) ${stats(api.lintTimes.slice(fastBefore))}; idle (full tier) ${stats(api.fullLintTimes.slice(fullBefore))}`);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
});

export async function run(): Promise<void> {
  const results: { name: string; ok: boolean; ms: number; error?: string }[] = [];
  // $LBGUARD_EXT_SUITE picks another suite (baselines.ts: `git`, `cluster`) for its own workspace.
  const suiteName = process.env.LBGUARD_EXT_SUITE;
  const selected = suiteName ? SUITES[suiteName] : tests;
  if (!selected) throw new Error(`unknown LBGUARD_EXT_SUITE ${suiteName}; one of ${Object.keys(SUITES).join(', ')}`);
  for (const t of selected) {
    const t0 = Date.now();
    try {
      await t.fn();
      results.push({ name: t.name, ok: true, ms: Date.now() - t0 });
      console.log(`ok - ${t.name}`);
    } catch (e) {
      results.push({ name: t.name, ok: false, ms: Date.now() - t0, error: String((e as Error)?.stack ?? e) });
      console.error(`not ok - ${t.name}: ${(e as Error)?.message}`);
    }
  }
  const out = process.env.LBGUARD_EXT_TEST_RESULTS;
  if (out) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ results, vscodeVersion: vscode.version, activationMs: api?.activationMs, lintTimes: api?.lintTimes }, null, 2));
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length) throw new Error(`${failed.length} of ${results.length} extension tests failed`);
}
