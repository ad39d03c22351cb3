import { blockOrigin, type HclBlock } from '../parse/hcl';
import { Ref } from '../parse/values';
import type { K8sObject } from '../parse/kubernetes';
import { BRIDGE_EXCLUDED_RULES, TerraformKubernetesBridge, isKubernetesWorkloadType, type BridgedObject } from '../parse/kubernetes-terraform';
import { shiftSpan, type Span } from '../parse/source';
import { TfAttribute, TfBlock, type TfModule, type TfResource } from '../parse/terraform';
import type { ChunkBase, YNode, YPair } from '../parse/yaml';
import type { KubernetesRule, Rule, TerraformRule } from './rule';
import { isSuppressed, parseDirectives, type CommentLine } from './suppress';
import type { RampartConfig } from './config';
import type { Finding, Note, Severity } from './types';

export interface RuleFailure { ruleId: string; message: string }

/**
 * Rule results of the editor's previous run, so that a keystroke re-runs rules only where the
 * edit can matter. A result is reused when the resource's text did not change, the rule did not
 * look at the rest of the module (ctx.module), and nothing the evaluation can reach changed:
 * no variable, local, data source, module call, output, provider or tfvars file.
 */
export class TerraformResultCache {
  private results = new WeakMap<HclBlock, Map<string, Map<string, CachedResult>>>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  private context = '';
  private typeCounts = new Map<string, number>();
  /** Resource types with a new, edited or removed resource in this run. */
  private changedTypes = new Set<string>();
  /** Rule invocations run and reused by the last run, for tests and tracing. */
  stats = { ran: 0, reused: 0 };

  private known(o: object): boolean {
    if (this.ids.has(o)) return true;
    const origin = blockOrigin.get(o as HclBlock);
    return !!origin && this.ids.has(origin.from);
  }

  private idOf(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) {
      const origin = blockOrigin.get(o as HclBlock);
      id = origin ? this.ids.get(origin.from) : undefined;
      if (id === undefined) id = this.nextId++;
      this.ids.set(o, id);
    }
    return id;
  }

  /** Starts a run: drops every result when the module's context changed, and notes what changed. */
  begin(root: TfModule): void {
    const parts: string[] = [];
    const counts = new Map<string, number>();
    this.changedTypes = new Set();
    for (const m of root.allModules()) {
      parts.push(m.prefix);
      for (const f of [...m.files, ...m.tfvarsFiles]) {
        parts.push(f.path, ...f.blocks.filter((b) => b.type !== 'resource').map((b) => String(this.idOf(b))));
        if (f.attributes.size) parts.push(`vars:${this.idOf(f)}`);
      }
      for (const r of m.resources) {
        const t = r.resourceType;
        counts.set(t, (counts.get(t) ?? 0) + 1);
        if (!this.known(r.hcl)) this.changedTypes.add(t);
        this.idOf(r.hcl);
      }
    }
    for (const t of new Set([...counts.keys(), ...this.typeCounts.keys()])) {
      if (counts.get(t) !== this.typeCounts.get(t)) this.changedTypes.add(t); // a resource appeared or went away
    }
    this.typeCounts = counts;
    const context = parts.join(' ');
    if (context !== this.context) this.results = new WeakMap();
    this.context = context;
    this.stats = { ran: 0, reused: 0 };
  }

  /**
   * Earlier findings of a rule on this resource block, moved to where the block is now, if they
   * still hold: the block is unchanged and no resource of a type the rule looked up changed. The
   * key includes the module prefix: one block of a local module is one resource per module call.
   */
  get(block: HclBlock, prefix: string, ruleId: string): Finding[] | undefined {
    let entry = this.results.get(block)?.get(prefix)?.get(ruleId);
    const origin = entry ? undefined : blockOrigin.get(block);
    if (origin) entry = this.results.get(origin.from)?.get(prefix)?.get(ruleId);
    if (!entry) return undefined;
    if (entry.deps === 'all') return undefined;
    if (entry.deps !== 'none') for (const t of entry.deps) if (this.changedTypes.has(t)) return undefined;
    if (!origin) return entry.findings;
    // Carried over to the block as it is now, so that the next keystroke finds it again.
    const moved = entry.findings.length ? { findings: entry.findings.map((f) => moveFinding(f, origin.dOff, origin.dLine)), deps: entry.deps } : entry;
    this.entries(block, prefix).set(ruleId, moved);
    return moved.findings;
  }

  set(block: HclBlock, prefix: string, ruleId: string, findings: Finding[], deps: CachedResult['deps']): void {
    // Findings that point outside their own resource cannot follow it when it moves.
    if (findings.some((f) => !selfContained(f))) deps = 'all';
    this.entries(block, prefix).set(ruleId, { findings, deps });
  }

  /** Results by module prefix (one block of a local module is one resource per call), then by rule. */
  private entries(block: HclBlock, prefix: string): Map<string, CachedResult> {
    let byPrefix = this.results.get(block);
    if (!byPrefix) this.results.set(block, (byPrefix = new Map()));
    let m = byPrefix.get(prefix);
    if (!m) byPrefix.set(prefix, (m = new Map()));
    return m;
  }
}

/**
 * Kubernetes rule results of the editor's previous run, per object: reused while the object's
 * document did not change and the rule did not look at the other objects (ctx.objects).
 */
export class KubernetesResultCache {
  private results = new WeakMap<YNode, Map<string, Finding[]>>();
  stats = { ran: 0, reused: 0 };

  /** Nodes keep their spans when an edit elsewhere moves their document (see YDocument.base). */
  get(root: YNode, ruleId: string): Finding[] | undefined {
    return this.results.get(root)?.get(ruleId);
  }

  set(root: YNode, ruleId: string, findings: Finding[]): void {
    if (findings.some((f) => !selfContained(f))) return;
    let m = this.results.get(root);
    if (!m) this.results.set(root, (m = new Map()));
    m.set(ruleId, findings);
  }
}

/** Findings relative to a chunk, placed in the file; the placement is kept while the chunk stays put. */
const placed = new WeakMap<readonly Finding[], { base: ChunkBase; findings: Finding[] }>();

function placeFindings(local: Finding[], base: ChunkBase): Finding[] {
  if (base.start === 0 && base.line === 0) return local;
  const known = placed.get(local);
  if (known && known.base.start === base.start && known.base.line === base.line) return known.findings;
  const findings = local.map((f) => moveFinding(f, base.start, base.line));
  placed.set(local, { base, findings });
  return findings;
}

interface CachedResult {
  findings: Finding[];
  /** What else the rule read: nothing, resources of these types, or anything at all. */
  deps: 'none' | 'all' | Set<string>;
}

function selfContained(f: Finding): boolean {
  const r = f.resourceSpan;
  const inside = (start: number, end: number) => start >= r.start && end <= r.end + 1;
  return !f.related?.length && inside(f.span.start, f.span.end) && (f.fix?.edits ?? []).every((e) => e.file === f.file && inside(e.start, e.end));
}

/**
 * The module as a rule sees it, recording what the rule looks up: resources by type (and by
 * reference or address), or "all" for anything broader.
 */
function recordingModule(m: TfModule, deps: { types: Set<string>; all: boolean }): TfModule {
  const typeOf = (address: string) => (address.startsWith('data.') ? address.split('.').slice(0, 2).join('.') : address.split('.')[0]!);
  return new Proxy(m, {
    get(target, prop) {
      switch (prop) {
        case 'resourcesOfType': return (t: string) => { deps.types.add(t); return target.resourcesOfType(t); };
        case 'referencing': return (res: TfResource, t: string, a: string, names?: string[]) => { deps.types.add(t); return target.referencing(res, t, a, names); };
        case 'resource': return (address: string) => { deps.types.add(typeOf(address)); return target.resource(address); };
        case 'resolve': return (v: Parameters<TfModule['resolve']>[0]) => {
          const r = target.resolve(v);
          if (r) deps.types.add(r.kind === 'data' ? `data.${r.resourceType}` : r.resourceType);
          else if (v instanceof Ref) deps.types.add(v.parts[0] === 'data' ? `data.${v.parts[1]}` : v.parts[0]!); // not declared (yet)
          return r;
        };
        case 'prefix': case 'dir': case 'variables': case 'locals': case 'outputs': case 'moduleCalls': case 'providers': case 'scope':
          return Reflect.get(target, prop, target); // context: any change to it drops every result
        default: {
          deps.all = true;
          const v = Reflect.get(target, prop, target);
          return typeof v === 'function' ? v.bind(target) : v;
        }
      }
    },
  });
}

function moveFinding(f: Finding, d: number, l: number): Finding {
  const out: Finding = { ...f, span: shiftSpan(f.span, d, l), resourceSpan: shiftSpan(f.resourceSpan, d, l) };
  if (f.fix) out.fix = { title: f.fix.title, edits: f.fix.edits.map((e) => (e.file === f.file ? { ...e, start: e.start + d, end: e.end + d } : e)) };
  if (f.related) out.related = f.related.map((r) => (r.file === f.file ? { ...r, span: shiftSpan(r.span, d, l) } : r));
  return out;
}

/** The rules in force for one scan or one editor session, with the configuration applied. */
export class RuleSet {
  readonly rules: Rule[];
  private readonly byResource = new Map<string, TerraformRule[]>();
  private readonly kubernetes: KubernetesRule[] = [];
  private readonly byId = new Map<string, Rule>();
  /** Rules that threw: reported once, then skipped. */
  readonly failures = new Map<string, RuleFailure>();

  constructor(all: readonly Rule[], private readonly config: Pick<RampartConfig, 'disabledRules' | 'enabledOnly' | 'severityOverrides'>) {
    const disabled = new Set(config.disabledRules.map((s) => s.toLowerCase()));
    const only = config.enabledOnly?.length ? new Set(config.enabledOnly.map((s) => s.toLowerCase())) : undefined;
    this.rules = all.filter((r) => !disabled.has(r.id.toLowerCase()) && (!only || only.has(r.id.toLowerCase())));
    for (const r of this.rules) {
      this.byId.set(r.id, r);
      if (r.target === 'terraform') {
        for (const t of r.resources) {
          let list = this.byResource.get(t);
          if (!list) this.byResource.set(t, (list = []));
          list.push(r);
        }
      } else this.kubernetes.push(r);
    }
  }

  rule(id: string): Rule | undefined { return this.byId.get(id); }
  severityOf(rule: Rule): Severity { return this.config.severityOverrides[rule.id] ?? rule.severity; }
  terraformRulesFor(resource: TfResource): TerraformRule[] {
    const key = resource.kind === 'data' ? `data.${resource.resourceType}` : resource.kind === 'provider' ? `provider.${resource.resourceType}` : resource.resourceType;
    return this.byResource.get(key) ?? [];
  }
  get kubernetesRules(): readonly KubernetesRule[] { return this.kubernetes; }

  private fail(rule: Rule, e: unknown, notes: Note[], file: string): void {
    if (this.failures.has(rule.id)) return;
    const message = e instanceof Error ? e.message : String(e);
    this.failures.set(rule.id, { ruleId: rule.id, message });
    notes.push({ file, level: 'error', message: `rule ${rule.id} failed and was skipped: ${message}` });
  }

  /** Runs the Terraform rules on every resource of a module and its local child modules. */
  runTerraform(root: TfModule, notes: Note[], filter?: (r: TfResource) => boolean, cache?: TerraformResultCache): { findings: Finding[]; suppressed: number } {
    cache?.begin(root);
    const findings: Finding[] = [];
    let suppressed = 0;
    const directiveCache = new Map<string, { d: ReturnType<typeof parseDirectives>; lines: Set<number> }>();
    const directivesOf = (file: TfResource['file']) => {
      let cached = directiveCache.get(file.path);
      if (!cached) directiveCache.set(file.path, (cached = { d: parseDirectives(file.comments), lines: new Set(file.comments.map((c) => c.line)) }));
      return cached;
    };
    let bridge: TerraformKubernetesBridge | undefined;
    for (const m of root.allModules()) {
      for (const resource of [...m.resources, ...m.dataSources, ...m.providerBlocks]) {
        if (resource.broken || (filter && !filter(resource))) continue;
        if (resource.kind === 'resource' && isKubernetesWorkloadType(resource.resourceType) && this.kubernetes.length) {
          // kubernetes_deployment & co: the Kubernetes rules judge the object the resource declares.
          bridge ??= new TerraformKubernetesBridge(root);
          const obj = bridge.objectFor(resource);
          if (obj?.checked) {
            const { d, lines } = directivesOf(resource.file);
            const r = this.runBridged(obj, bridge, d, lines, notes);
            for (const f of r.findings) findings.push(f);
            suppressed += r.suppressed;
          }
        }
        const rules = this.terraformRulesFor(resource);
        if (rules.length === 0) continue;
        for (const rule of rules) {
          if (this.failures.has(rule.id)) continue;
          let local = cache?.get(resource.hcl, m.prefix, rule.id);
          if (local) cache!.stats.reused++;
          else {
            const found: Finding[] = [];
            let usedModule = false;
            const deps = { types: new Set<string>(), all: false };
            let view: TfModule | undefined;
            const ctx = {
              get module() { usedModule = true; return (view ??= cache ? recordingModule(m, deps) : m); },
              report: (r: { at: TfAttribute | TfBlock | Span; message: string; fix?: Finding['fix']; related?: Finding['related'] }) => {
                found.push(this.terraformFinding(rule, resource, r));
              },
            };
            try {
              rule.check(resource, ctx);
            } catch (e) {
              this.fail(rule, e, notes, resource.file.path);
              continue;
            }
            local = found;
            if (cache) {
              cache.stats.ran++;
              cache.set(resource.hcl, m.prefix, rule.id, found, !usedModule ? 'none' : deps.all ? 'all' : deps.types);
            }
          }
          const { d, lines } = directivesOf(resource.file);
          for (const f of local) {
            if (isSuppressed(f, rule, d, lines)) suppressed++;
            else findings.push(f);
          }
        }
      }
    }
    return { findings, suppressed };
  }

  private terraformFinding(rule: TerraformRule, resource: TfResource, r: { at: TfAttribute | TfBlock | Span; message: string; fix?: Finding['fix']; related?: Finding['related'] }): Finding {
    let span: Span;
    let file = resource.file.path;
    let resourceSpan = resource.span;
    if (r.at instanceof TfAttribute) { span = r.at.span; file = r.at.file.path; }
    else if (r.at instanceof TfBlock) { span = r.at.headerSpan; file = r.at.file.path; }
    else span = r.at;
    if (file !== resource.file.path && (r.at instanceof TfAttribute || r.at instanceof TfBlock)) {
      // Pointing into another file: the "resource" there is the top-level block holding the spot.
      const at = span;
      resourceSpan = r.at.file.blocks.find((b) => b.span.start <= at.start && at.end <= b.span.end)?.span ?? span;
    }
    const f: Finding = {
      ruleId: rule.id, severity: this.severityOf(rule), title: rule.title, message: r.message,
      file, span, address: resource.address, resourceSpan, origin: 'rule',
    };
    if (r.fix) f.fix = r.fix;
    if (r.related?.length) f.related = r.related;
    return f;
  }

  /**
   * Runs the Kubernetes rules on an object declared by a Terraform resource. Findings point at the
   * .tf file with the resource's address; YAML fixes do not apply to HCL and are left out.
   */
  private runBridged(b: BridgedObject, bridge: TerraformKubernetesBridge, directives: ReturnType<typeof parseDirectives>, commentLines: ReadonlySet<number>, notes: Note[]): { findings: Finding[]; suppressed: number } {
    const findings: Finding[] = [];
    let suppressed = 0;
    const obj = b.object;
    const skips = annotationSkips(obj);
    let objects: K8sObject[] | undefined;
    for (const rule of this.kubernetes) {
      if (this.failures.has(rule.id) || BRIDGE_EXCLUDED_RULES.has(rule.id)) continue;
      if (rule.kinds && !rule.kinds.includes(obj.kind)) continue;
      const local: Finding[] = [];
      try {
        rule.check(obj, {
          objects: (objects ??= bridge.objectsFor(b)),
          objectsOfKind: (kind) => (objects ??= bridge.objectsFor(b)).filter((o) => o.kind === kind),
          report: (r) => {
            const f = this.kubernetesFinding(rule, obj, r);
            if (b.isUnknownSpan(f.span)) return; // never on a value that could not be evaluated
            delete f.fix;
            f.file = b.resource.file.path;
            f.address = b.resource.address;
            f.resourceSpan = b.resource.span;
            local.push(f);
          },
        });
      } catch (e) {
        this.fail(rule, e, notes, b.resource.file.path);
        continue;
      }
      for (const f of local) {
        const skipped = (rule.equivalents.checkov ?? []).some((id) => skips.has(id)) || skips.has(rule.id);
        if (skipped || isSuppressed(f, rule, directives, commentLines)) suppressed++;
        else findings.push(f);
      }
    }
    return { findings, suppressed };
  }

  /** Runs the Kubernetes rules on the objects of one file; `all` is every object of the scan. */
  runKubernetes(objects: readonly K8sObject[], all: readonly K8sObject[], comments: readonly CommentLine[], notes: Note[], cache?: KubernetesResultCache): { findings: Finding[]; suppressed: number } {
    if (cache) cache.stats = { ran: 0, reused: 0 };
    const findings: Finding[] = [];
    let suppressed = 0;
    const directives = parseDirectives(comments);
    const commentLines = new Set(comments.map((c) => c.line));
    let byKind: Map<string, K8sObject[]> | undefined;
    const objectsOfKind = (kind: string): readonly K8sObject[] => {
      if (!byKind) {
        byKind = new Map();
        for (const o of all) {
          const list = byKind.get(o.kind);
          if (list) list.push(o); else byKind.set(o.kind, [o]);
        }
      }
      return byKind.get(kind) ?? [];
    };
    for (const obj of objects) {
      if (obj.broken) continue;
      const skips = annotationSkips(obj);
      for (const rule of this.kubernetes) {
        if (this.failures.has(rule.id)) continue;
        if (rule.kinds && !rule.kinds.includes(obj.kind)) continue;
        let local = cache?.get(obj.root, rule.id);
        if (local) cache!.stats.reused++;
        else {
          const found: Finding[] = [];
          let usedObjects = false;
          try {
            rule.check(obj, {
              get objects() { usedObjects = true; return all; },
              objectsOfKind: (kind) => { usedObjects = true; return objectsOfKind(kind); },
              report: (r) => found.push(this.kubernetesFinding(rule, obj, r)),
            });
          } catch (e) {
            this.fail(rule, e, notes, obj.file.path);
            continue;
          }
          local = found;
          if (cache) {
            cache.stats.ran++;
            // Rules that read other objects (NetworkPolicy, LimitRange) run again every time.
            if (!usedObjects) cache.set(obj.root, rule.id, found);
          }
        }
        const skippedByAnnotation = skips.size > 0 && ((rule.equivalents.checkov ?? []).some((id) => skips.has(id)) || skips.has(rule.id));
        for (const f of placeFindings(local, obj.base)) {
          if (skippedByAnnotation || isSuppressed(f, rule, directives, commentLines)) suppressed++;
          else findings.push(f);
        }
      }
    }
    return { findings, suppressed };
  }

  private kubernetesFinding(rule: KubernetesRule, obj: K8sObject, r: { at: YNode | YPair | Span; message: string; fix?: Finding['fix']; related?: Finding['related'] }): Finding {
    const at = r.at;
    let span: Span;
    if ('t' in at) span = at.span;
    else if ('keySpan' in at) span = at.span;
    else span = at;
    const f: Finding = {
      ruleId: rule.id, severity: this.severityOf(rule), title: rule.title, message: r.message,
      file: obj.file.path, span, address: obj.address, resourceSpan: obj.root.span, origin: 'rule',
    };
    if (r.fix) f.fix = r.fix;
    if (r.related?.length) f.related = r.related;
    return f;
  }
}

/** Checkov's annotation form: `checkov.io/skip1: CKV_K8S_20=reason`; also `rampart.dev/ignore: id,id`. */
function annotationSkips(obj: K8sObject): Set<string> {
  const out = new Set<string>();
  const metas = [obj.root.pairs.find((p) => p.key === 'metadata')?.value, obj.podMeta];
  for (const meta of metas) {
    if (!meta || meta.t !== 'map') continue;
    const ann = meta.pairs.find((p) => p.key === 'annotations')?.value;
    if (!ann || ann.t !== 'map') continue;
    for (const p of ann.pairs) {
      const v = p.value && p.value.t === 'scalar' ? String(p.value.value ?? '') : '';
      if (/^checkov\.io\/skip\d*$/.test(p.key)) out.add(v.split('=')[0]!.trim());
      if (p.key === 'rampart.dev/ignore') for (const id of v.split(',')) out.add(id.trim());
    }
  }
  return out;
}
