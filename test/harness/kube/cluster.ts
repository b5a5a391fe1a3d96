// A real Kubernetes control plane for live-cluster tests: etcd + kube-apiserver built by
// test/harness/kube/build.sh, on free 127.0.0.1 ports, TLS everywhere, RBAC, token users.
//
//   const cluster = await startCluster();
//   const kc = cluster.kubeconfigFor('reader');      // path, for `kubectl lb --kubeconfig`
//   await cluster.applyYaml(text);                    // as admin, server-side apply
//   await cluster.stop();
//
// No kube-controller-manager, scheduler or kubelet run: Pods stay Pending, namespaces are
// never finalized after deletion, ServiceAccounts are not created automatically (the
// helpers below create what the MetalLB controller needs).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { etcdBinary, kubeApiserverBinary, REPO_ROOT, versions } from './paths.js';

export type TestUser = 'admin' | 'reader' | 'nocrd';
export const TEST_USERS: readonly TestUser[] = ['admin', 'reader', 'nocrd'];

export interface ClusterOptions {
  /** Keep the temp dir (certs, kubeconfigs, logs) after stop(), for debugging. Also LBGUARD_KEEP_CLUSTER=1. */
  keep?: boolean;
  /** RBAC file whose ClusterRoles are applied; `reader` is bound to `readerRole`. Default docs/rbac.yaml. */
  rbacFile?: string;
  readerRole?: string;
  /** Extra kube-apiserver flags. */
  apiserverArgs?: string[];
  /** How long to wait for /readyz (ms). Default 90 s (cold start on 2 cores takes ~10 s). */
  readyTimeoutMs?: number;
}

export interface TestCluster {
  /** https://127.0.0.1:PORT */
  server: string;
  /** Temp dir holding certs, kubeconfigs, logs and (unless /dev/shm is used) etcd data. */
  dir: string;
  caFile: string;
  logs: { etcd: string; apiserver: string };
  tokens: Record<TestUser, string>;
  kubeconfigFor(user: TestUser): string;
  kubeConfig(user?: TestUser): k8s.KubeConfig;
  /** Server-side apply (field manager lbguard-test, force) of each object, as admin. */
  apply(objects: k8s.KubernetesObject[]): Promise<k8s.KubernetesObject[]>;
  /** Multi-document YAML; empty documents and Lists are handled. */
  applyYaml(text: string): Promise<k8s.KubernetesObject[]>;
  /** Applies every CRD in the *.yaml files of dir (or the given files) and waits until all are Established. Returns CRD names. */
  applyCRDs(dirOrFiles: string | string[], timeoutMs?: number): Promise<string[]>;
  /** Deletes objects, ignoring NotFound. */
  remove(objects: k8s.KubernetesObject[]): Promise<void>;
  /** Creates the namespace (and its `default` ServiceAccount, which no controller-manager creates here). */
  ensureNamespace(name: string): Promise<void>;
  /** ensureNamespace('metallb-system'). */
  ensureMetalLBNamespace(): Promise<string>;
  stop(): Promise<void>;
}

const FIELD_MANAGER = 'lbguard-test';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`lbguard test harness: cannot run openssl (apt-get install openssl): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

/** CA, serving cert for apiserver+etcd (127.0.0.1, localhost, kubernetes service names), etcd client cert, SA key pair. */
function makeCerts(dir: string): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '7', '-subj', '/CN=lbguard-test-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  const sign = (name: string, subj: string, ext: string) => {
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl(['req', '-new', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-out', `${name}.crt`, '-days', '7', '-extfile', `${name}.ext`], dir);
  };
  sign('serving', '/CN=kube-apiserver',
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n' +
    'subjectAltName=IP:127.0.0.1,IP:::1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n');
  sign('etcd-client', '/CN=kube-apiserver-etcd-client',
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key'], dir);
  openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
}

interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
  exited: Promise<number | null>;
}

function startProc(name: string, bin: string, args: string[], log: string, env?: NodeJS.ProcessEnv): Proc {
  const fd = openSync(log, 'a');
  const child = spawn(bin, args, { stdio: ['ignore', fd, fd], env: env ?? process.env, detached: false });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null)));
    child.on('error', () => resolve(-2));
  });
  return { name, child, log, exited };
}

export function tail(path: string, lines = 40): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** SIGTERM, then SIGKILL after graceMs. */
export async function killProc(p: { child: ChildProcess; exited: Promise<unknown> }, graceMs = 5000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const t = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(t);
}

// Everything started by any cluster, killed synchronously if the test process exits without stop().
const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const cleanup = () => {
    for (const c of liveChildren) {
      try { c.kill('SIGKILL'); } catch { /* already gone */ }
    }
    for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      cleanup();
      process.kill(process.pid, sig);
    });
  }
}

/** Registers a child (and optionally a dir) for kill/removal at process exit. Used by metallb.ts too. */
export function trackChild(child: ChildProcess): void {
  installExitHook();
  liveChildren.add(child);
  child.on('exit', () => liveChildren.delete(child));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function kubeconfigYaml(server: string, caFile: string, user: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: lbguard-test',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority: ${caFile}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    `- name: ${user}@lbguard-test`,
    '  context:',
    '    cluster: lbguard-test',
    `    user: ${user}`,
    '    namespace: default',
    `current-context: ${user}@lbguard-test`,
    '',
  ].join('\n');
}

/** Parses multi-document YAML into objects (skips empty docs, flattens `kind: *List`). */
export function parseObjects(text: string): k8s.KubernetesObject[] {
  const out: k8s.KubernetesObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`YAML error: ${doc.errors[0].message}`);
    const v = doc.toJS() as (k8s.KubernetesObject & { items?: k8s.KubernetesObject[] }) | null;
    if (!v || typeof v !== 'object') continue;
    if (v.kind?.endsWith('List') && Array.isArray(v.items)) out.push(...v.items);
    else out.push(v);
  }
  return out;
}

function httpCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown };
  return typeof e?.code === 'number' ? e.code : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
}

/** Status code of a client-node ApiException, if it is one. */
export function apiErrorCode(err: unknown): number | undefined {
  return httpCode(err);
}

export async function startCluster(opts: ClusterOptions = {}): Promise<TestCluster> {
  // Free ports are picked before the processes bind them: a concurrent test can take one in
  // between. That shows as "address already in use" in a log; start over on fresh ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startClusterOnce(opts);
    } catch (err) {
      if (attempt >= 3 || !/address already in use/i.test(String((err as Error)?.message))) throw err;
    }
  }
}

async function startClusterOnce(opts: ClusterOptions): Promise<TestCluster> {
  // Fail loudly before creating anything when a binary is missing.
  const apiserverBin = kubeApiserverBinary();
  const etcdBin = etcdBinary();
  installExitHook();

  const keep = opts.keep ?? process.env.LBGUARD_KEEP_CLUSTER === '1';
  const dir = mkdtempSync(join(tmpdir(), 'lbguard-kube-'));
  if (!keep) liveDirs.add(dir);
  // etcd 3.4 has no --unsafe-no-fsync: keep its data in RAM when we can.
  const shm = existsSync('/dev/shm') ? mkdtempSync(join('/dev/shm', 'lbguard-etcd-')) : undefined;
  if (shm) liveDirs.add(shm);
  const etcdData = shm ?? join(dir, 'etcd-data');
  const procs: Proc[] = [];
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const p of [...procs].reverse()) await killProc(p);
    if (shm) { rmSync(shm, { recursive: true, force: true }); liveDirs.delete(shm); }
    if (!keep) { rmSync(dir, { recursive: true, force: true }); }
    liveDirs.delete(dir);
  };

  try {
    makeCerts(dir);
    const caFile = join(dir, 'ca.crt');
    const tokens: Record<TestUser, string> = {
      admin: randomBytes(16).toString('hex'),
      reader: randomBytes(16).toString('hex'),
      nocrd: randomBytes(16).toString('hex'),
    };
    writeFileSync(
      join(dir, 'tokens.csv'),
      `${tokens.admin},admin,uid-admin,"system:masters"\n` +
        `${tokens.reader},reader,uid-reader,"lbguard:test-readers"\n` +
        `${tokens.nocrd},nocrd,uid-nocrd,"lbguard:test-nocrd"\n`,
    );

    // etcd, TLS with client certificates.
    const etcdPort = await freePort();
    const peerPort = await freePort();
    const logs = { etcd: join(dir, 'etcd.log'), apiserver: join(dir, 'kube-apiserver.log') };
    const etcdUrl = `https://127.0.0.1:${etcdPort}`;
    const etcd = startProc('etcd', etcdBin, [
      '--name=lbguard-test',
      `--data-dir=${etcdData}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=lbguard-test=http://127.0.0.1:${peerPort}`,
      `--cert-file=${join(dir, 'serving.crt')}`,
      `--key-file=${join(dir, 'serving.key')}`,
      `--trusted-ca-file=${caFile}`,
      '--client-cert-auth',
      '--logger=zap',
      '--log-level=warn',
      '--quota-backend-bytes=1073741824',
    ], logs.etcd);
    procs.push(etcd);
    trackChild(etcd.child);

    const port = await freePort();
    const server = `https://127.0.0.1:${port}`;
    const apiserver = startProc('kube-apiserver', apiserverBin, [
      `--etcd-servers=${etcdUrl}`,
      `--etcd-cafile=${caFile}`,
      `--etcd-certfile=${join(dir, 'etcd-client.crt')}`,
      `--etcd-keyfile=${join(dir, 'etcd-client.key')}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      `--tls-cert-file=${join(dir, 'serving.crt')}`,
      `--tls-private-key-file=${join(dir, 'serving.key')}`,
      `--client-ca-file=${caFile}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--authorization-mode=Node,RBAC',
      `--service-account-key-file=${join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--service-cluster-ip-range=10.96.0.0/16,fd00:10:96::/108',
      // No webhooks in these tests; no controller-manager to keep the kubernetes Endpoints,
      // and 127.0.0.1 is not a valid endpoint address anyway.
      '--disable-admission-plugins=MutatingAdmissionWebhook,ValidatingAdmissionWebhook',
      '--endpoint-reconciler-type=none',
      '--profiling=false',
      '--v=1',
      ...(opts.apiserverArgs ?? []),
    ], logs.apiserver);
    procs.push(apiserver);
    trackChild(apiserver.child);

    const kubeconfigs = {} as Record<TestUser, string>;
    for (const u of TEST_USERS) {
      kubeconfigs[u] = join(dir, `kubeconfig-${u}.yaml`);
      writeFileSync(kubeconfigs[u], kubeconfigYaml(server, caFile, u, tokens[u]), { mode: 0o600 });
    }
    const kubeConfig = (user: TestUser = 'admin') => {
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(kubeconfigs[user]);
      return kc;
    };

    await waitReady(server, caFile, tokens.admin, opts.readyTimeoutMs ?? 90_000, [etcd, apiserver]);

    const admin = kubeConfig('admin');
    const objApi = () => k8s.KubernetesObjectApi.makeApiClient(admin);

    const apply = async (objects: k8s.KubernetesObject[]) => {
      const api = objApi(); // fresh: its discovery cache must see CRDs installed meanwhile
      const out: k8s.KubernetesObject[] = [];
      for (const o of objects) {
        const obj = structuredClone(o);
        if (obj.metadata) {
          delete obj.metadata.resourceVersion;
          delete obj.metadata.uid;
          delete obj.metadata.creationTimestamp;
          delete obj.metadata.managedFields;
        }
        try {
          out.push(await api.patch(obj, undefined, undefined, FIELD_MANAGER, true, k8s.PatchStrategy.ServerSideApply));
        } catch (err) {
          throw new Error(`apply ${o.kind} ${o.metadata?.namespace ? o.metadata.namespace + '/' : ''}${o.metadata?.name}: ${describeError(err)}`);
        }
      }
      return out;
    };

    const remove = async (objects: k8s.KubernetesObject[]) => {
      const api = objApi();
      for (const o of objects) {
        try {
          await api.delete(o);
        } catch (err) {
          if (httpCode(err) !== 404) throw new Error(`delete ${o.kind} ${o.metadata?.name}: ${describeError(err)}`);
        }
      }
    };

    const applyCRDs = async (dirOrFiles: string | string[], timeoutMs = 60_000) => {
      const files = Array.isArray(dirOrFiles)
        ? dirOrFiles
        : readdirSync(dirOrFiles).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dirOrFiles, f));
      const crds = files.flatMap((f) => parseObjects(readFileSync(f, 'utf8'))).filter((o) => o.kind === 'CustomResourceDefinition');
      if (crds.length === 0) throw new Error(`applyCRDs: no CustomResourceDefinition in ${files.join(', ') || dirOrFiles}`);
      await apply(crds);
      const ext = admin.makeApiClient(k8s.ApiextensionsV1Api);
      const names = crds.map((c) => c.metadata!.name!);
      const deadline = Date.now() + timeoutMs;
      for (const name of names) {
        for (;;) {
          const crd = await ext.readCustomResourceDefinition({ name });
          const est = crd.status?.conditions?.find((c) => c.type === 'Established');
          if (est?.status === 'True') break;
          if (Date.now() > deadline) throw new Error(`CRD ${name} not Established after ${timeoutMs} ms: ${JSON.stringify(crd.status?.conditions)}`);
          await sleep(200);
        }
      }
      // Established is set a moment before discovery serves the new group; wait for that too.
      const groups = new Set(crds.map((c) => (c as unknown as { spec: { group: string } }).spec.group));
      const apis = admin.makeApiClient(k8s.ApisApi);
      for (;;) {
        const served = new Set((await apis.getAPIVersions()).groups.map((g) => g.name));
        if ([...groups].every((g) => served.has(g))) break;
        if (Date.now() > deadline) throw new Error(`CRD groups ${[...groups].join(', ')} not in discovery after ${timeoutMs} ms`);
        await sleep(200);
      }
      return names;
    };

    const ensureNamespace = async (name: string) => {
      await apply([
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } },
      ]);
    };

    // RBAC: reader gets exactly the documented ClusterRole; nocrd gets core reads only.
    const rbacFile = opts.rbacFile ?? join(REPO_ROOT, 'docs', 'rbac.yaml');
    const readerRole = opts.readerRole ?? 'lbguard-reader';
    const roles = parseObjects(readFileSync(rbacFile, 'utf8')).filter((o) => o.kind === 'ClusterRole');
    if (!roles.some((r) => r.metadata?.name === readerRole)) {
      throw new Error(`${rbacFile} has no ClusterRole ${readerRole}`);
    }
    await apply([
      ...roles,
      binding('lbguard-test-reader', readerRole, 'reader'),
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'lbguard-test-nocrd' },
        rules: [
          { apiGroups: [''], resources: ['services', 'namespaces', 'events'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['get', 'list', 'watch'] },
        ],
      } as k8s.V1ClusterRole,
      binding('lbguard-test-nocrd', 'lbguard-test-nocrd', 'nocrd'),
    ]);

    return {
      server,
      dir,
      caFile,
      logs,
      tokens,
      kubeconfigFor: (user) => {
        if (!kubeconfigs[user]) throw new Error(`unknown test user ${user}; one of ${TEST_USERS.join(', ')}`);
        return kubeconfigs[user];
      },
      kubeConfig,
      apply,
      applyYaml: (text) => apply(parseObjects(text)),
      applyCRDs,
      remove,
      ensureNamespace,
      ensureMetalLBNamespace: async () => {
        await ensureNamespace('metallb-system');
        return 'metallb-system';
      },
      stop,
    };
  } catch (err) {
    const logs = procs.map((p) => `---- ${p.name} (${p.log}) ----\n${tail(p.log)}`).join('\n');
    await stop();
    if (err instanceof Error && logs) err.message += `\n${logs}`;
    throw err;
  }
}

function binding(name: string, role: string, user: string): k8s.V1ClusterRoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  };
}

export function describeError(err: unknown): string {
  const e = err as { code?: number; body?: unknown; message?: string };
  if (typeof e?.code === 'number' && e.body !== undefined) {
    let body = e.body;
    if (typeof body === 'string') {
      try { body = JSON.parse(body); } catch { /* keep the string */ }
    }
    const msg = (body as { message?: string })?.message ?? String(body);
    return `HTTP ${e.code}: ${msg}`;
  }
  return e?.message ?? String(err);
}

async function waitReady(server: string, caFile: string, token: string, timeoutMs: number, procs: Proc[]): Promise<void> {
  const https = await import('node:https');
  const ca = readFileSync(caFile);
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    for (const p of procs) {
      if (p.child.exitCode !== null || p.child.signalCode !== null) {
        throw new Error(`${p.name} exited (code ${p.child.exitCode ?? p.child.signalCode}) before kube-apiserver was ready`);
      }
    }
    last = await new Promise<string>((resolve) => {
      const req = https.get(`${server}/readyz`, { ca, headers: { Authorization: `Bearer ${token}` }, timeout: 2000 }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(res.statusCode === 200 ? 'ok' : `HTTP ${res.statusCode}: ${body.slice(0, 500)}`));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => resolve(e.message));
    });
    if (last === 'ok') return;
    if (Date.now() > deadline) throw new Error(`kube-apiserver ${versions.kubernetes} not ready after ${timeoutMs} ms: ${last}`);
    await sleep(250);
  }
}

// Re-exported so tests need a single import for the usual helpers.
export { versions };
