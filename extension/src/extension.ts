// The VS Code shell: events in, diagnostics / hovers / lenses / code actions out. Everything that
// decides anything lives in the vscode-free modules next to this file (unit-tested in
// test/extension/), and the linting itself in the shared core.
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { Finding } from '../../shared/src/findings/finding.js';
import { type DiagnosticSpec, diagnosticsFor, DiagSeverity } from './diagnostics.js';
import { FixStore, suppressCommentEdit } from './fixes.js';
import { allPoolUsage, hoverFor, lensTitle, poolsInFile, type UsageContext } from './poolInfo.js';
import type { Range0 } from './ranges.js';
import { LintScheduler, type Trigger } from './scheduler.js';
import { DEFAULT_MAX_FILE_SIZE, effectiveConfig, type ExtensionSettings, sizeGuard } from './settings.js';
import { renderStatus, statusReport } from './statusText.js';
import { hasObjects, WorkspaceIndex } from './workspaceIndex.js';

const YAML_GLOB = '**/*.{yaml,yml}';
const EXCLUDE_GLOB = '**/{node_modules,.git,dist,out}/**';
const CONFIG_FILE = '.lbguard.yaml';

/** Where `lbguard.refreshClusterState` gets a snapshot: a seam for the live client. */
export interface ClusterStateProvider {
  /** Returns the snapshot text (a YAML manifest stream, as `kubectl lb snapshot` writes). */
  snapshot(context: string): Promise<string>;
}

/**
 * Default provider: shells out to `kubectl-lb snapshot --context X -o <tmp>`. The binary is
 * `lbguard.cluster.kubectlLbPath` when set: an editor's extension host (code-server, remote hosts)
 * takes PATH from the login shell, which may not include where the plugin is installed.
 */
export const kubectlLbProvider: ClusterStateProvider = {
  snapshot(context) {
    const dir = mkdtempSync(join(tmpdir(), 'lbguard-snapshot-'));
    const out = join(dir, 'state.yaml');
    return new Promise((resolve, reject) => {
      const bin = vscode.workspace.getConfiguration('lbguard').get<string>('cluster.kubectlLbPath') || 'kubectl-lb';
      execFile(bin, ['snapshot', '--context', context, '-o', out], { timeout: 120_000 }, (err, _stdout, stderr) => {
        try {
          if (err) {
            const e = err as NodeJS.ErrnoException;
            if (e.code === 'ENOENT') {
              reject(new Error(`${bin} was not found${bin === 'kubectl-lb' ? ' on PATH' : ''}. Install lbguard's kubectl plugin (the \`kubectl-lb\` binary from the lbguard package) and put it on PATH or set lbguard.cluster.kubectlLbPath, or write a state file with \`kubectl lb snapshot\` and set lbguard.stateFile.`));
            } else reject(new Error(`kubectl-lb snapshot --context ${context} failed: ${String(stderr || e.message).trim()}`));
            return;
          }
          resolve(readFileSync(out, 'utf8'));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    });
  },
};

export interface LbguardApi {
  activationMs: number;
  /** Milliseconds since activate() entry at which each start-up phase ended. */
  activationMarks: Record<string, number>;
  index: WorkspaceIndex;
  /** Timings of the last keystroke (fast tier) and full lints (ms, core only). */
  lintTimes: number[];
  fullLintTimes: number[];
  /** Resolves once the initial workspace scan is done. */
  ready: Promise<void>;
  setClusterStateProvider(p: ClusterStateProvider): void;
  /** Lints a document now (skipping the debounce) and publishes; for tests. */
  lintNow(uri: vscode.Uri, trigger?: Trigger): Promise<void>;
}

interface GitRepository {
  rootUri: vscode.Uri;
  state: { HEAD?: { commit?: string }; onDidChange: vscode.Event<void> };
  show(ref: string, path: string): Promise<string>;
}
interface GitApi {
  repositories: GitRepository[];
  onDidOpenRepository: vscode.Event<GitRepository>;
}

export function activate(context: vscode.ExtensionContext): LbguardApi {
  const t0 = performance.now();
  const marks: [string, number][] = [];
  const mark = (name: string) => marks.push([name, performance.now()]);
  const output = vscode.window.createOutputChannel('lbguard');
  const collection = vscode.languages.createDiagnosticCollection('lbguard');
  const statusItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  statusItem.name = 'lbguard';
  statusItem.command = 'lbguard.showStatus';
  const index = new WorkspaceIndex();
  const fixes = new FixStore();
  const uris = new Map<string, vscode.Uri>();
  const lensEvents = new vscode.EventEmitter<void>();
  const lintTimes: number[] = [];
  const fullLintTimes: number[] = [];
  let settings: ExtensionSettings = readSettings();
  let provider: ClusterStateProvider = kubectlLbProvider;
  context.subscriptions.push(output, collection, statusItem, lensEvents);
  mark('ui');

  const idOf = (uri: vscode.Uri): string => {
    const id = uri.scheme === 'file' || uri.scheme === 'vscode-remote' ? vscode.workspace.asRelativePath(uri, false) : uri.toString();
    uris.set(id, uri);
    return id;
  };
  const uriOf = (id: string): vscode.Uri => uris.get(id) ?? vscode.Uri.file(id);
  const isYaml = (doc: vscode.TextDocument) => doc.languageId === 'yaml' || /\.ya?ml$/i.test(doc.uri.path);
  const openDoc = (key: string) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
  const log = (msg: string) => output.appendLine(`[${new Date().toISOString().slice(11, 23)}] ${msg}`);

  const toRange = (r: Range0) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
  const toDiagnostic = (d: DiagnosticSpec): vscode.Diagnostic => {
    const diag = new vscode.Diagnostic(toRange(d.range), d.message, d.severity as number as vscode.DiagnosticSeverity);
    diag.source = d.source;
    diag.code = { value: d.code.value, target: vscode.Uri.parse(d.code.target) };
    if (d.deprecated) diag.tags = [vscode.DiagnosticTag.Deprecated];
    if (d.related.length) diag.relatedInformation = d.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uriOf(r.file), toRange(r.range)), r.message));
    return diag;
  };

  /** Puts every open YAML document's current text into the index (cheap when unchanged). */
  const syncOpenDocs = () => {
    for (const d of vscode.workspace.textDocuments) {
      if (!isYaml(d) || d.uri.scheme === 'git' || d.uri.scheme === 'output') continue;
      const text = d.getText();
      if (sizeGuard(text.length, settings.maxFileSize)) continue;
      index.setFile(idOf(d.uri), text, true);
    }
  };

  interface Published {
    findings: Finding[];
    guard?: string;
  }
  const scheduler = new LintScheduler<string, Published>(
    {
      version: (key) => openDoc(key)?.version,
      lint: (key, _version, trigger) => {
        const doc = openDoc(key)!;
        const id = idOf(doc.uri);
        const text = doc.getText();
        const guard = sizeGuard(Buffer.byteLength(text), settings.maxFileSize);
        if (guard) {
          index.removeFile(id);
          return { result: { findings: [], guard }, hasSyntaxErrors: false };
        }
        syncOpenDocs();
        index.setFile(id, text, true);
        const r = index.lintFile(id, trigger === 'typing' ? 'fast' : 'full');
        (r.tier === 'fast' ? lintTimes : fullLintTimes).push(r.ms);
        if (fullLintTimes.length > 200) fullLintTimes.shift();
        if (lintTimes.length > 200) lintTimes.shift();
        return { result: { findings: r.findings }, hasSyntaxErrors: r.findings.some((f) => f.rule === 'yaml-syntax') };
      },
      publish: (key, res, version) => {
        const doc = openDoc(key);
        if (!doc) return;
        const id = idOf(doc.uri);
        if (res.guard) {
          const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), res.guard, vscode.DiagnosticSeverity.Information);
          d.source = 'lbguard';
          d.code = 'max-file-size';
          collection.set(doc.uri, [d]);
          statusItem.text = '$(warning) lbguard: file too large';
          statusItem.tooltip = res.guard;
          statusItem.show();
          fixes.delete(id);
          return;
        }
        collection.set(doc.uri, diagnosticsFor(res.findings, id).map(toDiagnostic));
        fixes.set(id, version, res.findings);
        lensEvents.fire();
        updateStatusItem();
      },
      onError: (key, e) => log(`lint of ${key} failed: ${(e as Error).stack ?? String(e)}`),
    },
    { delayMs: 150, settleMs: 500 },
  );
  context.subscriptions.push({ dispose: () => scheduler.dispose() });

  const updateStatusItem = () => {
    const s = index.stateSource;
    const b = index.baselineSource;
    statusItem.text = `$(server-environment) lbguard${s ? ` · state: ${s.split('/').pop()}` : ''}`;
    statusItem.tooltip = `MetalLB ${index.effective.metallbVersion ?? 'latest'} · baseline: ${b}${index.effective.problems.length ? `\n${index.effective.problems.join('\n')}` : ''}`;
    statusItem.show();
  };

  const relintOpen = (trigger: Trigger = 'context', except?: string) => {
    for (const d of vscode.workspace.textDocuments) if (isYaml(d) && d.uri.toString() !== except) scheduler.schedule(d.uri.toString(), trigger);
  };

  mark('scheduler');
  // ---- configuration, state file, git baseline ----------------------------------------------

  function readSettings(): ExtensionSettings {
    const c = vscode.workspace.getConfiguration('lbguard');
    return {
      metallbVersion: c.get<string>('metallb.version') || undefined,
      metallbNamespace: c.get<string>('metallb.namespace') || undefined,
      rules: c.get<Record<string, unknown>>('rules') ?? {},
      stateFile: c.get<string>('stateFile') || undefined,
      clusterContext: c.get<string>('cluster.context') || undefined,
      maxFileSize: c.get<number>('maxFileSize') ?? DEFAULT_MAX_FILE_SIZE,
    };
  }
  const root = () => vscode.workspace.workspaceFolders?.[0]?.uri;
  const readText = async (uri: vscode.Uri): Promise<string | undefined> => {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open.getText();
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined;
    }
  };
  const stateUri = (): vscode.Uri | undefined => {
    const p = settings.stateFile;
    if (!p) return undefined;
    if (isAbsolute(p)) return vscode.Uri.file(p);
    const r = root();
    return r ? vscode.Uri.joinPath(r, p) : vscode.Uri.file(p);
  };

  const loadConfig = async () => {
    settings = readSettings();
    const r = root();
    const text = r ? await readText(vscode.Uri.joinPath(r, CONFIG_FILE)) : undefined;
    index.effective = effectiveConfig(settings, text, CONFIG_FILE);
    for (const p of index.effective.problems) log(`config: ${p}`);
    const su = stateUri();
    const excluded = [CONFIG_FILE];
    if (su) {
      const id = idOf(su);
      excluded.push(id);
      const st = await readText(su);
      if (st === undefined) log(`state file ${su.fsPath} cannot be read (lbguard.stateFile)`);
      index.setState(st === undefined ? undefined : id, st);
    } else index.setState(undefined, undefined);
    index.setExcluded(excluded);
    updateStatusItem();
  };

  let git: GitApi | undefined;
  const loadGitBaseline = async () => {
    if (!git || !git.repositories.length) return;
    const texts = new Map<string, string>();
    const ids = index.ids().filter((id) => index.get(id) && hasObjects(index.get(id)!)).slice(0, 500);
    await Promise.all(
      ids.map(async (id) => {
        const uri = uriOf(id);
        const repo = git!.repositories.find((r) => uri.fsPath.startsWith(r.rootUri.fsPath));
        if (!repo) return;
        try {
          texts.set(id, await repo.show('HEAD', uri.fsPath));
        } catch {
          /* not in HEAD: a new file has no baseline */
        }
      }),
    );
    index.setGitBaseline(texts.size ? texts : undefined);
    log(`git baseline: ${texts.size} file(s) at HEAD`);
    updateStatusItem();
  };
  const setupGit = async () => {
    try {
      const ext = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
      if (!ext) return;
      const exports = ext.isActive ? ext.exports : await ext.activate();
      git = exports.getAPI(1);
    } catch (e) {
      log(`git baseline unavailable: ${(e as Error).message}`);
      return;
    }
    let lastHead = '';
    const watch = (repo: GitRepository) =>
      context.subscriptions.push(
        repo.state.onDidChange(() => {
          const head = git!.repositories.map((r) => r.state.HEAD?.commit ?? '').join(',');
          if (head === lastHead) return;
          lastHead = head;
          void loadGitBaseline().then(() => relintOpen());
        }),
      );
    git.repositories.forEach(watch);
    context.subscriptions.push(git.onDidOpenRepository((r) => (watch(r), void loadGitBaseline().then(() => relintOpen()))));
    await loadGitBaseline();
  };

  // ---- the workspace index ------------------------------------------------------------------

  const indexFile = async (uri: vscode.Uri) => {
    const id = idOf(uri);
    if (index.isOpen(id)) return;
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (sizeGuard(stat.size, settings.maxFileSize)) {
        index.removeFile(id);
        return;
      }
    } catch {
      index.removeFile(id);
      return;
    }
    const text = await readText(uri);
    if (text === undefined) index.removeFile(id);
    else index.setFile(id, text);
  };
  const scanWorkspace = async () => {
    const t = performance.now();
    const files = await vscode.workspace.findFiles(YAML_GLOB, EXCLUDE_GLOB, 10_000);
    await Promise.all(files.map(indexFile));
    log(`indexed ${files.length} YAML file(s) in ${(performance.now() - t).toFixed(0)} ms`);
  };

  const onDisk = (uri: vscode.Uri, deleted: boolean) => {
    const id = idOf(uri);
    const su = stateUri();
    void (async () => {
      if (uri.path.endsWith(`/${CONFIG_FILE}`) || (su && su.toString() === uri.toString())) await loadConfig();
      else if (deleted) index.removeFile(id);
      else await indexFile(uri);
      relintOpen('context');
    })();
  };
  // Created after activate() returns (it is the slowest call of the start-up path).
  const watchFiles = () => {
    const watcher = vscode.workspace.createFileSystemWatcher(YAML_GLOB);
    context.subscriptions.push(
      watcher,
      watcher.onDidCreate((u) => onDisk(u, false)),
      watcher.onDidChange((u) => onDisk(u, false)),
      watcher.onDidDelete((u) => onDisk(u, true)),
    );
  };

  mark('watcher');
  // ---- editor events ------------------------------------------------------------------------

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((d) => isYaml(d) && scheduler.schedule(d.uri.toString(), 'open')),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!isYaml(e.document) || e.contentChanges.length === 0) return;
      const key = e.document.uri.toString();
      scheduler.schedule(key, 'typing');
      // Other open documents may depend on this one (pools, Services elsewhere).
      for (const d of vscode.workspace.textDocuments) if (isYaml(d) && d.uri.toString() !== key) scheduler.schedule(d.uri.toString(), 'typing');
    }),
    vscode.workspace.onDidSaveTextDocument((d) => isYaml(d) && scheduler.schedule(d.uri.toString(), 'save')),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (!isYaml(d)) return;
      const key = d.uri.toString();
      scheduler.forget(key);
      const id = idOf(d.uri);
      index.forgetFile(id);
      index.setOpen(id, false);
      fixes.delete(id);
      collection.delete(d.uri);
      if (d.uri.scheme === 'file' || d.uri.scheme === 'vscode-remote') void indexFile(d.uri); // back to the saved text
      else index.removeFile(id);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('lbguard')) return;
      void loadConfig().then(() => relintOpen('context'));
    }),
  );

  mark('events');
  // ---- providers ----------------------------------------------------------------------------

  const selector: vscode.DocumentSelector = [{ language: 'yaml' }];
  const usageContext = (): UsageContext => ({
    model: index.model(),
    state: index.stateModel(),
    stateLabel: index.stateSource,
    version: index.effective.metallbVersion,
  });

  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(
      selector,
      {
        provideCodeActions(document, _range, ctx) {
          const id = idOf(document.uri);
          const actions: vscode.CodeAction[] = [];
          for (const diag of ctx.diagnostics) {
            if (diag.source !== 'lbguard' || typeof diag.code !== 'object') continue;
            const rule = String(diag.code.value);
            const r: Range0 = { start: { line: diag.range.start.line, character: diag.range.start.character }, end: { line: diag.range.end.line, character: diag.range.end.character } };
            fixes.get(id, document.version, rule, r).forEach((fix, i) => {
              const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
              a.diagnostics = [diag];
              a.isPreferred = i === 0;
              a.edit = new vscode.WorkspaceEdit();
              for (const e of fix.edits) a.edit.replace(e.file === id ? document.uri : uriOf(e.file), toRange(e.range), e.newText);
              actions.push(a);
            });
            const s = suppressCommentEdit(document.lineAt(diag.range.start.line).text, diag.range.start.line, rule);
            const a = new vscode.CodeAction(s.title, vscode.CodeActionKind.QuickFix);
            a.diagnostics = [diag];
            a.edit = new vscode.WorkspaceEdit();
            a.edit.set(document.uri, [new vscode.SnippetTextEdit(new vscode.Range(s.line, 0, s.line, 0), new vscode.SnippetString(s.snippet))]);
            actions.push(a);
          }
          return actions;
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    vscode.languages.registerHoverProvider(selector, {
      provideHover(document, position) {
        const h = hoverFor(document.lineAt(position.line).text, position.character, usageContext());
        if (!h) return undefined;
        const md = new vscode.MarkdownString(h.markdown);
        return new vscode.Hover(md, new vscode.Range(position.line, h.start, position.line, h.end));
      },
    }),
    vscode.languages.registerCodeLensProvider(selector, {
      onDidChangeCodeLenses: lensEvents.event,
      provideCodeLenses(document) {
        const file = index.get(idOf(document.uri));
        if (!file) return [];
        const ctx = usageContext();
        const usage = new Map(allPoolUsage(ctx).map((u) => [u.pool, u]));
        return poolsInFile(ctx.model, file).map(({ pool, line }) => {
          const u = usage.get(pool)!;
          return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: lensTitle(u), command: 'lbguard.showStatus', tooltip: `Pool ${pool.name}: ${u.holders.length} IP(s) in use` });
        });
      },
    }),
  );

  mark('providers');
  // ---- commands -----------------------------------------------------------------------------

  context.subscriptions.push(
    vscode.commands.registerCommand('lbguard.lintWorkspace', async () => {
      await scanWorkspace();
      syncOpenDocs();
      const t = performance.now();
      const result = index.lintAll();
      const byFile = new Map<string, Finding[]>();
      for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
      for (const id of index.ids()) {
        const list = byFile.get(id) ?? [];
        collection.set(uriOf(id), diagnosticsFor(list, id).map(toDiagnostic));
        const doc = vscode.workspace.textDocuments.find((d) => idOf(d.uri) === id);
        if (doc) fixes.set(id, doc.version, list);
      }
      const shown = result.findings.filter((f) => !f.suppressed);
      const msg = `lbguard: ${shown.length} finding(s) in ${byFile.size} file(s) (${index.ids().length} YAML files, ${(performance.now() - t).toFixed(0)} ms)`;
      log(msg);
      void vscode.window.showInformationMessage(msg);
      return { findings: shown.length, files: byFile.size };
    }),
    vscode.commands.registerCommand('lbguard.showStatus', () => {
      syncOpenDocs();
      const state = index.stateModel();
      const model = state ?? index.model();
      const title = state ? `cluster state from ${index.stateSource}` : 'workspace manifests (no cluster state loaded)';
      let text: string;
      try {
        text = renderStatus(statusReport(model, index.effective.metallbVersion), title);
      } catch (e) {
        text = `lbguard status failed: ${(e as Error).message}`;
      }
      output.appendLine('');
      output.appendLine(text);
      output.show(true);
      return text;
    }),
    vscode.commands.registerCommand('lbguard.refreshClusterState', async () => {
      settings = readSettings();
      const ctx = settings.clusterContext;
      if (!ctx) {
        void vscode.window.showWarningMessage('lbguard: set lbguard.cluster.context to the kubeconfig context to read (read-only) first.');
        return false;
      }
      try {
        const text = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `lbguard: reading cluster ${ctx}` }, () => provider.snapshot(ctx));
        index.setClusterSnapshot(`cluster:${ctx}`, text);
        log(`cluster snapshot from context ${ctx}: ${text.length} bytes`);
        updateStatusItem();
        relintOpen('context');
        return true;
      } catch (e) {
        log(`refresh cluster state: ${(e as Error).message}`);
        void vscode.window.showErrorMessage(`lbguard: ${(e as Error).message}`);
        return false;
      }
    }),
  );

  mark('commands');
  // ---- start ----------------------------------------------------------------------------------

  const ready = (async () => {
    await loadConfig();
    watchFiles();
    await scanWorkspace();
    await setupGit();
    relintOpen('open');
  })().catch((e) => log(`startup failed: ${(e as Error).stack ?? String(e)}`));
  mark('start');

  const activationMs = performance.now() - t0;
  log(`lbguard activated in ${activationMs.toFixed(2)} ms (${marks.map(([n, t]) => `${n} ${(t - t0).toFixed(1)}`).join(', ')})`);
  return {
    activationMs,
    activationMarks: Object.fromEntries(marks.map(([n, t]) => [n, Number((t - t0).toFixed(2))])),
    index,
    lintTimes,
    fullLintTimes,
    ready,
    setClusterStateProvider: (p) => (provider = p),
    lintNow: async (uri, trigger = 'save') => {
      await scheduler.run(uri.toString(), trigger);
    },
  };
}

export function deactivate(): void {}

export { DiagSeverity };
