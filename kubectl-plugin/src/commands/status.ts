// `kubectl lb status --state <file>`: pools with usage, who holds which IP, every LoadBalancer
// Service and the problems found. The view is computed in the core (shared/src/status).
import { Command, Option } from 'commander';
import { SEVERITY_ORDER, type Severity } from '../../../shared/src/findings/finding.js';
import { buildStatusReport, type FamilyStatus, type StatusReport, type UsageLevel } from '../../../shared/src/status/report.js';
import type { Palette } from '../color.js';
import { EXIT_FINDINGS, EXIT_OK } from '../errors.js';
import { stringifyPlain } from '../format/json.js';
import { cell, renderTable } from '../format/table.js';
import { formatYaml } from '../format/yaml.js';
import { addGlobalOptions, outputOption, SEVERITIES, settingsFrom, write } from './common.js';
import { stateColor } from './simulate.js';
import { loadState } from './state.js';
import { addLiveOptions } from '../live/options.js';

export function statusCommand(): Command {
  const cmd = new Command('status')
    .description('Show LoadBalancer IP allocation: pools with usage per family, the Services and their IPs, and the problems found.')
    .option('--state <file>', "the cluster's state: a `kubectl get -o yaml` snapshot (List or multi-document)")
    .addOption(outputOption(['table', 'wide', 'json', 'yaml'], 'table'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a problem is at or above this severity (default: never)').choices(SEVERITIES))
    .option('--no-headers', "don't print table headers")
    .option('-w, --watch', 'live: redraw the view whenever Services or pools change (Ctrl-C to stop)');
  addGlobalOptions(cmd);
  addLiveOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  kubectl get svc,ipaddresspools,events,deploy -A -o yaml > state.yaml
  kubectl lb status --state state.yaml
  kubectl lb status --state examples/cluster-state.yaml -o wide   # plus the IP owner map
  kubectl lb status --state state.yaml -o json | jq '.pools[]'
  kubectl lb status --state state.yaml --fail-on error            # for CI / monitoring

Usage colours follow MetalLB's alerts: 75% and 85% yellow, 95% and exhausted red.
Exit codes: 0 (or 1 with --fail-on and a problem at or above it), 2 usage error or unreadable input.`,
  );
  cmd.action(async (opts: Record<string, unknown>) => {
    if (opts.watch) {
      process.exitCode = await (await import('../live/watch.js')).watchStatus(opts);
      return;
    }
    process.exitCode = await runStatus(opts);
  });
  return cmd;
}

async function runStatus(opts: Record<string, unknown>): Promise<number> {
  const s = settingsFrom(opts);
  const st = await loadState(opts, s);
  const report = buildStatusReport(st.model, { version: s.metallbVersion, simulation: st.simulation, findings: st.findings });
  const out = opts.output as string;
  if (st.simulationError) process.stderr.write(`warning: MetalLB simulation unavailable (${st.simulationError}); showing recorded state only\n`);
  if (out === 'json') write(stringifyPlain({ ...report, source: st.snapshot.description }));
  else if (out === 'yaml') write(formatYaml({ ...report, source: st.snapshot.description }));
  else write(renderStatus(report, st.snapshot.description, s.c, { wide: out === 'wide', noHeaders: opts.headers === false }));
  const failOn = opts.failOn as Severity | undefined;
  if (failOn && report.problems.some((p) => SEVERITY_ORDER[p.severity] >= SEVERITY_ORDER[failOn])) return EXIT_FINDINGS;
  return EXIT_OK;
}

/** Counts for humans: exact below 10^7, `2^n` for powers of two, else scientific. */
export function formatCount(dec: string): string {
  const n = BigInt(dec);
  if (n < 10_000_000n) return n.toString();
  if ((n & (n - 1n)) === 0n) return `2^${n.toString(2).length - 1}`;
  return Number(n).toExponential(1).replace('e+', 'e');
}

function levelColor(level: UsageLevel, text: string, c: Palette): string {
  return level === 'ok' ? c.green(text) : level === 'usage75' || level === 'usage85' ? c.yellow(text) : c.red(text);
}

function pct(f: FamilyStatus): string {
  return BigInt(f.total) === 0n ? '-' : `${f.percent.toFixed(f.percent < 10 && f.percent % 1 ? 1 : 0)}%`;
}

export function renderStatus(r: StatusReport, source: string, c: Palette, o: { wide: boolean; noHeaders: boolean }): string {
  const out: string[] = [];
  const m = r.metallb;
  const from = m.versionSource === 'image' ? `image ${m.image}` : m.versionSource === 'option' ? 'as configured' : 'no controller image in the state: assumed latest';
  out.push(`${c.bold('MetalLB')} ${m.version} (${from}), namespace ${m.namespace}${m.lbClass ? `, --lb-class=${m.lbClass}` : ''} ${c.dim(`[${source}]`)}`);
  if (m.configError) out.push(c.red(`MetalLB refuses the configuration: ${m.configError}`));
  out.push('');

  const poolRows: string[][] = [];
  for (const p of r.pools) {
    const fams: [string, FamilyStatus | undefined][] = [
      ['IPv4', p.ipv4],
      ['IPv6', p.ipv6],
    ];
    const present = fams.filter(([, f]) => f);
    if (!present.length) present.push(['-', undefined]);
    for (const [name, f] of present) {
      poolRows.push([
        p.active ? p.name : c.dim(`${p.name} (ignored)`),
        name,
        f ? formatCount(f.used) : '0',
        f ? formatCount(f.available) : '0',
        f ? formatCount(f.total) : '0',
        f ? levelColor(p.active ? f.level : 'ok', pct(f), c) : '-',
        p.autoAssign ? 'true' : 'false',
        p.addresses.join(','),
      ]);
    }
  }
  out.push(poolRows.length ? renderTable(['POOL', 'FAMILY', 'USED', 'AVAILABLE', 'TOTAL', 'USE%', 'AUTO-ASSIGN', 'ADDRESSES'], poolRows, o) : 'No address pools.');
  for (const p of r.pools.filter((x) => !x.active)) out.push(c.dim(`  ${p.name} is ignored: ${p.inactiveReason}`));

  if (o.wide && r.ips.length) {
    out.push('', renderTable(['IP', 'POOL', 'SERVICES', 'SHARED'], r.ips.map((i) => [i.ip, cell(i.pool, c.red('<no pool>')), i.services.join(','), i.shared ? 'yes' : i.services.length > 1 ? c.red('conflict') : 'no']), o));
  }

  out.push('');
  out.push(
    r.services.length
      ? renderTable(
          ['NAMESPACE', 'NAME', 'STATE', 'IPS', 'POOL', 'REASON'],
          r.services.map((sv) => [
            sv.namespace,
            sv.name,
            stateColor(sv.state, c),
            cell(sv.ips.join(',')),
            cell(sv.pool),
            sv.state === 'assigned' && !sv.reason
              ? ''
              : `${sv.messageFrom === 'prediction' ? 'predicted ' : ''}${sv.reason ?? ''}${sv.message && sv.state !== 'ignored' ? `: ${sv.message}` : ''}`,
          ]),
          o,
        )
      : 'No LoadBalancer Services.',
  );

  if (r.problems.length) {
    out.push('', c.bold('Problems:'));
    for (const p of r.problems) {
      const sev = p.severity === 'error' ? c.red('error  ') : p.severity === 'warning' ? c.yellow('warning') : c.blue('info   ');
      const where = p.file ? c.dim(` (${p.file}:${p.line}:${p.column})`) : '';
      out.push(`  ${sev} ${c.dim(p.rule)} ${p.message}${where}`);
    }
  }
  const sm = r.summary;
  const probs = sm.problems.error + sm.problems.warning + sm.problems.info;
  const probText = probs
    ? `${probs} problem${probs === 1 ? '' : 's'} (${[sm.problems.error && `${sm.problems.error} error${sm.problems.error === 1 ? '' : 's'}`, sm.problems.warning && `${sm.problems.warning} warning${sm.problems.warning === 1 ? '' : 's'}`, sm.problems.info && `${sm.problems.info} info`].filter(Boolean).join(', ')})`
    : 'no problems';
  const line = `${sm.pools} pool${sm.pools === 1 ? '' : 's'} (${sm.activePools} active), ${sm.services} LoadBalancer Service${sm.services === 1 ? '' : 's'} (${sm.assigned} assigned, ${sm.pending} pending, ${sm.ignored} ignored); ${probText}.`;
  out.push('', sm.problems.error ? c.red(line) : sm.problems.warning ? c.yellow(line) : c.green(line));
  return out.join('\n') + '\n';
}
