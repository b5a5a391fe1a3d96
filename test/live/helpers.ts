// Helpers for the live tests: run the real CLI bundle against the real API server, wait for
// MetalLB, and compare views.
import { spawn, spawnSync } from 'node:child_process';
import * as k8s from '@kubernetes/client-node';
import { BIN, ensureBuilt } from '../cli/helpers.js';
import type { TestCluster } from '../harness/kube/cluster.js';

export { ensureBuilt };

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `kubectl-lb args…` synchronously (the bundle, as users run it). */
export function lb(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', KUBECONFIG: '', HOME: '/nonexistent-home', ...env },
    input,
    timeout: 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The async version (the event loop keeps running: needed while MetalLB runs in-process helpers). */
export function lbAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', KUBECONFIG: '', HOME: '/nonexistent-home', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A running `kubectl-lb status -w`: its output so far, a wait for its first render, its exit. */
export interface StatusWatch {
  out(): string;
  err(): string;
  /** Resolves once the first view is drawn and the watches have had time to start. */
  firstRender(pattern: RegExp): Promise<void>;
  /** SIGINT (as Ctrl-C), then the exit code. */
  stop(): Promise<number | null>;
}

export function watchStatus(args: string[], env: NodeJS.ProcessEnv): StatusWatch {
  const child = spawn(process.execPath, [BIN, 'status', '-w', ...args], { env: { ...process.env, NO_COLOR: '1', LBGUARD_WATCH_DEBOUNCE_MS: '200', ...env } });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('close', r));
  return {
    out: () => out,
    err: () => err,
    async firstRender(pattern) {
      await waitFor('the first render', async () => (pattern.test(out) ? true : undefined), 30_000);
      await sleep(500); // the watches are up
    },
    stop() {
      child.kill('SIGINT');
      return exited;
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? `: ${(lastErr as Error).message}` : ''}`);
    await sleep(everyMs);
  }
}

export async function ingressIPs(cluster: TestCluster, namespace: string, name: string): Promise<string[]> {
  const core = cluster.kubeConfig('admin').makeApiClient(k8s.CoreV1Api);
  const svc = await core.readNamespacedService({ name, namespace });
  return (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').filter(Boolean);
}

export async function waitForIPs(cluster: TestCluster, namespace: string, name: string, n = 1, timeoutMs = 60_000): Promise<string[]> {
  return waitFor(`${namespace}/${name} to get ${n} IP(s)`, async () => {
    const ips = await ingressIPs(cluster, namespace, name);
    return ips.length >= n ? ips : undefined;
  }, timeoutMs);
}

/** Waits until MetalLB wrote an event with this reason for the Service. */
export async function waitForEvent(cluster: TestCluster, namespace: string, name: string, reason: string, timeoutMs = 60_000): Promise<string> {
  const core = cluster.kubeConfig('admin').makeApiClient(k8s.CoreV1Api);
  return waitFor(`event ${reason} on ${namespace}/${name}`, async () => {
    const evs = await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name},involvedObject.kind=Service` });
    return evs.items.find((e) => e.reason === reason)?.message;
  }, timeoutMs);
}

export function service(namespace: string, name: string, spec: Record<string, unknown> = {}, annotations: Record<string, string> = {}, labels: Record<string, string> = {}): k8s.KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, annotations, labels },
    spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], selector: { app: name }, ...spec },
  } as k8s.KubernetesObject;
}

export function pool(name: string, addresses: string[], spec: Record<string, unknown> = {}, namespace = 'metallb-system'): k8s.KubernetesObject {
  return { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name, namespace }, spec: { addresses, ...spec } } as k8s.KubernetesObject;
}

/** A status report without the fields that name where it came from. */
export function comparable(report: Record<string, unknown>): unknown {
  const r = structuredClone(report) as Record<string, unknown> & { problems?: Record<string, unknown>[] };
  delete r.source;
  for (const p of r.problems ?? []) {
    delete p.file;
    delete p.line;
    delete p.column;
  }
  return r;
}
