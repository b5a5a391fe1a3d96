// Old versions of manifests from git (`--baseline <ref>`, `plan --from <ref>`), read with
// `git ls-tree` / `git show` so nothing in the working tree changes.
import { execFileSync } from 'node:child_process';
import { InputError, UsageError } from '../errors.js';
import { globBase, globToRegExp } from './glob.js';
import { decode, formatSize, isYamlName, type InputSpec, type SourceText } from './inputs.js';

function git(args: string[], maxBuffer: number): Buffer {
  return execFileSync('git', args, { maxBuffer, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Whether `ref` names a commit in the repository around the working directory. */
export function isGitRef(ref: string): boolean {
  if (ref.startsWith('-')) return false;
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], 1 << 20);
    return true;
  } catch {
    return false;
  }
}

/** YAML paths (relative to the working directory) under `path` at `ref`. */
function listAt(ref: string, path: string): string[] {
  try {
    const out = git(['ls-tree', '-r', '--name-only', ref, '--', path === '.' ? '.' : path], 64 << 20).toString('utf8');
    return out.split('\n').filter((l) => l && isYamlName(l) && !/(^|\/)(node_modules|\.git)\//.test(l));
  } catch (e) {
    throw new InputError(`git ls-tree ${ref} -- ${path} failed: ${stderrOf(e)}`);
  }
}

function stderrOf(e: unknown): string {
  const err = e as { stderr?: Buffer; message?: string };
  return (err.stderr?.toString('utf8').trim() || err.message || String(e)).split('\n')[0];
}

export function showAt(ref: string, path: string, maxSize: number): SourceText | undefined {
  const rel = path.startsWith('/') ? path : `./${path.replace(/^\.\//, '')}`;
  let buf: Buffer;
  try {
    buf = git(['show', `${ref}:${rel}`], maxSize + 1);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOBUFS') throw new InputError(`${ref}:${path}: larger than --max-file-size ${formatSize(maxSize)}`);
    return undefined; // the file is new since `ref`
  }
  const name = `${ref}:${path}`;
  return { file: name, text: decode(buf, name) };
}

/** The same inputs as they were at `ref` (files missing there are skipped: they are new). */
export function readAtRef(ref: string, specs: InputSpec[], maxSize: number): SourceText[] {
  const out: SourceText[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    if (seen.has(p)) return;
    seen.add(p);
    const t = showAt(ref, p, maxSize);
    if (t) out.push(t);
  };
  for (const s of specs) {
    if (s.kind === 'file') add(s.path);
    else if (s.kind === 'dir') listAt(ref, s.path).forEach(add);
    else if (s.kind === 'glob') {
      const re = globToRegExp(s.pattern.replace(/^\.\//, ''));
      listAt(ref, globBase(s.pattern)).filter((p) => re.test(p)).forEach(add);
    }
  }
  return out;
}

// ---- `lint --staged`: the index (what `git commit` will record) and HEAD, read with plumbing only.

/** A blob in the index or in a tree: its mode, object id and path relative to the working directory. */
export interface GitEntry {
  mode: string;
  oid: string;
  path: string;
}

function splitZ(buf: Buffer): string[] {
  return buf.toString('utf8').split('\0').filter(Boolean);
}

/** Index entries (stage 0) under the pathspecs; unmerged paths are an error. Paths are cwd-relative. */
export function indexEntries(pathspecs: string[]): GitEntry[] {
  let out: Buffer;
  try {
    out = git(['ls-files', '-z', '--stage', '--', ...pathspecs], 256 << 20);
  } catch (e) {
    throw new InputError(`git ls-files failed: ${stderrOf(e)}`);
  }
  const entries: GitEntry[] = [];
  for (const rec of splitZ(out)) {
    // "<mode> <oid> <stage>\t<path>"
    const tab = rec.indexOf('\t');
    const [mode, oid, stage] = rec.slice(0, tab).split(' ');
    const path = rec.slice(tab + 1);
    if (stage !== '0') throw new InputError(`${path}: unmerged in the index; resolve the conflict and stage the file first`);
    if (mode === '160000') continue; // a submodule
    entries.push({ mode, oid, path });
  }
  return entries;
}

/** Blob entries of `ref` under the pathspecs (cwd-relative paths); [] when the repository has no such commit. */
export function treeEntries(ref: string, pathspecs: string[]): GitEntry[] {
  let out: Buffer;
  try {
    out = git(['ls-tree', '-r', '-z', ref, '--', ...pathspecs], 256 << 20);
  } catch (e) {
    throw new InputError(`git ls-tree ${ref} failed: ${stderrOf(e)}`);
  }
  const entries: GitEntry[] = [];
  for (const rec of splitZ(out)) {
    // "<mode> <type> <oid>\t<path>"
    const tab = rec.indexOf('\t');
    const [mode, type, oid] = rec.slice(0, tab).split(' ');
    if (type === 'blob') entries.push({ mode, oid, path: rec.slice(tab + 1) });
  }
  return entries;
}

/** Blob contents by object id, with one `git cat-file --batch` for all of them (null: larger than maxSize). */
export function readBlobs(oids: string[], maxSize: number): Map<string, Buffer | null> {
  const unique = [...new Set(oids)];
  const blobs = new Map<string, Buffer | null>();
  if (!unique.length) return blobs;
  let out: Buffer;
  try {
    out = execFileSync('git', ['cat-file', '--batch'], { input: unique.join('\n') + '\n', maxBuffer: 2 ** 31 - 1, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    throw new InputError(`git cat-file --batch failed: ${stderrOf(e)}`);
  }
  let at = 0;
  while (at < out.length) {
    const nl = out.indexOf(10, at);
    const header = out.subarray(at, nl).toString('utf8');
    const [oid, type, size] = header.split(' ');
    if (type === 'missing') {
      at = nl + 1;
      continue;
    }
    const n = Number(size);
    blobs.set(oid, n <= maxSize ? out.subarray(nl + 1, nl + 1 + n) : null);
    at = nl + 1 + n + 1; // content and its trailing newline
  }
  return blobs;
}

/** Whether the repository around the working directory has a HEAD commit (false before the first commit). */
export function hasHead(): boolean {
  return isGitRef('HEAD');
}

/** Throws a clear error outside a git work tree. */
export function requireWorkTree(flag: string): void {
  try {
    if (git(['rev-parse', '--is-inside-work-tree'], 1 << 20).toString('utf8').trim() === 'true') return;
  } catch {
    /* fall through */
  }
  throw new UsageError(`${flag}: not inside a git work tree`);
}
