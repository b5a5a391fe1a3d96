// The real MetalLB controller (built by test/harness/kube/build.sh), run as a process
// outside the cluster against a TestCluster, with the admin kubeconfig.
//
//   const mlb = await startMetalLB(cluster, 'v0.14.8');
//   ... create IPAddressPools / Services, poll Service status ...
//   await mlb.restart();   // same flags, same log file
//   await mlb.stop();
//
// Flags are chosen from what the binary itself reports with -h, so one code path serves
// every version. Per-version quirks (see README.md):
//   - all: --namespace (or METALLB_NAMESPACE) is required outside a pod (otherwise it reads
//     the service-account namespace file and exits); --webhook-mode=disabled and
//     --disable-cert-rotation avoid the webhook server (port 9443) and its cert Secret;
//     no memberlist Secret is needed (only created when --ml-secret-name is given).
//   - v0.13.x/v0.14.x: --port=0 still starts the Prometheus listener, on a random port.
//   - v0.15+: --port=0 disables metrics; a health-probe listener (default :17472, all
//     interfaces) is always started: we pass --health-probe-port=0 (random port).
//     The controller GETs its own Pod (--pod-name / METALLB_POD_NAME) at startup, to own its
//     ConfigurationState object, and exits if the Pod does not exist: we create a Pod object
//     (it stays Pending; no scheduler/kubelet here).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { killProc, tail, trackChild, type TestCluster } from './cluster.js';
import { crdDir, metallbControllerBinary } from './paths.js';

export interface MetalLBOptions {
  /** Namespace MetalLB reads its configuration from. Default metallb-system (created if missing). */
  namespace?: string;
  /** --lb-class: only handle Services with this spec.loadBalancerClass. */
  lbClass?: string;
  /** --log-level (all, debug, info, warn, error, none). Default debug: the log is a test artefact. */
  logLevel?: string;
  extraArgs?: string[];
  extraEnv?: Record<string, string>;
  /** Apply this version's CRDs first (idempotent). Default true. */
  installCRDs?: boolean;
  /**
   * Create the Deployment `controller` and a Pod in the namespace with labels and image as a
   * real install has (quay.io/metallb/controller:<version>), so lbguard's version detection
   * can be tested. Needed anyway for v0.15+ (the controller reads its own Pod). Default true.
   */
  workloadObjects?: boolean;
  /** Wait until the controller's reconcilers started (log line). Default 30 s. */
  readyTimeoutMs?: number;
}

export interface MetalLBController {
  version: string;
  binary: string;
  args: string[];
  logPath: string;
  running(): boolean;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

const flagCache = new Map<string, Set<string>>();

/** Flag names the binary accepts, from its -h output (Go's flag package prints "  -name ..."). */
export function supportedFlags(binary: string): Set<string> {
  let flags = flagCache.get(binary);
  if (!flags) {
    const r = spawnSync(binary, ['-h'], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } });
    const text = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
    flags = new Set([...text.matchAll(/^\s+--?([a-z0-9][a-z0-9-]*)/gm)].map((m) => m[1]));
    if (!flags.has('namespace')) throw new Error(`${binary} -h printed no usable flag list:\n${text.slice(0, 2000)}`);
    flagCache.set(binary, flags);
  }
  return flags;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** controller-runtime's line once the Service reconciler's workers run (same in 0.13 to 0.16). */
const READY_RE = /"msg":"Starting workers"[^\n]*"controller":"service"/;

export async function startMetalLB(
  cluster: TestCluster,
  version: string,
  opts: MetalLBOptions = {},
): Promise<MetalLBController> {
  const binary = metallbControllerBinary(version); // throws, naming the binary and build.sh
  const flags = supportedFlags(binary);
  const namespace = opts.namespace ?? 'metallb-system';
  await cluster.ensureNamespace(namespace);
  if (opts.installCRDs ?? true) await cluster.applyCRDs(crdDir(version));

  const podName = 'controller-lbguard-test';
  if (opts.workloadObjects ?? true) await cluster.apply(workloadObjects(namespace, version, podName));

  const workDir = join(cluster.dir, `metallb-${version}`);
  mkdirSync(join(workDir, 'certs'), { recursive: true });
  const logPath = join(workDir, 'controller.log');
  writeFileSync(logPath, '');

  const want: [string, string | null][] = [
    ['namespace', namespace],
    ['webhook-mode', 'disabled'],
    ['disable-cert-rotation', null],
    ['port', '0'],
    ['health-probe-port', '0'],
    ['cert-dir', join(workDir, 'certs')],
    ['log-level', opts.logLevel ?? 'debug'],
  ];
  if (flags.has('pod-name')) want.push(['pod-name', podName]);
  if (opts.lbClass) want.push(['lb-class', opts.lbClass]);
  const args: string[] = [];
  for (const [name, value] of want) {
    if (!flags.has(name)) {
      if (name === 'namespace' || name === 'lb-class') throw new Error(`MetalLB ${version} has no --${name} flag`);
      continue; // e.g. --health-probe-port only exists from v0.15
    }
    args.push(value === null ? `--${name}` : `--${name}=${value}`);
  }
  args.push(...(opts.extraArgs ?? []));
  const env = {
    ...process.env,
    KUBECONFIG: cluster.kubeconfigFor('admin'),
    METALLB_NAMESPACE: namespace,
    METALLB_POD_NAME: podName,
    ...opts.extraEnv,
  };

  let proc: { child: ReturnType<typeof spawn>; exited: Promise<number | null> } | undefined;
  const launch = async () => {
    appendFileSync(logPath, `---- lbguard harness: ${new Date().toISOString()} starting ${binary} ${args.join(' ')}\n`);
    const from = readFileSync(logPath, 'utf8').length;
    const fd = openSync(logPath, 'a');
    const child = spawn(binary, args, { stdio: ['ignore', fd, fd], env });
    closeSync(fd);
    trackChild(child);
    const exited = new Promise<number | null>((resolve) => {
      child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null)));
      child.on('error', () => resolve(-2));
    });
    proc = { child, exited };
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`MetalLB controller ${version} exited (${child.exitCode ?? child.signalCode}) at startup; log ${logPath}:\n${tail(logPath)}`);
      }
      if (READY_RE.test(readFileSync(logPath, 'utf8').slice(from))) return;
      if (Date.now() > deadline) {
        throw new Error(`MetalLB controller ${version} did not start its reconcilers within ${opts.readyTimeoutMs ?? 30_000} ms; log ${logPath}:\n${tail(logPath)}`);
      }
      await sleep(100);
    }
  };
  const stop = async () => {
    if (proc) await killProc(proc);
  };
  try {
    await launch();
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    version,
    binary,
    args,
    logPath,
    running: () => !!proc && proc.child.exitCode === null && proc.child.signalCode === null,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
  };
}

function workloadObjects(namespace: string, version: string, podName: string): k8s.KubernetesObject[] {
  const labels = { app: 'metallb', component: 'controller' };
  const container = {
    name: 'controller',
    image: `quay.io/metallb/controller:${version}`,
    args: ['--port=7472', '--log-level=info'],
  };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'controller', namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [container] } },
      },
    } as k8s.KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: podName, namespace, labels },
      spec: { containers: [container], automountServiceAccountToken: false },
    } as k8s.KubernetesObject,
  ];
}
