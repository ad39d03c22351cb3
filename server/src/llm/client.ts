import OpenAI, { AzureOpenAI } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { LlmSettings } from '../protocol';

/*
 * The only place that talks to an LLM: the `openai` SDK against OpenAI, Azure OpenAI or any
 * OpenAI-compatible server (Ollama, vLLM, LM Studio). The SDK's own retries are off: faults are
 * classified here, once, and the caller decides what to do (the editor backs off, the CLI goes on
 * with the local findings).
 */

export type FaultKind = 'timeout' | 'connection' | 'auth' | 'rate-limit' | 'server' | 'bad-request' | 'malformed' | 'truncated' | 'empty' | 'too-large' | 'aborted' | 'config';

export class LlmFault extends Error {
  constructor(readonly kind: FaultKind, message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

/** Bytes of an answer read at most: a larger one is cut off and reported, never parsed. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

export interface ClientOptions {
  settings: LlmSettings;
  apiKey?: string;
  maxAnswerBytes?: number;
}

class AnswerTooLarge extends Error {
  constructor(readonly max: number) { super(`the answer is larger than ${Math.round(max / 1024)} KB`); }
}

/** fetch that refuses to read more than `max` bytes of a response body. */
function boundedFetch(max: number): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const res = await fetch(input, init);
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > max) {
      try { await res.body?.cancel(); } catch { /* ignore */ }
      throw new AnswerTooLarge(max);
    }
    if (!res.body) return res;
    let seen = 0;
    const limited = res.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctl) {
        seen += chunk.byteLength;
        if (seen > max) ctl.error(new AnswerTooLarge(max));
        else ctl.enqueue(chunk);
      },
    }));
    return new Response(limited, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

function causeChain(e: unknown): unknown[] {
  const out: unknown[] = [];
  let cur: unknown = e;
  for (let i = 0; cur && i < 6; i++) { out.push(cur); cur = (cur as { cause?: unknown }).cause; }
  return out;
}

/** Milliseconds to wait from Retry-After / retry-after-ms headers, if any. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const ra = headers.get('retry-after');
  if (!ra) return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const date = Date.parse(ra);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Turns whatever the SDK threw into one fault with a message that never holds the key or the server's text. */
export function classify(e: unknown, timeoutMs: number): LlmFault {
  if (e instanceof LlmFault) return e;
  for (const c of causeChain(e)) if (c instanceof AnswerTooLarge) return new LlmFault('too-large', `the answer was too large (over ${Math.round(c.max / 1024)} KB) and was discarded`);
  if (e instanceof OpenAI.APIUserAbortError) return new LlmFault('aborted', 'cancelled');
  if (e instanceof OpenAI.APIConnectionTimeoutError) return new LlmFault('timeout', `no answer within ${timeoutMs} ms (setting rampart.llm.timeoutMs)`);
  if (e instanceof OpenAI.APIConnectionError) {
    const codes = causeChain(e).map((c) => (c as { code?: string }).code).filter(Boolean);
    if (codes.includes('ECONNREFUSED')) return new LlmFault('connection', 'the connection was refused: is the server at rampart.llm.baseUrl running?');
    if (codes.includes('ENOTFOUND') || codes.includes('EAI_AGAIN')) return new LlmFault('connection', 'the host of rampart.llm.baseUrl could not be resolved');
    return new LlmFault('connection', `the connection failed${codes.length ? ` (${codes[0]})` : ''}`);
  }
  if (e instanceof OpenAI.APIError) {
    const status = e.status ?? 0;
    if (status === 401 || status === 403) return new LlmFault('auth', `the server rejected the API key (HTTP ${status}): run "Rampart: Set LLM API Key" or set OPENAI_API_KEY`);
    if (status === 429) {
      const wait = retryAfterMs(e.headers as Headers | undefined);
      return new LlmFault('rate-limit', `rate limited (HTTP 429)${wait !== undefined ? `, retry after ${Math.ceil(wait / 1000)} s` : ''}`, wait);
    }
    if (status >= 500) return new LlmFault('server', `the server failed (HTTP ${status})`);
    if (status === 404) return new LlmFault('bad-request', 'HTTP 404: check rampart.llm.baseUrl and the model or deployment name');
    return new LlmFault('bad-request', `the server refused the request (HTTP ${status})`);
  }
  const name = (e as Error)?.name;
  if (name === 'AbortError') return new LlmFault('aborted', 'cancelled');
  if (e instanceof SyntaxError) return new LlmFault('malformed', 'the server sent a response that is not valid JSON');
  return new LlmFault('connection', `the request failed (${(e as Error)?.constructor?.name ?? 'error'})`);
}

export type JsonMode = 'json_schema' | 'json_object' | 'none';

export interface CompleteOptions {
  signal?: AbortSignal;
  schema?: { name: string; schema: Record<string, unknown> };
}

export interface Completion { content: string; finishReason: string | null; mode: JsonMode }

export class LlmClient {
  private readonly sdk: OpenAI;
  /** Structured output is tried first; a server that refuses it is asked for JSON mode, then plain text. */
  jsonMode: JsonMode = 'json_schema';
  readonly model: string;
  readonly timeoutMs: number;

  constructor(o: ClientOptions) {
    const s = o.settings;
    this.model = s.model;
    this.timeoutMs = s.timeoutMs;
    const common = {
      timeout: s.timeoutMs,
      maxRetries: 0,
      logLevel: 'off' as const,
      logger: { error() {}, warn() {}, info() {}, debug() {} },
      fetch: boundedFetch(o.maxAnswerBytes ?? MAX_ANSWER_BYTES),
    };
    // An explicit key always (the SDK would otherwise read OPENAI_API_KEY in the language server).
    const key = o.apiKey || (s.provider === 'compatible' ? 'unused' : '');
    if (!key) throw new LlmFault('config', 'no API key: run "Rampart: Set LLM API Key" (or set OPENAI_API_KEY for the CLI)');
    if (s.provider === 'azure') {
      if (!s.baseUrl) throw new LlmFault('config', 'rampart.llm.baseUrl must be the Azure OpenAI endpoint (https://<resource>.openai.azure.com)');
      this.sdk = new AzureOpenAI({ ...common, apiKey: key, endpoint: s.baseUrl, deployment: s.azureDeployment || s.model, apiVersion: s.azureApiVersion, baseURL: null as unknown as undefined });
    } else {
      if (s.provider === 'compatible' && !s.baseUrl) throw new LlmFault('config', 'rampart.llm.baseUrl is required for an OpenAI-compatible server (e.g. http://localhost:11434/v1)');
      this.sdk = new OpenAI({ ...common, apiKey: key, baseURL: s.baseUrl || 'https://api.openai.com/v1', organization: null, project: null });
    }
  }

  /** One chat completion that should hold JSON. Falls back through the JSON modes on HTTP 400. */
  async completeJson(messages: ChatCompletionMessageParam[], o: CompleteOptions = {}): Promise<Completion> {
    for (;;) {
      const mode = this.jsonMode;
      const params: ChatCompletionCreateParamsNonStreaming = { model: this.model, messages, temperature: 0 };
      if (mode === 'json_schema' && o.schema) params.response_format = { type: 'json_schema', json_schema: { name: o.schema.name, strict: true, schema: o.schema.schema } };
      else if (mode === 'json_object' || (mode === 'json_schema' && !o.schema)) params.response_format = { type: 'json_object' };
      try {
        const r = await this.sdk.chat.completions.create(params, { signal: o.signal });
        const choice = r?.choices?.[0];
        return { content: typeof choice?.message?.content === 'string' ? choice.message.content : '', finishReason: choice?.finish_reason ?? null, mode };
      } catch (e) {
        // Only a refusal of the response format itself leads to the next mode; any other 400 is a fault.
        const aboutFormat = e instanceof OpenAI.BadRequestError && /response_format|json_schema|json_object|schema|structured output/i.test(`${e.message} ${JSON.stringify(e.error ?? {})}`);
        if (aboutFormat && mode !== 'none') {
          this.jsonMode = mode === 'json_schema' ? 'json_object' : 'none';
          continue;
        }
        throw classify(e, this.timeoutMs);
      }
    }
  }

  /** A streamed plain-text completion; `onText` gets each piece. Returns the whole text. */
  async stream(messages: ChatCompletionMessageParam[], onText: (t: string) => void, o: { signal?: AbortSignal; maxChars?: number } = {}): Promise<string> {
    let text = '';
    try {
      const s = await this.sdk.chat.completions.create({ model: this.model, messages, temperature: 0.2, stream: true }, { signal: o.signal });
      for await (const chunk of s) {
        const piece = chunk?.choices?.[0]?.delta?.content;
        if (typeof piece !== 'string' || !piece) continue;
        const room = (o.maxChars ?? 8000) - text.length;
        if (room <= 0) break;
        const p = piece.slice(0, room);
        text += p;
        onText(p);
      }
    } catch (e) {
      throw classify(e, this.timeoutMs);
    }
    return text;
  }
}

/** Removes a key (and anything that looks like a bearer token) from a message before it is logged. */
export function scrub(message: string, ...secrets: (string | undefined)[]): string {
  let m = message;
  for (const s of secrets) if (s && s.length >= 4) m = m.split(s).join('***');
  return m.replace(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, '$1***').replace(/\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-***');
}
