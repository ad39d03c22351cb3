import type { Node, Tree } from 'web-tree-sitter';
import { commentNodes, parse, parseGuards } from './treesitter';
import { DIRECTIVE_MARKER, LineIndex, shiftSpan, spanOf, type Span } from './source';

export type YScalarValue = string | number | boolean | null;

export interface YScalar { t: 'scalar'; span: Span; value: YScalarValue; raw: string; style: 'plain' | 'single' | 'double' | 'block' }
export interface YPair { key: string; keySpan: Span; value: YNode | null; span: Span }
export interface YMap { t: 'map'; span: Span; pairs: YPair[]; flow: boolean }
export interface YSeq { t: 'seq'; span: Span; items: YNode[]; flow: boolean }
export type YNode = YScalar | YMap | YSeq;

/** Where a chunk of a file starts: its nodes' spans are relative to it (see buildYaml). */
export interface ChunkBase { start: number; line: number }
export const NO_BASE: ChunkBase = { start: 0, line: 0 };

export interface YDocument {
  root: YNode | null;
  /** Where the document is in the file. */
  span: Span;
  broken: boolean;
  /**
   * The spans of `root` and of every node below it are relative to `base`, the start of the chunk
   * the document was parsed from; `view` is that chunk as a file of its own, so that rules and fixes
   * read text and lines in the same coordinates. A document moved by an edit elsewhere keeps its
   * nodes: only its base changes.
   */
  base: ChunkBase;
  view: YamlFile;
}
export interface YamlFile {
  path: string;
  text: string;
  lines: LineIndex;
  documents: YDocument[];
  comments: { line: number; text: string; span: Span }[];
  hasErrors: boolean;
  /** Why the text was not parsed at all (see yamlTooDeep). */
  skipped?: string;
}

const MAX_DEPTH = 300;
/** Merge keys copy pairs; bounding them keeps "billion laughs" inputs linear. */
const MAX_MERGED_PAIRS = 10_000;

/**
 * tree-sitter-yaml's scanner keeps one entry per open indentation level and writes past its state
 * buffer beyond about 250 of them ("- " repeated 255 times on one line, or 300 keys each indented
 * one more space): wasm then fails with "memory access out of bounds" and every later parse in the
 * process fails too. Texts that may open that many levels are not given to the parser.
 */
export const MAX_YAML_LEVELS = 200;

/** An upper estimate of the indentation levels the YAML scanner opens: indents and `- `, `? `, `: ` indicators. */
export function yamlTooDeep(text: string, limit = MAX_YAML_LEVELS): boolean {
  const stack: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let end = text.indexOf('\n', i);
    if (end < 0) end = n;
    let j = i;
    while (j < end && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
    const c = j < end ? text.charCodeAt(j) : 10;
    if (c !== 35 /* # */ && c !== 13 && c !== 10) {
      let col = j - i;
      while (stack.length && stack[stack.length - 1]! >= col) stack.pop();
      stack.push(col);
      // Compact nesting on one line: `- - - x`, `? - x`, `- a: - x`.
      while (j + 1 < end) {
        const ch = text.charCodeAt(j), next = text.charCodeAt(j + 1);
        if ((ch === 45 /* - */ || ch === 63 /* ? */ || ch === 58 /* : */) && (next === 32 || next === 9)) {
          j += 2;
          while (j < end && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
          col = j - i;
          stack.push(col);
        } else break;
      }
      // Indicators later in the line count too: after an alias (`*a - - - ...`, `a: *b : : ...`)
      // the scanner opens a level for each of them.
      let later = 0;
      for (let k = j; k + 1 < end; k++) {
        const ch = text.charCodeAt(k), next = text.charCodeAt(k + 1), prev = k > i ? text.charCodeAt(k - 1) : 32;
        if ((ch === 45 || ch === 63 || ch === 58) && (next === 32 || next === 9) && (prev === 32 || prev === 9)) later++;
      }
      if (stack.length + later > limit) return true;
    }
    i = end + 1;
  }
  return false;
}

parseGuards.yaml = (text) => (yamlTooDeep(text) ? `YAML nested more than ${MAX_YAML_LEVELS} levels deep was not parsed` : undefined);

export function parseYaml(filePath: string, text: string): YamlFile {
  if (yamlTooDeep(text)) {
    return { path: filePath, text, lines: new LineIndex(text), documents: [], comments: [], hasErrors: true, skipped: `YAML nested more than ${MAX_YAML_LEVELS} levels deep was not parsed` };
  }
  return buildYaml(filePath, text);
}

type Comment = YamlFile['comments'][number];

/** A stretch of the text from one document start to the next, parsed on its own. */
interface Chunk {
  start: number; line: number; text: string; documents: YDocument[]; comments: Comment[]; withComments: boolean; hasErrors: boolean;
  /** The chunk's tree, kept by the editor for the next, incremental parse of the chunk. */
  tree?: Tree;
}

/** The chunks each model was built from, for the next version of the same document. */
const chunksOf = new WeakMap<YamlFile, Chunk[]>();

/** `---` at the start of a line; only "\n" counts, as tree-sitter counts rows (a bare "\r" ends a YAML line too). */
const DOCUMENT_START = /\n---(?=[ \t\r\n]|$)/g;

/**
 * Where the chunks of a text start: at every line that opens a document with `---` (YAML forbids
 * such a line inside content, so it always starts a document). Directives (`%YAML`, `%TAG`) belong
 * to the document after them: a text that has any is one chunk.
 */
export function chunkStarts(text: string): number[] {
  const starts = [0];
  if (/^%/m.test(text)) return starts;
  for (const m of text.matchAll(DOCUMENT_START)) starts.push(m.index + 1);
  return starts;
}

/**
 * Builds the YAML model. Each document is parsed on its own: after an edit at the end of a plain
 * scalar, tree-sitter-yaml re-parses everything from the edit to the end of the file (a third of
 * the keystrokes in a manifest), and parsed on its own a document bounds that cost to itself.
 * With the previous model of the same file, chunks whose text did not change are not parsed
 * again but reused as they are (node spans are relative to their chunk, see YDocument): a
 * keystroke costs the document it touched.
 */
export function buildYaml(filePath: string, text: string, previous?: YamlFile, lines?: LineIndex, keepTrees = false): YamlFile {
  const index = lines?.text === text ? lines : new LineIndex(text);
  const withComments = DIRECTIVE_MARKER.test(text);
  const before = (previous && chunksOf.get(previous)) ?? [];
  const reusable = new Map<string, Chunk[]>();
  const byStart = new Map<number, Chunk>();
  for (const c of before) {
    if (c.tree) byStart.set(c.start, c);
    if (c.withComments !== withComments) continue;
    const list = reusable.get(c.text);
    if (list) list.push(c); else reusable.set(c.text, [c]);
  }
  const used = new Set<Chunk>();
  const starts = chunkStarts(text);
  const chunks: Chunk[] = [];
  const documents: YDocument[] = [];
  const comments: Comment[] = [];
  let hasErrors = false;
  try {
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i]!;
      const chunkText = text.slice(start, starts[i + 1] ?? text.length);
      const line = index.positionAt(start).line;
      const list = reusable.get(chunkText);
      while (list?.length && used.has(list[0]!)) list.shift();
      const same = list?.shift();
      let chunk: Chunk;
      if (same) {
        used.add(same);
        chunk = moveChunk(same, start, line);
      } else {
        // An edit inside a chunk leaves its start in place: that chunk's tree is the old tree.
        const edited = keepTrees ? byStart.get(start) : undefined;
        const oldTree = edited && !used.has(edited) ? editedTree(edited, chunkText) : undefined;
        if (edited && oldTree) used.add(edited);
        chunk = parseChunk(filePath, chunkText, start, line, withComments, oldTree, keepTrees);
      }
      chunks.push(chunk);
      for (const d of chunk.documents) documents.push(d);
      for (const c of chunk.comments) comments.push(c);
      hasErrors ||= chunk.hasErrors;
    }
  } catch (e) {
    // The editor starts afresh after an error: every tree of either version is freed.
    for (const tree of new Set([...before, ...chunks].map((c) => c.tree))) tree?.delete();
    if (previous) chunksOf.delete(previous);
    throw e;
  }
  // Trees the new version does not carry on (re-parsed or gone chunks) are freed.
  const carried = new Set(chunks.map((c) => c.tree));
  for (const c of before) if (c.tree && !carried.has(c.tree)) c.tree.delete();
  if (previous) chunksOf.delete(previous);
  const file: YamlFile = { path: filePath, text, lines: index, documents, comments, hasErrors };
  chunksOf.set(file, chunks);
  return file;
}

/** Frees the trees the editor kept for a model (see buildYaml's keepTrees). */
export function releaseYaml(file: YamlFile | undefined): void {
  for (const c of (file && chunksOf.get(file)) ?? []) c.tree?.delete();
  if (file) chunksOf.delete(file);
}

/** The chunk's old tree, told how its text became `text` (one edit from the common prefix and suffix). */
function editedTree(old: Chunk, text: string): Tree {
  const a = old.text, max = Math.min(a.length, text.length);
  let p = 0;
  while (p < max && a.charCodeAt(p) === text.charCodeAt(p)) p++;
  let q = 0;
  while (q < max - p && a.charCodeAt(a.length - 1 - q) === text.charCodeAt(text.length - 1 - q)) q++;
  const point = (t: string, i: number) => {
    let row = 0, lineStart = 0;
    for (let k = t.indexOf('\n'); k >= 0 && k < i; k = t.indexOf('\n', k + 1)) { row++; lineStart = k + 1; }
    return { row, column: i - lineStart };
  };
  old.tree!.edit({
    startIndex: p, oldEndIndex: a.length - q, newEndIndex: text.length - q,
    startPosition: point(a, p), oldEndPosition: point(a, a.length - q), newEndPosition: point(text, text.length - q),
  });
  return old.tree!;
}

function parseChunk(path: string, text: string, start: number, line: number, withComments: boolean, oldTree: Tree | undefined, keepTree: boolean): Chunk {
  const tree = parse('yaml', text, oldTree);
  let kept = false;
  try {
    const root = tree.rootNode;
    const at = (n: Node) => spanAt(n, start, line);
    const base: ChunkBase = { start, line };
    let view: YamlFile | undefined;
    const documents: YDocument[] = [];
    const comments: Comment[] = [];
    for (const child of root.children) {
      if (!child) continue;
      if (child.type !== 'document') {
        if (!withComments) continue;
        if (child.type === 'comment') comments.push({ line: child.startPosition.row + line, text: child.text, span: at(child) });
        else collectComments(child, comments, start, line);
        continue;
      }
      if (withComments) collectComments(child, comments, start, line);
      const body = child.namedChildren.find((c) => c && c.type !== 'comment' && c.type !== 'yaml_directive' && c.type !== 'tag_directive' && c.type !== 'reserved_directive');
      view ??= { path, text, lines: new LineIndex(text), documents: [], comments: [], hasErrors: root.hasError };
      documents.push({ root: body ? new Builder().node(body, 0) : null, span: at(child), broken: child.hasError, base, view });
    }
    comments.sort((a, b) => a.span.start - b.span.start);
    kept = keepTree;
    return { start, line, text, documents, comments, withComments, hasErrors: root.hasError, ...(keepTree ? { tree } : {}) };
  } finally {
    if (!kept) tree.delete();
  }
}

function moveChunk(c: Chunk, start: number, line: number): Chunk {
  const dOff = start - c.start, dLine = line - c.line;
  if (dOff === 0 && dLine === 0) return c;
  const base: ChunkBase = { start, line };
  const documents = c.documents.map((doc) => ({ root: doc.root, span: shiftSpan(doc.span, dOff, dLine), broken: doc.broken, base, view: doc.view }));
  const comments = c.comments.map((x) => ({ line: x.line + dLine, text: x.text, span: shiftSpan(x.span, dOff, dLine) }));
  return { start, line, text: c.text, documents, comments, withComments: c.withComments, hasErrors: c.hasErrors, ...(c.tree ? { tree: c.tree } : {}) };
}

/** The span of a node of a chunk's tree, in the whole text (chunks start at the start of a line). */
function spanAt(n: Node, start: number, line: number): Span {
  const s = spanOf(n);
  return { start: s.start + start, end: s.end + start, startLine: s.startLine + line, startCol: s.startCol, endLine: s.endLine + line, endCol: s.endCol };
}

function collectComments(root: Node, out: Comment[], start: number, line: number): void {
  for (const c of commentNodes('yaml', root)) out.push({ line: c.startPosition.row + line, text: c.text, span: spanAt(c, start, line) });
}

class Builder {
  private readonly anchors = new Map<string, YNode>();
  private merged = 0;

  node(n: Node, depth: number): YNode | null {
    if (depth > MAX_DEPTH) return null;
    let anchor: string | undefined;
    let tag: string | undefined;
    let content: Node | undefined;
    if (n.type === 'block_node' || n.type === 'flow_node') {
      for (const c of n.namedChildren) {
        if (!c) continue;
        if (c.type === 'anchor') anchor = c.namedChildren[0]?.text;
        else if (c.type === 'tag') tag = c.text;
        else if (c.type === 'comment') continue;
        else content ??= c;
      }
    } else content = n;
    let result: YNode | null = null;
    if (content) result = this.content(content, depth, tag);
    else if (tag) result = { t: 'scalar', span: spanOf(n), value: tag === '!!str' ? '' : null, raw: '', style: 'plain' };
    if (anchor && result) this.anchors.set(anchor, result);
    return result;
  }

  private content(c: Node, depth: number, tag: string | undefined): YNode | null {
    const span = spanOf(c);
    switch (c.type) {
      case 'block_mapping': case 'flow_mapping': {
        const pairs: YPair[] = [];
        for (const p of c.namedChildren) {
          if (!p) continue;
          if (p.type === 'comment') continue;
          if (p.type !== 'block_mapping_pair' && p.type !== 'flow_pair') {
            if (p.type === 'flow_node') { // `{a}`: a key without value
              const k = this.node(p, depth + 1);
              if (k?.t === 'scalar') pairs.push({ key: String(k.value ?? ''), keySpan: k.span, value: null, span: spanOf(p) });
            }
            continue;
          }
          const kn = p.childForFieldName('key');
          const vn = p.childForFieldName('value');
          const key = kn ? this.node(kn, depth + 1) : null;
          const value = vn ? this.node(vn, depth + 1) : null;
          if (key?.t === 'scalar' && key.raw === '<<' && key.style === 'plain') {
            this.merge(pairs, value);
            continue;
          }
          if (key && key.t !== 'scalar') continue; // complex keys are not used by Kubernetes
          pairs.push({ key: key ? String(key.value ?? '') : '', keySpan: key ? key.span : span, value, span: spanOf(p) });
        }
        return { t: 'map', span, pairs, flow: c.type === 'flow_mapping' };
      }
      case 'block_sequence': case 'flow_sequence': {
        const items: YNode[] = [];
        for (const it of c.namedChildren) {
          if (!it) continue;
          if (it.type === 'comment') continue;
          const inner = it.type === 'block_sequence_item' ? it.namedChildren.find((x) => x && x.type !== 'comment') : it;
          if (inner?.type === 'flow_pair') {
            const k = inner.childForFieldName('key'), v = inner.childForFieldName('value');
            const key = k ? this.node(k, depth + 1) : null;
            items.push({ t: 'map', span: spanOf(inner), flow: true, pairs: key?.t === 'scalar' ? [{ key: String(key.value ?? ''), keySpan: key.span, value: v ? this.node(v, depth + 1) : null, span: spanOf(inner) }] : [] });
            continue;
          }
          const node = inner ? this.node(inner, depth + 1) : null;
          items.push(node ?? { t: 'scalar', span: spanOf(it), value: null, raw: '', style: 'plain' });
        }
        return { t: 'seq', span, items, flow: c.type === 'flow_sequence' };
      }
      case 'alias': {
        const name = c.namedChildren[0]?.text ?? '';
        return this.anchors.get(name) ?? null;
      }
      case 'plain_scalar': {
        const raw = c.text;
        return { t: 'scalar', span, raw, style: 'plain', value: tag === '!!str' ? raw : plainValue(raw) };
      }
      case 'single_quote_scalar':
        return { t: 'scalar', span, raw: c.text, style: 'single', value: c.text.slice(1, -1).replace(/''/g, "'").replace(/\s*\n\s*/g, ' ') };
      case 'double_quote_scalar':
        return { t: 'scalar', span, raw: c.text, style: 'double', value: unescapeDouble(c.text.slice(1, -1)) };
      case 'block_scalar':
        return { t: 'scalar', span, raw: c.text, style: 'block', value: blockScalar(c.text) };
      default:
        return null;
    }
  }

  private merge(pairs: YPair[], value: YNode | null): void {
    const sources = value?.t === 'seq' ? value.items : value ? [value] : [];
    for (const s of sources) {
      if (s.t !== 'map') continue;
      for (const p of s.pairs) {
        if (++this.merged > MAX_MERGED_PAIRS) return;
        if (!pairs.some((x) => x.key === p.key)) pairs.push(p);
      }
    }
  }
}

/** YAML 1.2 core schema resolution of a plain scalar. */
export function plainValue(raw: string): YScalarValue {
  const s = raw.trim();
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s === 'true' || s === 'True' || s === 'TRUE') return true;
  if (s === 'false' || s === 'False' || s === 'FALSE') return false;
  if (/^[-+]?[0-9]+$/.test(s)) return Number(s);
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return Number(s);
  return s.replace(/\s*\n\s*/g, ' ');
}

function unescapeDouble(raw: string): string {
  // Line folding applies to the raw text (an escaped line break joins without a space); escapes
  // are decoded afterwards so that "\n" stays a newline.
  const s = raw.replace(/\\\r?\n[ \t]*/g, '').replace(/[ \t]*\r?\n[ \t]*/g, ' ');
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (m, e: string) => {
    switch (e[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case '0': return '\0';
      case '"': return '"';
      case '\\': return '\\';
      case '/': return '/';
      case ' ': return ' ';
      case 'x': case 'u': case 'U': {
        const cp = parseInt(e.slice(1), 16);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
      }
      default: return m;
    }
  });
}

function blockScalar(raw: string): string {
  const nl = raw.indexOf('\n');
  if (nl < 0) return '';
  const header = raw.slice(0, nl);
  const body = raw.slice(nl + 1).split('\n');
  const indents = body.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const n = indents.length ? Math.min(...indents) : 0;
  const lines = body.map((l) => l.slice(n).replace(/\r$/, ''));
  let text = header.startsWith('>') ? lines.join('\n').replace(/([^\n])\n(?=[^\n ])/g, '$1 ') : lines.join('\n');
  if (header.includes('-')) text = text.replace(/\n+$/, '');
  else if (!header.includes('+')) text = text.replace(/\n*$/, '\n');
  return text;
}

// ---------------------------------------------------------------- navigation helpers

export function mapGet(node: YNode | null | undefined, key: string): YNode | null | undefined {
  if (!node || node.t !== 'map') return undefined;
  for (let i = node.pairs.length - 1; i >= 0; i--) if (node.pairs[i]!.key === key) return node.pairs[i]!.value;
  return undefined;
}

export function mapPair(node: YNode | null | undefined, key: string): YPair | undefined {
  if (!node || node.t !== 'map') return undefined;
  for (let i = node.pairs.length - 1; i >= 0; i--) if (node.pairs[i]!.key === key) return node.pairs[i];
  return undefined;
}

/** Follows a path of keys (strings) and indices (numbers). */
export function at(node: YNode | null | undefined, ...path: (string | number)[]): YNode | null | undefined {
  let cur: YNode | null | undefined = node;
  for (const p of path) {
    if (!cur) return undefined;
    if (typeof p === 'number') cur = cur.t === 'seq' ? cur.items[p] : undefined;
    else cur = mapGet(cur, p);
  }
  return cur;
}

export function scalar(node: YNode | null | undefined): YScalarValue | undefined {
  return node && node.t === 'scalar' ? node.value : undefined;
}

export function str(node: YNode | null | undefined): string | undefined {
  const v = scalar(node);
  return v === undefined || v === null ? undefined : String(v);
}

export function items(node: YNode | null | undefined): YNode[] {
  return node && node.t === 'seq' ? node.items : [];
}

/**
 * Plain data of a node. Aliases stay shared (a node is converted once), so that a "billion laughs"
 * document costs its size, not its expansion; at most `budget` nodes are converted.
 */
export function toJs(node: YNode | null | undefined, depth = 0, memo = new Map<YNode, unknown>(), budget = { left: 100_000 }): unknown {
  if (!node || depth > 64 || budget.left <= 0) return null;
  if (node.t === 'scalar') return node.value;
  if (memo.has(node)) return memo.get(node);
  budget.left--;
  if (node.t === 'seq') {
    const out: unknown[] = [];
    memo.set(node, out);
    for (const i of node.items) out.push(toJs(i, depth + 1, memo, budget));
    return out;
  }
  const out: Record<string, unknown> = {};
  memo.set(node, out);
  // defineProperty: a "__proto__" key is data, not the object's prototype.
  for (const p of node.pairs) Object.defineProperty(out, p.key, { value: toJs(p.value, depth + 1, memo, budget), enumerable: true, writable: true, configurable: true });
  return out;
}
