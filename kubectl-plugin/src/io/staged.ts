// `kubectl lb lint --staged`: what `git commit` would record. Inputs and include context come from
// the index (never the working tree), the baseline from HEAD (or --baseline <ref>), so a pool edit is
// judged as committed even when the working tree has other, unstaged changes.
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { InputError } from '../errors.js';
import { globBase, globToRegExp, hasGlobChars } from './glob.js';
import { hasHead, indexEntries, isGitRef, readBlobs, requireWorkTree, treeEntries, type GitEntry } from './git.js';
import { decode, displayPath, formatSize, isYamlName, readPath, readTextFile, type SourceText } from './inputs.js';

export interface StagedInputs {
  /** Linted: staged YAML files (no paths named), or the index version of the named ones. */
  texts: SourceText[];
  /** Include paths as they are in the index; their own findings are not reported. */
  context: SourceText[];
  /** The same files (inputs and context) at the baseline commit; undefined without one. */
  baseline?: SourceText[];
  /** The commit the baseline was read from (HEAD unless --baseline named another ref). */
  baselineRef?: string;
}

export interface StagedOptions {
  /** Positional arguments: files, directories or globs; [] or ['.'] means every staged YAML file below here. */
  paths: string[];
  include: string[];
  /** --baseline when it names a git ref (a path baseline is read by the caller). */
  baseline?: string;
  /** Files never linted as inputs: the state snapshot and the config file (pre-commit passes every *.yaml). */
  exclude: string[];
  maxFileSize: number;
}

const SKIPPED = /(^|\/)(node_modules|\.git)\//;
const norm = (p: string) => posix.normalize(displayPath(p)).replace(/\/$/, '') || '.';

function underAny(path: string, specs: string[]): boolean {
  return specs.some((s) => s === '.' || path === s || path.startsWith(s.endsWith('/') ? s : `${s}/`));
}

/** Pathspecs for git and a filter for the globs among the arguments. */
function pathspecsOf(args: string[]): { specs: string[]; keep: (p: string) => boolean } {
  const plain: string[] = [];
  const globs: RegExp[] = [];
  for (const a of args) {
    if (hasGlobChars(a)) {
      plain.push(globBase(a));
      globs.push(globToRegExp(a.replace(/^\.\//, '')));
    } else plain.push(a);
  }
  const plainSpecs = args.filter((a) => !hasGlobChars(a)).map(norm);
  return {
    specs: plain.length ? plain : ['.'],
    keep: (p) => underAny(p, plainSpecs) || globs.some((re) => re.test(p)),
  };
}

function textsOf(entries: GitEntry[], prefix: string, maxSize: number): SourceText[] {
  const blobs = readBlobs(entries.map((e) => e.oid), maxSize);
  return entries.map((e) => {
    const name = `${prefix}${e.path}`;
    const buf = blobs.get(e.oid);
    if (buf === null) throw new InputError(`${name}: larger than --max-file-size ${formatSize(maxSize)}; raise --max-file-size to read it`);
    if (buf === undefined) throw new InputError(`${name}: object ${e.oid} is missing from the repository`);
    return { file: prefix ? name : displayPath(e.path), text: decode(buf, name) };
  });
}

export function readStaged(o: StagedOptions): StagedInputs {
  requireWorkTree('--staged');
  const exclude = new Set(o.exclude.map(norm));
  const yaml = (e: GitEntry) => isYamlName(e.path) && !SKIPPED.test(e.path) && !exclude.has(norm(e.path));
  const named = o.paths.filter((p) => p !== '.');
  const baselineRef = o.baseline ?? (hasHead() ? 'HEAD' : undefined);

  // Inputs. No paths: every staged file (added, copied, modified, renamed: index blob differs from
  // HEAD's). Named paths: their index version, staged or not (pre-commit run --all-files passes all).
  const { specs, keep } = pathspecsOf(o.paths.length ? o.paths : ['.']);
  let inputs = indexEntries(specs).filter((e) => yaml(e) && keep(e.path));
  let deleted: string[] = [];
  if (!named.length) {
    const head = hasHead() ? new Map(treeEntries('HEAD', specs).map((e) => [e.path, e])) : new Map<string, GitEntry>();
    const inIndex = new Set(inputs.map((e) => e.path));
    deleted = [...head.values()].filter((e) => yaml(e) && keep(e.path) && !inIndex.has(e.path)).map((e) => e.path);
    inputs = inputs.filter((e) => {
      const h = head.get(e.path);
      return !h || h.oid !== e.oid || h.mode !== e.mode;
    });
  }
  const texts = textsOf(inputs, '', o.maxFileSize);
  // A named file git does not track (pre-commit run --files new.yaml before `git add`): the working tree.
  const indexed = new Set(inputs.map((e) => norm(e.path)));
  for (const p of named) {
    if (hasGlobChars(p) || indexed.has(norm(p)) || exclude.has(norm(p))) continue;
    if (existsSync(p) && isYamlName(p) && indexEntries([p]).length === 0) texts.push(readTextFile(p, o.maxFileSize));
  }

  // Context: include paths from the index (a path git does not track at all: from the disk).
  const inputNames = new Set(texts.map((t) => norm(t.file)));
  const contextEntries: GitEntry[] = [];
  const extra: SourceText[] = [];
  for (const inc of o.include) {
    const found = indexEntries([inc]).filter((e) => isYamlName(e.path) && !SKIPPED.test(e.path));
    if (found.length) contextEntries.push(...found);
    else if (existsSync(inc)) extra.push(...readPath(inc, o.maxFileSize));
  }
  const seen = new Set<string>();
  const ctx = contextEntries.filter((e) => {
    const k = norm(e.path);
    if (inputNames.has(k) || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const context = [...textsOf(ctx, '', o.maxFileSize), ...extra.filter((t) => !inputNames.has(norm(t.file)) && !seen.has(norm(t.file)))];

  // Baseline: the same files (inputs and index context) at the baseline commit (new files are
  // skipped), plus what the include paths held there and files the commit deletes, so a pool
  // whose file is removed or renamed still counts as an old pool.
  let baseline: SourceText[] | undefined;
  if (baselineRef) {
    if (!isGitRef(baselineRef)) throw new InputError(`--baseline ${baselineRef}: not a commit in this repository`);
    const wanted = new Set([...inputs, ...ctx].map((e) => e.path).concat(deleted));
    const at = new Map<string, GitEntry>();
    if (wanted.size) for (const e of treeEntries(baselineRef, [...wanted])) if (wanted.has(e.path)) at.set(e.path, e);
    for (const inc of o.include) {
      if (!inc || hasGlobChars(inc)) continue;
      for (const e of treeEntries(baselineRef, [inc])) if (isYamlName(e.path) && !SKIPPED.test(e.path) && !exclude.has(norm(e.path))) at.set(e.path, e);
    }
    baseline = textsOf([...at.values()], `${baselineRef}:`, o.maxFileSize);
  }
  return { texts, context, baseline, baselineRef };
}
