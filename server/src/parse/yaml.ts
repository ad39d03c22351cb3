import type { Node } from 'web-tree-sitter';
import { parse } from './treesitter';
import { LineIndex, spanOf, type Span } from './source';

export type YScalarValue = string | number | boolean | null;

export interface YScalar { t: 'scalar'; span: Span; value: YScalarValue; raw: string; style: 'plain' | 'single' | 'double' | 'block' }
export interface YPair { key: string; keySpan: Span; value: YNode | null; span: Span }
export interface YMap { t: 'map'; span: Span; pairs: YPair[]; flow: boolean }
export interface YSeq { t: 'seq'; span: Span; items: YNode[]; flow: boolean }
export type YNode = YScalar | YMap | YSeq;

export interface YDocument { root: YNode | null; span: Span; broken: boolean }
export interface YamlFile {
  path: string;
  text: string;
  lines: LineIndex;
  documents: YDocument[];
  comments: { line: number; text: string; span: Span }[];
  hasErrors: boolean;
}

const MAX_DEPTH = 300;
/** Merge keys copy pairs; bounding them keeps "billion laughs" inputs linear. */
const MAX_MERGED_PAIRS = 10_000;

export function parseYaml(filePath: string, text: string): YamlFile {
  const tree = parse('yaml', text);
  try {
    return buildYaml(filePath, text, tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** Builds the YAML model from an existing tree (the editor keeps trees for incremental parsing). */
export function buildYaml(filePath: string, text: string, root: Node): YamlFile {
  const comments = collectComments(root);
  const documents: YDocument[] = [];
  for (const child of root.children) {
    if (child?.type !== 'document') continue;
    const b = new Builder();
    const body = child.namedChildren.find((c) => c && c.type !== 'comment' && c.type !== 'yaml_directive' && c.type !== 'tag_directive' && c.type !== 'reserved_directive');
    documents.push({ root: body ? b.node(body, 0) : null, span: spanOf(child), broken: child.hasError });
  }
  return { path: filePath, text, lines: new LineIndex(text), documents, comments, hasErrors: root.hasError };
}

function collectComments(root: Node): YamlFile['comments'] {
  const out: YamlFile['comments'] = [];
  const cursor = root.walk();
  let depth = 0;
  for (;;) {
    const node = cursor.currentNode;
    if (node.type === 'comment') out.push({ line: node.startPosition.row, text: node.text, span: spanOf(node) });
    if (node.type !== 'comment' && node.childCount > 0 && depth < 1000 && cursor.gotoFirstChild()) { depth++; continue; }
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) { cursor.delete(); return out; }
      depth--;
    }
  }
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

function unescapeDouble(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|\n|.)/g, (m, e: string) => {
    switch (e[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case '0': return '\0';
      case '"': return '"';
      case '\\': return '\\';
      case '/': return '/';
      case ' ': return ' ';
      case '\n': return '';
      case 'x': case 'u': case 'U': {
        const cp = parseInt(e.slice(1), 16);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
      }
      default: return m;
    }
  }).replace(/[ \t]*\n[ \t]*/g, ' ');
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

export function toJs(node: YNode | null | undefined, depth = 0): unknown {
  if (!node || depth > 64) return null;
  if (node.t === 'scalar') return node.value;
  if (node.t === 'seq') return node.items.map((i) => toJs(i, depth + 1));
  return Object.fromEntries(node.pairs.map((p) => [p.key, toJs(p.value, depth + 1)]));
}
