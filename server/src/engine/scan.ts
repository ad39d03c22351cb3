import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParsers } from '../parse/treesitter';
import { isHelmTemplate, mayHoldKubernetes, onlyCustomResourceDefinitions, parseKubernetes, type K8sObject } from '../parse/kubernetes';
import { loadRootModule, localModuleDir, type ModuleLoadContext, type SourceProvider } from '../parse/terraform';
import type { YamlFile } from '../parse/yaml';
import type { RampartConfig } from './config';
import type { Rule } from './rule';
import { RuleSet } from './run';
import type { Finding, Note } from './types';
import { realpathOr, walk } from './walk';

/** One piece of scan work: a Terraform root module, or the YAML files of one directory. */
export type ScanUnit =
  | { kind: 'terraform'; dir: string; onlyFiles?: string[]; cost?: number }
  | { kind: 'yaml'; dir: string; files: string[]; cost?: number };

export interface UnitResult {
  findings: Finding[];
  suppressed: number;
  notes: Note[];
  files: number;
  bytes: number;
}

export interface ScanRequest {
  paths: string[];
  config: RampartConfig;
  rules: readonly Rule[];
  respectGitignore?: boolean;
  provider?: SourceProvider;
  isCancelled?: () => boolean;
  onProgress?: (done: number, total: number) => void;
  /** Parsed source kept between units (characters). */
  cacheChars?: number;
}

export interface ScanResult extends UnitResult {
  ruleSet: RuleSet;
  durationMs: number;
  cancelled: boolean;
}

const MB = 1024 * 1024;
const formatMB = (n: number) => `${(n / MB).toFixed(n < 10 * MB ? 1 : 0)} MB`;

/** Reads files from disk, passing over files that are too large, binary or unreadable. */
export class DiskProvider implements SourceProvider {
  bytesRead = 0;
  filesRead = 0;
  private readonly roots: string[] | undefined;
  /** With `roots`, a symlinked file is read only when it resolves inside one of them. */
  constructor(private readonly maxFileBytes: number, readonly notes: Note[], roots?: readonly string[]) {
    this.roots = roots?.map((r) => realpathOr(path.resolve(r)));
  }
  readFile(abs: string): string | undefined {
    let buf: Buffer;
    try {
      const st = fs.statSync(abs);
      if (!st.isFile()) return undefined;
      if (st.size > this.maxFileBytes) {
        this.notes.push({ file: abs, level: 'info', message: `skipped: ${formatMB(st.size)} is over the ${formatMB(this.maxFileBytes)} file size limit` });
        return undefined;
      }
      buf = fs.readFileSync(abs);
    } catch (e) {
      // A missing file is what file("...") of a generated path looks like: unknown, not an error.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      this.notes.push({ file: abs, level: 'error', message: `could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the scan went on without it` });
      return undefined;
    }
    return decodeSource(buf, abs, this.notes, () => { this.bytesRead += buf.length; this.filesRead++; });
  }
  listDir(abs: string): string[] | undefined {
    try {
      return fs.readdirSync(abs, { withFileTypes: true }).filter((e) => {
        if (e.isFile()) return true;
        if (!e.isSymbolicLink()) return false;
        if (!this.roots) return true;
        const target = realpathOr(path.join(abs, e.name));
        return this.roots.some((r) => target === r || target.startsWith(r + path.sep));
      }).map((e) => e.name);
    } catch {
      return undefined;
    }
  }
}


/** Text of a source file, or undefined (with a note) for binary content. */
export function decodeSource(buf: Buffer, file: string, notes: Note[], onRead?: () => void): string | undefined {
  if (buf.subarray(0, 8000).includes(0)) {
    notes.push({ file, level: 'info', message: 'skipped: binary content (NUL bytes)' });
    return undefined;
  }
  onRead?.();
  let text = buf.toString('utf8');
  // A BOM becomes a space of the same length, so that offsets still match the editor's.
  if (text.charCodeAt(0) === 0xfeff) text = ' ' + text.slice(1);
  return text;
}

const LOCAL_SOURCE = /\bsource\s*=\s*"(\.\.?\/[^"]*)"/g;

/**
 * Directories a Terraform file calls as local modules, read from its text without parsing it:
 * called directories are judged through their callers, with their inputs.
 */
function localCalls(dir: string, text: string): string[] {
  if (!text.includes('source')) return [];
  const out: string[] = [];
  for (const m of text.matchAll(LOCAL_SOURCE)) {
    const child = localModuleDir(dir, m[1]!);
    if (child && child !== dir) out.push(child);
  }
  return out;
}

/** Plans the units of a scan: every Terraform directory not called as a local module by another. */
export function planUnits(paths: string[], config: RampartConfig, notes: Note[], respectGitignore: boolean, isCancelled?: () => boolean): { units: ScanUnit[]; files: number } {
  const w = walk(paths, { exclude: config.exclude, respectGitignore, notes, isCancelled });
  const called = new Set<string>();
  const calls = new Map<string, string[]>();
  const ownBytes = new Map<string, number>();
  for (const dir of w.terraformDirs) {
    let names: string[] = [];
    try { names = fs.readdirSync(dir).filter((n) => n.endsWith('.tf')); } catch { /* reported by the loader */ }
    let bytes = 0;
    const children: string[] = [];
    for (const n of names) {
      let text: string;
      try {
        const st = fs.statSync(path.join(dir, n));
        if (st.size > config.maxFileBytes) continue;
        text = fs.readFileSync(path.join(dir, n), 'utf8');
      } catch { continue; }
      bytes += text.length;
      for (const child of localCalls(dir, text)) { called.add(child); children.push(child); }
    }
    ownBytes.set(dir, bytes);
    calls.set(dir, children);
  }
  // A unit's cost is the source it parses: its own files and the local modules it calls.
  const costOf = (dir: string): number => {
    const seen = new Set<string>();
    const stack = [dir];
    let total = 0;
    while (stack.length) {
      const d = stack.pop()!;
      if (seen.has(d) || seen.size > 200) continue;
      seen.add(d);
      total += ownBytes.get(d) ?? dirBytes(d);
      stack.push(...(calls.get(d) ?? []));
    }
    return total;
  };
  const units: ScanUnit[] = [];
  for (const dir of w.terraformDirs) {
    const only = w.walkedDirs.has(dir) ? undefined : w.onlyFiles.get(dir);
    if (called.has(dir) && !only) continue; // judged as a module of its caller, with its inputs
    units.push(only ? { kind: 'terraform', dir, onlyFiles: [...only], cost: costOf(dir) } : { kind: 'terraform', dir, cost: costOf(dir) });
  }
  const byDir = new Map<string, string[]>();
  for (const f of w.yamlFiles) {
    const d = path.dirname(f);
    let list = byDir.get(d);
    if (!list) byDir.set(d, (list = []));
    list.push(f);
  }
  for (const [dir, files] of byDir) units.push({ kind: 'yaml', dir, files, cost: files.reduce((n, f) => n + fileSize(f), 0) });
  // The most expensive units first, so that parallel workers finish together.
  units.sort((a, b) => (b.cost ?? 0) - (a.cost ?? 0));
  return { units, files: w.fileCount };
}

function fileSize(f: string): number {
  try { return fs.statSync(f).size; } catch { return 0; }
}

function dirBytes(dir: string): number {
  try { return fs.readdirSync(dir).filter((n) => n.endsWith('.tf')).reduce((n, f) => n + fileSize(path.join(dir, f)), 0); } catch { return 0; }
}

/** Runs the rules over planned units in this thread. */
export class UnitRunner {
  private readonly parsed = new Map<string, import('../parse/hcl').HclFile | null>();
  private parsedChars = 0;
  constructor(
    readonly ruleSet: RuleSet,
    private readonly maxFileBytes: number,
    private readonly makeProvider?: (notes: Note[]) => SourceProvider,
    /** Source characters kept parsed between units; the editor keeps less than the CLI. */
    private readonly cacheChars = 48 * MB,
    /** Symlinked files that resolve outside these folders are not read. */
    private readonly roots?: readonly string[],
  ) {}

  run(unit: ScanUnit): UnitResult {
    const notes: Note[] = [];
    const disk = new DiskProvider(this.maxFileBytes, notes, this.roots);
    const provider = this.makeProvider ? this.makeProvider(notes) : disk;
    const out: UnitResult = { findings: [], suppressed: 0, notes, files: 0, bytes: 0 };
    if (unit.kind === 'terraform') this.runTerraform(unit, provider, out);
    else this.runYaml(unit, provider, out);
    out.files += disk.filesRead;
    out.bytes += disk.bytesRead;
    return out;
  }

  private runTerraform(unit: Extract<ScanUnit, { kind: 'terraform' }>, provider: SourceProvider, out: UnitResult): void {
    // Parsed files are shared between root modules that call the same local modules; the cache
    // is dropped when it grows large so that memory stays flat on big trees.
    if (this.parsedChars > this.cacheChars) { this.parsed.clear(); this.parsedChars = 0; }
    const before = this.parsed.size;
    const ctx: ModuleLoadContext = { provider, parsed: this.parsed, notes: out.notes, maxDepth: 8 };
    const mod = loadRootModule(unit.dir, ctx);
    if (this.parsed.size !== before) {
      this.parsedChars = 0;
      for (const f of this.parsed.values()) this.parsedChars += f?.text.length ?? 0;
    }
    if (!mod) return;
    const only = unit.onlyFiles ? new Set(unit.onlyFiles) : undefined;
    const r = this.ruleSet.runTerraform(mod, out.notes, only ? (res) => only.has(res.file.path) : undefined);
    out.findings.push(...r.findings);
    out.suppressed += r.suppressed;
  }

  private runYaml(unit: Extract<ScanUnit, { kind: 'yaml' }>, provider: SourceProvider, out: UnitResult): void {
    const perFile: { objects: K8sObject[]; file: YamlFile }[] = [];
    for (const f of unit.files) {
      const text = provider.readFile(f);
      if (text === undefined) continue;
      if (!mayHoldKubernetes(text) || onlyCustomResourceDefinitions(text)) continue;
      if (isHelmTemplate(text)) {
        out.notes.push({ file: f, level: 'info', message: 'Helm template passed over: render it (helm template) to scan the manifests it produces' });
        continue;
      }
      try {
        const k = parseKubernetes(f, text);
        if (k && k.objects.length) perFile.push({ objects: k.objects, file: k.file });
      } catch (e) {
        out.notes.push({ file: f, level: 'error', message: `could not be parsed: ${(e as Error).message}` });
      }
    }
    const all = perFile.flatMap((p) => p.objects);
    for (const p of perFile) {
      const r = this.ruleSet.runKubernetes(p.objects, all, p.file.comments, out.notes);
      out.findings.push(...r.findings);
      out.suppressed += r.suppressed;
    }
  }
}

export function mergeUnitResult(into: UnitResult, r: UnitResult): void {
  into.findings.push(...r.findings);
  into.notes.push(...r.notes);
  into.suppressed += r.suppressed;
  into.files += r.files;
  into.bytes += r.bytes;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start - b.span.start || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)));
}

/** Scans paths in this thread. The CLI spreads units over worker threads with the same pieces. */
export async function scan(req: ScanRequest): Promise<ScanResult> {
  const started = Date.now();
  await initParsers();
  const notes: Note[] = [];
  const ruleSet = new RuleSet(req.rules, req.config);
  const { units } = planUnits(req.paths, req.config, notes, req.respectGitignore ?? true, req.isCancelled);
  const runner = new UnitRunner(ruleSet, req.config.maxFileBytes, req.provider ? () => req.provider! : undefined, req.cacheChars, req.paths);
  const total: UnitResult = { findings: [], suppressed: 0, notes, files: 0, bytes: 0 };
  let done = 0;
  let cancelled = false;
  for (const u of units) {
    if (req.isCancelled?.()) { cancelled = true; break; }
    mergeUnitResult(total, runner.run(u));
    req.onProgress?.(++done, units.length);
    // Yield so that a cancellation or another request can be seen between units.
    if (done % 16 === 0) await new Promise((r) => setImmediate(r));
  }
  sortFindings(total.findings);
  return { ...total, ruleSet, durationMs: Date.now() - started, cancelled };
}

/** An in-memory source tree (absolute paths), for tests, examples and the editor's overlays. */
export class MemoryProvider implements SourceProvider {
  constructor(private readonly files: ReadonlyMap<string, string>, private readonly fallback?: SourceProvider) {}
  readFile(abs: string): string | undefined {
    return this.files.has(abs) ? this.files.get(abs) : this.fallback?.readFile(abs);
  }
  listDir(abs: string): string[] | undefined {
    const names = new Set<string>(this.fallback?.listDir(abs) ?? []);
    for (const f of this.files.keys()) if (path.dirname(f) === abs) names.add(path.basename(f));
    return names.size ? [...names] : undefined;
  }
}

/**
 * Scans source texts without touching the disk: Terraform files are grouped into modules by
 * directory, YAML files are read as Kubernetes manifests.
 */
export async function scanSources(files: ReadonlyMap<string, string>, ruleSet: RuleSet): Promise<UnitResult> {
  await initParsers();
  const provider = new MemoryProvider(files);
  const runner = new UnitRunner(ruleSet, Number.MAX_SAFE_INTEGER, () => provider);
  const total: UnitResult = { findings: [], suppressed: 0, notes: [], files: 0, bytes: 0 };
  const tfDirs = new Set<string>();
  const yamlByDir = new Map<string, string[]>();
  for (const f of files.keys()) {
    if (f.endsWith('.tf') || f.endsWith('.tfvars')) tfDirs.add(path.dirname(f));
    else if (f.endsWith('.yaml') || f.endsWith('.yml')) {
      const d = path.dirname(f);
      yamlByDir.set(d, [...(yamlByDir.get(d) ?? []), f]);
    }
  }
  const called = new Set<string>();
  for (const [f, text] of files) {
    if (f.endsWith('.tf')) for (const c of localCalls(path.dirname(f), text)) called.add(c);
  }
  for (const dir of tfDirs) if (!called.has(dir)) mergeUnitResult(total, runner.run({ kind: 'terraform', dir }));
  for (const [dir, list] of yamlByDir) mergeUnitResult(total, runner.run({ kind: 'yaml', dir, files: list }));
  sortFindings(total.findings);
  return total;
}
