import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { Note } from './types';

/** Directories no scan ever enters: VCS data, Terraform's provider/module cache, JS dependencies. */
const ALWAYS_SKIPPED = new Set(['.git', '.terraform', 'node_modules', '.hg', '.svn', '.terragrunt-cache']);

export const isTerraformPath = (p: string) => p.endsWith('.tf') || p.endsWith('.tfvars');
export const isYamlPath = (p: string) => p.endsWith('.yaml') || p.endsWith('.yml');

export interface WalkResult {
  /** Directories that hold Terraform files (.tf or .tfvars). */
  terraformDirs: Set<string>;
  /** When a single .tf file was named, findings are limited to it. */
  onlyFiles: Map<string, Set<string>>;
  yamlFiles: string[];
  /** Directories whose files were all walked (not only named one by one). */
  walkedDirs: Set<string>;
  fileCount: number;
}

export interface WalkOptions {
  exclude: string[];
  respectGitignore: boolean;
  notes: Note[];
  /** Cancellation: checked between directory reads. */
  isCancelled?: () => boolean;
}

interface IgnoreLayer { base: string; ig: Ignore }

export class WalkError extends Error {}

export function walk(paths: string[], opts: WalkOptions): WalkResult {
  const result: WalkResult = { terraformDirs: new Set(), onlyFiles: new Map(), yamlFiles: [], walkedDirs: new Set(), fileCount: 0 };
  const seenReal = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(p);
    let st: fs.Stats;
    try { st = fs.statSync(abs); } catch {
      throw new WalkError(`${p}: no such file or directory`);
    }
    if (st.isFile()) {
      addFile(abs, result, true);
      continue;
    }
    if (!st.isDirectory()) throw new WalkError(`${p}: not a file or directory`);
    const excluded = opts.exclude.length ? picomatch(opts.exclude, { dot: true }) : undefined;
    const root = abs;
    const rootReal = realpathOr(abs);
    const visit = (dir: string, layers: IgnoreLayer[], depth: number) => {
      if (opts.isCancelled?.()) return;
      if (depth > 64) { opts.notes.push({ file: dir, level: 'warning', message: 'directory nesting deeper than 64 levels was not scanned' }); return; }
      const real = realpathOr(dir);
      if (seenReal.has(real)) return; // a symlink loop or a directory named twice
      seenReal.add(real);
      let entries: fs.Dirent[];
      try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch (e) {
        opts.notes.push({ file: dir, level: 'error', message: `could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); the scan went on without it` });
        return;
      }
      let here = layers;
      if (opts.respectGitignore && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
        try {
          here = [...layers, { base: dir, ig: ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')) }];
        } catch { /* unreadable .gitignore: keep the outer rules */ }
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        const full = path.join(dir, e.name);
        let isDir = e.isDirectory();
        let isFile = e.isFile();
        if (e.isSymbolicLink()) {
          // Links are followed only when they stay inside the scanned tree.
          const target = realpathOr(full);
          if (target !== rootReal && !target.startsWith(rootReal + path.sep)) continue;
          try { const s = fs.statSync(full); isDir = s.isDirectory(); isFile = s.isFile(); } catch { continue; }
        }
        if (isDir && ALWAYS_SKIPPED.has(e.name)) continue;
        const relToRoot = path.relative(root, full).split(path.sep).join('/');
        if (excluded && (excluded(relToRoot) || (isDir && excluded(relToRoot + '/')))) continue;
        if (here.some((l) => l.ig.ignores(path.relative(l.base, full).split(path.sep).join('/') + (isDir ? '/' : '')))) continue;
        if (isDir) visit(full, here, depth + 1);
        else if (isFile) addFile(full, result, false);
      }
    };
    visit(abs, [], 0);
  }
  return result;
}

function addFile(abs: string, result: WalkResult, named: boolean): void {
  if (isTerraformPath(abs)) {
    const dir = path.dirname(abs);
    result.fileCount++;
    if (named) {
      let set = result.onlyFiles.get(dir);
      if (!set) result.onlyFiles.set(dir, (set = new Set()));
      set.add(abs);
    } else result.walkedDirs.add(dir);
    result.terraformDirs.add(dir);
  } else if (isYamlPath(abs)) {
    result.fileCount++;
    result.yamlFiles.push(abs);
  }
}

export function realpathOr(p: string): string {
  try { return fs.realpathSync(p); } catch { return p; }
}
