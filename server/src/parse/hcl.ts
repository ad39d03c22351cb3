import type { Node, Tree } from 'web-tree-sitter';
import { commentNodes, parse } from './treesitter';
import { DIRECTIVE_MARKER, LineIndex, shiftSpan, spanOf, type Span } from './source';

/**
 * A plain-JavaScript syntax tree of HCL expressions. Converting once from tree-sitter lets the
 * tree be freed right after parsing and keeps evaluation free of wasm calls.
 */
export type Expr =
  | { t: 'lit'; value: string | number | boolean | null; span: Span }
  | { t: 'template'; parts: (string | Expr)[]; span: Span }
  | { t: 'tuple'; items: Expr[]; span: Span }
  | { t: 'object'; entries: ObjectEntry[]; span: Span }
  | { t: 'var'; name: string; span: Span }
  | { t: 'traverse'; base: Expr; steps: Step[]; span: Span }
  | { t: 'call'; name: string; args: Expr[]; expandLast: boolean; span: Span }
  | { t: 'cond'; test: Expr; then: Expr; else: Expr; span: Span }
  | { t: 'unary'; op: string; operand: Expr; span: Span }
  | { t: 'binary'; op: string; left: Expr; right: Expr; span: Span }
  | { t: 'for'; span: Span }
  | { t: 'unsupported'; span: Span };

export type Step = { attr: string } | { index: Expr } | { splat: true };

export interface ObjectEntry { key: Expr; keyName: string | undefined; value: Expr; span: Span }

/**
 * An attribute. Its expression tree is built on first use, by parsing the expression's own text:
 * most attributes of a file are never evaluated by any rule, and walking their nodes from
 * JavaScript is most of the cost of reading a file.
 */
/**
 * The current text of a document. Every attribute of the current model reads its expression
 * through it; unchanged blocks are carried to the next version as they are, and the holder is
 * given the new text (their spans are the same in it), so no old text stays reachable.
 */
export interface TextHolder { text: string }

export class HclAttribute {
  private built: Expr | undefined;
  /** An expression built for the attribute's previous place, shifted here when first read. */
  private builtBefore: { expr: Expr; dOff: number; dLine: number } | undefined;
  constructor(
    readonly name: string,
    readonly span: Span,
    readonly nameSpan: Span,
    readonly exprSpan: Span,
    /** The text of the file the spans refer to. */
    private readonly source: TextHolder,
    private readonly broken: boolean,
    built?: Expr,
  ) {
    this.built = built;
  }
  get expr(): Expr {
    if (!this.built && this.builtBefore) {
      const { expr, dOff, dLine } = this.builtBefore;
      this.built = shiftExpr(expr, dOff, dLine);
      this.builtBefore = undefined;
    }
    if (!this.built) this.built = this.broken ? { t: 'unsupported', span: this.exprSpan } : parseExpressionAt(this.source.text, this.exprSpan);
    return this.built;
  }
  /**
   * The same attribute at another place of a new text of the file. Most moved attributes are not
   * read again (their rule results are reused), so the expression is shifted only when it is.
   */
  moved(source: TextHolder, dOff: number, dLine: number): HclAttribute {
    const moved = new HclAttribute(this.name, shiftSpan(this.span, dOff, dLine), shiftSpan(this.nameSpan, dOff, dLine), shiftSpan(this.exprSpan, dOff, dLine), source, this.broken);
    const before = this.built ? { expr: this.built, dOff: 0, dLine: 0 } : this.builtBefore;
    if (before) moved.builtBefore = { expr: before.expr, dOff: before.dOff + dOff, dLine: before.dLine + dLine };
    return moved;
  }
}

const EXPR_PREFIX = 'x = ';

/** Parses the expression found at `span` of `text` on its own and places its spans in the file. */
export function parseExpressionAt(text: string, span: Span): Expr {
  const snippet = text.slice(span.start, span.end);
  const simple = builderSwitch.readFromText ? simpleExpression(snippet, span) : undefined;
  if (simple) return simple;
  const tree = parse('terraform', `${EXPR_PREFIX}${snippet}\n`);
  try {
    const body = tree.rootNode.namedChildren.find((c) => c?.type === 'body');
    const attr = body?.namedChildren.find((c) => c?.type === 'attribute');
    const exprNode = attr?.namedChildren[1];
    if (!exprNode || tree.rootNode.hasError) return { t: 'unsupported', span };
    const local = buildExpr(exprNode, 0);
    return relocate(local, span.start - EXPR_PREFIX.length, span.startLine, span.startCol - EXPR_PREFIX.length);
  } finally {
    tree.delete();
  }
}

const PLAIN_STRING = /^"([^"\\$%\r\n]*)"$/;
const DECIMAL = /^\d+(?:\.\d+)?$/;
const DOTTED_NAME = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*$/;

/**
 * Three in four expressions a rule reads are a plain string, a number, a boolean, null or a dotted
 * reference (`var.name`, `aws_kms_key.k.arn`). These are read here, as tree-sitter would read them,
 * without a parse of their own.
 */
function simpleExpression(snippet: string, span: Span): Expr | undefined {
  if (snippet.charCodeAt(0) === CH_QUOTE) {
    const m = PLAIN_STRING.exec(snippet);
    // tree-sitter leaves whitespace at either end out of the literal: let it say so.
    return m && !/^\s|\s$/.test(m[1]!) ? { t: 'lit', value: m[1]!, span } : undefined;
  }
  if (snippet === 'true' || snippet === 'false') return { t: 'lit', value: snippet === 'true', span };
  if (snippet === 'null') return { t: 'lit', value: null, span };
  if (DECIMAL.test(snippet)) return { t: 'lit', value: Number(snippet), span };
  if (!DOTTED_NAME.test(snippet)) return undefined;
  const [head, ...attrs] = snippet.split('.');
  if (!attrs.length) return { t: 'var', name: head!, span };
  const headSpan: Span = { start: span.start, end: span.start + head!.length, startLine: span.startLine, startCol: span.startCol, endLine: span.startLine, endCol: span.startCol + head!.length };
  return { t: 'traverse', base: { t: 'var', name: head!, span: headSpan }, steps: attrs.map((attr) => ({ attr })), span };
}

/** Moves spans of an expression parsed on its own: line 0 of the snippet also moves sideways. */
function relocate(e: Expr, dOff: number, dLine: number, dCol0: number): Expr {
  const move = (s: Span): Span => ({
    start: s.start + dOff, end: s.end + dOff,
    startLine: s.startLine + dLine, startCol: s.startLine === 0 ? s.startCol + dCol0 : s.startCol,
    endLine: s.endLine + dLine, endCol: s.endLine === 0 ? s.endCol + dCol0 : s.endCol,
  });
  return mapExprSpans(e, move);
}

export interface HclBlock {
  readonly type: string;
  readonly labels: string[];
  readonly span: Span;
  /** From the block type to the opening brace. */
  readonly headerSpan: Span;
  /** Offset just after `{` and just before `}`; -1 when the block is not closed. */
  readonly openBrace: number;
  readonly closeBrace: number;
  readonly attributes: Map<string, HclAttribute>;
  readonly blocks: HclBlock[];
  /** The block or something inside it did not parse; rules stay silent on it. */
  readonly broken: boolean;
}

export interface HclFile {
  readonly path: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly blocks: HclBlock[];
  readonly attributes: Map<string, HclAttribute>;
  /** Empty when the text holds no suppression directive (see DIRECTIVE_MARKER). */
  readonly comments: { line: number; text: string; span: Span }[];
  readonly hasErrors: boolean;
  /** Shared with the next version of the same document (see TextHolder). */
  readonly source?: TextHolder;
}

const MAX_DEPTH = 400;

export function parseHcl(filePath: string, text: string, keepTree?: (tree: Tree) => void): HclFile {
  const tree = parse('terraform', text);
  try {
    return buildFile(filePath, text, tree.rootNode);
  } finally {
    if (keepTree) keepTree(tree); else tree.delete();
  }
}

/**
 * Builds the file model from a tree. With the previous model of the same document, top-level
 * blocks whose text did not change are reused (shifted to their new position) instead of being
 * rebuilt from the tree: a keystroke then costs the one block it touched.
 */
export function buildFile(filePath: string, text: string, root: Node, previous?: HclFile, lines?: LineIndex): HclFile {
  const comments: HclFile['comments'] = [];
  const blocks: HclBlock[] = [];
  const attributes = new Map<string, HclAttribute>();
  const reusable = previous ? indexPrevious(previous) : undefined;
  const source: TextHolder = previous?.source ?? { text };
  source.text = text;
  const lineIndex = lines?.text === text ? lines : new LineIndex(text);
  const cx: BuildContext = { source, text, lines: lineIndex, clean: !root.hasError };
  const withComments = DIRECTIVE_MARKER.test(text);
  // Blocks reused from a version without directives carry no comments of their own.
  const reuseComments = withComments && !!previous && DIRECTIVE_MARKER.test(previous.text);
  const comment = (n: Node) => { if (withComments) comments.push({ line: n.startPosition.row, text: n.text, span: spanOf(n) }); };
  const commentsBelow = (n: Node) => { if (withComments) collectComments(n, comments); };
  for (const child of root.children) {
    if (!child) continue;
    if (child.type === 'comment') { comment(child); continue; }
    if (child.type !== 'body') {
      if (child.type === 'ERROR' || child.hasError) commentsBelow(child);
      continue;
    }
    for (const item of child.children) {
      if (!item) continue;
      if (item.type === 'comment') { comment(item); continue; }
      if (item.type === 'block') {
        const old = reusable?.take(text.slice(item.startIndex, item.endIndex), item.startPosition.column);
        if (old && !item.hasError) {
          const dOff = item.startIndex - old.block.span.start;
          const dLine = item.startPosition.row - old.block.span.startLine;
          const moved = shiftBlock(old.block, dOff, dLine, source);
          // One step of history is enough; keeping the older link would chain every version.
          blockOrigin.delete(old.block);
          blockOrigin.set(moved, { from: old.block, dOff, dLine });
          blocks.push(moved);
          if (reuseComments) for (const c of old.comments) comments.push({ line: c.line + dLine, text: c.text, span: shiftSpan(c.span, dOff, dLine) });
          else commentsBelow(item);
        } else {
          blocks.push(buildBlock(item, 0, cx));
          commentsBelow(item);
        }
      } else if (item.type === 'attribute') {
        const a = buildAttribute(item, cx);
        if (a) attributes.set(a.name, a);
        commentsBelow(item);
      } else commentsBelow(item);
    }
  }
  comments.sort((a, b) => a.span.start - b.span.start);
  return { path: filePath, text, lines: lineIndex, blocks, attributes, comments, hasErrors: !cx.clean, source };
}

/**
 * For a top-level block reused from the previous version of a document: the block it was made
 * from and how far it moved. The editor uses it to keep rule results of unchanged resources.
 */
export const blockOrigin = new WeakMap<HclBlock, { from: HclBlock; dOff: number; dLine: number }>();

function indexPrevious(prev: HclFile) {
  const byText = new Map<string, { block: HclBlock; comments: HclFile['comments'] }[]>();
  let ci = 0;
  const sortedComments = prev.comments;
  for (const b of prev.blocks) {
    if (b.broken) continue;
    while (ci < sortedComments.length && sortedComments[ci]!.span.start < b.span.start) ci++;
    const inside: HclFile['comments'] = [];
    for (let k = ci; k < sortedComments.length && sortedComments[k]!.span.start < b.span.end; k++) inside.push(sortedComments[k]!);
    const key = prev.text.slice(b.span.start, b.span.end);
    let list = byText.get(key);
    if (!list) byText.set(key, (list = []));
    list.push({ block: b, comments: inside });
  }
  return {
    take(blockText: string, column: number) {
      const list = byText.get(blockText);
      if (!list) return undefined;
      const i = list.findIndex((x) => x.block.span.startCol === column);
      return i >= 0 ? list.splice(i, 1)[0] : undefined;
    },
  };
}

function shiftBlock(b: HclBlock, dOff: number, dLine: number, source: TextHolder): HclBlock {
  if (dOff === 0 && dLine === 0) return b; // its attributes read the shared holder, which has the new text
  const attributes = new Map<string, HclAttribute>();
  for (const [k, a] of b.attributes) attributes.set(k, a.moved(source, dOff, dLine));
  return {
    type: b.type, labels: b.labels, span: shiftSpan(b.span, dOff, dLine), headerSpan: shiftSpan(b.headerSpan, dOff, dLine),
    openBrace: b.openBrace < 0 ? -1 : b.openBrace + dOff, closeBrace: b.closeBrace < 0 ? -1 : b.closeBrace + dOff,
    attributes, blocks: b.blocks.map((x) => shiftBlock(x, dOff, dLine, source)), broken: b.broken,
  };
}

function shiftExpr(e: Expr, d: number, l: number): Expr {
  return mapExprSpans(e, (s) => shiftSpan(s, d, l));
}

function mapExprSpans(e: Expr, f: (s: Span) => Span): Expr {
  const span = f(e.span);
  const m = (x: Expr) => mapExprSpans(x, f);
  switch (e.t) {
    case 'template': return { ...e, span, parts: e.parts.map((p) => (typeof p === 'string' ? p : m(p))) };
    case 'tuple': return { ...e, span, items: e.items.map(m) };
    case 'object': return { ...e, span, entries: e.entries.map((x) => ({ key: m(x.key), keyName: x.keyName, value: m(x.value), span: f(x.span) })) };
    case 'traverse': return { ...e, span, base: m(e.base), steps: e.steps.map((s) => ('index' in s ? { index: m(s.index) } : s)) };
    case 'call': return { ...e, span, args: e.args.map(m) };
    case 'cond': return { ...e, span, test: m(e.test), then: m(e.then), else: m(e.else) };
    case 'unary': return { ...e, span, operand: m(e.operand) };
    case 'binary': return { ...e, span, left: m(e.left), right: m(e.right) };
    default: return { ...e, span };
  }
}

/** Comments are extras and can sit anywhere below a node. */
function collectComments(root: Node, out: HclFile['comments']): void {
  for (const c of commentNodes('terraform', root)) out.push({ line: c.startPosition.row, text: c.text, span: spanOf(c) });
}


/** What the builders of one file share. */
interface BuildContext {
  source: TextHolder;
  text: string;
  lines: LineIndex;
  /** The tree has no error or missing node anywhere. */
  clean: boolean;
}

const CH_QUOTE = 0x22, CH_HASH = 0x23, CH_SLASH = 0x2f, CH_EQUALS = 0x3d, CH_OPEN = 0x7b, CH_CLOSE = 0x7d;
const startsComment = (text: string, at: number) => { const c = text.charCodeAt(at); return c === CH_HASH || c === CH_SLASH; };

/** The end of the token before `next`: tokens are separated by whitespace only (comments are nodes of their own). */
function tokenEnd(text: string, next: number, floor: number): number {
  let e = next;
  while (e > floor && /\s/.test(text[e - 1]!)) e--;
  return e;
}

/** Tests turn reading from the text off to check that it gives the same model as tree-sitter's nodes. */
export const builderSwitch = { readFromText: true };

function buildBlock(node: Node, depth: number, cx: BuildContext): HclBlock {
  return (cx.clean && builderSwitch.readFromText && buildCleanBlock(node, depth, cx)) || buildAnyBlock(node, depth, cx);
}

function buildAttribute(node: Node, cx: BuildContext): HclAttribute | undefined {
  return (cx.clean && builderSwitch.readFromText && buildCleanAttribute(node, cx)) || buildAnyAttribute(node, cx.source);
}

/**
 * A block of a tree without errors, read from the text where the grammar leaves one reading: every
 * property of a tree-sitter node is a call into wasm, and a clean block is always
 * `identifier (string_lit | identifier)* "{" body? "}"`. Shapes with a comment in the header are
 * left to the general builder (undefined).
 */
function buildCleanBlock(node: Node, depth: number, cx: BuildContext): HclBlock | undefined {
  const { text } = cx;
  const kids = node.children as Node[];
  const n = kids.length;
  let open = 0;
  while (open < n && text.charCodeAt(kids[open]!.startIndex) !== CH_OPEN) open++;
  const close = kids[n - 1];
  if (open === 0 || open >= n - 1 || !close || text.charCodeAt(close.startIndex) !== CH_CLOSE || n - open > 3) return undefined;
  let type = '';
  const labels: string[] = [];
  for (let i = 0; i < open; i++) {
    const s = kids[i]!.startIndex;
    if (startsComment(text, s)) return undefined;
    const e = tokenEnd(text, kids[i + 1]!.startIndex, s);
    if (text.charCodeAt(s) === CH_QUOTE) {
      if (i === 0) return undefined;
      const raw = text.slice(s + 1, e - 1);
      // tree-sitter leaves whitespace at either end of a quoted label out of its literal.
      labels.push(/^\s|\s$/.test(raw) ? stringLitText(kids[i]!) : unescapeHcl(raw));
    } else if (i === 0) type = text.slice(s, e);
    else labels.push(text.slice(s, e));
  }
  const inner = n - open === 3 ? kids[open + 1]! : undefined;
  if (inner && startsComment(text, inner.startIndex) && inner.type !== 'body') return undefined;
  const attributes = new Map<string, HclAttribute>();
  const blocks: HclBlock[] = [];
  let broken = false;
  if (inner) {
    if (depth > MAX_DEPTH) broken = true;
    else readBody(inner, depth, cx, attributes, blocks);
  }
  const o = kids[open]!, start = node.startPosition, closeAt = close.startPosition;
  const span: Span = { start: node.startIndex, end: close.startIndex + 1, startLine: start.row, startCol: start.column, endLine: closeAt.row, endCol: closeAt.column + 1 };
  const headerSpan: Span = { start: span.start, end: o.startIndex + 1, startLine: start.row, startCol: start.column, endLine: o.startPosition.row, endCol: o.startPosition.column + 1 };
  return { type, labels, span, headerSpan, openBrace: o.startIndex + 1, closeBrace: close.startIndex, attributes, blocks, broken };
}

function readBody(body: Node, depth: number, cx: BuildContext, attributes: Map<string, HclAttribute>, blocks: HclBlock[]): boolean {
  let broken = false;
  for (const item of body.namedChildren) {
    if (!item) continue;
    const t = item.type;
    if (t === 'attribute') {
      const a = buildAttribute(item, cx);
      if (a) attributes.set(a.name, a);
    } else if (t === 'block') blocks.push(buildBlock(item, depth + 1, cx));
    else if (t === 'ERROR') broken = true;
  }
  return broken;
}

/** `identifier = expression` of a clean tree; undefined when a comment sits inside it. */
function buildCleanAttribute(node: Node, cx: BuildContext): HclAttribute | undefined {
  const kids = node.children;
  if (kids.length !== 3) return undefined;
  const [name, eq, expr] = kids as [Node, Node, Node];
  const { text } = cx;
  if (text.charCodeAt(eq.startIndex) !== CH_EQUALS || startsComment(text, name.startIndex)) return undefined;
  const nameEnd = tokenEnd(text, eq.startIndex, name.startIndex);
  const end = node.endIndex;
  const endAt = cx.lines.positionAt(end);
  const at = node.startPosition, nameAt = name.startPosition, exprAt = expr.startPosition;
  return new HclAttribute(
    text.slice(name.startIndex, nameEnd),
    { start: node.startIndex, end, startLine: at.row, startCol: at.column, endLine: endAt.line, endCol: endAt.character },
    { start: name.startIndex, end: nameEnd, startLine: nameAt.row, startCol: nameAt.column, endLine: nameAt.row, endCol: nameAt.column + nameEnd - name.startIndex },
    { start: expr.startIndex, end, startLine: exprAt.row, startCol: exprAt.column, endLine: endAt.line, endCol: endAt.character },
    cx.source, false,
  );
}

/** Any block, broken ones included, through tree-sitter's node API. */
function buildAnyBlock(node: Node, depth: number, cx: BuildContext): HclBlock {
  const labels: string[] = [];
  let type = '';
  let openBrace = -1, closeBrace = -1;
  let headerEnd = node.endIndex;
  let headerEndNode: Node = node;
  const attributes = new Map<string, HclAttribute>();
  const blocks: HclBlock[] = [];
  let broken = node.hasError || node.isMissing;
  for (const child of node.children) {
    if (!child) continue;
    switch (child.type) {
      case 'identifier':
        if (!type) type = child.text; else labels.push(child.text);
        break;
      case 'string_lit':
        labels.push(stringLitText(child));
        break;
      case 'block_start':
        openBrace = child.endIndex;
        headerEnd = child.endIndex;
        headerEndNode = child;
        break;
      case 'block_end':
        if (!child.isMissing) closeBrace = child.startIndex; else broken = true;
        break;
      case 'body':
        if (depth > MAX_DEPTH) { broken = true; break; }
        if (readBody(child, depth, cx, attributes, blocks)) broken = true;
        break;
      case 'ERROR':
        broken = true;
        break;
    }
  }
  const span = spanOf(node);
  const headerSpan: Span = {
    start: span.start, end: headerEnd, startLine: span.startLine, startCol: span.startCol,
    endLine: headerEndNode === node ? span.startLine : headerEndNode.endPosition.row,
    endCol: headerEndNode === node ? span.startCol + type.length : headerEndNode.endPosition.column,
  };
  if (headerEndNode === node) headerSpan.end = span.start + type.length;
  return { type, labels, span, headerSpan, openBrace, closeBrace, attributes, blocks, broken };
}

function buildAnyAttribute(node: Node, source: TextHolder): HclAttribute | undefined {
  const nameNode = node.firstNamedChild;
  if (!nameNode || nameNode.type !== 'identifier') return undefined;
  const exprNode = nameNode.nextNamedSibling;
  const span = spanOf(node);
  return new HclAttribute(nameNode.text, span, spanOf(nameNode), exprNode ? spanOf(exprNode) : span, source, !exprNode || node.hasError);
}

export function stringLitText(node: Node): string {
  let out = '';
  for (const c of node.namedChildren) if (c?.type === 'template_literal') out += unescapeHcl(c.text);
  return out;
}

function unescapeHcl(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('$${') && !raw.includes('%%{')) return raw;
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (m, esc: string | undefined) => {
    if (m === '$${') return '${';
    if (m === '%%{') return '%{';
    switch (esc?.[0]) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case '"': return '"';
      case '\\': return '\\';
      case 'u': case 'U': return String.fromCodePoint(parseInt(esc.slice(1), 16));
      default: return m;
    }
  });
}

export function buildExpr(node: Node, depth: number): Expr {
  const span = spanOf(node);
  if (depth > MAX_DEPTH || node.hasError) return { t: 'unsupported', span };
  switch (node.type) {
    case 'expression': {
      const kids = node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      return buildOperand(kids, span, depth);
    }
    case 'literal_value': {
      const c = node.namedChildren[0];
      if (!c) return { t: 'unsupported', span };
      if (c.type === 'string_lit') return { t: 'lit', value: stringLitText(c), span };
      if (c.type === 'numeric_lit') return { t: 'lit', value: Number(c.text), span };
      if (c.type === 'bool_lit') return { t: 'lit', value: c.text === 'true', span };
      if (c.type === 'null_lit') return { t: 'lit', value: null, span };
      return { t: 'unsupported', span };
    }
    case 'template_expr': {
      const c = node.namedChildren[0];
      return c ? buildTemplate(c, depth) : { t: 'unsupported', span };
    }
    case 'collection_value': {
      const c = node.namedChildren[0];
      if (c?.type === 'tuple') {
        return { t: 'tuple', items: c.namedChildren.filter((x): x is Node => x?.type === 'expression').map((x) => buildExpr(x, depth + 1)), span };
      }
      if (c?.type === 'object') {
        const entries: ObjectEntry[] = [];
        for (const e of c.namedChildren) {
          if (e?.type !== 'object_elem') continue;
          const k = e.childForFieldName('key'), v = e.childForFieldName('val');
          if (!k || !v) continue;
          const key = buildExpr(k, depth + 1);
          entries.push({ key, keyName: objectKeyName(key), value: buildExpr(v, depth + 1), span: spanOf(e) });
        }
        return { t: 'object', entries, span };
      }
      return { t: 'unsupported', span };
    }
    case 'variable_expr':
      return { t: 'var', name: node.namedChildren[0]?.text ?? node.text, span };
    case 'function_call': {
      const name = node.namedChildren[0]?.text ?? '';
      const argsNode = node.namedChildren.find((c) => c?.type === 'function_arguments');
      const args = argsNode ? argsNode.namedChildren.filter((x): x is Node => x?.type === 'expression').map((x) => buildExpr(x, depth + 1)) : [];
      const expandLast = !!argsNode?.namedChildren.some((x) => x?.type === 'ellipsis');
      return { t: 'call', name, args, expandLast, span };
    }
    case 'conditional': {
      const [a, b, c] = node.namedChildren.filter((x): x is Node => x?.type === 'expression');
      if (!a || !b || !c) return { t: 'unsupported', span };
      return { t: 'cond', test: buildExpr(a, depth + 1), then: buildExpr(b, depth + 1), else: buildExpr(c, depth + 1), span };
    }
    case 'operation': {
      const c = node.namedChildren[0];
      return c ? buildExpr(c, depth + 1) : { t: 'unsupported', span };
    }
    case 'unary_operation': {
      const op = node.children[0]?.type ?? '';
      const kids = node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      if (kids.length === 0) return { t: 'unsupported', span };
      return { t: 'unary', op, operand: buildOperand(kids, span, depth), span };
    }
    case 'binary_operation': {
      // Operands are not wrapped: `var.a == "x"` is (variable_expr get_attr "==" literal_value).
      const opIndex = node.children.findIndex((c) => !!c && !c.isNamed);
      const opNode = node.children[opIndex];
      if (opIndex < 0 || !opNode) return { t: 'unsupported', span };
      const left = node.children.slice(0, opIndex).filter((c): c is Node => !!c && c.isNamed && c.type !== 'comment');
      const right = node.children.slice(opIndex + 1).filter((c): c is Node => !!c && c.isNamed && c.type !== 'comment');
      if (!left.length || !right.length) return { t: 'unsupported', span };
      return { t: 'binary', op: opNode.type, left: buildOperand(left, span, depth), right: buildOperand(right, span, depth), span };
    }
    case 'for_expr':
      return { t: 'for', span };
    case 'get_attr': case 'index': case 'splat':
      return { t: 'unsupported', span };
    default:
      // A bare primary (variable_expr, function_call, ...) may appear without an expression wrapper.
      return { t: 'unsupported', span };
  }
}

/** A primary expression followed by attribute, index and splat steps. */
function buildOperand(kids: Node[], span: Span, depth: number): Expr {
  if (kids.length === 0) return { t: 'unsupported', span };
  const base = buildExpr(kids[0]!, depth + 1);
  if (kids.length === 1) return base;
  const steps: Step[] = [];
  for (const k of kids.slice(1)) {
    if (k.type === 'get_attr') steps.push({ attr: k.namedChildren[0]?.text ?? '' });
    else if (k.type === 'index') steps.push(indexStep(k, depth));
    else if (k.type === 'splat') steps.push({ splat: true });
    else return { t: 'unsupported', span };
  }
  return { t: 'traverse', base, steps, span };
}

function objectKeyName(key: Expr): string | undefined {
  if (key.t === 'var') return key.name;
  if (key.t === 'lit' && typeof key.value === 'string') return key.value;
  if (key.t === 'template' && key.parts.length === 1 && typeof key.parts[0] === 'string') return key.parts[0];
  if (key.t === 'template' && key.parts.length === 0) return '';
  return undefined;
}

function indexStep(node: Node, depth: number): Step {
  const inner = node.namedChildren[0];
  if (inner?.type === 'new_index') {
    const e = inner.namedChildren[0];
    return e ? { index: buildExpr(e, depth + 1) } : { splat: true };
  }
  if (inner?.type === 'legacy_index') {
    const n = Number(inner.text.replace(/^\./, ''));
    return { index: { t: 'lit', value: n, span: spanOf(inner) } };
  }
  return { splat: true };
}

function buildTemplate(node: Node, depth: number): Expr {
  const span = spanOf(node);
  const parts: (string | Expr)[] = [];
  const heredoc = node.type === 'heredoc_template';
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'template_literal') parts.push(heredoc ? c.text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{') : unescapeHcl(c.text));
    else if (c.type === 'template_interpolation') {
      const e = c.namedChildren.find((x) => x?.type === 'expression');
      parts.push(e ? buildExpr(e, depth + 1) : { t: 'unsupported', span: spanOf(c) });
    } else if (c.type === 'template_directive') parts.push({ t: 'unsupported', span: spanOf(c) });
  }
  if (heredoc) {
    // The grammar leaves the newline after the opening marker and the indentation in the
    // literal text; `<<-` strips the common leading whitespace as Terraform does.
    const start = node.namedChildren.find((x) => x?.type === 'heredoc_start')?.text ?? '<<';
    if (parts.length && typeof parts[0] === 'string') parts[0] = parts[0].replace(/^\r?\n/, '');
    if (start.startsWith('<<-')) return { t: 'template', parts: dedent(parts), span };
  }
  if (parts.length === 1 && typeof parts[0] === 'string') return { t: 'lit', value: parts[0], span };
  return { t: 'template', parts, span };
}

function dedent(parts: (string | Expr)[]): (string | Expr)[] {
  const texts = parts.filter((p): p is string => typeof p === 'string').join('\u0000');
  const indents = texts.split('\n').filter((l) => l.trim() !== '' && !l.includes('\u0000')).map((l) => /^[ \t]*/.exec(l)![0].length);
  const n = indents.length ? Math.min(...indents) : 0;
  if (n === 0) return parts;
  const re = new RegExp(`(^|\\n)[ \\t]{0,${n}}`, 'g');
  return parts.map((p, i) => (typeof p === 'string' ? (i === 0 ? p : p).replace(re, '$1') : p));
}
