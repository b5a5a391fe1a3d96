// When to lint a document and which results to keep, without vscode (unit-tested with fake timers):
// - debounce: a lint runs `delayMs` after the last change of that document;
// - staleness: a result computed for an older document version is dropped;
// - two tiers: a keystroke lints with the fast rules (`typing`), and once the document has been
//   idle for `settleMs` a full lint (`settle`: every rule, the MetalLB simulation included) runs;
// - quiet typing: while the user types, a result that only adds YAML syntax errors (a half-typed
//   line) is held back and the previous diagnostics stay until the settle run (or save/open).
//   Diagnostics are never blanked mid-edit.

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export type Trigger = 'typing' | 'open' | 'save' | 'settle' | 'context';

export interface LintOutcome<R> {
  result: R;
  /** The result holds YAML syntax errors. */
  hasSyntaxErrors: boolean;
}

export interface SchedulerHooks<K, R> {
  /** Current version of the document, undefined when it is closed. */
  version(key: K): number | undefined;
  /** Lints the document as it is now (may be async); `typing` asks for the fast tier only. */
  lint(key: K, version: number, trigger: Trigger): LintOutcome<R> | Promise<LintOutcome<R>>;
  publish(key: K, result: R, version: number): void;
  /** Called with every error a lint throws (the scheduler keeps running). */
  onError?(key: K, error: unknown): void;
}

export interface SchedulerOptions {
  delayMs?: number;
  settleMs?: number;
  timers?: Timers;
}

export class LintScheduler<K, R> {
  readonly delayMs: number;
  readonly settleMs: number;
  private readonly timers: Timers;
  private readonly pending = new Map<K, unknown>();
  private readonly settleTimers = new Map<K, unknown>();
  /** Version of the last result published per document. */
  readonly published = new Map<K, number>();
  /** Did the last published result hold syntax errors? */
  private readonly publishedSyntax = new Map<K, boolean>();
  stats = { runs: 0, dropped: 0, heldBack: 0 };

  constructor(private readonly hooks: SchedulerHooks<K, R>, opts: SchedulerOptions = {}) {
    this.delayMs = opts.delayMs ?? 150;
    this.settleMs = opts.settleMs ?? 500;
    this.timers = opts.timers ?? realTimers;
  }

  /** A change: lint after the debounce delay (typing) or at once (open/save/context change). */
  schedule(key: K, trigger: Trigger = 'typing'): void {
    this.cancelTimer(this.pending, key);
    this.cancelTimer(this.settleTimers, key);
    if (trigger === 'typing') {
      this.settleTimers.set(
        key,
        this.timers.setTimeout(() => {
          this.settleTimers.delete(key);
          void this.run(key, 'settle');
        }, this.settleMs),
      );
    }
    const delay = trigger === 'typing' ? this.delayMs : 0;
    this.pending.set(
      key,
      this.timers.setTimeout(() => {
        this.pending.delete(key);
        void this.run(key, trigger);
      }, delay),
    );
  }

  /** Runs a lint now and publishes it unless it is stale (returns whether it was published). */
  async run(key: K, trigger: Trigger): Promise<boolean> {
    const version = this.hooks.version(key);
    if (version === undefined) return false;
    let outcome: LintOutcome<R>;
    try {
      this.stats.runs++;
      outcome = await this.hooks.lint(key, version, trigger);
    } catch (e) {
      this.hooks.onError?.(key, e);
      return false;
    }
    if (this.hooks.version(key) !== version) {
      this.stats.dropped++; // the document changed while we linted: a newer run is scheduled
      return false;
    }
    const last = this.published.get(key);
    if (last !== undefined && last > version) {
      this.stats.dropped++;
      return false;
    }
    if (trigger === 'typing' && outcome.hasSyntaxErrors && last !== undefined && !this.publishedSyntax.get(key)) {
      // Half-typed YAML: keep what is shown; the settle run (already scheduled) shows it.
      this.stats.heldBack++;
      return false;
    }
    this.published.set(key, version);
    this.publishedSyntax.set(key, outcome.hasSyntaxErrors);
    this.hooks.publish(key, outcome.result, version);
    return true;
  }

  forget(key: K): void {
    this.cancelTimer(this.pending, key);
    this.cancelTimer(this.settleTimers, key);
    this.published.delete(key);
    this.publishedSyntax.delete(key);
  }

  dispose(): void {
    for (const k of [...this.pending.keys()]) this.cancelTimer(this.pending, k);
    for (const k of [...this.settleTimers.keys()]) this.cancelTimer(this.settleTimers, k);
  }

  private cancelTimer(map: Map<K, unknown>, key: K): void {
    const h = map.get(key);
    if (h !== undefined) {
      this.timers.clearTimeout(h);
      map.delete(key);
    }
  }
}
