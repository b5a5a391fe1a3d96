// `kubectl lb lint [paths|-]`: lint manifests offline.
import { Command, Option } from 'commander';
import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { Severity } from '../../../shared/src/findings/finding.js';
import { lint } from '../../../shared/src/lint/engine.js';
import { ALL_RULES } from '../../../shared/src/rules/index.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../errors.js';
import { readAtRef, isGitRef } from '../io/git.js';
import { classify, displayPath, readInputs, readPath, type SourceText } from '../io/inputs.js';
import { readStaged, type StagedInputs } from '../io/staged.js';
import { formatGithub } from '../format/github.js';
import { formatJson } from '../format/json.js';
import { formatSarif } from '../format/sarif.js';
import { summarize } from '../format/summary.js';
import { formatText } from '../format/text.js';
import { addGlobalOptions, outputOption, parseTexts, SEVERITIES, settingsFrom, write } from './common.js';

export function lintCommand(): Command {
  const cmd = new Command('lint')
    .description('Lint Kubernetes manifests for LoadBalancer IP problems (MetalLB pools, Services, Harvester) without a cluster.')
    .argument('[paths...]', 'files, directories (recursive *.yaml/*.yml), globs, or - for stdin', ['.'])
    .option('--baseline <git-ref|path>', 'old manifests to compare against: a git ref (the same paths at that ref) or a file/directory')
    .option('--state <file>', "the cluster's state: a `kubectl get -o yaml` snapshot (List or multi-document)")
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity (default: config failOn, else warning)').choices(SEVERITIES))
    .addOption(outputOption(['text', 'json', 'sarif', 'github'], 'text'))
    .option('--include <path>', 'extra pool/Service files or directories loaded as context; their own findings are not reported (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--staged', 'lint what `git commit` would record: staged YAML files (or the index version of the named paths), include paths from the index, --baseline defaulting to HEAD')
    .option('--show-suppressed', 'also print suppressed findings (text and github; json and sarif always carry them, marked)');
  addGlobalOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  kubectl lb lint manifests/                       # every *.yaml/*.yml below manifests/
  kubectl lb lint 'deploy/**/metallb-*.yaml'        # a glob (quote it)
  helm template . | kubectl lb lint -              # stdin
  kubectl lb lint pools.yaml --baseline origin/main # what the pool edit does to assigned IPs
  kubectl lb lint svc.yaml --include pools/         # pools as context, only svc.yaml reported
  kubectl lb lint . -o sarif > lbguard.sarif        # code scanning
  kubectl lb lint . -o github                       # GitHub Actions annotations
  kubectl lb lint --staged --state state.yaml       # before a commit: the index against HEAD (docs/pre-commit.md)

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage error or unreadable input.`,
  );
  cmd.action((paths: string[], opts: Record<string, unknown>) => {
    process.exitCode = runLint(paths, opts);
  });
  return cmd;
}

function runLint(paths: string[], opts: Record<string, unknown>): number {
  const s = settingsFrom(opts);
  // Context files: --include and the config's include (relative to the config file).
  const includePaths = [
    ...((opts.include as string[]) ?? []),
    ...s.config.include.map((p) => (s.configPath ? displayPath(resolve(dirname(s.configPath), p)) : p)),
  ];
  const staged = opts.staged ? stagedInputs(paths, includePaths, opts, s.configPath, s.maxFileSize) : undefined;
  const specs = staged ? [] : classify(paths.length ? paths : ['.']);
  const texts = staged?.texts ?? readInputs(specs, s.maxFileSize);
  const inputNames = new Set(texts.map((t) => t.file));

  const context: SourceText[] = staged?.context ?? [];
  if (!staged) for (const p of includePaths) for (const t of readPath(p, s.maxFileSize)) if (!inputNames.has(t.file) && !context.some((c) => c.file === t.file)) context.push(t);
  const contextNames = new Set(context.map((t) => t.file));

  let baseline: SourceText[] | undefined = staged?.baseline;
  const b = opts.baseline as string | undefined;
  if (b !== undefined && !staged?.baselineRef) {
    if (existsSync(b)) baseline = readPath(b, s.maxFileSize);
    else if (isGitRef(b)) baseline = readAtRef(b, specs, s.maxFileSize);
    else throw new UsageError(`--baseline ${b}: neither an existing path nor a git commit/ref in this repository`);
  }
  const state = opts.state !== undefined ? readPath(opts.state as string, s.maxFileSize) : undefined;

  const result = lint(
    { files: parseTexts([...texts, ...context]), baseline: baseline && parseTexts(baseline), state: state && parseTexts(state) },
    { config: s.config, metallbVersion: s.metallbVersion, metallbNamespace: s.metallbNamespace },
  );
  const findings = result.findings.filter((f) => !contextNames.has(f.file));
  const failOn = ((opts.failOn as Severity | undefined) ?? s.config.failOn ?? 'warning') as Severity;
  const summary = summarize(findings, texts.length, failOn);
  switch (opts.output) {
    case 'json':
      write(formatJson(findings, summary, result.version));
      break;
    case 'sarif':
      write(formatSarif(findings, ALL_RULES.map((r) => r.meta)));
      break;
    case 'github':
      write(formatGithub(findings, summary, !!opts.showSuppressed));
      break;
    default:
      write(formatText(findings, summary, { palette: s.c, showSuppressed: !!opts.showSuppressed }));
  }
  return summary.exitCode ? EXIT_FINDINGS : EXIT_OK;
}

/** --staged: inputs and context from the index, the baseline from HEAD unless --baseline names a path or another ref. */
function stagedInputs(paths: string[], include: string[], opts: Record<string, unknown>, configPath: string | undefined, maxFileSize: number): StagedInputs {
  const b = opts.baseline as string | undefined;
  const ref = b !== undefined && !existsSync(b) && isGitRef(b) ? b : undefined;
  const exclude = [...(opts.state !== undefined ? [opts.state as string] : []), ...(configPath ? [displayPath(configPath)] : [])];
  const r = readStaged({ paths, include, baseline: ref, exclude, maxFileSize });
  // --baseline <path>: the caller reads it; no HEAD baseline then.
  return b !== undefined && !ref ? { ...r, baseline: undefined, baselineRef: undefined } : r;
}
