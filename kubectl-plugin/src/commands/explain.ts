// `kubectl lb explain <namespace/name> --state <file>`: the ordered checklist for one Service.
import { Command } from 'commander';
import { explainService, type CheckStatus, type Explanation } from '../../../shared/src/status/explain.js';
import type { Palette } from '../color.js';
import { EXIT_OK, InputError } from '../errors.js';
import { stringify } from '../format/json.js';
import { formatYaml } from '../format/yaml.js';
import { addGlobalOptions, outputOption, settingsFrom, write } from './common.js';
import { loadState } from './state.js';
import { addLiveOptions } from '../live/options.js';

export function explainCommand(): Command {
  const cmd = new Command('explain')
    .description('Explain why a Service is Pending or why its IP changed: an ordered checklist with the evidence (pools, selectors, version, events).')
    .argument('<service>', 'the Service as namespace/name (default namespace: default)')
    .option('--state <file>', "the cluster's state: a `kubectl get -o yaml` snapshot (List or multi-document)")
    .addOption(outputOption(['text', 'json', 'yaml'], 'text'));
  addGlobalOptions(cmd);
  addLiveOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  kubectl lb explain default/web --state state.yaml
  kubectl lb explain shop/checkout --state examples/cluster-state.yaml -o json

Exit codes: 0 explained, 2 usage error, unreadable input or Service not found.`,
  );
  cmd.action(async (service: string, opts: Record<string, unknown>) => {
    process.exitCode = await runExplain(service, opts);
  });
  return cmd;
}

async function runExplain(service: string, opts: Record<string, unknown>): Promise<number> {
  const s = settingsFrom(opts);
  const st = await loadState(opts, s);
  const ex = explainService(st.model, service, { version: s.metallbVersion, simulation: st.simulation, network: s.network });
  if (!ex) {
    const known = st.model.services.filter((x) => x.type === 'LoadBalancer').map((x) => x.key);
    throw new InputError(`Service ${service.includes('/') ? service : `default/${service}`} not found in ${st.snapshot.description}${known.length ? ` (LoadBalancer Services: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''})` : ''}`);
  }
  const out = opts.output as string;
  if (out === 'json') write(stringify(ex));
  else if (out === 'yaml') write(formatYaml(ex));
  else write(renderExplanation(ex, s.c));
  return EXIT_OK;
}

const MARK: Record<CheckStatus, string> = { pass: 'ok', fail: 'FAIL', warn: 'WARN', skip: 'skip', info: 'info' };

function mark(st: CheckStatus, c: Palette): string {
  const t = MARK[st].padEnd(4);
  return st === 'pass' ? c.green(t) : st === 'fail' ? c.red(t) : st === 'warn' ? c.yellow(t) : c.dim(t);
}

export function renderExplanation(ex: Explanation, c: Palette): string {
  const sv = ex.service;
  const out: string[] = [];
  const state = sv.state === 'pending' ? c.red('Pending') : sv.state === 'assigned' ? c.green(`assigned ${sv.ips.join(', ')}`) : c.dim(sv.state);
  out.push(`${c.bold(`Service ${sv.namespace}/${sv.name}`)}: ${state}`);
  out.push(c.dim(`MetalLB ${ex.metallb.version}, namespace ${ex.metallb.namespace}${ex.metallb.lbClass ? `, --lb-class=${ex.metallb.lbClass}` : ''}`));
  out.push('');
  ex.steps.forEach((st, i) => {
    out.push(`${String(i + 1).padStart(2)}. [${mark(st.status, c)}] ${st.title}: ${st.detail}`);
    for (const e of st.evidence ?? []) out.push(c.dim(`          ${e}`));
  });
  if (ex.prediction) {
    const p = ex.prediction;
    out.push('', `Simulated now: ${p.state}${p.ips.length ? ` ${p.ips.join(', ')}` : ''}${p.pool ? ` from ${p.pool}` : ''}${p.message ? ` (${p.reason ?? ''}: ${p.message})` : ''}`);
    if (p.candidates && p.candidates.length > 1) out.push(`  MetalLB picks at random among ${p.candidates.map((x) => `${x.pool} (${x.ips.join(',')})`).join(' or ')}`);
  }
  if (ex.events.length) {
    out.push('', 'Events:');
    for (const e of ex.events) out.push(`  ${e.type === 'Warning' ? c.yellow(e.type) : e.type} ${e.reason}${e.count && e.count > 1 ? ` (x${e.count})` : ''}: ${e.message}`);
  }
  out.push('', c.bold(`Verdict: ${ex.verdict}`));
  return out.join('\n') + '\n';
}
