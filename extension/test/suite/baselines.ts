// Extension-host suites for the two `cidr-edit-reassigns` baselines that need more than a state
// file: git HEAD (the built-in vscode.git extension) and a live cluster (lbguard.cluster.context →
// `kubectl-lb snapshot --context X`). Selected by index.ts's run() with $LBGUARD_EXT_SUITE
// (`git` or `cluster`); the workspaces are written by test/e2e/extension-baselines.test.ts:
//
//   git:     a git repository (HEAD: pools.yaml with prod = 192.168.10.0/24, services.yaml with
//            Services holding status IPs), no state file, no cluster context; git.enabled: true.
//   cluster: pools.yaml (prod = 192.168.10.0/24) and .vscode/settings.json with
//            lbguard.cluster.context; no Services in the workspace: they exist only in the real
//            kube-apiserver (KUBECONFIG and a PATH holding kubectl-lb come from the environment).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { LbguardApi } from '../../src/extension.js';

export interface SuiteTest {
  name: string;
  fn: () => Promise<void>;
}

export async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const folder = () => vscode.workspace.workspaceFolders![0].uri;
const lbguardDiags = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'lbguard');
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const reassigns = (uri: vscode.Uri) => lbguardDiags(uri).find((d) => codeOf(d) === 'cidr-edit-reassigns');

/** Opens pools.yaml, waits for activation and the start-up work (scan, config, git). */
async function openPools(): Promise<{ api: LbguardApi; pools: vscode.TextDocument }> {
  const ext = vscode.extensions.getExtension<LbguardApi>('lbguard.lbguard');
  assert.ok(ext, 'extension lbguard.lbguard not found');
  const pools = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'pools.yaml'));
  await vscode.window.showTextDocument(pools);
  const api = await waitFor('activation', () => (ext.isActive ? ext.exports : undefined));
  await api.ready;
  return { api, pools };
}

/** Replaces `from` with `to` in the (open) document, unsaved. */
async function replaceIn(doc: vscode.TextDocument, from: string, to: string): Promise<void> {
  const at = doc.getText().indexOf(from);
  assert.ok(at >= 0, `${from} not in ${doc.uri.path}`);
  const e = new vscode.WorkspaceEdit();
  e.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + from.length)), to);
  assert.ok(await vscode.workspace.applyEdit(e));
}

/** No cidr-edit-reassigns after a full lint of the current text (not just "not yet"). */
async function assertNoReassigns(api: LbguardApi, doc: vscode.TextDocument, why: string): Promise<void> {
  await api.lintNow(doc.uri, 'save');
  const d = reassigns(doc.uri);
  assert.equal(d, undefined, `${why}: unexpected cidr-edit-reassigns: ${d?.message}`);
}

// ---- git HEAD ---------------------------------------------------------------------------------

let gitApi: LbguardApi;
let gitPools: vscode.TextDocument;

function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: folder().fsPath,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  });
}

export const gitSuite: SuiteTest[] = [
  {
    name: 'git: the built-in git extension is active and opened the workspace repository',
    fn: async () => {
      ({ api: gitApi, pools: gitPools } = await openPools());
      const gitExt = vscode.extensions.getExtension<{ getAPI(v: 1): { state: string; repositories: { rootUri: vscode.Uri }[] } }>('vscode.git');
      assert.ok(gitExt, 'built-in extension vscode.git is not installed in this code-server');
      const api = (gitExt.isActive ? gitExt.exports : await gitExt.activate()).getAPI(1);
      const repo = await waitFor('git to open the workspace repository', () => api.repositories.find((r) => r.rootUri.fsPath === folder().fsPath));
      assert.equal(repo.rootUri.fsPath, folder().fsPath);
    },
  },
  {
    name: 'git: baseline source is HEAD (no state file, no cluster context)',
    fn: async () => {
      await waitFor(`baselineSource git (is ${gitApi.index.baselineSource})`, () => gitApi.index.baselineSource === 'git');
      assert.equal(gitApi.index.stateSource, undefined, 'no state should be loaded in the git workspace');
      const ids = gitApi.index.baseline()!.map((f) => f.file).sort();
      assert.deepEqual(ids, ['pools.yaml', 'services.yaml']);
      await assertNoReassigns(gitApi, gitPools, 'text equals HEAD');
    },
  },
  {
    name: 'git: narrowing the pool CIDR in the editor (unsaved) reports the Services that would move',
    fn: async () => {
      await replaceIn(gitPools, '192.168.10.0/24', '192.168.10.128/25');
      assert.ok(gitPools.isDirty);
      const d = await waitFor('cidr-edit-reassigns on pools.yaml', () => reassigns(gitPools.uri));
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      const line = gitPools.getText().split('\n').findIndex((l) => l.includes('192.168.10.128/25'));
      assert.equal(d.range.start.line, line);
      assert.match(d.message, /This edit of pool prod removes 192\.168\.10\.0\/25 \(128 addresses\)/);
      assert.match(d.message, /shop\/web 192\.168\.10\.20 →/);
      assert.match(d.message, /shop\/api 192\.168\.10\.1 →/);
      assert.doesNotMatch(d.message, /infra\/dns/, 'dns holds an IP of the untouched lab pool');
      const related = (d.relatedInformation ?? []).map((r) => `${vscode.workspace.asRelativePath(r.location.uri, false)}: ${r.message}`).sort();
      assert.deepEqual(related, ['services.yaml: shop/api holds 192.168.10.1', 'services.yaml: shop/web holds 192.168.10.20']);
    },
  },
  {
    name: 'git: saved, the edit is still measured against HEAD (not against the file on disk)',
    fn: async () => {
      assert.ok(await gitPools.save());
      assert.match(git('status', '--porcelain'), /^ M pools\.yaml$/m);
      await gitApi.lintNow(gitPools.uri, 'save');
      const d = await waitFor('cidr-edit-reassigns after save', () => reassigns(gitPools.uri));
      assert.match(d.message, /shop\/web/);
      assert.match(d.message, /shop\/api/);
    },
  },
  {
    name: 'git: committing the edit moves HEAD; the new baseline has the narrowed pool, the finding goes',
    fn: async () => {
      git('commit', '-q', '-am', 'narrow prod');
      await waitFor('the finding to clear once HEAD has the narrowed pool', async () => {
        await gitApi.lintNow(gitPools.uri, 'save');
        return !reassigns(gitPools.uri);
      }, 30_000);
      const head = gitApi.index.baseline()!.find((f) => f.file === 'pools.yaml')!;
      assert.match(head.text, /192\.168\.10\.128\/25/);
    },
  },
];

// ---- live cluster -----------------------------------------------------------------------------

let clusterApi: LbguardApi;
let clusterPools: vscode.TextDocument;

export const clusterSuite: SuiteTest[] = [
  {
    name: 'cluster: before a refresh there is no baseline, so a pool edit reports nothing',
    fn: async () => {
      ({ api: clusterApi, pools: clusterPools } = await openPools());
      assert.equal(vscode.workspace.getConfiguration('lbguard').get('cluster.context'), process.env.LBGUARD_EXPECT_CONTEXT);
      assert.equal(clusterApi.index.baselineSource, 'none');
      await replaceIn(clusterPools, '192.168.10.0/24', '192.168.10.128/25');
      await assertNoReassigns(clusterApi, clusterPools, 'no baseline yet');
      await replaceIn(clusterPools, '192.168.10.128/25', '192.168.10.0/24');
    },
  },
  {
    name: 'cluster: lbguard.refreshClusterState runs the real kubectl-lb snapshot against the API server',
    fn: async () => {
      const ctx = process.env.LBGUARD_EXPECT_CONTEXT!;
      const ok = await vscode.commands.executeCommand<boolean>('lbguard.refreshClusterState');
      assert.equal(ok, true, 'refresh failed: see the lbguard output channel in the code-server log');
      assert.equal(clusterApi.index.baselineSource, 'cluster');
      assert.equal(clusterApi.index.stateSource, `cluster:${ctx}`);
      const state = clusterApi.index.state![0];
      assert.match(state.text, /kind: IPAddressPool/);
      assert.match(state.text, /name: checkout/);
      const status = await vscode.commands.executeCommand<string>('lbguard.showStatus');
      assert.match(status, new RegExp(`cluster state from cluster:${ctx}`));
      assert.match(status, /live\/checkout/);
      await assertNoReassigns(clusterApi, clusterPools, 'workspace pools equal the live pools');
    },
  },
  {
    name: 'cluster: narrowing the pool to drop assigned IPs names the live Services that would move',
    fn: async () => {
      await replaceIn(clusterPools, '192.168.10.0/24', '192.168.10.128/25');
      const d = await waitFor('cidr-edit-reassigns on pools.yaml', () => reassigns(clusterPools.uri));
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.match(d.message, /This edit of pool prod removes 192\.168\.10\.0\/25/);
      // These Services exist only in the cluster (the workspace has no Service at all).
      assert.match(d.message, /live\/checkout 192\.168\.10\.20 →/);
      assert.match(d.message, /live\/payments 192\.168\.10\.21 →/);
      assert.doesNotMatch(d.message, /live\/upper/, 'upper holds 192.168.10.200, still in the pool');
      assert.doesNotMatch(d.message, /live\/dns/, 'dns holds an IP of the untouched lab pool');
      const related = (d.relatedInformation ?? []).map((r) => r.message).sort();
      assert.deepEqual(related, ['live/checkout holds 192.168.10.20', 'live/payments holds 192.168.10.21']);
    },
  },
];

export const SUITES: Record<string, SuiteTest[]> = { git: gitSuite, cluster: clusterSuite };
