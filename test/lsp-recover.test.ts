/*
 * Crash recovery at the LSP level. The VS Code client (vscode-languageclient) restarts a server
 * that died: it spawns a new one, initializes it and re-opens every open document with its
 * current text. This test does the same with the real dist/server.js: kill -9 mid-session, start
 * a new server the way a client restart does, and expect the same diagnostics back.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, fileUri } from './lsp-client';

const PUBLIC = 'resource "aws_s3_bucket" "site" {\n  bucket = "site"\n  acl    = "public-read"\n}\n';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: nginx:1.25\n      securityContext:\n        privileged: true\n';
const has = (id: string) => (d: Diagnostic[]) => d.some((x) => x.code === id);
const summary = (d: Diagnostic[]) => d.map((x) => `${x.code} ${x.range.start.line}:${x.range.start.character}-${x.range.end.line}:${x.range.end.character} ${x.severity} ${x.message}`).sort();

const ROOT = [path.resolve(__dirname, '..', '..'), process.cwd()].find((d) => fs.existsSync(path.join(d, 'client', 'src', 'extension.ts'))) ?? path.resolve(__dirname, '..', '..');

describe('language server crash recovery', () => {
  const clients: LspClient[] = [];
  after(async () => { for (const c of clients) await c.stop().catch(() => undefined); });

  it('comes back with the same diagnostics after the server process is killed mid-session', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-recover-'));
    const tf = path.join(dir, 'app', 'main.tf');
    const yaml = path.join(dir, 'k8s', 'pod.yaml');
    fs.mkdirSync(path.dirname(tf), { recursive: true });
    fs.mkdirSync(path.dirname(yaml), { recursive: true });
    fs.writeFileSync(path.join(dir, 'app', 'variables.tf'), 'variable "x" { default = "y" }\n');

    const first = new LspClient();
    clients.push(first);
    await first.initialize(dir);
    first.open(tf, PUBLIC);
    first.open(yaml, POD);
    await first.waitDiagnostics(tf, has('aws-s3-no-public-acl'));
    await first.waitDiagnostics(yaml, has('k8s-no-privileged-containers'));

    // Unsaved edits the new server has to learn from the re-opened documents.
    const edited = `# rampart:ignore aws-s3-enable-versioning test\n${PUBLIC}`;
    first.change(tf, [{ text: edited }]);
    await first.waitDiagnostics(tf, (d) => has('aws-s3-no-public-acl')(d) && !has('aws-s3-enable-versioning')(d));
    const before = { tf: summary(first.diagnostics.get(fileUri(tf))!), yaml: summary(first.diagnostics.get(fileUri(yaml))!) };
    assert.ok(before.tf.length >= 2 && before.yaml.length >= 2, JSON.stringify(before));

    // kill -9: no shutdown, no exit notification, a half-written message is possible.
    const exited = new Promise<NodeJS.Signals | null>((resolve) => first.proc.once('exit', (_code, signal) => resolve(signal)));
    first.proc.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    first.conn.dispose();
    clients.splice(clients.indexOf(first), 1);

    // What the client does on a crash: a new process, initialize, and every open document again.
    const second = new LspClient();
    clients.push(second);
    await second.initialize(dir);
    second.open(tf, edited);
    second.open(yaml, POD);
    const tfAfter = await second.waitDiagnostics(tf, has('aws-s3-no-public-acl'));
    const yamlAfter = await second.waitDiagnostics(yaml, has('k8s-no-privileged-containers'));
    assert.deepEqual({ tf: summary(tfAfter), yaml: summary(yamlAfter) }, before);

    // And it keeps working: an edit after the restart is checked as before.
    second.change(tf, [{ range: { start: { line: 3, character: 11 }, end: { line: 3, character: 24 } }, text: '"private"' }]);
    await second.waitDiagnostics(tf, (d) => !has('aws-s3-no-public-acl')(d));
  });

  it('a server whose client vanished exits instead of lingering', async () => {
    const c = new LspClient();
    await c.initialize(fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-orphan-')));
    const exited = new Promise<void>((resolve) => c.proc.once('exit', () => resolve()));
    // The client side of the pipes closes, as when the editor process dies.
    c.proc.stdin!.end();
    c.proc.stdout!.destroy();
    await Promise.race([exited, new Promise((_, reject) => setTimeout(() => reject(new Error('server still running 10 s after its client went away')), 10_000))]);
    c.conn.dispose();
  });

  it('the extension logs state changes of the server to the output channel', () => {
    const ext = fs.readFileSync(path.join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
    const handler = /onDidChangeState\(\s*\(?(\w+)\)?\s*=>\s*\{([^]*?)\n\s*\}\)\)/.exec(ext);
    assert.ok(handler, 'client.onDidChangeState is handled');
    assert.match(handler[2]!, /State\.Stopped[^]*?output\.(appendLine|info|warn|error)\(/, 'a stopped server is reported in the output channel');
    assert.match(handler[2]!, /State\.Running[^]*?output\.(appendLine|info|warn|error)\(/, 'a server running again is reported in the output channel');
    assert.match(ext, /outputChannel:\s*output/, 'the client writes its own errors to the same channel');
  });
});
