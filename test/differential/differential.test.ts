// The differential test: lbguard's simulation of MetalLB's controller vs the real controller
// (v0.13.12, v0.14.8, v0.16.2) on a real kube-apiserver, over randomized scenarios.
//
//   node --import tsx --test test/differential/differential.test.ts
//   LBGUARD_DIFF_SEED=123 LBGUARD_DIFF_COUNT=20 LBGUARD_DIFF_VERSIONS=v0.14.8 node --import tsx --test ...
//   LBGUARD_DIFF_ONLY=v0.14.8#37   (one scenario, with the seed it ran with)
//
// Needs test/harness/kube/build.sh; a missing binary or a controller that does not start FAILS.
// Writes test-artifacts/differential/summary.json and disagreements.md (scenario YAML, predicted,
// actual, events, MetalLB log excerpt for each disagreement). Below 99% agreement fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster } from '../harness/kube/cluster.js';
import { startMetalLB } from '../harness/kube/metallb.js';
import { REPO_ROOT, versions } from '../harness/kube/paths.js';
import { generateScenario } from './generate.js';
import { DifferentialRunner, Observer, type ScenarioRun } from './runner.js';

const THRESHOLD = 0.99;
const seed = process.env.LBGUARD_DIFF_SEED ? Number(process.env.LBGUARD_DIFF_SEED) : Math.floor(Math.random() * 2 ** 31);
const count = Number(process.env.LBGUARD_DIFF_COUNT ?? 200);
const only = process.env.LBGUARD_DIFF_ONLY; // "v0.14.8#37"
const versionList = (process.env.LBGUARD_DIFF_VERSIONS?.split(',') ?? versions.metallb).filter((v) => !only || only.startsWith(`${v}#`));
const outDir = join(REPO_ROOT, 'test-artifacts', 'differential');

interface VersionSummary {
  scenarios: number;
  agree: number;
  rate: number;
  seconds: number;
  services: number;
  randomChoicesAccepted: number;
  /** Services checked after their scenario's last step: how many held IPs, how many were Pending. */
  finalAssigned: number;
  finalPending: number;
  edits: number;
  timeouts: number;
  lateSettles: number;
  /** Where the time went (ms summed over the version's scenarios). */
  profileMs: Record<string, number>;
  disagreements: string[];
}

test(`differential: lbguard simulation vs real MetalLB (seed ${seed}, ${only ?? `${count} per version`})`, { timeout: 60 * 60_000 }, async (t) => {
  console.log(`differential: seed ${seed} (reproduce with LBGUARD_DIFF_SEED=${seed} LBGUARD_DIFF_COUNT=${count})`);
  assert.ok(Number.isFinite(seed) && count > 0, 'LBGUARD_DIFF_SEED / LBGUARD_DIFF_COUNT must be numbers');
  mkdirSync(outDir, { recursive: true });
  const t0 = Date.now();
  const cluster = await startCluster();
  const obs = new Observer(cluster.kubeConfig('admin'));
  t.after(async () => {
    obs.stop();
    await cluster.stop();
  });
  await obs.start();
  await cluster.ensureMetalLBNamespace();
  const runner = new DifferentialRunner(cluster, obs);

  const summary: { seed: number; count: number; startedAt: string; totalSeconds?: number; clusterSeconds: number; versions: Record<string, VersionSummary> } = {
    seed,
    count,
    startedAt: new Date(t0).toISOString(),
    clusterSeconds: (Date.now() - t0) / 1000,
    versions: {},
  };
  const report: string[] = [`# Differential test disagreements (seed ${seed})`, ''];
  const lines: string[] = [];

  for (const version of versionList) {
    await t.test(`MetalLB ${version}`, async () => {
      const tv = Date.now();
      const before = { ...runner.profile };
      const mlb = await startMetalLB(cluster, version); // throws loudly (missing binary, no start)
      const runs: ScenarioRun[] = [];
      try {
        const indexes = only ? [Number(only.split('#')[1])] : Array.from({ length: count }, (_, i) => i);
        for (const i of indexes) {
          const gen = generateScenario(seed, version, i);
          const r = await runner.run(gen, mlb);
          runs.push(r);
          if (runs.length % 25 === 0) console.log(`differential ${version}: ${runs.length} scenarios, ${runs.filter((x) => x.agree).length} agree, ${((Date.now() - tv) / 1000).toFixed(0)} s`);
          if (!r.agree) {
            report.push(`## ${r.id}`, '', `Generated: \`${JSON.stringify({ pools: gen.pools, services: gen.services, edit: gen.edit })}\``, '');
            for (const d of r.disagreements) {
              report.push(`- **${d.key}** after \`${d.step}\`: predicted ${JSON.stringify(d.predicted)}; actual ${JSON.stringify(d.actual)}`);
            }
            report.push('', 'Scenario (lbguard scenario format, ClusterIPs as the API server assigned them):', '', '```yaml', r.scenarioYaml.trimEnd(), '```', '',
              'Events:', '', '```', ...r.events.map((e) => `${e.key} ${e.type} ${e.reason}: ${e.message}`), '```', '',
              'MetalLB log (this scenario):', '', '```', r.logExcerpt, '```', '');
          }
        }
      } finally {
        await mlb.stop();
      }
      const agree = runs.filter((r) => r.agree).length;
      const s: VersionSummary = {
        scenarios: runs.length,
        agree,
        rate: runs.length ? agree / runs.length : 0,
        seconds: Math.round((Date.now() - tv) / 100) / 10,
        services: runs.reduce((n, r) => n + new Set(r.checks.map((c) => c.key)).size, 0),
        randomChoicesAccepted: runs.reduce((n, r) => n + r.randomChoices, 0),
        finalAssigned: runs.reduce((n, r) => n + r.final.filter((c) => c.actual.length > 0).length, 0),
        finalPending: runs.reduce((n, r) => n + r.final.filter((c) => c.actual.length === 0).length, 0),
        edits: runs.filter((r) => r.edited).length,
        timeouts: runs.reduce((n, r) => n + r.timeouts.length, 0),
        lateSettles: runs.reduce((n, r) => n + r.lateSettles, 0),
        profileMs: Object.fromEntries(Object.entries(runner.profile).map(([k, v]) => [k, v - (before[k] ?? 0)])),
        disagreements: runs.filter((r) => !r.agree).map((r) => r.id),
      };
      summary.versions[version] = s;
      const line = `differential ${version}: ${agree}/${runs.length} agree (${(s.rate * 100).toFixed(1)}%) in ${s.seconds} s; ${s.services} Services (final: ${s.finalAssigned} assigned, ${s.finalPending} pending), ${s.edits} pool edits, ${s.randomChoicesAccepted} random pool choices accepted, ${s.timeouts} settle timeouts, ${s.lateSettles} late settles`;
      lines.push(line);
      console.log(line);
      if (process.env.LBGUARD_DIFF_PROFILE) console.log(`profile (ms): ${JSON.stringify(s.profileMs)}`);
      summary.totalSeconds = (Date.now() - t0) / 1000;
      writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
      writeFileSync(join(outDir, 'disagreements.md'), `${report.join('\n')}\n`);
      assert.ok(s.rate >= THRESHOLD, `${line}: below ${THRESHOLD * 100}%; see ${join(outDir, 'disagreements.md')}`);
    });
  }
  summary.totalSeconds = (Date.now() - t0) / 1000;
  writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`differential: ${lines.length} versions in ${summary.totalSeconds.toFixed(0)} s (seed ${seed})`);
});
