import type { Node } from 'web-tree-sitter';

/** A region of a source file. Offsets and columns are UTF-16 code units, lines are 0-based. */
export interface Span {
  start: number;
  end: number;
  startLine: number;
  startCol: number;
  endLine: number;
  endCol: number;
}

export function spanOf(node: Node): Span {
  return {
    start: node.startIndex,
    end: node.endIndex,
    startLine: node.startPosition.row,
    startCol: node.startPosition.column,
    endLine: node.endPosition.row,
    endCol: node.endPosition.column,
  };
}

/**
 * Comments matter to Rampart only when they hold a suppression directive (engine/suppress.ts reads
 * them). Collecting them visits every node of a tree, so a text that holds none of the directive
 * markers keeps no comments at all.
 */
export const DIRECTIVE_MARKER = /rampart:ignore|checkov:skip|tfsec:ignore|trivy:ignore|kics-scan/i;

/** The same span moved by `dOff` characters and `dLine` lines (columns stay: whole lines moved). */
export function shiftSpan(s: Span, dOff: number, dLine: number): Span {
  if (dOff === 0 && dLine === 0) return s;
  return { start: s.start + dOff, end: s.end + dOff, startLine: s.startLine + dLine, startCol: s.startCol, endLine: s.endLine + dLine, endCol: s.endCol };
}

export function joinSpans(a: Span, b: Span): Span {
  const first = a.start <= b.start ? a : b;
  const last = a.end >= b.end ? a : b;
  return { start: first.start, end: last.end, startLine: first.startLine, startCol: first.startCol, endLine: last.endLine, endCol: last.endCol };
}

/** Line index of a text, for turning offsets into positions and back. */
export class LineIndex {
  /** Where each line starts; a typed array, as the editor builds one on every keystroke. */
  private readonly starts: Int32Array;
  constructor(readonly text: string) {
    let n = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    this.starts = new Int32Array(n);
    let k = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts[k++] = i + 1;
  }
  private lineBreak: string | undefined;
  get lineCount(): number { return this.starts.length; }
  /** The line break the text uses ("\r\n" when it has any), for edits that add lines. */
  get eol(): string { return (this.lineBreak ??= this.text.includes('\r\n') ? '\r\n' : '\n'); }
  positionAt(offset: number): { line: number; character: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid; else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo]! };
  }
  offsetAt(line: number, character: number): number {
    if (line >= this.starts.length) return this.text.length;
    if (line < 0) return 0;
    const lineEnd = line + 1 < this.starts.length ? this.starts[line + 1]! - 1 : this.text.length;
    return Math.min(this.starts[line]! + Math.max(0, character), lineEnd);
  }
  lineStart(line: number): number { return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!; }
  lineText(line: number): string {
    const s = this.lineStart(line);
    const e = line + 1 < this.starts.length ? this.starts[line + 1]! - 1 : this.text.length;
    return this.text.slice(s, e).replace(/\r$/, '');
  }
  spanFromOffsets(start: number, end: number): Span {
    const a = this.positionAt(start), b = this.positionAt(end);
    return { start, end, startLine: a.line, startCol: a.character, endLine: b.line, endCol: b.character };
  }
}
