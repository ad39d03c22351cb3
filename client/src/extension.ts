import * as crypto from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, State, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  ExplainChunkNotification, ExplainLlmRequest, ExplainRequest, FindingsRequest, LlmStatusNotification, ScanWorkspaceRequest, SetLlmKeyRequest, StatusNotification,
  type ExplainChunkParams, type ExplainLlmResult, type Explanation, type FindingSummary, type LlmStatusParams, type ScanWorkspaceResult, type SetLlmKeyResult, type StatusParams,
} from '../../server/src/protocol';
import { KEY_CHANNEL_ENV, newChannelKey, sealKey } from '../../server/src/llm/keychannel';
import { page, renderAiSection, renderExplanation, renderReport, type AiSection } from './render';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let status: vscode.StatusBarItem;
let scanning = false;
let aiStatus: vscode.StatusBarItem;
/** Seals the LLM API key on its way to the server (the server got this key in its environment). */
const channelKey = newChannelKey();
const SECRET_KEY = 'rampart.llm.apiKey';
const explainStreams = new Map<string, (text: string) => void>();

const SELECTOR = [
  { scheme: 'file', language: 'terraform' },
  { scheme: 'file', language: 'terraform-vars' },
  { scheme: 'file', language: 'yaml' },
  { scheme: 'untitled', language: 'terraform' },
];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Rampart', { log: true });
  status = vscode.window.createStatusBarItem('rampart.status', vscode.StatusBarAlignment.Left, 50);
  status.name = 'Rampart';
  status.command = 'rampart.explainRisk';
  aiStatus = vscode.window.createStatusBarItem('rampart.aiStatus', vscode.StatusBarAlignment.Left, 49);
  aiStatus.name = 'Rampart AI';
  aiStatus.command = 'rampart.showOutput';
  context.subscriptions.push(output, status, aiStatus);

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  // The key channel goes in the environment (never traced); the API key itself only ever travels sealed.
  const env = { ...process.env, [KEY_CHANNEL_ENV]: channelKey };
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio, options: { env } },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { env, execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/{*.tf,*.tfvars,*.yaml,*.yml,.rampart.yaml,.rampart.yml}');
  context.subscriptions.push(watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: SELECTOR,
    outputChannel: output,
    synchronize: { configurationSection: 'rampart', fileEvents: watcher },
    // A function, so that a server restarted after a crash gets the trust state of that moment.
    initializationOptions: () => ({ trusted: vscode.workspace.isTrusted, llmCacheDir: context.globalStorageUri.fsPath }),
    errorHandler: crashHandler(),
  };
  client = new LanguageClient('rampart', 'Rampart', serverOptions, clientOptions);
  context.subscriptions.push(client.onDidChangeState((e) => {
    if (e.newState === State.Stopped && !stopping) output.appendLine(`[${new Date().toISOString()}] The Rampart server stopped.`);
    if (e.newState === State.Running && e.oldState !== State.Starting) output.appendLine(`[${new Date().toISOString()}] The Rampart server is running again.`);
    if (e.newState === State.Running) void sendLlmKey(context);
  }));

  context.subscriptions.push(
    vscode.commands.registerCommand('rampart.explainRisk', (arg?: { uri?: string; index?: number }) => explainRisk(context, arg)),
    vscode.commands.registerCommand('rampart.scanWorkspace', () => scanWorkspace(context)),
    vscode.commands.registerCommand('rampart.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('rampart.restartServer', async () => {
      output.appendLine('Restarting the Rampart server on request.');
      stopping = true;
      try { await client?.restart(); } finally { stopping = false; }
    }),
    vscode.commands.registerCommand('rampart.setLlmApiKey', () => setLlmApiKey(context)),
    context.secrets.onDidChange((e) => { if (e.key === SECRET_KEY) void sendLlmKey(context); }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification('rampart/trust', { trusted: true })),
    vscode.languages.onDidChangeDiagnostics(() => updateStatus()),
    vscode.window.onDidChangeActiveTextEditor(() => updateStatus()),
  );

  await client.start();
  context.subscriptions.push(client.onNotification(StatusNotification, (p: StatusParams) => { scanning = p.state === 'scanning'; updateStatus(); }));
  context.subscriptions.push(client.onNotification(LlmStatusNotification, (p: LlmStatusParams) => showAiStatus(p)));
  context.subscriptions.push(client.onNotification(ExplainChunkNotification, (p: ExplainChunkParams) => explainStreams.get(p.streamId)?.(p.text)));
  await sendLlmKey(context);
  updateStatus();
}

let stopping = false;

/**
 * Restarts a crashed server (up to 5 times in 3 minutes, as vscode-languageclient does) and says
 * so in the output channel: a crash is told apart from a stop, and giving up is said out loud.
 */
function crashHandler(): ErrorHandler {
  const crashes: number[] = [];
  return {
    error: () => ({ action: ErrorAction.Continue }),
    closed: () => {
      if (stopping) return { action: CloseAction.DoNotRestart, handled: true };
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && now - crashes[0]! > 3 * 60_000) crashes.shift();
      const stamp = new Date(now).toISOString();
      if (crashes.length > 5) {
        output.appendLine(`[${stamp}] The Rampart server crashed ${crashes.length} times in 3 minutes and is not restarted again. Run "Rampart: Restart Server" after fixing the cause (see the messages above).`);
        void vscode.window.showErrorMessage('Rampart: the language server keeps crashing and was stopped. See "Rampart: Show Output".');
        return { action: CloseAction.DoNotRestart, handled: true };
      }
      output.appendLine(`[${stamp}] The Rampart server crashed (${crashes.length} in the last 3 minutes); restarting it.`);
      return { action: CloseAction.Restart, handled: true };
    },
  };
}

export async function deactivate(): Promise<void> {
  stopping = true;
  await client?.stop();
}

function updateStatus(): void {
  const editor = vscode.window.activeTextEditor;
  if (scanning) {
    status.text = '$(sync~spin) Rampart';
    status.tooltip = 'Rampart is scanning the workspace';
    status.show();
    return;
  }
  if (!editor || !SELECTOR.some((s) => s.language === editor.document.languageId)) { status.hide(); return; }
  const diags = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'Rampart' || d.source === 'Rampart AI');
  const errors = diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
  const warnings = diags.length - errors;
  status.text = diags.length ? `$(shield) ${errors} $(warning) ${warnings}` : '$(shield) $(check)';
  status.tooltip = diags.length ? `Rampart: ${diags.length} finding${diags.length === 1 ? '' : 's'} in this file. Click to explain.` : 'Rampart: no findings in this file';
  status.backgroundColor = errors ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  status.show();
}

async function sendLlmKey(context: vscode.ExtensionContext): Promise<void> {
  if (!client?.isRunning()) return;
  try {
    const key = (await context.secrets.get(SECRET_KEY)) ?? '';
    const r = await client.sendRequest<SetLlmKeyResult>(SetLlmKeyRequest, { sealed: sealKey(channelKey, key) });
    if (!r.ok) output.appendLine(`Rampart: the LLM API key could not be handed to the server (${r.message ?? 'unknown reason'}).`);
  } catch (e) {
    output.appendLine(`Rampart: the LLM API key could not be handed to the server (${(e as Error).message}).`);
  }
}

async function setLlmApiKey(context: vscode.ExtensionContext): Promise<void> {
  const key = await vscode.window.showInputBox({
    title: 'Rampart: LLM API key',
    prompt: 'Stored in VS Code secret storage, never in settings or logs. Leave empty to remove it.',
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  if (key.trim()) await context.secrets.store(SECRET_KEY, key.trim());
  else await context.secrets.delete(SECRET_KEY);
  await sendLlmKey(context);
  void vscode.window.showInformationMessage(key.trim() ? 'Rampart: the LLM API key is saved.' : 'Rampart: the LLM API key is removed.');
}

/** One status-bar item for the LLM review; faults show there and in the output, never as a dialog. */
function showAiStatus(p: LlmStatusParams): void {
  const icon = p.state === 'reviewing' ? '$(sync~spin)' : p.state === 'error' ? '$(warning)' : p.state === 'paused' ? '$(watch)' : '$(sparkle)';
  aiStatus.text = `${icon} AI`;
  aiStatus.tooltip = p.message;
  aiStatus.backgroundColor = p.state === 'error' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  if (p.state === 'off') aiStatus.hide(); else aiStatus.show();
  if (p.state === 'error' || p.state === 'paused') output.appendLine(`[${new Date().toISOString()}] ${p.message}`);
}

function nonce(): string {
  return crypto.randomBytes(16).toString('base64');
}

function showPanel(context: vscode.ExtensionContext, id: string, title: string, body: string): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(id, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
    enableScripts: false,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')],
  });
  const styleUri = panel.webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'panel.css')).toString();
  panel.webview.html = page(title, body, { cspSource: panel.webview.cspSource, nonce: nonce(), styleUri });
  return panel;
}

async function explainRisk(context: vscode.ExtensionContext, arg?: { uri?: string; index?: number }): Promise<void> {
  if (!client) return;
  const editor = vscode.window.activeTextEditor;
  const uri = arg?.uri ?? editor?.document.uri.toString();
  if (!uri) { void vscode.window.showInformationMessage('Rampart: open a Terraform or Kubernetes file to explain its findings.'); return; }
  let explanation: Explanation | null = null;
  if (typeof arg?.index === 'number') explanation = await client.sendRequest<Explanation | null>(ExplainRequest, { uri, index: arg.index });
  else if (editor) {
    const pos = editor.selection.active;
    explanation = await client.sendRequest<Explanation | null>(ExplainRequest, { uri, position: { line: pos.line, character: pos.character } });
  }
  if (!explanation) {
    const all = await client.sendRequest<FindingSummary[]>(FindingsRequest, { uri });
    if (all.length === 0) { void vscode.window.showInformationMessage('Rampart: no findings in this file.'); return; }
    const pick = await vscode.window.showQuickPick(all.map((f) => ({
      label: `$(shield) ${f.title}`, description: `${f.severity} · line ${f.line + 1}`, detail: f.message, index: f.index,
    })), { placeHolder: 'Which finding should Rampart explain?', matchOnDetail: true });
    if (!pick) return;
    explanation = await client.sendRequest<Explanation | null>(ExplainRequest, { uri, index: pick.index });
    if (!explanation) return;
  }
  const panel = showPanel(context, 'rampart.explain', `Rampart: ${explanation.title}`, renderExplanation(explanation));
  if (!explanation.llmAvailable) return;
  // With the LLM configured, the panel also streams a contextual explanation (rendered as inert text).
  const e = explanation;
  const index = typeof arg?.index === 'number' ? arg.index : (await client.sendRequest<FindingSummary[]>(FindingsRequest, { uri }))
    .find((f) => f.ruleId === e.ruleId && f.line === e.range.start.line && f.character === e.range.start.character)?.index;
  if (index === undefined) return;
  const streamId = nonce();
  let closed = false;
  panel.onDidDispose(() => { closed = true; explainStreams.delete(streamId); });
  const render = (a: AiSection) => {
    if (!closed) panel.webview.html = page(`Rampart: ${e.title}`, renderExplanation(e, renderAiSection(a)), { cspSource: panel.webview.cspSource, nonce: nonce(), styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'panel.css')).toString() });
  };
  let pending: NodeJS.Timeout | undefined;
  let latest = '';
  render({ state: 'loading' });
  explainStreams.set(streamId, (text) => {
    latest = text;
    pending ??= setTimeout(() => { pending = undefined; render({ state: 'streaming', text: latest }); }, 150);
  });
  try {
    const r = await client.sendRequest<ExplainLlmResult>(ExplainLlmRequest, { uri, index, streamId });
    if (pending) clearTimeout(pending);
    render(r.error ? { state: 'error', error: r.error } : { state: 'done', text: r.text });
  } catch (err) {
    render({ state: 'error', error: (err as Error).message });
  } finally {
    explainStreams.delete(streamId);
  }
}

async function scanWorkspace(context: vscode.ExtensionContext): Promise<void> {
  if (!client) return;
  if (!vscode.workspace.workspaceFolders?.length) { void vscode.window.showInformationMessage('Rampart: open a folder to scan it.'); return; }
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Rampart: scanning workspace', cancellable: true }, async (_progress, token) => {
    try {
      return await client!.sendRequest<ScanWorkspaceResult>(ScanWorkspaceRequest, {}, token);
    } catch (e) {
      if (token.isCancellationRequested) return undefined;
      output.appendLine(`Workspace scan failed: ${(e as Error).message}`);
      void vscode.window.showErrorMessage('Rampart: the workspace scan failed. See "Rampart: Show Output".');
      return undefined;
    }
  });
  if (!result) return;
  const counts = ['critical', 'high', 'medium', 'low'].filter((s) => result.bySeverity[s]).map((s) => `${result.bySeverity[s]} ${s}`).join(', ');
  const summary = result.findings
    ? `Rampart: ${result.findings} finding${result.findings === 1 ? '' : 's'} (${counts}) in ${result.files} files${result.cancelled ? ' (cancelled early)' : ''}.`
    : `Rampart: no findings in ${result.files} files${result.cancelled ? ' (cancelled early)' : ''}.`;
  const choice = await vscode.window.showInformationMessage(summary, 'Show report', 'Open Problems');
  if (choice === 'Open Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
  if (choice === 'Show report') {
    const rel = (u: string) => vscode.workspace.asRelativePath(vscode.Uri.parse(u));
    showPanel(context, 'rampart.report', 'Rampart: scan report', renderReport(result, rel));
  }
}
