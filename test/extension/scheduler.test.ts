// Debounce, stale results and quiet typing, with fake timers driving the real scheduler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LintScheduler, type Timers } from '../../extension/src/scheduler.js';

class FakeTimers implements Timers {
  now = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers.delete(h as number);
  }
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
      await new Promise((r) => setImmediate(r));
    }
    this.now = until;
  }
}

function setup(opts: { syntax?: (v: number) => boolean; slow?: boolean } = {}) {
  const timers = new FakeTimers();
  const doc = { version: 1 };
  const published: { version: number; result: string }[] = [];
  const lints: number[] = [];
  let release: (() => void) | undefined;
  const s = new LintScheduler<string, string>(
    {
      version: () => doc.version,
      lint: async (_k, v) => {
        lints.push(v);
        if (opts.slow) await new Promise<void>((r) => (release = r));
        return { result: `r${v}`, hasSyntaxErrors: opts.syntax?.(v) ?? false };
      },
      publish: (_k, result, version) => published.push({ version, result }),
    },
    { timers, delayMs: 150, settleMs: 1000 },
  );
  return { s, timers, doc, published, lints, release: () => release?.() };
}

test('typing is debounced: one lint 150 ms after the last keystroke', async () => {
  const { s, timers, doc, published, lints } = setup();
  for (let i = 0; i < 5; i++) {
    doc.version++;
    s.schedule('a');
    await timers.advance(100);
  }
  assert.deepEqual(lints, []);
  await timers.advance(50);
  assert.deepEqual(lints, [6]);
  assert.deepEqual(published, [{ version: 6, result: 'r6' }]);
});

test('open and save lint at once', async () => {
  const { s, timers, lints } = setup();
  s.schedule('a', 'open');
  await timers.advance(0);
  assert.deepEqual(lints, [1]);
});

test('a result for an older document version is dropped', async () => {
  const { s, timers, doc, published, release } = setup({ slow: true });
  s.schedule('a', 'open');
  await timers.advance(0);
  doc.version = 2; // the user typed while the lint (e.g. a git baseline load) was running
  release();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(published, []);
  assert.equal(s.stats.dropped, 1);
});

test('half-typed YAML does not replace the shown diagnostics until the user pauses', async () => {
  const { s, timers, doc, published } = setup({ syntax: (v) => v === 2 });
  s.schedule('a', 'open');
  await timers.advance(0);
  assert.deepEqual(published.map((p) => p.version), [1]);
  doc.version = 2;
  s.schedule('a');
  await timers.advance(150);
  assert.deepEqual(published.map((p) => p.version), [1], 'syntax error held back while typing');
  assert.equal(s.stats.heldBack, 1);
  await timers.advance(1000);
  assert.deepEqual(published.map((p) => p.version), [1, 2], 'shown once idle');
});

test('typing that fixes the syntax publishes at once; closing forgets the document', async () => {
  const { s, timers, doc, published } = setup({ syntax: (v) => v === 2 });
  s.schedule('a', 'open');
  await timers.advance(0);
  doc.version = 2;
  s.schedule('a');
  await timers.advance(150);
  doc.version = 3;
  s.schedule('a');
  await timers.advance(150);
  assert.deepEqual(published.map((p) => p.version), [1, 3]);
  s.forget('a');
  doc.version = 4;
  s.schedule('a');
  s.forget('a');
  await timers.advance(2000);
  assert.deepEqual(published.map((p) => p.version), [1, 3]);
});
