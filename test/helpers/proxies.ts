// Real proxies for the tests, small enough to read: an HTTP CONNECT proxy (plain or TLS) that
// really tunnels bytes, and a SOCKS5 proxy (RFC 1928/1929). Both record what they were asked and
// can require credentials; `hosts` maps names only the proxy can resolve (so a request that
// reaches the server by such a name provably went through the proxy).
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

export interface TestProxy {
  /** e.g. http://127.0.0.1:PORT (no credentials). */
  url: string;
  port: number;
  /** CONNECT targets (host:port), in order. */
  connects: string[];
  /** Absolute-form requests forwarded (plain HTTP through the proxy). */
  forwards: string[];
  /** Proxy-Authorization (or SOCKS user:pass) seen with each attempt, undefined when none. */
  credentials: (string | undefined)[];
  /** Attempts refused for bad or missing credentials. */
  refused: number;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Required `user:password`; a missing or wrong Proxy-Authorization gets 407. */
  auth?: string;
  /** Names the proxy resolves itself, e.g. { 'kubernetes.default.svc': '127.0.0.1' }. */
  hosts?: Record<string, string>;
  /** Serve TLS (an https:// proxy). */
  tls?: { cert: Buffer; key: Buffer };
}

function splitTarget(target: string): { host: string; port: number } {
  const m = /^\[(.*)\]:(\d+)$/.exec(target) ?? /^([^:]*):(\d+)$/.exec(target);
  if (!m) throw new Error(`bad target ${target}`);
  return { host: m[1], port: Number(m[2]) };
}

function track(server: net.Server): () => Promise<void> {
  const open = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  return () =>
    new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    });
}

export async function startConnectProxy(o: ProxyOptions = {}): Promise<TestProxy> {
  const connects: string[] = [];
  const forwards: string[] = [];
  const credentials: (string | undefined)[] = [];
  const expected = o.auth ? `Basic ${Buffer.from(o.auth).toString('base64')}` : undefined;
  let refused = 0;
  const authorized = (req: http.IncomingMessage) => {
    const got = req.headers['proxy-authorization'];
    credentials.push(got ? Buffer.from(got.replace(/^Basic /, ''), 'base64').toString() : undefined);
    if (expected && got !== expected) {
      refused++;
      return false;
    }
    return true;
  };
  const server = o.tls ? https.createServer({ cert: o.tls.cert, key: o.tls.key }) : http.createServer();
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    connects.push(req.url ?? '');
    if (!authorized(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const { host, port } = splitTarget(req.url ?? '');
    const upstream = net.connect(port, o.hosts?.[host] ?? host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'));
    client.on('error', () => upstream.destroy());
  });
  // Plain HTTP through the proxy: absolute-form request lines, forwarded as is.
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    forwards.push(`${req.method} ${req.url}`);
    if (!authorized(req)) {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const url = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const up = http.request({ host: o.hosts?.[url.hostname] ?? url.hostname, port: url.port || 80, path: `${url.pathname}${url.search}`, method: req.method, headers }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  const close = track(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `${o.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    connects,
    forwards,
    credentials,
    get refused() {
      return refused;
    },
    close,
  };
}

export async function startSocks5Proxy(o: Omit<ProxyOptions, 'tls'> = {}): Promise<TestProxy> {
  const connects: string[] = [];
  const credentials: (string | undefined)[] = [];
  let refused = 0;
  const server = net.createServer((client) => {
    let buf = Buffer.alloc(0);
    let step: 'greeting' | 'auth' | 'request' | 'open' = 'greeting';
    let seen: string | undefined;
    client.on('error', () => undefined);
    client.on('data', function onData(d: Buffer) {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        if (step === 'greeting') {
          if (buf.length < 2 || buf.length < 2 + buf[1]) return;
          const methods = [...buf.subarray(2, 2 + buf[1])];
          buf = buf.subarray(2 + buf[1]);
          const method = o.auth ? 2 : 0;
          if (!methods.includes(method)) {
            credentials.push(undefined);
            refused++;
            client.end(Buffer.from([5, 0xff]));
            return;
          }
          client.write(Buffer.from([5, method]));
          step = o.auth ? 'auth' : 'request';
        } else if (step === 'auth') {
          if (buf.length < 2) return;
          const ulen = buf[1];
          if (buf.length < 3 + ulen || buf.length < 3 + ulen + buf[2 + ulen]) return;
          const plen = buf[2 + ulen];
          seen = `${buf.subarray(2, 2 + ulen)}:${buf.subarray(3 + ulen, 3 + ulen + plen)}`;
          buf = buf.subarray(3 + ulen + plen);
          credentials.push(seen);
          if (seen !== o.auth) {
            refused++;
            client.end(Buffer.from([1, 1]));
            return;
          }
          client.write(Buffer.from([1, 0]));
          step = 'request';
        } else if (step === 'request') {
          if (buf.length < 5) return;
          const atyp = buf[3];
          const len = atyp === 1 ? 4 : atyp === 4 ? 16 : 1 + buf[4];
          if (buf.length < 4 + len + 2) return;
          const raw = buf.subarray(4, 4 + len);
          const host = atyp === 1 ? [...raw].join('.') : atyp === 4 ? (raw.toString('hex').match(/.{4}/g) ?? []).join(':') : raw.subarray(1).toString();
          const port = buf.readUInt16BE(4 + len);
          const rest = buf.subarray(4 + len + 2);
          if (!o.auth) credentials.push(undefined);
          connects.push(`${atyp === 4 ? `[${host}]` : host}:${port}`);
          step = 'open';
          client.off('data', onData);
          const upstream = net.connect(port, o.hosts?.[host] ?? host, () => {
            client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, port >> 8, port & 255]));
            if (rest.length) upstream.write(rest);
            upstream.pipe(client);
            client.pipe(upstream);
          });
          upstream.on('error', () => client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])));
          return;
        } else return;
      }
    });
  });
  const close = track(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `socks5://127.0.0.1:${port}`,
    port,
    connects,
    forwards: [],
    credentials,
    get refused() {
      return refused;
    },
    close,
  };
}

/** The URL with credentials in it (percent-encoded as a URL needs). */
export function withAuth(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.href.replace(/\/$/, '');
}
