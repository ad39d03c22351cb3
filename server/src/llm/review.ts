import type { Finding } from '../engine/types';
import type { LlmSettings } from '../protocol';
import { LineIndex } from '../parse/source';
import { LlmCache, cacheKey } from './cache';
import { LlmClient, LlmFault, type JsonMode } from './client';
import type { ReviewResource } from './extract';
import { EXPLAIN_PROMPT_VERSION, PROMPT_VERSION, REVIEW_SCHEMA, explainMessages, reviewMessages, type PromptResource } from './prompt';
import { normalizePlaceholders, redact, restore } from './redact';
import { Validator, absoluteFrom, parseAnswer, relativeTo, sanitizeAnswer, type LlmFinding, type LocalChecker, type RawFinding, type ReviewedResource } from './validate';

/*
 * The LLM review, shared by the language server (on save) and the CLI (`rampart scan --llm`):
 * redact, look up the cache, send what is left in one request, validate what comes back.
 */

export interface CachedReview { findings: RawFinding[] }
export interface CachedExplanation { text: string }
export type ReviewCache = LlmCache<CachedReview | CachedExplanation>;

export interface ReviewRequest {
  file: string;
  /** How the file is named in the prompt (a base name or a path relative to the workspace). */
  displayName: string;
  text: string;
  language: 'terraform' | 'kubernetes';
  resources: ReviewResource[];
  /** Local findings of the file (those on the resources under review are sent as hints). */
  localFindings: readonly Finding[];
  checker?: LocalChecker;
  signal?: AbortSignal;
}

export interface ReviewOutcome {
  findings: LlmFinding[];
  requestMade: boolean;
  sent: number;
  cached: number;
  /** Resources left for a later review (over the size of one request). */
  deferred: number;
  dropped: string[];
  fault?: LlmFault;
}

export interface ReviewerOptions {
  settings: LlmSettings;
  apiKey?: string;
  cache: ReviewCache;
  /** Characters of resource code per request. */
  maxRequestChars?: number;
  maxAnswerBytes?: number;
  now?: () => number;
}

const HOUR = 3600_000;
/** A resource larger than this (a huge inline policy) is not sent at all. */
const MAX_RESOURCE_CHARS = 40_000;
const MIN_BACKOFF = 5_000;
const MAX_BACKOFF = 10 * 60_000;

function baseAddress(a: string): string {
  return a.replace(/#\d+$/, '');
}

export class Reviewer {
  private client: LlmClient | undefined;
  private clientError: LlmFault | undefined;
  private readonly sentAt: number[] = [];
  private blockedUntil = 0;
  private backoffMs = MIN_BACKOFF;
  /** Requests made so far (for tests and the status line). */
  requests = 0;

  constructor(readonly o: ReviewerOptions) {}

  get model(): string { return this.o.settings.model; }
  get jsonMode(): JsonMode | undefined { return this.client?.jsonMode; }
  private now(): number { return this.o.now?.() ?? Date.now(); }

  private getClient(): LlmClient {
    if (this.client) return this.client;
    if (this.clientError) throw this.clientError;
    try {
      this.client = new LlmClient({ settings: this.o.settings, apiKey: this.o.apiKey, maxAnswerBytes: this.o.maxAnswerBytes });
      return this.client;
    } catch (e) {
      this.clientError = e instanceof LlmFault ? e : new LlmFault('config', (e as Error).message);
      throw this.clientError;
    }
  }

  /** Why no request may be made now (rate limit, back-off after a 429), or undefined. */
  gate(): LlmFault | undefined {
    const now = this.now();
    if (this.blockedUntil > now) return new LlmFault('rate-limit', `paused after a rate limit (HTTP 429); the next review is possible in ${Math.ceil((this.blockedUntil - now) / 1000)} s`);
    while (this.sentAt.length && this.sentAt[0]! <= now - HOUR) this.sentAt.shift();
    const max = this.o.settings.maxRequestsPerHour;
    if (max > 0 && this.sentAt.length >= max) return new LlmFault('rate-limit', `the limit of ${max} requests per hour is reached (setting rampart.llm.maxRequestsPerHour)`);
    return undefined;
  }

  private beforeRequest(): void {
    this.sentAt.push(this.now());
    this.requests++;
  }

  private afterFault(f: LlmFault): void {
    if (f.kind !== 'rate-limit') return;
    const wait = f.retryAfterMs ?? this.backoffMs;
    this.blockedUntil = this.now() + Math.min(Math.max(wait, 0), MAX_BACKOFF);
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF);
  }

  private afterSuccess(): void {
    this.backoffMs = MIN_BACKOFF;
  }

  async review(req: ReviewRequest): Promise<ReviewOutcome> {
    const lines = new LineIndex(req.text);
    const reviewed = new Map<string, ReviewedResource>();
    const raw: RawFinding[] = [];
    const batch: { res: ReviewResource; prompt: PromptResource; key: string }[] = [];
    const out: ReviewOutcome = { findings: [], requestMade: false, sent: 0, cached: 0, deferred: 0, dropped: [] };
    let budget = this.o.maxRequestChars ?? 24_000;
    for (const res of req.resources) {
      const red = redact(res.text, 'SECRET');
      const context = res.context.map((c) => ({ what: c.what, code: redact(c.text, 'CTX').text }));
      const first1 = res.startLine + 1;
      const local = req.localFindings
        .filter((f) => f.origin === 'rule' && f.address === baseAddress(res.address) && f.span.startLine >= res.startLine && f.span.startLine <= res.endLine)
        .map((f) => ({ ruleId: f.ruleId, title: f.title, severity: f.severity, line: f.span.startLine + 1 }));
      const key = cacheKey({
        v: PROMPT_VERSION, model: this.o.settings.model, provider: this.o.settings.provider, lang: req.language,
        code: normalizePlaceholders(red.text), context: context.map((c) => [c.what, normalizePlaceholders(c.code)]),
        local: local.map((l) => [l.ruleId, l.line - first1]),
      });
      reviewed.set(res.address, { address: res.address, startLine: res.startLine, endLine: res.endLine, secrets: red.secrets, redactedLines: red.text.split('\n') });
      const hit = this.o.cache.get(key) as CachedReview | undefined;
      if (hit && Array.isArray(hit.findings)) {
        out.cached++;
        for (const f of sanitizeAnswer(hit)) raw.push({ ...absoluteFrom(f, first1), resource: res.address });
        continue;
      }
      const size = red.text.length + context.reduce((n, c) => n + c.code.length, 0);
      if (red.text.length > MAX_RESOURCE_CHARS) { out.dropped.push(`${res.address} is too large to review (${Math.round(red.text.length / 1024)} KB)`); continue; }
      if (batch.length > 0 && size > budget) { out.deferred++; continue; }
      budget -= size;
      batch.push({ res, key, prompt: { address: res.address, firstLine: first1, lastLine: res.endLine + 1, text: red.text, localFindings: local, context } });
    }
    if (batch.length) {
      const fault = this.gate();
      if (fault) out.fault = fault;
      else {
        try {
          const client = this.getClient();
          if (req.signal?.aborted) throw new LlmFault('aborted', 'cancelled');
          this.beforeRequest();
          out.requestMade = true;
          out.sent = batch.length;
          const answer = await client.completeJson(reviewMessages(req.displayName, req.language, batch.map((b) => b.prompt)), { signal: req.signal, schema: REVIEW_SCHEMA });
          if (req.signal?.aborted) throw new LlmFault('aborted', 'cancelled');
          const found = sanitizeAnswer(parseAnswer(answer.content, answer.finishReason));
          this.afterSuccess();
          for (const b of batch) {
            const mine = found.filter((f) => f.resource === b.res.address);
            this.o.cache.set(b.key, { findings: mine.map((f) => relativeTo(f, b.prompt.firstLine)) });
            raw.push(...mine);
          }
          const stray = found.filter((f) => !batch.some((b) => b.res.address === f.resource));
          if (stray.length) out.dropped.push(`${stray.length} finding(s) named resources that were not under review`);
        } catch (e) {
          const f = e instanceof LlmFault ? e : new LlmFault('malformed', `the answer could not be read (${(e as Error).message.slice(0, 80)})`);
          this.afterFault(f);
          out.fault = f;
        }
      }
    }
    const v = new Validator({ file: req.file, text: req.text, lines, resources: reviewed, checker: req.checker });
    for (const r of raw) {
      const f = v.finding(r);
      if (typeof f === 'string') out.dropped.push(f);
      else {
        if (f.fixNote) out.dropped.push(`fix of ${f.ruleId}: ${f.fixNote}`);
        out.findings.push(f);
      }
    }
    return out;
  }

  /**
   * A contextual explanation of a finding, streamed: `onText` gets the whole text so far each time
   * (with secrets put back, for local display only).
   */
  async explain(d: {
    finding: Finding; impact: string; remediation: string; resource: ReviewResource; language: 'terraform' | 'kubernetes'; displayName: string;
    signal?: AbortSignal; onText: (full: string) => void;
  }): Promise<{ text: string; cached: boolean }> {
    const red = redact(d.resource.text, 'SECRET');
    const context = d.resource.context.map((c) => ({ what: c.what, code: redact(c.text, 'CTX').text }));
    const key = cacheKey({
      v: EXPLAIN_PROMPT_VERSION, model: this.o.settings.model, provider: this.o.settings.provider, rule: d.finding.ruleId,
      code: normalizePlaceholders(red.text), context: context.map((c) => [c.what, normalizePlaceholders(c.code)]),
    });
    const clean = (s: string) => restore(s, red.secrets).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '');
    const hit = this.o.cache.get(key) as CachedExplanation | undefined;
    if (hit && typeof hit.text === 'string') {
      const t = clean(hit.text);
      d.onText(t);
      return { text: t, cached: true };
    }
    const fault = this.gate();
    if (fault) throw fault;
    const client = this.getClient();
    this.beforeRequest();
    let acc = '';
    try {
      const text = await client.stream(explainMessages({
        ruleId: d.finding.ruleId, title: d.finding.title, severity: d.finding.severity, impact: d.impact, remediation: d.remediation,
        address: d.finding.address, file: d.displayName, code: red.text, firstLine: d.resource.startLine + 1, context,
      }), (piece) => { acc += piece; d.onText(clean(acc)); }, { signal: d.signal, maxChars: 6000 });
      if (!text.trim()) throw new LlmFault('empty', 'the answer was empty');
      this.afterSuccess();
      this.o.cache.set(key, { text });
      return { text: clean(text), cached: false };
    } catch (e) {
      const f = e instanceof LlmFault ? e : new LlmFault('malformed', 'the answer could not be read');
      this.afterFault(f);
      throw f;
    }
  }
}
