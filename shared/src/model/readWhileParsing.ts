// Model reads made while a file is parsed, for commands that need only the model (simulate, plan).
import type { ManifestDocument } from '../manifest/document.js';
import type { ManifestFile, ParseOptions } from '../manifest/parse.js';
import { type DocumentRead, type KnownReads, readDocument } from './build.js';

export interface ReadWhileParsing {
  /** Pass as `parseManifestText`'s `onDocument`. */
  onDocument: NonNullable<ParseOptions['onDocument']>;
  /** Pass to `buildModel` (with the same default namespace). */
  known: KnownReads;
}

/**
 * Reads each document into the model's terms as soon as it is parsed, then releases its plain
 * value (it is read again from the text if anything asks). Parsing a whole file first and reading
 * it after kept every document's value alive next to the model; this way the values die young,
 * and a 100k-Service model is ~30% smaller for every later collection to walk (a lint keeps the
 * values: its rules read them).
 */
export function readWhileParsing(defaultNamespace = 'default'): ReadWhileParsing {
  // In parse order; buildModel asks in the same order (files as parsed, documents in order).
  const docs: ManifestDocument[] = [];
  const reads: DocumentRead[] = [];
  let next = 0;
  let byDoc: Map<ManifestDocument, DocumentRead> | undefined;
  return {
    onDocument(doc: ManifestDocument, file: ManifestFile) {
      docs.push(doc);
      reads.push(readDocument(doc, file, defaultNamespace));
      doc.releaseValue();
    },
    known: {
      defaultNamespace,
      read(doc: ManifestDocument) {
        if (docs[next] === doc) {
          // Handed over once: let the read go with the build (a second ask reads the document again).
          const read = reads[next];
          reads[next++] = undefined as unknown as DocumentRead;
          return read;
        }
        if (!byDoc) {
          byDoc = new Map();
          for (let i = 0; i < docs.length; i++) byDoc.set(docs[i], reads[i]);
        }
        return byDoc.get(doc);
      },
    },
  };
}
