import type { Span } from '../parse/source';
import type { Rule } from './rule';
import type { Finding } from './types';

export interface CommentLine { line: number; text: string }

interface Directive {
  /** Lines the directive covers directly (its own line and the next one). */
  lines: number[];
  /** Matches a rule by Rampart id or equivalent id. */
  matches(rule: Rule): boolean;
  /** kics-scan ignore-line applies to any rule on the next line. */
  reason: string;
  blockScope: boolean;
}

const lc = (s: string) => s.toLowerCase();

function matcher(ids: string[]): (rule: Rule) => boolean {
  const wanted = new Set(ids.map(lc));
  return (rule) => {
    if (wanted.has('all') || wanted.has('*') || wanted.has(lc(rule.id))) return true;
    const eq = rule.equivalents;
    for (const id of [...(eq.checkov ?? []), ...(eq.trivy ?? []), ...(eq.kics ?? [])]) {
      if (wanted.has(lc(id))) return true;
      // Trivy accepts both AVD-AWS-0088 and AWS-0088.
      if (id.startsWith('AVD-') && wanted.has(lc(id.slice(4)))) return true;
    }
    return false;
  };
}

/** Reads suppression comments in Rampart's own form and in Checkov, tfsec, Trivy and KICS forms. */
export function parseDirectives(comments: readonly CommentLine[]): Directive[] {
  const out: Directive[] = [];
  for (const c of comments) {
    const text = c.text.replace(/^\s*(#|\/\/|\/\*)\s*/, '').replace(/\*\/\s*$/, '');
    let m: RegExpExecArray | null;
    if ((m = /rampart:ignore\s+([\w.,*-]+)\s*(.*)$/i.exec(text))) {
      out.push({ lines: [c.line, c.line + 1], matches: matcher(m[1]!.split(',')), reason: m[2]!.trim(), blockScope: true });
    }
    const re = /checkov:skip=([A-Z0-9_]+)(?::([^\s,]*))?/gi;
    while ((m = re.exec(text))) out.push({ lines: [c.line, c.line + 1], matches: matcher([m[1]!]), reason: m[2] ?? '', blockScope: true });
    const re2 = /(?:tfsec|trivy):ignore:([\w.-]+)/gi;
    while ((m = re2.exec(text))) out.push({ lines: [c.line, c.line + 1], matches: matcher([m[1]!]), reason: '', blockScope: true });
    if (/kics-scan\s+ignore-line/i.test(text)) out.push({ lines: [c.line + 1], matches: () => true, reason: 'kics-scan ignore-line', blockScope: false });
    if (/kics-scan\s+ignore-block/i.test(text)) out.push({ lines: [c.line + 1], matches: () => true, reason: 'kics-scan ignore-block', blockScope: true });
  }
  return out;
}

/**
 * A directive applies to a finding when it sits on the finding's line or the line above it, or on
 * the resource's header line or the comment lines directly above the header.
 */
export function isSuppressed(finding: Finding, rule: Rule, directives: readonly Directive[], commentLines: ReadonlySet<number>): boolean {
  if (directives.length === 0) return false;
  const line = finding.span.startLine;
  const header = finding.resourceSpan.startLine;
  const headerLines = new Set<number>([header]);
  for (let l = header - 1; l >= 0 && commentLines.has(l); l--) headerLines.add(l);
  for (const d of directives) {
    if (!d.matches(rule)) continue;
    if (d.lines.includes(line) && (d.lines[0] === line - 1 || d.lines[0] === line || !d.blockScope)) return true;
    if (d.blockScope && headerLines.has(d.lines[0]!)) return true;
  }
  return false;
}

export function spanContains(outer: Span, inner: Span): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}
