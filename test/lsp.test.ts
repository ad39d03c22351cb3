import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { LineIndex } from '../server/src/parse/source';
import { ALL_RULES } from '../server/src/rules';
import { LspClient, fileUri } from './lsp-client';

function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const abs = edits.map((e) => ({ start: lines.offsetAt(e.range.start.line, e.range.start.character), end: lines.offsetAt(e.range.end.line, e.range.end.character), text: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of abs) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

const PUBLIC = 'resource "aws_s3_bucket" "site" {\n  bucket = "site"\n  acl    = "public-read"\n}\n';
const s3 = (d: Diagnostic[]) => d.filter((x) => x.code === 'aws-s3-no-public-acl');

describe('language server over stdio', () => {
  let dir: string;
  let client: LspClient;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-lsp-'));
    client = new LspClient();
    const init = await client.initialize(dir) as { capabilities: { textDocumentSync: { change: number } } };
    assert.equal(init.capabilities.textDocumentSync.change, 2, 'incremental sync');
  });
  after(() => client.stop());

  it('publishes diagnostics on open with rule metadata', async () => {
    const file = path.join(dir, 'open', 'main.tf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    client.open(file, PUBLIC);
    const d = s3(await client.waitDiagnostics(file, (x) => s3(x).length > 0));
    assert.equal(d.length, 1);
    assert.equal(d[0]!.source, 'Rampart');
    assert.equal(d[0]!.severity, 1);
    assert.match(String(d[0]!.codeDescription?.href), /aws-s3-no-public-acl/);
    assert.deepEqual(d[0]!.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 24 } });
  });

  it('follows incremental edits', async () => {
    const file = path.join(dir, 'edit', 'main.tf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const text = 'resource "aws_s3_bucket" "site" {\n  acl = "private"\n}\n';
    client.open(file, text);
    await client.waitDiagnostics(file, (x) => s3(x).length === 0);
    // Type over "private" one character at a time: p-u-b-l-i-c-...
    client.change(file, [{ range: { start: { line: 1, character: 9 }, end: { line: 1, character: 16 } }, text: '' }]);
    let col = 9;
    for (const ch of 'public-read') {
      client.change(file, [{ range: { start: { line: 1, character: col }, end: { line: 1, character: col } }, text: ch }]);
      col++;
    }
    const d = s3(await client.waitDiagnostics(file, (x) => s3(x).length === 1));
    assert.match(String(d[0]!.message), /"public-read"/);
    client.change(file, [{ range: { start: { line: 1, character: 9 }, end: { line: 1, character: 20 } }, text: 'private' }]);
    await client.waitDiagnostics(file, (x) => s3(x).length === 0);
  });

  it('judges a file with its module: other files come from disk and are watched', async () => {
    const mod = path.join(dir, 'module');
    fs.mkdirSync(mod, { recursive: true });
    const vars = path.join(mod, 'variables.tf');
    fs.writeFileSync(vars, 'variable "acl" { default = "public-read" }\n');
    const main = path.join(mod, 'main.tf');
    client.open(main, 'resource "aws_s3_bucket" "b" {\n  acl = var.acl\n}\n');
    await client.waitDiagnostics(main, (x) => s3(x).length === 1);
    fs.writeFileSync(vars, 'variable "acl" { default = "private" }\n');
    void client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(vars), type: 2 }] });
    await client.waitDiagnostics(main, (x) => s3(x).length === 0);
  });

  it('shows impact and fix in the hover, and the findings on a resource header', async () => {
    const file = path.join(dir, 'hover', 'main.tf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    client.open(file, PUBLIC);
    await client.waitDiagnostics(file, (x) => s3(x).length === 1);
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: fileUri(file) }, position: { line: 2, character: 6 } });
    const md = (h.contents as { value: string }).value;
    assert.match(md, /What an attacker gains/);
    assert.match(md, /How to fix/);
    assert.match(md, /CKV\\?_AWS\\?_20/);
    const header = await client.request<Hover>('textDocument/hover', { textDocument: { uri: fileUri(file) }, position: { line: 0, character: 3 } });
    assert.match((header.contents as { value: string }).value, /finding/);
  });

  it('offers a preferred quick fix, a suppression and an explanation', async () => {
    const file = path.join(dir, 'fix', 'main.tf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    client.open(file, PUBLIC);
    const [d] = s3(await client.waitDiagnostics(file, (x) => s3(x).length === 1));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: fileUri(file) }, range: d!.range, context: { diagnostics: [d] } });
    const fix = actions.find((a) => a.isPreferred)!;
    assert.ok(fix, 'no preferred fix');
    const ignore = actions.find((a) => a.title.startsWith('Ignore aws-s3-no-public-acl'))!;
    assert.ok(actions.some((a) => a.command?.command === 'rampart.explainRisk'));
    const fixed = applyTextEdits(PUBLIC, fix.edit!.changes![fileUri(file)]!);
    assert.match(fixed, /acl {4}= "private"/);
    client.change(file, [{ text: fixed }]);
    await client.waitDiagnostics(file, (x) => s3(x).length === 0);
    const suppressed = applyTextEdits(PUBLIC, ignore.edit!.changes![fileUri(file)]!);
    assert.match(suppressed, /^# rampart:ignore aws-s3-no-public-acl <reason>\nresource/);
    client.change(file, [{ text: suppressed }]);
    await client.waitDiagnostics(file, (x) => s3(x).length === 0);
  });

  it('explains the finding at a position', async () => {
    const file = path.join(dir, 'explain', 'main.tf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    client.open(file, PUBLIC);
    await client.waitDiagnostics(file, (x) => s3(x).length === 1);
    const e = await client.request<{ ruleId: string; impact: string; snippet: string }>('rampart/explain', { uri: fileUri(file), position: { line: 2, character: 4 } });
    assert.equal(e.ruleId, 'aws-s3-no-public-acl');
    assert.ok(e.impact.length > 20);
    assert.match(e.snippet, /resource "aws_s3_bucket" "site"/);
  });

  it('fixes everything fixable with source.fixAll.rampart', async () => {
    const file = path.join(dir, 'fixall', 'main.tf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const text = PUBLIC + 'resource "aws_s3_bucket" "other" {\n  acl = "public-read-write"\n}\n';
    client.open(file, text);
    await client.waitDiagnostics(file, (x) => s3(x).length === 2);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: fileUri(file) }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } });
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.kind, 'source.fixAll.rampart');
    const fixed = applyTextEdits(text, actions[0]!.edit!.changes![fileUri(file)]!);
    client.change(file, [{ text: fixed }]);
    await client.waitDiagnostics(file, (x) => s3(x).length === 0);
  });

  it('applies settings changes without a restart', async () => {
    const file = path.join(dir, 'settings', 'main.tf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    client.open(file, PUBLIC);
    await client.waitDiagnostics(file, (x) => s3(x).length === 1);
    client.settings = { ...client.settings, rules: { disabled: ['aws-s3-no-public-acl'] } };
    void client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitDiagnostics(file, (x) => s3(x).length === 0);
    client.settings = { ...client.settings, rules: { disabled: [] }, severityMapping: { high: 'warning' } };
    void client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const d = await client.waitDiagnostics(file, (x) => s3(x).length === 1);
    assert.equal(s3(d)[0]!.severity, 2);
    client.settings = { debounceMs: 0 };
    void client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitDiagnostics(file, (x) => s3(x).length === 1 && s3(x)[0]!.severity === 1);
  });
});

describe('every quick fix clears its finding through the server', () => {
  let dir: string;
  let client: LspClient;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-lspfix-'));
    client = new LspClient();
    await client.initialize(dir);
  });
  after(() => client.stop());

  for (const rule of ALL_RULES.filter((r) => r.fixable)) {
    const example = rule.examples.bad.find((e) => typeof e === 'string') as string | undefined;
    if (!example) continue;
    it(rule.id, async () => {
      const file = path.join(dir, rule.id, rule.target === 'terraform' ? 'main.tf' : 'manifest.yaml');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      client.open(file, example);
      const own = (d: Diagnostic[]) => d.filter((x) => x.code === rule.id);
      const diags = own(await client.waitDiagnostics(file, (x) => own(x).length > 0));
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: fileUri(file) }, range: diags[0]!.range, context: { diagnostics: [diags[0]] } });
      const fix = actions.find((a) => a.isPreferred);
      assert.ok(fix?.edit?.changes?.[fileUri(file)], `no quick fix for ${rule.id}`);
      const fixed = applyTextEdits(example, fix.edit.changes[fileUri(file)]!);
      client.change(file, [{ text: fixed }]);
      const after = own(await client.nextDiagnostics(file));
      assert.ok(after.length < diags.length, `${rule.id}: the quick fix did not clear its finding:\n${fixed}`);
    });
  }
});

describe('workspace scan', () => {
  it('publishes diagnostics for files never opened, reports progress and can be cancelled', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-ws-'));
    for (let i = 0; i < 300; i++) {
      fs.mkdirSync(path.join(dir, `m${i}`));
      fs.writeFileSync(path.join(dir, `m${i}`, 'main.tf'), PUBLIC);
    }
    fs.writeFileSync(path.join(dir, '.gitignore'), 'm299/\n');
    const client = new LspClient();
    try {
      await client.initialize(dir);
      const r = await client.request<{ files: number; findings: number; cancelled: boolean; bySeverity: Record<string, number> }>('rampart/scanWorkspace', {});
      assert.equal(r.cancelled, false);
      assert.ok(r.findings >= 299, `findings: ${r.findings}`);
      assert.ok(r.bySeverity['high']! >= 299);
      const unopened = client.diagnostics.get(fileUri(path.join(dir, 'm7', 'main.tf')));
      assert.ok(unopened && s3(unopened).length === 1, 'no diagnostics for a file that was never opened');
      assert.equal(client.diagnostics.get(fileUri(path.join(dir, 'm299', 'main.tf'))), undefined, '.gitignore not respected');
      assert.ok(client.progress.some((p) => JSON.stringify(p).includes('"kind":"report"')), 'no $/progress report');

      // Cancellation: the request is cancelled right away and answers quickly.
      const source = new (await import('vscode-languageserver-protocol')).CancellationTokenSource();
      const pending = client.conn.sendRequest('rampart/scanWorkspace', {}, source.token) as Promise<{ cancelled: boolean }>;
      setTimeout(() => source.cancel(), 5);
      const res = await pending.then((v) => v, (e: Error) => ({ cancelled: true, error: e.message }));
      assert.equal(res.cancelled, true);
    } finally {
      await client.stop();
    }
  });
});

describe('limits in the editor', () => {
  it('passes over a file above rampart.maxFileSize with an information message', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-big-'));
    const client = new LspClient({ maxFileSize: '64KB' });
    try {
      await client.initialize(dir);
      const file = path.join(dir, 'main.tf');
      const text = PUBLIC + `# ${'x'.repeat(100 * 1024)}\n`;
      client.open(file, text);
      // The first check may run before the settings arrive; wait for the one that applies them.
      const d = await client.waitDiagnostics(file, (x) => x.length === 1 && x[0]!.severity === 3);
      assert.equal(d[0]!.severity, 3);
      assert.match(String(d[0]!.message), /skipped this file: 0\.1 MB is over the 0\.1 MB limit|skipped this file/);
      assert.equal(s3(d).length, 0);
    } finally {
      await client.stop();
    }
  });
});

describe('a keystroke re-runs rules only where it can matter', () => {
  it('reuses the results of unchanged resources, and drops them when a variable changes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-incr-'));
    const client = new LspClient({}, { RAMPART_TRACE_TIMING: '1' });
    try {
      await client.initialize(dir);
      const file = path.join(dir, 'main.tf');
      let text = 'variable "acl" { default = "private" }\n';
      for (let i = 0; i < 40; i++) text += `resource "aws_s3_bucket" "b${i}" {\n  bucket = "b${i}"\n  acl    = ${i === 0 ? 'var.acl' : '"private"'}\n}\n`;
      client.open(file, text);
      await client.waitDiagnostics(file, () => true);
      // The trace line of a version arrives just after its diagnostics.
      const statsOf = async (version: number) => {
        for (let i = 0; i < 200; i++) {
          const m = new RegExp(`analysed main\\.tf v${version} in [\\d.]+ ms \\(rule runs: (\\d+) ran, (\\d+) reused\\)`).exec(client.logs.join('\n'));
          if (m) return { ran: Number(m[1]), reused: Number(m[2]) };
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error(`no trace for version ${version}:\n${client.logs.join('')}`);
      };
      // Make b39 public: only its own rules (and module-wide ones) run again.
      const lines = text.split('\n');
      const line = lines.findIndex((l) => l.includes('"b39" {')) + 2; // the acl line of b39
      const first = await statsOf(1);
      const v2 = client.change(file, [{ range: { start: { line, character: 11 }, end: { line, character: 20 } }, text: '"public-read"' }]);
      await client.waitDiagnostics(file, (d) => s3(d).length === 1);
      const partial = await statsOf(v2);
      // Rules that look across the module (an S3 bucket and its split resources) run again; the
      // others keep their results for the 39 buckets the edit did not touch.
      assert.ok(partial.reused >= 39 && partial.ran < first.ran, `expected reused results, got ${JSON.stringify(partial)} after ${JSON.stringify(first)}`);
      // Changing the variable's default must reach b0 even though b0's text did not change.
      const v3 = client.change(file, [{ range: { start: { line: 0, character: 27 }, end: { line: 0, character: 36 } }, text: '"public-read"' }]);
      const d = await client.waitDiagnostics(file, (x) => s3(x).length === 2);
      assert.deepEqual(s3(d).map((x) => x.range.start.line).sort((a, b) => a - b), [3, line]);
      const full = await statsOf(v3);
      assert.equal(full.reused, 0);
    } finally {
      await client.stop();
    }
  });
});

describe('related information', () => {
  it('points a finding on a separate rule resource at the security group it opens', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-related-'));
    const client = new LspClient();
    try {
      await client.initialize(dir);
      const file = path.join(dir, 'main.tf');
      client.open(file, 'resource "aws_security_group" "api" {\n  name = "api"\n}\n\nresource "aws_security_group_rule" "ssh" {\n  type              = "ingress"\n  security_group_id = aws_security_group.api.id\n  from_port         = 22\n  to_port           = 22\n  protocol          = "tcp"\n  cidr_blocks       = ["0.0.0.0/0"]\n}\n');
      const d = await client.waitDiagnostics(file, (x) => x.some((y) => y.code === 'aws-ec2-no-public-ssh-rdp'));
      const ssh = d.find((y) => y.code === 'aws-ec2-no-public-ssh-rdp')!;
      assert.equal(ssh.relatedInformation?.length, 1);
      assert.equal(ssh.relatedInformation![0]!.location.uri, fileUri(file));
      assert.equal(ssh.relatedInformation![0]!.location.range.start.line, 0);
      assert.match(ssh.relatedInformation![0]!.message, /aws_security_group\.api/);
    } finally {
      await client.stop();
    }
  });
});
