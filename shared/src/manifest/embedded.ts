// YAML embedded in a string value (MetalLB ≤0.12 keeps its config in ConfigMap data `config: |`).
// The inner document is parsed on its own; its ranges are mapped back into the outer file so a
// finding about a pool in the ConfigMap points at the right line and column of the file.
import { parseDocument, Scalar } from 'yaml';
import { asRecord, ManifestDocument, type PathSegment, type RangeMapper } from './document.js';
import { LineIndex } from './source.js';

export type EmbeddedResult = { doc: ManifestDocument } | { error: string };

export function parseEmbeddedYaml(outer: ManifestDocument, path: PathSegment[], fileText: string, fileLines: LineIndex): EmbeddedResult | undefined {
  const text = outer.get(path);
  if (typeof text !== 'string') return undefined;
  const doc = parseDocument(text, { version: '1.1', prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) return { error: doc.errors[0].message.split('\n')[0] };
  let value: Record<string, unknown> | undefined;
  try {
    value = asRecord(doc.toJS({ maxAliasCount: 100 }));
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (!value) return { error: 'the embedded config is not a mapping' };
  const valueRange = outer.locate(path).range;
  const scalar = outer.scalarAt(path);
  const inner = new LineIndex(text);
  let mapper: RangeMapper;
  if (scalar && (scalar.type === Scalar.BLOCK_LITERAL || scalar.type === Scalar.BLOCK_FOLDED)) {
    // Content starts on the line after the `|` indicator; every content line carries the same
    // indentation, which the parser strips, so it is read back from the file text.
    const firstContentLine = valueRange.start.line + 1;
    const indent = indentationOfBlock(fileText, fileLines, firstContentLine);
    mapper = {
      fileRange: (s, e) => {
        const map = (o: number) => {
          const p = inner.position(o);
          const line = firstContentLine + p.line - 1;
          const column = p.column + indent;
          return { line, column, offset: fileLines.lineStart(line) + column - 1 };
        };
        return { start: map(s), end: map(Math.max(s, e)) };
      },
    };
  } else {
    // Quoted or plain scalars fold lines and escapes: point every finding at the value itself.
    mapper = { fileRange: () => valueRange };
  }
  return { doc: new ManifestDocument(outer.file, outer.docIndex, value, doc, mapper) };
}

function indentationOfBlock(text: string, lines: LineIndex, fromLine: number): number {
  for (let line = fromLine; line <= lines.lineCount; line++) {
    const start = lines.lineStart(line);
    const end = text.indexOf('\n', start);
    const content = text.slice(start, end < 0 ? undefined : end);
    if (content.trim() === '') continue;
    return content.length - content.trimStart().length;
  }
  return 0;
}
