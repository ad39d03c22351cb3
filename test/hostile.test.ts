/*
 * Hostile and broken input, one named case each: a failing rule, billion laughs, 10,000-deep
 * nesting, 10 MB files, NUL bytes, invalid UTF-8, BOM, CRLF, tabs; untrusted text in hovers and
 * webviews; and no dynamic code evaluation anywhere in the extension or the server.
 *
 * Time limits are bounds, not benchmarks: BOUND_MS_PER_MB per MB on top of a floor, generous
 * enough for a busy CI machine, tight enough to catch anything quadratic.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as fc from 'fast-check';
import { kubernetesFile, terraformFile } from '../bench/generate';
import { csp, escapeHtml, page, renderAiSection, renderExplanation, renderReport, safeLink } from '../client/src/render';
import { defaultConfig } from '../server/src/engine/config';
import { kubernetesRule, terraformRule, type Rule } from '../server/src/engine/rule';
import { RuleSet } from '../server/src/engine/run';
import { decodeSource, scanSources, type UnitResult } from '../server/src/engine/scan';
import type { Finding, Note } from '../server/src/engine/types';
import { SourceDocument } from '../server/src/lsp/documents';
import { escapeMarkdown } from '../server/src/lsp/markdown';
import { parseKubernetes } from '../server/src/parse/kubernetes';
import { LineIndex } from '../server/src/parse/source';
import { PARSE_BUDGET_MS, initParsers } from '../server/src/parse/treesitter';
import { parseYaml, toJs, yamlTooDeep } from '../server/src/parse/yaml';
import type { Explanation, ScanWorkspaceResult } from '../server/src/protocol';
import { ALL_RULES } from '../server/src/rules';
import { billionLaughs, billionLaughsMerge, deepNesting } from './fuzz-generators';

const MB = 1024 * 1024;
const BOUND_MS_PER_MB = 2000;
const FLOOR_MS = 2000;
/** 10 MB files run every rule on thousands of resources (about 1.4 s per MB on a busy 2-core machine). */
const BIG_BOUND_MS_PER_MB = 4000;
/** The repository: next to the bundle (out/test/) or, for a bundle built elsewhere (OUT_DIR), the working directory. */
const ROOT = [path.resolve(__dirname, '..', '..'), process.cwd()].find((d) => fs.existsSync(path.join(d, 'server', 'src', 'server.ts'))) ?? path.resolve(__dirname, '..', '..');

const PUBLIC_BUCKET = 'resource "aws_s3_bucket" "b" {\n  acl = "public-read"\n}\n';
const PRIVILEGED_POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: nginx:1.25\n      securityContext:\n        privileged: true\n';

async function timed<T>(what: string, bytes: number, f: () => Promise<T> | T, perMB = BOUND_MS_PER_MB): Promise<T> {
  const started = performance.now();
  const r = await f();
  const ms = performance.now() - started;
  const limit = FLOOR_MS + (perMB * bytes) / MB;
  assert.ok(ms <= limit, `${what}: ${ms.toFixed(0)} ms for ${(bytes / MB).toFixed(2)} MB, over the bound of ${limit.toFixed(0)} ms`);
  return r;
}

function scan(files: Record<string, string>, rules: readonly Rule[] = ALL_RULES): Promise<UnitResult & { ruleSet: RuleSet }> {
  const rs = new RuleSet(rules, defaultConfig());
  const map = new Map(Object.entries(files).map(([k, v]) => [path.posix.join('/hostile', k), v]));
  return scanSources(map, rs).then((r) => ({ ...r, ruleSet: rs }));
}

const ids = (fs: Finding[], id: string) => fs.filter((f) => f.ruleId === id);

/** Line and column of a finding agree with its offsets in the text. */
function assertPlaced(f: Finding, text: string): void {
  const li = new LineIndex(text);
  const a = li.positionAt(f.span.start);
  assert.deepEqual([f.span.startLine, f.span.startCol], [a.line, a.character], `${f.ruleId}: line/column disagree with offset ${f.span.start}`);
}

describe('hostile input to the engine', () => {
  before(() => initParsers());

  it('skips a failing rule once and keeps every other finding', async () => {
    let calls = 0;
    const boomTf = terraformRule({
      id: 'test-throwing-terraform', title: 'throws', severity: 'high', impact: '', remediation: '', references: [], compliance: [], equivalents: {},
      examples: { good: [], bad: [] }, resources: ['aws_s3_bucket'],
      check() { calls++; throw new Error('boom'); },
    });
    const boomK8s = kubernetesRule({
      id: 'test-throwing-kubernetes', title: 'throws', severity: 'high', impact: '', remediation: '', references: [], compliance: [], equivalents: {},
      examples: { good: [], bad: [] },
      check() { throw new TypeError("Cannot read properties of undefined (reading 'x')"); },
    });
    const files = {
      'a/main.tf': PUBLIC_BUCKET + PUBLIC_BUCKET.replace('"b"', '"c"'),
      'b/main.tf': PUBLIC_BUCKET,
      'k/pod.yaml': PRIVILEGED_POD + '---\n' + PRIVILEGED_POD.replace('name: p', 'name: q'),
    };
    const baseline = await scan(files);
    // The throwing rules come first, so that they fail before the real rules run on each resource.
    const r = await scan(files, [boomTf, boomK8s, ...ALL_RULES]);
    assert.equal(calls, 1, 'a failed rule is not called again');
    assert.deepEqual(r.findings, baseline.findings, 'every other finding stands');
    assert.equal(ids(r.findings, 'aws-s3-no-public-acl').length, 3);
    assert.equal(ids(r.findings, 'k8s-no-privileged-containers').length, 2);
    const failed = r.notes.filter((n) => /failed and was skipped/.test(n.message));
    assert.deepEqual(failed.map((n) => n.message).sort(), [
      "rule test-throwing-kubernetes failed and was skipped: Cannot read properties of undefined (reading 'x')",
      'rule test-throwing-terraform failed and was skipped: boom',
    ]);
    assert.ok(failed.every((n) => n.level === 'error'));
    assert.deepEqual([...r.ruleSet.failures.keys()].sort(), ['test-throwing-kubernetes', 'test-throwing-terraform']);
  });

  it('expands no YAML billion laughs (aliases nine deep, nine wide)', async () => {
    const text = billionLaughs() + 'spec:\n  x: 1\n';
    await timed('billion laughs', text.length, async () => {
      const y = parseYaml('/h/lol.yaml', text);
      assert.equal(y.documents.length, 1);
      // Aliases share nodes; walking them as a tree is bounded by depth, never expanded 9^9 times.
      toJs(y.documents[0]!.root);
      const r = await scan({ 'lol/a.yaml': text });
      assert.deepEqual(r.notes.filter((n) => n.level === 'error'), []);
    });
  });

  it('bounds merge-key expansion (<<: [*x, *x, *x] twelve levels deep)', async () => {
    const text = billionLaughsMerge();
    await timed('merge laughs', text.length, async () => {
      const k = parseKubernetes('/h/merge.yaml', text);
      assert.ok(k && k.objects.length === 1);
      await scan({ 'merge/a.yaml': text + 'spec:\n  containers:\n    - name: a\n      image: x:1\n      securityContext: { privileged: true }\n' });
    });
  });

  it('does not give tree-sitter-yaml the nesting that corrupts its memory (F2)', async () => {
    // 255 nested "- " or 300 one-space indents crash the YAML scanner inside wasm, and every later
    // parse of the process fails with it: parseYaml refuses them, and the next file is still read.
    const deep = [
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec: ${'- '.repeat(300)}x\n`,
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`,
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: *c${' -'.repeat(300)}\n`,
    ];
    for (const text of deep) {
      assert.ok(yamlTooDeep(text));
      const y = parseYaml('/h/deep.yaml', text);
      assert.deepEqual(y.documents, []);
      assert.match(y.skipped ?? '', /nested more than \d+ levels/);
    }
    const r = await scan({ 'deepyaml/a.yaml': deep[0]!, 'deepyaml/b.yaml': deep[1]!, 'deepyaml/c.yaml': deep[2]!, 'deepyaml/z.yaml': PRIVILEGED_POD });
    assert.equal(ids(r.findings, 'k8s-no-privileged-containers').length, 1, 'later files are still parsed');
    assert.ok(!yamlTooDeep(`a: ${'- '.repeat(150)}x\n{${Array.from({ length: 500 }, (_, i) => `k${i}: ${i}`).join(', ')}}\n`), 'ordinary nesting and long flow maps are parsed');
  });

  it('survives 10,000-deep nesting in Terraform and YAML', async () => {
    for (const kind of ['tf', 'yaml'] as const) {
      const text = deepNesting(kind, 10_000);
      const r = await timed(`10,000-deep ${kind}`, text.length, () => scan({ [kind === 'tf' ? 'deep/main.tf' : 'deep/a.yaml']: text }));
      assert.deepEqual(r.notes.filter((n) => n.level === 'error'), [], kind);
    }
    // Deep nesting around a real finding leaves the finding in place.
    const text = PUBLIC_BUCKET + `locals {\n  x = ${'['.repeat(10_000)}${']'.repeat(10_000)}\n}\n`;
    const r = await scan({ 'deep2/main.tf': text });
    assert.equal(ids(r.findings, 'aws-s3-no-public-acl').length, 1);
  });

  it('scans a 10 MB Terraform file and a 10 MB manifest file within the bound', async () => {
    const tfUnit = terraformFile(2000);
    const tf = tfUnit.repeat(Math.ceil((10 * MB) / tfUnit.length));
    const r1 = await timed('10 MB of Terraform', tf.length, () => scan({ 'big/main.tf': tf }), BIG_BOUND_MS_PER_MB);
    assert.ok(r1.findings.length > 1000, `${r1.findings.length} findings`);
    const k8sUnit = kubernetesFile(1500);
    const y = (k8sUnit + '---\n').repeat(Math.ceil((10 * MB) / (k8sUnit.length + 4)));
    const r2 = await timed('10 MB of manifests', y.length, () => scan({ 'big/a.yaml': y }), BIG_BOUND_MS_PER_MB);
    assert.ok(r2.findings.length > 1000, `${r2.findings.length} findings`);
    // Every document is read: parsed as one tree, tree-sitter-yaml lost the thread after about 1,000 of them.
    assert.ok(r2.findings.some((f) => f.span.start > y.length - k8sUnit.length), 'no finding in the last copy');
  });

  it('survives a 10 MB line', async () => {
    const text = PUBLIC_BUCKET + `locals {\n  x = "${'a'.repeat(10 * MB)}"\n}\n# ${'#'.repeat(MB)}\n`;
    const r = await timed('10 MB line', text.length, () => scan({ 'line/main.tf': text }));
    assert.equal(ids(r.findings, 'aws-s3-no-public-acl').length, 1);
  });

  it('answers a file on which tree-sitter is quadratic within the parse budget, with a note', async () => {
    // 64,000 spaces inside an identifier: tree-sitter's error recovery would take about 30 s.
    const slow = 'resource "aws_s3_bucket" "site" {\n  buck' + ' '.repeat(64_000) + 'et = "x"\n}\n';
    const started = performance.now();
    const r = await scan({ 'slow/main.tf': slow, 'fine/main.tf': PUBLIC_BUCKET });
    const ms = performance.now() - started;
    const budget = PARSE_BUDGET_MS.base + (PARSE_BUDGET_MS.perMB * slow.length) / MB;
    assert.ok(ms < 2 * budget + FLOOR_MS, `${ms.toFixed(0)} ms, parse budget ${budget.toFixed(0)} ms`);
    assert.ok(r.notes.some((n) => n.file.endsWith('slow/main.tf') && /parsing took longer than/.test(n.message)), JSON.stringify(r.notes));
    assert.equal(ids(r.findings, 'aws-s3-no-public-acl').length, 1, 'the other module is still checked');
  });

  it('passes over files with NUL bytes from disk, and survives them in the editor', async () => {
    const notes: Note[] = [];
    assert.equal(decodeSource(Buffer.from(`${PUBLIC_BUCKET}\0\0\0`), '/h/bin.tf', notes), undefined);
    assert.deepEqual(notes.map((n) => n.message), ['skipped: binary content (NUL bytes)']);
    // An editor buffer can hold NULs; the engine answers and the intact resource is still judged.
    const r = await scan({ 'nul/main.tf': `${PUBLIC_BUCKET}\0\0\0\n`, 'nul2/main.tf': `\0${PUBLIC_BUCKET}`, 'nul/a.yaml': `${PRIVILEGED_POD}\0\n` });
    assert.equal(ids(r.findings, 'aws-s3-no-public-acl').length, 1);
    assert.deepEqual(r.notes.filter((n) => n.level === 'error'), []);
    const binary = Buffer.alloc(64 * 1024);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919) & 0xff;
    await scan({ 'bin/main.tf': binary.toString('latin1'), 'bin/a.yaml': binary.toString('utf8') });
  });

  it('reads invalid UTF-8 and non-ASCII text with correct positions', async () => {
    const bytes = Buffer.concat([Buffer.from('# \xff\xfe broken: '), Buffer.from([0xc3, 0x28, 0xe2, 0x82, 0xf0, 0x9f, 0x98]), Buffer.from('\n'), Buffer.from(PUBLIC_BUCKET.replace('  acl', '  /* é😀 */ acl'))]);
    const text = decodeSource(bytes, '/h/utf8.tf', [])!;
    assert.ok(text.includes('\uFFFD'));
    const r = await scan({ 'utf8/main.tf': text });
    const f = ids(r.findings, 'aws-s3-no-public-acl');
    assert.equal(f.length, 1);
    assertPlaced(f[0]!, text);
    // Lone surrogates reach the server over JSON-RPC as they are.
    const r2 = await scan({ 'surrogate/main.tf': `# \uD800 \uDFFF\n${PUBLIC_BUCKET.replace('"b"', '"\uD83D"')}` });
    assert.deepEqual(r2.notes.filter((n) => n.level === 'error'), []);
  });

  it('gives the same findings with a BOM, with CRLF and with tabs', async () => {
    const files = { 'crlf/main.tf': PUBLIC_BUCKET, 'crlf/pod.yaml': PRIVILEGED_POD };
    const plain = await scan(files);
    const key = (f: Finding) => `${f.ruleId} ${f.address} ${f.span.startLine}:${f.span.startCol}`;
    const expected = plain.findings.map(key);
    assert.ok(expected.length >= 2);
    // The CLI turns a BOM into a space of the same length (decodeSource); the engine also copes with a raw one.
    const bom = decodeSource(Buffer.from('\uFEFF' + PUBLIC_BUCKET), '/h/bom.tf', [])!;
    assert.equal(bom, ' ' + PUBLIC_BUCKET);
    const withBom = await scan({ 'crlf/main.tf': bom, 'crlf/pod.yaml': PRIVILEGED_POD });
    // The space moves the first line's columns by one, and nothing else.
    const shifted = (f: Finding) => key({ ...f, span: { ...f.span, startCol: f.span.startCol - (f.span.startLine === 0 && f.file.endsWith('.tf') ? 1 : 0) } });
    assert.deepEqual(withBom.findings.map(shifted), expected);
    const rawBom = await scan({ 'crlf/main.tf': '\uFEFF' + PUBLIC_BUCKET, 'crlf/pod.yaml': '\uFEFF' + PRIVILEGED_POD });
    assert.deepEqual(rawBom.findings.map((f) => f.ruleId).sort(), plain.findings.map((f) => f.ruleId).sort());
    const crlf = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.replace(/\n/g, '\r\n')]));
    const withCrlf = await scan(crlf);
    assert.deepEqual(withCrlf.findings.map(key), expected);
    for (const f of withCrlf.findings) assertPlaced(f, crlf[f.file.replace('/hostile/', '')]!);
    const tabs = await scan({ 'crlf/main.tf': PUBLIC_BUCKET.replace(/ {2}/g, '\t') });
    assert.deepEqual(ids(tabs.findings, 'aws-s3-no-public-acl').map((f) => [f.span.startLine, f.span.startCol]), [[1, 1]]);
  });

  it('keeps duplicate keys and attributes deterministic (last one wins)', async () => {
    const r = await scan({ 'dup/main.tf': 'resource "aws_s3_bucket" "b" {\n  acl = "private"\n  acl = "public-read"\n}\n', 'dup/pod.yaml': PRIVILEGED_POD.replace('privileged: true', 'privileged: false\n        privileged: true') });
    assert.equal(ids(r.findings, 'aws-s3-no-public-acl').length, 1);
    assert.equal(ids(r.findings, 'k8s-no-privileged-containers').length, 1);
  });

  it('evaluates a "billion laughs" of Terraform locals without blowing up', async () => {
    // Each local doubles (or quadruples) the one before: 2^40 elements or characters if expanded.
    let locals = 'locals {\n  s0 = "lol"\n  l0 = ["lol"]\n  o0 = { a = "lol" }\n';
    for (let i = 1; i <= 40; i++) {
      locals += `  s${i} = format("%s%s%s%s", local.s${i - 1}, local.s${i - 1}, local.s${i - 1}, local.s${i - 1})\n`;
      locals += `  t${i} = "\${local.s${i - 1}}\${local.s${i - 1}}"\n`;
      locals += `  j${i} = join(",", [local.s${i - 1}, local.s${i - 1}])\n`;
      locals += `  l${i} = concat(local.l${i - 1}, local.l${i - 1})\n`;
      locals += `  f${i} = flatten([local.l${i - 1}, local.l${i - 1}])\n`;
      locals += `  o${i} = { a = local.o${i - 1}, b = local.o${i - 1} }\n`;
      locals += `  e${i} = jsonencode(local.o${i})\n`;
      locals += `  c${i} = local.o${i} == local.o${i - 1}\n`;
      locals += `  m${i} = merge(local.o${i}, { c = local.o${i - 1} })\n`;
    }
    locals += '}\n';
    const text = locals + 'resource "aws_s3_bucket" "b" {\n  acl    = "public-read"\n  bucket = local.s40\n  tags   = local.o40\n  policy = local.e40\n}\n' +
      'resource "aws_iam_policy" "p" {\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = local.l40, Resource = local.o40 }] })\n}\n';
    const r = await timed('Terraform laughs', text.length, () => scan({ 'tflol/main.tf': text }));
    assert.deepEqual(r.notes.filter((n) => n.level === 'error'), []);
    assert.equal(ids(r.findings, 'aws-s3-no-public-acl').length, 1);
  });

  it('treats Object.prototype names in keys, kinds and functions as plain data', async () => {
    const r = await scan({
      'proto/main.tf': 'locals {\n  a = { "__proto__" = { acl = "public-read" }, constructor = 1 }\n  b = lookup(local.a, "toString", "x")\n  c = toString(1)\n  d = local.a.hasOwnProperty\n}\n' +
        'resource "aws_s3_bucket" "b" {\n  acl = local.a.acl\n  bucket = constructor("x")\n  tags = merge(local.a, jsondecode("{\\"__proto__\\": {\\"x\\": 1}}"))\n}\n',
      'proto/a.yaml': 'apiVersion: v1\nkind: constructor\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: toString\nspec: {}\n---\napiVersion: v1\nkind: __proto__\n',
    });
    assert.deepEqual(r.notes.filter((n) => n.level === 'error'), []);
    // `local.a.acl` must not find "public-read" through an object prototype.
    assert.equal(ids(r.findings, 'aws-s3-no-public-acl').length, 0);
  });
});

// ---------------------------------------------------------------- untrusted text in the UI

const EVIL = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror="alert(1)">',
  attr: '" onmouseover="alert(1)" x="',
  single: "' onfocus='alert(1)' autofocus='",
  mdLink: '[click me](command:workbench.action.terminal.new)',
  mdImage: '![x](https://evil.example/x.png)',
  html: '<a href="command:rampart.scanWorkspace">run</a><iframe src="https://evil.example"></iframe>',
  code: '`</code></pre><script>alert(2)</script>`',
  template: '${alert(1)} {{constructor.constructor("alert(1)")()}}',
};
const EVIL_TEXT = Object.values(EVIL).join(' \n ');

function explanation(over: Partial<Explanation> = {}): Explanation {
  return {
    ruleId: `rule-${EVIL.attr}`, title: EVIL.script, severity: 'high', message: EVIL_TEXT, address: EVIL.img,
    impact: EVIL.mdLink + EVIL.html, remediation: EVIL.code + EVIL.template, compliance: [EVIL.script, EVIL.single],
    references: ['javascript:alert(1)', 'command:workbench.action.terminal.new', 'data:text/html,<script>alert(1)</script>', 'https://ok.example/"onmouseover="alert(1)', 'https://ok.example/a b', 'vscode://rampart/x', 'https://docs.example/rule'],
    equivalents: { checkov: [EVIL.script], trivy: [EVIL.attr], kics: [EVIL.img] }, docUrl: 'https://docs.example/doc', fixable: true,
    related: [{ uri: `file:///x/${encodeURIComponent(EVIL.script)}`, line: 1, message: EVIL.img }],
    snippet: EVIL_TEXT, uri: 'file:///x/main.tf', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    ...over,
  } as Explanation;
}

/** Every tag of a piece of HTML, with its attributes. */
function tags(html: string): { name: string; attrs: [string, string][] }[] {
  const out: { name: string; attrs: [string, string][] }[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const attrs: [string, string][] = [];
    for (const a of m[2]!.matchAll(/([^\s=/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) attrs.push([a[1]!.toLowerCase(), (a[2] ?? '').replace(/^["']|["']$/g, '')]);
    out.push({ name: m[1]!.toLowerCase(), attrs });
  }
  return out;
}

const ALLOWED_TAGS = new Set(['h1', 'h2', 'div', 'span', 'code', 'p', 'br', 'ul', 'li', 'pre', 'table', 'tr', 'td', 'th', 'a', 'html', 'head', 'meta', 'link', 'title', 'body']);

function assertSafeHtml(html: string): void {
  for (const t of tags(html)) {
    assert.ok(ALLOWED_TAGS.has(t.name), `unexpected <${t.name}> in the output`);
    for (const [name, value] of t.attrs) {
      assert.ok(!name.startsWith('on'), `event handler ${name} on <${t.name}>`);
      if (name === 'href' || name === 'src') assert.match(value, /^https:\/\/[^\s"'<>]+$|^vscode-webview:|^https:\/\/file\+/, `${name}="${value}" on <${t.name}>`);
    }
  }
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /href\s*=\s*["']?\s*(command|javascript|data|vscode):/i);
}

describe('untrusted text in webviews (client/src/render.ts)', () => {
  it('escapes every HTML special character', () => {
    assert.equal(escapeHtml(`<a href="x" onclick='y'>&\`</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
    assert.equal(escapeHtml(undefined), '');
    assert.equal(escapeHtml(42), '42');
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      const e = escapeHtml(s);
      assert.ok(!/[<>"'`]/.test(e));
      assert.ok(!/&(?!(amp|lt|gt|quot|#39|#96);)/.test(e), 'every & starts an entity');
      const back = e.replace(/&(lt|gt|quot|#39|#96|amp);/g, (_m, x: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`', amp: '&' })[x]!);
      assert.equal(back, s);
    }), { seed: 7, numRuns: 500 });
  });

  it('links only plain https URLs; command:, javascript:, data: and quotes stay text', () => {
    assert.equal(safeLink('https://docs.example/x'), '<a href="https://docs.example/x">https://docs.example/x</a>');
    for (const bad of ['command:workbench.action.terminal.new', 'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>', 'vscode://x', 'http://plain.example', 'https://ok.example/"onmouseover="x', "https://ok.example/'x", 'https://a b', 'https://x<script>']) {
      const html = safeLink(bad);
      assert.ok(!html.includes('<a'), `${bad} became a link: ${html}`);
      assertSafeHtml(html);
    }
    assert.equal(safeLink('command:x', '<b>label</b>'), '&lt;b&gt;label&lt;/b&gt;');
  });

  it('renders an explanation full of hostile rule and LLM text as inert text', () => {
    const html = renderExplanation(explanation(), '');
    assertSafeHtml(html);
    const links = tags(html).filter((t) => t.name === 'a').map((t) => t.attrs.find(([n]) => n === 'href')![1]);
    assert.deepEqual(links, ['https://docs.example/doc', 'https://docs.example/rule']);
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the title is shown, escaped');
    assert.ok(html.includes('[click me](command:workbench.action.terminal.new)'), 'markdown in rule text stays literal text');
    assert.ok(!html.includes('onerror="'), 'no attribute made of an event handler');
  });

  it('renders LLM text as escaped paragraphs: no markdown, HTML or links come out of it', () => {
    const llm = `${EVIL_TEXT}\n\n[docs](https://evil.example) <https://evil.example> javascript:alert(1)\n\n${'x'.repeat(30_000)}`;
    for (const state of ['loading', 'streaming', 'done', 'error', 'unavailable'] as const) {
      const html = renderAiSection({ state, text: llm, error: EVIL_TEXT });
      assertSafeHtml(html);
      assert.ok(!tags(html).some((t) => t.name === 'a'), `${state}: a link came out of LLM text`);
    }
    const done = renderAiSection({ state: 'done', text: llm });
    assert.ok(done.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(done.length < 30_000, 'LLM text is cut to a bounded length');
    // The explanation page with the LLM section inside stays inert too.
    assertSafeHtml(page('x', renderExplanation(explanation(), done), { cspSource: 'vscode-webview://x', nonce: 'n', styleUri: 'https://file+.vscode-resource.vscode-cdn.net/panel.css' }));
  });

  it('renders a scan report with hostile paths and notes as inert text', () => {
    const r: ScanWorkspaceResult = {
      files: 1, findings: 1, bySeverity: { high: 1 }, cancelled: false, durationMs: 5,
      top: [{ uri: `file:///x/${EVIL.script}`, count: 1 }],
      notes: [{ uri: 'file:///x/a.tf', level: EVIL.img as 'error', message: EVIL_TEXT }],
    } as ScanWorkspaceResult;
    assertSafeHtml(renderReport(r, (u) => decodeURIComponent(u)));
  });

  it('wraps pages in a strict Content-Security-Policy with a nonce', () => {
    const nonce = 'abc123+/=';
    const policy = csp('vscode-webview://x', nonce);
    const directives = new Map(policy.split(';').map((d) => d.trim()).filter(Boolean).map((d) => { const [k, ...v] = d.split(/\s+/); return [k!, v]; }));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), [`'nonce-${nonce}'`], 'scripts only with the nonce');
    assert.ok(!policy.includes('unsafe-inline') && !policy.includes('unsafe-eval') && !/\*/.test(policy), policy);
    const html = page(`${EVIL.script}${EVIL.attr}`, '<p>x</p>', { cspSource: 'vscode-webview://x', nonce, styleUri: `https://file+.vscode-resource.vscode-cdn.net/m/panel.css${EVIL.attr}` });
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${policy}">`));
    assertSafeHtml(html);
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<link'), 'the policy comes before any resource');
  });

  it('extension.ts builds webviews without scripts or command URIs', () => {
    const ext = fs.readFileSync(path.join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
    assert.match(ext, /enableScripts:\s*false/);
    assert.match(ext, /enableCommandUris:\s*false/);
    assert.match(ext, /nonce\(\)/);
  });
});

describe('untrusted text in hovers (escapeMarkdown)', () => {
  const SPECIAL = /[\\`*_{}[\]()#+\-.!|<>&]/;

  it('leaves no markdown, HTML or link syntax active', () => {
    for (const s of Object.values(EVIL)) {
      const e = escapeMarkdown(s);
      for (let i = 0; i < e.length; i++) {
        if (e[i] === '\\') { i++; continue; }
        assert.ok(!SPECIAL.test(e[i]!), `unescaped ${e[i]} in ${e}`);
      }
    }
    assert.equal(escapeMarkdown('[x](command:y)'), '\\[x\\]\\(command:y\\)');
    assert.equal(escapeMarkdown('<img src=x onerror=alert(1)>'), '\\<img src=x onerror=alert\\(1\\)\\>');
  });

  it('round-trips any text: every special character is escaped, nothing else changes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      const e = escapeMarkdown(s);
      let back = '';
      for (let i = 0; i < e.length; i++) {
        if (e[i] === '\\') { assert.ok(SPECIAL.test(e[i + 1] ?? ''), 'a backslash escapes a special character'); back += e[++i]; continue; }
        assert.ok(!SPECIAL.test(e[i]!), `unescaped ${e[i]}`);
        back += e[i];
      }
      assert.equal(back, s);
    }), { seed: 11, numRuns: 1000 });
  });

  it('server.ts escapes rule and finding text in hovers', () => {
    const src = fs.readFileSync(path.join(ROOT, 'server', 'src', 'server.ts'), 'utf8');
    assert.match(src, /import \{ escapeMarkdown \} from '\.\/lsp\/markdown'/);
    for (const field of ['f.title', 'f.message', 'rule.impact', 'rule.remediation']) {
      const uses = src.match(new RegExp(`\\$\\{[^}]*${field.replace('.', '\\.')}[^}]*\\}`, 'g')) ?? [];
      for (const u of uses) assert.match(u, /escapeMarkdown|\.length|\.fix|===|!==/, `${field} reaches markdown unescaped: ${u}`);
    }
  });
});

// ---------------------------------------------------------------- no dynamic code

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|js|mjs|cjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Source with comments, strings and template text blanked (so that prose about eval is not flagged). */
function codeOnly(src: string): string {
  return src.replace(/\/\*[^]*?\*\/|\/\/[^\n]*/g, (m) => m.replace(/[^\n]/g, ' '));
}

const FORBIDDEN: [RegExp, string][] = [
  [/(^|[^\w.$])eval\s*\(/, 'eval('],
  [/\bnew\s+Function\b/, 'new Function'],
  [/(^|[^\w.$])Function\s*\(/, 'Function('],
  [/\brequire\s*\(\s*(?!(['"])[^'"`$]*\1\s*\))/, 'require() of a non-literal'],
  [/(^|[^\w.$])import\s*\(\s*(?!(['"])[^'"`$]*\2\s*\))/, 'import() of a non-literal'],
  [/\b(setTimeout|setInterval)\s*\(\s*['"`]/, 'timer with a code string'],
  [/\bfrom\s+(['"])(node:)?vm\1|\brequire\s*\(\s*(['"])(node:)?vm\3\s*\)/, 'the vm module'],
  [/\brequire\.resolve\s*\(\s*(?!(['"])[^'"`$]*\1\s*\))/, 'require.resolve() of a non-literal'],
];

describe('no dynamic code evaluation', () => {
  it('server/src and client/src have no eval, new Function or dynamic require/import', () => {
    const files = [...sourceFiles(path.join(ROOT, 'server', 'src')), ...sourceFiles(path.join(ROOT, 'client', 'src'))];
    assert.ok(files.length > 20, `only ${files.length} source files found`);
    const problems: string[] = [];
    for (const f of files) {
      const lines = codeOnly(fs.readFileSync(f, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        for (const [re, what] of FORBIDDEN) if (re.test(line)) problems.push(`${path.relative(ROOT, f)}:${i + 1}: ${what}: ${line.trim()}`);
      });
    }
    assert.deepEqual(problems, []);
  });

  it('the checker itself catches each forbidden form', () => {
    const bad = ['eval(x)', 'const f = new Function("a", b)', 'Function(code)()', 'require(name)', 'require(`./${x}`)', 'await import(p)', "import('./' + x)", 'setTimeout("x()", 1)', "import * as vm from 'node:vm'", "const vm = require('vm')", 'require.resolve(x)'];
    for (const b of bad) assert.ok(FORBIDDEN.some(([re]) => re.test(codeOnly(b))), `not caught: ${b}`);
    const ok = ["require('node:fs')", "import('../parse/hcl').HclFile", 'x.eval(1)', 'evaluate(expr)', '// eval(x) in a comment', 'myFunction(x)', "const s = 'vm2'", 'resource "x" "vm" {}', "const name = 'vm';"];
    for (const o of ok) assert.ok(!FORBIDDEN.some(([re]) => re.test(codeOnly(o))), `flagged wrongly: ${o}`);
  });
});

describe('YAML too deep for the parser, in the editor', () => {
  before(() => initParsers());
  it('is refused before it reaches tree-sitter, and later parses still work', async () => {
    const doc = new SourceDocument('file:///virtual/deep/deep.yaml', '- '.repeat(400) + 'x\n', 1);
    const y = doc.yaml()!;
    assert.match(y.skipped ?? '', /nested more than 200 levels/);
    assert.equal(y.documents.length, 0);
    doc.applyChanges([{ text: 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\n' }], 2);
    assert.equal(doc.yaml()!.documents.length, 1);
    const r = await scanSources(new Map([['/virtual/deep/main.tf', 'resource "aws_s3_bucket" "b" {\n  acl = "public-read"\n}\n']]), new RuleSet(ALL_RULES, { ...defaultConfig(), enabledOnly: ['aws-s3-no-public-acl'] }));
    assert.equal(r.findings.length, 1);
  });
});
