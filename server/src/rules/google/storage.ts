import { terraformRule, type Rule } from '../../engine/rule';
import { Ref, toList, toStr } from '../../parse/values';
import { anchor, gBool, iamMembers, PUBLIC_MEMBERS, setFix } from './util';

const bucket = (body: string) => `resource "google_storage_bucket" "data" {\n  name     = "example-data"\n  location = "EU"\n${body}}\n`;

const noPublicAccess = terraformRule({
  id: 'google-storage-no-public-access',
  title: 'Cloud Storage bucket is granted to allUsers or allAuthenticatedUsers',
  severity: 'high',
  impact: 'Anyone on the internet (allUsers) or any Google account holder (allAuthenticatedUsers) gets the granted role on the bucket and can read, and with write roles change or delete, its objects.',
  remediation: 'Remove allUsers and allAuthenticatedUsers from the bucket IAM bindings; grant roles to named users, groups or service accounts.',
  references: [
    'https://cloud.google.com/storage/docs/access-control/iam',
    'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket_iam',
  ],
  compliance: ['CIS GCP 5.1', 'NIST 800-53 AC-3'],
  equivalents: { checkov: ['CKV_GCP_28'], trivy: ['AVD-GCP-0001'], kics: ['a6cd52a1-3056-4910-96a5-894de9f3f3b3', 'c010082c-76e0-4b91-91d9-6e8439e455dd'] },
  resources: [
    'google_storage_bucket_iam_binding', 'google_storage_bucket_iam_member', 'google_storage_bucket_acl',
    'google_storage_bucket_access_control', 'google_storage_object_access_control', 'google_storage_default_object_access_control',
  ],
  check(r, ctx) {
    if (r.resourceType === 'google_storage_bucket_acl') {
      for (const e of toList(r.get('role_entity')) ?? []) {
        const s = toStr(e);
        const entity = s?.slice(s.indexOf(':') + 1).trim();
        if (s && entity && PUBLIC_MEMBERS.has(entity)) {
          ctx.report({ at: r.attr('role_entity')!, message: `${r.address} grants "${s}" on the bucket.` });
          return;
        }
      }
      return;
    }
    if (r.resourceType.endsWith('_access_control')) {
      const entity = toStr(r.get('entity'))?.trim();
      if (entity && PUBLIC_MEMBERS.has(entity)) ctx.report({ at: r.attr('entity')!, message: `${r.address} grants ${toStr(r.get('role')) ?? 'access'} to "${entity}".` });
      return;
    }
    for (const m of iamMembers(r)) {
      if (m.text && PUBLIC_MEMBERS.has(m.text.trim())) {
        ctx.report({ at: r.attr('members') ?? r.attr('member') ?? r, message: `${r.address} grants ${toStr(r.get('role')) ?? 'a role'} on the bucket to "${m.text}".` });
        return;
      }
    }
  },
  examples: {
    bad: [
      'resource "google_storage_bucket_iam_member" "public" {\n  bucket = "example-data"\n  role   = "roles/storage.objectViewer"\n  member = "allUsers"\n}\n',
      'resource "google_storage_bucket_iam_binding" "readers" {\n  bucket  = "example-data"\n  role    = "roles/storage.objectViewer"\n  members = ["group:data@example.com", "allAuthenticatedUsers"]\n}\n',
      'resource "google_storage_bucket_acl" "acl" {\n  bucket      = "example-data"\n  role_entity = ["OWNER:user-ops@example.com", "READER:allUsers"]\n}\n',
      'resource "google_storage_object_access_control" "public" {\n  bucket = "example-data"\n  object = "index.html"\n  role   = "READER"\n  entity = "allUsers"\n}\n',
    ],
    good: [
      'resource "google_storage_bucket_iam_binding" "readers" {\n  bucket  = "example-data"\n  role    = "roles/storage.objectViewer"\n  members = ["group:data@example.com"]\n}\n',
      'variable "member" {}\nresource "google_storage_bucket_iam_member" "m" {\n  bucket = "example-data"\n  role   = "roles/storage.objectViewer"\n  member = var.member\n}\n',
    ],
  },
});

const uniformAccess = terraformRule({
  id: 'google-storage-uniform-bucket-access',
  title: 'Cloud Storage bucket does not use uniform bucket-level access',
  severity: 'medium',
  impact: 'Without uniform bucket-level access, per-object ACLs can grant access that the bucket IAM policy does not show, so objects can be exposed unnoticed.',
  remediation: 'Set uniform_bucket_level_access = true on the bucket and manage access with IAM only.',
  references: [
    'https://cloud.google.com/storage/docs/uniform-bucket-level-access',
    'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket#uniform_bucket_level_access',
  ],
  compliance: ['CIS GCP 5.2'],
  equivalents: { checkov: ['CKV_GCP_29'], trivy: ['AVD-GCP-0002'], kics: ['bb0db090-5509-4853-a827-75ced0b3caa0'] },
  fixable: true,
  resources: ['google_storage_bucket'],
  check(r, ctx) {
    const v = r.get('uniform_bucket_level_access');
    if (v !== undefined && v !== null && gBool(v) !== false) return;
    ctx.report({
      at: anchor(r, [], 'uniform_bucket_level_access'),
      message: v === undefined || v === null
        ? `${r.address} does not set uniform_bucket_level_access (default false), so object ACLs stay in effect.`
        : `${r.address} sets uniform_bucket_level_access = false, so object ACLs stay in effect.`,
      fix: setFix(r, [], 'uniform_bucket_level_access', 'true'),
    });
  },
  examples: {
    bad: [bucket('  uniform_bucket_level_access = false\n'), bucket('')],
    good: [bucket('  uniform_bucket_level_access = true\n'), `variable "ubla" {}\n${bucket('  uniform_bucket_level_access = var.ubla\n')}`],
  },
});

const cmek = terraformRule({
  id: 'google-storage-bucket-cmek',
  title: 'Cloud Storage bucket is not encrypted with a customer-managed key',
  severity: 'low',
  impact: 'Objects are encrypted with Google-managed keys only: you cannot revoke or rotate the key yourself to cut off access to the data, and key use is not in your audit logs.',
  remediation: 'Add an encryption block with default_kms_key_name pointing at a Cloud KMS key.',
  references: [
    'https://cloud.google.com/storage/docs/encryption/customer-managed-keys',
    'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket#encryption',
  ],
  compliance: ['NIST 800-53 SC-12'],
  equivalents: { trivy: ['AVD-GCP-0066'] },
  resources: ['google_storage_bucket'],
  check(r, ctx) {
    const enc = r.blocks('encryption');
    if (enc.some((b) => b.dynamic)) return;
    const key = r.getPath('encryption', 'default_kms_key_name');
    if (key !== undefined && key !== null && key !== '') return;
    ctx.report({ at: enc[0] ?? r, message: `${r.address} has no encryption.default_kms_key_name: objects use Google-managed keys only.` });
  },
  examples: {
    bad: [bucket(''), bucket('  encryption {\n    default_kms_key_name = ""\n  }\n')],
    good: [
      bucket('  encryption {\n    default_kms_key_name = google_kms_crypto_key.bucket.id\n  }\n'),
      `variable "key" {}\n${bucket('  encryption {\n    default_kms_key_name = var.key\n  }\n')}`,
    ],
  },
});

const logging = terraformRule({
  id: 'google-storage-bucket-logging',
  title: 'Cloud Storage bucket does not log access',
  severity: 'medium',
  impact: 'Without usage logs, reads and writes of the objects leave no trace in the bucket logs, so data theft or tampering is hard to detect and investigate.',
  remediation: 'Add a logging block with log_bucket set to a dedicated log bucket (the log bucket itself does not need one).',
  references: [
    'https://cloud.google.com/storage/docs/access-logs',
    'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket#logging',
  ],
  compliance: ['NIST 800-53 AU-2'],
  equivalents: { checkov: ['CKV_GCP_62'], trivy: ['AVD-GCP-0077'], kics: ['d6cabc3a-d57e-48c2-b341-bf3dd4f4a120'] },
  resources: ['google_storage_bucket'],
  check(r, ctx) {
    if (r.hasBlock('logging')) {
      const lb = r.getPath('logging', 'log_bucket');
      if (lb === undefined ? r.blocks('logging').some((b) => b.dynamic) : lb !== '' && lb !== null) return;
    }
    // A bucket that receives other buckets' logs does not need its own.
    const name = toStr(r.get('name'));
    for (const m of r.module.allModules()) {
      for (const other of m.resourcesOfType('google_storage_bucket')) {
        if (other === r) continue;
        for (const l of other.blocks('logging')) {
          const v = l.get('log_bucket');
          if (v instanceof Ref ? v.address === r.localAddress && m === r.module : name !== undefined && toStr(v) === name) return;
        }
      }
    }
    ctx.report({ at: r.block('logging') ?? r, message: `${r.address} has no logging block with a log_bucket: object access is not logged.` });
  },
  examples: {
    bad: [bucket(''), bucket('  logging {\n    log_bucket = ""\n  }\n')],
    good: [
      bucket('  logging {\n    log_bucket = google_storage_bucket.logs.name\n  }\n') + 'resource "google_storage_bucket" "logs" {\n  name     = "example-logs"\n  location = "EU"\n}\n',
      `variable "log_bucket" {}\n${bucket('  logging {\n    log_bucket = var.log_bucket\n  }\n')}`,
    ],
  },
});

const versioning = terraformRule({
  id: 'google-storage-bucket-versioning',
  title: 'Cloud Storage bucket versioning is disabled',
  severity: 'medium',
  impact: 'Overwritten or deleted objects cannot be recovered, so a mistake, a compromised writer or ransomware destroys the data for good.',
  remediation: 'Add versioning { enabled = true } to the bucket (and lifecycle rules to expire old versions).',
  references: [
    'https://cloud.google.com/storage/docs/object-versioning',
    'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket#versioning',
  ],
  compliance: ['NIST 800-53 CP-9'],
  equivalents: { checkov: ['CKV_GCP_78'], trivy: ['AVD-GCP-0078'], kics: ['e7e961ac-d17e-4413-84bc-8a1fbe242944'] },
  fixable: true,
  resources: ['google_storage_bucket'],
  check(r, ctx) {
    if (r.blocks('versioning').some((b) => b.dynamic)) return;
    const v = r.getPath('versioning', 'enabled');
    if (v !== undefined && gBool(v) !== false) return;
    ctx.report({
      at: anchor(r, ['versioning'], 'enabled'),
      message: v === undefined ? `${r.address} does not enable versioning (default off).` : `${r.address} sets versioning.enabled = false.`,
      fix: setFix(r, ['versioning'], 'enabled', 'true'),
    });
  },
  examples: {
    bad: [bucket('  versioning {\n    enabled = false\n  }\n'), bucket('')],
    good: [bucket('  versioning {\n    enabled = true\n  }\n'), `variable "v" {}\n${bucket('  versioning {\n    enabled = var.v\n  }\n')}`],
  },
});

export const rules: Rule[] = [noPublicAccess, uniformAccess, cmek, logging, versioning];
