import * as path from 'node:path';
import picomatch from 'picomatch';
import type { Connection } from 'vscode-languageserver/node';
import type { RuleSet } from '../engine/run';
import type { Finding, TextEdit } from '../engine/types';
import { kubernetesFromYaml, mayHoldKubernetes } from '../parse/kubernetes';
import { LlmCache } from '../llm/cache';
import { kubernetesChecker, terraformChecker } from '../llm/check';
import { scrub, type LlmFault } from '../llm/client';
import { kubernetesResources, terraformResources, type ReviewResource } from '../llm/extract';
import { KEY_CHANNEL_ENV, unsealKey } from '../llm/keychannel';
import { Reviewer, type ReviewCache } from '../llm/review';
import { linesSpan, type LlmFinding } from '../llm/validate';
import {
  ExplainChunkNotification, LlmStatusNotification,
  type ExplainLlmResult, type LlmSettings, type LlmStatusParams, type SetLlmKeyParams, type SetLlmKeyResult,
} from '../protocol';
import type { Analyzer } from './analysis';
import type { SourceDocument } from './documents';

/*
 * The LLM review in the editor: on save only, never while typing; one request in flight per
 * document, cancelled by an edit; nothing at all in an untrusted workspace or when disabled.
 * Faults become one status message and one output line; the local diagnostics never change.
 */

export interface LlmHost {
  connection: Connection;
  log(message: string): void;
  settings(): LlmSettings;
  trusted(): boolean;
  workspaceFolders(): string[];
  analyzer: Analyzer;
  ruleSet(): RuleSet;
  maxFileBytes(): number;
  /** Local findings last shown for a file. */
  localFindings(filePath: string): Finding[];
  /** Publishes a document's diagnostics again (local + AI). */
  republish(doc: SourceDocument): void;
}

interface Stored { version: number; findings: LlmFinding[] }

export class LlmService {
  private key: string | undefined;
  private reviewer: Reviewer | undefined;
  private reviewerFor = '';
  private readonly cache: ReviewCache;
  private readonly inflight = new Map<string, { controller: AbortController; version: number }>();
  private readonly found = new Map<string, Stored>();
  private lastMessage = '';
  private lastMessageAt = 0;

  constructor(private readonly host: LlmHost, cacheDir: string | undefined) {
    this.cache = new LlmCache(cacheDir ? path.join(cacheDir, 'llm-cache') : undefined, (m) => host.log(`LLM: ${m}`));
  }

  // ---------------------------------------------------------------- configuration

  setKey(p: SetLlmKeyParams): SetLlmKeyResult {
    const channel = process.env[KEY_CHANNEL_ENV];
    if (!channel) return { ok: false, message: 'the key channel is not set up' };
    try {
      const key = unsealKey(channel, String(p?.sealed ?? ''));
      this.key = key || undefined;
      this.reviewer = undefined;
      this.host.log(key ? 'LLM: an API key was set.' : 'LLM: the API key was cleared.');
      this.status(this.available() ? 'ready' : 'off', key ? 'LLM review ready' : 'LLM review: no API key');
      return { ok: true };
    } catch {
      this.host.log('LLM: a sealed API key could not be opened and was ignored.');
      return { ok: false, message: 'the sealed key could not be opened' };
    }
  }

  /** Whether requests may be made at all: enabled, trusted workspace, and a key (or a keyless local server). */
  available(): boolean {
    const s = this.host.settings();
    return s.enabled && this.host.trusted() && (!!this.key || s.provider === 'compatible');
  }

  /** Settings or trust changed: in-flight reviews stop when the review is no longer allowed. */
  configurationChanged(): void {
    this.reviewer = undefined;
    if (!this.host.settings().enabled || !this.host.trusted()) {
      for (const r of this.inflight.values()) r.controller.abort();
      this.inflight.clear();
    }
  }

  private getReviewer(): Reviewer {
    const s = this.host.settings();
    const id = JSON.stringify(s) + (this.key ? '\u0000k' : '');
    if (!this.reviewer || this.reviewerFor !== id) {
      this.reviewer = new Reviewer({ settings: s, apiKey: this.key, cache: this.cache });
      this.reviewerFor = id;
    }
    return this.reviewer;
  }

  private status(state: LlmStatusParams['state'], message: string, uri?: string): void {
    void this.host.connection.sendNotification(LlmStatusNotification, { state, message: scrub(message, this.key), uri } satisfies LlmStatusParams);
  }

  /** One line in the output; the same message twice within a minute is not repeated. */
  private say(message: string): void {
    const m = scrub(message, this.key);
    const now = Date.now();
    if (m === this.lastMessage && now - this.lastMessageAt < 60_000) return;
    this.lastMessage = m;
    this.lastMessageAt = now;
    this.host.log(m);
  }

  private excluded(filePath: string): boolean {
    const globs = this.host.settings().excludeGlobs;
    if (!globs.length) return false;
    const match = picomatch(globs, { dot: true });
    for (const folder of this.host.workspaceFolders()) {
      const rel = path.relative(folder, filePath);
      if (!rel.startsWith('..') && !path.isAbsolute(rel) && match(rel.split(path.sep).join('/'))) return true;
    }
    return match(filePath.split(path.sep).join('/'));
  }

  private displayName(filePath: string): string {
    for (const folder of this.host.workspaceFolders()) {
      const rel = path.relative(folder, filePath);
      if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
    }
    return path.basename(filePath);
  }

  // ---------------------------------------------------------------- documents

  /** An edit: an in-flight review of this document is cancelled (its answer would be stale). */
  changed(doc: SourceDocument, why = 'the file changed during the review'): void {
    const r = this.inflight.get(doc.path);
    if (r) {
      r.controller.abort(why);
      this.inflight.delete(doc.path);
    }
  }

  closed(doc: SourceDocument): void {
    this.changed(doc);
    this.found.delete(doc.path);
  }

  private resourcesOf(doc: SourceDocument): { resources: ReviewResource[]; language: 'terraform' | 'kubernetes'; checker: ReturnType<typeof terraformChecker> } | undefined {
    if (doc.kind === 'terraform') {
      const mod = this.host.analyzer.loadModule(doc);
      if (!mod) return undefined;
      return {
        resources: terraformResources(mod, doc.path), language: 'terraform',
        checker: terraformChecker(this.host.ruleSet(), doc.path, this.host.analyzer.provider(), this.host.analyzer.parsedFiles()),
      };
    }
    if (doc.kind === 'yaml' && mayHoldKubernetes(doc.text)) {
      const y = doc.yaml();
      if (!y) return undefined;
      return { resources: kubernetesResources(kubernetesFromYaml(y).objects, doc.text), language: 'kubernetes', checker: kubernetesChecker(this.host.ruleSet(), doc.path) };
    }
    return undefined;
  }

  /** A save: review the changed resources of the document. */
  async saved(doc: SourceDocument): Promise<void> {
    const s = this.host.settings();
    if (!s.enabled) return;
    if (!this.host.trusted()) { this.say('LLM review is off in an untrusted workspace: nothing is sent.'); return; }
    if (doc.kind !== 'terraform' && doc.kind !== 'yaml') return;
    if (this.excluded(doc.path)) return;
    if (!this.key && s.provider !== 'compatible') {
      this.say('LLM review: no API key. Run "Rampart: Set LLM API Key".');
      this.status('error', 'LLM review: no API key', doc.uri);
      return;
    }
    if (doc.text.length > this.host.maxFileBytes()) return;
    this.changed(doc, 'a newer save replaced it'); // at most one request in flight per document
    let target;
    try { target = this.resourcesOf(doc); } catch (e) { this.host.log(`LLM: could not prepare ${path.basename(doc.path)}: ${(e as Error).message}`); return; }
    if (!target || target.resources.length === 0) return;
    const controller = new AbortController();
    const version = doc.version;
    this.inflight.set(doc.path, { controller, version });
    const name = path.basename(doc.path);
    const reviewer = this.getReviewer();
    this.status('reviewing', `Rampart AI: reviewing ${name}`, doc.uri);
    const outcome = await reviewer.review({
      file: doc.path, displayName: this.displayName(doc.path), text: doc.text, language: target.language, resources: target.resources,
      localFindings: this.host.localFindings(doc.path), checker: target.checker, signal: controller.signal,
    });
    if (this.inflight.get(doc.path)?.controller === controller) this.inflight.delete(doc.path);
    if (controller.signal.aborted || doc.version !== version || outcome.fault?.kind === 'aborted') {
      const why = typeof controller.signal.reason === 'string' ? controller.signal.reason : 'the file changed during the review';
      this.say(`LLM review of ${name} discarded: ${why}.`);
      this.status('ready', 'LLM review: cancelled by an edit', doc.uri);
      return;
    }
    if (outcome.fault) {
      this.reportFault(name, outcome.fault, doc.uri);
      if (!outcome.findings.length) return;
    }
    this.found.set(doc.path, { version: doc.version, findings: outcome.findings });
    const fixes = outcome.findings.filter((f) => f.fix).length;
    if (!outcome.fault) {
      const what = outcome.requestMade ? `${outcome.sent} resource${outcome.sent === 1 ? '' : 's'} reviewed` : 'nothing changed since the last review';
      this.host.log(`LLM review of ${name}: ${what}${outcome.cached ? `, ${outcome.cached} from the cache` : ''}${outcome.deferred ? `, ${outcome.deferred} left for the next save` : ''}; ${outcome.findings.length} finding${outcome.findings.length === 1 ? '' : 's'}${fixes ? ` (${fixes} with a verified fix)` : ''}.`);
      this.status('done', `Rampart AI: ${outcome.findings.length} finding${outcome.findings.length === 1 ? '' : 's'} in ${name}`, doc.uri);
    }
    for (const d of outcome.dropped.slice(0, 10)) this.host.log(`LLM review of ${name}: dropped: ${scrub(d, this.key)}`);
    this.host.republish(doc);
  }

  private reportFault(name: string, f: LlmFault, uri: string): void {
    const msg = `LLM review of ${name} failed: ${f.message}. The local findings are unchanged.`;
    this.say(msg);
    this.status(f.kind === 'rate-limit' ? 'paused' : 'error', `Rampart AI: ${f.message}`, uri);
  }

  // ---------------------------------------------------------------- findings

  /**
   * The AI findings of a document, re-validated against its current text: a finding whose text
   * changed is dropped, one whose text moved follows it, and a fix survives only while its whole
   * resource is unchanged.
   */
  findings(doc: SourceDocument | undefined, filePath: string): LlmFinding[] {
    const stored = this.found.get(filePath);
    if (!stored) return [];
    if (!doc || !this.host.settings().enabled || !this.host.trusted()) return [];
    if (stored.version === doc.version) return stored.findings;
    const spans = this.resourceLines(doc);
    const next: LlmFinding[] = [];
    for (const f of stored.findings) {
      const r = spans.get(f.address);
      if (!r) continue;
      const moved = relocate(f, doc, r);
      if (moved) next.push(moved);
    }
    this.found.set(filePath, { version: doc.version, findings: next });
    return next;
  }

  private resourceLines(doc: SourceDocument): Map<string, { startLine: number; endLine: number }> {
    const out = new Map<string, { startLine: number; endLine: number }>();
    try {
      if (doc.kind === 'terraform') {
        for (const b of doc.hcl()?.blocks ?? []) {
          if ((b.type === 'resource' || b.type === 'data') && b.labels.length >= 2) {
            out.set(`${b.type === 'data' ? 'data.' : ''}${b.labels[0]}.${b.labels[1]}`, { startLine: b.span.startLine, endLine: b.span.endLine });
          }
        }
      } else if (doc.kind === 'yaml') {
        const y = doc.yaml();
        if (y) for (const r of kubernetesResources(kubernetesFromYaml(y).objects, doc.text)) out.set(r.address, { startLine: r.startLine, endLine: r.endLine });
      }
    } catch { /* a document that does not parse keeps no AI finding */ }
    return out;
  }

  // ---------------------------------------------------------------- explain

  /** What a resource refers to and what refers to it (offline: nothing is sent). */
  linked(doc: SourceDocument, address: string): string[] {
    try {
      const r = this.resourcesOf(doc)?.resources.find((x) => x.address === address || x.address.replace(/#\d+$/, '') === address);
      return r ? r.context.map((c) => c.what) : [];
    } catch {
      return [];
    }
  }

  async explain(doc: SourceDocument, f: Finding, impact: string, remediation: string, streamId: string): Promise<ExplainLlmResult> {
    if (!this.available()) return { text: '', error: this.host.settings().enabled ? (this.host.trusted() ? 'no API key is set' : 'the workspace is not trusted') : 'the LLM review is disabled (rampart.llm.enabled)' };
    const target = this.resourcesOf(doc);
    const resource = target?.resources.find((r) => r.address === f.address || r.address.replace(/#\d+$/, '') === f.address);
    if (!target || !resource) return { text: '', error: 'the resource of this finding could not be found' };
    try {
      const r = await this.getReviewer().explain({
        finding: f, impact, remediation, resource, language: target.language, displayName: this.displayName(doc.path),
        onText: (text) => void this.host.connection.sendNotification(ExplainChunkNotification, { streamId, text }),
      });
      return { text: r.text, cached: r.cached };
    } catch (e) {
      const fault = e as LlmFault;
      this.say(`LLM explanation failed: ${fault.message}.`);
      return { text: '', error: scrub(fault.message ?? 'the request failed', this.key) };
    }
  }
}

function relocate(f: LlmFinding, doc: SourceDocument, r: { startLine: number; endLine: number }): LlmFinding | undefined {
  const text = doc.text;
  const lines = doc.lines;
  const resStart = linesSpan(text, lines, r.startLine, r.endLine, false);
  const resTrim = linesSpan(text, lines, r.startLine, r.endLine);
  const resText = text.slice(resStart.start, resTrim.end);
  const oldResStart = f.resourceSpan.start - (/^[ \t]*/.exec(f.resourceText)![0].length);
  const rel = f.span.start - (/^[ \t]*/.exec(f.anchor)![0].length) - oldResStart;
  let best = -1;
  for (let i = resText.indexOf(f.anchor); i >= 0; i = resText.indexOf(f.anchor, i + 1)) {
    if (best < 0 || Math.abs(i - rel) < Math.abs(best - rel)) best = i;
  }
  if (best < 0 || !f.anchor) return undefined;
  const at = resStart.start + best;
  const lead = /^[ \t]*/.exec(f.anchor)![0].length;
  const moved: LlmFinding = {
    ...f,
    span: lines.spanFromOffsets(at + lead, at + f.anchor.length),
    resourceSpan: resTrim,
    resourceText: resText,
  };
  delete moved.fix;
  if (f.fix && resText === f.resourceText) {
    const delta = resStart.start - oldResStart;
    moved.fix = { title: f.fix.title, edits: f.fix.edits.map((e): TextEdit => ({ ...e, start: e.start + delta, end: e.end + delta })) };
  }
  return moved;
}
