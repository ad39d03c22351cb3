/*
 * npm run bench: keystroke latency, cold start, workspace-scan throughput and memory, against the
 * tree-sitter parsing floor. Prints a table and writes bench/results.json. Not part of npm test.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LspClient } from '../test/lsp-client';
import { initParsers, parse } from '../server/src/parse/treesitter';
import { planUnits } from '../server/src/engine/scan';
import { defaultConfig } from '../server/src/engine/config';
import { editPositions, kubernetesFile, terraformFile } from './generate';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const PERF = path.resolve(ROOT, '..', 'shared', 'corpus', 'perf');
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN; };
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!; };
const rssOf = (pid: number): number => {
  try { return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024; } catch { return NaN; }
};

async function keystrokes(kind: 'terraform' | 'kubernetes'): Promise<{ p50: number; p95: number; max: number; edits: number; lines: number; rssMB: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-'));
  const text = kind === 'terraform' ? terraformFile(2000) : kubernetesFile(1500);
  const file = path.join(dir, kind === 'terraform' ? 'main.tf' : 'manifests.yaml');
  fs.writeFileSync(file, text);
  const client = new LspClient({ debounceMs: 0 });
  try {
    await client.initialize(dir);
    client.open(file, text);
    await client.waitDiagnostics(file, () => true, 30_000);
    // Warm-up edits are not measured: the first ones pay for JIT compilation.
    const positions = editPositions(text, 320);
    const times: number[] = [];
    let shift = new Map<number, number>();
    for (let k = 0; k < positions.length; k++) {
      const p = positions[k]!;
      const col = p.character + (shift.get(p.line) ?? 0);
      shift.set(p.line, (shift.get(p.line) ?? 0) + 1);
      const started = performance.now();
      const next = client.nextDiagnostics(file, 10_000);
      client.change(file, [{ range: { start: { line: p.line, character: col }, end: { line: p.line, character: col } }, text: 'x' }]);
      await next;
      if (k >= 20) times.push(performance.now() - started);
    }
    return { p50: pct(times, 50), p95: pct(times, 95), max: Math.max(...times), edits: times.length, lines: text.split('\n').length, rssMB: rssOf(client.proc.pid!) };
  } finally {
    await client.stop();
  }
}

async function coldStart(): Promise<{ initializeMs: number; firstDiagnosticsMs: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-'));
  const file = path.join(dir, 'main.tf');
  const text = 'resource "aws_s3_bucket" "b" {\n  acl = "public-read"\n}\n';
  fs.writeFileSync(file, text);
  const started = performance.now();
  const client = new LspClient({ debounceMs: 0 });
  try {
    await client.initialize(dir);
    const initializeMs = performance.now() - started;
    client.open(file, text);
    await client.waitDiagnostics(file, (d) => d.length > 0, 30_000);
    return { initializeMs, firstDiagnosticsMs: performance.now() - started };
  } finally {
    await client.stop();
  }
}

function cliScan(): { wallMs: number; peakRssMB: number; files: number; bytes: number } {
  const out = path.join(os.tmpdir(), `rampart-bench-${process.pid}.sarif`);
  const hasTime = fs.existsSync('/usr/bin/time');
  const args = hasTime ? ['-f', '%M', process.execPath, CLI, 'scan', PERF, '--format', 'sarif', '--output', out, '--quiet'] : [CLI, 'scan', PERF, '--format', 'sarif', '--output', out, '--quiet'];
  const started = performance.now();
  const r = spawnSync(hasTime ? '/usr/bin/time' : process.execPath, args, { encoding: 'utf8' });
  const wallMs = performance.now() - started;
  if (r.status !== 0) throw new Error(`scan failed: ${r.stderr}`);
  const peakKB = hasTime ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  const sarif = JSON.parse(fs.readFileSync(out, 'utf8'));
  fs.rmSync(out, { force: true });
  void sarif;
  const { files, bytes } = corpusFiles();
  return { wallMs, peakRssMB: peakKB / 1024, files: files.length, bytes };
}

let corpusCache: { files: string[]; bytes: number } | undefined;
function corpusFiles(): { files: string[]; bytes: number } {
  if (corpusCache) return corpusCache;
  const { units } = planUnits([PERF], defaultConfig(), [], true);
  const files = new Set<string>();
  for (const u of units) {
    if (u.kind === 'yaml') u.files.forEach((f) => files.add(f));
  }
  // Every Terraform file below the corpus (root and called modules alike).
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== '.terraform' && e.name !== '.git') walk(p);
      else if (e.isFile() && (p.endsWith('.tf') || p.endsWith('.tfvars'))) files.add(p);
    }
  };
  walk(PERF);
  const list = [...files];
  corpusCache = { files: list, bytes: list.reduce((n, f) => n + fs.statSync(f).size, 0) };
  return corpusCache;
}

async function parseFloor(): Promise<number> {
  await initParsers();
  const { files } = corpusFiles();
  const started = performance.now();
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    if (text.length > 2 * 1024 * 1024) continue;
    const tree = parse(f.endsWith('.yaml') || f.endsWith('.yml') ? 'yaml' : 'terraform', text);
    tree.delete();
  }
  return performance.now() - started;
}

async function serverAfterScan(): Promise<number> {
  const client = new LspClient({ debounceMs: 0 });
  try {
    await client.initialize(PERF);
    await client.request('rampart/scanWorkspace', {});
    await new Promise((r) => setTimeout(r, 500));
    return rssOf(client.proc.pid!);
  } finally {
    await client.stop();
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error('build first: node esbuild.js');
  const results: Record<string, number[]> = {};
  const add = (k: string, v: number) => { (results[k] ??= []).push(v); };
  for (let run = 1; run <= RUNS; run++) {
    process.stderr.write(`run ${run}/${RUNS}: keystrokes`);
    const tf = await keystrokes('terraform');
    add('keystroke.terraform.p50', tf.p50); add('keystroke.terraform.p95', tf.p95); add('keystroke.terraform.max', tf.max); add('server.rss.afterKeystrokesMB', tf.rssMB);
    const k8s = await keystrokes('kubernetes');
    add('keystroke.kubernetes.p50', k8s.p50); add('keystroke.kubernetes.p95', k8s.p95); add('keystroke.kubernetes.max', k8s.max);
    if (process.env['BENCH_ONLY'] === 'keystrokes') { process.stderr.write('\n'); continue; }
    process.stderr.write(', cold start');
    const cold = await coldStart();
    add('coldStart.initializeMs', cold.initializeMs); add('coldStart.firstDiagnosticsMs', cold.firstDiagnosticsMs);
    process.stderr.write(', workspace scan');
    const scan = cliScan();
    add('scan.wallMs', scan.wallMs); add('scan.peakRssMB', scan.peakRssMB);
    add('scan.filesPerSec', scan.files / (scan.wallMs / 1000)); add('scan.MBPerSec', scan.bytes / 1024 / 1024 / (scan.wallMs / 1000));
    process.stderr.write(', parse floor');
    const floor = await parseFloor();
    add('parseFloor.ms', floor); add('scan.ratioToFloor', scan.wallMs / floor);
    process.stderr.write(', server scan memory\n');
    add('server.rss.afterWorkspaceScanMB', await serverAfterScan());
  }
  const med = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
  const { files, bytes } = corpusFiles();
  const targets: [string, string, (v: number) => boolean][] = [
    ['keystroke.terraform.p95', '<= 10 ms', (v) => v <= 10],
    ['keystroke.kubernetes.p95', '<= 10 ms', (v) => v <= 10],
    ['coldStart.firstDiagnosticsMs', '<= 400 ms', (v) => v <= 400],
    ['scan.ratioToFloor', '<= 0.8', (v) => v <= 0.8],
    ['scan.peakRssMB', '<= 400 MB', (v) => v <= 400],
    ['server.rss.afterWorkspaceScanMB', '< 250 MB', (v) => v < 250],
  ];
  const rows = Object.keys(med).map((k) => {
    const t = targets.find(([n]) => n === k);
    return [k, med[k]!.toFixed(k.includes('ratio') ? 2 : 1), results[k]!.map((x) => x.toFixed(k.includes('ratio') ? 2 : 1)).join(' / '), t ? `${t[1]} ${t[2](med[k]!) ? 'ok' : 'MISSED'}` : ''];
  });
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), 8));
  console.log(`Rampart bench: medians of ${RUNS} runs on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}`);
  console.log(`speed corpus: ${files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
  console.log(['metric'.padEnd(w[0]!), 'median'.padStart(w[1]!), 'runs'.padEnd(w[2]!), 'target'].join('  '));
  for (const r of rows) console.log([r[0]!.padEnd(w[0]!), r[1]!.padStart(w[1]!), r[2]!.padEnd(w[2]!), r[3]].join('  '));
  const json = { date: new Date().toISOString(), node: process.version, cores: os.cpus().length, runs: RUNS, corpus: { files: files.length, bytes }, medians: med, all: results };
  fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), JSON.stringify(json, null, 2) + '\n');
  console.log('wrote bench/results.json');
}

main().catch((e) => { console.error(e); process.exit(1); });
void spawn;
