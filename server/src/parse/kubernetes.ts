import { parseYaml, at, items, mapGet, str, type ChunkBase, type YamlFile, type YMap, type YNode } from './yaml';
import { shiftSpan, type Span } from './source';

export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface K8sContainer {
  name: string;
  kind: ContainerKind;
  node: YMap;
  /** The pod spec this container belongs to. */
  pod: YMap;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  /** True when the manifest names its namespace itself. */
  namespaceSet: boolean;
  root: YMap;
  /**
   * The text the object's nodes point into: the chunk of the file it was parsed from (see
   * YDocument), under the file's path. Node spans, and the findings and fixes made from them, are
   * relative to `base`; RuleSet.runKubernetes places findings in the file.
   */
  file: YamlFile;
  base: ChunkBase;
  /** Where the object is in the whole file. */
  span: Span;
  /** Kind.namespace.name */
  address: string;
  broken: boolean;
  /** The pod spec for workloads (Pod, Deployment, CronJob, ...), if any. */
  podSpec: YMap | undefined;
  /** The metadata of the pod template (or of the Pod itself). */
  podMeta: YMap | undefined;
  containers: K8sContainer[];
}

const POD_SPEC_PATHS: Record<string, (string)[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  PodTemplate: ['template', 'spec'],
};

export const WORKLOAD_KINDS = Object.keys(POD_SPEC_PATHS);

export interface K8sFile {
  file: YamlFile;
  objects: K8sObject[];
  /** Why the file was passed over, when it was. */
  skipped?: string;
}

const HELM_TEMPLATE = /\{\{[-\s]/;
const LOOKS_LIKE_K8S = /^\s*apiVersion\s*:/m;
const HAS_KIND = /^\s*kind\s*:/m;

/** Cheap test that avoids parsing YAML that cannot hold a Kubernetes object. */
export function mayHoldKubernetes(text: string): boolean {
  return LOOKS_LIKE_K8S.test(text) && HAS_KIND.test(text);
}

export function isHelmTemplate(text: string): boolean {
  return HELM_TEMPLATE.test(text) && /\{\{.*\}\}/.test(text);
}

const KIND_LINE = /^kind:\s*["']?([A-Za-z]+)/gm;

/** Files that only define CRDs (often megabytes of schema) hold nothing any rule reads. */
export function onlyCustomResourceDefinitions(text: string): boolean {
  let any = false;
  for (const m of text.matchAll(KIND_LINE)) {
    if (m[1] !== 'CustomResourceDefinition') return false;
    any = true;
  }
  return any;
}

export function parseKubernetes(path: string, text: string): K8sFile | undefined {
  if (!mayHoldKubernetes(text)) return undefined;
  return kubernetesFromYaml(parseYaml(path, text));
}

export function kubernetesFromYaml(file: YamlFile): K8sFile {
  const objects: K8sObject[] = [];
  for (const doc of file.documents) {
    if (!doc.root || doc.root.t !== 'map') continue;
    collect(doc.root, doc.view, doc.base, doc.broken, objects, 0);
  }
  return { file, objects };
}

function collect(root: YMap, file: YamlFile, base: ChunkBase, broken: boolean, out: K8sObject[], depth: number): void {
  const apiVersion = str(mapGet(root, 'apiVersion'));
  const kind = str(mapGet(root, 'kind'));
  if (!apiVersion || !kind) return;
  if (kind.endsWith('List') && depth === 0) {
    for (const it of items(mapGet(root, 'items'))) if (it.t === 'map') collect(it, file, base, broken, out, depth + 1);
    return;
  }
  const meta = mapGet(root, 'metadata');
  const name = str(mapGet(meta, 'name')) ?? str(mapGet(meta, 'generateName')) ?? '';
  const nsRaw = str(mapGet(meta, 'namespace'));
  const namespace = nsRaw ?? 'default';
  // Own properties only: a kind such as `constructor` or `toString` is data, not Object.prototype.
  const path = Object.hasOwn(POD_SPEC_PATHS, kind) ? POD_SPEC_PATHS[kind] : undefined;
  const podSpecNode = path ? at(root, ...path) : undefined;
  const podSpec = podSpecNode?.t === 'map' ? podSpecNode : undefined;
  const podMetaNode = path ? (path.length === 1 ? meta : at(root, ...path.slice(0, -1), 'metadata')) : undefined;
  const containers: K8sContainer[] = [];
  if (podSpec) {
    for (const ck of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
      for (const c of items(mapGet(podSpec, ck))) {
        if (c.t === 'map') containers.push({ name: str(mapGet(c, 'name')) ?? '', kind: ck, node: c, pod: podSpec });
      }
    }
  }
  out.push({
    apiVersion, kind, name, namespace, namespaceSet: nsRaw !== undefined, root, file, base, span: shiftSpan(root.span, base.start, base.line),
    address: `${kind}.${namespace}.${name}`, broken,
    podSpec, podMeta: podMetaNode?.t === 'map' ? podMetaNode : undefined, containers,
  });
}

export type { YNode };
