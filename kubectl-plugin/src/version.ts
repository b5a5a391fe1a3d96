// lbguard's version: injected by esbuild (scripts/build.mjs); package.json when run unbundled via tsx.
import { readFileSync } from 'node:fs';

declare const LBGUARD_VERSION: string;

function fromPackageJson(): string {
  try {
    const url = new URL('../../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0-dev';
  }
}

export const VERSION: string = typeof LBGUARD_VERSION === 'string' ? LBGUARD_VERSION : fromPackageJson();
export const INFORMATION_URI = 'https://github.com/lbguard/lbguard';
