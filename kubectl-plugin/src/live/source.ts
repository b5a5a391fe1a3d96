// The live StateSource: kubeconfig → client → discovery + paged lists → documents holding the
// listed objects as a snapshot file holds them (objects.ts) → the same model reads the --state path
// makes, each page's made as it arrives. So `status` live and `status --state <snapshot>` give
// the same view by construction.
import { stringify as yamlStringify } from 'yaml';
import type { ManifestDocument } from '../../../shared/src/manifest/document.js';
import type { ManifestFile } from '../../../shared/src/manifest/parse.js';
import { type DocumentRead, type KnownReads, readDocument } from '../../../shared/src/model/build.js';
import { isRelevantKind } from '../../../shared/src/model/kinds.js';
import type { StateSnapshot, StateSource } from '../io/state.js';
import { KubeClient } from './client.js';
import { LiveDocuments } from './objects.js';
import { resolveKubeconfig, type ResolvedConfig } from './kubeconfig.js';
import { liveFlags, type LiveFlags } from './options.js';
import { readCluster, type LiveRead } from './read.js';

export interface LiveSnapshot extends StateSnapshot {
  read: LiveRead;
  config: ResolvedConfig;
  /** The snapshot text (a `kind: List`), as `snapshot -o` writes it. */
  text: string;
  /** The model's reads of the documents, made as each page arrived (for `buildModel`). */
  reads: KnownReads;
}

/** The default namespace the reads ahead use: `buildModel`'s, which the state commands keep. */
const READ_NAMESPACE = 'default';

/** A `kubectl get -o yaml`-shaped List of the objects. */
export function listText(objects: Record<string, unknown>[]): string {
  return yamlStringify({ apiVersion: 'v1', kind: 'List', items: objects, metadata: { resourceVersion: '' } }, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false });
}

export function describeConfig(cfg: ResolvedConfig): string {
  return cfg.source === 'in-cluster' ? `in-cluster ${cfg.cluster.server}` : `context ${cfg.contextName ?? `${cfg.userName}@${cfg.clusterName}`}`;
}

export interface LiveSourceOptions {
  metallbNamespace?: string;
  /** Read each listed document for the model as its page arrives (default); `snapshot` builds no model. */
  readAhead?: boolean;
  /** Where warnings go (stderr by default). */
  warn?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export function openClient(flags: LiveFlags, o: { warn?: (line: string) => void; env?: NodeJS.ProcessEnv } = {}): KubeClient {
  const cfg = resolveKubeconfig(flags, { env: o.env });
  const warn = o.warn ?? ((l: string) => process.stderr.write(`${l}\n`));
  for (const w of cfg.warnings) warn(`Warning: ${w}`);
  return new KubeClient(cfg, { requestTimeoutMs: flags.requestTimeoutMs, warn, env: o.env, verbosity: flags.verbosity, log: (l: string) => process.stderr.write(`${l}\n`) });
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
    const description = describeConfig(client.config);
    // Each page becomes documents and model reads while the next page is on its way.
    const reads = new WeakMap<ManifestDocument, DocumentRead>();
    const onDocument = this.o.readAhead === false ? undefined : (doc: ManifestDocument, file: ManifestFile) => void reads.set(doc, readDocument(doc, file, READ_NAMESPACE));
    const docs = new LiveDocuments(description, { kindFilter: isRelevantKind, onDocument });
    const read = await readCluster(client, { namespace, selector: this.flags.selector, chunkSize: this.flags.chunkSize, metallbNamespace: this.o.metallbNamespace, onObjects: (objects) => docs.add(objects) });
    for (const w of read.warnings) warn(`Warning: ${w}`);
    for (const n of read.notes) warn(`note: ${n}`);
    if (namespace) warn(`note: -n ${namespace}: only Services in ${namespace} are listed, so pool usage counts those only (drop -n for cluster-wide usage)`);
    const files = [docs.file(read.objects)];
    let text: string | undefined;
    return {
      files,
      description,
      read,
      reads: {
        defaultNamespace: READ_NAMESPACE,
        // A read that made findings positioned them before its document had its place: read again.
        read: (doc) => {
          const r = reads.get(doc);
          return r && !r.findings.length ? r : undefined;
        },
      },
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
