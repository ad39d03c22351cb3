import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Language, Parser, Query, type Node, type Tree } from 'web-tree-sitter';

export type GrammarName = 'terraform' | 'yaml';

const WASM_FILES: Record<GrammarName | 'runtime', { file: string; pkg: string }> = {
  runtime: { file: 'tree-sitter.wasm', pkg: 'web-tree-sitter' },
  terraform: { file: 'tree-sitter-terraform.wasm', pkg: '@tree-sitter-grammars/tree-sitter-hcl' },
  yaml: { file: 'tree-sitter-yaml.wasm', pkg: '@tree-sitter-grammars/tree-sitter-yaml' },
};

/**
 * The bundles carry the wasm files next to themselves (dist/); tests and development runs find
 * them in node_modules. Looking next to the running script first keeps a packaged extension
 * independent of any node_modules folder.
 */
export function locateWasm(which: GrammarName | 'runtime'): string {
  const { file, pkg } = WASM_FILES[which];
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [
    path.join(here, file),
    path.join(here, '..', 'dist', file),
    path.join(here, '..', '..', 'dist', file),
    path.join(here, '..', 'node_modules', pkg, file),
    path.join(here, '..', '..', 'node_modules', pkg, file),
    path.join(here, '..', '..', '..', 'node_modules', pkg, file),
    path.join(process.cwd(), 'node_modules', pkg, file),
  ];
  for (const c of candidates) if (fs.existsSync(c)) return c;
  throw new Error(`Rampart cannot find ${file}; looked in:\n  ${candidates.join('\n  ')}`);
}

let ready: Promise<void> | undefined;
const languages = new Map<GrammarName, Language>();

/** Loads the tree-sitter runtime and both grammars once per process (or worker). */
export function initParsers(): Promise<void> {
  ready ??= (async () => {
    const runtime = locateWasm('runtime');
    await Parser.init({ locateFile: () => runtime });
    for (const name of ['terraform', 'yaml'] as const) {
      languages.set(name, await Language.load(fs.readFileSync(locateWasm(name))));
    }
  })();
  return ready;
}

const parsers = new Map<GrammarName, Parser>();

export function parserFor(name: GrammarName): Parser {
  let p = parsers.get(name);
  if (!p) {
    const lang = languages.get(name);
    if (!lang) throw new Error('initParsers() must complete before parsing');
    p = new Parser();
    p.setLanguage(lang);
    parsers.set(name, p);
  }
  return p;
}

/** A parse that ran past its time budget; the file is reported, not checked. */
export class ParseBudgetError extends Error {}

/**
 * tree-sitter's error recovery is quadratic on some broken inputs (a long run of spaces inside
 * an identifier): a 2 MB file of that kind would parse for hours. Parses get a budget that no
 * real file comes near.
 */
export const PARSE_BUDGET_MS = { base: 2000, perMB: 2000 };

/** A text the parser must not be given (it would crash the wasm runtime); see parseGuards. */
export class ParseRefusedError extends Error {}

/**
 * Checks run before a grammar sees a text. tree-sitter-yaml's scanner writes past its state buffer
 * beyond about 250 indentation levels, which corrupts wasm memory for every later parse of the
 * process: parse/yaml.ts registers its guard here, so that every path into the parser has it.
 */
export const parseGuards: Partial<Record<GrammarName, (text: string) => string | undefined>> = {};

export function parse(name: GrammarName, text: string, old?: Tree): Tree {
  const refused = parseGuards[name]?.(text);
  if (refused) throw new ParseRefusedError(refused);
  const parser = parserFor(name);
  const budget = PARSE_BUDGET_MS.base + (PARSE_BUDGET_MS.perMB * text.length) / (1024 * 1024);
  const deadline = performance.now() + budget;
  let cancelled = false;
  const progressCallback = (() => {
    if (performance.now() > deadline) cancelled = true;
    return cancelled;
  }) as unknown as (state: unknown) => void;
  const tree = parser.parse(text, old ?? null, { progressCallback });
  if (!tree || cancelled) {
    tree?.delete();
    // Without a reset the next parse would resume the cancelled one.
    parser.reset();
    if (cancelled) throw new ParseBudgetError(`parsing took longer than ${(budget / 1000).toFixed(1)} s; the file was not checked`);
    throw new Error(`tree-sitter returned no tree for a ${name} document`);
  }
  return tree;
}

const commentQueries = new Map<GrammarName, Query>();

/**
 * Every comment node below `node`. A query runs inside wasm and hands back only the matches,
 * which is far cheaper than visiting every node from JavaScript.
 */
export function commentNodes(name: GrammarName, node: Node): Node[] {
  let q = commentQueries.get(name);
  if (!q) {
    const lang = languages.get(name);
    if (!lang) throw new Error('initParsers() must complete before parsing');
    q = new Query(lang, '(comment) @comment');
    commentQueries.set(name, q);
  }
  return q.captures(node).map((c) => c.node);
}

/** A fault inside the wasm runtime (out-of-bounds access, trap): its memory is no longer trustworthy. */
export function isWasmFault(e: unknown): boolean {
  const RuntimeError = (globalThis as { WebAssembly?: { RuntimeError?: new () => Error } }).WebAssembly?.RuntimeError;
  return !!RuntimeError && e instanceof RuntimeError;
}
