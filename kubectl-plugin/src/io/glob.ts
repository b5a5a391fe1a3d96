// A small glob matcher (Node 20 has no fs.globSync): `*`, `?`, `**`, `[...]`, `{a,b}`.
// Paths are matched with forward slashes, relative to where the walk starts.

export function hasGlobChars(s: string): boolean {
  return /[*?[\]{}]/.test(s);
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  let i = 0;
  let braces = 0;
  while (i < glob.length) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more directories; a trailing `**` matches everything below.
        if (glob[i + 2] === '/') {
          re += '(?:[^/]*/)*';
          i += 3;
        } else {
          re += '.*';
          i += 2;
        }
        continue;
      }
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let cls = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += `[${cls}]`;
        i = end;
      }
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else re += c.replace(/[.+^$()|\\/]/g, (m) => (m === '/' ? '/' : `\\${m}`));
    i++;
  }
  return new RegExp(`^${re}$`);
}

/** The directory part of a glob before its first segment with a wildcard (`.` when none). */
export function globBase(glob: string): string {
  const parts = glob.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (hasGlobChars(p)) break;
    out.push(p);
  }
  if (out.length === parts.length) out.pop();
  const base = out.join('/');
  return base === '' ? (glob.startsWith('/') ? '/' : '.') : base;
}
