// Errors the CLI turns into a message and an exit code (never a stack trace, unless LBGUARD_DEBUG=1).

export const EXIT_OK = 0;
/** Findings or problems at or above --fail-on (plan: something moves or is lost). */
export const EXIT_FINDINGS = 1;
/** Usage error, or input lbguard cannot read. */
export const EXIT_USAGE = 2;

/** A bad flag or argument. */
export class UsageError extends Error {}

/** Input that cannot be read: missing path, binary or oversized file, bad config. */
export class InputError extends Error {}
