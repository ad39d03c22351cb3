import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  StreamMessageReader, StreamMessageWriter, createProtocolConnection,
  type Diagnostic, type ProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const SERVER = path.resolve(__dirname, '..', '..', 'dist', 'server.js');
export const fileUri = (p: string) => pathToFileURL(p).href;

/** Drives the real `dist/server.js --stdio` over JSON-RPC, as an editor would. */
export class LspClient {
  readonly proc: ChildProcess;
  readonly conn: ProtocolConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  private waiters: { uri: string; pred: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  settings: Record<string, unknown>;
  readonly logs: string[] = [];
  readonly progress: unknown[] = [];
  private versions = new Map<string, number>();

  constructor(settings: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}) {
    this.settings = { debounceMs: 0, ...settings };
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.proc.stderr!.on('data', (d) => this.logs.push(String(d)));
    this.proc.stdin!.on('error', () => { /* the server has exited */ });
    this.conn = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri === p.uri && w.pred(p.diagnostics)) { w.resolve(p.diagnostics); return false; }
        return true;
      });
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => { this.logs.push(p.message); });
    this.conn.onNotification('$/progress', (p: unknown) => { this.progress.push(p); });
    this.conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => this.settings));
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.listen();
  }

  async initialize(rootDir: string, initializationOptions: Record<string, unknown> = {}): Promise<unknown> {
    const r = await this.conn.sendRequest('initialize', {
      processId: process.pid, rootUri: fileUri(rootDir), workspaceFolders: [{ uri: fileUri(rootDir), name: 'ws' }],
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, window: { workDoneProgress: true } },
      initializationOptions,
    });
    await this.conn.sendNotification('initialized', {});
    return r;
  }

  open(file: string, text: string, languageId = file.endsWith('.tf') ? 'terraform' : 'yaml'): void {
    this.versions.set(fileUri(file), 1);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: fileUri(file), languageId, version: 1, text } });
  }

  change(file: string, changes: { range?: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }[]): number {
    const uri = fileUri(file);
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: changes });
    return v;
  }

  close(file: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri: fileUri(file) } });
  }

  waitDiagnostics(file: string, pred: (d: Diagnostic[]) => boolean, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const uri = fileUri(file);
    const current = this.diagnostics.get(uri);
    if (current && pred(current)) return Promise.resolve(current);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for diagnostics on ${file}; last: ${JSON.stringify(this.diagnostics.get(uri)?.map((d) => d.code))}\n${this.logs.join('')}`)), timeoutMs);
      this.waiters.push({ uri, pred, resolve: (d) => { clearTimeout(t); resolve(d); } });
    });
  }

  /** Resolves with the next diagnostics published for a file (whatever they are). */
  nextDiagnostics(file: string, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const uri = fileUri(file);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no diagnostics published for ${file}`)), timeoutMs);
      this.waiters.push({ uri, pred: () => true, resolve: (d) => { clearTimeout(t); resolve(d); } });
    });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest(method, params) as Promise<T>;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      void this.conn.sendNotification('exit');
    } catch { /* already gone */ }
    await new Promise((r) => setTimeout(r, 50));
    this.conn.dispose();
    this.proc.kill();
  }
}
