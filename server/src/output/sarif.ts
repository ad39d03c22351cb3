import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Rule } from '../engine/rule';
import type { Finding, Note, Severity } from '../engine/types';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
const SCORE: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

export interface SarifOptions {
  version: string;
  /** Base directory that result URIs are relative to (the working directory). */
  baseDir: string;
  /** A public URL of a rule's documentation, when there is one. */
  docUrl: (id: string) => string | undefined;
  severityOf: (rule: Rule) => Severity;
}

function relUri(file: string, baseDir: string): string {
  const rel = path.relative(baseDir, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return pathToFileURL(file).href;
  return rel.split(path.sep).map(encodeURIComponent).join('/');
}

/** SARIF 2.1.0 as read by shared/bench/CONTRACT.md and by GitHub code scanning. */
export function toSarif(rules: readonly Rule[], findings: readonly Finding[], notes: readonly Note[], o: SarifOptions): object {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  // LLM findings get a descriptor of their own, marked as such.
  const aiRules: object[] = [];
  for (const f of findings) {
    if (f.origin !== 'llm' || index.has(f.ruleId)) continue;
    index.set(f.ruleId, rules.length + aiRules.length);
    aiRules.push({
      id: f.ruleId, name: f.ruleId, shortDescription: { text: f.title }, fullDescription: { text: 'Reported by the Rampart LLM review (unverified).' },
      defaultConfiguration: { level: LEVEL[f.severity] },
      properties: { 'security-severity': SCORE[f.severity], severity: f.severity, tags: ['security', 'llm'], origin: 'llm' },
    });
  }
  const baseUri = pathToFileURL(o.baseDir.endsWith(path.sep) ? o.baseDir : o.baseDir + path.sep).href;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'Rampart',
          version: o.version,
          ...(o.docUrl('') ? { informationUri: o.docUrl('')!.replace(/#$/, '') } : {}),
          rules: rules.map((r) => ({
            id: r.id,
            name: r.id,
            shortDescription: { text: r.title },
            fullDescription: { text: r.impact },
            help: { text: `${r.remediation}`, markdown: `**Impact.** ${r.impact}\n\n**Fix.** ${r.remediation}` },
            ...(o.docUrl(r.id) ? { helpUri: o.docUrl(r.id) } : {}),
            defaultConfiguration: { level: LEVEL[o.severityOf(r)] },
            properties: {
              'security-severity': SCORE[o.severityOf(r)],
              severity: o.severityOf(r),
              tags: ['security', ...r.compliance],
              equivalents: r.equivalents,
              fixable: !!r.fixable,
            },
          })).concat(aiRules as never[]),
        },
      },
      originalUriBaseIds: { SRCROOT: { uri: baseUri } },
      results: findings.map((f) => ({
        ruleId: f.ruleId,
        ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
        level: LEVEL[f.severity],
        message: { text: f.origin === 'llm' ? `[Rampart AI] ${f.message}${(f as { explanation?: string }).explanation ? `: ${(f as { explanation?: string }).explanation}` : ''}` : f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: relUri(f.file, o.baseDir), uriBaseId: 'SRCROOT' },
            region: { startLine: f.span.startLine + 1, startColumn: f.span.startCol + 1, endLine: f.span.endLine + 1, endColumn: f.span.endCol + 1 },
          },
          logicalLocations: [{ fullyQualifiedName: f.address, kind: 'resource' }],
        }],
        ...(f.related?.length ? {
          relatedLocations: f.related.map((r, i) => ({
            id: i + 1,
            message: { text: r.message },
            physicalLocation: { artifactLocation: { uri: relUri(r.file, o.baseDir), uriBaseId: 'SRCROOT' }, region: { startLine: r.span.startLine + 1, endLine: r.span.endLine + 1 } },
          })),
        } : {}),
        properties: { severity: f.severity, origin: f.origin, fixable: !!f.fix },
      })),
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: notes.map((n) => ({
          level: n.level === 'info' ? 'note' : n.level,
          message: { text: n.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: relUri(n.file, o.baseDir), uriBaseId: 'SRCROOT' } } }],
        })),
      }],
    }],
  };
}
