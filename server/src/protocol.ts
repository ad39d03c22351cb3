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
}

export const DEFAULT_SETTINGS: RampartSettings = {
  enable: true,
  severityThreshold: 'low',
  rules: { disabled: [] },
  exclude: [],
  debounceMs: 75,
  severityMapping: { critical: 'error', high: 'error', medium: 'warning', low: 'information' },
  maxFileSize: '2MB',
};

export interface InitializationOptions {
  /** Workspace trust: when false, workspace-supplied configuration (.rampart.yaml) is ignored. */
  trusted?: boolean;
}
