// Impersonation as kubectl does it (client-go: clientcmd merges --as/--as-group/--as-uid over the
// kubeconfig user's as/as-groups/as-uid/as-user-extra; transport/round_trippers.go sets the headers).
// The API server checks the `impersonate` verb on users/groups/uids/userextras and answers 403
// (`users "x" is forbidden: User "y" cannot impersonate resource "users" …`) when it is missing.

export interface Impersonation {
  user: string;
  uid?: string;
  groups: string[];
  extra: Record<string, string[]>;
}

export interface ImpersonationFlags {
  /** --as */
  as?: string;
  /** --as-group, repeatable */
  asGroups?: string[];
  /** --as-uid */
  asUid?: string;
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x) => x !== null && x !== undefined).map(String) : [];
}

/**
 * The kubeconfig user's impersonation fields with the flags over them, as clientcmd merges
 * (mergo WithOverride: a flag that is set and non-empty replaces the field, --as-group replaces the
 * whole list). Undefined when nothing is impersonated; an error text (client-go's) when a uid,
 * groups or extra are asked for without a user.
 */
export function resolveImpersonation(user: Record<string, unknown>, flags: ImpersonationFlags, userName: string): Impersonation | undefined | { error: string } {
  const name = flags.as || (typeof user.as === 'string' ? user.as : '');
  const uid = flags.asUid || (typeof user['as-uid'] === 'string' ? user['as-uid'] : '');
  const groups = flags.asGroups?.length ? flags.asGroups : strings(user['as-groups']);
  const extraRaw = user['as-user-extra'];
  const extra: Record<string, string[]> = {};
  if (extraRaw && typeof extraRaw === 'object' && !Array.isArray(extraRaw)) {
    for (const [k, v] of Object.entries(extraRaw)) extra[k] = strings(v);
  }
  if (!name) {
    if (uid || groups.length || Object.keys(extra).length) return { error: `requesting uid, groups or user-extra for ${userName} without impersonating a user` };
    return undefined;
  }
  return { user: name, uid: uid || undefined, groups, extra };
}

/** RFC 7230 token characters: what may stay unescaped in a header name. */
const TOKEN = /^[!#$&'*+\-.^_`|~0-9A-Za-z]$/;

/** client-go's headerKeyEscape: every byte that is not a token character (and `%`) as %XX. */
export function headerKeyEscape(key: string): string {
  let out = '';
  for (const b of Buffer.from(key, 'utf8')) {
    const c = String.fromCharCode(b);
    out += TOKEN.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A header value as the bytes Go would send: UTF-8, written through Node's latin1 header encoding. */
function headerValue(v: string): string {
  return Buffer.from(v, 'utf8').toString('latin1');
}

/** Impersonate-User, -Uid, -Group (one line per group), -Extra-<key> (one line per value). */
export function impersonationHeaders(imp: Impersonation): Record<string, string | string[]> {
  const h: Record<string, string | string[]> = { 'Impersonate-User': headerValue(imp.user) };
  if (imp.uid) h['Impersonate-Uid'] = headerValue(imp.uid);
  if (imp.groups.length) h['Impersonate-Group'] = imp.groups.map(headerValue);
  for (const [k, vs] of Object.entries(imp.extra)) if (vs.length) h[`Impersonate-Extra-${headerKeyEscape(k)}`] = vs.map(headerValue);
  return h;
}

/** For messages and -v: who the requests are made as (never credentials). */
export function describeImpersonation(imp: Impersonation): string {
  return `${imp.user}${imp.uid ? ` (uid ${imp.uid})` : ''}${imp.groups.length ? ` in groups ${imp.groups.join(', ')}` : ''}`;
}
