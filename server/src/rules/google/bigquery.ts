import { terraformRule, type Rule } from '../../engine/rule';
import { toStr } from '../../parse/values';
import { iamMembers, PUBLIC_MEMBERS } from './util';

const dataset = (body: string) => `resource "google_bigquery_dataset" "analytics" {\n  dataset_id = "analytics"\n  location   = "EU"\n${body}}\n`;

const noPublicAccess = terraformRule({
  id: 'google-bigquery-no-public-access',
  title: 'BigQuery dataset is accessible to allUsers or allAuthenticatedUsers',
  severity: 'critical',
  impact: 'Anyone on the internet (allUsers) or any Google account holder (allAuthenticatedUsers) can query, and with write roles change, the tables of the dataset.',
  remediation: 'Remove access entries and IAM grants for allUsers / allAuthenticatedUsers; grant access to groups or service accounts of your organization.',
  references: ['https://cloud.google.com/bigquery/docs/dataset-access-controls', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/bigquery_dataset#access'],
  compliance: ['CIS GCP 7.1', 'NIST 800-53 AC-3'],
  equivalents: { checkov: ['CKV_GCP_15'], trivy: ['AVD-GCP-0046'], kics: ['e576ce44-dd03-4022-a8c0-3906acca2ab4'] },
  resources: ['google_bigquery_dataset', 'google_bigquery_dataset_access', 'google_bigquery_dataset_iam_binding', 'google_bigquery_dataset_iam_member', 'google_bigquery_table_iam_binding', 'google_bigquery_table_iam_member'],
  check(r, ctx) {
    if (r.resourceType.includes('_iam_')) {
      const m = iamMembers(r).find((x) => x.text !== undefined && PUBLIC_MEMBERS.has(x.text.trim()));
      if (m) ctx.report({ at: r.attr('members') ?? r.attr('member') ?? r, message: `${r.address} grants ${toStr(r.get('role')) ?? 'a role'} to "${m.text}".` });
      return;
    }
    const entries = r.resourceType === 'google_bigquery_dataset_access' ? [r] : r.blocks('access');
    for (const a of entries) {
      for (const name of ['special_group', 'iam_member']) {
        const attr = a.attr(name);
        const v = toStr(attr?.value)?.trim();
        if (attr && v && PUBLIC_MEMBERS.has(v)) {
          ctx.report({ at: attr, message: `${r.address} gives ${toStr(a.get('role')) ?? 'access'} to ${name} "${v}".` });
        }
      }
    }
  },
  examples: {
    bad: [
      dataset('  access {\n    role          = "READER"\n    special_group = "allAuthenticatedUsers"\n  }\n'),
      'resource "google_bigquery_dataset_iam_member" "public" {\n  dataset_id = "analytics"\n  role       = "roles/bigquery.dataViewer"\n  member     = "allUsers"\n}\n',
    ],
    good: [
      dataset('  access {\n    role          = "OWNER"\n    user_by_email = "owner@example.com"\n  }\n  access {\n    role          = "READER"\n    special_group = "projectReaders"\n  }\n'),
      dataset(''),
      'variable "g" {}\n' + dataset('  access {\n    role          = "READER"\n    special_group = var.g\n  }\n'),
    ],
  },
});

export const rules: Rule[] = [noPublicAccess];
