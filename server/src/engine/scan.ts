import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParsers } from '../parse/treesitter';
import { isHelmTemplate, mayHoldKubernetes, onlyCustomResourceDefinitions, parseKubernetes, type K8sObject } from '../parse/kubernetes';
import { loadRootModule, localModuleDir, type ModuleLoadContext, type SourceProvider } from '../parse/terraform';
import type { HclFile } from '../parse/hcl';
import type { YamlFile } from '../parse/yaml';
import type { RampartConfig } from './config';
import type { Rule } from './rule';
import { RuleSet } from './run';
import type { Finding, Note } from './types';
import { realpathOr, walk } from './walk';

/** One piece of scan work: a Terraform root module, or the YAML files of one directory. */
export type ScanUnit =
  | { kind: 'terraform'; dir: string; onlyFiles?: string[]; cost?: number; group?: number }
  | { kind: 'yaml'; dir: string; files: string[]; cost?: number; group?: number };

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
  const closureOf = (dir: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [dir];
    while (stack.length) {
      const d = stack.pop()!;
      if (seen.has(d) || seen.size > 200) continue;
      seen.add(d);
      stack.push(...(calls.get(d) ?? []));
    }
    return seen;
  };
  const bytesOf = (d: string) => ownBytes.get(d) ?? dirBytes(d);
  const terraform: { unit: ScanUnit; dirs: Set<string> }[] = [];
  for (const dir of w.terraformDirs) {
    const only = w.walkedDirs.has(dir) ? undefined : w.onlyFiles.get(dir);
    if (called.has(dir) && !only) continue; // judged as a module of its caller, with its inputs
    const dirs = closureOf(dir);
    let cost = 0;
    for (const d of dirs) cost += bytesOf(d);
    terraform.push({ unit: only ? { kind: 'terraform', dir, onlyFiles: [...only], cost } : { kind: 'terraform', dir, cost }, dirs });
  }
  const groups = groupBySharedModules(terraform, bytesOf);
  const byDir = new Map<string, string[]>();
  for (const f of w.yamlFiles) {
    const d = path.dirname(f);
    let list = byDir.get(d);
    if (!list) byDir.set(d, (list = []));
    list.push(f);
  }
  for (const [dir, files] of byDir) {
    const cost = files.reduce((n, f) => n + fileSize(f), 0);
    groups.push({ units: [{ kind: 'yaml', dir, files, cost }], cost });
  }
  // The most expensive groups first, so that parallel workers finish together.
  groups.sort((a, b) => b.cost - a.cost);
  const units: ScanUnit[] = [];
  groups.forEach((g, i) => {
    g.units.sort((a, b) => (b.cost ?? 0) - (a.cost ?? 0));
    for (const u of g.units) { u.group = i; units.push(u); }
  });
  return { units, files: w.fileCount };
}

/**
 * Root modules that call the same local modules (directly or through other modules) form a group.
 * A worker that scans a whole group parses each shared module once; spread over several workers
 * the same modules would be parsed by each of them. A group's cost counts each directory once for
 * parsing, plus a share of every unit's source for building module instances and running rules.
 */
function groupBySharedModules(units: { unit: ScanUnit; dirs: Set<string> }[], bytesOf: (dir: string) => number): { units: ScanUnit[]; cost: number }[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    while (x !== r) { const next = parent.get(x)!; parent.set(x, r); x = next; }
    return r;
  };
  for (const { dirs } of units) for (const d of dirs) if (!parent.has(d)) parent.set(d, d);
  for (const { unit, dirs } of units) for (const d of dirs) { const a = find(unit.dir), b = find(d); if (a !== b) parent.set(a, b); }
  const byRoot = new Map<string, { units: ScanUnit[]; dirs: Set<string>; unitBytes: number }>();
  for (const { unit, dirs } of units) {
    const key = find(unit.dir);
    let g = byRoot.get(key);
    if (!g) byRoot.set(key, (g = { units: [], dirs: new Set(), unitBytes: 0 }));
    g.units.push(unit);
    for (const d of dirs) g.dirs.add(d);
    g.unitBytes += unit.cost ?? 0;
  }
  return [...byRoot.values()].map((g) => {
    let parsed = 0;
    for (const d of g.dirs) parsed += bytesOf(d);
    return { units: g.units, cost: parsed + g.unitBytes / 8 };
  });
}

/**
 * Hands out planned units to parallel workers, one at a time. A worker keeps to the groups it
 * started (their modules are parsed in its cache already), takes the next unstarted group when
 * its own are done, and only when no group is left unstarted helps with another worker's group.
 */
export class UnitQueue<W> {
  private readonly groups: { units: ScanUnit[]; owner: W | undefined }[] = [];
  constructor(units: readonly ScanUnit[]) {
    const byGroup = new Map<number, ScanUnit[]>();
    units.forEach((u, i) => {
      const key = u.group ?? -1 - i;
      let list = byGroup.get(key);
      if (!list) { byGroup.set(key, (list = [])); this.groups.push({ units: list, owner: undefined }); }
      list.push(u);
    });
  }

  get size(): number { return this.groups.reduce((n, g) => n + g.units.length, 0); }

  next(worker: W): ScanUnit | undefined {
    const pick = this.groups.find((g) => g.owner === worker && g.units.length)
      ?? this.groups.find((g) => g.owner === undefined && g.units.length)
      ?? this.largestLeft();
    if (!pick) return undefined;
    pick.owner ??= worker;
    return pick.units.shift();
  }

  /** Everything not handed out yet. */
  drain(): ScanUnit[] {
    return this.groups.flatMap((g) => g.units.splice(0));
  }

  /** The started group with the most work left (only at the end of a scan). */
  private largestLeft(): (typeof this.groups)[number] | undefined {
    const left = (g: { units: ScanUnit[] }) => g.units.reduce((n, u) => n + (u.cost ?? 0), 0);
    let best: (typeof this.groups)[number] | undefined;
    for (const g of this.groups) if (g.units.length && (!best || left(g) > left(best))) best = g;
    return best;
  }
}

function fileSize(f: string): number {
  try { return fs.statSync(f).size; } catch { return 0; }
}

function dirBytes(dir: string): number {
  try { return fs.readdirSync(dir).filter((n) => n.endsWith('.tf')).reduce((n, f) => n + fileSize(path.join(dir, f)), 0); } catch { return 0; }
}

/** Runs the rules over planned units in this thread. */
export class UnitRunner {
  private readonly parsed = new Map<string, HclFile | null>();
  private readonly byText = new Map<string, HclFile>();
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
    if (this.parsedChars > this.cacheChars) { this.parsed.clear(); this.byText.clear(); this.parsedChars = 0; }
    const before = this.byText.size;
    const ctx: ModuleLoadContext = { provider, parsed: this.parsed, byText: this.byText, notes: out.notes, maxDepth: 8 };
    const mod = loadRootModule(unit.dir, ctx);
    if (this.byText.size !== before) {
      this.parsedChars = 0;
      for (const text of this.byText.keys()) this.parsedChars += text.length;
    }
    if (!mod) return;
    const only = unit.onlyFiles ? new Set(unit.onlyFiles) : undefined;
    const r = this.ruleSet.runTerraform(mod, out.notes, only ? (res) => only.has(res.file.path) : undefined);
    append(out.findings, r.findings);
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
      append(out.findings, r.findings);
      out.suppressed += r.suppressed;
    }
  }
}

/** push(...items) passes every item as an argument, which overflows the stack on large arrays. */
export function append<T>(into: T[], items: readonly T[]): void {
  for (const x of items) into.push(x);
}

export function mergeUnitResult(into: UnitResult, r: UnitResult): void {
  append(into.findings, r.findings);
  append(into.notes, r.notes);
  into.suppressed += r.suppressed;
  into.files += r.files;
  into.bytes += r.bytes;
}

const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sorts findings by file, position and rule, and drops repeats: a local module called by several
 * root modules under the same name gives the same finding once per caller.
 */
export function sortFindings(findings: Finding[]): Finding[] {
  const compare = (a: Finding, b: Finding) => order(a.file, b.file) || a.span.start - b.span.start || order(a.ruleId, b.ruleId)
    || a.span.end - b.span.end || order(a.address, b.address) || order(a.message, b.message);
  findings.sort(compare);
  let kept = 0;
  for (const f of findings) if (kept === 0 || compare(findings[kept - 1]!, f) !== 0) findings[kept++] = f;
  findings.length = kept;
  return findings;
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
