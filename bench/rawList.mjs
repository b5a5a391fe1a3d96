// The yardstick of `npm run bench:live`: the objects `kubectl lb status` lists (Services,
// Namespaces, Service Events, MetalLB pools, the controller Deployment), each a plain paged list
// (node:https, one page after the other, JSON.parse), the five lists at once. Independent of
// lbguard's client. Plain JavaScript, so it runs as it is in a fresh `node` process too:
//
//   LBGUARD_RAW_SERVER=https://127.0.0.1:6443 LBGUARD_RAW_CA=ca.crt LBGUARD_RAW_TOKEN=… node bench/rawList.mjs
//
// bench/live.ts runs it in its own process (the raw row) and in a fresh process (the row the CLI
// process is compared with: both pay Node's start-up).
import { readFileSync } from 'node:fs';
import https from 'node:https';

/** Lists everything once; resolves with the number of objects read. */
export async function rawList({ server, ca, token }) {
  const agent = new https.Agent({ keepAlive: true, ca });
  const get = (path) =>
    new Promise((resolve, reject) => {
      https
        .get(`${server}${path}`, { agent, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }, (res) => {
          const chunks = [];
          res.on('data', (d) => chunks.push(d));
          res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))) : reject(new Error(`GET ${path}: ${res.statusCode}`))));
        })
        .on('error', reject);
    });
  const list = async (path, query) => {
    const items = [];
    let cont = '';
    do {
      const page = await get(`${path}?${new URLSearchParams({ ...query, limit: '500', ...(cont ? { continue: cont } : {}) })}`);
      for (const it of page.items) items.push(it);
      cont = page.metadata?.continue ?? '';
    } while (cont);
    return items;
  };
  const lists = await Promise.all([
    list('/api/v1/services', { fieldSelector: 'spec.type=LoadBalancer' }),
    list('/api/v1/namespaces', {}),
    list('/api/v1/events', { fieldSelector: 'involvedObject.kind=Service' }),
    list('/apis/metallb.io/v1beta1/ipaddresspools', {}),
    list('/apis/apps/v1/deployments', { labelSelector: 'app=metallb,component=controller' }),
  ]);
  agent.destroy();
  return lists.reduce((n, l) => n + l.length, 0);
}

// Run as a script (not when bench/live.ts's bundle imports it).
if (/(^|[\\/])rawList\.mjs$/.test(process.argv[1] ?? '')) {
  const env = process.env;
  const n = await rawList({ server: env.LBGUARD_RAW_SERVER, ca: readFileSync(env.LBGUARD_RAW_CA), token: env.LBGUARD_RAW_TOKEN });
  process.stdout.write(`${n}\n`);
}
