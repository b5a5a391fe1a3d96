// The live StateSource: kubeconfig → client → discovery + paged lists → the same text a
// `kubectl lb snapshot` file holds → the same parser the --state path uses. So `status` live and
// `status --state <snapshot>` give the same view by construction.
import { stringify as yamlStringify } from 'yaml';
import { isRelevantKind } from '../../../shared/src/model/kinds.js';
import type { StateSnapshot, StateSource } from '../io/state.js';
import { KubeClient } from './client.js';
import { objectsToManifestFile } from './objects.js';
import { resolveKubeconfig, type ResolvedConfig } from './kubeconfig.js';
import { liveFlags, type LiveFlags } from './options.js';
import { readCluster, type LiveRead } from './read.js';

export interface LiveSnapshot extends StateSnapshot {
  read: LiveRead;
  config: ResolvedConfig;
  /** The snapshot text (a `kind: List`), as `snapshot -o` writes it. */
  text: string;
}

/** A `kubectl get -o yaml`-shaped List of the objects. */
export function listText(objects: Record<string, unknown>[]): string {
  return yamlStringify({ apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } }, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false });
}

export function describeConfig(cfg: ResolvedConfig): string {
  return cfg.source === 'in-cluster' ? `in-cluster ${cfg.cluster.server}` : `context ${cfg.contextName ?? `${cfg.userName}@${cfg.clusterName}`}`;
}

export interface LiveSourceOptions {
  metallbNamespace?: string;
  /** Where warnings go (stderr by default). */
  warn?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export function openClient(flags: LiveFlags, o: { warn?: (line: string) => void; env?: NodeJS.ProcessEnv } = {}): KubeClient {
  const cfg = resolveKubeconfig(flags, { env: o.env });
  const warn = o.warn ?? ((l: string) => process.stderr.write(`${l}\n`));
  for (const w of cfg.warnings) warn(`Warning: ${w}`);
  return new KubeClient(cfg, { requestTimeoutMs: flags.requestTimeoutMs, warn, env: o.env });
}

export class LiveStateSource implements StateSource {
  private readonly flags: LiveFlags;
  client?: KubeClient;

  constructor(
    opts: Record<string, unknown>,
    private readonly o: LiveSourceOptions = {},
  ) {
    this.flags = liveFlags(opts);
  }

  async load(): Promise<LiveSnapshot> {
    const warn = this.o.warn ?? ((l: string) => process.stderr.write(`${l}\n`));
    this.client ??= openClient(this.flags, { warn, env: this.o.env });
    const client = this.client;
    const namespace = this.flags.allNamespaces ? undefined : this.flags.namespace;
    const read = await readCluster(client, { namespace, selector: this.flags.selector, chunkSize: this.flags.chunkSize, metallbNamespace: this.o.metallbNamespace });
    for (const w of read.warnings) warn(`Warning: ${w}`);
    for (const n of read.notes) warn(`note: ${n}`);
    if (namespace) warn(`note: -n ${namespace}: only Services in ${namespace} are listed, so pool usage counts those only (drop -n for cluster-wide usage)`);
    const description = describeConfig(client.config);
    const files = [objectsToManifestFile(read.objects, description, isRelevantKind)];
    let text: string | undefined;
    return {
      files,
      description,
      read,
      config: client.config,
      // The snapshot's YAML, made only when asked for (`snapshot`): YAML is slow on big clusters.
      get text() {
        return (text ??= listText(read.objects));
      },
    };
  }

  close(): void {
    this.client?.close();
  }
}
