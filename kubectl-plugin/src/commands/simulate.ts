// `kubectl lb simulate -f <manifests|scenario>`: what MetalLB's controller would assign.
import { Command } from 'commander';
import { simulate } from '../../../shared/src/metallb/simulate.js';
import { parseScenario, runScenario } from '../../../shared/src/metallb/scenario.js';
import type { PoolUsage, ServiceOutcome, SimEvent } from '../../../shared/src/metallb/types.js';
import type { Palette } from '../color.js';
import { EXIT_OK, InputError, UsageError } from '../errors.js';
import { readPath, type SourceText } from '../io/inputs.js';
import { stringify } from '../format/json.js';
import { cell, renderTable } from '../format/table.js';
import { formatYaml } from '../format/yaml.js';
import { addGlobalOptions, modelOfTexts, outputOption, settingsFrom, simulationOptions, write } from './common.js';

export const SIMULATE_SCHEMA_VERSION = 1;

export interface ServiceRow {
  namespace: string;
  name: string;
  state: string;
  ips: string[];
  pool?: string;
  previousIPs?: string[];
  reason?: string;
  message?: string;
  candidates?: { pool: string; ips: string[] }[];
}

export function serviceRows(services: Map<string, ServiceOutcome>): ServiceRow[] {
  return [...services.values()]
    .filter((o) => o.state !== 'not-loadbalancer')
    .map((o) => ({
      namespace: o.service.namespace,
      name: o.service.name,
      state: o.state,
      ips: o.ips,
      pool: o.pool,
      previousIPs: o.previousIPs,
      reason: o.reason,
      message: o.message,
      candidates: o.candidates,
    }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

function poolRows(pools: PoolUsage[]) {
  return pools.map((p) => ({ pool: p.pool, ipv4: p.ipv4, ipv6: p.ipv6, holders: p.holders }));
}

export function stateColor(state: string, c: Palette): string {
  return state === 'assigned' ? c.green(state) : state === 'pending' ? c.red(state) : c.dim(state);
}

export function renderServiceTable(rows: ServiceRow[], c: Palette): string {
  const lines = [
    renderTable(
      ['NAMESPACE', 'NAME', 'STATE', 'IPS', 'POOL', 'REASON'],
      rows.map((r) => [
        r.namespace,
        r.name,
        stateColor(r.state, c),
        cell(r.ips.join(',')),
        cell(r.pool),
        r.state === 'pending' || (r.reason && r.reason !== 'IPAllocated') ? cell(r.message ? `${r.reason ?? ''}: ${r.message}` : r.reason, '') : cell(r.candidates?.length ? 'random pool choice (see below)' : '', ''),
      ]),
    ),
  ];
  const random = rows.filter((r) => r.candidates && r.candidates.length > 1);
  if (random.length) {
    lines.push('', 'MetalLB picks among several pools at random for:');
    for (const r of random) lines.push(`  ${r.namespace}/${r.name}: ${r.candidates!.map((x) => `${x.pool} (${x.ips.join(',')})`).join(' or ')}`);
  }
  const moved = rows.filter((r) => r.previousIPs?.length);
  if (moved.length) {
    lines.push('', 'IPs that change:');
    for (const r of moved) lines.push(`  ${r.namespace}/${r.name}: ${r.previousIPs!.join(',')} -> ${r.ips.join(',') || '<none>'}`);
  }
  return lines.join('\n') + '\n';
}

function eventLines(events: SimEvent[], c: Palette): string[] {
  return events.map((e) => `  ${e.type === 'Warning' ? c.yellow(e.type) : e.type} ${e.reason} ${e.service}: ${e.message}`);
}

export function simulateCommand(): Command {
  const cmd = new Command('simulate')
    .description("Predict MetalLB's decisions offline: the IPs, pool and state of every LoadBalancer Service, with MetalLB's own event messages.")
    .requiredOption('-f, --filename <path>', 'manifests (files or directories) or one scenario file (kind: Scenario); repeatable', (v: string, acc: string[] | undefined) => [...(acc ?? []), v])
    .addOption(outputOption(['table', 'json', 'yaml'], 'table'))
    .option('--events', 'also print the events MetalLB would emit (table output)');
  addGlobalOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  kubectl lb simulate -f pools.yaml -f services/       # steady state after a controller start
  kubectl lb simulate -f cluster-state.yaml --metallb-version 0.13.12
  kubectl lb simulate -f scenario.yaml                 # steps of a scenario (apply/delete/restartController)
  kubectl lb simulate -f manifests/ -o json

A scenario file has kind: Scenario, metallbVersion and steps; see docs/cli.md.
Exit codes: 0 success, 2 usage error or unreadable input.`,
  );
  cmd.action((opts: Record<string, unknown>) => {
    process.exitCode = runSimulate(opts);
  });
  return cmd;
}

const isScenario = (t: SourceText) => /^kind:\s*["']?Scenario["']?\s*$/m.test(t.text);

function runSimulate(opts: Record<string, unknown>): number {
  const s = settingsFrom(opts);
  const texts = (opts.filename as string[]).flatMap((p) => readPath(p, s.maxFileSize));
  const scenarios = texts.filter(isScenario);
  const out = opts.output as string;
  if (scenarios.length) {
    if (scenarios.length > 1 || texts.length > 1) throw new UsageError('-f: pass one scenario file alone (a scenario carries its own objects in its steps)');
    const parsed = parseScenario(scenarios[0].text, scenarios[0].file);
    if (!parsed.scenario) {
      throw new InputError(parsed.errors.map((e) => `${e.file}:${e.range.start.line}:${e.range.start.column}: ${e.message}`).join('\n'));
    }
    const results = runScenario(parsed.scenario, { version: s.metallbVersion });
    const version = s.metallbVersion ?? parsed.scenario.metallbVersion;
    const doc = {
      schemaVersion: SIMULATE_SCHEMA_VERSION,
      kind: 'ScenarioResult',
      file: scenarios[0].file,
      metallbVersion: version,
      steps: results.map((r) => ({ index: r.index + 1, step: r.step, services: serviceRows(r.services), events: r.events, pools: poolRows(r.pools), configError: r.configError })),
    };
    if (out === 'json') write(stringify(doc));
    else if (out === 'yaml') write(formatYaml(doc));
    else {
      const parts: string[] = [];
      for (const st of doc.steps) {
        parts.push(s.c.bold(`Step ${st.index}: ${st.step}`) + (st.configError ? ` ${s.c.red(`(config error: ${st.configError.message})`)}` : ''));
        parts.push(st.services.length ? renderServiceTable(st.services, s.c).trimEnd() : 'No LoadBalancer Services.');
        if (st.events.length) parts.push('Events:', ...eventLines(st.events, s.c));
        parts.push('');
      }
      write(parts.join('\n'));
    }
    return EXIT_OK;
  }
  const model = modelOfTexts(texts, s);
  const result = simulate(model, simulationOptions(s, model));
  const doc = {
    schemaVersion: SIMULATE_SCHEMA_VERSION,
    kind: 'SimulationResult',
    metallbVersion: result.version,
    services: serviceRows(result.services),
    events: result.events,
    pools: poolRows(result.pools),
    configError: result.configError,
  };
  if (out === 'json') write(stringify(doc));
  else if (out === 'yaml') write(formatYaml(doc));
  else {
    const parts = [s.c.dim(`MetalLB ${result.version}, namespace ${model.metallb.namespace}`)];
    if (result.configError) parts.push(s.c.red(`MetalLB refuses the configuration${result.configError.stale ? ' (stale: it keeps the previous one)' : ''}: ${result.configError.message}`));
    parts.push(doc.services.length ? renderServiceTable(doc.services, s.c).trimEnd() : 'No LoadBalancer Services.');
    if (opts.events && result.events.length) parts.push('', 'Events:', ...eventLines(result.events, s.c));
    write(parts.join('\n') + '\n');
  }
  return EXIT_OK;
}
