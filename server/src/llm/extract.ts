import * as path from 'node:path';
import type { K8sObject } from '../parse/kubernetes';
import { LineIndex } from '../parse/source';
import type { TfModule, TfResource } from '../parse/terraform';

/*
 * What a review sends: the resources of one file (whole lines, so that line numbers are the
 * file's), and only the context they reference: variables, locals, module calls, the resources
 * they point at and the resources that point at them. Never the whole workspace.
 */

export interface ReviewResource {
  address: string;
  /** 0-based, whole lines of the file. */
  startLine: number;
  endLine: number;
  text: string;
  context: { what: string; text: string }[];
}

const CONTEXT_ITEM_CHARS = 1500;
const CONTEXT_TOTAL_CHARS = 6000;
const CONTEXT_ITEMS = 8;

export function wholeLines(text: string, lines: LineIndex, startLine: number, endLine: number): string {
  const start = lines.lineStart(startLine);
  const end = endLine + 1 < lines.lineCount ? lines.lineStart(endLine + 1) - 1 : text.length;
  return text.slice(start, Math.max(start, end)).replace(/\r$/, '');
}

function cap(s: string): string {
  return s.length > CONTEXT_ITEM_CHARS ? `${s.slice(0, CONTEXT_ITEM_CHARS)}\n… (cut)` : s;
}

function addContext(list: ReviewResource['context'], what: string, text: string): void {
  if (list.length >= CONTEXT_ITEMS || list.some((c) => c.what === what)) return;
  const used = list.reduce((n, c) => n + c.text.length, 0);
  if (used + Math.min(text.length, CONTEXT_ITEM_CHARS) > CONTEXT_TOTAL_CHARS) return;
  list.push({ what, text: cap(text) });
}

const REF = /\b(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)/g;

export function terraformResources(mod: TfModule, file: string): ReviewResource[] {
  const all = [...mod.resources, ...mod.dataSources];
  const byAddress = new Map(all.map((r) => [r.localAddress, r]));
  const srcOf = (r: TfResource) => r.file.text.slice(r.span.start, r.span.end);
  const out: ReviewResource[] = [];
  for (const r of all) {
    if (r.file.path !== file || r.broken) continue;
    const f = r.file;
    const text = wholeLines(f.text, f.lines, r.span.startLine, r.span.endLine);
    const context: ReviewResource['context'] = [];
    for (const m of text.matchAll(/\bvar\.([A-Za-z_][A-Za-z0-9_-]*)/g)) {
      const v = mod.variables.get(m[1]!);
      if (v) addContext(context, `variable "${m[1]}" (${path.basename(v.file.path)})`, v.file.text.slice(v.span.start, v.span.end));
    }
    for (const m of text.matchAll(/\blocal\.([A-Za-z_][A-Za-z0-9_-]*)/g)) {
      const a = mod.locals.get(m[1]!);
      if (a) addContext(context, `local "${m[1]}" (${path.basename(a.file.path)})`, a.file.text.slice(a.span.start, a.span.end));
    }
    for (const m of text.matchAll(/\bmodule\.([A-Za-z_][A-Za-z0-9_-]*)/g)) {
      const call = mod.moduleCalls.find((c) => c.labels[0] === m[1]);
      if (call) addContext(context, `module "${m[1]}" (${path.basename(call.file.path)})`, call.file.text.slice(call.span.start, call.span.end));
    }
    for (const m of text.matchAll(REF)) {
      const addr = `${m[1] ?? ''}${m[2]}.${m[3]}`;
      const target = byAddress.get(addr);
      if (target && target !== r) addContext(context, `${addr} (referenced, ${path.basename(target.file.path)})`, srcOf(target));
    }
    const self = r.localAddress;
    for (const other of all) {
      if (other === r) continue;
      const src = srcOf(other);
      if (src.includes(`${self}.`) || src.includes(`${self}[`)) addContext(context, `${other.localAddress} (refers to this resource, ${path.basename(other.file.path)})`, src);
    }
    out.push({ address: r.address, startLine: r.span.startLine, endLine: r.span.endLine, text, context });
  }
  return out;
}

export function kubernetesResources(objects: readonly K8sObject[], fileText: string): ReviewResource[] {
  const lines = new LineIndex(fileText);
  const out: ReviewResource[] = [];
  const seen = new Map<string, number>();
  for (const o of objects) {
    if (o.broken) continue;
    const n = (seen.get(o.address) ?? 0) + 1;
    seen.set(o.address, n);
    const text = wholeLines(fileText, lines, o.span.startLine, o.span.endLine);
    const context: ReviewResource['context'] = [];
    if (o.name) {
      for (const other of objects) {
        if (other === o) continue;
        const src = wholeLines(fileText, lines, other.span.startLine, other.span.endLine);
        if (new RegExp(`:\\s*["']?${o.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*$`, 'm').test(src)) addContext(context, `${other.address} (names this object)`, src);
      }
    }
    out.push({ address: n > 1 ? `${o.address}#${n}` : o.address, startLine: o.span.startLine, endLine: o.span.endLine, text, context });
  }
  return out;
}
