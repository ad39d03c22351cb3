import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../server/src/engine/fix';
import { parseHcl } from '../server/src/parse/hcl';
import { parseYaml } from '../server/src/parse/yaml';
import { initParsers } from '../server/src/parse/treesitter';
import { ALL_RULES } from '../server/src/rules';
import type { Rule } from '../server/src/engine/rule';
import { exampleFiles, scanFiles } from './helpers';

const ID = /^(aws|azure|google|k8s|kubernetes|generic|github|secrets)-[a-z0-9]+(-[a-z0-9]+)*$/;
const TRIVY = /^AVD-[A-Z0-9]+-\d{4}$/;
const CHECKOV = /^CKV2?_[A-Z0-9]+_\d+$/;
const KICS = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('rule catalogue', () => {
  it('has unique ids', () => {
    const seen = new Set<string>();
    for (const r of ALL_RULES) {
      assert.ok(!seen.has(r.id), `duplicate rule id ${r.id}`);
      seen.add(r.id);
    }
  });
  it('has at least 80 rules', () => {
    assert.ok(ALL_RULES.length >= 80, `only ${ALL_RULES.length} rules`);
  });
});

function parsesCleanly(file: string, text: string): boolean {
  if (file.endsWith('.tf') || file.endsWith('.tfvars')) return !parseHcl(file, text).hasErrors;
  return !parseYaml(file, text).hasErrors;
}

async function checkFix(rule: Rule, files: Map<string, string>): Promise<void> {
  const before = await scanFiles(files);
  const beforeKeys = new Set(before.findings.map((f) => `${f.ruleId}|${f.address}`));
  let current = new Map(files);
  for (let round = 0; round < 10; round++) {
    const r = await scanFiles(current, [rule.id]);
    const own = r.findings.filter((f) => f.ruleId === rule.id);
    if (own.length === 0) break;
    const withFix = own.find((f) => f.fix);
    assert.ok(withFix, `${rule.id}: finding without a fix: ${own[0]!.message}`);
    const next = new Map(current);
    for (const [file, text] of current) {
      const edits = withFix.fix!.edits.filter((e) => e.file === file);
      if (edits.length) next.set(file, applyEdits(text, edits));
    }
    current = next;
  }
  const after = await scanFiles(current);
  const remaining = after.findings.filter((f) => f.ruleId === rule.id);
  assert.equal(remaining.length, 0, `${rule.id}: finding still there after fixes:\n${[...current.values()].join('\n---\n')}`);
  const added = after.findings.filter((f) => !beforeKeys.has(`${f.ruleId}|${f.address}`));
  assert.deepEqual(added.map((f) => `${f.ruleId} ${f.message}`), [], `${rule.id}: the fix raised new findings`);
  for (const [file, text] of current) assert.ok(parsesCleanly(file, text), `${rule.id}: fixed file does not parse:\n${text}`);
}

describe('every rule on its own examples', async () => {
  await initParsers();
  for (const rule of ALL_RULES) {
    describe(rule.id, () => {
      it('has complete metadata', () => {
        assert.match(rule.id, ID);
        for (const k of ['title', 'impact', 'remediation'] as const) assert.ok(rule[k].length > 10, `${k} is too short`);
        assert.ok(['critical', 'high', 'medium', 'low'].includes(rule.severity));
        assert.ok(rule.references.length > 0, 'needs a reference');
        for (const u of rule.references) assert.match(u, /^https:\/\//);
        for (const id of rule.equivalents.trivy ?? []) assert.match(id, TRIVY);
        for (const id of rule.equivalents.checkov ?? []) assert.match(id, CHECKOV);
        for (const id of rule.equivalents.kics ?? []) assert.match(id, KICS);
        assert.ok(rule.examples.bad.length > 0, 'needs a bad example');
        assert.ok(rule.examples.good.length > 0, 'needs a good example');
      });
      rule.examples.bad.forEach((ex, i) => {
        it(`flags bad example ${i + 1}`, async () => {
          const files = exampleFiles(rule, ex, `bad-${i + 1}`);
          const r = await scanFiles(files, [rule.id]);
          assert.deepEqual(r.notes.filter((n) => n.level === 'error'), []);
          const own = r.findings.filter((f) => f.ruleId === rule.id);
          assert.ok(own.length > 0, `no ${rule.id} finding on:\n${[...files.values()].join('\n---\n')}`);
          for (const f of own) {
            assert.ok(f.address.length > 0, 'finding without an address');
            assert.ok(f.message.length > 10, 'finding without a message');
            if (rule.fixable) assert.ok(f.fix, `${rule.id} is fixable but a finding has no fix`);
          }
        });
        if (rule.fixable) {
          it(`fixes bad example ${i + 1}`, async () => {
            await checkFix(rule, exampleFiles(rule, ex, `fix-${i + 1}`));
          });
        }
      });
      rule.examples.good.forEach((ex, i) => {
        it(`passes good example ${i + 1}`, async () => {
          const files = exampleFiles(rule, ex, `good-${i + 1}`);
          const r = await scanFiles(files, [rule.id]);
          const own = r.findings.filter((f) => f.ruleId === rule.id);
          assert.deepEqual(own.map((f) => f.message), [], `unexpected ${rule.id} finding`);
        });
      });
    });
  }
});
