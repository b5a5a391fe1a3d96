// Helpers for the simulation tests: models from YAML, compact outcome views.
import { parseManifestText } from '../../shared/src/manifest/parse.js';
import { buildModel } from '../../shared/src/model/build.js';
import { isRelevantKind } from '../../shared/src/model/kinds.js';
import type { ClusterModel } from '../../shared/src/model/types.js';
import { simulate } from '../../shared/src/metallb/simulate.js';
import type { SimulationOptions, SimulationResult } from '../../shared/src/metallb/types.js';
export { yaml } from '../helpers/lintYaml.js';

export function model(text: string, metallbNamespace = 'metallb-system'): ClusterModel {
  return buildModel([parseManifestText(text, 'test.yaml', { kindFilter: isRelevantKind })], { metallbNamespace }).model;
}

export function sim(text: string, options: SimulationOptions = {}): SimulationResult {
  return simulate(model(text), options);
}

/** `key → ips joined by comma` or `key → pending: <message>` */
export function view(r: SimulationResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, o] of r.services) out[k] = o.state === 'assigned' ? o.ips.join(',') : `${o.state}${o.message ? `: ${o.message}` : ''}`;
  return out;
}

export function pool(name: string, addresses: string[], extra = ''): string {
  return `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: ${name}
  namespace: metallb-system
spec:
  addresses:
${addresses.map((a) => `  - "${a}"`).join('\n')}
${extra
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => `  ${l}`)
  .join('\n')}
---
`;
}

export interface SvcSpec {
  ns?: string;
  ports?: string[];
  ingress?: string[];
  clusterIPs?: string[];
  policy?: string;
  families?: string[];
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  lbIP?: string;
  lbClass?: string;
  local?: Record<string, string>;
  type?: string;
}

export function svc(name: string, s: SvcSpec = {}): string {
  const ns = s.ns ?? 'default';
  const lines = [`apiVersion: v1`, `kind: Service`, `metadata:`, `  name: ${name}`, `  namespace: ${ns}`];
  if (s.annotations) {
    lines.push('  annotations:');
    for (const [k, v] of Object.entries(s.annotations)) lines.push(`    ${k}: ${JSON.stringify(v)}`);
  }
  if (s.labels) {
    lines.push('  labels:');
    for (const [k, v] of Object.entries(s.labels)) lines.push(`    ${k}: ${JSON.stringify(v)}`);
  }
  lines.push('spec:', `  type: ${s.type ?? 'LoadBalancer'}`);
  lines.push(`  clusterIPs: [${(s.clusterIPs ?? ['10.96.0.10']).map((c) => JSON.stringify(c)).join(', ')}]`);
  if (s.policy) lines.push(`  ipFamilyPolicy: ${s.policy}`);
  if (s.families) lines.push(`  ipFamilies: [${s.families.join(', ')}]`);
  if (s.lbIP) lines.push(`  loadBalancerIP: ${JSON.stringify(s.lbIP)}`);
  if (s.lbClass) lines.push(`  loadBalancerClass: ${s.lbClass}`);
  if (s.local) {
    lines.push('  externalTrafficPolicy: Local', '  selector:');
    for (const [k, v] of Object.entries(s.local)) lines.push(`    ${k}: ${v}`);
  }
  lines.push('  ports:');
  for (const p of s.ports ?? ['TCP/80']) {
    const [proto, port] = p.split('/');
    lines.push(`  - protocol: ${proto}`, `    port: ${port}`);
  }
  if (s.ingress?.length) {
    lines.push('status:', '  loadBalancer:', '    ingress:');
    for (const ip of s.ingress) lines.push(`    - ip: ${JSON.stringify(ip)}`);
  }
  return lines.join('\n') + '\n---\n';
}
