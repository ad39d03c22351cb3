/*
 * Shared generators for the fuzz tests (test/fuzz.test.ts) and the hostile-input tests
 * (test/hostile.test.ts). Everything is seeded and deterministic: a seed and a fast-check path
 * reproduce an input exactly.
 *
 * The corpus is every rule's own good and bad examples plus the keystroke benchmark's speed
 * corpus (bench/generate.ts); mutations are the hostile things an editor buffer or a checkout
 * can hold: truncation at token boundaries, random inserts and deletes, unbalanced braces and
 * quotes, very deep nesting, NUL and binary data, invalid UTF-8, BOM, CRLF, tabs, very long
 * lines, YAML anchors/aliases (billion laughs) and duplicate keys.
 */
import * as fc from 'fast-check';
import { kubernetesFile, terraformFile } from '../bench/generate';
import type { Example } from '../server/src/engine/rule';
import { ALL_RULES } from '../server/src/rules';

export type FileKind = 'tf' | 'tfvars' | 'yaml';

export interface SeedFile {
  /** Where it came from, for reports: `<rule-id>/bad/0/main.tf` or `bench/terraform`. */
  name: string;
  kind: FileKind;
  /** Relative path inside its module directory. */
  rel: string;
  text: string;
  /** The other files of a multi-file example (relative path -> text), kept unchanged. */
  siblings: Record<string, string>;
}

export const kindOfPath = (p: string): FileKind | undefined =>
  p.endsWith('.tf') ? 'tf' : p.endsWith('.tfvars') ? 'tfvars' : p.endsWith('.yaml') || p.endsWith('.yml') ? 'yaml' : undefined;

function examplesOf(ruleId: string, target: 'terraform' | 'kubernetes', label: string, ex: Example, out: SeedFile[]): void {
  if (typeof ex === 'string') {
    const rel = target === 'terraform' ? 'main.tf' : 'manifest.yaml';
    out.push({ name: `${ruleId}/${label}/${rel}`, kind: target === 'terraform' ? 'tf' : 'yaml', rel, text: ex, siblings: {} });
    return;
  }
  for (const [rel, text] of Object.entries(ex)) {
    const kind = kindOfPath(rel);
    if (!kind) continue;
    const siblings = Object.fromEntries(Object.entries(ex).filter(([r]) => r !== rel));
    out.push({ name: `${ruleId}/${label}/${rel}`, kind, rel, text, siblings });
  }
}

let corpusCache: SeedFile[] | undefined;

/** Every rule example (each file of a multi-file example on its own) and the speed corpus. */
export function corpus(): SeedFile[] {
  if (corpusCache) return corpusCache;
  const out: SeedFile[] = [];
  for (const r of ALL_RULES) {
    r.examples.bad.forEach((ex, i) => examplesOf(r.id, r.target, `bad/${i}`, ex, out));
    r.examples.good.forEach((ex, i) => examplesOf(r.id, r.target, `good/${i}`, ex, out));
  }
  // The speed corpus, cut down so that one input stays cheap; the full-size files are used by
  // the "large input" mutation and by test/hostile.test.ts.
  out.push({ name: 'bench/terraform-200', kind: 'tf', rel: 'main.tf', text: terraformFile(200), siblings: {} });
  out.push({ name: 'bench/kubernetes-150', kind: 'yaml', rel: 'manifests.yaml', text: kubernetesFile(150), siblings: {} });
  out.push({ name: 'yaml/anchors', kind: 'yaml', rel: 'anchors.yaml', text: YAML_ANCHORS, siblings: {} });
  out.push({ name: 'tf/expressions', kind: 'tf', rel: 'main.tf', text: TF_EXPRESSIONS, siblings: {} });
  out.push({ name: 'tfvars/basic', kind: 'tfvars', rel: 'terraform.tfvars', text: 'acl = "public-read"\nports = [22, 3389]\ntags = { a = "b", "__proto__" = { x = 1 } }\n', siblings: { 'main.tf': 'variable "acl" {}\nvariable "ports" {}\nresource "aws_s3_bucket" "b" {\n  acl = var.acl\n}\n' } });
  corpusCache = out;
  return out;
}

const YAML_ANCHORS = `apiVersion: v1
kind: Pod
metadata:
  name: anchors
  labels: &labels
    app: web
    tier: front
  annotations:
    <<: *labels
spec:
  containers:
    - &c
      name: app
      image: nginx:latest
      securityContext: &sc
        privileged: true
        runAsUser: 0
    - <<: *c
      name: sidecar
      securityContext:
        <<: *sc
        privileged: false
---
apiVersion: v1
kind: ConfigMap
metadata: { name: cm, namespace: kube-system }
data:
  key: value
  key: duplicate
`;

const TF_EXPRESSIONS = `locals {
  a = merge({ x = 1 }, { "__proto__" = { y = 2 } })
  b = lookup(local.a, "constructor", "none")
  c = [for s in var.list : upper(s) if s != ""]
  d = jsondecode("{\\"__proto__\\": {\\"z\\": 1}, \\"constructor\\": 2}")
  e = format("%s-%d-%%-%v", "a", 1, true)
  f = "\${local.e}-\${var.name}-%{ if true }x%{ endif }"
  g = toString("x")
  h = local.a.constructor
  i = flatten([[1, [2, [3]]], local.c])
  j = element([], 0)
  k = 1 / 0
  l = -"x"
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["*"], Resource = local.h, Principal = { AWS = local.d } }]
  })
}
resource "aws_s3_bucket" "b" {
  bucket = "b-\${local.e}"
  acl    = local.b == "none" ? "private" : "public-read"
  tags   = local.a
}
`;

// ---------------------------------------------------------------- tokens and hostile pieces

const TOKEN = /\s+|[A-Za-z0-9_.-]+|"(?:[^"\\\n]|\\.)*"?|[^]/g;

/** Offsets where a token starts or ends (0 and text.length included). */
export function tokenBoundaries(text: string): number[] {
  const out = new Set<number>([0, text.length]);
  for (const m of text.matchAll(TOKEN)) { out.add(m.index!); out.add(m.index! + m[0].length); }
  return [...out].sort((a, b) => a - b);
}

/** Small strings that break parsers: structure, quoting, encodings, YAML and HCL specials. */
export const HOSTILE_PIECES: readonly string[] = [
  '{', '}', '[', ']', '(', ')', '"', "'", '`', '\\', '${', '%{', '}}', '{{ .Values.x }}', '<<EOF\n', '<<-EOT\n', '\nEOF\n', '\nEOT\n',
  '=', ':', ': ', '- ', '-', '?', '? ', '|', '>', '|-\n', '>+\n', '&a ', '*a', '<<: *a', '&a', '!!str ', '!!binary ', '!Ref ', '%YAML 1.2\n---\n',
  '---\n', '...\n', '#', '# rampart:ignore ', '//', '/*', '*/', ',', ';', '.', '..', '...', '[*]', '.*', '*',
  '\0', '\u0000\u0000\u0000', '\uFEFF', '\r\n', '\r', '\n', '\t', '\v', '\f', ' ', '\u00a0', '\u2028', '\u2029', '\u200b',
  '\uD800', '\uDFFF', '\uDBFF\uDFFF', '\uFFFD', '\uFFFE', '\uFFFF', '😀', 'é', '\u0301', 'ﬀ', '𝔘',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__',
  'null', 'true', 'false', '~', 'NaN', '.inf', '-.inf', '0x1F', '0o17', '1e309', '-0', '99999999999999999999999',
  'var.', 'local.', 'module.', 'data.', 'each.key', 'count.index', 'self.', 'path.module',
  'resource "aws_s3_bucket" "x" {', 'dynamic "x" {', 'content {', 'for x in y :', 'if', '=>', '...]', '?:',
  'apiVersion: v1\n', 'kind: Pod\n', 'kind: List\nitems:\n', 'kind: constructor\n', 'kind: __proto__\n', 'kind: toString\n',
  'file("../../etc/passwd")', 'file("/dev/zero")', 'file("${path.module}/x")', 'jsondecode("', 'jsonencode(', 'merge(', 'lookup(', 'format("%', 'element(',
];

/** A YAML "billion laughs": nine levels of nine aliases each. */
export function billionLaughs(levels = 9, width = 9): string {
  let out = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a0: &a0 "lol"\n';
  for (let i = 1; i <= levels; i++) out += `  a${i}: &a${i} [${Array.from({ length: width }, () => `*a${i - 1}`).join(', ')}]\n`;
  return out;
}

/** The merge-key variant: every level merges the previous map several times. */
export function billionLaughsMerge(levels = 12): string {
  let out = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: lol\nx0: &x0 { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10 }\n';
  for (let i = 1; i <= levels; i++) out += `x${i}: &x${i}\n  <<: [*x${i - 1}, *x${i - 1}, *x${i - 1}]\n  k${i}: ${i}\n`;
  return out;
}

/** n levels of nesting, in the syntax of the file kind. */
export function deepNesting(kind: FileKind, n: number): string {
  if (kind === 'yaml') {
    // Flow style keeps the text linear in n; block style would be quadratic in indentation.
    return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\nspec: ${'{a: ['.repeat(n)}1${']}'.repeat(n)}\n`;
  }
  return `resource "aws_s3_bucket" "deep" {\n  tags = ${'{ a = ['.repeat(n)}1${'] }'.repeat(n)}\n  x = ${'('.repeat(n)}1${')'.repeat(n)}\n  ${'b {\n'.repeat(n)}${'}\n'.repeat(n)}}\n`;
}

// ---------------------------------------------------------------- mutations

export type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; len: number }
  | { op: 'duplicate'; at: number; len: number; to: number }
  | { op: 'swap'; a: number; b: number; len: number }
  | { op: 'crlf' } | { op: 'tabs' } | { op: 'bom' } | { op: 'cr' }
  | { op: 'bytes'; at: number; bytes: number[]; encoding: 'utf8' | 'latin1' }
  | { op: 'nest'; at: number; depth: number; open: string; close: string }
  | { op: 'longLine'; at: number; len: number; ch: string }
  | { op: 'unbalance'; at: number; ch: string; count: number }
  | { op: 'repeat'; times: number }
  | { op: 'anchors'; variant: 'laughs' | 'merge' | 'self' };

const clampAt = (at: number, len: number) => (len === 0 ? 0 : at % (len + 1));

export function applyMutation(text: string, m: Mutation): string {
  switch (m.op) {
    case 'truncate': {
      const b = tokenBoundaries(text);
      return text.slice(0, b[m.at % b.length]);
    }
    case 'insert': { const at = clampAt(m.at, text.length); return text.slice(0, at) + m.text + text.slice(at); }
    case 'delete': { const at = clampAt(m.at, text.length); return text.slice(0, at) + text.slice(at + m.len); }
    case 'duplicate': {
      // Duplicated lines make duplicate keys and attributes.
      const at = clampAt(m.at, text.length);
      const piece = text.slice(at, at + m.len);
      const to = clampAt(m.to, text.length);
      return text.slice(0, to) + piece + text.slice(to);
    }
    case 'swap': {
      const a = clampAt(m.a, text.length), b = clampAt(m.b, text.length);
      const [x, y] = a < b ? [a, b] : [b, a];
      const len = Math.min(m.len, y - x);
      return text.slice(0, x) + text.slice(y, y + len) + text.slice(x + len, y) + text.slice(x, x + len) + text.slice(y + len);
    }
    case 'crlf': return text.replace(/\r?\n/g, '\r\n');
    case 'cr': return text.replace(/\r?\n/g, '\r');
    case 'tabs': return text.replace(/ {2}/g, '\t');
    case 'bom': return '\uFEFF' + text;
    case 'bytes': {
      const at = clampAt(m.at, text.length);
      return text.slice(0, at) + Buffer.from(m.bytes).toString(m.encoding) + text.slice(at);
    }
    case 'nest': {
      const at = clampAt(m.at, text.length);
      return text.slice(0, at) + m.open.repeat(m.depth) + m.close.repeat(m.depth) + text.slice(at);
    }
    case 'longLine': { const at = clampAt(m.at, text.length); return text.slice(0, at) + m.ch.repeat(m.len) + text.slice(at); }
    case 'unbalance': { const at = clampAt(m.at, text.length); return text.slice(0, at) + m.ch.repeat(m.count) + text.slice(at); }
    case 'repeat': return text.repeat(m.times);
    case 'anchors':
      return m.variant === 'laughs' ? text + '\n' + billionLaughs().replace(/^apiVersion[^]*?data:\n/, 'laughs:\n')
        : m.variant === 'merge' ? text + '\n' + billionLaughsMerge().replace(/^apiVersion[^]*?name: lol\n/, '')
        : text + '\nself: &s\n  a: *s\n  <<: *s\n';
  }
}

const position = fc.nat({ max: 1 << 20 });
const smallLen = fc.integer({ min: 1, max: 64 });

/** Random text: hostile pieces, arbitrary unicode (lone surrogates included) and ASCII. */
export const hostileText = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_PIECES) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...HOSTILE_PIECES), { minLength: 1, maxLength: 6 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/**
 * Mutations. At scale 1 inputs grow to hundreds of KB and 10,000 levels of nesting; smaller
 * scales keep them to a few KB so that thousands of inputs fit in npm test.
 */
export function mutationsArb(scale: number): fc.Arbitrary<Mutation> {
  const heavy = scale >= 1;
  const k = scale;
  const upTo = (n: number, min = 1) => fc.integer({ min: Math.min(min, Math.round(n * k)), max: Math.max(min, Math.round(n * k)) });
  return fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: position }) },
  { weight: 10, arbitrary: fc.record({ op: fc.constant('insert' as const), at: position, text: hostileText }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('delete' as const), at: position, len: smallLen }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: position, len: fc.integer({ min: 1, max: 200 }), to: position }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('swap' as const), a: position, b: position, len: smallLen }) },
  { weight: 1, arbitrary: fc.constantFrom<Mutation>({ op: 'crlf' }, { op: 'tabs' }, { op: 'bom' }, { op: 'cr' }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('bytes' as const), at: position, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }), encoding: fc.constantFrom('utf8' as const, 'latin1' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('nest' as const), at: position, depth: fc.oneof(fc.integer({ min: 1, max: 50 }), heavy ? fc.integer({ min: 400, max: 10_000 }) : fc.integer({ min: 300, max: 1_500 })), open: fc.constantFrom('{', '[', '(', '{a: [', '- ', 'b {\n', '${'), close: fc.constantFrom('}', ']', ')', ']}', '', '}\n') }) },
  // Long runs of whitespace, braces and quotes make tree-sitter's error recovery quadratic (F1 in
  // research/fuzz-findings.md): they stay short enough here for a run to keep its pace.
  { weight: 1, arbitrary: fc.record({ op: fc.constant('longLine' as const), at: position, len: upTo(200_000, 1_000), ch: fc.constantFrom('a', '\\', '#', '$', 'é', '\0') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('longLine' as const), at: position, len: upTo(4_000, 100), ch: fc.constantFrom(' ', '"', '{', '-', '\t', '\n', '[') }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('unbalance' as const), at: position, ch: fc.constantFrom('{', '}', '"', "'", '[', ']', '(', ')', '${', '<<'), count: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const), times: fc.integer({ min: 2, max: heavy ? 4 : 2 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('anchors' as const), variant: fc.constantFrom('laughs' as const, 'merge' as const, 'self' as const) }) },
  );
}

export const mutationArb = mutationsArb(1);

export interface FuzzInput {
  seed: SeedFile;
  mutations: Mutation[];
  text: string;
}

/** A corpus file with 0-4 mutations applied (0 keeps the seed itself in the mix). */
export function fuzzInputArb(seeds: SeedFile[] = corpus(), scale = 1): fc.Arbitrary<FuzzInput> {
  return fc.record({
    seedIndex: fc.nat({ max: seeds.length - 1 }),
    mutations: fc.array(mutationsArb(scale), { minLength: 0, maxLength: 4 }),
  }).map(({ seedIndex, mutations }) => {
    const seed = seeds[seedIndex]!;
    let text = seed.text;
    for (const m of mutations) text = applyMutation(text, m);
    return { seed, mutations, text };
  });
}

/** Pure garbage in a file of a given kind: random bytes, decoded as UTF-8 (invalid sequences included). */
export const garbageArb: fc.Arbitrary<{ kind: FileKind; text: string }> = fc.record({
  kind: fc.constantFrom<FileKind>('tf', 'yaml', 'tfvars'),
  text: fc.oneof(
    fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b).toString('utf8')),
    fc.array(fc.constantFrom(...HOSTILE_PIECES), { maxLength: 64 }).map((a) => a.join('')),
    fc.string({ unit: 'binary', maxLength: 512 }),
  ),
});

// ---------------------------------------------------------------- editor edits

export interface LspEdit {
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

/** One didChange: a few ranged edits (positions may lie past the end of a line or the file), rarely a full replacement. */
export const editBatchArb: fc.Arbitrary<LspEdit[]> = fc.array(
  fc.oneof(
    { weight: 20, arbitrary: fc.record({
      sl: fc.nat({ max: 400 }), sc: fc.nat({ max: 120 }), dl: fc.oneof(fc.constant(0), fc.constant(0), fc.nat({ max: 3 })), ec: fc.nat({ max: 120 }),
      text: fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 7, arbitrary: hostileText }, { weight: 2, arbitrary: fc.constantFrom('\n', 'a', ' ', '  acl = "public-read"\n', '      privileged: true\n', '}\n', '---\n') }),
    }).map(({ sl, sc, dl, ec, text }) => ({ range: { start: { line: sl, character: sc }, end: { line: sl + dl, character: dl === 0 ? sc + (ec % 8) : ec } }, text })) },
    { weight: 1, arbitrary: fc.constant<LspEdit | null>(null) },
  ),
  { minLength: 1, maxLength: 4 },
).map((list) => list.filter((x): x is LspEdit => x !== null));

/** Maps random line numbers onto the document's real line count, so most edits land inside it. */
export function fitEdits(edits: LspEdit[], lineCount: number): LspEdit[] {
  return edits.map((e) => {
    if (!e.range) return e;
    const s = e.range.start.line % (lineCount + 1);
    const d = e.range.end.line - e.range.start.line;
    return { text: e.text, range: { start: { line: s, character: e.range.start.character }, end: { line: s + d, character: e.range.end.character } } };
  });
}

/** LSP semantics of one edit on a text, computed independently of the server's code. */
export function applyLspEdit(text: string, e: LspEdit): string {
  if (!e.range) return e.text;
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const off = (line: number, ch: number) => {
    if (line >= starts.length) return text.length;
    const lineEnd = line + 1 < starts.length ? starts[line + 1]! - 1 : text.length;
    return Math.min(starts[line]! + ch, lineEnd);
  };
  const a = off(e.range.start.line, e.range.start.character);
  const b = Math.max(a, off(e.range.end.line, e.range.end.character));
  return text.slice(0, a) + e.text + text.slice(b);
}
