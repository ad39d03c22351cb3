import * as path from 'node:path';
import type { RuleSet } from '../engine/run';
import { DiskProvider, type ScanUnit } from '../engine/scan';
import type { Finding, Note } from '../engine/types';
import type { HclFile } from '../parse/hcl';
import { mayHoldKubernetes, onlyCustomResourceDefinitions, parseKubernetes, isHelmTemplate } from '../parse/kubernetes';
import { loadRootModule } from '../parse/terraform';
import type { LlmSettings } from '../protocol';
import { LlmCache } from './cache';
import { kubernetesChecker, terraformChecker } from './check';
import type { LlmFault } from './client';
import { kubernetesResources, terraformResources } from './extract';
import { Reviewer, type ReviewCache, type ReviewRequest } from './review';
import type { LlmFinding } from './validate';

/*
 * `rampart scan --llm`: the same review as the editor's, file by file after the local scan. A
 * fault never fails the scan: the files that could not be reviewed keep their local findings.
 */

export interface LlmScanOptions {
  units: ScanUnit[];
  localFindings: readonly Finding[];
  ruleSet: RuleSet;
  maxFileBytes: number;
  settings: LlmSettings;
  apiKey?: string;
  cacheDir?: string;
  baseDir: string;
  /** Longest wait honoured for a Retry-After before giving up. */
  maxRetryWaitMs?: number;
  log?: (message: string) => void;
}

export interface LlmScanResult {
  findings: LlmFinding[];
  /** Files with resources to review. */
  total: number;
  files: number;
  failedFiles: number;
  requests: number;
  /** The first fault, when there was one. */
  fault?: LlmFault;
  /** A fault that stopped the review of the remaining files. */
  stopped: boolean;
  dropped: number;
}

const FATAL = new Set(['auth', 'connection', 'timeout', 'config', 'bad-request']);

export async function llmScan(o: LlmScanOptions): Promise<LlmScanResult> {
  const cache: ReviewCache = new LlmCache(o.cacheDir, (m) => o.log?.(m));
  const reviewer = new Reviewer({ settings: o.settings, apiKey: o.apiKey, cache });
  const out: LlmScanResult = { findings: [], total: 0, files: 0, failedFiles: 0, requests: 0, stopped: false, dropped: 0 };
  const byFile = new Map<string, Finding[]>();
  for (const f of o.localFindings) {
    let l = byFile.get(f.file);
    if (!l) byFile.set(f.file, (l = []));
    l.push(f);
  }
  const rel = (f: string) => path.relative(o.baseDir, f).split(path.sep).join('/') || path.basename(f);
  const jobs: Omit<ReviewRequest, 'signal'>[] = [];
  const notes: Note[] = [];
  const disk = new DiskProvider(o.maxFileBytes, notes);
  const parsed = new Map<string, HclFile | null>();
  for (const u of o.units) {
    if (u.kind === 'terraform') {
      const mod = loadRootModule(u.dir, { provider: disk, parsed, notes, maxDepth: 8 });
      if (!mod) continue;
      const only = u.onlyFiles ? new Set(u.onlyFiles) : undefined;
      for (const file of mod.files) {
        if (only && !only.has(file.path)) continue;
        const resources = terraformResources(mod, file.path);
        if (!resources.length) continue;
        jobs.push({
          file: file.path, displayName: rel(file.path), text: file.text, language: 'terraform', resources,
          localFindings: byFile.get(file.path) ?? [], checker: terraformChecker(o.ruleSet, file.path, disk, parsed),
        });
      }
    } else {
      for (const f of u.files) {
        const text = disk.readFile(f);
        if (text === undefined || !mayHoldKubernetes(text) || onlyCustomResourceDefinitions(text) || isHelmTemplate(text)) continue;
        const k = parseKubernetes(f, text);
        if (!k) continue;
        const resources = kubernetesResources(k.objects, text);
        if (!resources.length) continue;
        jobs.push({ file: f, displayName: rel(f), text, language: 'kubernetes', resources, localFindings: byFile.get(f) ?? [], checker: kubernetesChecker(o.ruleSet, f) });
      }
    }
  }
  out.total = jobs.length;
  for (const job of jobs) {
    if (out.stopped) { out.failedFiles++; continue; }
    out.files++;
    let r = await reviewer.review(job);
    if (r.fault?.kind === 'rate-limit' && (r.fault.retryAfterMs ?? Infinity) <= (o.maxRetryWaitMs ?? 30_000)) {
      o.log?.(`LLM review: ${r.fault.message}; waiting`);
      await new Promise((res) => setTimeout(res, r.fault!.retryAfterMs));
      r = await reviewer.review(job);
    }
    out.findings.push(...r.findings);
    out.dropped += r.dropped.length;
    if (r.fault) {
      out.failedFiles++;
      out.fault ??= r.fault;
      o.log?.(`LLM review of ${job.displayName} failed: ${r.fault.message}`);
      if (FATAL.has(r.fault.kind) || r.fault.kind === 'rate-limit') out.stopped = true;
    }
  }
  out.requests = reviewer.requests;
  return out;
}
