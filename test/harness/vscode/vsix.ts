// Packages an extension folder into a .vsix with @vscode/vsce (the repo's devDependency).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { HARNESS_DIR } from './codeServer.js';

export const PROBE_EXTENSION_DIR = join(HARNESS_DIR, 'probe-extension');

function vsceCli(): string {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve('@vscode/vsce/package.json');
  const cli = join(dirname(pkgJson), 'vsce');
  if (!existsSync(cli)) throw new Error(`@vscode/vsce CLI not found at ${cli}`);
  return cli;
}

/** Runs `vsce package --no-dependencies` in `extensionDir`; returns the .vsix path. */
export function packageVsix(extensionDir: string, outFile: string): string {
  const out = resolve(outFile);
  mkdirSync(dirname(out), { recursive: true });
  const r = spawnSync(
    process.execPath,
    [vsceCli(), 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-update-package-json', '-o', out],
    { cwd: extensionDir, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } },
  );
  if (r.status !== 0 || !existsSync(out)) {
    throw new Error(`vsce package in ${extensionDir} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return out;
}
