import type { K8sObject } from '../parse/kubernetes';
import type { Span } from '../parse/source';
import type { TfAttribute, TfBlock, TfModule, TfResource } from '../parse/terraform';
import type { YNode, YPair } from '../parse/yaml';
import type { Fix, Related, Severity } from './types';

export interface Equivalents {
  checkov?: string[];
  trivy?: string[];
  kics?: string[];
}

/** A single file's content, or several files of one module keyed by relative path. */
export type Example = string | Record<string, string>;

export interface RuleMeta {
  /** Stable, human-readable: `<provider>-<service>-<what>`, e.g. aws-s3-block-public-acls. */
  id: string;
  title: string;
  severity: Severity;
  /** What an attacker gains when this is wrong. */
  impact: string;
  remediation: string;
  references: string[];
  /** e.g. "CIS AWS 2.1.1", "NIST 800-53 SC-28", "PCI DSS 3.4", "CIS Kubernetes 5.2.1" */
  compliance: string[];
  equivalents: Equivalents;
  examples: { good: Example[]; bad: Example[] };
  /** Whether the rule offers a deterministic fix for its findings. */
  fixable?: boolean;
}

export interface TerraformReport {
  /** Where the finding points: an attribute, a block (its header) or an explicit span. */
  at: TfAttribute | TfBlock | Span;
  message: string;
  fix?: Fix;
  related?: Related[];
}

export interface TerraformContext {
  module: TfModule;
  report(r: TerraformReport): void;
}

export interface TerraformRule extends RuleMeta {
  target: 'terraform';
  /** Resource types checked; data sources are written `data.<type>`. */
  resources: string[];
  check(resource: TfResource, ctx: TerraformContext): void;
}

export interface KubernetesReport {
  at: YNode | YPair | Span;
  message: string;
  fix?: Fix;
  related?: Related[];
}

export interface KubernetesContext {
  /** Every object of the same scan, for rules that judge objects together (NetworkPolicy). */
  objects: readonly K8sObject[];
  /** The objects of the scan of one kind (indexed once per scan: a rule runs once per object). */
  objectsOfKind(kind: string): readonly K8sObject[];
  report(r: KubernetesReport): void;
}

export interface KubernetesRule extends RuleMeta {
  target: 'kubernetes';
  /** Kinds checked; omitted means every kind. */
  kinds?: string[];
  check(object: K8sObject, ctx: KubernetesContext): void;
}

export type Rule = TerraformRule | KubernetesRule;

export function terraformRule(r: Omit<TerraformRule, 'target'>): TerraformRule {
  return { target: 'terraform', ...r };
}

export function kubernetesRule(r: Omit<KubernetesRule, 'target'>): KubernetesRule {
  return { target: 'kubernetes', ...r };
}
