// Source positions. Lines and columns are 1-based; `end` is exclusive (the character after the
// region), which is what VS Code ranges and SARIF regions both expect.

export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface SourceRange {
  start: Position;
  end: Position;
}

/** Maps offsets of one text to 1-based line/column, by binary search over line starts. */
export class LineIndex {
  /**
   * Offset of each line's first character. Counted first, then filled: a large file has a hundred
   * thousand lines, and an array grown by push was copied a few times over on the way (and by the
   * garbage collector); a typed array lives outside the collected heap.
   */
  private readonly lineStarts: Uint32Array;

  constructor(text: string) {
    let lines = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
    this.lineStarts = new Uint32Array(lines);
    let n = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts[n++] = i + 1;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1, offset };
  }

  range(start: number, end: number): SourceRange {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.min(Math.max(line, 1), this.lineStarts.length) - 1];
  }
}

export function formatPosition(file: string, r: SourceRange): string {
  return `${file}:${r.start.line}:${r.start.column}`;
}
