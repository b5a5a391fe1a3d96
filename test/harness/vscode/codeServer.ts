// Starts a real VS Code (code-server 4.100.3, VS Code 1.100) for end-to-end tests.
//
//   const cs = await startCodeServer({ workspace, vsix });
//   ... drive cs.url with browser.ts ...
//   await cs.stop();
//
// code-server must have been installed first by test/harness/vscode/install-code-server.sh
// (cached in ${LBGUARD_CACHE:-$HOME/.cache/lbguard}/code-server-4.100.3).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const HARNESS_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HARNESS_DIR, '..', '..', '..');
export const INSTALL_SCRIPT = join(HARNESS_DIR, 'install-code-server.sh');

export function cacheRoot(): string {
  return process.env.LBGUARD_CACHE || join(homedir(), '.cache', 'lbguard');
}

/** Folder of the cached code-server install. */
export function codeServerDir(): string {
  return join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
}

/** Throws a clear Error when code-server is not (completely) installed; returns its entry script. */
export function requireCodeServer(): string {
  const dir = codeServerDir();
  const marker = join(dir, '.lbguard-install-complete');
  const entry = join(dir, 'out', 'node', 'entry.js');
  if (!existsSync(marker) || !existsSync(entry)) {
    throw new Error(
      `code-server ${CODE_SERVER_VERSION} is not installed at ${dir} ` +
        `(missing ${existsSync(entry) ? marker : entry}). ` +
        `Install it with: bash ${INSTALL_SCRIPT}` +
        ` (needs Debian packages ripgrep, libkrb5-dev, python3, make, g++; set LBGUARD_CACHE to change the folder)`,
    );
  }
  return entry;
}

/** Settings written to User/settings.json: a quiet, deterministic workbench. */
export const DEFAULT_USER_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.layoutControl.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'files.autoSave': 'off',
  'files.eol': '\n',
  'editor.minimap.enabled': false,
  'editor.renderWhitespace': 'none',
  'editor.wordWrap': 'off',
  'editor.fontLigatures': false,
  'editor.hover.delay': 200,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoIndent': 'none',
  'editor.formatOnType': false,
  'editor.parameterHints.enabled': false,
  'editor.inlineSuggest.enabled': false,
  'editor.stickyScroll.enabled': false,
  'editor.accessibilitySupport': 'off',
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'problems.sortOrder': 'position',
  'window.commandCenter': false,
};

/** Settings for a run with the built-in git extension on (`git: true`). */
export const GIT_ON_SETTINGS: Record<string, unknown> = {
  'git.enabled': true,
  'git.autoRepositoryDetection': true,
  'git.autofetch': false,
  'git.decorations.enabled': false,
  'git.blame.statusBarItem.enabled': false,
};

export interface CodeServerOptions {
  /** Folder opened in the workbench (absolute path). */
  workspace: string;
  /** Extensions folder; a fresh temp folder by default. */
  extensionsDir?: string;
  /** A .vsix (or several) to install with --install-extension before starting. */
  vsix?: string | string[];
  /** Merged over DEFAULT_USER_SETTINGS into User/settings.json. */
  userSettings?: Record<string, unknown>;
  /**
   * Turn the built-in git extension on for this run (`git.enabled: true`, repositories detected in
   * the opened folder). Default false: DEFAULT_USER_SETTINGS keeps git off. `userSettings` still wins.
   */
  git?: boolean;
  /** User data folder; a fresh temp folder by default. */
  userDataDir?: string;
  /** Extra code-server arguments (e.g. --extensionDevelopmentPath=...). */
  extraArgs?: string[];
  /** Where code-server's stdout/stderr go; default <temp>/code-server.log. */
  logFile?: string;
  /** Milliseconds to wait for the HTTP server; default 60 s. */
  readyTimeoutMs?: number;
  /** Extra environment for code-server (the extension host inherits it). */
  env?: Record<string, string>;
}

export interface CodeServer {
  /** http://127.0.0.1:PORT/ */
  url: string;
  port: number;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  /** URL that opens `folder` (default: the workspace). */
  folderUrl(folder?: string): string;
  /** Last `n` characters of code-server's log (for failure messages). */
  logTail(n?: number): string;
  /** Kills code-server's process tree; removes temp folders it created. Idempotent. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

function tail(file: string, n = 4000): string {
  try {
    const s = readFileSync(file, 'utf8');
    return s.length > n ? s.slice(-n) : s;
  } catch {
    return '';
  }
}

/** Environment for code-server child processes: isolated from the user's own config. */
function childEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Never let a developer's VSCODE_* / ELECTRON_* variables leak into the server.
  for (const k of Object.keys(env)) {
    if (k.startsWith('VSCODE_') || k.startsWith('ELECTRON_')) delete env[k];
  }
  delete env.NODE_OPTIONS; // tsx's loader must not be injected into code-server
  env.XDG_CONFIG_HOME = join(home, 'config');
  env.XDG_DATA_HOME = join(home, 'data');
  env.XDG_CACHE_HOME = join(home, 'cache');
  env.CS_DISABLE_FILE_DOWNLOADS = '1';
  env.DONT_PROMPT_WSL_INSTALL = '1';
  return env;
}

/** Installs .vsix files into extensionsDir via code-server's own CLI. */
export function installExtensions(
  vsix: string | string[],
  dirs: { extensionsDir: string; userDataDir: string; home?: string },
): void {
  const entry = requireCodeServer();
  const home = dirs.home ?? mkdtempSync(join(tmpdir(), 'lbguard-cs-home-'));
  for (const file of Array.isArray(vsix) ? vsix : [vsix]) {
    if (!existsSync(file)) throw new Error(`vsix not found: ${file}`);
    const r = spawnSync(
      process.execPath,
      [
        entry,
        '--extensions-dir', dirs.extensionsDir,
        '--user-data-dir', dirs.userDataDir,
        '--config', join(home, 'config.yaml'),
        '--install-extension', file,
        '--force',
      ],
      { encoding: 'utf8', env: childEnv(home), timeout: 120_000 },
    );
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    if (r.status !== 0 || !/successfully installed/i.test(out)) {
      throw new Error(`code-server --install-extension ${file} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${out}`);
    }
  }
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // the whole process group (detached: true makes one)
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of live) killTree(c, 'SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const c of live) killTree(c, 'SIGKILL');
      process.kill(process.pid, sig);
    });
  }
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastErr = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `code-server exited early (code ${child.exitCode}, signal ${child.signalCode}). Log ${logFile}:\n${tail(logFile)}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      lastErr = `HTTP ${res.status}`;
    } catch (e) {
      lastErr = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms (${lastErr}). Log ${logFile}:\n${tail(logFile)}`);
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const entry = requireCodeServer();
  const workspace = resolve(opts.workspace);
  if (!existsSync(workspace)) throw new Error(`workspace folder does not exist: ${workspace}`);

  const tmp = mkdtempSync(join(tmpdir(), 'lbguard-cs-'));
  const createdTemp = [tmp];
  const userDataDir = opts.userDataDir ?? join(tmp, 'user-data');
  const extensionsDir = opts.extensionsDir ?? join(tmp, 'extensions');
  const home = join(tmp, 'home');
  for (const d of [userDataDir, extensionsDir, home, join(userDataDir, 'User')]) mkdirSync(d, { recursive: true });
  const configFile = join(home, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');

  const settings = { ...DEFAULT_USER_SETTINGS, ...(opts.git ? GIT_ON_SETTINGS : {}), ...(opts.userSettings ?? {}) };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  if (opts.vsix) installExtensions(opts.vsix, { extensionsDir, userDataDir, home });

  const logFile = opts.logFile ?? join(tmp, 'code-server.log');
  mkdirSync(dirname(logFile), { recursive: true });
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const fd = openSync(logFile, 'a');
    const args = [
      entry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--config', configFile,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--disable-file-downloads',
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      ...(opts.extraArgs ?? []),
      workspace,
    ];
    const child = spawn(process.execPath, args, {
      cwd: workspace,
      env: { ...childEnv(home), ...(opts.env ?? {}) },
      stdio: ['ignore', fd, fd],
      detached: true, // own process group, so stop() can kill the extension host etc. too
    });
    closeSync(fd);
    live.add(child);
    installExitHook();
    child.once('exit', () => live.delete(child));

    const url = `http://127.0.0.1:${port}/`;
    try {
      await waitForHttp(`${url}healthz`, child, readyTimeoutMs, logFile);
    } catch (e) {
      lastError = e;
      killTree(child, 'SIGKILL');
      live.delete(child);
      if (/EADDRINUSE|address already in use/i.test(tail(logFile))) continue; // lost the port race: retry
      break;
    }

    let stopped = false;
    const stop = async (): Promise<void> => {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        killTree(child, 'SIGTERM');
        const timer = setTimeout(() => killTree(child, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      killTree(child, 'SIGKILL'); // stragglers in the group (extension host, pty host)
      live.delete(child);
      if (!process.env.LBGUARD_KEEP_TMP) {
        for (const d of createdTemp) {
          // Keep the log when it lives in the temp folder? It is copied by callers that want it.
          rmSync(d, { recursive: true, force: true, maxRetries: 3 });
        }
      }
    };
    return {
      url,
      port,
      workspace,
      userDataDir,
      extensionsDir,
      logFile,
      folderUrl: (folder = workspace) => `${url}?folder=${encodeURIComponent(resolve(folder))}`,
      logTail: (n?: number) => tail(logFile, n),
      stop,
    };
  }
  rmSync(tmp, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
