// Paged lists of the live client (KubeClient.list) against a fake API server whose pages send
// their head (metadata with the continue token) at once and the rest later: each next page is
// asked for as soon as the previous page's token shows, before the pages before it have arrived or
// been handled, never more than LIST_AHEAD pages beyond the one being handled, and the items come
// out in order. A custom resource list (metadata after the items) is asked for page by page.
// A fake on purpose: a real kube-apiserver cannot be made to hold back the rest of a page on
// demand, which is the timing under test; the live suites run the same lists against the real one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { KubeClient, LIST_AHEAD } from '../../kubectl-plugin/src/live/client.js';
import type { ResolvedConfig } from '../../kubectl-plugin/src/live/kubeconfig.js';

const PAGES = 6;

async function fakeServer(o: { metadataFirst: boolean; tailMs: number }) {
  const log: { at: number; what: string }[] = [];
  let open = 0;
  let maxOpen = 0;
  const server = http.createServer((req, res) => {
    const cont = new URL(req.url!, 'http://x').searchParams.get('continue');
    const n = cont ? Number(cont.slice(1)) : 0;
    log.push({ at: Date.now(), what: `request ${n}` });
    maxOpen = Math.max(maxOpen, ++open);
    const metadata = JSON.stringify(n + 1 < PAGES ? { resourceVersion: '7', continue: `p${n + 1}` } : { resourceVersion: '7' });
    const items = JSON.stringify([{ metadata: { name: `s${n}` } }]);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (o.metadataFirst) {
      res.write(`{"kind":"ServiceList","apiVersion":"v1","metadata":${metadata},"items":`);
      setTimeout(() => {
        log.push({ at: Date.now(), what: `end ${n}` });
        open--;
        res.end(`${items}}`);
      }, o.tailMs);
    } else {
      setTimeout(() => {
        open--;
        res.end(`{"apiVersion":"x.io/v1","items":${items},"kind":"XList","metadata":${metadata}}`);
      }, o.tailMs);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const config: ResolvedConfig = {
    source: 'kubeconfig',
    files: [],
    clusterName: 'c',
    userName: 'u',
    cluster: { server: `http://127.0.0.1:${port}`, insecureSkipTLSVerify: false },
    user: { token: 't' },
    namespace: 'default',
    namespaceFrom: 'default',
    warnings: [],
  };
  return { log, maxOpen: () => maxOpen, client: new KubeClient(config, { env: {} }), close: () => server.close() };
}

test('each page is asked for as soon as the one before shows its token, up to LIST_AHEAD beyond the one being handled', async () => {
  const s = await fakeServer({ metadataFirst: true, tailMs: 150 });
  const handled: { at: number; page: string }[] = [];
  const res = await s.client.list('/api/v1/services', {}, 1, (items) => {
    handled.push({ at: Date.now(), page: (items[0].metadata as { name: string }).name });
    return items;
  });
  s.client.close();
  s.close();
  assert.deepEqual(res.items.map((i) => (i.metadata as { name: string }).name), Array.from({ length: PAGES }, (_, i) => `s${i}`));
  assert.equal(res.pages, PAGES);
  const at = (what: string) => s.log.find((e) => e.what === what)!.at;
  // Pages 1 and 2 follow the tokens at once: both asked for before page 0 has even ended.
  assert.ok(at('request 2') < at('end 0'), JSON.stringify(s.log));
  assert.ok(at('request 2') < handled[0].at);
  // Never more than LIST_AHEAD pages beyond the one being handled (plus that one) at the server.
  assert.ok(s.maxOpen() <= LIST_AHEAD + 1, `${s.maxOpen()} requests open at once`);
  assert.ok(s.maxOpen() > 1, 'pages overlap');
});

test('a list whose metadata comes last (custom resources) is asked for page by page', async () => {
  const s = await fakeServer({ metadataFirst: false, tailMs: 20 });
  const res = await s.client.list('/apis/x.io/v1/xs', {}, 1);
  s.client.close();
  s.close();
  assert.deepEqual(res.items.map((i) => (i.metadata as { name: string }).name), Array.from({ length: PAGES }, (_, i) => `s${i}`));
  assert.equal(s.maxOpen(), 1);
});

test("the list's apiVersion, kind and resourceVersion come from its first page; eachPage may empty the page's own list (readCluster does)", async () => {
  const s = await fakeServer({ metadataFirst: true, tailMs: 5 });
  const res = await s.client.list('/api/v1/services', {}, 1, (items) => {
    const out = items.map((it) => ({ ...it, apiVersion: 'v1', kind: 'Service' }));
    items.length = 0;
    return out;
  });
  s.client.close();
  s.close();
  assert.equal(res.apiVersion, 'v1');
  assert.equal(res.kind, 'ServiceList');
  assert.equal(res.resourceVersion, '7');
  assert.deepEqual(res.items.map((i) => `${i.kind}/${(i.metadata as { name: string }).name}`), Array.from({ length: PAGES }, (_, i) => `Service/s${i}`));
});
