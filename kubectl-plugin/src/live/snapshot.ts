// `kubectl lb snapshot -o <file>`: the state file every offline command reads (`--state`), taken
// from the live cluster: a `kind: List` of the objects lbguard reads, `kubectl get -o yaml` shape,
// managedFields trimmed to the owners of spec.loadBalancerIP.
import { Command } from 'commander';
import { renameSync, writeFileSync } from 'node:fs';
import { EXIT_OK } from '../errors.js';
import { addLiveOptions } from './options.js';
import { LiveStateSource } from './source.js';

export function snapshotCommand(): Command {
  const cmd = new Command('snapshot')
    .description('Save the live cluster state lbguard reads (Services, pools, Namespaces, Service Events, the MetalLB controller Deployment, Harvester IPPools/LoadBalancers) as a state file for --state.')
    .option('-o, --output <file>', 'where to write the state file (- for stdout)', '-')
    .option('--metallb-namespace <namespace>', "MetalLB's namespace, when it cannot be found from its controller Deployment");
  addLiveOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  kubectl lb snapshot -o state.yaml
  kubectl lb status --state state.yaml          # the same view, offline
  kubectl lb lint --state state.yaml pools/      # lint manifests against the cluster's state

Exit codes: 0 written, 2 kubeconfig, connection or server error.`,
  );
  cmd.action(async (opts: Record<string, unknown>) => {
    const src = new LiveStateSource(opts, { metallbNamespace: opts.metallbNamespace as string | undefined, readAhead: false });
    try {
      const snap = await src.load();
      const out = opts.output as string;
      if (out === '-') process.stdout.write(snap.text);
      else {
        const tmp = `${out}.tmp-${process.pid}`;
        writeFileSync(tmp, snap.text);
        renameSync(tmp, out);
        const counts = new Map<string, number>();
        for (const o of snap.read.objects) counts.set(String(o.kind), (counts.get(String(o.kind)) ?? 0) + 1);
        process.stderr.write(`wrote ${snap.read.objects.length} objects (${[...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}) from ${snap.description} to ${out}\n`);
      }
      process.exitCode = EXIT_OK;
    } finally {
      src.close();
    }
  });
  return cmd;
}
