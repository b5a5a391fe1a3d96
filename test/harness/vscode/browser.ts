// Page object for a real VS Code workbench (code-server) driven by playwright-core + Debian Chromium.
//
//   const wb = await openWorkbench(cs.url, workspace);
//   await wb.openFile('svc.yaml');
//   const p = await wb.waitForProblem((p) => p.code === 'probe-word', 30_000);
//   await wb.applyQuickFix('Replace PROBE', { line: p.line, col: p.col });
//   const text = await wb.editorText();
//   await wb.close();
//
// Lines and columns are 1-based everywhere, as VS Code shows them ("Ln 7, Col 3").
// Every wait is bounded; failures throw an Error naming what was awaited (and, where useful,
// save a screenshot to test-artifacts/e2e/).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { REPO_ROOT } from './codeServer.js';

// The repo's tsconfig has no DOM lib (and must not get one for this file's sake): these minimal
// shapes type the functions that run inside the page (cast from the element playwright passes, so
// the file also compiles under extension/tsconfig.json, which has the DOM lib).
interface DomEl {
  innerText: string;
  textContent: string | null;
  className: string;
  dataset: Record<string, string | undefined>;
  style: { top: string; height: string };
  clientHeight: number;
  classList: { contains(c: string): boolean };
  getAttribute(name: string): string | null;
  querySelector(sel: string): DomEl | null;
  querySelectorAll(sel: string): Iterable<DomEl> & ArrayLike<DomEl>;
}
declare const navigator: { clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> } };

export const CHROMIUM_PATH = process.env.LBGUARD_CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts', 'e2e');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--password-store=basic',
  '--use-mock-keychain',
];

export type Severity = 'error' | 'warning' | 'info' | 'hint' | 'unknown';

export interface Problem {
  message: string;
  source?: string;
  code?: string;
  /** 1-based */
  line: number;
  /** 1-based */
  col: number;
  severity: Severity;
  /** File name of the Problems tree's group (e.g. "svc.yaml"), when known. */
  file?: string;
  /** The row's aria-label, for debugging. */
  aria?: string;
}

/** Selectors in one place: they are VS Code 1.100's DOM, see README.md for why each was chosen. */
export const SEL = {
  workbench: '.monaco-workbench',
  statusbar: '#workbench\\.parts\\.statusbar',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRows: '.quick-input-widget .quick-input-list .monaco-list-row',
  activeEditor: '.editor-group-container.active .editor-instance .monaco-editor',
  activeTab: '.editor-group-container.active .tab.active',
  cursorStatus: '#status\\.editor\\.selection',
  markersPanel: '.markers-panel',
  markersRows: '.markers-panel .monaco-list .monaco-list-row',
  hover: '.monaco-editor .monaco-hover:not(.hidden)',
  actionWidget: '.action-widget',
  actionRows: '.action-widget .monaco-list-row',
  notificationsToasts: '.notifications-toasts .notification-toast',
} as const;

export interface OpenWorkbenchOptions {
  browser?: Browser;
  viewport?: { width: number; height: number };
  /** Milliseconds to wait for the workbench; default 60 s. */
  timeoutMs?: number;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install Debian's package: apt-get install -y chromium ` +
        `(or set LBGUARD_CHROMIUM to another Chromium binary).`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** Opens code-server's workbench on `folder` and waits until it is usable. */
export async function openWorkbench(url: string, folder: string, opts: OpenWorkbenchOptions = {}): Promise<Workbench> {
  const ownsBrowser = !opts.browser;
  const browser = opts.browser ?? (await launchBrowser());
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1440, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  const wb = new Workbench(browser, context, page, ownsBrowser);
  page.on('console', (m) => {
    if (m.type() === 'error') wb.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => wb.consoleErrors.push(String(e)));
  const base = url.endsWith('/') ? url : `${url}/`;
  const timeout = opts.timeoutMs ?? 60_000;
  try {
    await page.goto(`${base}?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded', timeout });
    await page.locator(SEL.workbench).waitFor({ state: 'visible', timeout });
    await page.locator(SEL.statusbar).waitFor({ state: 'visible', timeout });
    // The explorer shows the folder once the remote file system is connected.
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ state: 'attached', timeout });
  } catch (e) {
    await wb.screenshot('open-workbench-failed').catch(() => {});
    if (ownsBrowser) await browser.close().catch(() => {});
    throw new Error(`workbench did not load from ${base}: ${(e as Error).message}`);
  }
  return wb;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until it returns a value that is not undefined; throws `what` on timeout. */
async function poll<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>, intervalMs = 150): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? ` (last error: ${(lastErr as Error).message})` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/** From the marker icon's classes ("marker-icon warning" / "codicon-warning"), else the aria-label. */
function severityOf(cls: string, aria: string): Severity {
  if (/(^|\s)(codicon-)?error(\s|$)/.test(cls) || /^Error:/.test(aria)) return 'error';
  if (/(^|\s)(codicon-)?warning(\s|$)/.test(cls) || /^Warning:/.test(aria)) return 'warning';
  if (/(^|\s)(codicon-)?info(\s|$)/.test(cls) || /^Info:/.test(aria)) return 'info';
  if (/(^|\s)(codicon-)?(hint|lightbulb)(\s|$)/.test(cls)) return 'hint';
  return 'unknown';
}

export class Workbench {
  readonly consoleErrors: string[] = [];

  constructor(
    readonly browser: Browser,
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly ownsBrowser: boolean,
  ) {}

  // ---- basics ---------------------------------------------------------------------------------

  async screenshot(name: string): Promise<string> {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const file = join(ARTIFACTS_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.png`);
    await this.page.screenshot({ path: file, timeout: 15_000 });
    return file;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => {});
    if (this.ownsBrowser) await this.browser.close().catch(() => {});
  }

  private quickInput(): Locator {
    return this.page.locator(SEL.quickInput);
  }

  /** Opens the quick input with `key`, types `value`, and waits until it is shown. */
  private async openQuickInput(key: string, value: string, timeoutMs = 10_000): Promise<Locator> {
    const input = this.page.locator(SEL.quickInputBox);
    await this.closeQuickInput();
    await this.page.keyboard.press(key);
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(value);
    return input;
  }

  private async closeQuickInput(): Promise<void> {
    if (await this.quickInput().isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.quickInput().waitFor({ state: 'hidden', timeout: 5_000 });
    }
  }

  /** Runs a command by its label through the command palette (F1), e.g. "File: Save". */
  async runCommand(label: string, timeoutMs = 15_000): Promise<void> {
    await this.openQuickInput('F1', `>${label}`, timeoutMs);
    const row = this.page.locator(SEL.quickInputRows).filter({ hasText: label }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
    await this.quickInput().waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  /** Puts keyboard focus into the active editor (View: Focus Active Editor Group). */
  async focusEditor(): Promise<void> {
    const editor = this.page.locator(SEL.activeEditor);
    await editor.waitFor({ state: 'visible', timeout: 10_000 });
    if (await editor.evaluate((el) => (el as unknown as DomEl).classList.contains('focused'))) return;
    await this.closeQuickInput();
    await this.page.keyboard.press('Control+1'); // workbench.action.focusFirstEditorGroup
    await this.page.locator(`${SEL.activeEditor}.focused`).waitFor({ state: 'visible', timeout: 10_000 });
  }

  // ---- files & cursor -------------------------------------------------------------------------

  /** Opens a workspace file with Quick Open (Ctrl+P), waits until its editor is active and focused. */
  async openFile(relPath: string, timeoutMs = 30_000): Promise<void> {
    const base = relPath.split('/').pop()!;
    const deadline = Date.now() + timeoutMs;
    await this.openQuickInput('Control+P', relPath, timeoutMs);
    // Wait for the file search (ripgrep on the server) to list it, focused first.
    const row = this.page
      .locator(`${SEL.quickInputRows}.focused`)
      .filter({ has: this.page.locator('.label-name', { hasText: base }) });
    try {
      await row.first().waitFor({ state: 'visible', timeout: Math.max(1000, deadline - Date.now()) });
    } catch (e) {
      await this.screenshot(`openFile-${base}-failed`).catch(() => {});
      throw new Error(`Quick Open did not list ${relPath}: ${(e as Error).message}`);
    }
    await this.page.keyboard.press('Enter');
    await this.quickInput().waitFor({ state: 'hidden', timeout: 10_000 });
    await this.page
      .locator(SEL.activeTab)
      .filter({ has: this.page.locator('.label-name', { hasText: base }) })
      .waitFor({ state: 'visible', timeout: Math.max(1000, deadline - Date.now()) });
    await this.page.locator(`${SEL.activeEditor} .view-lines`).waitFor({ state: 'visible', timeout: 10_000 });
    await this.focusEditor();
  }

  /** The cursor position from the status bar ("Ln 7, Col 3"). */
  async cursor(): Promise<{ line: number; col: number }> {
    const text = (await this.page.locator(SEL.cursorStatus).textContent({ timeout: 5_000 })) ?? '';
    const m = /Ln\s+(\d+),\s*Col\s+(\d+)/.exec(text);
    if (!m) throw new Error(`cannot read the cursor position from the status bar: "${text}"`);
    return { line: Number(m[1]), col: Number(m[2]) };
  }

  /** Moves the cursor with Go to Line (Ctrl+G, "line:col") and verifies it via the status bar. */
  async goToLine(line: number, col = 1, timeoutMs = 10_000): Promise<void> {
    await this.focusEditor();
    await this.openQuickInput('Control+G', `:${line}:${col}`, timeoutMs);
    await this.page.keyboard.press('Enter');
    await this.quickInput().waitFor({ state: 'hidden', timeout: timeoutMs });
    await poll(`cursor at Ln ${line}, Col ${col}`, timeoutMs, async () => {
      const c = await this.cursor();
      return c.line === line && c.col === col ? c : undefined;
    });
    await this.focusEditor();
  }

  /** Types `text` at (line, col) as a user would (key events; "\n" presses Enter). */
  async typeAt(line: number, col: number, text: string): Promise<void> {
    await this.goToLine(line, col);
    await this.page.keyboard.type(text, { delay: 5 });
  }

  async save(): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Control+S');
    await this.page
      .locator(`${SEL.activeTab}.dirty`)
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(async () => {
        // dirty class may never have been set; nothing else to wait for
      });
  }

  /**
   * The full text of the active editor's model.
   *
   * Select All + Copy in the editor, then navigator.clipboard.readText() (the context has
   * clipboard-read permission; 127.0.0.1 is a secure context). Unlike `.view-lines` this gives
   * the whole model (Monaco only renders visible lines, with NBSPs for spaces) including unsaved
   * edits, with the model's own line endings. The cursor is put back where it was afterwards.
   */
  async editorText(): Promise<string> {
    await this.focusEditor();
    const where = await this.cursor();
    const marker = `__lbguard_clipboard_${Date.now()}__`;
    await this.page.evaluate((m) => navigator.clipboard.writeText(m), marker);
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Control+C');
    const text = await poll('editor text on the clipboard', 10_000, async () => {
      const t = await this.page.evaluate(() => navigator.clipboard.readText());
      return t === marker ? undefined : t;
    });
    await this.goToLine(where.line, where.col);
    return text;
  }

  /** Text of the rendered (visible) lines only; for short files or debugging. */
  async visibleEditorText(): Promise<string> {
    return this.page.locator(`${SEL.activeEditor} .view-lines`).evaluate((node) => {
      const el = node as unknown as DomEl;
      const lines = [...el.querySelectorAll('.view-line')]
        .map((l) => ({ top: parseFloat(l.style.top || '0'), text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top);
      return lines.map((l) => l.text).join('\n');
    });
  }

  // ---- problems -------------------------------------------------------------------------------

  /** Makes the Problems panel visible (Ctrl+Shift+M) without leaving the focus there. */
  async showProblems(): Promise<void> {
    const panel = this.page.locator(SEL.markersPanel);
    if (await panel.isVisible()) return;
    const hadEditor = await this.page.locator(SEL.activeEditor).isVisible();
    await this.closeQuickInput();
    await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible', timeout: 10_000 });
    if (hadEditor) await this.focusEditor();
  }

  /**
   * All problems listed in the Problems panel (tree view), in panel order.
   * The list is virtualised: rows are collected by their data-index while scrolling it.
   */
  async readProblems(): Promise<Problem[]> {
    await this.showProblems();
    const list = this.page.locator('.markers-panel .monaco-list').first();
    const rows = new Map<number, { level: number; aria: string; cls: string; message: string; source: string; code: string; lnCol: string; fileLabel: string }>();
    const collect = async (): Promise<number> => {
      const found = await list.evaluate((node) =>
        [...(node as unknown as DomEl).querySelectorAll('.monaco-list-row')].map((r) => ({
          index: Number(r.dataset.index ?? r.getAttribute('data-index') ?? -1),
          level: Number(r.getAttribute('aria-level') ?? 0),
          aria: r.getAttribute('aria-label') ?? '',
          cls: [r.querySelector('.marker-icon'), r.querySelector('.marker-icon .codicon')]
            .map((e) => e?.className ?? '')
            .join(' ')
            .trim(),
          message: (r.querySelector('.marker-message'))?.innerText ?? '',
          source: (r.querySelector('.marker-source'))?.innerText ?? '',
          code: (r.querySelector('.marker-code'))?.innerText ?? '',
          lnCol: (r.querySelector('.marker-line'))?.innerText ?? '',
          fileLabel: (r.querySelector('.monaco-icon-label .label-name'))?.innerText ?? '',
        })),
      );
      let added = 0;
      for (const f of found) {
        if (f.index < 0 || rows.has(f.index)) continue;
        rows.set(f.index, f);
        added++;
      }
      return added;
    };
    await collect();
    // Scroll through the virtualised list when it has a scrollbar.
    const scrollable = await list.evaluate((node) => {
      const root = node as unknown as DomEl;
      const inner = root.querySelector('.monaco-list-rows');
      return !!inner && parseFloat(inner.style.height || '0') > root.clientHeight + 1;
    });
    if (scrollable) {
      const box = await list.boundingBox();
      if (box) {
        await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        for (let i = 0; i < 200; i++) {
          await this.page.mouse.wheel(0, Math.max(40, box.height - 40));
          await sleep(50);
          if ((await collect()) === 0 && i > 0) {
            await sleep(100);
            if ((await collect()) === 0) break;
          }
        }
        // back to the top
        await this.page.mouse.wheel(0, -1e6);
      }
    }
    const problems: Problem[] = [];
    let file: string | undefined;
    for (const [, r] of [...rows.entries()].sort((a, b) => a[0] - b[0])) {
      if (!r.cls && !r.lnCol) {
        // A file (resource) row, or a related-information row.
        if (r.level <= 1) file = r.fileLabel || undefined;
        continue;
      }
      const m = /Ln\s+(\d+),\s*Col\s+(\d+)/.exec(r.lnCol) ?? /line (\d+) and character (\d+)/.exec(r.aria);
      if (!m) continue;
      let source = r.source.trim() || undefined;
      let code = r.code.trim() || undefined;
      // VS Code 1.100 renders "source(code)" either as one .marker-source text or as
      // .marker-source + .marker-code; normalise both.
      if (code) code = code.replace(/^\(|\)$/g, '').trim() || undefined;
      if (source && !code) {
        const sc = /^(.*)\((.*)\)$/.exec(source);
        if (sc) {
          source = sc[1]!.trim() || undefined;
          code = sc[2]!.trim() || undefined;
        }
      } else if (source && code && source.endsWith(`(${code})`)) {
        source = source.slice(0, -(code.length + 2)).trim() || undefined;
      }
      problems.push({
        message: r.message.trim(),
        source,
        code,
        line: Number(m[1]),
        col: Number(m[2]),
        severity: severityOf(r.cls, r.aria),
        file,
        aria: r.aria,
      });
    }
    return problems;
  }

  /** Waits until a listed problem matches `predicate`; returns it. */
  async waitForProblem(predicate: (p: Problem) => boolean, timeoutMs = 30_000): Promise<Problem> {
    let last: Problem[] = [];
    try {
      return await poll('a matching problem in the Problems panel', timeoutMs, async () => {
        last = await this.readProblems();
        return last.find(predicate);
      }, 250);
    } catch (e) {
      await this.screenshot('waitForProblem-timeout').catch(() => {});
      throw new Error(`${(e as Error).message}; problems listed: ${JSON.stringify(last, null, 1)}`);
    }
  }

  /** Waits until no listed problem matches `predicate`. */
  async waitForNoProblem(predicate: (p: Problem) => boolean, timeoutMs = 30_000): Promise<void> {
    let last: Problem[] = [];
    try {
      await poll('the problem to disappear from the Problems panel', timeoutMs, async () => {
        last = await this.readProblems();
        return last.some(predicate) ? undefined : true;
      }, 250);
    } catch (e) {
      throw new Error(`${(e as Error).message}; problems listed: ${JSON.stringify(last, null, 1)}`);
    }
  }

  // ---- hover & quick fix ----------------------------------------------------------------------

  /**
   * Shows the editor hover at (line, col) with "Show or Focus Hover" (Ctrl+K Ctrl+I) — no mouse
   * coordinates involved — and returns its text once it is stable: one paragraph per hover part
   * (a diagnostic at the position shows up as "message source(code)"), without the hover's
   * action bar. Closes it afterwards unless `keepOpen` (e.g. for a screenshot).
   */
  async hoverAt(line: number, col: number, opts: { timeoutMs?: number; keepOpen?: boolean } = {}): Promise<string> {
    const timeoutMs = opts.timeoutMs ?? 15_000;
    await this.goToLine(line, col);
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+I');
    const hover = this.page.locator(SEL.hover).first();
    await hover.waitFor({ state: 'visible', timeout: timeoutMs });
    let previous = '';
    const text = await poll('the hover text to settle', timeoutMs, async () => {
      const t = await hover.evaluate((node) => {
        const el = node as unknown as DomEl;
        // One block per hover part (diagnostic, each provider's markdown); the action bar
        // ("View Problem", "Quick Fix...") is left out.
        const parts = [...el.querySelectorAll('.hover-row:not(.status-bar)')]
          .map((r) => r.innerText.trim())
          .filter(Boolean);
        return (parts.length ? parts.join('\n\n') : el.innerText).trim();
      });
      const settled = t !== '' && !/^Loading\.\.\.$/m.test(t) && t === previous;
      previous = t;
      return settled ? t : undefined;
    }, 200);
    if (!opts.keepOpen) {
      await this.page.keyboard.press('Escape');
      await hover.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
    }
    return text;
  }

  /** Titles of the code actions offered by Ctrl+. at the cursor (or at `at`). Closes the menu. */
  async listQuickFixes(at?: { line: number; col: number }, timeoutMs = 15_000): Promise<string[]> {
    const rows = await this.openCodeActions(at, timeoutMs);
    const titles = await rows.allInnerTexts();
    await this.page.keyboard.press('Escape');
    await this.page.locator(SEL.actionWidget).waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
    return titles.map((t) => t.trim()).filter(Boolean);
  }

  private async openCodeActions(at: { line: number; col: number } | undefined, timeoutMs: number): Promise<Locator> {
    const widget = this.page.locator(SEL.actionWidget);
    const rows = this.page.locator(`${SEL.actionRows}.action`);
    const noActions = this.page.locator('.monaco-editor-overlaymessage', { hasText: 'No code actions' });
    const deadline = Date.now() + timeoutMs;
    // Code actions are computed asynchronously by the extension host; under load Ctrl+. can
    // answer "No code actions available" once although the diagnostic is there. Retry until
    // the menu shows or the time is up.
    for (let attempt = 1; ; attempt++) {
      if (at) await this.goToLine(at.line, at.col);
      else await this.focusEditor();
      await this.page.keyboard.press('Control+.');
      const shown = await Promise.race([
        widget.waitFor({ state: 'visible', timeout: Math.max(500, Math.min(5_000, deadline - Date.now())) }).then(() => true),
        noActions.waitFor({ state: 'visible', timeout: Math.max(500, Math.min(5_000, deadline - Date.now())) }).then(() => false),
      ]).catch(() => false);
      if (shown) break;
      if (Date.now() >= deadline) {
        await this.screenshot('code-actions-not-shown').catch(() => {});
        throw new Error(`the code action menu (Ctrl+.) did not open within ${timeoutMs} ms (${attempt} attempts)`);
      }
      await this.page.keyboard.press('Escape');
      await noActions.waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => {});
    }
    await rows.first().waitFor({ state: 'visible', timeout: Math.max(1_000, deadline - Date.now()) });
    return rows;
  }

  /**
   * Opens the quick-fix menu (Ctrl+.) at the cursor (or at `at`) and applies the action whose
   * title contains `titleSubstring`. Throws, listing the offered titles, when none matches.
   */
  async applyQuickFix(titleSubstring: string, at?: { line: number; col: number }, timeoutMs = 15_000): Promise<void> {
    const rows = await this.openCodeActions(at, timeoutMs);
    const match = rows.filter({ hasText: titleSubstring }).first();
    if ((await match.count()) === 0) {
      const titles = (await rows.allInnerTexts()).map((t) => t.trim());
      await this.screenshot('applyQuickFix-no-match').catch(() => {});
      await this.page.keyboard.press('Escape');
      throw new Error(`no quick fix containing "${titleSubstring}"; offered: ${JSON.stringify(titles)}`);
    }
    // Keyboard selection: move the focus onto the row, then Enter (clicks need hover state).
    const all = await rows.allInnerTexts();
    const idx = all.findIndex((t) => t.includes(titleSubstring));
    const focused = async () =>
      (await this.page.locator(`${SEL.actionRows}.focused`).first().innerText().catch(() => '')).includes(titleSubstring);
    for (let i = 0; i <= all.length && !(await focused()); i++) await this.page.keyboard.press('ArrowDown');
    if (!(await focused())) {
      await match.click(); // fall back to the mouse
    } else {
      await this.page.keyboard.press('Enter');
    }
    void idx;
    await this.page.locator(SEL.actionWidget).waitFor({ state: 'hidden', timeout: timeoutMs });
  }
}
