// Reading manifests from the file system: files, directories (recursive *.yaml/*.yml, skipping
// node_modules and .git), globs and stdin, with a size limit and a binary-file check so bad input
// gives a clear message instead of a hang or a stack trace.
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { InputError } from '../errors.js';
import { globBase, globToRegExp, hasGlobChars } from './glob.js';

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;
export const STDIN_NAME = '<stdin>';
const SKIP_DIRS = new Set(['node_modules', '.git']);

export interface SourceText {
  /** Display name: relative to the working directory, forward slashes. */
  file: string;
  text: string;
}

export type InputSpec = { kind: 'stdin' } | { kind: 'file'; path: string } | { kind: 'dir'; path: string } | { kind: 'glob'; pattern: string };

export function isYamlName(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

export function displayPath(p: string, cwd = process.cwd()): string {
  const rel = relative(cwd, p) || '.';
  const shown = rel.startsWith('..') && !p.startsWith('.') ? p : rel;
  return shown.split(sep).join('/');
}

function statOrUndefined(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/** Classifies each argument; a named path that does not exist (and is no glob) is an error. */
export function classify(args: string[]): InputSpec[] {
  return args.map((a) => {
    if (a === '-') return { kind: 'stdin' } as const;
    const st = statOrUndefined(a);
    if (st?.isDirectory()) return { kind: 'dir', path: a } as const;
    if (st) return { kind: 'file', path: a } as const;
    if (hasGlobChars(a)) return { kind: 'glob', pattern: a } as const;
    throw new InputError(`${a}: no such file or directory`);
  });
}

/** Every YAML file below a directory, sorted, skipping node_modules and .git. */
export function walkYaml(dir: string, filter: (rel: string) => boolean = isYamlName, base = dir): string[] {
  const out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new InputError(`${displayPath(dir)}: cannot read directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) out.push(...walkYaml(full, filter, base));
    } else if ((e.isFile() || e.isSymbolicLink()) && filter(relative(base, full).split(sep).join('/'))) out.push(full);
  }
  return out;
}

export function expandGlob(pattern: string): string[] {
  const base = globBase(pattern);
  const re = globToRegExp(pattern);
  if (!statOrUndefined(base)?.isDirectory()) return [];
  const prefix = base === '.' && !pattern.startsWith('./') ? '' : base.endsWith('/') ? base : `${base}/`;
  return walkYaml(base, (rel) => re.test(prefix + rel));
}

/** The file paths an input spec names (stdin excluded). */
export function filesOf(spec: InputSpec): string[] {
  switch (spec.kind) {
    case 'file':
      return [spec.path];
    case 'dir':
      return walkYaml(spec.path);
    case 'glob':
      return expandGlob(spec.pattern);
    default:
      return [];
  }
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${bytes} bytes`;
}

/** Decodes a file's bytes as YAML text, refusing binary content. */
export function decode(buf: Buffer, name: string): string {
  const nul = buf.indexOf(0);
  if (nul >= 0) throw new InputError(`${name}: binary file (NUL byte at offset ${nul}), not YAML; remove it from the inputs`);
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function readTextFile(path: string, maxSize: number, name = displayPath(path)): SourceText {
  const st = statOrUndefined(path);
  if (!st) throw new InputError(`${name}: no such file or directory`);
  if (st.isDirectory()) throw new InputError(`${name}: is a directory, expected a file`);
  if (st.size > maxSize) {
    throw new InputError(`${name}: file is ${formatSize(st.size)}, larger than --max-file-size ${formatSize(maxSize)}; raise --max-file-size to read it`);
  }
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new InputError(`${name}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (buf.length > maxSize) throw new InputError(`${name}: file is larger than --max-file-size ${formatSize(maxSize)}`);
  return { file: name, text: decode(buf, name) };
}

export function readStdin(maxSize: number): SourceText {
  const chunks: Buffer[] = [];
  const chunk = Buffer.alloc(1 << 16);
  let total = 0;
  let fd = 0;
  let opened = false;
  try {
    fd = openSync('/dev/stdin', 'r');
    opened = true;
  } catch {
    fd = 0;
  }
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;
        if (code === 'EOF') break;
        throw new InputError(`${STDIN_NAME}: cannot read (${code ?? (e as Error).message})`);
      }
      if (n === 0) break;
      total += n;
      if (total > maxSize) throw new InputError(`${STDIN_NAME}: input is larger than --max-file-size ${formatSize(maxSize)}; raise --max-file-size to read it`);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
  } finally {
    if (opened) closeSync(fd);
  }
  return { file: STDIN_NAME, text: decode(Buffer.concat(chunks), STDIN_NAME) };
}

/** Reads every input; stdin at most once. Duplicate paths are read once. */
export function readInputs(specs: InputSpec[], maxSize: number): SourceText[] {
  const out: SourceText[] = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    if (spec.kind === 'stdin') {
      if (seen.has(STDIN_NAME)) continue;
      seen.add(STDIN_NAME);
      out.push(readStdin(maxSize));
      continue;
    }
    for (const p of filesOf(spec)) {
      const name = displayPath(p);
      if (seen.has(name)) continue;
      seen.add(name);
      out.push(readTextFile(p, maxSize, name));
    }
  }
  return out;
}

/** Reads a path that may be a file or a directory (state files, baselines, plan sides). */
export function readPath(path: string, maxSize: number): SourceText[] {
  if (path === '-') return [readStdin(maxSize)];
  const st = statOrUndefined(path);
  if (!st) throw new InputError(`${path}: no such file or directory`);
  return readInputs([st.isDirectory() ? { kind: 'dir', path } : { kind: 'file', path }], maxSize);
}
