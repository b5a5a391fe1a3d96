// Text order as `a.localeCompare(b)` gives it (the default locale's collation), for names, rule ids
// and messages the views sort. The first `localeCompare` or `Intl.Collator` of a process loads
// ICU's collation data and builds the list of its locales: 10–15 ms of a `kubectl lb status`.
//
// When the host knows that the default locale collates as the root collation (an English or
// C/POSIX locale: `kubectl-plugin/src/textOrder.ts` decides from the environment), strings made
// only of tab, newline, vertical tab, form feed, carriage return and printable ASCII are compared
// here instead, with the Unicode Collation Algorithm's weights for those characters: every one has
// its own primary weight except a letter and its capital (no contractions or expansions among
// them), so the primary level is a character-by-character comparison of ranks (a prefix first),
// and the tertiary level puts lower case before upper case at the first such difference. Any
// other string goes to ICU, as without the fast path.

/** The characters of the fast path in the root collation's primary order; a letter stands for its capital too. */
const PRIMARY_ORDER = '\t\n\v\f\r _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz';

/** Primary rank of each character code below 128 (0: not on the fast path). */
const RANK = new Uint8Array(128);
for (let i = 0; i < PRIMARY_ORDER.length; i++) {
  const c = PRIMARY_ORDER.charCodeAt(i);
  RANK[c] = i + 1;
  if (c >= 0x61 && c <= 0x7a) RANK[c - 0x20] = i + 1;
}

let rootCollation = false;
let collator: Intl.Collator | undefined;

/**
 * Declares that the default locale collates as the root collation (see kubectl-plugin's
 * textOrder.ts): `compareText` then compares ASCII text itself.
 */
export function assumeRootCollation(yes = true): void {
  rootCollation = yes;
}

/**
 * Every character of a string has a rank (tab, newline, vertical tab, form feed, carriage return,
 * printable ASCII). A regular expression, not a loop: the test runs natively even while the
 * caller is still interpreted (a sort of thousands of names calls it twice per comparison).
 */
const RANKED = /^[\t-\r -~]*$/;

/**
 * Text of lower-case letters, digits, '-', '.' and '/' only (Kubernetes names, `namespace/name`
 * keys, rule ids): their ranks rise with their codes and none is another's capital, so the
 * root collation orders such text as plain `<` does, natively.
 */
const CODE_ORDERED = /^[-./0-9a-z]*$/;

/** The root collation's order of two ranked strings: -1, 0 or 1. */
export function compareRanked(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let tertiary = 0;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const d = RANK[x] - RANK[y];
    if (d !== 0) return d < 0 ? -1 : 1;
    // The same letter in another case: the first such difference decides if nothing else does,
    // lower case first (the capital has the smaller code).
    if (tertiary === 0) tertiary = x < y ? 1 : -1;
  }
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return tertiary;
}

/** `a.localeCompare(b)`'s sign (-1, 0 or 1), in the default locale. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if (rootCollation) {
    if (CODE_ORDERED.test(a) && CODE_ORDERED.test(b)) return a < b ? -1 : 1;
    if (RANKED.test(a) && RANKED.test(b)) return compareRanked(a, b);
  }
  // One collator for the process, as localeCompare keeps one: its set-up is the expensive part.
  return (collator ??= new Intl.Collator()).compare(a, b);
}
