import type { LineIndex, Span } from '../parse/source';
import type { Finding, Severity } from '../engine/types';
import { LlmFault } from './client';
import { restore, unknownPlaceholders } from './redact';

/*
 * Every LLM answer is untrusted input. It is parsed tolerantly but bounded, every field is
 * type-checked and clamped, a finding survives only on a resource that was under review, and a fix
 * only when the engine itself confirms it: same range as claimed, parses, raises nothing new, and
 * removes the local finding it says it fixes.
 */

export const LIMITS = {
  answerChars: 400_000,
  findings: 30,
  resource: 300,
  id: 48,
  title: 120,
  explanation: 2000,
  snippet: 8000,
  fixLines: 120,
} as const;

export interface RawFix { title: string; startLine: number; endLine: number; original: string; replacement: string }
export interface RawFinding {
  resource: string;
  id: string;
  severity: Severity;
  title: string;
  explanation: string;
  /** 1-based file lines (or, in the cache, relative to the resource's first line). */
  startLine: number;
  endLine: number;
  targetsRule: string | null;
  fix: RawFix | null;
}

/** A finding of the LLM review, ready to be shown. */
export interface LlmFinding extends Finding {
  origin: 'llm';
  explanation: string;
  /** The text the finding points at and of its resource when it was made (to re-validate after edits). */
  anchor: string;
  resourceText: string;
  /** Why a suggested fix was not offered, if one was dropped. */
  fixNote?: string;
  targetsRule?: string;
}

// ---------------------------------------------------------------- parsing

function stripFences(s: string): string {
  const m = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/.exec(s);
  return m ? m[1]! : s;
}

/** The first balanced JSON object in a text, or undefined (and whether one started but never closed). */
function firstObject(s: string): { json?: string; unterminated: boolean } {
  const start = s.indexOf('{');
  if (start < 0) return { unterminated: false };
  let depth = 0;
  let inString = false;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return { json: s.slice(start, i + 1), unterminated: false };
    }
  }
  return { unterminated: true };
}

/** Reads the JSON of an answer: plain, fenced, or embedded in prose (servers without JSON modes). */
export function parseAnswer(content: string, finishReason?: string | null): unknown {
  if (typeof content !== 'string' || content.trim() === '') throw new LlmFault('empty', 'the answer was empty');
  if (content.length > LIMITS.answerChars) throw new LlmFault('too-large', `the answer was too large (${Math.round(content.length / 1024)} KB) and was discarded`);
  const body = stripFences(content).trim();
  try { return JSON.parse(body); } catch { /* tolerant extraction below */ }
  const o = firstObject(body);
  if (o.json) {
    try { return JSON.parse(o.json); } catch { /* fall through */ }
  }
  if (o.unterminated || finishReason === 'length') throw new LlmFault('truncated', 'the answer was cut off (truncated JSON) and was discarded');
  throw new LlmFault('malformed', 'the answer was not valid JSON and was discarded');
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

function text(v: unknown, max: number): string {
  if (typeof v !== 'string') return '';
  const s = v.replace(CONTROL, '').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function int(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < 10_000_000 ? n : undefined;
}

/** Severity words clamped to the four levels; anything unknown is medium. */
export function clampSeverity(v: unknown): Severity {
  const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
  if (s === 'critical' || s === 'blocker') return 'critical';
  if (s === 'high' || s === 'error' || s === 'severe' || s === 'major') return 'high';
  if (s === 'low' || s === 'info' || s === 'informational' || s === 'note' || s === 'hint' || s === 'minor') return 'low';
  return 'medium';
}

export function slug(v: unknown): string {
  const s = (typeof v === 'string' ? v : '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, LIMITS.id).replace(/-+$/, '');
  return s || 'finding';
}

function sanitizeFix(v: unknown): RawFix | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const startLine = int(o['startLine']);
  const endLine = int(o['endLine']) ?? startLine;
  if (startLine === undefined || endLine === undefined) return null;
  if (typeof o['original'] !== 'string' || typeof o['replacement'] !== 'string') return null;
  if (o['original'].length > LIMITS.snippet || o['replacement'].length > LIMITS.snippet) return null;
  return { title: text(o['title'], LIMITS.title) || 'Apply the suggested change', startLine, endLine, original: o['original'], replacement: o['replacement'] };
}

/** Type-checks and bounds the findings of a parsed answer. */
export function sanitizeAnswer(obj: unknown): RawFinding[] {
  const list = Array.isArray(obj) ? obj : obj && typeof obj === 'object' ? (obj as Record<string, unknown>)['findings'] : undefined;
  if (!Array.isArray(list)) throw new LlmFault('malformed', 'the answer has no "findings" list and was discarded');
  const out: RawFinding[] = [];
  for (const item of list.slice(0, LIMITS.findings)) {
    if (!item || typeof item !== 'object') continue;
    const o = item as Record<string, unknown>;
    const resource = text(o['resource'], LIMITS.resource);
    const startLine = int(o['startLine'] ?? o['line']);
    const endLine = int(o['endLine']) ?? startLine;
    if (!resource || startLine === undefined || endLine === undefined) continue;
    out.push({
      resource,
      id: slug(o['id'] ?? o['title']),
      severity: clampSeverity(o['severity']),
      title: text(o['title'], LIMITS.title) || 'Security concern',
      explanation: text(o['explanation'] ?? o['message'], LIMITS.explanation),
      startLine, endLine: Math.max(startLine, endLine),
      targetsRule: typeof o['targetsRule'] === 'string' ? text(o['targetsRule'], 100) || null : null,
      fix: sanitizeFix(o['fix']),
    });
  }
  return out;
}

/** Lines relative to a resource's first line (0 = the first line), for the cache. */
export function relativeTo(f: RawFinding, firstLine1: number): RawFinding {
  const shift = (n: number) => n - firstLine1;
  return { ...f, startLine: shift(f.startLine), endLine: shift(f.endLine), fix: f.fix ? { ...f.fix, startLine: shift(f.fix.startLine), endLine: shift(f.fix.endLine) } : null };
}

export function absoluteFrom(f: RawFinding, firstLine1: number): RawFinding {
  return relativeTo(f, -firstLine1);
}

// ---------------------------------------------------------------- validation against the document

export interface CheckResult {
  /** Syntax errors in the file. */
  errors: number;
  /** Local findings in the file. */
  findings: { ruleId: string; address: string }[];
  /** Resource and object addresses defined in the file. */
  addresses: Set<string>;
}

/** Re-runs the local engine on a patched version of the file under review. */
export interface LocalChecker { check(text: string): CheckResult }

export interface ReviewedResource {
  address: string;
  /** 0-based, whole lines. */
  startLine: number;
  endLine: number;
  secrets: ReadonlyMap<string, string>;
  /** The redacted lines as they were sent. */
  redactedLines: string[];
}

export interface ValidationContext {
  file: string;
  text: string;
  lines: LineIndex;
  resources: ReadonlyMap<string, ReviewedResource>;
  checker?: LocalChecker;
}

function lineEndOffset(t: string, lines: LineIndex, line: number): number {
  const next = line + 1 < lines.lineCount ? lines.lineStart(line + 1) - 1 : t.length;
  return next > 0 && t[next - 1] === '\r' && next <= t.length ? next - 1 : next;
}

export function linesSpan(t: string, lines: LineIndex, startLine: number, endLine: number, trim = true): Span {
  let start = lines.lineStart(startLine);
  if (trim) start += /^[ \t]*/.exec(lines.lineText(startLine))![0].length;
  const end = Math.max(start, lineEndOffset(t, lines, endLine));
  return lines.spanFromOffsets(start, end);
}

function withoutLineNumbers(s: string): string {
  const ls = s.replace(/\r/g, '').split('\n');
  const numbered = /^\s*\d+ ?\| ?/;
  return ls.every((l) => l === '' || numbered.test(l)) && ls.some((l) => numbered.test(l)) ? ls.map((l) => l.replace(numbered, '')).join('\n') : ls.join('\n');
}

function normalizeLines(s: string): string {
  return withoutLineNumbers(s).split('\n').map((l) => l.trimEnd()).join('\n').replace(/^\n+|\n+$/g, '');
}

const DANGEROUS = /\b(local-exec|remote-exec|provisioner|external)\b/;

export class Validator {
  private base: CheckResult | undefined;
  constructor(private readonly ctx: ValidationContext) {}

  private baseCheck(): CheckResult | undefined {
    if (!this.ctx.checker) return undefined;
    return (this.base ??= this.ctx.checker.check(this.ctx.text));
  }

  /** A raw finding (1-based file lines) as a shown finding, or a reason to drop it. */
  finding(raw: RawFinding): LlmFinding | string {
    const { ctx } = this;
    const res = ctx.resources.get(raw.resource);
    if (!res) return `"${raw.resource.slice(0, 60)}" is not a resource under review`;
    const s = raw.startLine - 1, e = raw.endLine - 1;
    if (s < 0 || e >= ctx.lines.lineCount) return 'its lines are outside the document';
    if (s < res.startLine || e > res.endLine) return `its lines ${raw.startLine}-${raw.endLine} are outside ${res.address}`;
    const span = linesSpan(ctx.text, ctx.lines, s, e);
    const resourceSpan = linesSpan(ctx.text, ctx.lines, res.startLine, res.endLine);
    const f: LlmFinding = {
      ruleId: `ai-${raw.id}`,
      severity: raw.severity,
      title: restore(raw.title, res.secrets),
      message: restore(raw.title, res.secrets),
      file: ctx.file,
      span,
      address: res.address,
      resourceSpan,
      origin: 'llm',
      explanation: restore(raw.explanation, res.secrets),
      anchor: ctx.text.slice(linesSpan(ctx.text, ctx.lines, s, e, false).start, span.end),
      resourceText: ctx.text.slice(linesSpan(ctx.text, ctx.lines, res.startLine, res.endLine, false).start, resourceSpan.end),
    };
    if (raw.targetsRule) f.targetsRule = raw.targetsRule;
    if (raw.fix) {
      const fix = this.fix(raw, res);
      if (typeof fix === 'string') f.fixNote = fix;
      else f.fix = fix;
    }
    return f;
  }

  private fix(raw: RawFinding, res: ReviewedResource): NonNullable<Finding['fix']> | string {
    const { ctx } = this;
    const fx = raw.fix!;
    const s = fx.startLine - 1, e = fx.endLine - 1;
    if (s < res.startLine || e > res.endLine || e < s) return `the fix would edit lines ${fx.startLine}-${fx.endLine}, outside ${res.address}`;
    if (e - s >= LIMITS.fixLines) return 'the fix is too large';
    const claimed = normalizeLines(fx.original);
    const actual = normalizeLines(res.redactedLines.slice(s - res.startLine, e - res.startLine + 1).join('\n'));
    if (claimed !== actual) return `the fix does not replace the text it claims to (lines ${fx.startLine}-${fx.endLine})`;
    let replacement = withoutLineNumbers(fx.replacement).replace(/\n+$/, '');
    if (unknownPlaceholders(replacement, res.secrets).length) return 'the fix refers to a secret placeholder that does not exist';
    if (/\u0000/.test(replacement)) return 'the fix holds binary content';
    const originalText = ctx.text.slice(ctx.lines.lineStart(s), lineEndOffset(ctx.text, ctx.lines, e));
    const dangerous = DANGEROUS.exec(replacement);
    if (dangerous && !originalText.includes(dangerous[1]!)) return `the fix would add "${dangerous[1]}"`;
    replacement = restore(replacement, res.secrets);
    if (ctx.text.includes('\r\n')) replacement = replacement.replace(/\r?\n/g, '\r\n');
    const start = ctx.lines.lineStart(s);
    const end = lineEndOffset(ctx.text, ctx.lines, e);
    const patched = ctx.text.slice(0, start) + replacement + ctx.text.slice(end);
    if (patched === ctx.text) return 'the fix changes nothing';
    const base = this.baseCheck();
    if (!base || !ctx.checker) return 'the fix could not be verified';
    const after = ctx.checker.check(patched);
    if (after.errors > base.errors) return 'the fixed file would not parse';
    if (!after.addresses.has(res.address)) return `the fix would remove or rename ${res.address}`;
    const count = (list: CheckResult['findings']) => {
      const m = new Map<string, number>();
      for (const x of list) m.set(`${x.ruleId}\u0000${x.address}`, (m.get(`${x.ruleId}\u0000${x.address}`) ?? 0) + 1);
      return m;
    };
    const before = count(base.findings), now = count(after.findings);
    for (const [k, n] of now) if (n > (before.get(k) ?? 0)) return `the fix would raise ${k.split('\u0000')[0]}`;
    if (raw.targetsRule && before.has(`${raw.targetsRule}\u0000${res.address}`) && now.has(`${raw.targetsRule}\u0000${res.address}`)) {
      return `the fix does not resolve ${raw.targetsRule}`;
    }
    return { title: `Rampart AI: ${restore(fx.title, res.secrets)}`, edits: [{ file: ctx.file, start, end, newText: replacement }] };
  }
}
