// Kubeconfig loading with kubectl's rules (client-go tools/clientcmd/loader.go), not client-node's:
//  - --kubeconfig: that file only; it must exist; no merging.
//  - else KUBECONFIG: a path-delimiter list; empty entries and missing files are skipped (an error
//    only when every file is missing); the first file to set current-context wins; a cluster, user
//    or context defined in several files keeps its first definition whole.
//  - else ~/.kube/config; else in-cluster (service-account token + CA + KUBERNETES_SERVICE_HOST);
//    else "invalid configuration: no configuration has been provided".
//  - relative paths (certificate-authority, client-certificate, client-key, tokenFile, exec command
//    with a separator) resolve against the directory of the file that defines them.
//  - overrides after merging: --context, then --cluster / --user / --namespace, and --as /
//    --as-group / --as-uid over the user's as / as-groups / as-uid (impersonate.ts).
//  - a cluster's proxy-url is validated here (http, https or socks5); proxy.ts applies it.
// Pure apart from the small FsLike seam, so the rules are unit-tested without touching the disk.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { fastParseDocument } from '../../../shared/src/manifest/fastParse.js';
import { LiveError } from './errors.js';
import { resolveImpersonation, type Impersonation, type ImpersonationFlags } from './impersonate.js';
import { parseProxyUrl } from './proxy.js';

export interface KubeconfigFlags extends ImpersonationFlags {
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
}

export interface FsLike {
  exists(path: string): boolean;
  read(path: string): string;
}

export const nodeFs: FsLike = { exists: (p) => existsSync(p), read: (p) => readFileSync(p, 'utf8') };

export interface ExecConfig {
  apiVersion: string;
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  interactiveMode?: 'Never' | 'IfAvailable' | 'Always';
  provideClusterInfo: boolean;
  installHint?: string;
}

export interface ClusterInfo {
  server: string;
  caFile?: string;
  /** Base64, as in the kubeconfig. */
  caData?: string;
  insecureSkipTLSVerify: boolean;
  tlsServerName?: string;
  /** The cluster's proxy-url, as written (validated: http, https or socks5). */
  proxyUrl?: string;
}

export interface UserInfo {
  token?: string;
  tokenFile?: string;
  certFile?: string;
  certData?: string;
  keyFile?: string;
  keyData?: string;
  username?: string;
  password?: string;
  exec?: ExecConfig;
  /** auth-provider name (gcp, oidc, azure): not supported, reported as such. */
  authProvider?: string;
  /** Who to act as (the user's as/as-groups/as-uid/as-user-extra, overridden by --as/--as-group/--as-uid). */
  impersonate?: Impersonation;
}

export interface ResolvedConfig {
  source: 'kubeconfig' | 'in-cluster';
  /** Files that were read, in precedence order (first wins). */
  files: string[];
  contextName?: string;
  clusterName: string;
  userName: string;
  cluster: ClusterInfo;
  user: UserInfo;
  /** -n, else the context's namespace, else default (in-cluster: the service account's namespace). */
  namespace: string;
  /** Where the namespace came from. */
  namespaceFrom: 'flag' | 'context' | 'default';
  /** Non-fatal notes (e.g. files in KUBECONFIG that do not exist). */
  warnings: string[];
}

export class KubeconfigError extends LiveError {
  constructor(message: string) {
    super(message, undefined, undefined, true);
  }
}

interface Named<T> {
  name: string;
  value: T;
  /** Directory of the file the entry came from, for relative paths. */
  dir: string;
}

interface Merged {
  files: string[];
  currentContext?: string;
  clusters: Map<string, Named<Record<string, unknown>>>;
  users: Map<string, Named<Record<string, unknown>>>;
  contexts: Map<string, Named<Record<string, unknown>>>;
}

function asObj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Parses one kubeconfig file; unparseable files are errors (as in kubectl). */
export function parseKubeconfigText(text: string, file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    // The fast reader first (the same value as yaml's, or it declines): a kubeconfig is plain
    // block YAML, and yaml's parser costs a live command ~7 ms of its start-up.
    const fast = fastParseDocument(text);
    doc = fast ? fast.value : parseYaml(text, { version: '1.1' });
  } catch (e) {
    throw new KubeconfigError(`error loading config file "${file}": ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new KubeconfigError(`error loading config file "${file}": not a kubeconfig (expected a mapping)`);
  return doc as Record<string, unknown>;
}

/** Merges kubeconfig files, first file wins for every map key and for current-context. */
export function mergeKubeconfigs(files: { path: string; text: string }[]): Merged {
  const merged: Merged = { files: [], clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const f of files) {
    const doc = parseKubeconfigText(f.text, f.path);
    merged.files.push(f.path);
    const dir = dirname(resolve(f.path));
    if (merged.currentContext === undefined && str(doc['current-context'])) merged.currentContext = str(doc['current-context']);
    for (const [key, field, map] of [
      ['clusters', 'cluster', merged.clusters],
      ['users', 'user', merged.users],
      ['contexts', 'context', merged.contexts],
    ] as const) {
      const list = doc[key];
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) throw new KubeconfigError(`error loading config file "${f.path}": ${key} is not a list`);
      for (const entry of list) {
        const e = asObj(entry);
        const name = str(e.name);
        if (!name || map.has(name)) continue; // first definition wins, whole
        map.set(name, { name, value: asObj(e[field]), dir });
      }
    }
  }
  return merged;
}

function resolvePath(p: string | undefined, dir: string): string | undefined {
  if (!p) return undefined;
  if (p.startsWith('~/')) return join(homedir(), p.slice(2));
  return isAbsolute(p) ? p : join(dir, p);
}

function readExec(raw: Record<string, unknown>, dir: string, userName: string): ExecConfig {
  const command = str(raw.command);
  if (!command) throw new KubeconfigError(`invalid configuration: user "${userName}": exec: command is required`);
  const apiVersion = str(raw.apiVersion) ?? '';
  const mode = str(raw.interactiveMode);
  if (mode !== undefined && !['Never', 'IfAvailable', 'Always'].includes(mode)) {
    throw new KubeconfigError(`invalid configuration: user "${userName}": exec: invalid interactiveMode: ${mode} (Never, IfAvailable or Always)`);
  }
  if (apiVersion === 'client.authentication.k8s.io/v1' && mode === undefined) {
    throw new KubeconfigError(`invalid configuration: user "${userName}": exec: interactiveMode must be specified for ${apiVersion} to use exec authentication plugin`);
  }
  const env = Array.isArray(raw.env) ? raw.env.map(asObj).filter((e) => str(e.name)).map((e) => ({ name: String(e.name), value: typeof e.value === 'string' ? e.value : String(e.value ?? '') })) : [];
  return {
    apiVersion,
    // A bare name is looked up in PATH; a relative path with a separator is relative to the kubeconfig.
    command: command.includes('/') && !isAbsolute(command) ? join(dir, command) : command,
    args: Array.isArray(raw.args) ? raw.args.map(String) : [],
    env,
    interactiveMode: (mode as ExecConfig['interactiveMode']) ?? 'IfAvailable',
    provideClusterInfo: raw.provideClusterInfo === true,
    installHint: str(raw.installHint),
  };
}

function impersonationOrThrow(rawUser: Record<string, unknown>, flags: ImpersonationFlags, userName: string): Impersonation | undefined {
  const r = resolveImpersonation(rawUser, flags, userName);
  if (r && 'error' in r) throw new KubeconfigError(`invalid configuration: ${r.error}`);
  return r;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  fs?: FsLike;
  home?: string;
  /** Where the in-cluster service-account files live. */
  serviceAccountDir?: string;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The files kubectl would read, in order; `explicit` when --kubeconfig was given. */
export function kubeconfigFiles(flags: KubeconfigFlags, o: LoadOptions = {}): { files: string[]; missing: string[]; explicit: boolean } {
  const fs = o.fs ?? nodeFs;
  const env = o.env ?? process.env;
  if (flags.kubeconfig !== undefined) {
    if (!fs.exists(flags.kubeconfig)) throw new KubeconfigError(`stat ${flags.kubeconfig}: no such file or directory`);
    return { files: [flags.kubeconfig], missing: [], explicit: true };
  }
  if (env.KUBECONFIG !== undefined && env.KUBECONFIG !== '') {
    const seen = new Set<string>();
    const files: string[] = [];
    const missing: string[] = [];
    for (const p of env.KUBECONFIG.split(delimiter)) {
      if (!p || seen.has(p)) continue;
      seen.add(p);
      (fs.exists(p) ? files : missing).push(p);
    }
    return { files, missing, explicit: false };
  }
  const def = join(o.home ?? env.HOME ?? homedir(), '.kube', 'config');
  return fs.exists(def) ? { files: [def], missing: [], explicit: false } : { files: [], missing: [def], explicit: false };
}

/** In-cluster config (rest.InClusterConfig): KUBERNETES_SERVICE_HOST/PORT + the service account's token and CA. */
export function inClusterConfig(flags: KubeconfigFlags, o: LoadOptions = {}): ResolvedConfig | undefined {
  const fs = o.fs ?? nodeFs;
  const env = o.env ?? process.env;
  const dir = o.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port || !fs.exists(join(dir, 'token'))) return undefined;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const nsFile = join(dir, 'namespace');
  const saNamespace = fs.exists(nsFile) ? fs.read(nsFile).trim() : '';
  return {
    source: 'in-cluster',
    files: [],
    clusterName: 'in-cluster',
    userName: 'in-cluster',
    cluster: { server: `https://${hostPart}:${port}`, caFile: fs.exists(join(dir, 'ca.crt')) ? join(dir, 'ca.crt') : undefined, insecureSkipTLSVerify: false },
    // client-go's in-cluster loader drops --as/--as-group/--as-uid (kubernetes#116640 was not
    // merged); lbguard applies them rather than silently reading as the service account.
    user: { tokenFile: join(dir, 'token'), impersonate: impersonationOrThrow({}, flags, 'in-cluster') },
    namespace: flags.namespace ?? (saNamespace || 'default'),
    namespaceFrom: flags.namespace ? 'flag' : 'context',
    warnings: [],
  };
}

/** kubectl's loading and override rules, ending in one cluster + user + namespace. */
export function resolveKubeconfig(flags: KubeconfigFlags, o: LoadOptions = {}): ResolvedConfig {
  const fs = o.fs ?? nodeFs;
  const { files, missing, explicit } = kubeconfigFiles(flags, o);
  const warnings: string[] = [];
  if (!files.length) {
    const inCluster = inClusterConfig(flags, o);
    if (inCluster) return inCluster;
    if (missing.length && (o.env ?? process.env).KUBECONFIG) warnings.push(`Config not found: ${missing.join(', ')}`);
    throw new KubeconfigError(`invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable${missing.length ? ` (looked for ${missing.join(delimiter)})` : ''}`);
  }
  void explicit;
  const merged = mergeKubeconfigs(files.map((path) => ({ path, text: fs.read(path) })));
  const contextName = flags.context ?? merged.currentContext;
  let ctx: Record<string, unknown> = {};
  if (flags.context !== undefined) {
    const c = merged.contexts.get(flags.context);
    if (!c) throw new KubeconfigError(`context was not found for specified context: ${flags.context}`);
    ctx = c.value;
  } else if (contextName) {
    const c = merged.contexts.get(contextName);
    if (c) ctx = c.value;
    else if (!flags.cluster) throw new KubeconfigError(`invalid configuration: context was not found for specified context: ${contextName}`);
  } else if (!flags.cluster) {
    throw new KubeconfigError(`invalid configuration: current-context is not set in ${files.join(delimiter)}; pass --context (contexts: ${[...merged.contexts.keys()].join(', ') || 'none'})`);
  }
  const clusterName = flags.cluster ?? str(ctx.cluster) ?? '';
  const userName = flags.user ?? str(ctx.user) ?? '';
  const cl = merged.clusters.get(clusterName);
  if (!cl) throw new KubeconfigError(`invalid configuration: ${clusterName ? `cluster "${clusterName}" was not found` : 'no cluster'} for context "${contextName ?? ''}" (clusters: ${[...merged.clusters.keys()].join(', ') || 'none'})`);
  const server = str(cl.value.server);
  if (!server) throw new KubeconfigError(`invalid configuration: cluster "${clusterName}" has no server defined`);
  const proxyUrl = str(cl.value['proxy-url']);
  if (proxyUrl !== undefined) {
    const parsed = parseProxyUrl(proxyUrl, clusterName);
    if ('error' in parsed) throw new KubeconfigError(`invalid configuration: ${parsed.error}`);
  }
  const cluster: ClusterInfo = {
    server: server.replace(/\/+$/, ''),
    caFile: resolvePath(str(cl.value['certificate-authority']), cl.dir),
    caData: str(cl.value['certificate-authority-data']),
    insecureSkipTLSVerify: cl.value['insecure-skip-tls-verify'] === true,
    tlsServerName: str(cl.value['tls-server-name']),
    proxyUrl,
  };
  let user: UserInfo = {};
  const rawUser = userName ? merged.users.get(userName)?.value ?? {} : {};
  if (userName) {
    const u = merged.users.get(userName);
    if (!u) {
      if (flags.user !== undefined) throw new KubeconfigError(`invalid configuration: user "${userName}" was not found (users: ${[...merged.users.keys()].join(', ') || 'none'})`);
    } else {
      const v = u.value;
      user = {
        token: str(v.token),
        tokenFile: resolvePath(str(v.tokenFile), u.dir),
        certFile: resolvePath(str(v['client-certificate']), u.dir),
        certData: str(v['client-certificate-data']),
        keyFile: resolvePath(str(v['client-key']), u.dir),
        keyData: str(v['client-key-data']),
        username: str(v.username),
        password: str(v.password),
        exec: v.exec ? readExec(asObj(v.exec), u.dir, userName) : undefined,
        authProvider: str(asObj(v['auth-provider']).name),
      };
    }
  }
  const impersonate = impersonationOrThrow(rawUser, flags, userName);
  if (impersonate) user.impersonate = impersonate;
  const ctxNs = str(ctx.namespace);
  const namespace = flags.namespace ?? ctxNs ?? 'default';
  return {
    source: 'kubeconfig',
    files,
    contextName,
    clusterName,
    userName,
    cluster,
    user,
    namespace,
    namespaceFrom: flags.namespace ? 'flag' : ctxNs ? 'context' : 'default',
    warnings,
  };
}
