// Old versions of manifests from git (`--baseline <ref>`, `plan --from <ref>`), read with
// `git ls-tree` / `git show` so nothing in the working tree changes.
import { execFileSync } from 'node:child_process';
import { InputError } from '../errors.js';
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
