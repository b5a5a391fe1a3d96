// Which environments let compareText order ASCII text itself (textOrder.ts), checked against what
// a Node process started with that environment actually collates: where the answer is yes, its
// default collator orders a sample as the root collation does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { defaultLocaleCollatesAsRoot } from '../../kubectl-plugin/src/textOrder.js';

const SAMPLE = ['chz', 'cz', 'hz', 'aa', 'z', 'y', 'i', 'B', 'b', '_', '-', 'Z', 'a'];

function defaultOrder(env: Record<string, string>): string {
  const clean = { ...process.env };
  for (const k of ['LC_ALL', 'LC_MESSAGES', 'LANG']) delete clean[k];
  const r = spawnSync(process.execPath, ['-e', `process.stdout.write(${JSON.stringify(SAMPLE)}.sort(new Intl.Collator().compare).join(' '))`], { env: { ...clean, ...env }, encoding: 'utf8' });
  return r.stdout;
}

test('a root-like locale (C, POSIX, English, none) everywhere ICU looks, on Linux only, without --icu-locale', () => {
  for (const v of ['', 'C', 'POSIX', 'C.UTF-8', 'en', 'en_US.UTF-8', 'en_GB.UTF-8@euro', 'en_US_POSIX']) assert.equal(defaultLocaleCollatesAsRoot({ LANG: v }, 'linux', ''), true, v);
  for (const v of ['cs_CZ.UTF-8', 'da_DK', 'lt_LT.UTF-8', 'de_DE.UTF-8', 'english', 'EN_us']) assert.equal(defaultLocaleCollatesAsRoot({ LANG: v }, 'linux', ''), false, v);
  assert.equal(defaultLocaleCollatesAsRoot({ LANG: 'C.UTF-8', LC_ALL: 'lt_LT.UTF-8' }, 'linux', ''), false);
  assert.equal(defaultLocaleCollatesAsRoot({ LANG: 'C.UTF-8', LC_MESSAGES: 'et_EE.UTF-8' }, 'linux', ''), false);
  assert.equal(defaultLocaleCollatesAsRoot({ LANG: 'C.UTF-8' }, 'darwin', ''), false);
  assert.equal(defaultLocaleCollatesAsRoot({ LANG: 'C.UTF-8' }, 'linux', '--icu-locale=cs'), false);
});

test('where the answer is yes, a process with that environment collates the sample as the root collation', { skip: process.platform !== 'linux' }, () => {
  const root = [...SAMPLE].sort(new Intl.Collator('en').compare).join(' ');
  const envs: Record<string, string>[] = [{ LANG: 'C.UTF-8' }, { LANG: 'C' }, { LANG: 'en_GB.UTF-8' }, { LANG: '' }, { LC_ALL: 'POSIX', LANG: 'en_US.UTF-8' }];
  for (const env of envs) {
    assert.equal(defaultLocaleCollatesAsRoot(env, 'linux', ''), true);
    assert.equal(defaultOrder(env), root, JSON.stringify(env));
  }
  // And a locale that tailors ASCII (Czech: ch after h) is one where the answer is no.
  assert.notEqual(defaultOrder({ LANG: 'cs_CZ.UTF-8' }), root);
  assert.equal(defaultLocaleCollatesAsRoot({ LANG: 'cs_CZ.UTF-8' }, 'linux', ''), false);
});
