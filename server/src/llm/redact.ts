import { isSecretName } from '../rules/common/secrets';

/*
 * Secrets never leave the machine. Before any text is put into a prompt, values that look like
 * credentials are replaced by placeholders (__SECRET_1__, ...). The mapping stays here and is used
 * only to put the values back into what is shown locally (messages, explanations, fix snippets).
 *
 * A replaced value keeps its newlines (a private key body becomes the placeholder followed by as
 * many line breaks), so that line numbers in the redacted text are those of the file.
 *
 * Detection is deliberately generous: a value redacted by mistake costs the reviewer a little
 * context, a value missed leaks a credential.
 */

export interface Redacted {
  text: string;
  /** placeholder -> original value */
  secrets: Map<string, string>;
}

interface Hit { start: number; end: number }

const EXTRA_SECRET_NAME = /(^|_)([a-z0-9]+_key|[a-z0-9]+_keys|private_key_pem|key_pem|connection_string|conn_str|connstr|dsn|webhook_url|authorization|auth_token|sas|sas_url|secret_string|secret_data|secret_binary|plaintext_value|kubeconfig|kube_config|htpasswd|credentials_json)$/;
const NOT_SECRET_NAME = /(^|_)(key_id|key_name|key_vault_id|key_ring|key_arn|kms_key|key_type|key_size|key_algorithm|key_usage|key_spec|public_key|hash_key|range_key|sort_key|partition_key|key_pair|keyname)$/;

function normalizeName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** Whether a key, attribute or variable name holds a credential. */
export function isSensitiveName(name: string): boolean {
  if (isSecretName(name)) return true;
  const n = normalizeName(name);
  if (!n || n === 'key' || NOT_SECRET_NAME.test(n)) return false;
  return EXTRA_SECRET_NAME.test(n);
}

/** A value that is a reference or a substitution, not a literal credential. */
function isLiteral(value: string): boolean {
  const v = value.trim();
  if (!v) return false;
  if (/^(true|false|null|yes|no|on|off|none|nil|~)$/i.test(v)) return false;
  if (/^\$\{[^}]*\}$/.test(v) || /^\{\{[^}]*\}\}$/.test(v) || /^\$\([^)]*\)$/.test(v) || /^\$[A-Za-z_]\w*$/.test(v)) return false;
  if (/^(var|local|data|module|each|count|self|path|terraform)\.[\w.[\]"*-]+$/.test(v)) return false;
  if (/^[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*(\.[\w[\]*"-]+)+$/.test(v)) return false; // resource.name.attr
  if (/^[a-z_][a-z0-9_]*\(/.test(v)) return false; // a function call: file("..."), random_password(...)
  if (/^[[{(]/.test(v)) return false; // a list, object or expression: its strings are judged on their own
  if (/^[A-Za-z_]\w*(\.[A-Za-z_]\w*|\[[^\]]*\])+$/.test(v)) return false; // each.value, env.value, x[0].id
  return true;
}

// ---------------------------------------------------------------- value readers

/** Reads the value that starts at `i`: a quoted string, a heredoc, a YAML block scalar or a plain token. */
function readValue(text: string, i: number, lineIndent: number, sep = ':'): { start: number; end: number; quoted: boolean } | undefined {
  const c = text[i];
  if (c === undefined || c === '\n' || c === '\r') return undefined;
  if (c === '"' || c === "'") {
    let j = i + 1;
    let depth = 0;
    for (; j < text.length; j++) {
      const ch = text[j];
      if (ch === '\\' && c === '"') { j++; continue; }
      if (ch === '\n' && depth === 0 && c === "'") break;
      if (c === '"' && ch === '$' && text[j + 1] === '{') { depth++; j++; continue; }
      if (depth > 0 && ch === '}') { depth--; continue; }
      if (ch === c && depth === 0) break;
      if (ch === '\n' && depth === 0 && c === '"') break; // unterminated: stop at the line end
    }
    return { start: i + 1, end: Math.min(j, text.length), quoted: true };
  }
  const heredoc = /^<<-?\s*([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/.exec(text.slice(i, i + 80));
  if (heredoc) {
    const bodyStart = i + heredoc[0].length;
    const end = new RegExp(`^[ \\t]*${heredoc[1]}[ \\t]*$`, 'm');
    const rest = text.slice(bodyStart);
    const m = end.exec(rest);
    const bodyEnd = m ? bodyStart + m.index : text.length;
    return { start: bodyStart, end: Math.max(bodyStart, bodyEnd - 1), quoted: true };
  }
  const block = /^[|>][+-]?[0-9]?[ \t]*(#.*)?\r?\n/.exec(text.slice(i, i + 40));
  if (block) {
    const bodyStart = i + block[0].length;
    let j = bodyStart;
    let end = bodyStart;
    while (j < text.length) {
      const nl = text.indexOf('\n', j);
      const line = text.slice(j, nl < 0 ? text.length : nl);
      const indent = /^[ \t]*/.exec(line)![0].length;
      if (line.trim() !== '' && indent <= lineIndent) break;
      end = nl < 0 ? text.length : nl;
      if (nl < 0) break;
      j = nl + 1;
    }
    return { start: bodyStart, end, quoted: true };
  }
  let j = i;
  // A plain value ends at the line end, a closing bracket, a quote that closes an enclosing string,
  // and for `key=value` pairs (connection strings) at the next `;`.
  const stop = sep === '=' ? /[\r\n,}\]";]/ : /[\r\n,}\]]/;
  while (j < text.length && !stop.test(text[j]!) && !(text[j] === '#' && /\s/.test(text[j - 1] ?? ''))) j++;
  let end = j;
  while (end > i && /\s/.test(text[end - 1]!)) end--;
  return { start: i, end, quoted: false };
}

function lineIndentAt(text: string, i: number): number {
  const ls = text.lastIndexOf('\n', i - 1) + 1;
  return /^[ \t]*/.exec(text.slice(ls, ls + 200))![0].length;
}

function addValue(text: string, hits: Hit[], v: { start: number; end: number; quoted: boolean } | undefined): void {
  if (!v || v.end <= v.start) return;
  const raw = text.slice(v.start, v.end);
  if (!isLiteral(raw)) return;
  // A PEM block is redacted by privateKeys(), which keeps its BEGIN/END lines readable.
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY/.test(raw)) return;
  if (v.quoted && /^\$\{[^}]*\}$/.test(raw.trim())) return;
  hits.push({ start: v.start, end: v.end });
}

// ---------------------------------------------------------------- detectors

const TOKEN_PATTERNS: { re: RegExp; group?: number; literal?: boolean }[] = [
  { re: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b/g },
  { re: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}/g },
  { re: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  { re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { re: /\bAIza[0-9A-Za-z_-]{35}/g },
  { re: /\b(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{16,}/g },
  { re: /\bsk-(?:proj-|ant-|svcacct-)?[A-Za-z0-9_-]{20,}/g },
  { re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/'"]+:([^\s@/'"]+)@/gi, group: 1, literal: true },
  { re: /(?:^|[;\s"'])(?:password|pwd|passwd|pass)\s*=\s*([^;'"\s][^;'"\r\n]*)/gim, group: 1, literal: true },
  { re: /(?:AccountKey|SharedAccessKey|SharedAccessSignature|sig|client_secret|access_token)=([A-Za-z0-9+/=%._-]{12,})/g, group: 1 },
  { re: /\b(?:Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{16,})/g, group: 1 },
];

function privateKeys(text: string, hits: Hit[]): void {
  const begin = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----/g;
  for (const m of text.matchAll(begin)) {
    let bodyStart = m.index! + m[0].length;
    while (text[bodyStart] === '\r' || text[bodyStart] === '\n') bodyStart++;
    let endIdx = text.indexOf('-----END', bodyStart);
    while (endIdx > bodyStart && (text[endIdx - 1] === '\n' || text[endIdx - 1] === '\r')) endIdx--;
    if (endIdx >= 0 && endIdx - bodyStart < 64 * 1024) { hits.push({ start: bodyStart, end: endIdx }); continue; }
    // No footer (a truncated key): everything that looks like key material.
    let j = bodyStart;
    const re = /[A-Za-z0-9+/=\s\\:,-]/;
    while (j < text.length && re.test(text[j]!)) j++;
    hits.push({ start: bodyStart, end: j });
  }
}

function tokenPatterns(text: string, hits: Hit[]): void {
  for (const p of TOKEN_PATTERNS) {
    for (const m of text.matchAll(p.re)) {
      const g = p.group ? m[p.group] : m[0];
      if (!g) continue;
      const start = m.index! + m[0].lastIndexOf(g);
      if (p.literal && !isLiteral(g)) continue;
      if (/^\$\{/.test(g)) continue;
      hits.push({ start, end: start + g.length });
    }
  }
}

const ASSIGNMENT = /(^|[\s{,(;])(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2[ \t]*(=|:)[ \t]*/gm;

function namedValues(text: string, hits: Hit[]): void {
  for (const m of text.matchAll(ASSIGNMENT)) {
    const name = m[3]!;
    if (!isSensitiveName(name)) continue;
    const at = m.index! + m[0].length;
    if (m[4] === '=' && (text[at] === '=' || text[at] === '>')) continue; // a comparison, a `for` arrow
    const v = readValue(text, at, lineIndentAt(text, m.index! + m[1]!.length), m[4]);
    // `name = expression` in HCL (spaced): an unquoted value is a reference, a call or a type, not
    // a literal. Shell-style NAME=value (no spaces) is a literal and stays redacted.
    if (v && !v.quoted && m[4] === '=' && /[ \t]=|=[ \t]/.test(m[0]) && /^([A-Za-z_][\w.[\]"*-]*|[([{<].*)$/.test(text.slice(v.start, v.end))) continue;
    addValue(text, hits, v);
  }
}

/** `name: DB_PASSWORD` followed by `value: ...` (Kubernetes env, Terraform env blocks, ECS JSON). */
function nameValuePairs(text: string, hits: Hit[]): void {
  const re = /(["']?)name\1\s*[:=]\s*["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?/g;
  for (const m of text.matchAll(re)) {
    if (!isSensitiveName(m[2]!)) continue;
    const from = m.index! + m[0].length;
    const window = text.slice(from, from + 400);
    const v = /(["']?)value\1\s*[:=]\s*/.exec(window);
    if (!v) continue;
    const beforeValue = window.slice(0, v.index);
    if (/\bname\s*[:=]/.test(beforeValue)) continue; // the value belongs to another name
    const at = from + v.index + v[0].length;
    addValue(text, hits, readValue(text, at, lineIndentAt(text, from + v.index)));
  }
}

/** Every value under `data:` / `stringData:` of a Kubernetes Secret, whatever its key. */
function kubernetesSecretData(text: string, hits: Hit[]): void {
  const docs: { start: number; end: number }[] = [];
  let start = 0;
  for (const m of text.matchAll(/^---.*$/gm)) { docs.push({ start, end: m.index! }); start = m.index! + m[0].length; }
  docs.push({ start, end: text.length });
  for (const d of docs) {
    const doc = text.slice(d.start, d.end);
    if (!/^\s*kind:\s*["']?Secret["']?\s*$/m.test(doc)) continue;
    for (const m of doc.matchAll(/^([ \t]*)(data|stringData):[ \t]*(#.*)?$/gm)) {
      const indent = m[1]!.length;
      let j = d.start + m.index! + m[0].length + 1;
      while (j < d.end) {
        const nl = text.indexOf('\n', j);
        const lineEnd = nl < 0 || nl > d.end ? d.end : nl;
        const line = text.slice(j, lineEnd);
        const li = /^[ \t]*/.exec(line)![0].length;
        if (line.trim() === '') { j = lineEnd + 1; continue; }
        if (li <= indent) break;
        const kv = /^[ \t]*["']?[^:#"']+["']?:[ \t]*/.exec(line);
        if (kv) {
          const v = readValue(text, j + kv[0].length, li);
          if (v && v.end > v.start) {
            hits.push({ start: v.start, end: v.end });
            const after = text.indexOf('\n', v.end);
            j = after < 0 ? d.end : Math.max(after + 1, lineEnd + 1);
            continue;
          }
        }
        j = lineEnd + 1;
      }
    }
  }
}

/** `data = { ... }` of a Terraform kubernetes_secret: every string inside. */
function terraformSecretData(text: string, hits: Hit[]): void {
  for (const m of text.matchAll(/resource\s+"kubernetes_secret(?:_v1)?"[^{]*\{/g)) {
    const from = m.index! + m[0].length;
    const next = text.indexOf('\nresource ', from);
    const body = text.slice(from, next < 0 ? text.length : next);
    for (const d of body.matchAll(/\b(?:data|binary_data)\s*=\s*\{/g)) {
      let depth = 1;
      let j = from + d.index! + d[0].length;
      const start = j;
      for (; j < text.length && depth > 0; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}') depth--;
      }
      const inner = text.slice(start, j - 1);
      for (const s of inner.matchAll(/[=:]\s*"((?:[^"\\\n]|\\.)*)"/g)) {
        const vs = start + s.index! + s[0].indexOf('"') + 1;
        if (s[1] && isLiteral(s[1])) hits.push({ start: vs, end: vs + s[1].length });
      }
    }
  }
}

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) { const p = n / s.length; h -= p * Math.log2(p); }
  return h;
}

/** Random-looking base64 or hex strings (an AWS secret access key, an API key) under any name. */
function highEntropy(text: string, hits: Hit[]): void {
  for (const m of text.matchAll(/[A-Za-z0-9+/=]{32,}/g)) {
    const t = m[0];
    const hex = /^[0-9a-fA-F]+$/.test(t);
    const digits = (t.match(/[0-9]/g) ?? []).length;
    const upper = (t.match(/[A-Z]/g) ?? []).length;
    const lower = (t.match(/[a-z]/g) ?? []).length;
    if (hex) { if (digits >= 4 && upper + lower >= 4) hits.push({ start: m.index!, end: m.index! + t.length }); continue; }
    if (digits < 2 || upper < 2 || lower < 2) continue;
    if (/[a-z]{8,}|[A-Z]{8,}/.test(t)) continue; // words: paths, ARNs, class names
    if (entropy(t) < 4) continue;
    hits.push({ start: m.index!, end: m.index! + t.length });
  }
}

// ---------------------------------------------------------------- redaction

export function findSecrets(text: string): Hit[] {
  const hits: Hit[] = [];
  privateKeys(text, hits);
  tokenPatterns(text, hits);
  namedValues(text, hits);
  nameValuePairs(text, hits);
  kubernetesSecretData(text, hits);
  terraformSecretData(text, hits);
  highEntropy(text, hits);
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Hit[] = [];
  for (const h of hits) {
    if (h.end <= h.start) continue;
    const last = merged[merged.length - 1];
    if (last && h.start <= last.end) last.end = Math.max(last.end, h.end);
    else merged.push({ ...h });
  }
  return merged;
}

const PLACEHOLDER = /__(SECRET|CTX)_(\d+)__/g;

/**
 * Redacts one piece of text. Placeholders are numbered from 1 within the piece (so that the same
 * resource always redacts to the same text), with `prefix` telling pieces apart.
 */
export function redact(text: string, prefix: 'SECRET' | 'CTX' = 'SECRET'): Redacted {
  const secrets = new Map<string, string>();
  const byValue = new Map<string, string>();
  // A placeholder that is already in the file would be "restored" into something else.
  let out = text.replace(PLACEHOLDER, '__$1_$2_LITERAL__');
  const hits = findSecrets(out);
  let result = '';
  let last = 0;
  for (const h of hits) {
    const value = out.slice(h.start, h.end);
    let ph = byValue.get(value);
    if (!ph) {
      ph = `__${prefix}_${byValue.size + 1}__`;
      byValue.set(value, ph);
      secrets.set(ph, value);
    }
    const newlines = (value.match(/\n/g) ?? []).length;
    result += out.slice(last, h.start) + ph + '\n'.repeat(newlines);
    last = h.end;
  }
  out = result + out.slice(last);
  return { text: out, secrets };
}

/** Puts the original values back (for what is shown or applied locally only). */
export function restore(text: string, secrets: ReadonlyMap<string, string>): string {
  return text.replace(/__(?:SECRET|CTX)_\d+__(\n*)/g, (m, pad: string) => {
    const ph = m.slice(0, m.length - pad.length);
    const v = secrets.get(ph);
    if (v === undefined) return m;
    const want = (v.match(/\n/g) ?? []).length;
    // The padding newlines that stood in for a multi-line value are part of the placeholder.
    return v + (pad.length >= want ? pad.slice(want) : pad);
  });
}

/** Placeholders in a text that the mapping does not know (an invented one must not reach a file). */
export function unknownPlaceholders(text: string, secrets: ReadonlyMap<string, string>): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[0]).filter((p) => !secrets.has(p));
}

/** Renumbers placeholders by first appearance: the cache key of a text must not depend on the secrets' values. */
export function normalizePlaceholders(text: string): string {
  const seen = new Map<string, string>();
  return text.replace(PLACEHOLDER, (m, kind: string) => {
    let v = seen.get(m);
    if (!v) { v = `__${kind}_${seen.size + 1}__`; seen.set(m, v); }
    return v;
  });
}
