// Which proxy a request to the API server goes through, with kubectl's rules:
//  - the kubeconfig cluster's `proxy-url` (client-go's clientcmd: http, https or socks5; used for
//    every request to that cluster, NO_PROXY does not apply to it);
//  - else the environment, as Go's net/http reads it (golang.org/x/net/http/httpproxy):
//    HTTPS_PROXY/https_proxy for https servers, HTTP_PROXY/http_proxy for http servers (the upper-case
//    name wins when both are set and non-empty), except for localhost, loopback addresses and hosts
//    NO_PROXY/no_proxy matches.
// Pure (the environment is a parameter), so the rules are unit-tested without a network.
import { domainToASCII } from 'node:url';
import { cidrContains, parseCidr, type Cidr } from '../../../shared/src/address/cidr.js';
import { parseIP, sameIP, type IP } from '../../../shared/src/address/ip.js';

export interface ProxyRoute {
  url: URL;
  /** Where it was configured, for messages: `proxy-url of cluster "c"`, `HTTPS_PROXY`, … */
  from: string;
}

export const PROXY_SCHEMES = ['http:', 'https:', 'socks5:'];

/**
 * A kubeconfig `proxy-url`, validated as clientcmd does (validation.go, parseProxyURL); the error
 * text is client-go's, the caller prefixes `invalid configuration: `.
 */
export function parseProxyUrl(text: string, clusterName: string): URL | { error: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: `invalid 'proxy-url' ${JSON.stringify(text)} for cluster ${JSON.stringify(clusterName)}: could not parse: ${text}` };
  }
  if (!PROXY_SCHEMES.includes(url.protocol)) {
    return { error: `invalid 'proxy-url' ${JSON.stringify(text)} for cluster ${JSON.stringify(clusterName)}: unsupported scheme ${JSON.stringify(url.protocol.slice(0, -1))}, must be http, https, or socks5` };
  }
  return url;
}

/**
 * An environment proxy value as httpproxy's parseProxy reads it: a URL, or `host[:port]` taken as
 * http. Undefined when it does not parse (Go then ignores the variable: no proxy).
 */
export function parseEnvProxy(text: string): URL | undefined {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || !PROXY_SCHEMES.includes(url.protocol)) {
    try {
      return new URL(`http://${text}`);
    } catch {
      return url;
    }
  }
  return url;
}

function envAny(env: NodeJS.ProcessEnv, ...names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value) return { name, value };
  }
  return undefined;
}

/** Go's net.SplitHostPort, enough for NO_PROXY entries: undefined when there is no port part. */
function splitHostPort(text: string): { host: string; port: string } | undefined {
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0 || text[end + 1] !== ':') return undefined;
    return { host: text.slice(1, end), port: text.slice(end + 2) };
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0 || text.slice(0, colon).includes(':')) return undefined;
  return { host: text.slice(0, colon), port: text.slice(colon + 1) };
}

/** Internationalised names as the URL parser writes them (punycode); ASCII is left alone, as in Go. */
function asciiDomain(name: string): string {
  return /^[\x00-\x7f]*$/.test(name) ? name : domainToASCII(name) || name;
}

type NoProxyRule =
  | { kind: 'all' }
  | { kind: 'cidr'; cidr: Cidr }
  | { kind: 'ip'; ip: IP; port: string }
  | { kind: 'domain'; suffix: string; port: string; matchHost: boolean };

/** NO_PROXY entries as httpproxy's config.init reads them (unparseable entries are skipped). */
export function parseNoProxy(text: string): NoProxyRule[] {
  const rules: NoProxyRule[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return [{ kind: 'all' }];
    const cidr = parseCidr(entry);
    if (cidr) {
      rules.push({ kind: 'cidr', cidr: cidr.cidr });
      continue;
    }
    const split = splitHostPort(entry);
    if (split && !split.host) continue; // ":80": no host part
    let host = split?.host ?? entry;
    const port = split?.port ?? '';
    const ip = parseIP(host);
    if (ip) {
      rules.push({ kind: 'ip', ip, port });
      continue;
    }
    // foo.com matches foo.com and its subdomains; .foo.com and *.foo.com the subdomains only.
    if (host.startsWith('*.')) host = host.slice(1);
    const matchHost = !host.startsWith('.');
    const suffix = `.${asciiDomain(matchHost ? host : host.slice(1))}`;
    rules.push({ kind: 'domain', suffix, port, matchHost });
  }
  return rules;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'socks5:': '1080' };

/** The URL's host without IPv6 brackets, lower-cased (URL already makes IDNs ASCII). */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

export function portOf(url: URL): string {
  return url.port || DEFAULT_PORTS[url.protocol] || '';
}

function isLoopback(ip: IP): boolean {
  return ip.family === 'ipv4' ? ip.value >> 24n === 127n : ip.value === 1n;
}

/** httpproxy's useProxy: false for localhost, loopback addresses and hosts a NO_PROXY rule matches. */
export function useProxy(host: string, port: string, rules: NoProxyRule[]): boolean {
  if (host === 'localhost') return false;
  const ip = parseIP(host);
  if (ip && isLoopback(ip)) return false;
  for (const r of rules) {
    if (r.kind === 'all') return false;
    if (ip && r.kind === 'cidr' && cidrContains(r.cidr, ip)) return false;
    if (ip && r.kind === 'ip' && sameIP(r.ip, ip) && (!r.port || r.port === port)) return false;
    // Domain rules are tried on addresses too, as in Go (".2.2" matches 192.0.2.2).
    if (r.kind === 'domain' && (host.endsWith(r.suffix) || (r.matchHost && host === r.suffix.slice(1))) && (!r.port || r.port === port)) return false;
  }
  return true;
}

/** The environment's proxy for this server URL (net/http's ProxyFromEnvironment), if any. */
export function proxyFromEnvironment(server: URL, env: NodeJS.ProcessEnv): ProxyRoute | undefined {
  const https = server.protocol === 'https:';
  const set = https ? envAny(env, 'HTTPS_PROXY', 'https_proxy') : envAny(env, 'HTTP_PROXY', 'http_proxy');
  if (!set) return undefined;
  const url = parseEnvProxy(set.value);
  if (!url) return undefined;
  if (!https && env.REQUEST_METHOD) {
    // Go refuses HTTP_PROXY in a CGI environment, where a client could have set it (httpoxy).
    throw new Error('refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy');
  }
  const noProxy = envAny(env, 'NO_PROXY', 'no_proxy')?.value ?? '';
  if (!useProxy(bareHost(server), portOf(server), parseNoProxy(noProxy))) return undefined;
  return { url, from: set.name };
}

/** kubectl's choice: the cluster's proxy-url, else the environment's proxy for the server. */
export function chooseProxy(server: URL, proxyUrl: URL | undefined, clusterName: string, env: NodeJS.ProcessEnv): ProxyRoute | undefined {
  if (proxyUrl) return { url: proxyUrl, from: `proxy-url of cluster "${clusterName}"` };
  return proxyFromEnvironment(server, env);
}

/** The proxy URL for messages: the password replaced (Go's url.Redacted), never printed. */
export function redactProxy(url: URL): string {
  if (!url.password) return url.href.replace(/\/$/, '');
  const copy = new URL(url.href);
  copy.password = 'xxxxx';
  return copy.href.replace(/\/$/, '');
}
