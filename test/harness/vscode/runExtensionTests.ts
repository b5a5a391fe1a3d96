// Runs an extension-host test suite (the @vscode/test-electron contract: a module exporting
// `run(): Promise<void>`) INSIDE code-server's Node extension host, driven headless by Chromium.
//
// How: code-server's CLI does not accept --extensionDevelopmentPath/--extensionTestsPath (only
// the inner VS Code server does), but the web workbench reads the same settings from the URL's
// `payload` query parameter (as @vscode/test-web does):
//   /?folder=/ws&payload=[["extensionDevelopmentPath","vscode-remote://HOST/abs/ext"],
//                         ["extensionTestsPath","vscode-remote://HOST/abs/ext/test/suite/index.js"]]
// With a vscode-remote URI inside the development extension, the workbench runs the tests in the
// REMOTE (Node) extension host, i.e. the same host a user's extension runs in under code-server.
// When run() settles, the workbench calls window.codeAutomationExit(code) — exposed here with
// Playwright — and window.codeAutomationLog(level, text) for the extension host's log lines.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { startCodeServer } from './codeServer.js';
import { ARTIFACTS_DIR, launchBrowser } from './browser.js';

export interface ExtensionTestsOptions {
  /** Folder of the extension under development (its package.json). */
  extensionDevelopmentPath: string;
  /** Test runner module exporting run(); must lie inside extensionDevelopmentPath. */
  extensionTestsPath: string;
  /** Folder opened in the workbench. */
  workspace: string;
  /** Default 120 s. */
  timeoutMs?: number;
  userSettings?: Record<string, unknown>;
  /** Turn the built-in git extension on for this run (see CodeServerOptions.git); default off. */
  git?: boolean;
  /** Extra environment for code-server and so for the extension host running the tests. */
  env?: Record<string, string>;
  /** Name used for the screenshot / log artifacts in test-artifacts/e2e/. */
  artifactName?: string;
}

export interface ExtensionTestsResult {
  /** run() resolved ⇒ 0; rejected or failed to load ⇒ non-zero. */
  exitCode: number;
  /** Log lines forwarded by the workbench (codeAutomationLog) and browser console errors. */
  log: string[];
  /** Parsed $LBGUARD_EXT_TEST_RESULTS file, when the suite wrote one. */
  results?: unknown;
  resultsFile: string;
  durationMs: number;
}

export async function runExtensionTests(opts: ExtensionTestsOptions): Promise<ExtensionTestsResult> {
  const t0 = Date.now();
  const devPath = resolve(opts.extensionDevelopmentPath);
  const testsPath = resolve(opts.extensionTestsPath);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  if (!existsSync(join(devPath, 'package.json'))) throw new Error(`no package.json in extensionDevelopmentPath ${devPath}`);
  if (!existsSync(testsPath) && !existsSync(`${testsPath}.js`)) throw new Error(`extensionTestsPath not found: ${testsPath}`);
  const rel = relative(devPath, testsPath);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new Error(`extensionTestsPath (${testsPath}) must lie inside extensionDevelopmentPath (${devPath}): ` +
      'the workbench picks the extension host that runs the tests by the extension containing them');
  }
  const resultsFile = join(mkdtempSync(join(tmpdir(), 'lbguard-ext-tests-')), 'results.json');
  const name = opts.artifactName ?? 'extension-tests';

  const cs = await startCodeServer({
    workspace: opts.workspace,
    userSettings: opts.userSettings,
    git: opts.git,
    env: { LBGUARD_EXT_TEST_RESULTS: resultsFile, ...(opts.env ?? {}) },
  });
  const log: string[] = [];
  const browser = await launchBrowser().catch(async (e) => {
    await cs.stop();
    throw e;
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    let resolveExit!: (code: number) => void;
    const exited = new Promise<number>((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationLog', (level: string, text: string) => log.push(`[${level}] ${text}`));
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(Number(code)));
    page.on('pageerror', (e) => log.push(`[pageerror] ${String(e)}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') log.push(`[console.${m.type()}] ${m.text()}`);
    });

    const authority = new URL(cs.url).host; // code-server's remote authority is the Host header
    const remote = (p: string) => `vscode-remote://${authority}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(devPath)],
      ['extensionTestsPath', remote(testsPath)],
    ]);
    const url = `${cs.url}?folder=${encodeURIComponent(resolve(opts.workspace))}&payload=${encodeURIComponent(payload)}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((r) => (timer = setTimeout(() => r(-1), Math.max(1000, timeoutMs - (Date.now() - t0)))));
    const exitCode = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (exitCode === -1) {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}-timeout.png`) }).catch(() => {});
      log.push(`[harness] timed out after ${timeoutMs} ms waiting for codeAutomationExit; code-server log tail:\n${cs.logTail(3000)}`);
    }
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    writeFileSync(join(ARTIFACTS_DIR, `${name}.log`), `${log.join('\n')}\n--- code-server log ---\n${cs.logTail(20_000)}`);
    let results: unknown;
    if (existsSync(resultsFile)) {
      try {
        results = JSON.parse(readFileSync(resultsFile, 'utf8'));
      } catch {
        results = readFileSync(resultsFile, 'utf8');
      }
    }
    await context.close().catch(() => {});
    return { exitCode, log, results, resultsFile, durationMs: Date.now() - t0 };
  } finally {
    await browser.close().catch(() => {});
    await cs.stop();
  }
}
