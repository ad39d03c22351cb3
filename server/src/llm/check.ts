import * as path from 'node:path';
import type { RuleSet } from '../engine/run';
import type { Note } from '../engine/types';
import type { HclFile } from '../parse/hcl';
import { parseKubernetes } from '../parse/kubernetes';
import { loadRootModule, type SourceProvider } from '../parse/terraform';
import { parse, type GrammarName } from '../parse/treesitter';
import type { Node } from 'web-tree-sitter';
import type { CheckResult, LocalChecker } from './validate';

/** ERROR and MISSING nodes of a tree-sitter parse. */
export function countSyntaxErrors(grammar: GrammarName, text: string): number {
  const tree = parse(grammar, text);
  try {
    let n = 0;
    const visit = (node: Node) => {
      if (node.isError || node.isMissing) { n++; return; }
      if (!node.hasError) return;
      for (let i = 0; i < node.childCount; i++) {
        const c = node.child(i);
        if (c) visit(c);
      }
    };
    visit(tree.rootNode);
    return n;
  } finally {
    tree.delete();
  }
}

class Overlay implements SourceProvider {
  constructor(private readonly base: SourceProvider, private readonly file: string, private readonly text: string) {}
  readFile(abs: string): string | undefined { return abs === this.file ? this.text : this.base.readFile(abs); }
  listDir(abs: string): string[] | undefined {
    const names = new Set(this.base.listDir(abs) ?? []);
    if (path.dirname(this.file) === abs) names.add(path.basename(this.file));
    return [...names];
  }
}

/** Judges a patched Terraform file with the rest of its module, as the editor and the CLI do. */
export function terraformChecker(ruleSet: RuleSet, file: string, base: SourceProvider, parsed?: ReadonlyMap<string, HclFile | null>): LocalChecker {
  return {
    check(text: string): CheckResult {
      const notes: Note[] = [];
      const cache = new Map(parsed ?? []);
      cache.delete(file);
      const mod = loadRootModule(path.dirname(file), { provider: new Overlay(base, file, text), parsed: cache, notes, maxDepth: 8 });
      const addresses = new Set<string>();
      const findings: CheckResult['findings'] = [];
      if (mod) {
        for (const r of [...mod.resources, ...mod.dataSources]) if (r.file.path === file) addresses.add(r.address);
        for (const f of ruleSet.runTerraform(mod, notes).findings) findings.push({ ruleId: f.ruleId, address: f.address });
      }
      return { errors: countSyntaxErrors('terraform', text), findings, addresses };
    },
  };
}

export function kubernetesChecker(ruleSet: RuleSet, file: string): LocalChecker {
  return {
    check(text: string): CheckResult {
      const notes: Note[] = [];
      const k = parseKubernetes(file, text);
      const addresses = new Set<string>();
      const findings: CheckResult['findings'] = [];
      if (k) {
        const seen = new Map<string, number>();
        for (const o of k.objects) {
          const n = (seen.get(o.address) ?? 0) + 1;
          seen.set(o.address, n);
          addresses.add(n > 1 ? `${o.address}#${n}` : o.address);
        }
        for (const f of ruleSet.runKubernetes(k.objects, k.objects, k.file.comments, notes).findings) findings.push({ ruleId: f.ruleId, address: f.address });
      }
      return { errors: countSyntaxErrors('yaml', text), findings, addresses };
    },
  };
}
