// `kubectl lb plan --from <old> --to <new>`: what a pool change does to every Service holding an IP.
import { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { planPoolChange } from '../../../shared/src/metallb/plan.js';
import type { PlanEntry } from '../../../shared/src/metallb/types.js';
import type { ClusterModel } from '../../../shared/src/model/types.js';
import type { Palette } from '../color.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../errors.js';
import { isGitRef, readAtRef } from '../io/git.js';
import { readPath, type InputSpec, type SourceText } from '../io/inputs.js';
import { stringify } from '../format/json.js';
import { cell, renderTable } from '../format/table.js';
import { formatYaml } from '../format/yaml.js';
import { addLiveOptions } from '../live/options.js';
import { addGlobalOptions, modelOfTexts, outputOption, settingsFrom, simulationOptions, write, type Settings } from './common.js';

export const PLAN_SCHEMA_VERSION = 1;

function specFor(path: string): InputSpec {
  return existsSync(path) && statSync(path).isDirectory() ? { kind: 'dir', path } : { kind: 'file', path };
}

/** A side of the plan: a path, `<ref>:<path>`, or a git ref (then the other side's paths, else the whole working directory). */
export function readSide(spec: string, other: string, flag: string, maxSize: number): SourceText[] {
  if (spec === '-' || existsSync(spec)) return readPath(spec, maxSize);
  const colon = /^([^:]+):(.+)$/.exec(spec);
  if (colon && isGitRef(colon[1])) {
    const texts = readAtRef(colon[1], [specFor(colon[2])], maxSize);
    if (!texts.length) throw new UsageError(`${flag} ${spec}: no YAML file at ${colon[2]} in ${colon[1]}`);
    return texts;
  }
  if (isGitRef(spec)) {
    const paths = existsSync(other) ? other : '.';
    return readAtRef(spec, [specFor(paths)], maxSize);
  }
  throw new UsageError(`${flag} ${spec}: neither an existing path nor a git ref (use a file, a directory, a ref, or <ref>:<path>)`);
}

/** Commander's accumulator for a repeatable flag. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const CHANGE_ORDER: Record<PlanEntry['change'], number> = { lost: 0, stale: 1, moved: 2, kept: 3 };

function changeColor(ch: PlanEntry['change'], c: Palette): string {
  return ch === 'kept' ? c.green(ch) : ch === 'moved' ? c.yellow(ch) : c.red(ch);
}

export function planCommand(): Command {
  const cmd = new Command('plan')
    .description('Preview a pool change: which Services holding an IP keep it, move to another IP, lose it (Pending) or make MetalLB refuse the config (stale, ≤0.13).')
    .option('--from <old>', 'the current pools: file, directory, git ref, or <ref>:<path> (required unless --live)')
    .option('--to <new>', 'the edited pools: file, directory, git ref, or <ref>:<path> (required unless --live)')
    .option('--live', 'compare against the live cluster: its pools and Services as they are now, with the pools of -f applied and those of --delete-pool removed')
    .option('-f, --filename <file...>', 'with --live: the new or edited pool manifests (a pool replaces the live pool of the same name)')
    .option('--delete-pool <name>', "with --live: preview deleting this live pool: <name> in MetalLB's namespace, or <namespace>/<name> (repeat for several)", collect)
    .option('--state <file>', "the cluster's state (Services with their IPs); default: the Services in --from")
    .option('--all', 'list Services that keep their IPs too (table output)')
    .addOption(outputOption(['table', 'json', 'yaml'], 'table'));
  addGlobalOptions(cmd);
  addLiveOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  kubectl lb plan --live -f pools-edited.yaml                     # against the current cluster
  kubectl lb plan --live --delete-pool old-pool                   # what deleting a live pool does
  kubectl lb plan --live -f new-pool.yaml --delete-pool old-pool  # replace one pool by another
  kubectl lb plan --from examples/cluster-state.yaml --to examples/pools-edited.yaml
  kubectl lb plan --from HEAD --to pools/ --state snapshot.yaml   # working tree vs last commit
  kubectl lb plan --from origin/main:deploy/pools.yaml --to deploy/pools.yaml -o json

Exit codes: 0 every Service keeps its IPs, 1 a Service moves, loses its IP or the config goes stale,
2 usage error or unreadable input.`,
  );
  cmd.action(async (opts: Record<string, unknown>) => {
    if (opts.deletePool !== undefined && !opts.live) throw new UsageError('--delete-pool needs --live (offline, leave the pool out of --to)');
    if (opts.live) {
      process.exitCode = await (await import('../live/plan.js')).runLivePlan(opts);
      return;
    }
    if (opts.from === undefined) throw new UsageError("required option '--from <old>' not specified (or use --live with -f <pools> and/or --delete-pool <name>)");
    if (opts.to === undefined) throw new UsageError("required option '--to <new>' not specified");
    process.exitCode = runPlan(opts);
  });
  return cmd;
}

function buildSides(s: Settings, opts: Record<string, unknown>): { oldModel: ClusterModel; newModel: ClusterModel } {
  const from = readSide(opts.from as string, opts.to as string, '--from', s.maxFileSize);
  const to = readSide(opts.to as string, opts.from as string, '--to', s.maxFileSize);
  const fromModel = modelOfTexts(from, s);
  const toModel = modelOfTexts(to, s);
  if (opts.state === undefined) return { oldModel: fromModel, newModel: toModel };
  const stateModel = modelOfTexts(readPath(opts.state as string, s.maxFileSize), s);
  const oldModel: ClusterModel = {
    ...stateModel,
    pools: fromModel.pools,
    namespaces: stateModel.namespaces.length ? stateModel.namespaces : fromModel.namespaces,
    metallb: { ...fromModel.metallb, ...stateModel.metallb, namespace: s.metallbNamespace ?? (fromModel.pools.length ? fromModel.metallb.namespace : stateModel.metallb.namespace) },
  };
  return { oldModel, newModel: { ...toModel, namespaces: toModel.namespaces.length ? toModel.namespaces : oldModel.namespaces } };
}

export function runPlan(opts: Record<string, unknown>, sides?: { oldModel: ClusterModel; newModel: ClusterModel }): number {
  const s = settingsFrom(opts);
  const { oldModel, newModel } = sides ?? buildSides(s, opts);
  const result = planPoolChange(oldModel, newModel, simulationOptions(s, oldModel));
  const entries = [...result.entries].sort((a, b) => CHANGE_ORDER[a.change] - CHANGE_ORDER[b.change] || a.key.localeCompare(b.key));
  const count = (ch: PlanEntry['change']) => entries.filter((e) => e.change === ch).length;
  const summary = { services: entries.length, kept: count('kept'), moved: count('moved'), lost: count('lost'), stale: count('stale') };
  const disruptive = summary.moved + summary.lost + summary.stale > 0 || !!result.configError;
  const doc = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    kind: 'PlanResult',
    metallbVersion: result.version,
    entries: entries.map((e) => {
      const [namespace, ...rest] = e.key.split('/');
      return { namespace, name: rest.join('/'), ...e };
    }),
    configError: result.configError,
    summary,
  };
  const out = opts.output as string;
  if (out === 'json') write(stringify(doc));
  else if (out === 'yaml') write(formatYaml(doc));
  else {
    const c = s.c;
    const parts = [c.dim(`MetalLB ${result.version}`)];
    if (result.configError) parts.push(c.red(`MetalLB ${result.configError.stale ? 'keeps its old configuration (stale config)' : 'refuses the new configuration'}: ${result.configError.message}`));
    const shown = opts.all ? doc.entries : doc.entries.filter((e) => e.change !== 'kept');
    if (shown.length) {
      parts.push(
        renderTable(
          ['NAMESPACE', 'NAME', 'CHANGE', 'BEFORE', 'AFTER', 'POOL', 'REASON'],
          shown.map((e) => [
            e.namespace,
            e.name,
            changeColor(e.change, c),
            cell(e.before.join(',')),
            cell(e.after.join(',')),
            e.poolBefore === e.poolAfter || !e.poolAfter ? cell(e.poolBefore) : `${cell(e.poolBefore)} -> ${e.poolAfter}`,
            cell(e.message ? `${e.reason ?? ''}: ${e.message}` : e.reason, ''),
          ]),
        ),
      );
      for (const e of shown.filter((x) => x.candidates && x.candidates.length > 1)) {
        parts.push(`  ${e.key}: MetalLB picks at random among ${e.candidates!.map((x) => `${x.pool} (${x.ips.join(',')})`).join(' or ')}`);
      }
    }
    const line = `${summary.services} Service(s) holding IPs: ${summary.kept} kept, ${summary.moved} moved, ${summary.lost} lost${summary.stale ? `, ${summary.stale} stale` : ''}.`;
    parts.push(disruptive ? c.red(line) : c.green(line));
    write(parts.join('\n') + '\n');
  }
  return disruptive ? EXIT_FINDINGS : EXIT_OK;
}
