/**
 * Kubernetes objects declared through the Terraform kubernetes provider (`kubernetes_deployment`,
 * `kubernetes_pod_v1`, ...) seen as Kubernetes manifests, so that the Kubernetes rules judge them
 * without a second implementation.
 *
 * The provider's schema is the Kubernetes API in snake_case, with repeated blocks for lists
 * (`container { ... } container { ... }`) and single blocks for objects (`security_context`). The
 * bridge builds the YAML-like tree (YMap/YSeq/YScalar) the rules read from the HCL blocks and the
 * evaluated attribute values; every node carries the span of the attribute or block it came from.
 *
 * Values that cannot be evaluated (variables without default, references to other resources)
 * become placeholder strings (`${var.p}`), which the Kubernetes rules already treat as unknown:
 * a boolean or number setting that is a string is `unknown`, string settings containing `${` are
 * passed over. The spans of those placeholders are kept so that a finding pointing at one can be
 * dropped as a last line of defence.
 */
import type { Expr, ObjectEntry } from './hcl';
import type { K8sContainer, K8sObject } from './kubernetes';
import type { Span } from './source';
import type { TfBlock, TfModule, TfResource } from './terraform';
import { Encoded, Ref, Unknown, isObject, type Value } from './values';
import { NO_BASE, at, items, mapGet, str, type YamlFile, type YMap, type YNode, type YPair, type YScalar, type YSeq } from './yaml';

interface KindInfo { kind: string; apiVersion: string; podSpec: string[] }

const POD: string[] = ['spec'];
const TEMPLATE: string[] = ['spec', 'template', 'spec'];

/** Workload resources: the Kubernetes rules check them. */
const WORKLOADS: Record<string, KindInfo> = {};
for (const [types, kind, apiVersion, podSpec] of [
  [['kubernetes_pod', 'kubernetes_pod_v1'], 'Pod', 'v1', POD],
  [['kubernetes_deployment', 'kubernetes_deployment_v1'], 'Deployment', 'apps/v1', TEMPLATE],
  [['kubernetes_stateful_set', 'kubernetes_stateful_set_v1'], 'StatefulSet', 'apps/v1', TEMPLATE],
  [['kubernetes_daemonset', 'kubernetes_daemon_set_v1'], 'DaemonSet', 'apps/v1', TEMPLATE],
  [['kubernetes_job', 'kubernetes_job_v1'], 'Job', 'batch/v1', TEMPLATE],
  [['kubernetes_cron_job', 'kubernetes_cron_job_v1'], 'CronJob', 'batch/v1', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
  [['kubernetes_replication_controller', 'kubernetes_replication_controller_v1'], 'ReplicationController', 'v1', TEMPLATE],
] as const) {
  for (const t of types) WORKLOADS[t] = { kind, apiVersion, podSpec: [...podSpec] };
}

/** Resources the rules only read as context (a LimitRange gives containers default resources). */
const CONTEXT: Record<string, KindInfo> = {
  kubernetes_limit_range: { kind: 'LimitRange', apiVersion: 'v1', podSpec: [] },
  kubernetes_limit_range_v1: { kind: 'LimitRange', apiVersion: 'v1', podSpec: [] },
};

/**
 * Kubernetes rules not run through the bridge: they judge a workload against other objects of
 * the scan that a Terraform module rarely holds (NetworkPolicies applied by charts or manifests).
 */
export const BRIDGE_EXCLUDED_RULES: ReadonlySet<string> = new Set(['k8s-workload-network-policy']);

export function isKubernetesWorkloadType(resourceType: string): boolean {
  return Object.prototype.hasOwnProperty.call(WORKLOADS, resourceType);
}

function kindInfo(resourceType: string): KindInfo | undefined {
  if (Object.prototype.hasOwnProperty.call(WORKLOADS, resourceType)) return WORKLOADS[resourceType];
  if (Object.prototype.hasOwnProperty.call(CONTEXT, resourceType)) return CONTEXT[resourceType];
  return undefined;
}

// ---------------------------------------------------------------- names

/** Blocks that repeat for a list, with the Kubernetes name of the list. */
const LIST_BLOCKS: Record<string, string> = {
  container: 'containers',
  init_container: 'initContainers',
  ephemeral_container: 'ephemeralContainers',
  volume: 'volumes',
  volume_mount: 'volumeMounts',
  volume_device: 'volumeDevices',
  volume_claim_template: 'volumeClaimTemplates',
  port: 'ports',
  env: 'env',
  env_from: 'envFrom',
  sysctl: 'sysctls',
  toleration: 'tolerations',
  host_aliases: 'hostAliases',
  image_pull_secrets: 'imagePullSecrets',
  readiness_gate: 'readinessGates',
  topology_spread_constraint: 'topologySpreadConstraints',
  match_expressions: 'matchExpressions',
  items: 'items',
  http_header: 'httpHeaders',
  option: 'options',
  limit: 'limits',
  sources: 'sources',
};

/** Names whose camelCase form is not the mechanical one. */
const NAMES: Record<string, string> = {
  host_pid: 'hostPID',
  host_ipc: 'hostIPC',
  ceph_fs: 'cephfs',
  run_as_username: 'runAsUserName',
  fs_group: 'fsGroup',
};

function camel(name: string): string {
  const fixed = NAMES[name];
  if (fixed) return fixed;
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Settings the provider types as booleans or integers but that may be written as strings. */
const BOOL_KEYS = new Set([
  'privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'runAsNonRoot', 'hostNetwork', 'hostPID', 'hostIPC',
  'automountServiceAccountToken', 'hostProcess', 'shareProcessNamespace', 'readOnly', 'enableServiceLinks',
]);
const NUM_KEYS = new Set(['runAsUser', 'runAsGroup', 'fsGroup', 'hostPort', 'containerPort']);

/** Settings whose mere presence some rules judge: an unknown value is left out (absent). */
const OMIT_WHEN_UNKNOWN = new Set(['user', 'role']);

// ---------------------------------------------------------------- the bridge

export interface BridgedObject {
  object: K8sObject;
  resource: TfResource;
  /** Workloads are checked; LimitRanges are only read by the rules. */
  checked: boolean;
  /** The namespace is set to a value that cannot be evaluated. */
  namespaceUnknown: boolean;
  /** Whether a span is exactly the span of a value that could not be evaluated. */
  isUnknownSpan(span: Span): boolean;
}

/** The Kubernetes objects of a module tree, converted once per scan of the module. */
export class TerraformKubernetesBridge {
  private readonly cache = new Map<TfResource, BridgedObject | undefined>();
  private all: BridgedObject[] | undefined;

  constructor(private readonly root: TfModule) {}

  /** The object a resource declares, if it is a Kubernetes resource the bridge reads. */
  objectFor(resource: TfResource): BridgedObject | undefined {
    if (this.cache.has(resource)) return this.cache.get(resource);
    const b = resource.kind === 'resource' && !resource.broken ? convertResource(resource) : undefined;
    this.cache.set(resource, b);
    return b;
  }

  /**
   * Every object of the module tree as the rules' `ctx.objects` for `target`. An object whose
   * namespace cannot be evaluated might be in any namespace: it is presented in the target's.
   */
  objectsFor(target: BridgedObject): K8sObject[] {
    if (!this.all) {
      this.all = [];
      for (const m of this.root.allModules()) {
        for (const r of m.resources) {
          if (!kindInfo(r.resourceType)) continue;
          const b = this.objectFor(r);
          if (b) this.all.push(b);
        }
      }
    }
    return this.all.map((b) => {
      if (b === target) return b.object;
      if (b.namespaceUnknown || target.namespaceUnknown) return { ...b.object, namespace: target.object.namespace };
      return b.object;
    });
  }
}

/** Converts one resource; undefined when its type is not one the bridge reads. */
export function convertResource(resource: TfResource): BridgedObject | undefined {
  const info = kindInfo(resource.resourceType);
  if (!info) return undefined;
  const conv = new Converter(resource);
  const header = resource.headerSpan;
  const pairs: YPair[] = [
    { key: 'apiVersion', keySpan: header, value: conv.scalar(info.apiVersion, header), span: header },
    { key: 'kind', keySpan: header, value: conv.scalar(info.kind, header), span: header },
  ];
  for (const type of ['metadata', 'spec']) {
    for (const b of resource.blocks(type)) pairs.push({ key: type, keySpan: b.headerSpan, value: conv.block(b, 0), span: b.span });
  }
  const root: YMap = { t: 'map', span: resource.span, pairs, flow: false };

  const meta = mapGet(root, 'metadata');
  const nameNode = mapGet(meta, 'name') ?? mapGet(meta, 'generateName');
  const name = nameNode && !conv.isUnknownSpan(nameNode.span) ? str(nameNode) : undefined;
  const nsNode = mapGet(meta, 'namespace');
  const nsRaw = str(nsNode);
  const namespaceUnknown = !!nsNode && conv.isUnknownSpan(nsNode.span);
  const namespace = nsRaw ?? 'default';

  const checked = isKubernetesWorkloadType(resource.resourceType);
  let podSpec: YMap | undefined;
  let podMeta: YMap | undefined;
  const containers: K8sContainer[] = [];
  if (checked) {
    const ps = at(root, ...info.podSpec);
    podSpec = ps?.t === 'map' ? ps : undefined;
    const pm = info.podSpec.length === 1 ? meta : at(root, ...info.podSpec.slice(0, -1), 'metadata');
    podMeta = pm?.t === 'map' ? pm : undefined;
    if (podSpec) {
      for (const ck of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
        for (const c of items(mapGet(podSpec, ck))) {
          if (c.t !== 'map') continue;
          const cn = mapGet(c, 'name');
          containers.push({ name: (cn && !conv.isUnknownSpan(cn.span) ? str(cn) : undefined) ?? '', kind: ck, node: c, pod: podSpec });
        }
      }
    }
  }

  const hcl = resource.file;
  const file: YamlFile = { path: hcl.path, text: hcl.text, lines: hcl.lines, documents: [], comments: [], hasErrors: false };
  const object: K8sObject = {
    apiVersion: info.apiVersion, kind: info.kind, name: name ?? resource.name, namespace, namespaceSet: nsRaw !== undefined,
    root, file, base: NO_BASE, span: resource.span, address: resource.address, broken: resource.broken,
    podSpec, podMeta, containers,
  };
  // A finding anchored at a name (the container's, when a setting is missing) is about the
  // container, not about the unknown name.
  return { object, resource, checked, namespaceUnknown, isUnknownSpan: (s) => conv.isUnknownSpan(s) && !conv.isNameSpan(s) };
}

const MAX_DEPTH = 64;
/** Evaluated values may share parts (locals used twice); expanding them into a tree is bounded. */
const MAX_NODES = 50_000;

class Converter {
  private readonly unknown = new Set<string>();
  private readonly names = new Set<string>();
  private nodes = 0;
  constructor(private readonly resource: TfResource) {}

  isUnknownSpan(s: Span): boolean { return this.unknown.has(`${s.start}:${s.end}`); }
  isNameSpan(s: Span): boolean { return this.names.has(`${s.start}:${s.end}`); }

  scalar(value: string | number | boolean | null, span: Span, raw?: string): YScalar {
    return { t: 'scalar', span, value, raw: raw ?? (typeof value === 'string' ? JSON.stringify(value) : String(value)), style: typeof value === 'string' ? 'double' : 'plain' };
  }

  block(b: TfBlock, depth: number): YMap {
    const pairs: YPair[] = [];
    if (depth > MAX_DEPTH) return { t: 'map', span: b.span, pairs, flow: false };
    for (const a of b.attributes()) {
      const key = camel(a.name);
      const node = this.value(a.value, a.hcl.expr, a.span, key, depth + 1);
      if (!node) continue;
      if (key === 'name') this.names.add(`${a.span.start}:${a.span.end}`);
      pairs.push({ key, keySpan: a.hcl.nameSpan, value: node, span: a.span });
    }
    const groups = new Map<string, TfBlock[]>();
    for (const c of b.blocks()) {
      let list = groups.get(c.type);
      if (!list) groups.set(c.type, (list = []));
      list.push(c);
    }
    for (const [type, list] of groups) {
      const listKey = Object.prototype.hasOwnProperty.call(LIST_BLOCKS, type) ? LIST_BLOCKS[type] : undefined;
      if (listKey) {
        const first = list[0]!, last = list[list.length - 1]!;
        const span = joinSpan(first.span, last.span);
        const seq: YSeq = { t: 'seq', span, items: list.map((c) => this.block(c, depth + 1)), flow: false };
        pairs.push({ key: listKey, keySpan: first.headerSpan, value: seq, span });
      } else {
        for (const c of list) pairs.push({ key: camel(type), keySpan: c.headerSpan, value: this.block(c, depth + 1), span: c.span });
      }
    }
    pairs.sort((x, y) => x.span.start - y.span.start);
    return { t: 'map', span: b.span, pairs, flow: false };
  }

  /** An evaluated value as a node; undefined leaves the setting out. */
  private value(v: Value, expr: Expr | undefined, span: Span, key: string, depth: number): YNode | undefined {
    if (v instanceof Unknown || v instanceof Ref || v instanceof Encoded || depth > MAX_DEPTH || ++this.nodes > MAX_NODES) {
      if (OMIT_WHEN_UNKNOWN.has(key)) return undefined;
      return this.placeholder(expr, span);
    }
    if (v === null) return this.scalar(null, span, 'null');
    if (Array.isArray(v)) {
      const tuple = expr?.t === 'tuple' && expr.items.length === v.length ? expr.items : undefined;
      const out: YNode[] = [];
      v.forEach((x, i) => {
        const e = tuple?.[i];
        const n = this.value(x, e, e?.span ?? span, key, depth + 1);
        if (n) out.push(n);
      });
      return { t: 'seq', span, items: out, flow: true };
    }
    if (isObject(v)) {
      const entries = new Map<string, ObjectEntry>();
      if (expr?.t === 'object') for (const e of expr.entries) if (e.keyName !== undefined) entries.set(e.keyName, e);
      const pairs: YPair[] = [];
      for (const [k, x] of Object.entries(v)) {
        const entry = entries.get(k);
        const s = entry?.span ?? span;
        // Keys of maps (labels, annotations, limits) are data, not schema names: kept as written.
        const n = this.value(x, entry?.value, s, k, depth + 1);
        if (n) pairs.push({ key: k, keySpan: entry?.key.span ?? s, value: n, span: s });
      }
      return { t: 'map', span, pairs, flow: true };
    }
    return this.scalar(coerce(key, v), span);
  }

  private placeholder(expr: Expr | undefined, span: Span): YScalar {
    const text = this.resource.file.text;
    let source = expr ? text.slice(expr.span.start, expr.span.end) : text.slice(span.start, span.end);
    // A template keeps its own interpolation: "${var.image}:latest".
    if (/^"[\s\S]*\$\{[\s\S]*"$/.test(source)) source = source.slice(1, -1);
    else source = `\${${source}}`;
    this.unknown.add(`${span.start}:${span.end}`);
    return { t: 'scalar', span, value: source, raw: source, style: 'plain' };
  }
}

function coerce(key: string, v: string | number | boolean): string | number | boolean {
  if (typeof v !== 'string') return v;
  if (BOOL_KEYS.has(key)) {
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  if (NUM_KEYS.has(key) && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return v;
}

function joinSpan(a: Span, b: Span): Span {
  return { start: a.start, end: b.end, startLine: a.startLine, startCol: a.startCol, endLine: b.endLine, endCol: b.endCol };
}
