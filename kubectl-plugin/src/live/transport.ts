// How the client's requests reach the API server: directly, or through the proxy kubectl would use
// (proxy.ts decides which; tunnel.ts opens the way through it). One keep-alive agent per client, so
// lists, watches, patches and discovery share connections and the proxy alike:
//  - https server: every connection is a tunnel (CONNECT or SOCKS5) and TLS to the API server runs
//    inside it with the cluster's CA, tls-server-name, insecure flag and client certificate,
//    unchanged;
//  - http server through an http(s) proxy: requests go to the proxy in absolute form (`GET
//    http://host/path`), as Go sends them; through socks5: a tunnel, plain HTTP inside.
import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { type ProxyRoute, bareHost, portOf } from './proxy.js';
import { openTunnel } from './tunnel.js';

const AGENT_OPTIONS = { keepAlive: true, maxSockets: 8 };

type ConnectionCallback = (err: Error | null, stream: Duplex) => void;

/**
 * An https agent whose connections share one TLS context (CA, client certificate and key, parsed
 * once), made from the first connection's options as tls.connect would make it for each; if that
 * fails, every connection goes on without it, so the error surfaces where it always did.
 */
class SharedContextAgent extends https.Agent {
  private context?: tls.SecureContext | null;

  override createConnection(options: https.RequestOptions, callback?: ConnectionCallback): Duplex | null | undefined {
    if (this.context === undefined && !(options as tls.ConnectionOptions).secureContext) {
      try {
        this.context = tls.createSecureContext(options as tls.SecureContextOptions);
      } catch {
        this.context = null;
      }
    }
    return super.createConnection(this.context ? ({ ...options, secureContext: this.context } as https.RequestOptions) : options, callback);
  }
}

/** An https agent whose connections are tunnels through the proxy; TLS to the server runs inside. */
class TunnelingHttpsAgent extends https.Agent {
  constructor(
    private readonly proxy: URL,
    private readonly tlsOptions: tls.ConnectionOptions,
  ) {
    super({ ...AGENT_OPTIONS, ...tlsOptions });
  }

  override createConnection(options: https.RequestOptions, callback?: ConnectionCallback): Duplex | null | undefined {
    openTunnel(this.proxy, String(options.host ?? 'localhost'), Number(options.port ?? 443), this.tlsOptions).then(
      (socket) => {
        let secure: Duplex | null | undefined;
        try {
          // https.Agent's own createConnection: tls.connect on the tunnel, with session reuse.
          secure = super.createConnection({ ...options, socket } as https.RequestOptions);
        } catch (e) {
          callback?.(e as Error, socket);
          return;
        }
        callback?.(null, secure!);
      },
      (e: Error) => callback?.(e, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/** An http agent whose connections are SOCKS5 tunnels (plain HTTP inside). */
class TunnelingHttpAgent extends http.Agent {
  constructor(private readonly proxy: URL) {
    super(AGENT_OPTIONS);
  }

  override createConnection(options: http.ClientRequestArgs, callback?: ConnectionCallback): Duplex | null | undefined {
    openTunnel(this.proxy, String(options.host ?? 'localhost'), Number(options.port ?? 80)).then(
      (socket: Socket) => callback?.(null, socket),
      (e: Error) => callback?.(e, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

export interface Transport {
  /** The proxy in use, if any. */
  readonly proxy?: ProxyRoute;
  request(url: URL, options: { method: string; headers: http.OutgoingHttpHeaders }, onResponse: (res: http.IncomingMessage) => void): http.ClientRequest;
  destroy(): void;
}

export function makeTransport(server: URL, tlsOptions: tls.ConnectionOptions, proxy: ProxyRoute | undefined): Transport {
  const secure = server.protocol === 'https:';
  if (!proxy) {
    const agent = secure ? new SharedContextAgent({ ...AGENT_OPTIONS, ...tlsOptions }) : new http.Agent(AGENT_OPTIONS);
    return {
      request: (url, o, cb) => (secure ? https : http).request(url, { ...o, agent }, cb),
      destroy: () => agent.destroy(),
    };
  }
  if (secure || proxy.url.protocol === 'socks5:') {
    const agent = secure ? new TunnelingHttpsAgent(proxy.url, tlsOptions) : new TunnelingHttpAgent(proxy.url);
    return {
      proxy,
      request: (url, o, cb) => (secure ? https : http).request(url, { ...o, agent }, cb),
      destroy: () => agent.destroy(),
    };
  }
  // Plain HTTP through an http(s) proxy: the proxy gets the absolute URL and the credentials.
  const viaTls = proxy.url.protocol === 'https:';
  const proxyHost = bareHost(proxy.url);
  // TLS to an https proxy: the server's TLS settings (as Go), named after the proxy unless tls-server-name says otherwise.
  const agent = viaTls ? new https.Agent({ ...AGENT_OPTIONS, ...tlsOptions, servername: tlsOptions.servername ?? (isIP(proxyHost) ? '' : proxyHost) }) : new http.Agent(AGENT_OPTIONS);
  const auth = proxy.url.username || proxy.url.password ? `Basic ${Buffer.from(`${decodeURIComponent(proxy.url.username)}:${decodeURIComponent(proxy.url.password)}`).toString('base64')}` : undefined;
  return {
    proxy,
    request: (url, o, cb) =>
      (viaTls ? https : http).request(
        {
          host: proxyHost,
          port: Number(portOf(proxy.url)),
          method: o.method,
          path: url.href,
          headers: { ...o.headers, Host: url.host, ...(auth ? { 'Proxy-Authorization': auth } : {}) },
          agent,
        },
        cb,
      ),
    destroy: () => agent.destroy(),
  };
}
