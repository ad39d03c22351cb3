import { URI } from 'vscode-uri';
import type { Tree } from 'web-tree-sitter';
import { buildFile, type HclFile } from '../parse/hcl';
import { ParseRefusedError, parse, type GrammarName } from '../parse/treesitter';
import { LineIndex } from '../parse/source';
import { buildYaml, releaseYaml, type YamlFile } from '../parse/yaml';

export type DocumentKind = 'terraform' | 'tfvars' | 'yaml' | 'other';

export interface ContentChange {
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

export function kindOf(path: string): DocumentKind {
  if (path.endsWith('.tf')) return 'terraform';
  if (path.endsWith('.tfvars')) return 'tfvars';
  if (path.endsWith('.yaml') || path.endsWith('.yml')) return 'yaml';
  return 'other';
}

export function uriToPath(uri: string): string {
  return URI.parse(uri).fsPath;
}

export function pathToUri(p: string): string {
  return URI.file(p).toString();
}

/**
 * An open document with its tree-sitter tree. Edits are applied to the tree with `tree.edit()`
 * and the next parse reuses it, so a keystroke costs in proportion to the edit.
 */
export class SourceDocument {
  readonly path: string;
  readonly kind: DocumentKind;
  private tree: Tree | undefined;
  private model: { version: number; hcl?: HclFile; yaml?: YamlFile } | undefined;
  /** The last model built, whose unchanged blocks the next build reuses. */
  private lastHcl: HclFile | undefined;
  private lastYaml: YamlFile | undefined;
  lines: LineIndex;

  constructor(readonly uri: string, public text: string, public version: number) {
    this.path = uriToPath(uri);
    this.kind = kindOf(this.path);
    this.lines = new LineIndex(text);
  }

  private get grammar(): GrammarName | undefined {
    return this.kind === 'terraform' || this.kind === 'tfvars' ? 'terraform' : this.kind === 'yaml' ? 'yaml' : undefined;
  }

  applyChanges(changes: readonly ContentChange[], version: number): void {
    for (const c of changes) {
      if (!c.range) {
        this.text = c.text;
        this.lines = new LineIndex(this.text);
        this.tree?.delete();
        this.tree = undefined;
        continue;
      }
      const start = this.lines.offsetAt(c.range.start.line, c.range.start.character);
      const oldEnd = Math.max(start, this.lines.offsetAt(c.range.end.line, c.range.end.character));
      const startPos = this.lines.positionAt(start);
      const oldEndPos = this.lines.positionAt(oldEnd);
      this.text = this.text.slice(0, start) + c.text + this.text.slice(oldEnd);
      const newlines = c.text.split('\n');
      const newEndPos = newlines.length === 1
        ? { row: startPos.line, column: startPos.character + c.text.length }
        : { row: startPos.line + newlines.length - 1, column: newlines[newlines.length - 1]!.length };
      this.tree?.edit({
        startIndex: start, oldEndIndex: oldEnd, newEndIndex: start + c.text.length,
        startPosition: { row: startPos.line, column: startPos.character },
        oldEndPosition: { row: oldEndPos.line, column: oldEndPos.character },
        newEndPosition: newEndPos,
      });
      this.lines = new LineIndex(this.text);
    }
    this.version = version;
    this.model = undefined;
  }

  private reparse(): Tree | undefined {
    const g = this.grammar;
    if (!g) return undefined;
    const next = parse(g, this.text, this.tree);
    this.tree?.delete();
    this.tree = next;
    return next;
  }

  hcl(): HclFile | undefined {
    if (this.model?.version === this.version && this.model.hcl) return this.model.hcl;
    if (this.grammar !== 'terraform') return undefined;
    const previous = this.lastHcl;
    const tree = this.reparse()!;
    const hcl = buildFile(this.path, this.text, tree.rootNode, previous, this.lines);
    this.lastHcl = hcl;
    this.model = { version: this.version, hcl };
    return hcl;
  }

  yaml(): YamlFile | undefined {
    if (this.model?.version === this.version && this.model.yaml) return this.model.yaml;
    if (this.grammar !== 'yaml') return undefined;
    // YAML documents are parsed one by one (see buildYaml), each incrementally from its old tree.
    let yaml: YamlFile;
    try {
      yaml = buildYaml(this.path, this.text, this.lastYaml, this.lines, true);
    } catch (e) {
      if (!(e instanceof ParseRefusedError)) throw e;
      this.lastYaml = undefined;
      const skipped: YamlFile = { path: this.path, text: this.text, lines: this.lines, documents: [], comments: [], hasErrors: true, skipped: e.message };
      this.model = { version: this.version, yaml: skipped };
      return skipped;
    }
    this.lastYaml = yaml;
    this.model = { version: this.version, yaml };
    return yaml;
  }

  dispose(): void {
    releaseYaml(this.lastYaml);
    this.lastYaml = undefined;
    this.tree?.delete();
    this.tree = undefined;
  }
}
