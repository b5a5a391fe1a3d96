// `lbguard: Show Status` renders the core status view (shared/src/status) as text for an output channel.
import { buildStatusReport, type StatusReport } from '../../shared/src/status/report.js';
import type { ClusterModel } from '../../shared/src/model/types.js';
import type { Finding } from '../../shared/src/findings/finding.js';

export function statusReport(model: ClusterModel, version?: string, findings?: Finding[]): StatusReport {
  return buildStatusReport(model, { version, findings });
}

export function renderStatus(r: StatusReport, title: string): string {
  const out: string[] = [];
  out.push(`lbguard status — ${title}`);
  out.push(`MetalLB ${r.metallb.version} (${r.metallb.versionSource}) in namespace ${r.metallb.namespace}${r.metallb.configError ? ` — CONFIG ERROR: ${r.metallb.configError}` : ''}`);
  out.push('');
  out.push(`Pools (${r.summary.activePools} active of ${r.summary.pools}):`);
  for (const p of r.pools) {
    const fam = (['ipv4', 'ipv6'] as const)
      .filter((f) => p[f])
      .map((f) => `${f} ${p[f]!.used}/${p[f]!.total} used, ${p[f]!.available} free (${p[f]!.percent}%${p[f]!.level !== 'ok' ? ` ${p[f]!.level}` : ''})`)
      .join('; ');
    out.push(`  ${p.namespace ? `${p.namespace}/` : ''}${p.name}  [${p.addresses.join(', ')}]  ${fam}${p.active ? '' : `  (inactive: ${p.inactiveReason})`}`);
  }
  out.push('');
  out.push(`Services (${r.summary.assigned} assigned, ${r.summary.pending} pending, ${r.summary.ignored} ignored):`);
  for (const s of r.services) {
    out.push(`  ${s.namespace}/${s.name}  ${s.state}  ${s.ips.join(',') || '-'}${s.pool ? `  pool ${s.pool}` : ''}${s.reason ? `  — ${s.reason}` : ''}`);
  }
  if (r.problems.length) {
    out.push('');
    out.push(`Problems (${r.summary.problems.error} errors, ${r.summary.problems.warning} warnings, ${r.summary.problems.info} info):`);
    for (const p of r.problems) out.push(`  ${p.severity.padEnd(7)} ${p.rule}: ${p.message}`);
  }
  return out.join('\n');
}
