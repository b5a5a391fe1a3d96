// A small Kubernetes REST client for the live commands: raw JSON over node:https with the TLS
// material and credentials of the resolved kubeconfig. Raw on purpose: lists of thousands of
// Services are parsed once with JSON.parse (no typed model deserialisation), paged with
// limit/continue, and errors read like kubectl's. Tokens and certificates never appear in
// messages. Watches are streamed the same way (`status -w`), so the CLI never loads client-node.
// Every request goes through one Transport (transport.ts): directly or through the proxy kubectl
// would use (the cluster's proxy-url, else HTTPS_PROXY/HTTP_PROXY and NO_PROXY), with the
// impersonation headers of --as/--as-group/--as-uid or the kubeconfig user's as/as-groups/….
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type tls from 'node:tls';
import { ExecCredentialCache, type ExecOptions } from './exec.js';
import type { ResolvedConfig, UserInfo } from './kubeconfig.js';
import { LiveError } from './errors.js';
import { impersonationHeaders } from './impersonate.js';
import { continueFromHead, HEAD_LIMIT } from './listHead.js';
import { bareHost, chooseProxy, portOf, redactProxy, type ProxyRoute } from './proxy.js';
import { RequestLog } from './requestLog.js';
import { makeTransport, type Transport } from './transport.js';
import { dialErrorText, ProxyError } from './tunnel.js';

export { LiveError };

export interface ClientOptions {
  /** --request-timeout in ms; 0 = none. */
  requestTimeoutMs?: number;
  /** Where API server `Warning:` headers and other notes go (deduplicated). */
  warn?: (text: string) => void;
  exec?: ExecOptions;
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read (process.env by default). */
  env?: NodeJS.ProcessEnv;
  /** kubectl's -v level for request logging (see RequestLog); 0 or unset: none. */
  verbosity?: number;
  /** Where request log lines go (stderr in the CLI). */
  log?: (line: string) => void;
}

interface ListPage {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items?: Record<string, unknown>[];
}

export interface ListResult {
  apiVersion: string;
  kind: string;
  resourceVersion?: string;
  items: Record<string, unknown>[];
  /** Pages fetched (for tests and -v). */
  pages: number;
  /** Times the list restarted after a 410 Gone on an expired continue token. */
  restarts: number;
}

/** Parses kubectl durations: `0`, `30`, `500ms`, `1s`, `2m`, `1h30m`. */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  let total = 0;
  let rest = t;
  const re = /^(\d+(?:\.\d+)?)(ms|s|m|h)/;
  if (!rest) throw new Error('empty duration');
  while (rest) {
    const m = re.exec(rest);
    if (!m) throw new Error(`invalid duration "${text}" (e.g. 0, 500ms, 10s, 2m, 1h)`);
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    rest = rest.slice(m[0].length);
  }
  return Math.round(total);
}

function hostPort(server: string): string {
  try {
    const u = new URL(server);
    return u.port ? `${u.hostname}:${u.port}` : `${u.hostname}:${u.protocol === 'https:' ? 443 : 80}`;
  } catch {
    return server;
  }
}

/** `Error from server (Forbidden): services is forbidden: ...`, as kubectl prints a Status. */
export function apiErrorMessage(status: number, body: string): { message: string; reason?: string } {
  let st: { kind?: string; reason?: string; message?: string; details?: { causes?: { message?: string }[] } } | undefined;
  try {
    st = JSON.parse(body);
  } catch {
    /* not a Status */
  }
  if (status === 401) return { message: 'You must be logged in to the server (Unauthorized)', reason: 'Unauthorized' };
  if (st && st.kind === 'Status' && st.message) {
    return { message: `Error from server${st.reason ? ` (${st.reason})` : ''}: ${st.message}`, reason: st.reason };
  }
  const text = http.STATUS_CODES[status] ?? 'Unknown';
  const reason = status === 404 ? 'NotFound' : status === 403 ? 'Forbidden' : status === 410 ? 'Expired' : status === 409 ? 'Conflict' : undefined;
  const snippet = body.trim().slice(0, 200);
  return { message: `Error from server${reason ? ` (${reason})` : ''}: ${status === 404 ? 'the server could not find the requested resource' : `${status} ${text}${snippet && !snippet.startsWith('<') ? `: ${snippet}` : ''}`}`, reason };
}

function connectionError(server: string, e: NodeJS.ErrnoException, proxy?: ProxyRoute): LiveError {
  // Failures on the way through the proxy name the proxy (kubectl would blame the API server for a
  // refused proxy connection: its "refused" message matches the text, not who refused).
  const via = proxy ? ` (proxy ${redactProxy(proxy.url)} from ${proxy.from})` : '';
  if (e instanceof ProxyError) return new LiveError(`Unable to connect to the server: ${e.message}${via}`);
  if (proxy && proxy.url.protocol !== 'socks5:' && new URL(server).protocol === 'http:' && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(e.code ?? '')) {
    // Plain HTTP through an http(s) proxy: the only connection made is to the proxy.
    return new LiveError(`Unable to connect to the server: proxyconnect tcp: ${dialErrorText(e, bareHost(proxy.url), portOf(proxy.url))}${via}`);
  }
  const hp = hostPort(server);
  if (e.code === 'ECONNREFUSED') return new LiveError(`The connection to the server ${hp} was refused - did you specify the right host or port?`);
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return new LiveError(`Unable to connect to the server: dial tcp: lookup ${new URL(server).hostname}: no such host`);
  if (e.code === 'ECONNRESET') return new LiveError(`Unable to connect to the server: connection reset by ${hp}`);
  if (/certificate|self.signed|CERT_|SSL|TLS/i.test(`${e.code ?? ''} ${e.message}`)) {
    const why = e.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || e.code === 'SELF_SIGNED_CERT_IN_CHAIN' || e.code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ? 'x509: certificate signed by unknown authority' : e.message;
    return new LiveError(`Unable to connect to the server: tls: failed to verify certificate: ${why}`);
  }
  return new LiveError(`Unable to connect to the server: ${e.message}`);
}

function b64(s: string | undefined): Buffer | undefined {
  return s ? Buffer.from(s, 'base64') : undefined;
}

/** Pages of a list asked for beyond the one being handled, at most. */
export const LIST_AHEAD = 2;

interface PageFetch {
  /** The continue token it was asked for with. */
  cont: string | undefined;
  /** Its own continue token, once it showed early (undefined: none, or not early). */
  token?: string;
  page: Promise<ListPage>;
  /** The page asked for with `token`. */
  next?: PageFetch;
}

/**
 * The pages of one pass of a list, asked for along the chain of continue tokens as each shows,
 * up to LIST_AHEAD pages beyond the one being handled.
 */
class PageChain {
  private last?: PageFetch;
  private asked = 0;
  private done = 0;
  private stopped = false;

  constructor(private readonly fetchPage: (cont: string | undefined) => { token: Promise<string | undefined>; page: Promise<ListPage> }) {}

  /** Asks for the page after `cont` (the first page: undefined) and follows its token. */
  start(cont: string | undefined): PageFetch {
    const { token, page } = this.fetchPage(cont);
    const f: PageFetch = { cont, page };
    this.asked++;
    this.last = f;
    void token.then((t) => {
      f.token = t;
      this.extend();
    });
    return f;
  }

  /** A page was handled: one more may be asked for. */
  handled(): void {
    this.done++;
    this.extend();
  }

  /** The page after `f`, whose continue token turned out to be `cont`. */
  after(f: PageFetch, cont: string): PageFetch {
    if (f.next && f.next.cont === cont) return f.next;
    // No early token (a custom resource list puts its metadata last), or not this one: ask now,
    // and drop what was asked for with the wrong one.
    f.next = this.start(cont);
    return f.next;
  }

  stop(): void {
    this.stopped = true;
  }

  private extend(): void {
    const f = this.last;
    if (this.stopped || !f || f.next || !f.token || this.asked - this.done > LIST_AHEAD) return;
    f.next = this.start(f.token);
  }
}

export class KubeClient {
  readonly server: URL;
  private transport: Transport;
  /** Transports replaced by one with a newer exec client certificate (closed with the client). */
  private readonly retired: Transport[] = [];
  private readonly tlsOptions: tls.ConnectionOptions;
  private readonly proxyRoute: ProxyRoute | undefined;
  /** The exec plugin's certificate the transport presents, if any. */
  private execCert: string | undefined;
  private readonly exec?: ExecCredentialCache;
  private readonly warned = new Set<string>();
  private authUser: UserInfo;
  /** -v request logging. */
  private readonly requestLog: RequestLog;
  requests = 0;

  constructor(
    readonly config: ResolvedConfig,
    readonly options: ClientOptions = {},
  ) {
    this.server = new URL(config.cluster.server);
    const u = config.user;
    if (u.authProvider && !u.token && !u.exec) {
      throw new LiveError(`user "${config.userName}" uses the ${u.authProvider} auth-provider, which kubectl removed in 1.26; switch the kubeconfig to an exec credential plugin (e.g. kubelogin)`, undefined, undefined, true);
    }
    this.authUser = u;
    if (u.exec) this.exec = new ExecCredentialCache(u.exec, config.cluster, options.exec);
    const c = config.cluster;
    const tlsOptions: tls.ConnectionOptions =
      this.server.protocol === 'https:'
        ? {
            ca: c.caData ? b64(c.caData) : c.caFile ? readFileSync(c.caFile) : undefined,
            cert: u.certData ? b64(u.certData) : u.certFile ? readFileSync(u.certFile) : undefined,
            key: u.keyData ? b64(u.keyData) : u.keyFile ? readFileSync(u.keyFile) : undefined,
            rejectUnauthorized: !c.insecureSkipTLSVerify,
            servername: c.tlsServerName,
          }
        : {};
    let proxy: ProxyRoute | undefined;
    try {
      proxy = chooseProxy(this.server, c.proxyUrl ? new URL(c.proxyUrl) : undefined, config.clusterName, options.env ?? process.env);
    } catch (e) {
      throw new LiveError(`Unable to connect to the server: ${(e as Error).message}`);
    }
    this.tlsOptions = tlsOptions;
    this.proxyRoute = proxy;
    this.transport = makeTransport(this.server, tlsOptions, proxy);
    this.requestLog = new RequestLog(options.verbosity ?? 0, options.log ?? (() => undefined));
  }

  /**
   * An exec plugin's client certificate (PEM in status.clientCertificateData/clientKeyData) takes
   * the place of the kubeconfig's, as in client-go: connections are made with it from now on.
   * Requests still running on the previous connections finish there.
   */
  private useExecCertificate(cert: string, key: string): void {
    if (this.server.protocol !== 'https:' || this.execCert === cert) return;
    this.execCert = cert;
    this.retired.push(this.transport);
    this.transport = makeTransport(this.server, { ...this.tlsOptions, cert, key }, this.proxyRoute);
  }

  /** The proxy requests go through (kubeconfig proxy-url or the environment's), if any. */
  get proxy(): ProxyRoute | undefined {
    return this.transport.proxy;
  }

  private async headers(refresh: boolean): Promise<Record<string, string | string[]>> {
    const h: Record<string, string | string[]> = { Accept: 'application/json', 'User-Agent': 'kubectl-lb (lbguard)' };
    const u = this.authUser;
    let token = u.token;
    if (!token && u.tokenFile) token = readFileSync(u.tokenFile, 'utf8').trim(); // re-read: projected tokens rotate
    if (this.exec) {
      const st = await this.exec.get(refresh);
      if (st.token) token = st.token;
      if (st.clientCertificateData && st.clientKeyData) this.useExecCertificate(st.clientCertificateData, st.clientKeyData);
    }
    if (token) h.Authorization = `Bearer ${token}`;
    else if (u.username !== undefined && u.password !== undefined) h.Authorization = `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;
    if (u.impersonate) Object.assign(h, impersonationHeaders(u.impersonate));
    return h;
  }

  private relayWarnings(res: http.IncomingMessage): void {
    const raw = res.headers.warning;
    if (!raw || !this.options.warn) return;
    for (const w of (Array.isArray(raw) ? raw : [raw]).flatMap((x) => x.split(/,(?=\s*\d{3} )/))) {
      const m = /^\s*\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/.exec(w);
      const text = m ? m[1].replace(/\\(.)/g, '$1') : w.trim();
      if (this.warned.has(text)) continue;
      this.warned.add(text);
      this.options.warn(`Warning: ${text}`);
    }
  }

  /** One request; resolves with the raw body of a 2xx answer, rejects with a LiveError otherwise. */
  request(method: string, path: string, query: Record<string, string | number | undefined> = {}, body?: { contentType: string; data: string }): Promise<string> {
    return this.send(method, path, query, { body });
  }

  /**
   * `request`, plus `o.onHead`: it sees a 2xx body's text as it arrives, until it returns true or
   * HEAD_LIMIT bytes have come.
   */
  private async send(
    method: string,
    path: string,
    query: Record<string, string | number | undefined>,
    o: { body?: { contentType: string; data: string }; retried?: boolean; onHead?: (text: string) => boolean },
  ): Promise<string> {
    const { body, retried = false } = o;
    const url = new URL(this.server.href.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const timeoutMs = this.options.requestTimeoutMs ?? 0;
    if (timeoutMs > 0) url.searchParams.set('timeout', `${Math.max(1, Math.ceil(timeoutMs / 1000))}s`);
    const headers = await this.headers(retried);
    if (body) headers['Content-Type'] = body.contentType;
    this.requests++;
    const log = this.requestLog;
    const started = log.enabled ? performance.now() : 0;
    log.sending(method, url, headers);
    const sent = new Promise<{ status: number; statusText?: string; text: string }>((resolve, reject) => {
      const req = this.transport.request(url, { method, headers }, (res) => {
        this.relayWarnings(res);
        const chunks: Buffer[] = [];
        let seen = 0;
        let peeking = !!o.onHead && (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
        res.on('data', (d: Buffer) => {
          chunks.push(d);
          if (!peeking) return;
          seen += d.length;
          peeking = !o.onHead!(Buffer.concat(chunks).toString('utf8')) && seen < HEAD_LIMIT;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => reject(connectionError(this.config.cluster.server, e, this.proxy)));
      });
      let timer: NodeJS.Timeout | undefined;
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          req.destroy(Object.assign(new Error('timeout'), { code: 'LBGUARD_TIMEOUT' }));
        }, timeoutMs);
      }
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'LBGUARD_TIMEOUT') {
          reject(new LiveError(`Unable to connect to the server: net/http: request canceled (Client.Timeout exceeded while awaiting headers): no answer from ${hostPort(this.config.cluster.server)} within --request-timeout=${timeoutMs}ms`));
        } else reject(connectionError(this.config.cluster.server, e, this.proxy));
      });
      req.on('close', () => timer && clearTimeout(timer));
      if (body) req.write(body.data);
      req.end();
    });
    let result: { status: number; statusText?: string; text: string };
    try {
      result = await sent;
    } catch (e) {
      if (log.enabled) log.failed(method, url, performance.now() - started, e as Error);
      throw e;
    }
    if (log.enabled) log.answered(method, url, result.status, result.statusText, performance.now() - started, result.text);
    if (result.status >= 200 && result.status < 300) return result.text;
    if (result.status === 401 && this.exec && !retried) return this.send(method, path, query, { ...o, retried: true }); // expired plugin token
    const { message, reason } = apiErrorMessage(result.status, result.text);
    throw new LiveError(message, result.status, reason, result.status === 401);
  }

  async getJSON<T = Record<string, unknown>>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    return JSON.parse(await this.request('GET', path, query)) as T;
  }

  /**
   * A paged list (limit/continue, kubectl's --chunk-size). An expired continue token (410 Gone,
   * reason Expired) restarts the list from scratch: a consistent snapshot, never a half one.
   * Each next page is asked for as soon as the previous page's token shows at the start of its
   * body (see listHead.ts), whether or not the pages before have been handled: the server prepares
   * pages along the chain of tokens while earlier ones are still arriving, being parsed and going
   * through `eachPage` (when given: it turns a page's items into what the list collects). At most
   * LIST_AHEAD pages wait beyond the one being handled.
   */
  async list(
    path: string,
    query: Record<string, string | number | undefined> = {},
    pageSize = 500,
    eachPage: (items: Record<string, unknown>[]) => Record<string, unknown>[] = (items) => items,
  ): Promise<ListResult> {
    let restarts = 0;
    for (;;) {
      const items: Record<string, unknown>[] = [];
      let cont: string | undefined;
      let pages = 0;
      // What the result takes from the first page (not the page: its items, managedFields and
      // all, would be held until the last page is in, and copied by every scavenge meanwhile).
      let head: { apiVersion?: string; kind?: string; resourceVersion?: string } = {};
      const chain = new PageChain((c) => this.page(path, query, pageSize, c));
      try {
        let fetch = chain.start(undefined);
        for (;;) {
          const page = await fetch.page;
          pages++;
          if (pages === 1) head = { apiVersion: page.apiVersion, kind: page.kind, resourceVersion: page.metadata?.resourceVersion };
          chain.handled();
          if (page.items) for (const it of eachPage(page.items)) items.push(it);
          cont = page.metadata?.continue || undefined;
          if (!cont) break;
          // The page asked for with this page's early token (checked, not assumed), else asked for now.
          fetch = chain.after(fetch, cont);
        }
      } catch (e) {
        if (e instanceof LiveError && e.status === 410 && cont !== undefined && restarts < 3) {
          restarts++;
          continue;
        }
        throw e;
      } finally {
        chain.stop();
      }
      return { apiVersion: head.apiVersion ?? 'v1', kind: head.kind ?? 'List', resourceVersion: head.resourceVersion, items, pages, restarts };
    }
  }

  /** One page of a list: `token` settles with the continue token as soon as it shows (else undefined), `page` with the parsed page. */
  private page(path: string, query: Record<string, string | number | undefined>, pageSize: number, cont: string | undefined): { token: Promise<string | undefined>; page: Promise<ListPage> } {
    let early: (token: string | undefined) => void = () => undefined;
    const token = new Promise<string | undefined>((resolve) => (early = resolve));
    const onHead = (text: string) => {
      const found = continueFromHead(text);
      if (found) early(found.token);
      return !!found;
    };
    const page = this.send('GET', path, { ...query, limit: pageSize > 0 ? pageSize : undefined, continue: cont }, { onHead: pageSize > 0 ? onHead : undefined }).then((text) => JSON.parse(text) as ListPage);
    page.then(
      () => early(undefined),
      () => early(undefined),
    );
    // A page asked for ahead may be dropped when the list fails or restarts: its failure is not an unhandled one.
    page.catch(() => undefined);
    return { token, page };
  }

  /**
   * A watch (`?watch=true`, as client-node's Watch asks): `onEvent` for each event line the server
   * streams, `onEnd` once when the server closes it (no argument) or it fails (the error). No
   * --request-timeout: a watch stays open until the server ends it. The promise settles when the
   * watch is up (or has failed); its value stops it, after which `onEnd` is not called.
   */
  async watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (type: string, object: Record<string, unknown>) => void,
    onEnd: (err?: Error) => void,
  ): Promise<() => void> {
    const url = new URL(this.server.href.replace(/\/$/, '') + path);
    url.searchParams.set('watch', 'true');
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers = await this.headers(false);
    this.requests++;
    let stopped = false;
    let ended = false;
    const end = (err?: Error) => {
      if (ended || stopped) return;
      ended = true;
      onEnd(err);
    };
    let up: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (up = resolve));
    const started = performance.now();
    this.requestLog.sending('GET', url, headers);
    const req = this.transport.request(url, { method: 'GET', headers }, (res) => {
      up();
      // A watch answers with its head, then streams: logged when the stream starts.
      this.requestLog.answered('GET', url, res.statusCode ?? 0, res.statusMessage, performance.now() - started);
      this.relayWarnings(res);
      res.setEncoding('utf8');
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        let body = '';
        res.on('data', (d: string) => (body += d));
        res.on('end', () => end(new LiveError(apiErrorMessage(status, body).message, status)));
        return;
      }
      // Dead connections are noticed (client-node sets the same keep-alive on its watch sockets).
      res.socket?.setKeepAlive(true, 30_000);
      let rest = '';
      res.on('data', (d: string) => {
        const lines = (rest + d).split('\n');
        rest = lines.pop()!;
        for (const line of lines) {
          if (!line.trim()) continue;
          let event: { type?: string; object?: Record<string, unknown> };
          try {
            event = JSON.parse(line);
          } catch {
            continue; // as client-node: a line that does not parse is skipped
          }
          if (event.type && event.object) onEvent(event.type, event.object);
        }
      });
      res.on('end', () => end());
      res.on('error', (e) => end(connectionError(this.config.cluster.server, e, this.proxy)));
      res.on('close', () => end());
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      end(connectionError(this.config.cluster.server, e, this.proxy));
      up();
    });
    req.end();
    await answered;
    return () => {
      stopped = true;
      req.destroy();
    };
  }

  close(): void {
    this.transport.destroy();
    for (const t of this.retired.splice(0)) t.destroy();
  }
}
