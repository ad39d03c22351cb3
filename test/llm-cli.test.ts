import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeOpenAI, finding } from './fake-openai';
import { SECRETS_TF, SECRETS_YAML, SECRET_VALUES } from './llm-fixtures';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const API_KEY = 'sk-cli-test-key-0123456789abcdef';
const BUCKET = 'resource "aws_s3_bucket" "site" {\n  bucket = "site"\n  acl    = "public-read"\n}\n';

/** Asynchronous: the fake server lives in this process and must keep answering. */
function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', OPENAI_API_KEY: API_KEY, ...env } });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-llm-cli-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

describe('rampart scan --llm', () => {
  let fake: FakeOpenAI;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    fake = await new FakeOpenAI().start();
    env = { OPENAI_BASE_URL: fake.baseUrl };
  });
  after(() => fake.stop());

  const critical = finding({ resource: 'aws_s3_bucket.site', line: 3, id: 'world-readable', severity: 'critical', title: 'World-readable bucket', explanation: 'Anyone can read it.' });

  it('adds LLM findings to text, JSON and SARIF, marked as such', async () => {
    const dir = tree({ 'main.tf': BUCKET });
    fake.fallback = { json: { findings: [critical] } };
    const j = await run(['scan', '.', '--format', 'json', '--llm', '--llm-model', 'm-1'], dir, env);
    assert.equal(j.code, 0, j.stderr);
    const out = JSON.parse(j.stdout);
    const aiF = out.findings.find((f: { origin: string }) => f.origin === 'llm');
    assert.equal(aiF.ruleId, 'ai-world-readable');
    assert.equal(aiF.severity, 'critical');
    assert.equal(aiF.range.startLine, 3);
    assert.equal(aiF.explanation, 'Anyone can read it.');
    assert.ok(out.findings.some((f: { origin: string; ruleId: string }) => f.origin === 'rule' && f.ruleId === 'aws-s3-no-public-acl'));
    assert.equal(fake.requests[fake.requests.length - 1]!.json.model, 'm-1');
    const t = await run(['scan', '.', '--llm'], dir, env);
    assert.match(t.stdout, /\[AI\] World-readable bucket ai-world-readable/);
    const s = await run(['scan', '.', '--format', 'sarif', '--llm'], dir, env);
    const sarif = JSON.parse(s.stdout);
    const r = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'ai-world-readable');
    assert.equal(r.properties.origin, 'llm');
    assert.match(r.message.text, /^\[Rampart AI\]/);
    assert.ok(sarif.runs[0].tool.driver.rules[r.ruleIndex].properties.tags.includes('llm'));
    fake.fallback = { json: { findings: [] } };
  });

  it('counts LLM findings for --fail-on only with --llm-gate', async () => {
    const dir = tree({ 'main.tf': BUCKET });
    fake.fallback = { json: { findings: [critical] } };
    assert.equal((await run(['scan', '.', '--fail-on', 'critical', '--llm'], dir, env)).code, 0);
    assert.equal((await run(['scan', '.', '--fail-on', 'critical', '--llm', '--llm-gate'], dir, env)).code, 1);
    fake.fallback = { json: { findings: [] } };
    assert.equal((await run(['scan', '.', '--llm-gate'], dir, env)).code, 2, '--llm-gate needs --llm');
  });

  it('still completes with the local findings when the LLM fails, and exits as without --llm', async () => {
    const dir = tree({ 'main.tf': BUCKET });
    const plain = await run(['scan', '.', '--format', 'json', '--fail-on', 'high'], dir, env);
    const localCount = JSON.parse(plain.stdout).findings.length;
    const faults: [string, Parameters<FakeOpenAI['answer']>[0], RegExp][] = [
      ['garbage', { content: 'no json here, sorry' }, /not valid JSON/],
      ['5xx', { status: 502 }, /HTTP 502/],
      ['timeout', { hang: true }, /no answer within 300 ms/],
    ];
    for (const [name, answer, why] of faults) {
      fake.fallback = answer;
      const r = await run(['scan', '.', '--format', 'json', '--fail-on', 'high', '--llm', '--llm-timeout', '300'], dir, env);
      assert.equal(r.code, plain.code, `${name}: same exit code`);
      assert.equal(JSON.parse(r.stdout).findings.length, localCount, `${name}: the local findings`);
      assert.match(r.stderr, /LLM review failed/, name);
      assert.match(r.stderr, why, name);
      assert.ok(!r.stderr.includes(API_KEY) && !r.stdout.includes(API_KEY), `${name}: the key is never printed`);
    }
    fake.fallback = { json: { findings: [] } };
  });

  it('redacts secrets and reuses its cache directory', async () => {
    const dir = tree({ 'infra/main.tf': SECRETS_TF, 'k8s/app.yaml': SECRETS_YAML });
    const cache = path.join(dir, '.llm-cache');
    const base = fake.requests.length;
    const r1 = await run(['scan', 'infra', 'k8s', '--llm', '--llm-cache-dir', cache, '--format', 'json'], dir, env);
    assert.equal(r1.code, 0, r1.stderr);
    assert.equal(fake.requests.length, base + 2, 'one request per file');
    const bodies = fake.requests.slice(base).map((q) => q.body).join('\n');
    for (const v of SECRET_VALUES) assert.ok(!bodies.includes(v), `a secret left the machine: ${v}`);
    for (const f of fs.readdirSync(cache, { recursive: true }) as string[]) {
      const p = path.join(cache, f);
      if (fs.statSync(p).isFile()) for (const v of SECRET_VALUES) assert.ok(!fs.readFileSync(p, 'utf8').includes(v));
    }
    const r2 = await run(['scan', 'infra', 'k8s', '--llm', '--llm-cache-dir', cache, '--format', 'json'], dir, env);
    assert.equal(r2.code, 0);
    assert.equal(fake.requests.length, base + 2, 'nothing is sent again');
  });
});
