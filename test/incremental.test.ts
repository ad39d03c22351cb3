import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { defaultConfig } from '../server/src/engine/config';
import { RuleSet } from '../server/src/engine/run';
import type { Finding } from '../server/src/engine/types';
import { Analyzer } from '../server/src/lsp/analysis';
import { SourceDocument } from '../server/src/lsp/documents';
import { initParsers } from '../server/src/parse/treesitter';
import { ALL_RULES } from '../server/src/rules';
import { editPositions, kubernetesFile, terraformFile } from '../bench/generate';

const key = (f: Finding) => `${f.ruleId}|${f.address}|${f.span.start}-${f.span.end}|${f.span.startLine}:${f.span.startCol}|${f.message}|${JSON.stringify(f.fix?.edits ?? [])}`;

function analyse(text: string, version: number, withHistory?: { doc: SourceDocument; analyzer: Analyzer }): string[] {
  if (withHistory) return [...withHistory.analyzer.analyzeTerraform(withHistory.doc).byFile.values()].flat().map(key).sort();
  const doc = new SourceDocument('file:///virtual/incr/main.tf', text, version);
  const analyzer = new Analyzer(new RuleSet(ALL_RULES, defaultConfig()), 1e9, new Map([[doc.path, doc]]));
  return [...analyzer.analyzeTerraform(doc).byFile.values()].flat().map(key).sort();
}

describe('incremental analysis', () => {
  before(() => initParsers());

  it('gives exactly the findings of a fresh analysis after every edit', () => {
    let text = terraformFile(600);
    const doc = new SourceDocument('file:///virtual/incr/main.tf', text, 1);
    const open = new Map([[doc.path, doc]]);
    const analyzer = new Analyzer(new RuleSet(ALL_RULES, defaultConfig()), 1e9, open);
    analyzer.analyzeTerraform(doc);
    const positions = editPositions(text, 60, 3);
    let reused = 0;
    positions.forEach((p, k) => {
      // Alternate inserts, deletes and edits of a variable's default, the case that must drop every cached result.
      const lines = text.split('\n');
      let change: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string };
      if (k % 10 === 9) change = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: lines[0]!.length } }, text: k % 20 === 9 ? 'variable "vpc_id" { default = "vpc-1" }' : 'variable "vpc_id" {}' };
      else if (k % 3 === 2 && p.character > 0) change = { range: { start: { line: p.line, character: p.character - 1 }, end: p }, text: '' };
      else change = { range: { start: p, end: p }, text: k % 2 ? 'x' : '"' };
      doc.applyChanges([change], k + 2);
      text = doc.text;
      const incremental = analyse(text, k + 2, { doc, analyzer });
      reused += analyzer.lastStats.reused;
      assert.deepEqual(incremental, analyse(text, k + 2), `edit ${k} diverged`);
    });
    assert.ok(reused > 0, 'the cache was never used');
  });

  it('gives exactly the findings of a fresh analysis after every edit of a manifest file', () => {
    let text = kubernetesFile(400);
    const doc = new SourceDocument('file:///virtual/incr/m.yaml', text, 1);
    const analyzer = new Analyzer(new RuleSet(ALL_RULES, defaultConfig()), 1e9, new Map([[doc.path, doc]]));
    analyzer.analyzeYaml(doc);
    const fresh = (t: string, v: number) => {
      const d = new SourceDocument('file:///virtual/incr/m.yaml', t, v);
      const a = new Analyzer(new RuleSet(ALL_RULES, defaultConfig()), 1e9, new Map([[d.path, d]]));
      return [...a.analyzeYaml(d).byFile.values()].flat().map(key).sort();
    };
    let reused = 0;
    editPositions(text, 40, 5).forEach((p, k) => {
      const change = k % 4 === 3 && p.character > 0
        ? { range: { start: { line: p.line, character: p.character - 1 }, end: p }, text: '' }
        : { range: { start: p, end: p }, text: 'x' };
      doc.applyChanges([change], k + 2);
      text = doc.text;
      const incremental = [...analyzer.analyzeYaml(doc).byFile.values()].flat().map(key).sort();
      reused += analyzer.lastStats.reused;
      assert.deepEqual(incremental, fresh(text, k + 2), `edit ${k} diverged`);
    });
    assert.ok(reused > 0, 'the cache was never used');
  });

  // Files without a directive keep no comments; blocks reused across the keystroke that adds the
  // first directive must get theirs from the new tree.
  const typeIn = (doc: SourceDocument, at: { line: number; character: number }, typed: string, check: (step: number) => void) => {
    for (let i = 0; i < typed.length; i++) {
      const p = { line: at.line, character: at.character + i };
      doc.applyChanges([{ range: { start: p, end: p }, text: typed[i]! }], doc.version + 1);
      check(i);
    }
  };

  it('picks up a suppression directive typed into a Terraform file that had none', () => {
    const bucket = (n: string) => `resource "aws_s3_bucket" "${n}" {\n  # kept for the website\n  acl = "public-read"\n}\n`;
    const text = `${bucket('a')}\n${bucket('b')}\n\n${bucket('c')}`;
    const doc = new SourceDocument('file:///virtual/incr/main.tf', text, 1);
    const analyzer = new Analyzer(new RuleSet(ALL_RULES, defaultConfig()), 1e9, new Map([[doc.path, doc]]));
    const publicAcl = () => [...analyzer.analyzeTerraform(doc).byFile.values()].flat().filter((f) => f.ruleId === 'aws-s3-no-public-acl').length;
    assert.equal(publicAcl(), 3);
    typeIn(doc, { line: 10, character: 0 }, '# rampart:ignore aws-s3-no-public-acl public site', (k) => {
      assert.deepEqual(analyse(doc.text, doc.version, { doc, analyzer }), analyse(doc.text, doc.version), `keystroke ${k} diverged`);
    });
    assert.equal(publicAcl(), 2);
  });

  it('picks up a suppression directive typed into a manifest that had none', () => {
    const pod = (n: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${n}\nspec:\n  containers:\n    - name: a\n      image: x:1\n      # runs the CNI\n      securityContext:\n        privileged: true\n`;
    const text = `${pod('a')}---\n${pod('b')}---\n${pod('c')}`;
    const doc = new SourceDocument('file:///virtual/incr/m.yaml', text, 1);
    const analyzer = new Analyzer(new RuleSet(ALL_RULES, defaultConfig()), 1e9, new Map([[doc.path, doc]]));
    const fresh = () => {
      const d = new SourceDocument('file:///virtual/incr/m.yaml', doc.text, doc.version);
      return [...new Analyzer(new RuleSet(ALL_RULES, defaultConfig()), 1e9, new Map([[d.path, d]])).analyzeYaml(d).byFile.values()].flat().map(key).sort();
    };
    const privileged = () => [...analyzer.analyzeYaml(doc).byFile.values()].flat().filter((f) => f.ruleId === 'k8s-no-privileged-containers').length;
    assert.equal(privileged(), 3);
    // On the line above `privileged: true` of the second pod, whose document is otherwise unchanged.
    typeIn(doc, { line: 22, character: 0 }, '        # rampart:ignore k8s-no-privileged-containers CNI\n', (k) => {
      assert.deepEqual([...analyzer.analyzeYaml(doc).byFile.values()].flat().map(key).sort(), fresh(), `keystroke ${k} diverged`);
    });
    assert.equal(privileged(), 2);
  });
});
