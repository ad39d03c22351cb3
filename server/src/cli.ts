import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ConfigError, defaultConfig, findConfigFile, loadConfigFile, mergeConfig, parseSize, type RampartConfig } from './engine/config';
import { RuleSet } from './engine/run';
import { UnitRunner, mergeUnitResult, planUnits, sortFindings, type ScanUnit, type UnitResult } from './engine/scan';
import { SEVERITY_ORDER, isSeverity, severityRank, type Severity } from './engine/types';
import { WalkError } from './engine/walk';
import { formatText } from './output/text';
import { toSarif } from './output/sarif';
import { renderCatalogue } from './output/catalogue';
import { initParsers } from './parse/treesitter';
import { ALL_RULES, ruleDocUrl } from './rules';

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
  return {
    command: 'scan',
    options: {
      paths, format, output: v.output, failOn: severityArg('fail-on', v['fail-on']), minSeverity: severityArg('severity', v.severity),
      config, respectGitignore: !v['no-gitignore'], jobs,
      color: !v['no-color'] && !process.env['NO_COLOR'] && !v.output && process.stdout.isTTY === true,
      quiet: !!v.quiet || !process.stderr.isTTY,
    },
  };
}

// ---------------------------------------------------------------- running units

interface WorkerInit { config: RampartConfig }
type WorkerMessage = { units: ScanUnit[] } | { done: true };

if (!isMainThread && workerData?.rampartWorker) {
  const init = workerData.init as WorkerInit;
  void (async () => {
    await initParsers();
    const runner = new UnitRunner(new RuleSet(ALL_RULES, init.config), init.config.maxFileBytes);
    parentPort!.on('message', (m: WorkerMessage) => {
      if ('done' in m) { parentPort!.close(); return; }
      const result: UnitResult = { findings: [], suppressed: 0, notes: [], files: 0, bytes: 0 };
      for (const u of m.units) {
        try { mergeUnitResult(result, runner.run(u)); } catch (e) {
          result.notes.push({ file: u.dir, level: 'error', message: `internal error, this part was not scanned: ${(e as Error).message}` });
        }
      }
      parentPort!.postMessage(result);
    });
    parentPort!.postMessage({ ready: true });
  })();
}

async function runUnits(units: ScanUnit[], o: CliOptions, progress: (done: number) => void): Promise<UnitResult> {
  const total: UnitResult = { findings: [], suppressed: 0, notes: [], files: 0, bytes: 0 };
  const workers = Math.min(o.jobs, Math.ceil(units.length / 4));
  if (workers <= 1) {
    await initParsers();
    const runner = new UnitRunner(new RuleSet(ALL_RULES, o.config), o.config.maxFileBytes);
    let done = 0;
    for (const u of units) {
      mergeUnitResult(total, runner.run(u));
      progress(++done);
    }
    return total;
  }
  const queue = [...units];
  let next = 0;
  let done = 0;
  // One unit per message: units come largest first, and a message costs far less than a unit.
  const batch = 1;
  await Promise.all(Array.from({ length: workers }, () => new Promise<void>((resolve, reject) => {
    const w = new Worker(__filename, { workerData: { rampartWorker: true, init: { config: o.config } satisfies WorkerInit } });
    let sent = 0;
    const feed = () => {
      if (next >= queue.length) { w.postMessage({ done: true }); return; }
      const slice = queue.slice(next, next + batch);
      next += slice.length;
      sent = slice.length;
      w.postMessage({ units: slice });
    };
    w.on('message', (m: UnitResult | { ready: true }) => {
      if ('ready' in m) { feed(); return; }
      mergeUnitResult(total, m);
      done += sent;
      progress(done);
      feed();
    });
    w.on('error', reject);
    w.on('exit', () => resolve());
  })));
  return total;
}

// ---------------------------------------------------------------- main

async function scanCommand(o: CliOptions): Promise<number> {
  const started = Date.now();
  const notes: UnitResult['notes'] = [];
  const { units, files } = planUnits(o.paths, o.config, notes, o.respectGitignore);
  const showProgress = !o.quiet && units.length > 20;
  const progress = (done: number) => {
    if (showProgress && (done % 10 === 0 || done === units.length)) process.stderr.write(`\rrampart: scanned ${done}/${units.length} modules and folders`);
  };
  const result = await runUnits(units, o, progress);
  if (showProgress) process.stderr.write('\r\u001b[K');
  result.notes.unshift(...notes);
  const ruleSet = new RuleSet(ALL_RULES, o.config);
  let findings = sortFindings(result.findings);
  if (o.minSeverity) findings = findings.filter((f) => severityRank(f.severity) >= severityRank(o.minSeverity!));
  const durationMs = Date.now() - started;
  const baseDir = process.cwd();
  let report: string;
  if (o.format === 'sarif') {
    report = JSON.stringify(toSarif(ruleSet.rules, findings, result.notes, { version: VERSION, baseDir, docUrl: ruleDocUrl, severityOf: (r) => ruleSet.severityOf(r) }), null, 2) + '\n';
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
  if (o.failOn && findings.some((f) => severityRank(f.severity) >= severityRank(o.failOn!))) return 1;
  return 0;
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
