/** Messages shared by the extension client and the language server. */

export const ExplainRequest = 'rampart/explain';
export interface ExplainParams { uri: string; position?: { line: number; character: number }; ruleId?: string; index?: number }
export interface Explanation {
  ruleId: string;
  title: string;
  severity: string;
  message: string;
  address: string;
  impact: string;
  remediation: string;
  compliance: string[];
  references: string[];
  equivalents: { checkov?: string[]; trivy?: string[]; kics?: string[] };
  docUrl: string;
  fixable: boolean;
  /** Other resources the finding involves. */
  related: { uri: string; line: number; message: string }[];
  /** Resources linked to this one (it refers to them or they refer to it): the blast radius. */
  linked?: string[];
  /** For a finding of the LLM review: its explanation (untrusted text). */
  aiExplanation?: string;
  /** Whether an LLM explanation can be requested (enabled, trusted, configured). */
  llmAvailable?: boolean;
  /** The resource's source, for the panel (not sent anywhere). */
  snippet: string;
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export const FindingsRequest = 'rampart/findings';
export interface FindingsParams { uri: string }
export interface FindingSummary { ruleId: string; title: string; severity: string; message: string; line: number; character: number; index: number }

export const ScanWorkspaceRequest = 'rampart/scanWorkspace';
export interface ScanWorkspaceParams { token?: string | number }
export interface ScanWorkspaceResult {
  files: number;
  findings: number;
  bySeverity: Record<string, number>;
  cancelled: boolean;
  durationMs: number;
  /** Files with findings, most first, for the report. */
  top: { uri: string; count: number }[];
  notes: { uri: string; level: string; message: string }[];
}

export const StatusNotification = 'rampart/status';
export interface StatusParams { state: 'idle' | 'scanning'; message?: string }

export const SETTINGS_SECTION = 'rampart';
export interface RampartSettings {
  enable: boolean;
  severityThreshold: 'low' | 'medium' | 'high' | 'critical';
  rules: { disabled: string[] };
  exclude: string[];
  debounceMs: number;
  severityMapping: Record<'critical' | 'high' | 'medium' | 'low', 'error' | 'warning' | 'information' | 'hint'>;
  maxFileSize: string;
  llm: LlmSettings;
}

/** `rampart.llm.*`: the optional LLM review (off unless enabled, never in an untrusted workspace). */
export interface LlmSettings {
  enabled: boolean;
  provider: 'openai' | 'azure' | 'compatible';
  /** OpenAI-compatible base URL (…/v1), or the Azure resource endpoint for `azure`. */
  baseUrl: string;
  model: string;
  /** Azure only: the deployment name (defaults to the model) and the API version. */
  azureDeployment: string;
  azureApiVersion: string;
  timeoutMs: number;
  maxRequestsPerHour: number;
  /** Files matching these globs (relative to the workspace folder) are never sent. */
  excludeGlobs: string[];
}

export const DEFAULT_LLM_SETTINGS: LlmSettings = {
  enabled: false,
  provider: 'openai',
  baseUrl: '',
  model: 'gpt-4o-mini',
  azureDeployment: '',
  azureApiVersion: '2024-10-21',
  timeoutMs: 60_000,
  maxRequestsPerHour: 60,
  excludeGlobs: [],
};

export const DEFAULT_SETTINGS: RampartSettings = {
  enable: true,
  severityThreshold: 'low',
  rules: { disabled: [] },
  exclude: [],
  debounceMs: 75,
  severityMapping: { critical: 'error', high: 'error', medium: 'warning', low: 'information' },
  maxFileSize: '2MB',
  llm: DEFAULT_LLM_SETTINGS,
};

export interface InitializationOptions {
  /** Workspace trust: when false, workspace-supplied configuration (.rampart.yaml) is ignored. */
  trusted?: boolean;
  /** Where the LLM answer cache is kept (the extension's global storage); memory only without it. */
  llmCacheDir?: string;
}

/**
 * The client hands the LLM API key over sealed with a per-session channel key that it gave the
 * server process in its environment (RAMPART_KEY_CHANNEL): a traced JSON-RPC message never holds
 * the key itself. An empty key clears it.
 */
export const SetLlmKeyRequest = 'rampart/setLlmKey';
export interface SetLlmKeyParams { sealed: string }
export interface SetLlmKeyResult { ok: boolean; message?: string }

export const LlmStatusNotification = 'rampart/llmStatus';
export interface LlmStatusParams {
  state: 'off' | 'ready' | 'reviewing' | 'done' | 'error' | 'paused';
  message: string;
  uri?: string;
}

/** Streams the LLM's contextual explanation of a finding; chunks arrive as notifications. */
export const ExplainLlmRequest = 'rampart/explainLlm';
export interface ExplainLlmParams { uri: string; index: number; streamId: string }
export interface ExplainLlmResult { text: string; error?: string; cached?: boolean }
export const ExplainChunkNotification = 'rampart/explainChunk';
export interface ExplainChunkParams { streamId: string; text: string }
