// Colour: --color auto|always|never. auto = stdout is a TTY, TERM is not "dumb" and NO_COLOR is not
// set at all (kubectl's rule: any value, even empty, disables colour); FORCE_COLOR (not "0") forces it.
// An explicit --color=always wins over NO_COLOR.

import { stdoutIsTTY } from './io/stdout.js';

export type ColorMode = 'auto' | 'always' | 'never';

/** stdout's isTTY, asked only when needed (io/stdout.ts: without creating process.stdout for a pipe). */
const STDOUT = {
  get isTTY(): boolean {
    return stdoutIsTTY();
  },
};

export function colorEnabled(mode: ColorMode, stream: { isTTY?: boolean } = STDOUT, env = process.env): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  if ('NO_COLOR' in env) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.TERM === 'dumb') return false;
  return !!stream.isTTY;
}

export interface Palette {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  blue(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const id = (s: string) => s;

export function palette(enabled: boolean): Palette {
  if (!enabled) return { red: id, yellow: id, green: id, blue: id, cyan: id, dim: id, bold: id };
  return { red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39), blue: sgr(34, 39), cyan: sgr(36, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
}

/** Length of a string as shown (ANSI escapes excluded), for column alignment. */
export function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}
