import * as path from 'node:path';
import {
  CodeActionKind, DiagnosticSeverity, DidChangeConfigurationNotification, FileChangeType, ProposedFeatures,
  ResponseError, TextDocumentSyncKind, createConnection,
  type CodeAction, type Diagnostic, type Hover, type InitializeResult, type TextEdit as LspTextEdit, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { defaultConfig, findConfigFile, loadConfigFile, mergeConfig, parseSize, type RampartConfig } from './engine/config';
import { RuleSet } from './engine/run';
import { scan } from './engine/scan';
import { SEVERITY_ORDER, severityRank, type Finding, type Severity, type TextEdit } from './engine/types';
import { initParsers, isWasmFault } from './parse/treesitter';
import {
  DEFAULT_LLM_SETTINGS, DEFAULT_SETTINGS, ExplainLlmRequest, ExplainRequest, FindingsRequest, ScanWorkspaceRequest, SETTINGS_SECTION, SetLlmKeyRequest, StatusNotification,
  type ExplainLlmParams, type ExplainLlmResult, type ExplainParams, type Explanation, type FindingSummary, type FindingsParams, type InitializationOptions,
  type LlmSettings, type RampartSettings, type ScanWorkspaceParams, type ScanWorkspaceResult, type SetLlmKeyParams, type SetLlmKeyResult,
} from './protocol';
import { ALL_RULES, ruleDocUrl } from './rules';
import { Analyzer, type AnalysisResult } from './lsp/analysis';
import { SourceDocument, pathToUri, uriToPath } from './lsp/documents';
import { escapeMarkdown } from './lsp/markdown';
import { LlmService } from './lsp/llm';
import type { LlmFinding } from './llm/validate';

const connection = createConnection(ProposedFeatures.all);
const log = (msg: string) => connection.console.log(msg);

const open = new Map<string, SourceDocument>(); // by path
const byUri = new Map<string, SourceDocument>();
/** The last findings shown for each file, open or not. */
const shown = new Map<string, Finding[]>();
let settings: RampartSettings = DEFAULT_SETTINGS;
let trusted = true;
let workspaceFolders: string[] = [];
let supportsConfiguration = false;
let ruleSet = new RuleSet(ALL_RULES, defaultConfig());
let config: RampartConfig = defaultConfig();
const analyzer = new Analyzer(ruleSet, config.maxFileBytes, open);
const timers = new Map<string, NodeJS.Timeout>();
/** Local findings last shown for each file (without the AI ones). */
const shownLocal = new Map<string, Finding[]>();
let supportsChangeAnnotations = false;
let llm: LlmService | undefined;

function effectiveConfig(): RampartConfig {
  let c = defaultConfig();
  // Workspace-supplied configuration changes behaviour, so it waits for workspace trust.
  if (trusted) {
    for (const folder of workspaceFolders) {
      const file = findConfigFile(folder);
      if (!file) continue;
      try { c = mergeConfig(c, loadConfigFile(file)); } catch (e) { connection.window.showWarningMessage(`Rampart: ${(e as Error).message}`); }
    }
  }
  c = mergeConfig(c, { disabledRules: settings.rules.disabled, exclude: settings.exclude });
  try { c.maxFileBytes = parseSize(settings.maxFileSize); } catch { /* keep the default */ }
  return c;
}

function rebuildRules(): void {
  config = effectiveConfig();
  ruleSet = new RuleSet(ALL_RULES, config);
  analyzer.ruleSet = ruleSet;
  analyzer.maxFileBytes = config.maxFileBytes;
  analyzer.invalidateAll();
}

const LSP_SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint } as const;

function visible(findings: Finding[]): Finding[] {
  const min = severityRank(settings.severityThreshold as Severity);
  return findings.filter((f) => severityRank(f.severity) >= min);
}

function toDiagnostic(f: Finding, index: number): Diagnostic {
  const d: Diagnostic = {
    range: { start: { line: f.span.startLine, character: f.span.startCol }, end: { line: f.span.endLine, character: f.span.endCol } },
    severity: LSP_SEVERITY[settings.severityMapping[f.severity] ?? 'warning'],
    source: f.origin === 'llm' ? 'Rampart AI' : 'Rampart',
    code: f.ruleId,
    ...(f.origin === 'llm' ? {} : { codeDescription: { href: ruleDocUrl(f.ruleId) } }),
    message: f.message,
    data: { index, fixable: !!f.fix },
  };
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({
      location: { uri: pathToUri(r.file), range: { start: { line: r.span.startLine, character: r.span.startCol }, end: { line: r.span.endLine, character: r.span.endCol } } },
      message: r.message,
    }));
  }
  return d;
}

function publish(filePath: string, findings: Finding[]): void {
  const doc = open.get(filePath);
  const local = settings.enable ? visible(findings) : [];
  shownLocal.set(filePath, local);
  // AI findings follow the local ones, re-validated against the current text.
  const ai = settings.enable && llm ? visible(llm.findings(doc, filePath)) : [];
  const list = [...local, ...ai];
  shown.set(filePath, list);
  void connection.sendDiagnostics({ uri: doc?.uri ?? pathToUri(filePath), version: doc?.version, diagnostics: list.map(toDiagnostic) });
}

function publishResult(r: AnalysisResult, primary: string): void {
  for (const file of r.files) {
    // Other files of the module are refreshed when they are open or were shown before.
    if (file !== primary && !open.has(file) && !shown.has(file)) continue;
    publish(file, r.byFile.get(file) ?? []);
  }
  for (const n of r.notes) if (n.level !== 'info') log(`${n.level}: ${n.file}: ${n.message}`);
}

function analyze(doc: SourceDocument): void {
  if (!settings.enable) { publish(doc.path, []); return; }
  if (doc.text.length > config.maxFileBytes) {
    // Too large to check on every keystroke: one information line instead of silence.
    shown.set(doc.path, []);
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [{
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Information, source: 'Rampart',
      message: `Rampart skipped this file: ${mb(doc.text.length)} is over the ${mb(config.maxFileBytes)} limit (setting rampart.maxFileSize).`,
    }] });
    return;
  }
  const started = performance.now();
  try {
    const r = doc.kind === 'yaml' ? analyzer.analyzeYaml(doc) : analyzer.analyzeTerraform(doc);
    publishResult(r, doc.path);
  } catch (e) {
    log(`error: analysing ${doc.path} failed: ${(e as Error).stack ?? e}`);
    if (isWasmFault(e)) {
      // The parser's memory can no longer be trusted; exiting lets the client start a fresh server.
      log('error: the tree-sitter runtime failed; the server exits so that the client restarts it');
      process.exit(1);
    }
  }
  if (process.env['RAMPART_TRACE_TIMING']) log(`analysed ${path.basename(doc.path)} v${doc.version} in ${(performance.now() - started).toFixed(1)} ms (rule runs: ${analyzer.lastStats.ran} ran, ${analyzer.lastStats.reused} reused)`);
}

function schedule(doc: SourceDocument): void {
  const prev = timers.get(doc.path);
  if (prev) clearTimeout(prev);
  if (settings.debounceMs <= 0) { analyze(doc); return; }
  timers.set(doc.path, setTimeout(() => { timers.delete(doc.path); analyze(doc); }, settings.debounceMs));
}

async function fetchSettings(): Promise<void> {
  if (!supportsConfiguration) return;
  try {
    const s = (await connection.workspace.getConfiguration(SETTINGS_SECTION)) as Partial<RampartSettings> | null;
    settings = normalizeSettings(s ?? {});
  } catch (e) {
    log(`warning: could not read settings: ${(e as Error).message}`);
  }
}

function normalizeSettings(s: Partial<RampartSettings>): RampartSettings {
  const sev = (v: unknown, d: Severity): Severity => (typeof v === 'string' && (SEVERITY_ORDER as readonly string[]).includes(v) ? v as Severity : d);
  const mapping = { ...DEFAULT_SETTINGS.severityMapping, ...(s.severityMapping ?? {}) };
  for (const k of Object.keys(mapping) as Severity[]) if (!(mapping[k] in LSP_SEVERITY)) mapping[k] = DEFAULT_SETTINGS.severityMapping[k];
  return {
    enable: s.enable !== false,
    severityThreshold: sev(s.severityThreshold, 'low'),
    rules: { disabled: Array.isArray(s.rules?.disabled) ? s.rules!.disabled.filter((x) => typeof x === 'string') : [] },
    exclude: Array.isArray(s.exclude) ? s.exclude.filter((x) => typeof x === 'string') : [],
    debounceMs: typeof s.debounceMs === 'number' && s.debounceMs >= 0 ? Math.min(s.debounceMs, 5000) : DEFAULT_SETTINGS.debounceMs,
    severityMapping: mapping,
    maxFileSize: typeof s.maxFileSize === 'string' ? s.maxFileSize : DEFAULT_SETTINGS.maxFileSize,
    llm: normalizeLlmSettings(s.llm),
  };
}

function normalizeLlmSettings(v: Partial<LlmSettings> | undefined): LlmSettings {
  const d = DEFAULT_LLM_SETTINGS;
  const o = (v && typeof v === 'object' ? v : {}) as Partial<LlmSettings>;
  const str = (x: unknown, def: string) => (typeof x === 'string' ? x.trim() : def);
  const num = (x: unknown, def: number, min: number, max: number) => (typeof x === 'number' && Number.isFinite(x) ? Math.min(Math.max(x, min), max) : def);
  return {
    enabled: o.enabled === true,
    provider: o.provider === 'azure' || o.provider === 'compatible' ? o.provider : 'openai',
    baseUrl: str(o.baseUrl, d.baseUrl),
    model: str(o.model, d.model) || d.model,
    azureDeployment: str(o.azureDeployment, d.azureDeployment),
    azureApiVersion: str(o.azureApiVersion, d.azureApiVersion) || d.azureApiVersion,
    timeoutMs: num(o.timeoutMs, d.timeoutMs, 100, 600_000),
    maxRequestsPerHour: num(o.maxRequestsPerHour, d.maxRequestsPerHour, 0, 100_000),
    excludeGlobs: Array.isArray(o.excludeGlobs) ? o.excludeGlobs.filter((x): x is string => typeof x === 'string') : [],
  };
}

function reanalyzeAll(): void {
  for (const d of open.values()) analyze(d);
}

// ---------------------------------------------------------------- lifecycle

connection.onInitialize(async (params): Promise<InitializeResult> => {
  await initParsers();
  const opts = (params.initializationOptions ?? {}) as InitializationOptions;
  trusted = opts.trusted !== false;
  supportsConfiguration = !!params.capabilities.workspace?.configuration;
  supportsChangeAnnotations = !!params.capabilities.workspace?.workspaceEdit?.changeAnnotationSupport;
  llm = new LlmService({
    connection, log, settings: () => settings.llm, trusted: () => trusted, workspaceFolders: () => workspaceFolders, analyzer,
    ruleSet: () => ruleSet, maxFileBytes: () => config.maxFileBytes,
    localFindings: (p) => shownLocal.get(p) ?? [],
    republish: (doc) => { if (open.get(doc.path) === doc) analyze(doc); },
  }, typeof opts.llmCacheDir === 'string' && opts.llmCacheDir ? opts.llmCacheDir : undefined);
  workspaceFolders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri));
  if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [uriToPath(params.rootUri)];
  rebuildRules();
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, 'source.fixAll.rampart'], resolveProvider: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'rampart', version: typeof RAMPART_VERSION === 'string' ? RAMPART_VERSION : 'dev' },
  };
});

declare const RAMPART_VERSION: string;

connection.onInitialized(async () => {
  if (supportsConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
  await fetchSettings();
  rebuildRules();
  reanalyzeAll();
});

connection.onDidChangeConfiguration(async (change) => {
  if (supportsConfiguration) await fetchSettings();
  else if (change.settings?.[SETTINGS_SECTION]) settings = normalizeSettings(change.settings[SETTINGS_SECTION]);
  llm?.configurationChanged();
  rebuildRules();
  reanalyzeAll();
});

connection.onNotification('rampart/trust', (p: { trusted: boolean }) => {
  trusted = !!p.trusted;
  llm?.configurationChanged();
  rebuildRules();
  reanalyzeAll();
});

// ---------------------------------------------------------------- documents

connection.onDidOpenTextDocument(({ textDocument: t }) => {
  const doc = new SourceDocument(t.uri, t.text, t.version);
  if (doc.kind === 'other') return;
  open.set(doc.path, doc);
  byUri.set(doc.uri, doc);
  analyze(doc);
});

connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
  const doc = byUri.get(textDocument.uri);
  if (!doc) return;
  doc.applyChanges(contentChanges, textDocument.version);
  llm?.changed(doc); // a review in flight would answer about text that is gone
  schedule(doc);
});

connection.onDidSaveTextDocument(({ textDocument }) => {
  const doc = byUri.get(textDocument.uri);
  if (!doc || !llm) return;
  // Saving is the only trigger of the LLM review: typing never sends anything.
  void llm.saved(doc).catch((e) => log(`error: LLM review failed: ${(e as Error).message}`));
});

connection.onRequest(SetLlmKeyRequest, (p: SetLlmKeyParams): SetLlmKeyResult => {
  if (!llm) return { ok: false, message: 'the server is not initialized' };
  return llm.setKey(p);
});

connection.onDidCloseTextDocument(({ textDocument }) => {
  const doc = byUri.get(textDocument.uri);
  if (!doc) return;
  llm?.closed(doc);
  byUri.delete(doc.uri);
  open.delete(doc.path);
  analyzer.invalidate(doc.path); // the disk version applies again
  doc.dispose();
  const t = timers.get(doc.path);
  if (t) clearTimeout(t);
  shown.delete(doc.path);
  shownLocal.delete(doc.path);
  void connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
  // Open siblings of the module see the file as it is on disk now.
  for (const d of open.values()) if (path.dirname(d.path) === path.dirname(doc.path)) analyze(d);
});

connection.onDidChangeWatchedFiles(({ changes }) => {
  const dirs = new Set<string>();
  let configChanged = false;
  for (const c of changes) {
    const p = uriToPath(c.uri);
    if (path.basename(p) === '.rampart.yaml' || path.basename(p) === '.rampart.yml') configChanged = true;
    if (open.has(p) && c.type !== FileChangeType.Deleted) continue; // the editor's text wins
    analyzer.invalidate(p);
    dirs.add(path.dirname(p));
  }
  if (configChanged) { rebuildRules(); reanalyzeAll(); return; }
  for (const d of open.values()) if (dirs.has(path.dirname(d.path))) analyze(d);
});

// ---------------------------------------------------------------- hovers and explanations

function findingAt(filePath: string, line: number, character: number): Finding[] {
  const list = shown.get(filePath) ?? [];
  return list.filter((f) => {
    const s = f.span;
    if (line < s.startLine || line > s.endLine) return false;
    if (line === s.startLine && character < s.startCol) return false;
    if (line === s.endLine && character > s.endCol) return false;
    return true;
  });
}

function headerAt(filePath: string, line: number): Finding[] {
  return (shown.get(filePath) ?? []).filter((f) => f.resourceSpan.startLine === line);
}

const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };


function aiHoverFor(f: LlmFinding): string {
  const parts = [
    `**Rampart AI: ${escapeMarkdown(f.title)}** — ${SEVERITY_LABEL[f.severity]} · \`${f.ruleId}\``,
    '',
    escapeMarkdown(f.explanation || f.message),
    '',
    `*Suggested by an LLM review of ${escapeMarkdown(f.address)}: check it before acting on it.*`,
  ];
  if (f.fix) parts.push('', 'A verified fix is available (Ctrl+.): it is shown as a diff before it is applied.');
  else if (f.fixNote) parts.push('', `The suggested fix was not offered: ${escapeMarkdown(f.fixNote)}.`);
  return parts.join('\n');
}

function hoverFor(f: Finding): string {
  if (f.origin === 'llm') return aiHoverFor(f as LlmFinding);
  const rule = ruleSet.rule(f.ruleId);
  // VS Code already shows the diagnostic's message above this hover; it is not repeated here.
  const parts = [`**${escapeMarkdown(f.title)}** — ${SEVERITY_LABEL[f.severity]} · \`${f.ruleId}\``];
  if (rule) {
    parts.push('', `**What an attacker gains:** ${escapeMarkdown(rule.impact)}`, '', `**How to fix:** ${escapeMarkdown(rule.remediation)}`);
    if (rule.compliance.length) parts.push('', `**Compliance:** ${rule.compliance.map(escapeMarkdown).join(', ')}`);
    const eq = [...(rule.equivalents.checkov ?? []), ...(rule.equivalents.trivy ?? [])];
    if (eq.length) parts.push('', `**Same check in other scanners:** ${eq.map((e) => `\`${e}\``).join(', ')}`);
    parts.push('', `[Rule documentation](${ruleDocUrl(rule.id)})${f.fix ? ' · a quick fix is available (Ctrl+.)' : ''}`);
  }
  return parts.join('\n');
}

connection.onHover((p): Hover | null => {
  const filePath = uriToPath(p.textDocument.uri);
  const at = findingAt(filePath, p.position.line, p.position.character);
  const header = headerAt(filePath, p.position.line);
  const parts: string[] = [];
  if (header.length > 1 || (header.length === 1 && at.length === 0)) {
    const lines = header.map((f) => `- ${SEVERITY_LABEL[f.severity]}: ${escapeMarkdown(f.title)} (\`${f.ruleId}\`)`);
    parts.push(`**Rampart: ${header.length} finding${header.length === 1 ? '' : 's'} on ${escapeMarkdown(header[0]!.address)}**\n\n${lines.join('\n')}`);
  }
  parts.push(...at.map(hoverFor));
  return parts.length ? { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') } } : null;
});

function explain(f: Finding): Explanation {
  const rule = ruleSet.rule(f.ruleId);
  const doc = open.get(f.file);
  const text = doc?.text ?? '';
  return {
    ruleId: f.ruleId, title: f.title, severity: f.severity, message: f.message, address: f.address,
    impact: rule?.impact ?? '', remediation: rule?.remediation ?? '', compliance: rule?.compliance ?? [],
    references: rule?.references ?? [], equivalents: rule?.equivalents ?? {}, docUrl: ruleDocUrl(f.ruleId), fixable: !!f.fix,
    related: (f.related ?? []).map((r) => ({ uri: pathToUri(r.file), line: r.span.startLine, message: r.message })),
    snippet: text.slice(f.resourceSpan.start, Math.min(f.resourceSpan.end, f.resourceSpan.start + 4000)),
    ...(f.origin === 'llm' ? { aiExplanation: (f as LlmFinding).explanation, remediation: (f as LlmFinding).fixNote ?? '' } : {}),
    llmAvailable: !!llm?.available(),
    linked: doc && llm ? llm.linked(doc, f.address) : [],
    uri: pathToUri(f.file),
    range: { start: { line: f.span.startLine, character: f.span.startCol }, end: { line: f.span.endLine, character: f.span.endCol } },
  };
}

connection.onRequest(ExplainRequest, (p: ExplainParams): Explanation | null => {
  const filePath = uriToPath(p.uri);
  const list = shown.get(filePath) ?? [];
  let f: Finding | undefined;
  if (typeof p.index === 'number') f = list[p.index];
  else if (p.position) f = findingAt(filePath, p.position.line, p.position.character)[0] ?? headerAt(filePath, p.position.line)[0];
  if (f && p.ruleId && f.ruleId !== p.ruleId) f = list.find((x) => x.ruleId === p.ruleId && x.span.startLine === p.position?.line) ?? f;
  return f ? explain(f) : null;
});

connection.onRequest(ExplainLlmRequest, async (p: ExplainLlmParams): Promise<ExplainLlmResult> => {
  const filePath = uriToPath(p.uri);
  const f = (shown.get(filePath) ?? [])[p.index];
  const doc = open.get(filePath);
  if (!f || !doc || !llm) return { text: '', error: 'the finding is no longer shown' };
  const rule = ruleSet.rule(f.ruleId);
  const impact = f.origin === 'llm' ? (f as LlmFinding).explanation : rule?.impact ?? '';
  return llm.explain(doc, f, impact, rule?.remediation ?? '', String(p.streamId ?? ''));
});

connection.onRequest(FindingsRequest, (p: FindingsParams): FindingSummary[] => {
  return (shown.get(uriToPath(p.uri)) ?? []).map((f, index) => ({
    ruleId: f.ruleId, title: f.title, severity: f.severity, message: f.message, line: f.span.startLine, character: f.span.startCol, index,
  }));
});

// ---------------------------------------------------------------- code actions

function lspEdits(edits: readonly TextEdit[]): WorkspaceEdit | undefined {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const e of edits) {
    const doc = open.get(e.file);
    if (!doc) return undefined; // fixes only apply to text the editor holds
    const lines = doc.lines;
    const a = lines.positionAt(e.start), b = lines.positionAt(e.end);
    (changes[doc.uri] ??= []).push({ range: { start: { line: a.line, character: a.character }, end: { line: b.line, character: b.character } }, newText: e.newText });
  }
  return { changes };
}

function suppressionEdit(f: Finding): WorkspaceEdit | undefined {
  const doc = open.get(f.file);
  if (!doc) return undefined;
  const line = f.resourceSpan.startLine;
  const indent = /^[ \t]*/.exec(doc.lines.lineText(line))![0];
  const nl = doc.text.includes('\r\n') ? '\r\n' : '\n';
  const offset = doc.lines.lineStart(line);
  return lspEdits([{ file: f.file, start: offset, end: offset, newText: `${indent}# rampart:ignore ${f.ruleId} <reason>${nl}` }]);
}

connection.onCodeAction((p): CodeAction[] => {
  const filePath = uriToPath(p.textDocument.uri);
  const doc = open.get(filePath);
  const list = shown.get(filePath) ?? [];
  if (!doc) return [];
  const only = p.context.only;
  const wantsFixAll = !only || only.some((k) => 'source.fixAll.rampart'.startsWith(k) || k.startsWith('source.fixAll.rampart'));
  const wantsQuickFix = !only || only.some((k) => CodeActionKind.QuickFix.startsWith(k));
  const actions: CodeAction[] = [];
  if (wantsQuickFix) {
    const rampartDiags = p.context.diagnostics.filter((d) => d.source === 'Rampart' || d.source === 'Rampart AI');
    for (const d of rampartDiags) {
      const index = (d.data as { index?: number } | undefined)?.index;
      const f = typeof index === 'number' ? list[index] : undefined;
      if (!f || f.ruleId !== d.code) continue;
      if (f.origin === 'llm') {
        if (f.fix) {
          const edit = aiFixEdit(doc, f.fix.edits);
          if (edit) actions.push({ title: f.fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], edit });
        }
        // A code action title is plain text (no markdown), but bounded like everything from the LLM.
        const aiTitle = f.title.slice(0, 120);
        actions.push({ title: `Explain risk: ${aiTitle}`, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title: 'Explain risk', command: 'rampart.explainRisk', arguments: [{ uri: doc.uri, index: list.indexOf(f) }] } });
        continue;
      }
      if (f.fix) {
        const edit = lspEdits(f.fix.edits);
        if (edit) actions.push({ title: `Rampart: ${f.fix.title}`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit });
      }
      const sup = suppressionEdit(f);
      if (sup) actions.push({ title: `Ignore ${f.ruleId} for this resource`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: sup });
      const ruleTitle = f.title; // a code action title is plain text, not markdown
      actions.push({ title: `Explain risk: ${ruleTitle}`, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title: 'Explain risk', command: 'rampart.explainRisk', arguments: [{ uri: doc.uri, index: list.indexOf(f) }] } });
    }
  }
  if (wantsFixAll) {
    // Fix-all (and fix on save) applies the engine's deterministic fixes only, never an LLM's.
    const edits = fixAllEdits(list.filter((f) => f.origin !== 'llm'));
    if (edits.length && (only || list.some((f) => f.fix))) {
      const edit = lspEdits(edits);
      if (edit) actions.push({ title: 'Fix all auto-fixable Rampart findings', kind: 'source.fixAll.rampart', edit });
    }
  }
  return actions;
});

/**
 * An LLM fix as a workspace edit that needs confirmation: the editor shows it as a diff (refactor
 * preview) before applying it, and only for the document version it was verified against.
 */
function aiFixEdit(doc: SourceDocument, edits: readonly TextEdit[]): WorkspaceEdit | undefined {
  if (edits.some((e) => e.file !== doc.path)) return undefined;
  const toLsp = (e: TextEdit) => {
    const a = doc.lines.positionAt(e.start), b = doc.lines.positionAt(e.end);
    return { range: { start: a, end: b }, newText: e.newText };
  };
  if (!supportsChangeAnnotations) return { changes: { [doc.uri]: edits.map(toLsp) } };
  return {
    documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits: edits.map((e) => ({ ...toLsp(e), annotationId: 'rampart-ai' })) }],
    changeAnnotations: { 'rampart-ai': { label: 'Rampart AI fix', needsConfirmation: true, description: 'Suggested by an LLM and verified by Rampart: review the diff before applying.' } },
  };
}

/** The fixes of a file that do not overlap each other (a second pass picks up the rest). */
function fixAllEdits(findings: Finding[]): TextEdit[] {
  const chosen: TextEdit[] = [];
  for (const f of findings) {
    if (!f.fix) continue;
    const overlaps = f.fix.edits.some((e) => chosen.some((c) => c.file === e.file && e.start <= c.end && c.start <= e.end));
    if (!overlaps) chosen.push(...f.fix.edits);
  }
  return chosen;
}

// ---------------------------------------------------------------- workspace scan

connection.onRequest(ScanWorkspaceRequest, async (p: ScanWorkspaceParams, token): Promise<ScanWorkspaceResult> => {
  const started = Date.now();
  const progress = await connection.window.createWorkDoneProgress();
  progress.begin('Rampart: scanning workspace', 0, 'finding files', true);
  void connection.sendNotification(StatusNotification, { state: 'scanning' });
  let cancelled = false;
  try {
    const result = await scan({
      paths: workspaceFolders, config, rules: ALL_RULES, respectGitignore: true, cacheChars: 8 * 1024 * 1024,
      isCancelled: () => token.isCancellationRequested || progress.token.isCancellationRequested,
      onProgress: (done, total) => progress.report(Math.round((100 * done) / Math.max(1, total)), `${done}/${total} folders and modules`),
    });
    cancelled = result.cancelled;
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) {
      let l = byFile.get(f.file);
      if (!l) byFile.set(f.file, (l = []));
      l.push(f);
    }
    // Files with findings before and none now are cleared.
    for (const file of shown.keys()) if (!byFile.has(file) && !open.has(file)) publish(file, []);
    for (const [file, list] of byFile) if (!open.has(file)) publish(file, list);
    for (const d of open.values()) analyze(d);
    const visibleFindings = visible(result.findings);
    const bySeverity = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, visibleFindings.filter((f) => f.severity === s).length]));
    void p;
    return {
      files: result.files, findings: visibleFindings.length, bySeverity, cancelled, durationMs: Date.now() - started,
      top: [...byFile].map(([f, l]) => ({ uri: pathToUri(f), count: visible(l).length })).filter((x) => x.count > 0).sort((a, b) => b.count - a.count).slice(0, 50),
      notes: result.notes.slice(0, 200).map((n) => ({ uri: pathToUri(n.file), level: n.level, message: n.message })),
    };
  } catch (e) {
    throw new ResponseError(-32803, `Rampart: the workspace scan failed: ${(e as Error).message}`);
  } finally {
    progress.done();
    void connection.sendNotification(StatusNotification, { state: 'idle' });
  }
});

connection.listen();
