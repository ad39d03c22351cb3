import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/*
 * A real HTTP server on 127.0.0.1 that speaks the chat-completions protocol (OpenAI and Azure
 * routes) with scripted answers and faults. It records every request body, so that tests can
 * count requests and look for secrets in what left the process. Nothing touches the internet.
 */

export type Answer =
  /** A completion whose message content is JSON.stringify(json). */
  | { json: unknown; delayMs?: number }
  /** A completion with this exact message content. */
  | { content: string; delayMs?: number; finishReason?: string }
  /** An HTTP error. */
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  /** A 200 whose body is not a completion at all. */
  | { rawBody: string; delayMs?: number }
  /** Never answers (the client times out or aborts). */
  | { hang: true }
  /** Closes the connection without an answer. */
  | { destroy: true }
  /** A streamed completion (server-sent events). */
  | { stream: string[]; delayMs?: number };

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { model?: string; messages?: { role: string; content: string }[]; response_format?: { type: string }; stream?: boolean } & Record<string, unknown>;
}

export class FakeOpenAI {
  readonly requests: Recorded[] = [];
  /** Answers used in order; when empty, `fallback` answers. */
  readonly queue: Answer[] = [];
  fallback: Answer | ((r: Recorded) => Answer) = { json: { findings: [] } };
  /** Servers that know neither structured outputs nor JSON mode answer 400 to them. */
  rejectJsonSchema = false;
  rejectJsonObject = false;
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private waiters: { n: number; resolve: () => void }[] = [];
  origin = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The OpenAI-style base URL (…/v1). */
  get baseUrl(): string { return `${this.origin}/v1`; }

  answer(...a: Answer[]): this {
    this.queue.push(...a);
    return this;
  }

  /** Resolves once `n` requests in total have arrived. */
  waitForRequests(n: number, timeoutMs = 5000): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`expected ${n} requests, got ${this.requests.length}`)), timeoutMs);
      this.waiters.push({ n, resolve: () => { clearTimeout(t); resolve(); } });
    });
  }

  /** Every recorded request body, for secret checks. */
  allBodies(): string {
    return this.requests.map((r) => r.body).join('\n');
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '';
    const ok = req.method === 'POST' && (/^\/v1\/chat\/completions(\?|$)/.test(url) || /^\/openai\/deployments\/[^/]+\/chat\/completions\?api-version=/.test(url));
    if (!ok) { res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}'); return; }
    let json: Recorded['json'] = {};
    try { json = JSON.parse(body); } catch { /* recorded as is */ }
    const rec: Recorded = { method: req.method!, url, headers: req.headers, body, json };
    this.requests.push(rec);
    this.waiters = this.waiters.filter((w) => (this.requests.length >= w.n ? (w.resolve(), false) : true));
    const rf = json.response_format?.type;
    if ((rf === 'json_schema' && this.rejectJsonSchema) || (rf === 'json_object' && this.rejectJsonObject)) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `response_format ${rf} is not supported`, type: 'invalid_request_error' } }));
      return;
    }
    const a = this.queue.shift() ?? (typeof this.fallback === 'function' ? this.fallback(rec) : this.fallback);
    if ('hang' in a) return; // the socket stays open until the client gives up
    if ('destroy' in a) { req.socket.destroy(); return; }
    if (a.delayMs) await new Promise((r) => setTimeout(r, a.delayMs));
    if (res.destroyed || req.socket.destroyed) return;
    if ('status' in a) {
      res.writeHead(a.status, { 'content-type': 'application/json', ...(a.headers ?? {}) }).end(a.body ?? JSON.stringify({ error: { message: `status ${a.status}` } }));
      return;
    }
    if ('rawBody' in a) { res.writeHead(200, { 'content-type': 'application/json' }).end(a.rawBody); return; }
    if ('stream' in a) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const piece of a.stream) {
        res.write(`data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: json.model ?? 'm', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
      }
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: json.model ?? 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    const content = 'json' in a ? JSON.stringify(a.json) : a.content;
    const finish = 'finishReason' in a && a.finishReason ? a.finishReason : 'stop';
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: json.model ?? 'm',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    }));
  }
}

/** A base URL where nothing listens: the connection is refused. */
export async function refusedBaseUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}/v1`;
}

/** A review answer with one finding (lines are the file's, 1-based). */
export function finding(o: {
  resource: string; line: number; endLine?: number; id?: string; severity?: string; title?: string; explanation?: string;
  targetsRule?: string | null; fix?: { startLine: number; endLine?: number; original: string; replacement: string; title?: string } | null;
}): Record<string, unknown> {
  return {
    resource: o.resource, id: o.id ?? 'ai-check', severity: o.severity ?? 'high', title: o.title ?? 'A problem the rules missed',
    explanation: o.explanation ?? 'Anyone on the internet can read it. Make it private.', startLine: o.line, endLine: o.endLine ?? o.line,
    targetsRule: o.targetsRule ?? null,
    fix: o.fix ? { title: o.fix.title ?? 'Make it private', startLine: o.fix.startLine, endLine: o.fix.endLine ?? o.fix.startLine, original: o.fix.original, replacement: o.fix.replacement } : null,
  };
}
