// Runs one generated scenario twice: through lbguard's scenario runner (shared/src/metallb) and
// through the real MetalLB controller on the real kube-apiserver, step by step, and compares every
// Service's IPs after every step.
//
// Isolation: before a scenario the controller is stopped, the previous scenario's Services and
// pools are deleted, the new namespaces and pools are created, and the controller is started
// again (≈0.2–0.4 s, measured): it starts with an empty allocator and loads every pool before the
// first Service exists, so no scenario sees another's state and no partial configuration is seen.
//
// Settling (no sleeps on the happy path): a Service watch and an Event watch wake the waiter;
// after creating a Service we wait until it has status.loadBalancer.ingress or a Warning event,
// then until the controller's log and both watches have been quiet for QUIET_MS.
import { readFileSync, statSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { parseScenario, runScenario, type ScenarioStepResult } from '../../shared/src/metallb/scenario.js';
import type { ServiceOutcome } from '../../shared/src/metallb/types.js';
import type { TestCluster } from '../harness/kube/cluster.js';
import type { MetalLBController as RealController } from '../harness/kube/metallb.js';
import { canonIP, type GenScenario, METALLB_NAMESPACE, namespaceObject, poolObject, serviceObject } from './generate.js';

const QUIET_MS = Number(process.env.LBGUARD_DIFF_QUIET_MS ?? 70);
const SIGNAL_TIMEOUT_MS = 6_000;
const LATE_RECHECK_MS = 1_500;

export interface ObservedEvent {
  seq: number;
  key: string;
  type: string;
  reason: string;
  message: string;
}

/** Watches Services and Events cluster-wide; wakes waiters on every change. */
export class Observer {
  readonly services = new Map<string, k8s.V1Service>();
  readonly events: ObservedEvent[] = [];
  seq = 0;
  lastActivity = Date.now();
  private waiters = new Set<() => void>();
  private aborts: AbortController[] = [];
  private closed = false;

  constructor(private readonly kc: k8s.KubeConfig) {}

  async start(): Promise<void> {
    await Promise.all([this.watch('/api/v1/services', 'svc'), this.watch('/api/v1/events', 'event')]);
  }

  private async watch(path: string, what: 'svc' | 'event'): Promise<void> {
    const w = new k8s.Watch(this.kc);
    const onEvent = (phase: string, obj: k8s.V1Service & k8s.CoreV1Event) => {
      if (what === 'svc') {
        const key = `${obj.metadata?.namespace}/${obj.metadata?.name}`;
        if (phase === 'DELETED') this.services.delete(key);
        else this.services.set(key, obj);
      } else if (phase === 'ADDED' || phase === 'MODIFIED') {
        const io = (obj as k8s.CoreV1Event).involvedObject;
        if (io?.kind === 'Service') {
          this.events.push({ seq: ++this.seq, key: `${io.namespace}/${io.name}`, type: obj.type ?? '', reason: obj.reason ?? '', message: obj.message ?? '' });
        }
      }
      this.poke();
    };
    const onDone = (err: unknown) => {
      if (this.closed) return;
      if (err) process.stderr.write(`differential: ${what} watch ended (${String(err)}), restarting\n`);
      setTimeout(() => void this.watch(path, what).catch(() => undefined), 100);
    };
    this.aborts.push(await w.watch(path, {}, onEvent as (phase: string, obj: unknown) => void, onDone));
  }

  poke(): void {
    this.lastActivity = Date.now();
    for (const w of [...this.waiters]) w();
  }

  /** Resolves true when pred() holds (checked on every change), false on timeout. */
  until(pred: () => boolean, timeoutMs: number): Promise<boolean> {
    if (pred()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (pred()) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const poll = setInterval(check, 50); // belt and braces: a missed wake-up costs ≤50 ms
      const finish = (v: boolean) => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(check);
        resolve(v);
      };
      this.waiters.add(check);
    });
  }

  stop(): void {
    this.closed = true;
    for (const a of this.aborts) a.abort();
  }
}

/** Waits until neither the controller log nor the watches changed for quietMs. */
async function quiet(obs: Observer, logPath: string, quietMs = QUIET_MS, maxMs = 5_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let size = statSync(logPath).size;
  let changed = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    const s = statSync(logPath).size;
    if (s !== size) {
      size = s;
      changed = Date.now();
    }
    const last = Math.max(changed, obs.lastActivity);
    if (Date.now() - last >= quietMs || Date.now() > deadline) return;
  }
}

const ingressOf = (svc: k8s.V1Service | undefined): string[] => (svc?.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').filter(Boolean);
const canonList = (ips: string[]) => ips.map((i) => { try { return canonIP(i); } catch { return i; } }).sort();
const sameIPs = (a: string[], b: string[]) => JSON.stringify(canonList(a)) === JSON.stringify(canonList(b));

export interface StepCheck {
  step: string;
  key: string;
  predicted: { state: string; ips: string[]; candidates?: string[][]; reason?: string; message?: string };
  actual: string[];
  agree: boolean;
  /** Agreed only through MetalLB's random choice (actual ∈ candidates, ≠ lbguard's pick). */
  viaCandidates?: boolean;
}

export interface ScenarioRun {
  id: string;
  agree: boolean;
  /** Steps where MetalLB's random pool choice differed from lbguard's first pick (accepted). */
  randomChoices: number;
  /** Steps that agreed only on the second look, LATE_RECHECK_MS later (the controller was slow). */
  lateSettles: number;
  timeouts: string[];
  checks: StepCheck[];
  /** The checks of the last compared step. */
  final: StepCheck[];
  edited: boolean;
  disagreements: StepCheck[];
  scenarioYaml: string;
  events: ObservedEvent[];
  logExcerpt: string;
  ms: number;
}

/** The lbguard Scenario document, grown step by step. */
class SimScenario {
  steps: Record<string, unknown>[] = [];
  constructor(readonly gen: GenScenario) {}

  text(): string {
    return stringify({
      kind: 'Scenario',
      description: `differential ${this.gen.id} (seed ${this.gen.seed})`,
      // LBGUARD_DIFF_SIM_VERSION: simulate another version than the real one (checks that the test can fail).
      metallbVersion: (process.env.LBGUARD_DIFF_SIM_VERSION ?? this.gen.version).replace(/^v/, ''),
      namespace: METALLB_NAMESPACE,
      ipFamilies: ['IPv4', 'IPv6'],
      steps: this.steps,
    }, { lineWidth: 0 });
  }

  run(): ScenarioStepResult[] {
    const parsed = parseScenario(this.text(), `${this.gen.id}.yaml`);
    if (!parsed.scenario) throw new Error(`differential: generated scenario does not parse: ${JSON.stringify(parsed.errors)}\n${this.text()}`);
    return runScenario(parsed.scenario);
  }
}

function strip(o: k8s.KubernetesObject): Record<string, unknown> {
  const c = structuredClone(o) as Record<string, unknown> & { metadata?: Record<string, unknown> };
  if (c.metadata) {
    for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation']) delete c.metadata[k];
  }
  return c;
}

/** The Service as MetalLB saw it: spec from the server (ClusterIPs, families), no status. */
function simService(live: k8s.V1Service, ingress?: string[]): Record<string, unknown> {
  const s = strip(live) as Record<string, unknown> & { spec: k8s.V1ServiceSpec };
  const spec = s.spec;
  const out: Record<string, unknown> = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: s.metadata,
    spec: {
      type: spec.type,
      clusterIP: spec.clusterIP,
      clusterIPs: spec.clusterIPs,
      ipFamilies: spec.ipFamilies,
      ipFamilyPolicy: spec.ipFamilyPolicy,
      ports: spec.ports?.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
      selector: spec.selector,
      externalTrafficPolicy: spec.externalTrafficPolicy,
      ...(spec.loadBalancerIP ? { loadBalancerIP: spec.loadBalancerIP } : {}),
    },
  };
  if (ingress?.length) out.status = { loadBalancer: { ingress: ingress.map((ip) => ({ ip })) } };
  return out;
}

function predictedView(o: ServiceOutcome | undefined): StepCheck['predicted'] {
  if (!o) return { state: 'missing', ips: [] };
  const v: StepCheck['predicted'] = { state: o.state, ips: o.ips };
  if (o.candidates) v.candidates = o.candidates.map((c) => c.ips);
  if (o.reason) v.reason = o.reason;
  if (o.message) v.message = o.message;
  return v;
}

export class DifferentialRunner {
  private core: k8s.CoreV1Api;
  private custom: k8s.CustomObjectsApi;
  private previous?: GenScenario;

  constructor(private readonly cluster: TestCluster, private readonly obs: Observer) {
    const kc = cluster.kubeConfig('admin');
    this.core = kc.makeApiClient(k8s.CoreV1Api);
    this.custom = kc.makeApiClient(k8s.CustomObjectsApi);
  }

  /** Deletes what the previous scenario created (controller stopped), then sets up this one and starts the controller. */
  private async prepare(gen: GenScenario, mlb: RealController): Promise<void> {
    let tp = Date.now();
    await mlb.stop();
    tp = this.lap('prepare.stop', tp);
    const prev = this.previous;
    if (prev) {
      await Promise.all(prev.services.map((s) => this.core.deleteNamespacedService({ name: s.name, namespace: s.namespace }).catch(ignoreNotFound)));
      await Promise.all(prev.pools.map((p) =>
        this.custom.deleteNamespacedCustomObject({ group: 'metallb.io', version: 'v1beta1', namespace: METALLB_NAMESPACE, plural: 'ipaddresspools', name: p.name }).catch(ignoreNotFound)));
    }
    // Nothing else may be left in metallb-system: the controller must start from exactly these pools.
    const left = (await this.custom.listNamespacedCustomObject({ group: 'metallb.io', version: 'v1beta1', namespace: METALLB_NAMESPACE, plural: 'ipaddresspools' })) as { items: { metadata: { name: string } }[] };
    await Promise.all(left.items.map((p) =>
      this.custom.deleteNamespacedCustomObject({ group: 'metallb.io', version: 'v1beta1', namespace: METALLB_NAMESPACE, plural: 'ipaddresspools', name: p.metadata.name }).catch(ignoreNotFound)));
    tp = this.lap('prepare.delete', tp);
    await this.cluster.apply([...gen.namespaces.map(namespaceObject), ...gen.pools.map((p) => poolObject(p))]);
    tp = this.lap('prepare.apply', tp);
    this.previous = gen;
    await mlb.restart();
    this.lap('prepare.restart', tp);
  }

  readonly profile: Record<string, number> = {};
  private lap(name: string, since: number): number {
    const now = Date.now();
    this.profile[name] = (this.profile[name] ?? 0) + (now - since);
    return now;
  }

  async run(gen: GenScenario, mlb: RealController): Promise<ScenarioRun> {
    const t0 = Date.now();
    await this.prepare(gen, mlb);
    let tl = this.lap('prepare', t0);
    const logFrom = statSync(mlb.logPath).size;
    const seqFrom = this.obs.seq;
    const sim = new SimScenario(gen);
    sim.steps.push({ description: 'namespaces and pools', apply: [...gen.namespaces.map(namespaceObject), ...gen.pools.map((p) => poolObject(p))] });
    const run: ScenarioRun = { id: gen.id, agree: true, randomChoices: 0, lateSettles: 0, timeouts: [], checks: [], final: [], edited: false, disagreements: [], scenarioYaml: '', events: [], logExcerpt: '', ms: 0 };
    const created: string[] = [];
    const uids = new Map<string, string | undefined>();
    const lives = new Map<string, k8s.V1Service>();

    const logPath = mlb.logPath;
    const compare = async (stepName: string): Promise<boolean> => {
      const results = sim.run();
      const last = results[results.length - 1];
      // The watch's copy first (it is quiet now); on any difference, the API server's answer.
      let actual = new Map(created.map((k) => [k, ingressOf(uids.get(k) === this.obs.services.get(k)?.metadata?.uid ? this.obs.services.get(k) : undefined)]));
      const agreesWith = (k: string, got: string[]) => {
        const o = last.services.get(k);
        if (!o) return false;
        if (o.state !== 'assigned') return got.length === 0;
        return sameIPs(o.ips, got) || !!o.candidates?.some((c) => sameIPs(c.ips.filter((i) => i !== '<nil>'), got));
      };
      const fromServer = async () => {
        actual = new Map();
        for (const ns of gen.namespaces) {
          const list = await this.core.listNamespacedService({ namespace: ns.name });
          for (const s of list.items) actual.set(`${ns.name}/${s.metadata!.name}`, ingressOf(s));
        }
      };
      if (created.some((k) => !agreesWith(k, actual.get(k)!))) {
        await fromServer();
        if (created.some((k) => !agreesWith(k, actual.get(k) ?? []))) {
          // A slow controller (loaded CI machine) must not count as a disagreement: look again later.
          await new Promise((r) => setTimeout(r, LATE_RECHECK_MS));
          await quiet(this.obs, logPath, QUIET_MS * 3);
          await fromServer();
          if (created.every((k) => agreesWith(k, actual.get(k) ?? []))) run.lateSettles++;
        }
      }
      const feedback: Record<string, unknown>[] = [];
      run.final = [];
      let ok = true;
      for (const key of created) {
        const o = last.services.get(key);
        const got = actual.get(key) ?? [];
        const check: StepCheck = { step: stepName, key, predicted: predictedView(o), actual: got, agree: false };
        if (o && o.state === 'assigned') {
          if (sameIPs(o.ips, got)) check.agree = true;
          else if (o.candidates?.some((c) => sameIPs(c.ips.filter((i) => i !== '<nil>'), got))) {
            check.agree = true;
            check.viaCandidates = true;
            run.randomChoices++;
            // MetalLB picked another of the pools it picks from at random: continue from its choice.
            feedback.push(simService(lives.get(key)!, got));
          }
        } else if (o && (o.state === 'pending' || o.state === 'ignored')) check.agree = got.length === 0;
        run.checks.push(check);
        run.final.push(check);
        if (!check.agree) {
          ok = false;
          run.disagreements.push(check);
        }
      }
      if (feedback.length) sim.steps.push({ description: 'MetalLB chose another candidate pool (random): continue from its choice', apply: feedback });
      return ok;
    };

    let ok = true;
    for (const s of gen.services) {
      const key = `${s.namespace}/${s.name}`;
      const mark = this.obs.seq;
      tl = Date.now();
      const live = await this.core.createNamespacedService({ namespace: s.namespace, body: serviceObject(s) });
      tl = this.lap('create', tl);
      created.push(key);
      uids.set(key, live.metadata?.uid);
      lives.set(key, live);
      sim.steps.push({ apply: [simService(live)] });
      const settled = await this.obs.until(
        () => {
          const seen = this.obs.services.get(key);
          return (seen?.metadata?.uid === live.metadata?.uid && ingressOf(seen).length > 0) || this.obs.events.some((e) => e.seq > mark && e.key === key && e.type === 'Warning');
        },
        SIGNAL_TIMEOUT_MS,
      );
      if (!settled) run.timeouts.push(`create ${key}`);
      tl = this.lap('signal', tl);
      await quiet(this.obs, mlb.logPath);
      tl = this.lap('quiet', tl);
      const same = await compare(`create ${key}`);
      tl = this.lap('compare', tl);
      if (!same) {
        ok = false;
        break;
      }
    }
    if (ok && gen.edit) {
      const p = gen.pools.find((x) => x.name === gen.edit!.pool)!;
      const obj = poolObject(p, gen.edit.addresses);
      const size = statSync(mlb.logPath).size;
      await this.cluster.apply([obj]);
      sim.steps.push({ description: `edit: ${gen.edit.what}`, apply: [obj] });
      // The pool reconciler logs when it runs; then wait for the reprocess-all to finish.
      const moved = await this.obs.until(() => statSync(mlb.logPath).size > size, SIGNAL_TIMEOUT_MS);
      if (!moved) run.timeouts.push('edit');
      await quiet(this.obs, mlb.logPath, Math.max(QUIET_MS, 250));
      run.edited = true;
      ok = await compare(`edit ${gen.edit.pool}`);
    }
    run.agree = ok;
    run.scenarioYaml = sim.text();
    run.events = this.obs.events.filter((e) => e.seq > seqFrom && gen.namespaces.some((n) => e.key.startsWith(`${n.name}/`)));
    if (!ok) run.logExcerpt = logExcerpt(mlb.logPath, logFrom);
    if (!mlb.running()) throw new Error(`MetalLB controller ${gen.version} died during ${gen.id}; log ${mlb.logPath}`);
    run.ms = Date.now() - t0;
    return run;
  }
}

function ignoreNotFound(err: unknown): void {
  const code = (err as { code?: number }).code;
  if (code !== 404) throw err;
}

/** The controller's log since the scenario started, long JSON payloads cut. */
function logExcerpt(path: string, from: number, maxLines = 200): string {
  const text = readFileSync(path, 'utf8').slice(from);
  const lines = text.split('\n').filter(Boolean).map((l) => (l.length > 600 ? `${l.slice(0, 600)}…` : l));
  return lines.slice(-maxLines).join('\n');
}
