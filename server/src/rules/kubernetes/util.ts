import { setYamlPath } from '../../engine/fix';
import type { K8sContainer, K8sObject } from '../../parse/kubernetes';
import { at, items, mapGet, mapPair, scalar, str, type YamlFile, type YMap, type YNode, type YPair, type YSeq } from '../../parse/yaml';
import type { TextEdit } from '../../engine/types';

/** A container's securityContext setting, falling back to the pod's where Kubernetes does. */
export function securityValue(c: K8sContainer, key: string, podFallback = false): { value: unknown; node: YNode | null | undefined; fromPod: boolean } {
  // A securityContext that is not a mapping (a placeholder) makes every setting unknown.
  const sc = mapGet(c.node, 'securityContext');
  if (opaque(sc)) return { value: scalar(sc), node: sc, fromPod: false };
  const node = at(c.node, 'securityContext', key);
  if (node !== undefined && node !== null) return { value: scalar(node), node, fromPod: false };
  if (podFallback) {
    const psc = mapGet(c.pod, 'securityContext');
    if (opaque(psc)) return { value: scalar(psc), node: psc, fromPod: true };
    const pn = at(c.pod, 'securityContext', key);
    if (pn !== undefined && pn !== null) return { value: scalar(pn), node: pn, fromPod: true };
  }
  return { value: undefined, node: undefined, fromPod: false };
}

/** Present but neither a mapping nor null: a placeholder or a malformed value, i.e. unknown. */
export function opaque(n: YNode | null | undefined): n is YNode {
  return !!n && n.t !== 'map' && !(n.t === 'scalar' && n.value === null);
}

/** Whether the container's (or, with `pod`, the pod's) securityContext cannot be read. */
export function securityContextUnknown(c: K8sContainer, pod = false): boolean {
  return opaque(mapGet(c.node, 'securityContext')) || (pod && opaque(mapGet(c.pod, 'securityContext')));
}

/** Where a container-level finding points: the setting itself, else the container's name. */
export function containerAnchor(c: K8sContainer, ...path: string[]) {
  const node = path.length ? at(c.node, ...path) : undefined;
  if (node) return node;
  return mapPair(c.node, 'name') ?? c.node;
}

export function setContainerSecurity(obj: K8sObject, c: K8sContainer, key: string, valueText: string): TextEdit | undefined {
  return setYamlPath(obj.file, c.node, ['securityContext', key], valueText);
}

export function describe(obj: K8sObject, c: K8sContainer): string {
  const kind = c.kind === 'containers' ? 'container' : c.kind === 'initContainers' ? 'init container' : 'ephemeral container';
  return `${kind} "${c.name}" of ${obj.kind} ${obj.name}`;
}

export const podSpecOf = (obj: K8sObject): YMap | undefined => obj.podSpec;
export { mapGet, at, scalar, str, items, mapPair };

/** `Kind name` for messages. */
export const objName = (obj: K8sObject): string => `${obj.kind} ${obj.name}`;

/**
 * A string value that is substituted later (envsubst, kustomize vars, Helm leftovers):
 * its real value is unknown and never raises a finding.
 */
export function isPlaceholder(v: unknown): boolean {
  return typeof v === 'string' && /\$\{|\$\(|\{\{|^<.*>$|^\$[A-Z_]/.test(v);
}

/** A boolean-typed setting: `absent`, the boolean, or `unknown` for anything else (strings, maps). */
export function boolSetting(node: YNode | null | undefined): boolean | 'absent' | 'unknown' {
  if (node === undefined || node === null) return 'absent';
  const v = scalar(node);
  if (v === null) return 'absent';
  if (typeof v === 'boolean') return v;
  return 'unknown';
}

/** A number-typed setting: `absent`, the number, or `unknown`. */
export function numSetting(node: YNode | null | undefined): number | 'absent' | 'unknown' {
  if (node === undefined || node === null) return 'absent';
  const v = scalar(node);
  if (v === null) return 'absent';
  if (typeof v === 'number') return v;
  return 'unknown';
}

/** The effective (container, else pod) securityContext value of a key. */
export function effective(c: K8sContainer, key: string) {
  return securityValue(c, key, true);
}

/** Containers that run as part of the pod's normal life (no ephemeral debug containers). */
export const regularContainers = (obj: K8sObject): K8sContainer[] => obj.containers.filter((c) => c.kind !== 'ephemeralContainers');

/** Where a pod-level finding points: the setting, else the pod spec key. */
export function podAnchor(obj: K8sObject, ...path: string[]): YNode | YPair {
  const node = obj.podSpec && path.length ? at(obj.podSpec, ...path) : undefined;
  if (node) return node;
  return obj.podSpec ?? mapPair(obj.root, 'spec') ?? mapPair(obj.root, 'kind') ?? obj.root;
}

export function setPodSpec(obj: K8sObject, path: string[], valueText: string): TextEdit | undefined {
  return obj.podSpec ? setYamlPath(obj.file, obj.podSpec, path, valueText) : undefined;
}

/** The pod template's annotations (or the Pod's own). */
export function podAnnotations(obj: K8sObject): YMap | undefined {
  const a = mapGet(obj.podMeta, 'annotations');
  return a?.t === 'map' ? a : undefined;
}

export function labels(meta: YNode | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const l = mapGet(meta, 'labels');
  if (l?.t === 'map') for (const p of l.pairs) { const v = str(p.value); if (v !== undefined) out[p.key] = v; }
  return out;
}

/** Replaces a pair's value (whatever its style) by `text`, keeping the key: `add: []`. */
export function replacePairValue(file: YamlFile, pair: YPair, text: string): TextEdit {
  const end = pair.value ? pair.value.span.end : pair.span.end;
  return { file: file.path, start: pair.keySpan.end, end, newText: `: ${text}` };
}

export function seqOf(node: YNode | null | undefined): YSeq | undefined {
  return node?.t === 'seq' ? node : undefined;
}

/** The pod volumes. */
export function volumes(obj: K8sObject): YMap[] {
  return items(mapGet(obj.podSpec, 'volumes')).filter((v): v is YMap => v.t === 'map');
}

export const volumeName = (v: YMap): string => str(mapGet(v, 'name')) ?? '(unnamed)';

// ---------------------------------------------------------------- removal edits

/** The last line a span really occupies (a span ending at column 0 ends on the line before). */
function lastLineEnd(file: YamlFile, end: number): number {
  const pos = file.lines.positionAt(end);
  const line = pos.character === 0 && pos.line > 0 && end > 0 ? pos.line - 1 : pos.line;
  return line + 1 < file.lines.lineCount ? file.lines.lineStart(line + 1) : file.text.length;
}

const onlySpaceBefore = (file: YamlFile, offset: number): boolean =>
  /^[ \t]*$/.test(file.text.slice(file.lines.lineStart(file.lines.positionAt(offset).line), offset));

/** Removes one key of a mapping (block or flow), keeping the rest of the mapping valid. */
export function removeYamlPair(file: YamlFile, map: YMap, pair: YPair): TextEdit | undefined {
  const own = map.pairs.filter((p) => p.span.start >= map.span.start && p.span.end <= map.span.end).sort((a, b) => a.span.start - b.span.start);
  const i = own.indexOf(pair);
  if (i < 0) return undefined;
  if (map.flow) {
    const kept = own.filter((p) => p !== pair).map((p) => file.text.slice(p.span.start, p.span.end));
    return { file: file.path, start: map.span.start, end: map.span.end, newText: `{${kept.join(', ')}}` };
  }
  if (own.length === 1) return { file: file.path, start: map.span.start, end: map.span.end, newText: '{}' };
  const next = own[i + 1];
  if (!onlySpaceBefore(file, pair.keySpan.start)) {
    // `- hostPort: 80` (first key of a sequence item): pull the next key up.
    if (!next) return undefined;
    return { file: file.path, start: pair.keySpan.start, end: next.keySpan.start, newText: '' };
  }
  const start = file.lines.lineStart(file.lines.positionAt(pair.keySpan.start).line);
  const end = next ? file.lines.lineStart(file.lines.positionAt(next.keySpan.start).line) : lastLineEnd(file, pair.span.end);
  if (next && !onlySpaceBefore(file, next.keySpan.start)) return undefined;
  return { file: file.path, start, end, newText: '' };
}

/** Removes one item of a sequence, including multi-line block items. */
export function removeSeqItem(file: YamlFile, seq: YSeq, index: number): TextEdit | undefined {
  const item = seq.items[index];
  if (!item) return undefined;
  if (seq.flow) {
    const kept = seq.items.filter((_, j) => j !== index).map((x) => file.text.slice(x.span.start, x.span.end));
    return { file: file.path, start: seq.span.start, end: seq.span.end, newText: `[${kept.join(', ')}]` };
  }
  const dashOf = (n: YNode): number | undefined => {
    let k = n.span.start - 1;
    while (k >= 0 && /[ \t\r\n]/.test(file.text[k]!)) k--;
    return k >= 0 && file.text[k] === '-' && onlySpaceBefore(file, k) ? k : undefined;
  };
  const dash = dashOf(item);
  if (dash === undefined) return undefined;
  const start = file.lines.lineStart(file.lines.positionAt(dash).line);
  const nextItem = seq.items[index + 1];
  let end: number;
  if (nextItem) {
    const nd = dashOf(nextItem);
    if (nd === undefined) return undefined;
    end = file.lines.lineStart(file.lines.positionAt(nd).line);
  } else {
    end = lastLineEnd(file, item.span.end);
  }
  if (seq.items.length === 1) {
    // The only item: leave an explicit empty list instead of a dangling key.
    const keyLineEnd = start > 0 ? start - (file.text[start - 2] === '\r' ? 2 : 1) : 0;
    if (start > 0 && /:\s*$/.test(file.text.slice(file.lines.lineStart(file.lines.positionAt(keyLineEnd).line), keyLineEnd))) {
      const contentEnd = end > 0 && file.text[end - 1] === '\n' ? end - (file.text[end - 2] === '\r' ? 2 : 1) : end;
      return { file: file.path, start: keyLineEnd, end: contentEnd, newText: ' []' };
    }
  }
  return { file: file.path, start, end, newText: '' };
}

