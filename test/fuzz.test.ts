/*
 * Property-based fuzzing of the engine and of the editor's incremental model.
 *
 *   npm test      a short run (FUZZ_RUNS unset: 8,000 inputs of a few KB, about 15 s)
 *   npm run fuzz  FUZZ_RUNS=100000 (one input in ten at full size: 10,000-deep nesting, 200 KB lines)
 *
 * FUZZ_SEED picks the seed (printed at the start); a failing input is shrunk by fast-check and
 * written to test-results/fuzz-*.json (with the text on its own in a .txt next to it, and the
 * input as first generated in *-first.json). Re-run one property with FUZZ_ONLY=<property>
 * FUZZ_SEED=<seed> FUZZ_PATH=<path> from that file; FUZZ_NO_SHRINK=1 stops at the first failure.
 *
 * What every input must satisfy:
 *  - the engine (parseHcl, parseYaml, parseKubernetes, loadRootModule, every rule through
 *    scanSources, and the evaluation of every attribute) never throws and no rule fails;
 *  - findings (and their fixes and related locations) point inside the text they are about, and
 *    their line/column agree with their offsets;
 *  - it answers within FLOOR_MS + BOUND_MS_PER_MB per MB of input;
 *  - the incremental editor model (SourceDocument.applyChanges + hcl()/yaml() reusing blocks and
 *    documents) gives the same model and the same findings as a parse from scratch of the same text.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as fc from 'fast-check';
import { defaultConfig } from '../server/src/engine/config';
import { RuleSet } from '../server/src/engine/run';
import { MemoryProvider, scanSources } from '../server/src/engine/scan';
import type { Finding, Note } from '../server/src/engine/types';
import { SourceDocument, pathToUri } from '../server/src/lsp/documents';
import { HclAttribute, builderSwitch, parseHcl, type HclFile } from '../server/src/parse/hcl';
import { LineIndex, type Span } from '../server/src/parse/source';
import { parsePolicy } from '../server/src/parse/iam';
import { kubernetesFromYaml } from '../server/src/parse/kubernetes';
import { loadRootModule, type TfBlock, type TfModule } from '../server/src/parse/terraform';
import { ParseBudgetError, initParsers, parse, type GrammarName } from '../server/src/parse/treesitter';
import { isFullyKnown, toPlain } from '../server/src/parse/values';
import { parseYaml, toJs, type YamlFile } from '../server/src/parse/yaml';
import { ALL_RULES } from '../server/src/rules';
import {
  applyLspEdit, corpus, editBatchArb, fitEdits, fuzzInputArb, garbageArb, tokenBoundaries,
  type FileKind, type FuzzInput, type LspEdit, type SeedFile,
} from './fuzz-generators';

export const TOTAL_RUNS = Math.max(100, Number(process.env['FUZZ_RUNS'] ?? 8000));
export const SEED = Number(process.env['FUZZ_SEED'] ?? 20261122);
const REPLAY_PATH = process.env['FUZZ_PATH'];
const LONG = TOTAL_RUNS > 20_000;
/** FUZZ_ONLY=mutated|garbage|incremental|truncation runs one property (with FUZZ_PATH to replay a failure). */
const ONLY = process.env['FUZZ_ONLY'];
const prop = (name: string) => (ONLY && ONLY !== name ? it.skip : it);
/** The time bound: generous (2 s per MB on top of a floor) so that a slow CI machine does not flake. */
export const BOUND_MS_PER_MB = 2000;
export const FLOOR_MS = 2000;
const MB = 1024 * 1024;
const RESULTS = path.resolve(__dirname, '..', '..', 'test-results');
const ROOT = '/fuzz';

/**
 * Known bugs in files this fuzzer's owner may not change, reported in research/fuzz-findings.md.
 * Each entry turns one class of failure into a counted skip; remove an entry once its bug is fixed.
 */
// Bugs found by this fuzzer and not fixed yet; each entry names its report in /work/research (none open).
const KNOWN_BUGS: { id: string; match: (message: string) => boolean }[] = [];

const stats = {
  inputs: 0,
  bytes: 0,
  skippedKnown: new Map<string, number>(),
  /** Parses cancelled by the parse budget (tree-sitter's quadratic error recovery): answered with a note. */
  budgetCancelled: 0,
  slowest: { ms: 0, bytes: 0, name: '' },
  /** Over the bound but skipped as a known bug. */
  slowestOverBound: { ms: 0, bytes: 0, name: '' },
  worstRatio: { msPerMB: 0, ms: 0, bytes: 0, name: '' },
};

function bound(bytes: number): number { return FLOOR_MS + (BOUND_MS_PER_MB * bytes) / MB; }

function grammarOf(file: string): GrammarName | undefined {
  return file.endsWith('.tf') || file.endsWith('.tfvars') ? 'terraform' : file.endsWith('.yaml') || file.endsWith('.yml') ? 'yaml' : undefined;
}

function record(ms: number, bytes: number, name: string, files: ReadonlyMap<string, string>, parses = 1): void {
  stats.inputs++;
  stats.bytes += bytes;
  const limit = parses * bound(bytes);
  if (ms <= limit) {
    if (ms > stats.slowest.ms) stats.slowest = { ms, bytes, name };
    const perParse = ms / parses;
    if (bytes > 64 * 1024 && perParse / (bytes / MB) > stats.worstRatio.msPerMB) stats.worstRatio = { msPerMB: perParse / (bytes / MB), ms: perParse, bytes, name };
    return;
  }
  if (ms > stats.slowestOverBound.ms) stats.slowestOverBound = { ms, bytes, name };
  // Tell tree-sitter's own time (its error recovery is quadratic on some inputs: see
  // research/fuzz-findings.md) from the time of Rampart's code.
  let parseMs = 0;
  for (const [f, text] of files) {
    const g = grammarOf(f);
    if (!g) continue;
    const t = performance.now();
    try { parse(g, text).delete(); } catch (e) { if (!(e instanceof ParseBudgetError)) throw e; }
    parseMs += performance.now() - t;
  }
  const where = parses * parseMs > ms / 3 ? `tree-sitter parse alone ${parseMs.toFixed(0)} ms` : `tree-sitter parse ${parseMs.toFixed(0)} ms`;
  throw new Error(`too slow: ${ms.toFixed(0)} ms for ${(bytes / 1024).toFixed(1)} KB${parses > 1 ? ` parsed ${parses} times` : ''} (bound ${limit.toFixed(0)} ms; ${where})`);
}

function knownBug(e: unknown): string | undefined {
  const msg = e instanceof Error ? `${e.message}\n${e.stack}` : String(e);
  return KNOWN_BUGS.find((k) => k.match(msg))?.id;
}

// ---------------------------------------------------------------- the engine oracle

function filesOf(seed: SeedFile, text: string, dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const [rel, t] of Object.entries(seed.siblings)) files.set(path.posix.join(dir, rel), t);
  files.set(path.posix.join(dir, seed.rel), text);
  return files;
}

/** The note of a file whose parse ran out of its budget (parse/treesitter.ts): an answer, not a crash. */
const isBudgetNote = (n: Note) => /parsing took longer than/.test(n.message);

const lineIndexes = new WeakMap<object, Map<string, LineIndex>>();

function checkSpan(f: { file: string; span: Span }, files: ReadonlyMap<string, string>, what: string): void {
  const text = files.get(f.file);
  assert.ok(text !== undefined, `${what} points at a file that was not scanned: ${f.file}`);
  const s = f.span;
  assert.ok(s.start >= 0 && s.start <= s.end && s.end <= text.length, `${what} span ${s.start}-${s.end} outside 0-${text.length}`);
  // Offsets and line/column must agree: the editor places diagnostics by line and column.
  let byFile = lineIndexes.get(files);
  if (!byFile) lineIndexes.set(files, (byFile = new Map()));
  let li = byFile.get(f.file);
  if (!li) byFile.set(f.file, (li = new LineIndex(text)));
  const a = li.positionAt(s.start), b = li.positionAt(s.end);
  assert.deepEqual([s.startLine, s.startCol, s.endLine, s.endCol], [a.line, a.character, b.line, b.character], `${what} span ${s.start}-${s.end} has line/column ${s.startLine}:${s.startCol}-${s.endLine}:${s.endCol}, the text says ${a.line}:${a.character}-${b.line}:${b.character}`);
}

function checkFindings(findings: Finding[], files: ReadonlyMap<string, string>): void {
  for (const f of findings) {
    checkSpan(f, files, `${f.ruleId} finding`);
    try {
      checkSpan({ file: f.file, span: f.resourceSpan }, files, `${f.ruleId} resource`);
    } catch (e) {
      // F7: a finding reported at a block of another file keeps the resource span of its own file.
      const other = [...files.keys()].find((g) => { try { checkSpan({ file: g, span: f.resourceSpan }, files, ''); return g !== f.file; } catch { return false; } });
      if (other) throw new Error(`F7: ${f.ruleId} finding in ${f.file} carries the resource span of ${other}`);
      throw e;
    }
    for (const e of f.fix?.edits ?? []) {
      const t = files.get(e.file);
      assert.ok(t !== undefined && e.start >= 0 && e.start <= e.end && e.end <= t.length, `${f.ruleId} fix edit ${e.start}-${e.end} outside ${e.file}`);
    }
    for (const r of f.related ?? []) checkSpan(r, files, `${f.ruleId} related`);
  }
}

/** Evaluates every attribute of every block of a module: exercises evaluate.ts, values.ts and iam.ts beyond what rules read. */
function evaluateEverything(mod: TfModule): number {
  let n = 0;
  const visit = (b: TfBlock, depth: number) => {
    if (depth > 64) return;
    for (const a of b.attributes()) {
      const v = a.value;
      isFullyKnown(v);
      toPlain(v);
      if (a.name === 'policy' || a.name.endsWith('_policy')) parsePolicy(v);
      n++;
    }
    for (const c of b.blocks()) visit(c, depth + 1);
  };
  for (const m of mod.allModules()) {
    for (const r of [...m.resources, ...m.dataSources]) visit(r, 0);
    for (const v of m.variables.values()) visit(v, 0);
    for (const p of m.providers) visit(p, 0);
    for (const c of m.moduleCalls) visit(c, 0);
    for (const l of m.locals.values()) toPlain(l.value);
    for (const o of m.outputs.values()) toPlain(o.value);
  }
  return n;
}

/** Runs the whole engine on a set of files and checks the invariants. */
async function checkEngine(files: Map<string, string>, name: string): Promise<void> {
  const bytes = [...files.values()].reduce((s, t) => s + t.length, 0);
  const started = performance.now();
  let cancelled = 0;
  for (const [f, text] of files) {
    try {
      if (f.endsWith('.tf') || f.endsWith('.tfvars')) checkBuilders(f, text);
      else if (!f.endsWith('.tf')) {
        // scanSources parses YAML only when it may hold Kubernetes objects: parse every file here.
        const y = parseYaml(f, text);
        kubernetesFromYaml(y);
        for (const d of y.documents) toJs(d.root);
      }
    } catch (e) {
      if (!(e instanceof ParseBudgetError)) throw e;
      cancelled++;
    }
  }
  const dirs = new Set([...files.keys()].filter((f) => f.endsWith('.tf')).map((f) => path.posix.dirname(f)));
  for (const dir of dirs) {
    const notes: Note[] = [];
    const mod = loadRootModule(dir, { provider: new MemoryProvider(files), parsed: new Map(), notes, maxDepth: 8 });
    if (mod) evaluateEverything(mod);
    cancelled += notes.filter(isBudgetNote).length;
    const parseErrors = notes.filter((n) => n.level === 'error' && !isBudgetNote(n));
    assert.deepEqual(parseErrors, [], 'the module loader reported errors');
  }
  const rs = new RuleSet(ALL_RULES, defaultConfig());
  const r = await scanSources(files, rs);
  if (rs.failures.size) {
    const [f] = rs.failures.values();
    throw new Error(`rule ${f!.ruleId} threw: ${f!.message}`);
  }
  cancelled += r.notes.filter(isBudgetNote).length;
  const errors = r.notes.filter((n) => n.level === 'error' && !isBudgetNote(n));
  assert.deepEqual(errors, [], 'the engine reported errors');
  checkFindings(r.findings, files);
  if (cancelled) stats.budgetCancelled++;
  // Up to three parses of each file (on its own, by the module loader, by the scan), each within
  // tree-sitter's parse budget.
  record(performance.now() - started, bytes, name, files, 3);
}

/** On a tree without errors, the builder that reads tokens from the text must match the node-API builder. */
function checkBuilders(file: string, text: string): void {
  const fromText = parseHcl(file, text);
  if (fromText.hasErrors) return;
  // Expressions are built when first read: normalize() reads them under the same switch.
  const a = normalize(fromText);
  builderSwitch.readFromText = false;
  let b: string;
  try { b = normalize(parseHcl(file, text)); } finally { builderSwitch.readFromText = true; }
  if (a !== b) assert.fail(`the two Terraform builders disagree ${firstDifference(a, b)}`);
}

// ---------------------------------------------------------------- the incremental oracle

/** A model as plain data: Maps become entry lists; shared YAML nodes (aliases) are written once. */
function normalize(file: HclFile | YamlFile): string {
  const ids = new Map<object, number>();
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 2000) return '(deep)';
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof Map) return [...v].map(([k, x]) => [k, walk(x, depth + 1)]);
    // An attribute keeps the file text for its lazily built expression: compare what it exposes.
    if (v instanceof HclAttribute) return walk({ name: v.name, span: v.span, nameSpan: v.nameSpan, exprSpan: v.exprSpan, expr: v.expr }, depth + 1);
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if ('t' in v && (v.t === 'map' || v.t === 'seq' || v.t === 'scalar')) {
      const id = ids.get(v);
      if (id !== undefined) return { ref: id };
      ids.set(v, ids.size);
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'lines') out[k] = walk(x, depth + 1);
    return out;
  };
  return JSON.stringify(walk(file, 0));
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}: incremental …${a.slice(Math.max(0, i - 120), i + 120)}…\n from scratch …${b.slice(Math.max(0, i - 120), i + 120)}…`;
}

function terraformFindings(file: string, hcl: HclFile | undefined, text: string, rs: RuleSet): Finding[] {
  const files = new Map([[file, text]]);
  const parsed = new Map<string, HclFile | null>();
  if (hcl) parsed.set(file, hcl);
  const notes: Note[] = [];
  const mod = loadRootModule(path.posix.dirname(file), { provider: new MemoryProvider(files), parsed, notes, maxDepth: 8 });
  return mod ? rs.runTerraform(mod, notes).findings : [];
}

function kubernetesFindings(y: YamlFile, rs: RuleSet): Finding[] {
  const k = kubernetesFromYaml(y);
  return rs.runKubernetes(k.objects, k.objects, y.comments, []).findings;
}

interface Session { input: FuzzInput; batches: LspEdit[][]; look: boolean[] }

const sessionArb = (seeds: SeedFile[]): fc.Arbitrary<Session> => fc.record({
  input: inputs(seeds).filter((i) => i.text.length < 256 * 1024),
  batches: fc.array(editBatchArb, { minLength: 1, maxLength: 10 }),
  look: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
});

let sessionNo = 0;

/**
 * The short run keeps inputs small (a tenth of the full sizes); the long run adds one input in ten
 * at full size (10,000-deep nesting, 200 KB lines, repeated files).
 */
function inputs(seeds: SeedFile[]): fc.Arbitrary<FuzzInput> {
  return LONG ? fc.oneof({ weight: 9, arbitrary: fuzzInputArb(seeds, 0.1) }, { weight: 1, arbitrary: fuzzInputArb(seeds, 1) }) : fuzzInputArb(seeds, 0.1);
}

function checkIncremental(s: Session, rs: RuleSet): void {
  const kind: FileKind = s.input.seed.kind;
  const file = path.posix.join(ROOT, 'inc', String(sessionNo++ % 64), s.input.seed.rel);
  const started = performance.now();
  const doc = new SourceDocument(pathToUri(file), s.input.text, 1);
  const model = () => {
    if (kind !== 'yaml') return doc.hcl();
    return doc.yaml();
  };
  let expected = s.input.text;
  try {
    model();
    s.batches.forEach((batch, i) => {
      const edits = fitEdits(batch, doc.lines.lineCount);
      for (const e of edits) expected = applyLspEdit(expected, e);
      doc.applyChanges(edits, i + 2);
      assert.equal(doc.text, expected, 'applyChanges gave a different text than the LSP semantics');
      if (s.look[i]) model(); // reuse happens from the last model built
    });
    const incremental = model()!;
    const scratch = kind === 'yaml' ? parseYaml(file, doc.text) : parseHcl(file, doc.text);
    const a = normalize(incremental), b = normalize(scratch);
    const fa = kind === 'yaml' ? kubernetesFindings(incremental as YamlFile, rs) : terraformFindings(file, incremental as HclFile, doc.text, rs);
    const fb = kind === 'yaml' ? kubernetesFindings(scratch as YamlFile, rs) : terraformFindings(file, undefined, doc.text, rs);
    if (a !== b || JSON.stringify(fa) !== JSON.stringify(fb)) {
      // Tell a divergence of tree-sitter's incremental parse from one of the model builders.
      const tree = (doc as unknown as { tree?: { rootNode: { toString(): string } } }).tree;
      const fresh = kind === 'yaml' ? 'yaml' : 'terraform';
      let treeNote = '';
      if (tree) {
        const t2 = parse(fresh, doc.text);
        treeNote = tree.rootNode.toString() === t2.rootNode.toString() ? 'trees identical (a model builder bug)' : 'tree-sitter incremental tree differs from a fresh parse';
        t2.delete();
      }
      const err = new assert.AssertionError({ message: `incremental ${kind} model differs from a parse from scratch (${treeNote}); findings ${JSON.stringify(fa.map((f) => f.ruleId))} vs ${JSON.stringify(fb.map((f) => f.ruleId))}\n${a !== b ? firstDifference(a, b) : 'models equal, findings differ'}` });
      Object.assign(err, { details: { finalText: doc.text, incremental: a, scratch: b, findingsIncremental: fa, findingsScratch: fb } });
      throw err;
    }
    if (rs.failures.size) {
      const [f] = rs.failures.values();
      throw new Error(`rule ${f!.ruleId} threw: ${f!.message}`);
    }
  } catch (e) {
    // A parse cancelled by the budget answers "not checked"; there is no model to compare.
    if (!(e instanceof ParseBudgetError)) throw e;
    stats.budgetCancelled++;
  } finally {
    doc.dispose();
  }
  // Each model built is a parse, and the comparison parses and checks twice more.
  const parses = 3 + s.look.slice(0, s.batches.length).filter(Boolean).length;
  record(performance.now() - started, Math.max(expected.length, s.input.text.length), `incremental ${s.input.seed.name}`, new Map([[file, expected]]), parses);
}

// ---------------------------------------------------------------- running properties

/** Runs a property; a failure is shrunk, written to test-results/ and reported with its replay line. */
async function runProperty<T>(name: string, arb: fc.Arbitrary<T>, numRuns: number, predicate: (t: T) => Promise<void> | void, describeInput: (t: T) => { text: string; extra?: unknown }): Promise<void> {
  const started = performance.now(), before = stats.inputs;
  try {
    await runPropertyInner(name, arb, numRuns, predicate, describeInput);
  } finally {
    console.log(`fuzz: ${name}: ${stats.inputs - before} inputs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

async function runPropertyInner<T>(name: string, arb: fc.Arbitrary<T>, numRuns: number, predicate: (t: T) => Promise<void> | void, describeInput: (t: T) => { text: string; extra?: unknown }): Promise<void> {
  const params: fc.Parameters<[T]> = { seed: SEED, numRuns, ...(REPLAY_PATH ? { path: REPLAY_PATH } : {}), ...(process.env['FUZZ_NO_SHRINK'] ? { endOnFailure: true } : {}) };
  let first = true;
  const result = await fc.check(fc.asyncProperty(arb, async (t) => {
    try {
      await predicate(t);
    } catch (e) {
      const known = knownBug(e);
      if (!known) {
        // The input as generated, before shrinking: a crash inside wasm (RuntimeError) can leave
        // the parser broken, and then only this first input tells what broke it.
        if (first) {
          first = false;
          fs.mkdirSync(RESULTS, { recursive: true });
          const d = describeInput(t);
          fs.writeFileSync(path.join(RESULTS, `fuzz-${name}-${SEED}-first.json`), JSON.stringify({ property: name, seed: SEED, error: e instanceof Error ? e.stack : String(e), text: d.text, extra: d.extra }, null, 2));
        }
        throw e;
      }
      stats.skippedKnown.set(known, (stats.skippedKnown.get(known) ?? 0) + 1);
    }
  }), params);
  if (!result.failed) return;
  const input = result.counterexample?.[0];
  fs.mkdirSync(RESULTS, { recursive: true });
  const base = path.join(RESULTS, `fuzz-${name}-${SEED}`);
  const d = input !== undefined ? describeInput(input) : { text: '' };
  const err = result.errorInstance instanceof Error ? result.errorInstance.stack ?? result.errorInstance.message : String(result.errorInstance);
  const details = (result.errorInstance as { details?: unknown } | undefined)?.details;
  fs.writeFileSync(`${base}.json`, JSON.stringify({ property: name, seed: result.seed, path: result.counterexamplePath, numRuns: result.numRuns, error: err, text: d.text, extra: d.extra, details }, null, 2));
  fs.writeFileSync(`${base}.txt`, d.text);
  assert.fail(`fuzz property "${name}" failed after ${result.numRuns} runs (${result.numShrinks} shrinks).\n` +
    `A wasm RuntimeError breaks every later parse, so shrinking cannot help: the input that broke it is in ${base}-first.json.\n` +
    `Shrunk input: ${base}.txt (details in ${base}.json)\nReplay: FUZZ_SEED=${result.seed} FUZZ_PATH=${result.counterexamplePath}\n${err}`);
}

/** The deterministic part: every rule example cut at every token boundary (a stride in the short run). */
function* truncations(seeds: SeedFile[], stride: number): Generator<{ seed: SeedFile; text: string }> {
  for (const seed of seeds) {
    if (seed.text.length > 8192) continue;
    const b = tokenBoundaries(seed.text);
    // A different first cut per file, so that a large stride still covers every kind of cut.
    let h = 0;
    for (let k = 0; k < seed.name.length; k++) h = (h * 31 + seed.name.charCodeAt(k)) >>> 0;
    for (let i = h % stride; i < b.length; i += stride) yield { seed, text: seed.text.slice(0, b[i]) };
  }
}

describe(`fuzzing the engine (seed ${SEED}, ${TOTAL_RUNS} runs)`, { timeout: LONG ? 6 * 3600_000 : 600_000 }, () => {
  const seeds = corpus();
  // Every corpus file is cut at least once; what the cuts leave of FUZZ_RUNS goes to the random
  // properties (with 1% more, for the few inputs skipped as known bugs).
  const budget = { truncation: Math.max(seeds.length, Math.round(TOTAL_RUNS * 0.2)), mutated: 0, garbage: 0, incremental: 0 };
  /** Splits what the cuts left over the random properties, once the cuts have run. */
  const plan = () => {
    if (budget.mutated) return;
    const rest = Math.max(300, (TOTAL_RUNS - stats.inputs) * 1.01);
    budget.mutated = Math.round(rest * 0.55);
    budget.garbage = Math.round(rest * 0.12);
    budget.incremental = Math.round(rest * 0.33);
  };
  let rs: RuleSet;
  before(async () => {
    await initParsers();
    rs = new RuleSet(ALL_RULES, defaultConfig());
    console.log(`fuzz: seed ${SEED} (FUZZ_SEED), ${TOTAL_RUNS} runs (FUZZ_RUNS), ${seeds.length} corpus files, time bound ${FLOOR_MS} ms + ${BOUND_MS_PER_MB} ms per MB`);
  });
  after(() => {
    const s = stats.slowest, w = stats.worstRatio;
    const known = [...stats.skippedKnown].map(([k, n]) => `${k}: ${n}`).join(', ');
    console.log(`fuzz: ${stats.inputs} inputs tried (${(stats.bytes / MB).toFixed(1)} MB in all), 0 crashes, 0 hangs; ` +
      `slowest input ${s.ms.toFixed(1)} ms (${(s.bytes / 1024).toFixed(1)} KB, ${s.name}); ` +
      `bound ${FLOOR_MS} ms + ${BOUND_MS_PER_MB} ms/MB per parse${w.bytes ? `; worst input over 64 KB ${w.msPerMB.toFixed(0)} ms/MB per parse (${(w.bytes / MB).toFixed(2)} MB, ${w.name})` : ''}` +
      `${known ? `; known-bug skips: ${known}` : ''}` +
      `${stats.budgetCancelled ? `; ${stats.budgetCancelled} inputs answered "parse budget exceeded"` : ''}` +
      `${stats.slowestOverBound.ms ? ` (slowest of those ${stats.slowestOverBound.ms.toFixed(0)} ms, ${(stats.slowestOverBound.bytes / 1024).toFixed(1)} KB, ${stats.slowestOverBound.name})` : ''}`);
  });

  prop('truncation')('cuts every example at token boundaries', async () => {
    const all = [...truncations(seeds, 1)].length;
    const stride = Math.max(1, Math.ceil(all / budget.truncation));
    let n = 0;
    const started = performance.now(), before = stats.inputs;
    for (const { seed, text } of truncations(seeds, stride)) {
      try {
        await checkEngine(filesOf(seed, text, path.posix.join(ROOT, 'cut', String(n++ % 32))), `truncated ${seed.name}`);
      } catch (e) {
        const known = knownBug(e);
        if (known) { stats.skippedKnown.set(known, (stats.skippedKnown.get(known) ?? 0) + 1); continue; }
        fs.mkdirSync(RESULTS, { recursive: true });
        const file = path.join(RESULTS, `fuzz-truncation-${seed.name.replace(/[^\w.-]+/g, '_')}.txt`);
        fs.writeFileSync(file, text);
        assert.fail(`${seed.name} cut at ${text.length} (written to ${file}): ${(e as Error).stack}`);
      }
    }
    console.log(`fuzz: truncation: ${stats.inputs - before} inputs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  prop('mutated')('never throws, answers and stays within the time bound on mutated examples', async () => {
    let n = 0;
    plan();
    await runProperty('mutated', inputs(seeds), budget.mutated,
      (i) => checkEngine(filesOf(i.seed, i.text, path.posix.join(ROOT, 'mut', String(n++ % 32))), i.seed.name),
      (i) => ({ text: i.text, extra: { seed: i.seed.name, rel: i.seed.rel, siblings: i.seed.siblings, mutations: i.mutations.map((m) => ('text' in m ? m : JSON.stringify(m).slice(0, 300))) } }));
  });

  prop('garbage')('never throws on garbage: random bytes, invalid UTF-8, NULs', async () => {
    let n = 0;
    const ext: Record<FileKind, string> = { tf: 'main.tf', tfvars: 'terraform.tfvars', yaml: 'x.yaml' };
    plan();
    await runProperty('garbage', garbageArb, budget.garbage,
      (g) => checkEngine(new Map([[path.posix.join(ROOT, 'garbage', String(n++ % 32), ext[g.kind]), g.text]]), `garbage ${g.kind}`),
      (g) => ({ text: g.text, extra: { kind: g.kind } }));
  });

  prop('incremental')('keeps the incremental editor model identical to a parse from scratch', async () => {
    plan();
    await runProperty('incremental', sessionArb(seeds), budget.incremental, (s) => checkIncremental(s, rs),
      (s) => ({ text: s.input.text, extra: { seed: s.input.seed.name, kind: s.input.seed.kind, mutations: s.input.mutations, batches: s.batches, look: s.look } }));
  });

  (ONLY ? it.skip : it)(`ran at least ${TOTAL_RUNS} inputs`, () => {
    assert.ok(stats.inputs >= TOTAL_RUNS, `only ${stats.inputs} inputs`);
  });
});

