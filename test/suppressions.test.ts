import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initParsers } from '../server/src/parse/treesitter';
import { ConfigError, parseConfig } from '../server/src/engine/config';
import { scanFiles } from './helpers';

const RULE = 'aws-s3-no-public-acl';
const bucket = (pre: string, inline = '') => `${pre}resource "aws_s3_bucket" "b" {\n  acl = "public-read"${inline}\n}\n`;

describe('suppressions', () => {
  before(() => initParsers());

  const cases: [string, string, number][] = [
    ['no comment', bucket(''), 1],
    ['rampart:ignore above the block', bucket(`# rampart:ignore ${RULE} public website bucket\n`), 0],
    ['rampart:ignore on the line', bucket('', ` # rampart:ignore ${RULE} reviewed`), 0],
    ['rampart:ignore for another rule', bucket('# rampart:ignore aws-s3-enable-versioning\n'), 1],
    ['checkov:skip by equivalent id', bucket('#checkov:skip=CKV_AWS_20:public site\n'), 0],
    ['trivy:ignore by AVD id', bucket('#trivy:ignore:AVD-AWS-0092\n'), 0],
    ['tfsec:ignore by short id', bucket('#tfsec:ignore:AWS-0092\n'), 0],
    ['kics-scan ignore-line', 'resource "aws_s3_bucket" "b" {\n  # kics-scan ignore-line\n  acl = "public-read"\n}\n', 0],
    ['comment far away does not apply', `# rampart:ignore ${RULE}\n\nresource "aws_s3_bucket" "x" {}\n\n` + bucket(''), 1],
  ];
  for (const [name, text, expected] of cases) {
    it(name, async () => {
      const r = await scanFiles({ 'main.tf': text }, [RULE]);
      assert.equal(r.findings.length, expected);
      assert.equal(r.suppressed, 1 - expected);
    });
  }

  it('honours checkov.io/skip annotations on Kubernetes objects', async () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    checkov.io/skip1: CKV_K8S_16=needed for the CNI\nspec:\n  containers:\n    - name: a\n      image: x:1\n      securityContext:\n        privileged: true\n';
    const r = await scanFiles({ 'p.yaml': text }, ['k8s-no-privileged-containers']);
    assert.equal(r.findings.length, 0);
    assert.equal(r.suppressed, 1);
  });

  it('honours # rampart:ignore in YAML', async () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: x:1\n      securityContext:\n        # rampart:ignore k8s-no-privileged-containers CNI plugin\n        privileged: true\n';
    const r = await scanFiles({ 'p.yaml': text }, ['k8s-no-privileged-containers']);
    assert.equal(r.findings.length, 0);
  });
});

describe('.rampart.yaml', () => {
  before(() => initParsers());
  it('reads disabled rules, severity overrides, excludes and size', () => {
    const c = parseConfig('/c.yaml', 'disable: [a-b-c]\nseverity:\n  aws-s3-no-public-acl: critical\nexclude:\n  - legacy/**\nmaxFileSize: 1MB\n');
    assert.deepEqual(c.disabledRules, ['a-b-c']);
    assert.deepEqual(c.severityOverrides, { 'aws-s3-no-public-acl': 'critical' });
    assert.deepEqual(c.exclude, ['legacy/**']);
    assert.equal(c.maxFileBytes, 1024 * 1024);
  });
  it('rejects unknown keys and bad severities with the line number', () => {
    assert.throws(() => parseConfig('/c.yaml', 'disabled: [x]\n'), (e: Error) => e instanceof ConfigError && /unknown key "disabled"/.test(e.message));
    assert.throws(() => parseConfig('/c.yaml', 'severity:\n  x: urgent\n'), /c.yaml:2: severity of x must be/);
  });
});
