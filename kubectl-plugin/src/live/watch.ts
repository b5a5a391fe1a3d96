// `kubectl lb status -w`: render, then watch Services and pools (KubeClient.watch, on the same
// connection settings as the lists), debounce, re-read and redraw when the view changed. Ctrl-C
// (SIGINT/SIGTERM) stops the watches and exits 0.
import { buildStatusReport } from '../../../shared/src/status/report.js';
import { stringifyPlain } from '../format/json.js';
import { formatYaml } from '../format/yaml.js';
import { settingsFrom, write } from '../commands/common.js';
import { loadState } from '../commands/state.js';
import { renderStatus } from '../commands/status.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { LiveStateSource, type LiveSnapshot } from './source.js';

export const DEFAULT_DEBOUNCE_MS = 300;

export async function watchStatus(opts: Record<string, unknown>): Promise<number> {
  if (typeof opts.state === 'string') throw new UsageError('--watch reads the live cluster: drop --state');
  const s = settingsFrom(opts);
  const src = new LiveStateSource(opts, { metallbNamespace: s.metallbNamespace });
  const out = opts.output as string;
  const debounceMs = Number(process.env.LBGUARD_WATCH_DEBOUNCE_MS ?? DEFAULT_DEBOUNCE_MS);
  const tty = !!process.stdout.isTTY;
  let last = '';
  let snap: LiveSnapshot | undefined;
  let renders = 0;

  const render = async () => {
    const st = await loadState(opts, s, { load: async () => (snap = await src.load()) });
    const report = buildStatusReport(st.model, { version: s.metallbVersion, simulation: st.simulation, findings: st.findings });
    const text =
      out === 'json' ? stringifyPlain({ ...report, source: st.snapshot.description }) : out === 'yaml' ? formatYaml({ ...report, source: st.snapshot.description }) : renderStatus(report, st.snapshot.description, s.c, { wide: out === 'wide', noHeaders: opts.headers === false });
    if (text === last) return;
    last = text;
    renders++;
    if (tty) write(`\x1b[H\x1b[2J${text}`);
    else write(`${renders > 1 ? (out === 'json' ? '' : out === 'yaml' ? '---\n' : `\n--- ${new Date().toISOString()} ---\n`) : ''}${text}`);
  };

  await render();
  const client = src.client!;

  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let busy: Promise<void> = Promise.resolve();
  const aborts = new Map<string, () => void>();
  const schedule = () => {
    if (stopping) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      busy = busy.then(render).catch((e: Error) => process.stderr.write(`Warning: redraw failed: ${e.message}\n`)).then(() => restartLost());
    }, debounceMs);
  };

  // Watch each list the view came from that can change allocation: Services and pools.
  const watched = () => Object.entries(snap!.read.listVersions).filter(([p]) => /\/services$|\/ipaddresspools$|\/addresspools$|\/ippools$|\/loadbalancers$/.test(p));
  const lost = new Set<string>();
  const start = async (path: string, rv: string) => {
    const stop = await client.watch(
      path,
      { resourceVersion: rv, allowWatchBookmarks: false },
      (phase) => {
        if (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED') schedule();
      },
      (err) => {
        aborts.delete(path);
        if (stopping) return;
        // Closed by the server (timeout) or failed (410 Gone, network): re-list, then watch again.
        lost.add(path);
        if (err) process.stderr.write(`Warning: watch ${path} ended: ${err.message}; re-listing\n`);
        schedule();
      },
    );
    aborts.set(path, stop);
  };
  const restartLost = async () => {
    if (stopping) return;
    for (const [path, rv] of watched()) {
      if (lost.has(path) || !aborts.has(path)) {
        lost.delete(path);
        await start(path, rv);
      }
    }
  };
  await restartLost();

  await new Promise<void>((resolve) => {
    const stop = () => {
      stopping = true;
      if (timer) clearTimeout(timer);
      for (const end of aborts.values()) end();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await busy.catch(() => undefined);
  src.close();
  // The view is done: exit without waiting for closed sockets to wind down.
  setTimeout(() => process.exit(EXIT_OK), 50).unref();
  return EXIT_OK;
}
