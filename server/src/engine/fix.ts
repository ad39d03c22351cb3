import type { Expr, HclFile } from '../parse/hcl';
import type { LineIndex, Span } from '../parse/source';
import type { TfAttribute, TfBlock } from '../parse/terraform';
import type { YamlFile, YMap, YNode, YSeq } from '../parse/yaml';
import type { Fix, TextEdit } from './types';

/*
 * Deterministic fixes are minimal text edits: they change only the value or insert only the
 * missing lines, so formatting and comments around them survive.
 */

function indentOfLine(lines: LineIndex, line: number): string {
  return /^[ \t]*/.exec(lines.lineText(line))![0];
}

/** The indentation used for the children of a Terraform block. */
function childIndent(block: TfBlock): string {
  const f = block.file;
  const own = indentOfLine(f.lines, block.headerSpan.startLine);
  const firstChild = [...block.hcl.attributes.values()].map((a) => a.span).concat(block.hcl.blocks.map((b) => b.span))
    .sort((a, b) => a.start - b.start)[0];
  if (firstChild && firstChild.startLine > block.headerSpan.endLine) return indentOfLine(f.lines, firstChild.startLine);
  return own + (own.includes('\t') ? '\t' : '  ');
}

/** Inserts HCL lines (written with two-space relative indentation) as the first lines of a block body. */
export function insertIntoBlock(block: TfBlock, hclLines: string[]): TextEdit | undefined {
  const f: HclFile = block.file;
  if (block.hcl.openBrace < 0 || block.hcl.closeBrace < 0) return undefined;
  const nl = f.lines.eol;
  const indent = childIndent(block);
  const unit = indent.includes('\t') ? '\t' : '  ';
  const body = hclLines.map((l) => indent + l.replace(/^( {2})+/, (m) => unit.repeat(m.length / 2))).join(nl);
  const closeLine = f.lines.positionAt(block.hcl.closeBrace).line;
  if (closeLine === block.headerSpan.endLine) {
    // `resource "x" "y" {}` or a one-line block: open it up.
    const own = indentOfLine(f.lines, block.headerSpan.startLine);
    const inner = f.text.slice(block.hcl.openBrace, block.hcl.closeBrace).trim();
    const existing = inner ? indent + inner + nl : '';
    return { file: f.path, start: block.hcl.openBrace, end: block.hcl.closeBrace, newText: nl + existing + body + nl + own };
  }
  return { file: f.path, start: block.hcl.openBrace, end: block.hcl.openBrace, newText: nl + body };
}

export function replaceSpan(file: string, span: Span, newText: string): TextEdit {
  return { file, start: span.start, end: span.end, newText };
}

/** Written as a constant: a fix may replace it without changing where the value comes from. */
function isConstant(e: Expr): boolean {
  switch (e.t) {
    case 'lit': return true;
    case 'template': return e.parts.every((p) => typeof p === 'string');
    case 'tuple': return e.items.every(isConstant);
    case 'object': return e.entries.every((x) => isConstant(x.value));
    case 'unary': return isConstant(e.operand);
    default: return false;
  }
}

/**
 * Replaces an attribute's value. A value that comes from a variable, a local, a reference or a
 * function is not overwritten with a literal (that would silently cut the link): no fix then.
 */
export function replaceAttributeValue(attr: TfAttribute, valueText: string): TextEdit | undefined {
  if (!isConstant(attr.hcl.expr)) return undefined;
  return replaceSpan(attr.file.path, attr.exprSpan, valueText);
}

/** Sets `name = value` in a block: replaces an existing value or inserts the line. */
export function setAttribute(block: TfBlock, name: string, valueText: string): TextEdit | undefined {
  const a = block.attr(name);
  if (a) return replaceAttributeValue(a, valueText);
  return insertIntoBlock(block, [`${name} = ${valueText}`]);
}

/**
 * Sets an attribute inside nested blocks, creating the blocks that are missing:
 * setNestedAttribute(instance, ['metadata_options'], 'http_tokens', '"required"').
 */
export function setNestedAttribute(block: TfBlock, path: string[], name: string, valueText: string): TextEdit | undefined {
  let cur = block;
  for (let i = 0; i < path.length; i++) {
    const next = cur.blocks(path[i]).find((b) => !b.dynamic);
    if (!next) {
      const lines: string[] = [];
      const rest = path.slice(i);
      rest.forEach((p, depth) => lines.push(`${'  '.repeat(depth)}${p} {`));
      lines.push(`${'  '.repeat(rest.length)}${name} = ${valueText}`);
      for (let d = rest.length - 1; d >= 0; d--) lines.push(`${'  '.repeat(d)}}`);
      return insertIntoBlock(cur, lines);
    }
    cur = next;
  }
  return setAttribute(cur, name, valueText);
}

export function tfFix(title: string, ...edits: (TextEdit | undefined)[]): Fix | undefined {
  if (edits.some((e) => e === undefined) || edits.length === 0) return undefined;
  return { title, edits: edits as TextEdit[] };
}

// ---------------------------------------------------------------- YAML

function yamlIndentUnit(file: YamlFile): number {
  const m = /\n( +)\S/.exec(file.text);
  return m ? Math.min(m[1]!.length, 4) || 2 : 2;
}

/** Renders a nested key path as YAML lines: ['a','b'], 'v' -> ["a:", "  b: v"]. */
function nestedLines(path: string[], valueText: string, unit: number): string[] {
  return path.map((k, i) => `${' '.repeat(unit * i)}${k}:${i === path.length - 1 ? ` ${valueText}` : ''}`);
}

function flowNested(path: string[], valueText: string): string {
  let out = valueText;
  for (let i = path.length - 1; i >= 0; i--) out = i === path.length - 1 ? `${path[i]}: ${out}` : `${path[i]}: {${out}}`;
  return out;
}

/**
 * Sets a (possibly nested) key under a mapping, creating missing intermediate mappings:
 * setYamlPath(file, container, ['securityContext', 'allowPrivilegeEscalation'], 'false').
 */
export function setYamlPath(file: YamlFile, map: YMap, path: string[], valueText: string): TextEdit | undefined {
  const [head, ...rest] = path;
  if (head === undefined) return undefined;
  const pair = [...map.pairs].reverse().find((p) => p.key === head);
  if (pair) {
    if (rest.length === 0) {
      if (pair.value) return replaceSpan(file.path, pair.value.span, valueText);
      return { file: file.path, start: pair.span.end, end: pair.span.end, newText: ` ${valueText}` };
    }
    const v = pair.value;
    if (v && v.t === 'map') {
      if (v.pairs.length === 0) return replaceSpan(file.path, v.span, `{${flowNested(rest, valueText)}}`);
      return setYamlPath(file, v, rest, valueText);
    }
    if (!v || (v.t === 'scalar' && v.value === null)) {
      const unit = yamlIndentUnit(file);
      const keyIndent = pair.keySpan.startCol;
      const lines = nestedLines(rest, valueText, unit).map((l) => ' '.repeat(keyIndent + unit) + l);
      const nl = file.lines.eol;
      const at = v ? v.span.end : pair.span.end;
      return { file: file.path, start: at, end: v ? v.span.end : at, newText: (v ? '' : '') + nl + lines.join(nl) };
    }
    return undefined;
  }
  return addYamlKey(file, map, path, valueText);
}

function addYamlKey(file: YamlFile, map: YMap, path: string[], valueText: string): TextEdit | undefined {
  if (map.flow || map.pairs.length === 0) {
    if (map.span.end - map.span.start < 2) return undefined;
    const inner = file.text.slice(map.span.start + 1, map.span.end - 1).trim();
    const entry = flowNested(path, valueText);
    return replaceSpan(file.path, map.span, `{${inner ? `${inner}, ` : ''}${entry}}`);
  }
  const first = map.pairs[0]!;
  const indent = first.keySpan.startCol;
  const last = map.pairs.reduce((a, b) => (b.span.end > a.span.end ? b : a));
  const unit = yamlIndentUnit(file);
  const nl = file.lines.eol;
  const lines = nestedLines(path, valueText, unit).map((l) => ' '.repeat(indent) + l);
  // Insert after the last line of the mapping (including nested content) so siblings stay intact.
  const end = lineEndOffset(file, last.span.end);
  return { file: file.path, start: end, end, newText: nl + lines.join(nl) };
}

function lineEndOffset(file: YamlFile, offset: number): number {
  const pos = file.lines.positionAt(offset);
  return file.lines.lineStart(pos.line) + file.lines.lineText(pos.line).length;
}

export function replaceYamlNode(file: YamlFile, node: YNode, text: string): TextEdit {
  return replaceSpan(file.path, node.span, text);
}

/** Appends an item to a block or flow sequence. */
export function appendToYamlSeq(file: YamlFile, seq: YSeq, itemText: string): TextEdit | undefined {
  if (seq.flow || seq.items.length === 0) {
    if (seq.span.end - seq.span.start < 2) return undefined;
    const inner = file.text.slice(seq.span.start + 1, seq.span.end - 1).trim();
    return replaceSpan(file.path, seq.span, `[${inner ? `${inner}, ` : ''}${itemText}]`);
  }
  const first = seq.items[0]!;
  const lineText = file.lines.lineText(first.span.startLine);
  const dash = lineText.lastIndexOf('-', first.span.startCol);
  if (dash < 0) return undefined;
  const last = seq.items[seq.items.length - 1]!;
  const end = lineEndOffset(file, last.span.end);
  return { file: file.path, start: end, end, newText: `${file.lines.eol}${' '.repeat(dash)}- ${itemText}` };
}

/** Removes one item of a block sequence (the whole line), or of a flow sequence. */
export function removeYamlSeqItem(file: YamlFile, seq: YSeq, index: number): TextEdit | undefined {
  const item = seq.items[index];
  if (!item) return undefined;
  if (seq.flow) {
    const kept = seq.items.filter((_, i) => i !== index).map((i) => file.text.slice(i.span.start, i.span.end));
    return replaceSpan(file.path, seq.span, `[${kept.join(', ')}]`);
  }
  if (item.span.startLine !== item.span.endLine) return undefined;
  const start = file.lines.lineStart(item.span.startLine);
  const next = file.lines.lineStart(item.span.startLine + 1);
  return { file: file.path, start, end: next > start ? next : file.text.length, newText: '' };
}

export function yamlFix(title: string, ...edits: (TextEdit | undefined)[]): Fix | undefined {
  return tfFix(title, ...edits);
}

/** Applies edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let lastStart = Infinity;
  for (const e of sorted) {
    if (e.end > lastStart) throw new Error('overlapping edits');
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    lastStart = e.start;
  }
  return out;
}
