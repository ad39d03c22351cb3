import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ConfigError, defaultConfig, findConfigFile, loadConfigFile, mergeConfig, parseSize, type RampartConfig } from './engine/config';
import { RuleSet } from './engine/run';
import { UnitQueue, UnitRunner, mergeUnitResult, planUnits, sortFindings, type ScanUnit, type UnitResult } from './engine/scan';
import { SEVERITY_ORDER, isSeverity, severityRank, type Severity } from './engine/types';
import { WalkError } from './engine/walk';
import { formatText } from './output/text';
import { toSarif } from './output/sarif';
import { renderCatalogue } from './output/catalogue';
import { initParsers, isWasmFault } from './parse/treesitter';
import { ALL_RULES, publicDocUrl } from './rules';
import { DEFAULT_LLM_SETTINGS, type LlmSettings } from './protocol';
import type { Finding } from './engine/types';
import { llmScan } from './llm/scan';
import { scrub } from './llm/client';

declare const RAMPART_VERSION: string;
const VERSION = typeof RAMPART_VERSION === 'string' ? RAMPART_VERSION : '0.0.0-dev';

const USAGE = `Usage: rampart scan <path>... [options]
       rampart rules [--format text|json|markdown]

Scans Terraform (.tf, .tfvars) and Kubernetes YAML for security problems.

Options:
  -f, --format <text|json|sarif>  output format (default: text)
  -o, --output <file>             write the report to a file instead of stdout
      --fail-on <severity>        exit 1 when a finding is at or above: critical, high, medium, low
      --severity <severity>       report only findings at or above this severity
      --rule <id>                 run only this rule (repeatable)
      --skip-rule <id>            do not run this rule (repeatable)
  -c, --config <file>             configuration file (default: .rampart.yaml in the current directory)
      --max-file-size <size>      pass over larger files (default: 2MB)
      --no-gitignore              also scan files that .gitignore excludes
  -j, --jobs <n>                  worker threads (default: number of cores)
      --no-color                  plain text output
  -q, --quiet                     no progress on stderr
      --llm                       add an LLM review (OPENAI_API_KEY, OPENAI_BASE_URL); secrets are
                                  redacted first; a failed review leaves the local findings
      --llm-model <model>         the model (default: $RAMPART_LLM_MODEL or gpt-4o-mini)
      --llm-provider <p>          openai (default), azure (endpoint in OPENAI_BASE_URL, the model is
                                  the deployment, OPENAI_API_VERSION) or compatible (Ollama, vLLM)
      --llm-cache-dir <dir>       keep LLM answers here: unchanged resources are not sent again
      --llm-timeout <ms>          per request (default: 60000)
      --llm-gate                  let --fail-on count LLM findings too
  -h, --help                      this help
  -v, --version                   the version

Exit codes: 0 scan ran (findings or not), 1 findings at or above --fail-on, 2 usage or configuration error.`;

class UsageError extends Error {}

interface CliOptions {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  output?: string;
  failOn?: Severity;
  minSeverity?: Severity;
  config: RampartConfig;
  respectGitignore: boolean;
  jobs: number;
  color: boolean;
  quiet: boolean;
  llm?: { settings: LlmSettings; apiKey?: string; cacheDir?: string; gate: boolean };
}

function severityArg(name: string, v: string | undefined): Severity | undefined {
  if (v === undefined) return undefined;
  const s = v.toLowerCase();
  if (!isSeverity(s)) throw new UsageError(`--${name} must be one of ${SEVERITY_ORDER.slice().reverse().join(', ')} (got "${v}")`);
  return s;
}

function parseCli(argv: string[]): { command: 'scan' | 'rules' | 'help' | 'version'; options?: CliOptions; rulesFormat?: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        'fail-on': { type: 'string' },
        severity: { type: 'string' },
        rule: { type: 'string', multiple: true },
        'skip-rule': { type: 'string', multiple: true },
        config: { type: 'string', short: 'c' },
        'max-file-size': { type: 'string' },
        'no-gitignore': { type: 'boolean' },
        jobs: { type: 'string', short: 'j' },
        'no-color': { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        llm: { type: 'boolean' },
        'llm-model': { type: 'string' },
        'llm-provider': { type: 'string' },
        'llm-cache-dir': { type: 'string' },
        'llm-timeout': { type: 'string' },
        'llm-gate': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
  const { values: v, positionals } = parsed;
  if (v.version) return { command: 'version' };
  if (v.help || positionals.length === 0) return { command: 'help' };
  const [command, ...paths] = positionals;
  if (command === 'rules') return { command: 'rules', rulesFormat: v.format ?? 'text' };
  if (command !== 'scan') throw new UsageError(`unknown command "${command}" (expected "scan" or "rules")`);
  if (paths.length === 0) throw new UsageError('scan needs at least one path, e.g. "rampart scan ."');
  const format = (v.format ?? 'text').toLowerCase();
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif (got "${v.format}")`);
  const known = new Set(ALL_RULES.map((r) => r.id));
  for (const id of [...(v.rule ?? []), ...(v['skip-rule'] ?? [])]) {
    if (!known.has(id)) throw new UsageError(`unknown rule "${id}" (see "rampart rules")`);
  }
  let config = defaultConfig();
  const configPath = v.config ?? findConfigFile(process.cwd());
  if (v.config && !fs.existsSync(v.config)) throw new UsageError(`--config: ${v.config} does not exist`);
  if (configPath) config = mergeConfig(config, loadConfigFile(configPath));
  config = mergeConfig(config, { disabledRules: v['skip-rule'] ?? [], ...(v.rule ? { enabledOnly: v.rule } : {}) });
  if (v['max-file-size']) {
    try { config.maxFileBytes = parseSize(v['max-file-size'], '--max-file-size'); } catch (e) { throw new UsageError((e as Error).message); }
  }
  let jobs = Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 8));
  if (v.jobs !== undefined) {
    jobs = Number(v.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs must be a whole number from 1 to 64 (got "${v.jobs}")`);
  }
  let llm: CliOptions['llm'];
  const llmFlags = ['llm-model', 'llm-provider', 'llm-cache-dir', 'llm-timeout', 'llm-gate'] as const;
  if (!v.llm && llmFlags.some((f) => v[f] !== undefined)) throw new UsageError(`--${llmFlags.find((f) => v[f] !== undefined)} needs --llm`);
  if (v.llm) {
    const provider = (v['llm-provider'] ?? 'openai').toLowerCase();
    if (provider !== 'openai' && provider !== 'azure' && provider !== 'compatible') throw new UsageError(`--llm-provider must be openai, azure or compatible (got "${v['llm-provider']}")`);
    const timeoutMs = v['llm-timeout'] === undefined ? 60_000 : Number(v['llm-timeout']);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) throw new UsageError(`--llm-timeout must be milliseconds from 1 to 600000 (got "${v['llm-timeout']}")`);
    const env = process.env;
    const baseUrl = provider === 'azure' ? env['AZURE_OPENAI_ENDPOINT'] ?? env['OPENAI_BASE_URL'] ?? '' : env['OPENAI_BASE_URL'] ?? '';
    const model = v['llm-model'] ?? env['RAMPART_LLM_MODEL'] ?? DEFAULT_LLM_SETTINGS.model;
    llm = {
      settings: {
        ...DEFAULT_LLM_SETTINGS, enabled: true, provider, baseUrl, model, timeoutMs, maxRequestsPerHour: 0,
        azureDeployment: model, azureApiVersion: env['OPENAI_API_VERSION'] ?? DEFAULT_LLM_SETTINGS.azureApiVersion,
      },
      apiKey: (provider === 'azure' ? env['AZURE_OPENAI_API_KEY'] : undefined) ?? env['OPENAI_API_KEY'] ?? undefined,
      cacheDir: v['llm-cache-dir'],
      gate: !!v['llm-gate'],
    };
  }
  return {
    command: 'scan',
    options: {
      llm,
      paths, format, output: v.output, failOn: severityArg('fail-on', v['fail-on']), minSeverity: severityArg('severity', v.severity),
      config, respectGitignore: !v['no-gitignore'], jobs,
      color: !v['no-color'] && !process.env['NO_COLOR'] && !v.output && process.stdout.isTTY === true,
      quiet: !!v.quiet || !process.stderr.isTTY,
    },
  };
}

// ---------------------------------------------------------------- running units

interface WorkerInit { config: RampartConfig; roots: string[] }
type WorkerMessage = { units: ScanUnit[] } | { done: true };

if (!isMainThread && workerData?.rampartWorker) {
  const init = workerData.init as WorkerInit;
  void (async () => {
    await initParsers();
    const runner = new UnitRunner(new RuleSet(ALL_RULES, init.config), init.config.maxFileBytes, undefined, undefined, init.roots);
    parentPort!.on('message', (m: WorkerMessage) => {
      if ('done' in m) { parentPort!.close(); return; }
      const result: UnitResult = { findings: [], suppressed: 0, notes: [], files: 0, bytes: 0 };
      let crashed = false;
      for (const u of m.units) {
        try { mergeUnitResult(result, runner.run(u)); } catch (e) {
          result.notes.push({ file: u.dir, level: 'error', message: `internal error, this part was not scanned: ${(e as Error).message}` });
          crashed ||= isWasmFault(e);
        }
      }
      parentPort!.postMessage(result);
      // After a wasm fault the parser cannot be trusted: this worker stops, the others go on.
      if (crashed) process.exit(1);
    });
    parentPort!.postMessage({ ready: true });
  })();
}

/**
 * Worker threads, started before the scan is planned so that their start-up (loading the bundle
 * and the grammars) overlaps with walking the tree.
 */
class WorkerPool {
  private readonly workers: { worker: Worker; ready: Promise<void> }[] = [];
  constructor(size: number, config: RampartConfig, roots: string[]) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(__filename, { workerData: { rampartWorker: true, init: { config, roots } satisfies WorkerInit } });
      const ready = new Promise<void>((resolve, reject) => {
        const onMessage = (m: { ready?: true }) => { if (m.ready) { worker.off('message', onMessage); resolve(); } };
        worker.on('message', onMessage);
        worker.once('error', reject);
      });
      ready.catch(() => { /* reported by run() */ });
      this.workers.push({ worker, ready });
    }
  }

  get size(): number { return this.workers.length; }

  /** Units that no worker could finish (every worker stopped, or one stopped holding it). */
  readonly unscanned: ScanUnit[] = [];
  private readonly exited = new Set<Worker>();

  async run(units: ScanUnit[], total: UnitResult, progress: (done: number) => void): Promise<void> {
    const queue = new UnitQueue<Worker>(units);
    let done = 0;
    await Promise.all(this.workers.map(async ({ worker, ready }) => {
      await ready;
      await new Promise<void>((resolve, reject) => {
        let inFlight: ScanUnit | undefined;
        const feed = () => {
          // One unit per message: a message costs far less than a unit, and units come largest first.
          inFlight = this.exited.has(worker) ? undefined : queue.next(worker);
          if (!inFlight) { worker.off('message', onMessage); resolve(); return; }
          worker.postMessage({ units: [inFlight] });
        };
        const onMessage = (m: UnitResult) => {
          inFlight = undefined;
          mergeUnitResult(total, m);
          progress(++done);
          setImmediate(feed); // lets an 'exit' right after the answer be seen first
        };
        worker.on('message', onMessage);
        worker.once('error', reject);
        // A worker that stopped early (after a wasm fault) leaves the remaining units to the others.
        worker.once('exit', () => {
          this.exited.add(worker);
          worker.off('message', onMessage);
          if (inFlight) this.unscanned.push(inFlight);
          resolve();
        });
        feed();
      });
    }));
    if (this.exited.size === this.workers.length) this.unscanned.push(...queue.drain());
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.filter(({ worker }) => !this.exited.has(worker)).map(({ worker }) => new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage({ done: true });
    })));
  }
}

async function runUnits(units: ScanUnit[], o: CliOptions, pool: WorkerPool | undefined, progress: (done: number) => void): Promise<UnitResult> {
  const total: UnitResult = { findings: [], suppressed: 0, notes: [], files: 0, bytes: 0 };
  if (!pool || units.length < 8) {
    await initParsers();
    const runner = new UnitRunner(new RuleSet(ALL_RULES, o.config), o.config.maxFileBytes, undefined, undefined, o.paths);
    let done = 0;
    for (const u of units) {
      mergeUnitResult(total, runner.run(u));
      progress(++done);
    }
    return total;
  }
  await pool.run(units, total, progress);
  if (pool.unscanned.length) {
    for (const u of pool.unscanned) total.notes.push({ file: u.dir, level: 'error', message: 'not scanned: every worker stopped after an internal error' });
  }
  return total;
}

// ---------------------------------------------------------------- main

async function scanCommand(o: CliOptions): Promise<number> {
  const started = Date.now();
  const notes: UnitResult['notes'] = [];
  const pool = o.jobs > 1 ? new WorkerPool(o.jobs, o.config, o.paths) : undefined;
  let planned: ReturnType<typeof planUnits>;
  try { planned = planUnits(o.paths, o.config, notes, o.respectGitignore); } catch (e) { await pool?.close(); throw e; }
  const { units, files } = planned;
  const showProgress = !o.quiet && units.length > 20;
  const progress = (done: number) => {
    if (showProgress && (done % 10 === 0 || done === units.length)) process.stderr.write(`\rrampart: scanned ${done}/${units.length} modules and folders`);
  };
  let result: UnitResult;
  try { result = await runUnits(units, o, pool, progress); } finally { await pool?.close(); }
  if (showProgress) process.stderr.write('\r\u001b[K');
  result.notes.unshift(...notes);
  const ruleSet = new RuleSet(ALL_RULES, o.config);
  let llmFindings: Finding[] = [];
  if (o.llm) llmFindings = await llmPass(o, units, result.findings, ruleSet);
  let findings = sortFindings([...result.findings, ...llmFindings]);
  if (o.minSeverity) findings = findings.filter((f) => severityRank(f.severity) >= severityRank(o.minSeverity!));
  const durationMs = Date.now() - started;
  const baseDir = process.cwd();
  let report: string;
  if (o.format === 'sarif') {
    report = JSON.stringify(toSarif(ruleSet.rules, findings, result.notes, { version: VERSION, baseDir, docUrl: publicDocUrl, severityOf: (r) => ruleSet.severityOf(r) }), null, 2) + '\n';
  } else if (o.format === 'json') {
    report = JSON.stringify({
      version: VERSION,
      summary: {
        files: Math.max(files, result.files), durationMs, suppressed: result.suppressed,
        bySeverity: Object.fromEntries(SEVERITY_ORDER.map((s) => [s, findings.filter((f) => f.severity === s).length])),
      },
      findings: findings.map((f) => ({
        ruleId: f.ruleId, severity: f.severity, title: f.title, message: f.message, address: f.address,
        file: path.relative(baseDir, f.file) || f.file,
        range: { startLine: f.span.startLine + 1, startColumn: f.span.startCol + 1, endLine: f.span.endLine + 1, endColumn: f.span.endCol + 1 },
        fixable: !!f.fix, origin: f.origin,
        ...(f.origin === 'llm' ? { explanation: (f as Finding & { explanation?: string }).explanation ?? '' } : {}),
        ...(f.related ? { related: f.related.map((r) => ({ file: path.relative(baseDir, r.file), line: r.span.startLine + 1, message: r.message })) } : {}),
      })),
      notes: result.notes.map((n) => ({ ...n, file: path.relative(baseDir, n.file) || n.file })),
    }, null, 2) + '\n';
  } else {
    report = formatText(findings, result.notes, { color: o.color, baseDir, durationMs, files: Math.max(files, result.files), suppressed: result.suppressed });
  }
  if (o.output) {
    fs.mkdirSync(path.dirname(path.resolve(o.output)), { recursive: true });
    fs.writeFileSync(o.output, report);
    if (!o.quiet) process.stderr.write(`rampart: ${findings.length} findings written to ${o.output}\n`);
  } else {
    process.stdout.write(report);
  }
  if (o.format !== 'text') {
    for (const n of result.notes) if (n.level !== 'info') process.stderr.write(`rampart: ${n.level}: ${path.relative(baseDir, n.file) || n.file}: ${n.message}\n`);
  }
  // LLM findings count for --fail-on only with --llm-gate: an LLM's opinion does not fail a build by default.
  const gated = o.llm?.gate ? findings : findings.filter((f) => f.origin !== 'llm');
  if (o.failOn && gated.some((f) => severityRank(f.severity) >= severityRank(o.failOn!))) return 1;
  return 0;
}

async function llmPass(o: CliOptions, units: ScanUnit[], local: Finding[], ruleSet: RuleSet): Promise<Finding[]> {
  const l = o.llm!;
  const say = (m: string) => process.stderr.write(`rampart: ${scrub(m, l.apiKey)}\n`);
  try {
    await initParsers();
    const r = await llmScan({
      units, localFindings: local, ruleSet, maxFileBytes: o.config.maxFileBytes, settings: l.settings, apiKey: l.apiKey,
      cacheDir: l.cacheDir, baseDir: process.cwd(), log: o.quiet ? undefined : say,
    });
    if (r.fault) {
      say(`LLM review failed (${r.fault.message}) for ${r.failedFiles} of ${r.total} file(s); the report has the local findings${r.findings.length ? ' and the LLM findings of the other files' : ' only'}.`);
    } else if (!o.quiet) {
      say(`LLM review: ${r.files} file(s), ${r.requests} request(s), ${r.findings.length} LLM finding(s)${r.dropped ? `, ${r.dropped} suggestion(s) dropped by validation` : ''}.`);
    }
    return r.findings;
  } catch (e) {
    say(`LLM review failed (${(e as Error).message}); the report has the local findings only.`);
    return [];
  }
}

function rulesCommand(format: string): number {
  if (format === 'markdown') {
    process.stdout.write(renderCatalogue(ALL_RULES));
    return 0;
  }
  if (format === 'json') {
    process.stdout.write(JSON.stringify(ALL_RULES.map((r) => ({
      id: r.id, title: r.title, severity: r.severity, target: r.target, fixable: !!r.fixable,
      equivalents: r.equivalents, compliance: r.compliance,
    })), null, 2) + '\n');
  } else {
    for (const r of ALL_RULES) process.stdout.write(`${r.id.padEnd(48)} ${r.severity.padEnd(9)} ${r.title}\n`);
    process.stdout.write(`\n${ALL_RULES.length} rules\n`);
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await initParsers(); // .rampart.yaml is read with the YAML grammar while the arguments are checked
    const cmd = parseCli(argv);
    if (cmd.command === 'version') { process.stdout.write(`${VERSION}\n`); return 0; }
    if (cmd.command === 'help') { process.stdout.write(USAGE + '\n'); return argv.length === 0 ? 2 : 0; }
    if (cmd.command === 'rules') return rulesCommand(cmd.rulesFormat ?? 'text');
    return await scanCommand(cmd.options!);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof WalkError) {
      process.stderr.write(`rampart: ${e.message}\n`);
      if (e instanceof UsageError) process.stderr.write('Run "rampart --help" for usage.\n');
      return 2;
    }
    process.stderr.write(`rampart: internal error: ${(e as Error).stack ?? e}\n`);
    return 3;
  }
}

if (isMainThread && require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
