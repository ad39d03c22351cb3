import * as path from 'node:path';
import type { HclFile } from '../parse/hcl';
import { isHelmTemplate, kubernetesFromYaml, mayHoldKubernetes, type K8sObject } from '../parse/kubernetes';
import { loadRootModule, type ModuleLoadContext, type SourceProvider, type TfModule } from '../parse/terraform';
import { DiskProvider } from '../engine/scan';
import { KubernetesResultCache, TerraformResultCache, type RuleSet } from '../engine/run';
import type { Finding, Note } from '../engine/types';
import type { SourceDocument } from './documents';

/** Open documents' unsaved text over the disk. */
class OverlayProvider implements SourceProvider {
  constructor(
    private readonly open: ReadonlyMap<string, SourceDocument>,
    private readonly disk: DiskProvider,
    /** Directory listings kept between keystrokes; file events drop them (Analyzer.invalidate). */
    private readonly listings: Map<string, string[] | undefined>,
  ) {}
  readFile(abs: string): string | undefined {
    return this.open.get(abs)?.text ?? this.disk.readFile(abs);
  }
  listDir(abs: string): string[] | undefined {
    if (!this.listings.has(abs)) this.listings.set(abs, this.disk.listDir(abs));
    const names = new Set(this.listings.get(abs) ?? []);
    for (const p of this.open.keys()) if (path.dirname(p) === abs) names.add(path.basename(p));
    return names.size ? [...names] : undefined;
  }
}

export interface AnalysisResult {
  /** Findings by file path, for every file of the module (or the one YAML file). */
  byFile: Map<string, Finding[]>;
  notes: Note[];
  /** Files that took part (so that stale diagnostics on them can be cleared). */
  files: string[];
}

/**
 * Runs the engine for the editor. A Terraform document is judged with its module: the other
 * files come from disk (parsed once and cached until they change) or from their open editors.
 */
export class Analyzer {
  /** Parsed files by path; open documents replace their entry on every change. */
  private readonly parsed = new Map<string, HclFile | null>();
  /** Rule results per root module, reused for resources a keystroke did not touch. */
  private readonly results = new Map<string, TerraformResultCache>();
  private readonly k8sResults = new Map<string, KubernetesResultCache>();
  private readonly listings = new Map<string, string[] | undefined>();

  constructor(public ruleSet: RuleSet, public maxFileBytes: number, private readonly open: ReadonlyMap<string, SourceDocument>) {}

  /** A file on disk changed, appeared or went away. */
  invalidate(filePath: string): void {
    this.parsed.delete(filePath);
    this.listings.delete(path.dirname(filePath)); // it may have appeared or gone away
    // A changed file on disk may be read by file() from any module: start the results afresh.
    this.results.clear();
    this.k8sResults.clear();
  }

  invalidateAll(): void {
    this.parsed.clear();
    this.listings.clear();
    this.results.clear();
    this.k8sResults.clear();
  }

  /** How many rule runs the last Terraform analysis made and reused (for tests and tracing). */
  lastStats: { ran: number; reused: number } = { ran: 0, reused: 0 };

  /** The open documents over the disk, as the rules see them. */
  provider(notes: Note[] = []): SourceProvider {
    return new OverlayProvider(this.open, new DiskProvider(this.maxFileBytes, notes), this.listings);
  }

  /** Parsed files of the modules seen so far (shared with checks of patched text). */
  parsedFiles(): ReadonlyMap<string, HclFile | null> {
    return this.parsed;
  }

  /** The module of a Terraform document, with its unsaved siblings (for the LLM review). */
  loadModule(doc: SourceDocument, notes: Note[] = []): TfModule | undefined {
    this.refreshOpen(doc);
    return loadRootModule(path.dirname(doc.path), { provider: this.provider(notes), parsed: this.parsed, notes, maxDepth: 8 });
  }

  private refreshOpen(doc: SourceDocument): void {
    for (const d of this.open.values()) {
      if (d.kind !== 'terraform' && d.kind !== 'tfvars') continue;
      if (path.dirname(d.path) !== path.dirname(doc.path) && d !== doc) continue;
      const f = d.hcl();
      if (f) this.parsed.set(d.path, f);
    }
  }

  analyzeTerraform(doc: SourceDocument): AnalysisResult {
    const notes: Note[] = [];
    for (const d of this.open.values()) {
      if (d.kind !== 'terraform' && d.kind !== 'tfvars') continue;
      if (path.dirname(d.path) !== path.dirname(doc.path) && d !== doc) continue;
      const f = d.hcl();
      if (f) this.parsed.set(d.path, f);
    }
    const provider = this.provider(notes);
    const ctx: ModuleLoadContext = { provider, parsed: this.parsed, notes, maxDepth: 8 };
    const dir = path.dirname(doc.path);
    const mod = loadRootModule(dir, ctx);
    const byFile = new Map<string, Finding[]>();
    const files = new Set<string>([doc.path]);
    if (mod) {
      for (const m of mod.allModules()) for (const f of m.files) files.add(f.path);
      let cache = this.results.get(mod.dir);
      if (!cache) this.results.set(mod.dir, (cache = new TerraformResultCache()));
      const r = this.ruleSet.runTerraform(mod, notes, undefined, cache);
      this.lastStats = cache.stats;
      for (const f of r.findings) {
        let list = byFile.get(f.file);
        if (!list) byFile.set(f.file, (list = []));
        list.push(f);
      }
    }
    return { byFile, notes, files: [...files] };
  }

  analyzeYaml(doc: SourceDocument): AnalysisResult {
    const notes: Note[] = [];
    const byFile = new Map<string, Finding[]>();
    if (!mayHoldKubernetes(doc.text)) return { byFile, notes, files: [doc.path] };
    if (isHelmTemplate(doc.text)) {
      notes.push({ file: doc.path, level: 'info', message: 'Helm template: Rampart checks rendered manifests (helm template), not templates.' });
      return { byFile, notes, files: [doc.path] };
    }
    const file = doc.yaml();
    if (!file) return { byFile, notes, files: [doc.path] };
    if (file.skipped) {
      notes.push({ file: doc.path, level: 'warning', message: `${file.skipped}; the file was not checked` });
      return { byFile, notes, files: [doc.path] };
    }
    const k = kubernetesFromYaml(file);
    // NetworkPolicy-style rules see the other open manifests of the same directory.
    const siblings: K8sObject[] = [...k.objects];
    for (const d of this.open.values()) {
      if (d === doc || d.kind !== 'yaml' || path.dirname(d.path) !== path.dirname(doc.path) || !mayHoldKubernetes(d.text)) continue;
      const y = d.yaml();
      if (y) siblings.push(...kubernetesFromYaml(y).objects);
    }
    let cache = this.k8sResults.get(doc.path);
    if (!cache) this.k8sResults.set(doc.path, (cache = new KubernetesResultCache()));
    const r = this.ruleSet.runKubernetes(k.objects, siblings, file.comments, notes, cache);
    this.lastStats = cache.stats;
    if (r.findings.length) byFile.set(doc.path, r.findings);
    return { byFile, notes, files: [doc.path] };
  }
}
