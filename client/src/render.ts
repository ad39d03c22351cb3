import type { Explanation, ScanWorkspaceResult } from '../../server/src/protocol';

/*
 * Webview HTML is built from rule text, finding text and (later) LLM text: all of it is untrusted.
 * Everything goes through escapeHtml, links are only https URLs taken from rule metadata, and
 * the CSP allows no scripts at all.
 */

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"'`]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c]!);
}

/** Only plain https links survive; anything else (command:, javascript:, data:) is shown as text. */
export function safeLink(url: string, label?: string): string {
  if (!/^https:\/\/[^\s"'<>]+$/.test(url)) return escapeHtml(label ?? url);
  return `<a href="${escapeHtml(url)}">${escapeHtml(label ?? url)}</a>`;
}

export function csp(cspSource: string, nonce: string): string {
  return `default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; img-src ${cspSource} https: data:; script-src 'nonce-${nonce}';`;
}

export function page(title: string, body: string, o: { cspSource: string; nonce: string; styleUri: string }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp(o.cspSource, o.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${escapeHtml(title)}</title>
</head>
<body>
${body}
</body>
</html>`;
}

export function renderExplanation(e: Explanation, extra = ''): string {
  const eq = e.equivalents;
  const eqRows = (['checkov', 'trivy', 'kics'] as const).filter((k) => eq[k]?.length)
    .map((k) => `<tr><td>${escapeHtml(k === 'kics' ? 'KICS' : k[0]!.toUpperCase() + k.slice(1))}</td><td>${eq[k]!.map((x) => `<code>${escapeHtml(x)}</code>`).join(', ')}</td></tr>`).join('');
  return `
<h1>${escapeHtml(e.title)}</h1>
<div class="subtitle"><span class="badge sev-${escapeHtml(e.severity)}">${escapeHtml(e.severity.toUpperCase())}</span><code>${escapeHtml(e.ruleId)}</code> on <code>${escapeHtml(e.address)}</code></div>
<div class="finding">${escapeHtml(e.message)}</div>
${e.aiExplanation ? `<h2>What the LLM review found</h2>${e.aiExplanation.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p)}</p>`).join('')}<p class="muted">An LLM finding (Rampart AI): check it before acting on it.</p>` : ''}
<h2>What an attacker gains</h2>
<p>${escapeHtml(e.impact)}</p>
<h2>How to fix</h2>
<p>${escapeHtml(e.remediation)}${e.fixable ? ' <span class="muted">(a quick fix is available: Ctrl+. on the squiggle)</span>' : ''}</p>
${e.related.length ? `<h2>Also involved</h2><ul>${e.related.map((r) => `<li>${escapeHtml(r.message)} <span class="muted">(${escapeHtml(decodeURIComponent(r.uri.replace(/^file:\/\//, '')))}:${r.line + 1})</span></li>`).join('')}</ul>` : ''}
${e.linked?.length ? `<h2>Blast radius: linked resources</h2><ul>${e.linked.map((l) => `<li><code>${escapeHtml(l)}</code></li>`).join('')}</ul>` : ''}
<h2>The resource</h2>
<pre><code>${escapeHtml(e.snippet)}</code></pre>
${e.compliance.length ? `<h2>Compliance</h2><ul class="tags">${e.compliance.map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ul>` : ''}
${eqRows ? `<h2>Same check in other scanners</h2><table>${eqRows}</table>` : ''}
<h2>References</h2>
<ul>${[e.docUrl, ...e.references].map((r) => `<li>${safeLink(r)}</li>`).join('')}</ul>
${extra}`;
}

export interface AiSection { state: 'loading' | 'streaming' | 'done' | 'error' | 'unavailable'; text?: string; error?: string }

/**
 * The LLM's contextual explanation: untrusted text, shown as escaped paragraphs. No markdown is
 * interpreted, so no link (command:, javascript:, https:) and no HTML can come out of it.
 */
export function renderAiSection(a: AiSection): string {
  const paras = (a.text ?? '').slice(0, 20_000).split(/\n{2,}/).map((p) => p.trim()).filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n');
  const note = '<p class="muted">Written by an LLM from the redacted resource and its context: check it before acting on it.</p>';
  switch (a.state) {
    case 'loading': return `<h2>In this module (Rampart AI)</h2><p class="muted">Asking the LLM…</p>`;
    case 'streaming': return `<h2>In this module (Rampart AI)</h2>${paras}<p class="muted">…</p>`;
    case 'done': return `<h2>In this module (Rampart AI)</h2>${paras}${note}`;
    case 'error': return `<h2>In this module (Rampart AI)</h2><p class="muted">No contextual explanation: ${escapeHtml(a.error ?? 'the request failed')}.</p>`;
    default: return '';
  }
}

export function renderReport(r: ScanWorkspaceResult, rel: (uri: string) => string): string {
  const sev = ['critical', 'high', 'medium', 'low'];
  return `
<h1>Rampart workspace scan</h1>
<div class="subtitle">${escapeHtml(r.findings)} findings in ${escapeHtml(r.files)} files, ${(r.durationMs / 1000).toFixed(1)} s${r.cancelled ? ' (cancelled: partial results)' : ''}</div>
<p>${sev.map((s) => `<span class="badge sev-${s}">${escapeHtml(r.bySeverity[s] ?? 0)} ${s}</span>`).join(' ')}</p>
<h2>Files with the most findings</h2>
<table><tr><th>File</th><th>Findings</th></tr>${r.top.map((t) => `<tr><td><code>${escapeHtml(rel(t.uri))}</code></td><td>${escapeHtml(t.count)}</td></tr>`).join('')}</table>
${r.notes.length ? `<h2>Notes</h2><ul>${r.notes.map((n) => `<li>${escapeHtml(n.level)}: <code>${escapeHtml(rel(n.uri))}</code> ${escapeHtml(n.message)}</li>`).join('')}</ul>` : ''}
<p class="muted">All findings are in the Problems panel.</p>`;
}
