// Where the cluster's state comes from: a snapshot file (`kubectl get -o yaml` output, a List or
// multi-document YAML) here, or the live source (kubeconfig + API, kubectl-plugin/src/live/), which
// implements the same interface and is loaded lazily, so offline commands never load
// @kubernetes/client-node.
import { parseManifestText, type ManifestFile } from '../../../shared/src/manifest/parse.js';
import type { KnownReads } from '../../../shared/src/model/build.js';
import { isRelevantKind } from '../../../shared/src/model/kinds.js';
import { readPath } from './inputs.js';

export interface StateSnapshot {
  /** Parsed objects; positions point into the snapshot (a live source serialises what it lists). */
  files: ManifestFile[];
  /** Shown in headers: the file name, or `context <name>`. */
  description: string;
  /** Model reads of the documents made while loading (a live source's), for `buildModel`. */
  reads?: KnownReads;
}

export interface StateSource {
  load(): Promise<StateSnapshot>;
}

export class FileStateSource implements StateSource {
  constructor(
    private readonly path: string,
    private readonly maxFileSize: number,
  ) {}

  async load(): Promise<StateSnapshot> {
    const texts = readPath(this.path, this.maxFileSize);
    return {
      files: texts.map((t) => parseManifestText(t.text, t.file, { kindFilter: isRelevantKind })),
      description: texts.length === 1 ? texts[0].file : this.path,
    };
  }
}
