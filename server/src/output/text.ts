import * as path from 'node:path';
import type { Finding, Note, Severity } from '../engine/types';
import { SEVERITY_ORDER } from '../engine/types';

export interface TextOptions { color: boolean; baseDir: string; durationMs: number; files: number; suppressed: number }

const CODES = { red: 31, yellow: 33, blue: 34, magenta: 35, gray: 90, bold: 1, dim: 2, cyan: 36 } as const;
type Color = keyof typeof CODES;

export function formatText(findings: readonly Finding[], notes: readonly Note[], o: TextOptions): string {
  const c = (color: Color, s: string) => (o.color ? `\u001b[${CODES[color]}m${s}\u001b[0m` : s);
  const sevColor: Record<Severity, Color> = { critical: 'magenta', high: 'red', medium: 'yellow', low: 'blue' };
  const rel = (f: string) => {
    const r = path.relative(o.baseDir, f);
    return r.startsWith('..') ? f : r;
  };
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    let l = byFile.get(f.file);
    if (!l) byFile.set(f.file, (l = []));
    l.push(f);
  }
  for (const [file, list] of byFile) {
    out.push(c('bold', rel(file)));
    for (const f of list) {
      const loc = `${f.span.startLine + 1}:${f.span.startCol + 1}`.padEnd(8);
      const ai = f.origin === 'llm' ? `${c('cyan', '[AI]')} ` : '';
      out.push(`  ${c('gray', loc)} ${c(sevColor[f.severity], f.severity.padEnd(8))} ${ai}${f.message} ${c('gray', `${f.ruleId}${f.fix ? ' (fixable)' : ''}`)}`);
    }
    out.push('');
  }
  for (const n of notes) {
    const label = n.level === 'error' ? c('red', 'error') : n.level === 'warning' ? c('yellow', 'warning') : c('cyan', 'note');
    out.push(`${label} ${rel(n.file)}: ${n.message}`);
  }
  if (notes.length) out.push('');
  const counts = SEVERITY_ORDER.slice().reverse().map((s) => [s, findings.filter((f) => f.severity === s).length] as const);
  const total = findings.length;
  const fixable = findings.filter((f) => f.fix).length;
  if (total === 0) out.push(c('bold', `No problems found`) + ` in ${o.files} files (${(o.durationMs / 1000).toFixed(2)}s).`);
  else {
    const parts = counts.filter(([, n]) => n > 0).map(([s, n]) => c(sevColor[s], `${n} ${s}`));
    out.push(`${c('bold', `${total} problem${total === 1 ? '' : 's'}`)} (${parts.join(', ')}) in ${byFile.size} of ${o.files} files` +
      ` (${(o.durationMs / 1000).toFixed(2)}s)${fixable ? `; ${fixable} fixable in the editor` : ''}.`);
  }
  const fromLlm = findings.filter((f) => f.origin === 'llm').length;
  if (fromLlm) out.push(c('gray', `${fromLlm} of them from the LLM review ([AI]): unverified suggestions.`));
  if (o.suppressed) out.push(c('gray', `${o.suppressed} suppressed by ignore comments.`));
  return out.join('\n') + '\n';
}
