import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmpTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-cli-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const PUBLIC_BUCKET = 'resource "aws_s3_bucket" "b" {\n  acl = "public-read"\n}\n';

describe('rampart CLI', () => {
  it('builds before these tests run', () => assert.ok(fs.existsSync(CLI), 'dist/cli.js missing: run node esbuild.js'));

  it('writes SARIF that follows the bench contract', () => {
    const dir = tmpTree({ 'app/main.tf': PUBLIC_BUCKET, 'k8s/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: x:1\n      securityContext: { privileged: true }\n' });
    const out = path.join(dir, 'out.sarif');
    const r = run(['scan', 'app', 'k8s', '--format', 'sarif', '--output', out], dir);
    assert.equal(r.code, 0, r.stderr);
    const sarif = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    const rule = run0.tool.driver.rules.find((x: { id: string }) => x.id === 'aws-s3-no-public-acl');
    assert.ok(rule.properties.equivalents.trivy.includes('AVD-AWS-0092'));
    assert.ok(Array.isArray(rule.properties.tags));
    const results = run0.results as { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; endLine: number } }; logicalLocations: { fullyQualifiedName: string }[] }[] }[];
    const s3 = results.find((x) => x.ruleId === 'aws-s3-no-public-acl')!;
    assert.equal(s3.locations[0]!.physicalLocation.artifactLocation.uri, 'app/main.tf');
    assert.equal(s3.locations[0]!.physicalLocation.region.startLine, 2);
    assert.equal(s3.locations[0]!.logicalLocations[0]!.fullyQualifiedName, 'aws_s3_bucket.b');
    const pod = results.find((x) => x.ruleId === 'k8s-no-privileged-containers')!;
    assert.equal(pod.locations[0]!.logicalLocations[0]!.fullyQualifiedName, 'Pod.default.p');
  });

  it('gates with --fail-on and filters with --severity', () => {
    const dir = tmpTree({ 'main.tf': PUBLIC_BUCKET });
    assert.equal(run(['scan', '.'], dir).code, 0);
    assert.equal(run(['scan', '.', '--fail-on', 'high'], dir).code, 1);
    assert.equal(run(['scan', '.', '--fail-on', 'critical'], dir).code, 0);
    const j = JSON.parse(run(['scan', '.', '--format', 'json', '--severity', 'critical'], dir).stdout);
    assert.equal(j.findings.length, 0);
  });

  it('prints text grouped by file with a summary', () => {
    const dir = tmpTree({ 'main.tf': PUBLIC_BUCKET });
    const r = run(['scan', '.', '--rule', 'aws-s3-no-public-acl'], dir);
    assert.match(r.stdout, /^main\.tf$/m);
    assert.match(r.stdout, /2:3\s+high\s+aws_s3_bucket\.b has the canned ACL "public-read"/);
    assert.match(r.stdout, /1 problem \(1 high\)/);
  });

  it('exits 2 with a clear message on usage errors', () => {
    for (const [args, msg] of [
      [['scan'], /needs at least one path/],
      [['scan', '.', '--format', 'xml'], /--format must be text, json or sarif/],
      [['scan', '.', '--fail-on', 'urgent'], /--fail-on must be one of/],
      [['scan', 'does-not-exist'], /does-not-exist: no such file or directory/],
      [['scan', '.', '--rule', 'nope'], /unknown rule "nope"/],
      [['scan', '.', '--bogus'], /Unknown option '--bogus'/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ] as const) {
      const r = run([...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
    }
  });

  it('reports a bad .rampart.yaml and exits 2', () => {
    const dir = tmpTree({ 'main.tf': PUBLIC_BUCKET, '.rampart.yaml': 'disabel: [x]\n' });
    const r = run(['scan', '.'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown key "disabel"/);
  });

  it('applies .rampart.yaml: disabled rules, severity overrides and excludes', () => {
    const dir = tmpTree({ 'main.tf': PUBLIC_BUCKET, 'legacy/main.tf': PUBLIC_BUCKET, '.rampart.yaml': 'severity:\n  aws-s3-no-public-acl: critical\nexclude: ["legacy/**"]\n' });
    const j = JSON.parse(run(['scan', '.', '--format', 'json'], dir).stdout);
    const own = j.findings.filter((f: { ruleId: string }) => f.ruleId === 'aws-s3-no-public-acl');
    assert.equal(own.length, 1);
    assert.equal(own[0].severity, 'critical');
    fs.writeFileSync(path.join(dir, '.rampart.yaml'), 'disable: [aws-s3-no-public-acl]\n');
    const j2 = JSON.parse(run(['scan', '.', '--format', 'json'], dir).stdout);
    assert.equal(j2.findings.filter((f: { ruleId: string }) => f.ruleId === 'aws-s3-no-public-acl').length, 0);
  });

  it('respects .gitignore and never enters .terraform', () => {
    const dir = tmpTree({ '.gitignore': 'generated/\n', 'generated/main.tf': PUBLIC_BUCKET, '.terraform/modules/x/main.tf': PUBLIC_BUCKET, 'ok/main.tf': 'resource "aws_s3_bucket" "b" {}\n' });
    const j = JSON.parse(run(['scan', '.', '--format', 'json', '--rule', 'aws-s3-no-public-acl'], dir).stdout);
    assert.deepEqual(j.findings, []);
    const j2 = JSON.parse(run(['scan', '.', '--format', 'json', '--rule', 'aws-s3-no-public-acl', '--no-gitignore'], dir).stdout);
    assert.deepEqual(j2.findings.map((f: { file: string }) => f.file), ['generated/main.tf']);
  });

  it('reports oversized and unreadable files and goes on', () => {
    const dir = tmpTree({ 'big/main.tf': PUBLIC_BUCKET + '#'.repeat(3 * 1024 * 1024), 'ok/main.tf': PUBLIC_BUCKET, 'locked/main.tf': PUBLIC_BUCKET });
    fs.chmodSync(path.join(dir, 'locked', 'main.tf'), 0o000);
    const canRead = (() => { try { fs.readFileSync(path.join(dir, 'locked', 'main.tf')); return true; } catch { return false; } })();
    const r = run(['scan', '.', '--rule', 'aws-s3-no-public-acl'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /big\/main\.tf: skipped: 3\.0 MB is over the 2\.0 MB file size limit/);
    assert.match(r.stdout, /^ok\/main\.tf$/m);
    if (!canRead) assert.match(r.stdout, /locked\/main\.tf: could not be read \(EACCES\)/);
    const r2 = run(['scan', '.', '--rule', 'aws-s3-no-public-acl', '--max-file-size', '4MB', '--format', 'json'], dir);
    assert.ok(JSON.parse(r2.stdout).findings.some((f: { file: string }) => f.file === 'big/main.tf'));
  });

  it('does not follow symlinks out of the tree or around in loops', () => {
    const outside = tmpTree({ 'main.tf': PUBLIC_BUCKET });
    const dir = tmpTree({ 'a/main.tf': 'resource "aws_s3_bucket" "b" {}\n' });
    fs.symlinkSync(outside, path.join(dir, 'escape'));
    fs.symlinkSync(dir, path.join(dir, 'a', 'loop'));
    const r = run(['scan', '.', '--format', 'json', '--rule', 'aws-s3-no-public-acl'], dir);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout).findings, []);
  });

  it('gives the same results with one worker and with several', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`m${i}/main.tf`] = PUBLIC_BUCKET + (i % 2 ? `module "store" {\n  source = "../modules/${i % 4 === 1 ? 'a' : 'b'}"\n}\n` : '');
    files['modules/a/main.tf'] = PUBLIC_BUCKET;
    files['modules/b/main.tf'] = 'module "inner" {\n  source = "../a"\n}\n';
    const dir = tmpTree(files);
    const one = JSON.parse(run(['scan', '.', '--format', 'json', '-j', '1'], dir).stdout).findings;
    const two = JSON.parse(run(['scan', '.', '--format', 'json', '-j', '2'], dir).stdout).findings;
    type Row = { file: string; ruleId: string; address: string };
    const acl = (one as Row[]).filter((f) => f.ruleId === 'aws-s3-no-public-acl');
    // Forty copies of one file: each finding names its own copy.
    assert.equal(new Set(acl.filter((f) => !f.file.startsWith('modules')).map((f) => f.file)).size, 40);
    // Ten callers reach modules/a as module.store, ten as module.store.module.inner: one finding each.
    assert.deepEqual(acl.filter((f) => f.file.startsWith('modules')).map((f) => f.address).sort(),
      ['module.store.aws_s3_bucket.b', 'module.store.module.inner.aws_s3_bucket.b']);
    assert.deepEqual(two, one);
  });

  it('scans the bundled examples', () => {
    const r = run(['scan', 'examples', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    const addresses = new Set(j.findings.map((f: { address: string }) => f.address));
    assert.ok(addresses.has('module.site.aws_s3_bucket.this'));
    assert.ok(addresses.has('Deployment.shop.checkout'));
  });
});

describe('rampart CLI and symlinked module files', () => {
  it('does not read a symlinked .tf file that resolves outside the scanned folder', () => {
    const outside = tmpTree({ 'secret.tf': 'resource "aws_s3_bucket" "leak" {\n  acl = "public-read"\n}\n' });
    const dir = tmpTree({ 'ws/main.tf': 'resource "aws_s3_bucket" "ok" {}\n' });
    fs.symlinkSync(path.join(outside, 'secret.tf'), path.join(dir, 'ws', 'linked.tf'));
    for (const jobs of ['1', '2']) {
      const r = run(['scan', 'ws', '--format', 'json', '--rule', 'aws-s3-no-public-acl', '-j', jobs], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout).findings, []);
    }
  });
});
