// Whether this process's default locale collates text as the root collation does, so that the
// core's compareText may order ASCII names and messages itself instead of loading ICU's collation
// (shared/src/text/compareText.ts). ICU takes its default locale on Linux from LC_ALL, else
// LC_MESSAGES, else LANG (C and POSIX mean en-US, empty means the root locale); English locales
// and the root locale collate ASCII alike. Anything else — another language, another platform
// (locale from the system), an --icu-locale flag — keeps ICU: an unknown answer is "no".
import { assumeRootCollation } from '../../shared/src/text/compareText.js';

const ROOT_LIKE = /^(?:C|POSIX|en(?:[_-][A-Za-z0-9]+)*)?(?:\.[^@]*)?(?:@.*)?$/;

export function defaultLocaleCollatesAsRoot(env: NodeJS.ProcessEnv, platform: string, flags: string): boolean {
  if (platform !== 'linux' || /icu-locale/.test(flags)) return false;
  // Every variable ICU may read must name a root-like locale (whichever of them it picks).
  return ['LC_ALL', 'LC_MESSAGES', 'LANG'].every((name) => ROOT_LIKE.test(env[name] ?? ''));
}

/** Lets the core compare ASCII text itself when this process's default locale allows it. */
export function useFastTextOrder(): void {
  if (defaultLocaleCollatesAsRoot(process.env, process.platform, `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`)) assumeRootCollation();
}
