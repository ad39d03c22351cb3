import type { Span } from '../parse/source';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
/** Lowest first, so that an index comparison orders severities. */
export const SEVERITY_ORDER: readonly Severity[] = ['low', 'medium', 'high', 'critical'];
export const severityRank = (s: Severity): number => SEVERITY_ORDER.indexOf(s);
export const isSeverity = (s: unknown): s is Severity => typeof s === 'string' && (SEVERITY_ORDER as readonly string[]).includes(s);

export interface TextEdit { file: string; start: number; end: number; newText: string }
export interface Fix { title: string; edits: TextEdit[] }
export interface Related { file: string; span: Span; message: string }

export interface Finding {
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  file: string;
  span: Span;
  /** Terraform address (module.x.aws_s3_bucket.y) or Kubernetes Kind.namespace.name. */
  address: string;
  /** The whole resource or object the finding is about. */
  resourceSpan: Span;
  fix?: Fix;
  related?: Related[];
  origin: 'rule' | 'llm';
}

export interface Note {
  file: string;
  level: 'info' | 'warning' | 'error';
  message: string;
}
