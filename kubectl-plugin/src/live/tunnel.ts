// A TCP stream to host:port through a proxy, as Go's net/http opens one for kubectl:
//  - http:// and https:// proxies: `CONNECT host:port` (TLS to an https proxy first, with the same
//    TLS settings as the API server's: Go's transport reuses its TLS config for the proxy), the
//    URL's userinfo as `Proxy-Authorization: Basic`; any answer but 200 fails;
//  - socks5:// proxies: RFC 1928 CONNECT by name (the proxy resolves it), RFC 1929
//    username/password from the URL's userinfo.
// Failures are ProxyErrors worded like Go's (`proxyconnect tcp: dial tcp 10.0.0.1:3128: connect:
// connection refused`); the client adds which proxy (never its password) and where it was set.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { bareHost, portOf } from './proxy.js';

export class ProxyError extends Error {
  readonly code = 'LBGUARD_PROXY';
}

/** How long the proxy may take to connect and answer before the tunnel fails (Go's dialer: 30 s). */
export const TUNNEL_TIMEOUT_MS = 30_000;

/** `host:port` as CONNECT and messages write it (IPv6 in brackets). */
export function joinHostPort(host: string, port: string | number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Go's wording of a socket error (`connect: connection refused`, `lookup x: no such host`). */
export function dialErrorText(e: NodeJS.ErrnoException, host: string, port: string): string {
  const addr = joinHostPort(host, port);
  switch (e.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${addr}: connect: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${host}: no such host`;
    case 'ETIMEDOUT':
    case 'LBGUARD_TIMEOUT':
      return `dial tcp ${addr}: i/o timeout`;
    case 'EHOSTUNREACH':
      return `dial tcp ${addr}: connect: no route to host`;
    case 'ENETUNREACH':
      return `dial tcp ${addr}: connect: network is unreachable`;
    case 'ECONNRESET':
      return `read tcp ${addr}: connection reset by peer`;
    default:
      return e.message;
  }
}

function basicAuth(proxy: URL): string | undefined {
  if (!proxy.username && !proxy.password) return undefined;
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

/** Opens a stream to host:port through `proxy`. `tlsOptions` are used for an https proxy. */
export function openTunnel(proxy: URL, host: string, port: number, tlsOptions: tls.ConnectionOptions = {}, timeoutMs = TUNNEL_TIMEOUT_MS): Promise<net.Socket> {
  return proxy.protocol === 'socks5:' ? socks5Connect(proxy, host, port, timeoutMs) : httpConnect(proxy, host, port, tlsOptions, timeoutMs);
}

function httpConnect(proxy: URL, host: string, port: number, tlsOptions: tls.ConnectionOptions, timeoutMs: number): Promise<net.Socket> {
  const target = joinHostPort(host, port);
  const proxyHost = bareHost(proxy);
  const proxyPort = portOf(proxy);
  const headers: Record<string, string> = { Host: target };
  const auth = basicAuth(proxy);
  if (auth) headers['Proxy-Authorization'] = auth;
  const secure = proxy.protocol === 'https:';
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(new ProxyError(message));
    };
    const options: https.RequestOptions = {
      host: proxyHost,
      port: Number(proxyPort),
      method: 'CONNECT',
      path: target,
      headers,
      agent: false,
      ...(secure ? { ...tlsOptions, servername: tlsOptions.servername ?? (net.isIP(proxyHost) ? undefined : proxyHost) } : {}),
    };
    const req = (secure ? https : http).request(options);
    const timer = setTimeout(() => fail(`proxyconnect tcp: ${dialErrorText({ code: 'LBGUARD_TIMEOUT' } as NodeJS.ErrnoException, proxyHost, proxyPort)}`), timeoutMs);
    req.on('connect', (res: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      clearTimeout(timer);
      if (res.statusCode !== 200) {
        socket.destroy();
        const status = `${res.statusCode} ${res.statusMessage || http.STATUS_CODES[res.statusCode ?? 0] || ''}`.trim();
        fail(`proxy refused CONNECT ${target}: ${status}${res.statusCode === 407 ? (auth ? ' (it rejected the credentials in the proxy URL)' : ' (the proxy URL has no credentials)') : ''}`);
        return;
      }
      settled = true;
      if (head.length) socket.unshift(head);
      resolve(socket);
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const tlsFailure = /certificate|self.signed|CERT_|SSL|TLS/i.test(`${e.code ?? ''} ${e.message}`);
      fail(`proxyconnect tcp: ${tlsFailure ? `tls: failed to verify certificate: ${e.message}` : dialErrorText(e, proxyHost, proxyPort)}`);
    });
    req.end();
  });
}

/** RFC 1928 reply codes, worded as Go's x/net/internal/socks. */
const SOCKS_REPLIES = ['succeeded', 'general SOCKS server failure', 'connection not allowed by ruleset', 'network unreachable', 'host unreachable', 'connection refused', 'TTL expired', 'command not supported', 'address type not supported'];

function socks5Connect(proxy: URL, host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  const proxyHost = bareHost(proxy);
  const proxyPort = portOf(proxy);
  const prefix = `socks connect tcp ${joinHostPort(proxyHost, proxyPort)}->${joinHostPort(host, port)}`;
  const user = proxy.username ? Buffer.from(decodeURIComponent(proxy.username)) : undefined;
  const pass = Buffer.from(decodeURIComponent(proxy.password));
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(proxyPort), proxyHost);
    let buffered = Buffer.alloc(0);
    let want: { n: number; then: (b: Buffer) => void } | undefined;
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(new ProxyError(`${prefix}: ${message}`));
    };
    socket.setTimeout(timeoutMs, () => fail(dialErrorText({ code: 'LBGUARD_TIMEOUT' } as NodeJS.ErrnoException, proxyHost, proxyPort)));
    const pump = () => {
      while (want && buffered.length >= want.n) {
        const w = want;
        want = undefined;
        const chunk = buffered.subarray(0, w.n);
        buffered = buffered.subarray(w.n);
        w.then(chunk);
      }
    };
    const read = (n: number, then: (b: Buffer) => void) => {
      want = { n, then };
      pump();
    };
    socket.on('data', (d: Buffer) => {
      buffered = Buffer.concat([buffered, d]);
      pump();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => fail(dialErrorText(e, proxyHost, proxyPort)));
    socket.on('close', () => fail('unexpected EOF'));

    const request = () => {
      const ip = net.isIP(host);
      const addr = ip === 4 ? Buffer.from([1, ...host.split('.').map(Number)]) : ip === 6 ? Buffer.concat([Buffer.from([4]), ipv6Bytes(host)]) : Buffer.concat([Buffer.from([3, Buffer.byteLength(host)]), Buffer.from(host)]);
      socket.write(Buffer.concat([Buffer.from([5, 1, 0]), addr, Buffer.from([port >> 8, port & 255])]));
      read(4, (head) => {
        if (head[0] !== 5) return fail(`unexpected protocol version ${head[0]}`);
        if (head[1] !== 0) return fail(`unknown error ${SOCKS_REPLIES[head[1]] ?? `code ${head[1]}`}`);
        const rest = (bound: number) =>
          read(bound + 2, () => {
            settled = true;
            socket.setTimeout(0);
            socket.removeAllListeners('data');
            socket.removeAllListeners('error');
            socket.removeAllListeners('close');
            if (buffered.length) socket.unshift(buffered);
            resolve(socket);
          });
        if (head[3] === 1) rest(4);
        else if (head[3] === 4) rest(16);
        else if (head[3] === 3) read(1, (len) => rest(len[0]));
        else fail(`unknown address type ${head[3]}`);
      });
    };

    socket.on('connect', () => {
      socket.write(Buffer.from(user ? [5, 2, 0, 2] : [5, 1, 0]));
      read(2, (choice) => {
        if (choice[0] !== 5) return fail(`unexpected protocol version ${choice[0]}`);
        if (choice[1] === 0) return request();
        if (choice[1] === 2 && user) {
          if (user.length > 255 || pass.length > 255) return fail('invalid username/password');
          socket.write(Buffer.concat([Buffer.from([1, user.length]), user, Buffer.from([pass.length]), pass]));
          return read(2, (ok) => (ok[1] === 0 ? request() : fail('username/password authentication failed')));
        }
        fail('no acceptable authentication methods');
      });
    });
  });
}

function ipv6Bytes(text: string): Buffer {
  // Expand "::" and an embedded IPv4 tail into eight 16-bit groups.
  let t = text;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(t);
  if (v4) t = `${t.slice(0, v4.index)}${((+v4[1] << 8) | +v4[2]).toString(16)}:${((+v4[3] << 8) | +v4[4]).toString(16)}`;
  const [head, tail] = t.split('::');
  const h = head ? head.split(':') : [];
  const tl = tail !== undefined && tail ? tail.split(':') : [];
  const groups = tail !== undefined ? [...h, ...Array(8 - h.length - tl.length).fill('0'), ...tl] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}
