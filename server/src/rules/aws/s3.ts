import { setAttribute, tfFix } from '../../engine/fix';
import { terraformRule, type Rule, type TerraformContext } from '../../engine/rule';
import type { TextEdit } from '../../engine/types';
import { parsePolicy } from '../../parse/iam';
import type { TfBlock, TfResource } from '../../parse/terraform';
import { Ref, isKnown, toBool, toList, toStr, type Value } from '../../parse/values';
import { isSet } from '../util';

/*
 * S3. Bucket settings live either on `aws_s3_bucket` itself (provider v3 style blocks) or in
 * separate `aws_s3_bucket_*` resources that name the bucket (provider v4+). Every bucket-level
 * judgement looks at both, across the module, before reporting.
 */

export const PUBLIC_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read', 'website']);
const PUBLIC_GROUP_URIS = ['http://acs.amazonaws.com/groups/global/AllUsers', 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers'];
const LOG_DELIVERY_URI = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

// ---------------------------------------------------------------- shared helpers

/** Resources of `type` that configure this bucket, and whether some other one might (unknown target). */
export interface Linked { found: TfResource[]; maybe: boolean }

/** The resources of `type` whose `attribute` names `bucket`, by reference or by literal name. */
export function linkedTo(bucket: TfResource, ctx: TerraformContext, type: string, attribute = 'bucket'): Linked {
  const own = bucket.get('bucket');
  const ownName = toStr(own);
  const ownUnknown = own !== undefined && ownName === undefined; // a variable, a reference...
  const out: Linked = { found: [], maybe: false };
  for (const r of ctx.module.resourcesOfType(type)) {
    const v = r.get(attribute);
    if (v === undefined) continue;
    if (v instanceof Ref) {
      if (v.address === bucket.localAddress) out.found.push(r);
      else if (!(v.parts[0] === 'aws_s3_bucket' && ctx.module.resolve(v))) out.maybe = true; // a module output, a data source...
      continue;
    }
    const s = toStr(v);
    if (s === undefined) { out.maybe = true; continue; }
    if (ownName !== undefined && s === ownName) out.found.push(r);
    else if (ownUnknown) out.maybe = true;
  }
  return out;
}

/** The bucket an attribute such as `s3_bucket_name` or `target_bucket` points at, if declared in the module. */
export function bucketNamedBy(v: Value | undefined, ctx: TerraformContext): TfResource | undefined {
  if (v instanceof Ref) {
    const r = ctx.module.resolve(v);
    return r && r.resourceType === 'aws_s3_bucket' ? r : undefined;
  }
  const s = toStr(v);
  if (s === undefined) return undefined;
  return ctx.module.resourcesOfType('aws_s3_bucket').find((b) => toStr(b.get('bucket')) === s);
}

/** Whether a value names this bucket (reference or literal name); undefined when it cannot be told. */
function namesBucket(v: Value | undefined, bucket: TfResource, ctx: TerraformContext): boolean | undefined {
  if (v === undefined) return false;
  if (v instanceof Ref) {
    if (v.address === bucket.localAddress) return true;
    return v.parts[0] === 'aws_s3_bucket' && ctx.module.resolve(v) ? false : undefined;
  }
  const s = toStr(v);
  if (s === undefined) return undefined;
  const own = toStr(bucket.get('bucket'));
  if (own !== undefined) return s === own;
  return bucket.get('bucket') === undefined ? false : undefined;
}

/** Bucket access logging: inline `logging` block or an `aws_s3_bucket_logging`. Unknown counts as on. */
export function bucketLogging(bucket: TfResource, ctx: TerraformContext): 'on' | 'off' {
  if (bucket.hasBlock('logging')) return 'on';
  const l = bucket.get('logging');
  if (l !== undefined && l !== null && !(Array.isArray(l) && l.length === 0)) return 'on';
  const linked = linkedTo(bucket, ctx, 'aws_s3_bucket_logging');
  return linked.found.length > 0 || linked.maybe ? 'on' : 'off';
}

function grantsTo(block: TfBlock, uris: string[]): TfBlock[] {
  return block.blocks('grant').filter((g) => {
    const uri = toStr(g.get('uri')) ?? toStr(g.getPath('grantee', 'uri'));
    return uri !== undefined && uris.includes(uri);
  });
}

/** A bucket that receives S3 server access logs: it cannot use SSE-KMS and does not log itself. */
export function isLogBucket(bucket: TfResource, ctx: TerraformContext): boolean {
  if (toStr(bucket.get('acl')) === 'log-delivery-write') return true;
  if (grantsTo(bucket, [LOG_DELIVERY_URI]).length) return true;
  for (const acl of linkedTo(bucket, ctx, 'aws_s3_bucket_acl').found) {
    if (toStr(acl.get('acl')) === 'log-delivery-write') return true;
    for (const p of acl.blocks('access_control_policy')) if (grantsTo(p, [LOG_DELIVERY_URI]).length) return true;
  }
  const policies = [bucket.get('policy'), ...linkedTo(bucket, ctx, 'aws_s3_bucket_policy').found.map((p) => p.get('policy'))];
  for (const pv of policies) {
    const doc = parsePolicy(pv);
    if (doc?.statements.some((s) => s.effect === 'Allow' && (s.principals ?? []).includes('logging.s3.amazonaws.com'))) return true;
  }
  // The target of another bucket's access logging.
  for (const other of ctx.module.resourcesOfType('aws_s3_bucket')) {
    if (other === bucket) continue;
    for (const l of other.blocks('logging')) if (namesBucket(l.get('target_bucket'), bucket, ctx)) return true;
  }
  for (const l of ctx.module.resourcesOfType('aws_s3_bucket_logging')) {
    if (namesBucket(l.get('target_bucket'), bucket, ctx)) return true;
  }
  return false;
}

/** A free local name for a new resource of `type` next to `bucket`. */
function freeName(ctx: TerraformContext, type: string, base: string): string {
  let name = base;
  for (let i = 2; ctx.module.resource(`${type}.${name}`); i++) name = `${base}_${i}`;
  return name;
}

/**
 * Appends a companion resource (`aws_s3_bucket_versioning`, ...) right after the bucket, wired to
 * it with the same count / for_each.
 */
export function appendBucketCompanion(bucket: TfResource, ctx: TerraformContext, type: string, body: string[]): TextEdit {
  const f = bucket.file;
  const nl = f.lines.eol;
  const ref = `aws_s3_bucket.${bucket.name}`;
  const head: string[] = [];
  if (bucket.has('count')) head.push(`count  = length(${ref})`, `bucket = ${ref}[count.index].id`);
  else if (bucket.has('for_each')) head.push(`for_each = ${ref}`, `bucket   = each.value.id`);
  else head.push(`bucket = ${ref}.id`);
  const lines = [`resource "${type}" "${freeName(ctx, type, bucket.name)}" {`, ...head.map((l) => `  ${l}`), ...body.map((l) => `  ${l}`), '}'];
  return { file: f.path, start: bucket.span.end, end: bucket.span.end, newText: nl + nl + lines.join(nl) };
}

/** Deletes the whole lines a nested block occupies. */
function deleteBlockLines(block: TfBlock): TextEdit {
  const f = block.file;
  const start = f.lines.lineStart(block.span.startLine);
  const nextLine = block.span.endLine + 1;
  const end = nextLine < f.lines.lineCount ? f.lines.lineStart(nextLine) : f.text.length;
  return { file: f.path, start, end, newText: '' };
}

const bucket = (body: string, name = 'data') => `resource "aws_s3_bucket" "${name}" {\n  bucket = "example-${name}"\n${body}}\n`;

// ---------------------------------------------------------------- ACLs

const noPublicAcl = terraformRule({
  id: 'aws-s3-no-public-acl',
  title: 'S3 bucket ACL grants public access',
  severity: 'high',
  impact: 'Anyone on the internet (or any AWS account, for authenticated-read) can list and read the objects, and with public-read-write also overwrite or plant them.',
  remediation: 'Set the ACL to "private" and grant access with bucket policies scoped to named principals.',
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl'],
  compliance: ['CIS AWS 2.1.5', 'NIST 800-53 AC-3', 'PCI DSS 1.3.1'],
  equivalents: {
    checkov: ['CKV_AWS_20', 'CKV_AWS_57'],
    trivy: ['AVD-AWS-0092'],
    kics: ['38c5ee0d-7f22-4260-ab72-5073048df100', '57b9893d-33b1-4419-bcea-a717ea87e139'],
  },
  fixable: true,
  resources: ['aws_s3_bucket', 'aws_s3_bucket_acl'],
  check(res, ctx) {
    const attr = res.attr('acl');
    const acl = toStr(attr?.value);
    if (attr && acl && PUBLIC_ACLS.has(acl)) {
      ctx.report({
        at: attr,
        message: `${res.address} has the canned ACL "${acl}", which makes its objects readable by anyone.`,
        fix: tfFix('Set acl = "private"', setAttribute(res, 'acl', '"private"')),
      });
    }
    const holders = res.resourceType === 'aws_s3_bucket' ? [res] : res.blocks('access_control_policy');
    for (const h of holders) {
      for (const g of grantsTo(h, PUBLIC_GROUP_URIS)) {
        if (g.dynamic) continue;
        const who = (toStr(g.get('uri')) ?? toStr(g.getPath('grantee', 'uri')) ?? '').split('/').pop();
        const perm = toStr(g.get('permission')) ?? (toList(g.get('permissions')) ?? []).map(toStr).join(', ');
        ctx.report({
          at: g,
          message: `${res.address} grants ${perm || 'access'} to the ${who} group in its ACL.`,
          fix: tfFix(`Remove the grant to ${who}`, deleteBlockLines(g)),
        });
      }
    }
  },
  examples: {
    bad: [
      bucket('  acl    = "public-read"\n', 'site'),
      'resource "aws_s3_bucket_acl" "site" {\n  bucket = "example-site"\n  acl    = "public-read-write"\n}\n',
      'resource "aws_s3_bucket_acl" "site" {\n  bucket = "example-site"\n  access_control_policy {\n    grant {\n      grantee {\n        type = "Group"\n        uri  = "http://acs.amazonaws.com/groups/global/AllUsers"\n      }\n      permission = "READ"\n    }\n    owner {\n      id = "abc"\n    }\n  }\n}\n',
    ],
    good: [
      bucket('  acl    = "private"\n', 'site'),
      'variable "acl" {}\nresource "aws_s3_bucket" "site" {\n  bucket = "example-site"\n  acl    = var.acl\n}\n',
      'resource "aws_s3_bucket_acl" "logs" {\n  bucket = "example-logs"\n  acl    = "log-delivery-write"\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- bucket policy

const noPublicPolicy = terraformRule({
  id: 'aws-s3-no-public-policy',
  title: 'S3 bucket policy allows any principal',
  severity: 'high',
  impact: 'A statement that allows "*" without a condition lets anyone on the internet (or any AWS account) perform its actions on the bucket.',
  remediation: 'Name the principals that need access (accounts, roles, services) or restrict the statement with conditions such as aws:PrincipalOrgID or aws:SourceVpce.',
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html', 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status'],
  compliance: ['NIST 800-53 AC-3', 'PCI DSS 1.3.1'],
  equivalents: { checkov: ['CKV_AWS_70'] },
  resources: ['aws_s3_bucket', 'aws_s3_bucket_policy'],
  check(r, ctx) {
    const attr = r.attr('policy');
    const doc = parsePolicy(attr?.value);
    if (!attr || !doc) return;
    for (const s of doc.statements) {
      if (s.effect !== 'Allow' || s.hasCondition || !(s.principals ?? []).includes('*')) continue;
      const actions = s.actions.length ? s.actions.join(', ') : s.notActions.length ? `everything but ${s.notActions.join(', ')}` : '(no action)';
      ctx.report({ at: attr, message: `${r.address} has a policy statement that allows ${actions} to any principal ("*") without a condition.` });
    }
  },
  examples: {
    bad: [
      'resource "aws_s3_bucket_policy" "site" {\n  bucket = "example-site"\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = "*"\n      Action    = "s3:GetObject"\n      Resource  = "arn:aws:s3:::example-site/*"\n    }]\n  })\n}\n',
      'data "aws_iam_policy_document" "site" {\n  statement {\n    actions   = ["s3:*"]\n    resources = ["arn:aws:s3:::example-site/*"]\n    principals {\n      type        = "AWS"\n      identifiers = ["*"]\n    }\n  }\n}\n\nresource "aws_s3_bucket_policy" "site" {\n  bucket = "example-site"\n  policy = data.aws_iam_policy_document.site.json\n}\n',
    ],
    good: [
      'resource "aws_s3_bucket_policy" "site" {\n  bucket = "example-site"\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = { AWS = "arn:aws:iam::123456789012:role/reader" }\n      Action    = "s3:GetObject"\n      Resource  = "arn:aws:s3:::example-site/*"\n    }]\n  })\n}\n',
      'resource "aws_s3_bucket_policy" "site" {\n  bucket = "example-site"\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = "*"\n      Action    = "s3:GetObject"\n      Resource  = "arn:aws:s3:::example-site/*"\n      Condition = { StringEquals = { "aws:SourceVpce" = "vpce-1a2b3c4d" } }\n    }]\n  })\n}\n',
      'variable "policy" {}\nresource "aws_s3_bucket_policy" "site" {\n  bucket = "example-site"\n  policy = var.policy\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- public access block

interface PabSetting { id: string; attr: string; trivy: string; checkov: string; kics: string; title: string; impact: string; cis?: string }

const PAB_SETTINGS: PabSetting[] = [
  {
    id: 'aws-s3-block-public-acls', attr: 'block_public_acls', trivy: 'AVD-AWS-0086', checkov: 'CKV_AWS_53', kics: 'd0cc8694-fcad-43ff-ac86-32331d7e867f',
    title: 'S3 public access block does not block public ACLs',
    impact: 'New public ACLs can be put on the bucket and its objects, so one careless upload or ACL call exposes data to the internet.',
  },
  {
    id: 'aws-s3-block-public-policy', attr: 'block_public_policy', trivy: 'AVD-AWS-0087', checkov: 'CKV_AWS_54', kics: '1a4bc881-9f69-4d44-8c9a-d37d08f54c50',
    title: 'S3 public access block does not block public bucket policies',
    impact: 'A bucket policy that grants access to everyone can be attached, exposing every object of the bucket.',
  },
  {
    id: 'aws-s3-ignore-public-acls', attr: 'ignore_public_acls', trivy: 'AVD-AWS-0091', checkov: 'CKV_AWS_55', kics: '4fa66806-0dd9-4f8d-9480-3174d39c7c91',
    title: 'S3 public access block does not ignore public ACLs',
    impact: 'Public ACLs already on the bucket or its objects stay in force, so objects made public earlier remain readable by anyone.',
  },
  {
    id: 'aws-s3-restrict-public-buckets', attr: 'restrict_public_buckets', trivy: 'AVD-AWS-0093', checkov: 'CKV_AWS_56', kics: '1ec253ab-c220-4d63-b2de-5b40e0af9293',
    title: 'S3 public access block does not restrict public buckets',
    impact: 'A public bucket policy keeps granting anonymous and cross-account access to the bucket.',
  },
];

const pabRules = PAB_SETTINGS.map((s) => terraformRule({
  id: s.id,
  title: s.title,
  severity: 'high',
  impact: s.impact,
  remediation: `Set \`${s.attr} = true\` in the public access block (all four settings should be true unless the bucket is meant to be public).`,
  references: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_public_access_block',
  ],
  compliance: ['CIS AWS 2.1.5', 'NIST 800-53 AC-3'],
  equivalents: { checkov: [s.checkov], trivy: [s.trivy], kics: [s.kics] },
  fixable: true,
  resources: ['aws_s3_bucket_public_access_block', 'aws_s3_account_public_access_block'],
  check(pab, ctx) {
    const attr = pab.attr(s.attr);
    const v = attr?.value;
    if (v !== undefined && toBool(v) !== false) return; // true, or unknown
    const bucket = pab.resourceType === 'aws_s3_bucket_public_access_block' ? ctx.module.resolve(pab.get('bucket')) : undefined;
    ctx.report({
      at: attr ?? pab,
      message: attr
        ? `${pab.address} sets ${s.attr} = ${toStr(v) ?? 'false'}.`
        : `${pab.address} does not set ${s.attr}, which defaults to false.`,
      fix: tfFix(`Set ${s.attr} = true`, setAttribute(pab, s.attr, 'true')),
      ...(bucket ? { related: [{ file: bucket.file.path, span: bucket.headerSpan, message: `the bucket this block leaves exposed: ${bucket.address}` }] } : {}),
    });
  },
  examples: {
    bad: [
      `resource "aws_s3_bucket_public_access_block" "data" {\n  bucket = aws_s3_bucket.data.id\n}\n`,
      `resource "aws_s3_bucket_public_access_block" "data" {\n  bucket = "example-data"\n  ${s.attr} = false\n}\n`,
      `resource "aws_s3_account_public_access_block" "account" {\n  ${s.attr} = false\n}\n`,
    ],
    good: [
      `resource "aws_s3_bucket_public_access_block" "data" {\n  bucket = aws_s3_bucket.data.id\n  ${s.attr} = true\n}\n`,
      `variable "strict" {}\nresource "aws_s3_bucket_public_access_block" "data" {\n  bucket = aws_s3_bucket.data.id\n  ${s.attr} = var.strict\n}\n`,
    ],
  },
}));

const PAB_ALL_TRUE = ['block_public_acls       = true', 'block_public_policy     = true', 'ignore_public_acls      = true', 'restrict_public_buckets = true'];

const publicAccessBlock = terraformRule({
  id: 'aws-s3-public-access-block',
  title: 'S3 bucket has no public access block',
  severity: 'low',
  impact: 'Without a public access block nothing stops a later ACL or bucket policy change from making the bucket or its objects public.',
  remediation: 'Add an `aws_s3_bucket_public_access_block` for the bucket with all four settings true (or one account-wide `aws_s3_account_public_access_block`).',
  references: ['https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_public_access_block'],
  compliance: ['CIS AWS 2.1.5'],
  equivalents: { checkov: ['CKV2_AWS_6'], trivy: ['AVD-AWS-0094'] },
  fixable: true,
  resources: ['aws_s3_bucket'],
  check(b, ctx) {
    if (ctx.module.resourcesOfType('aws_s3_account_public_access_block').length) return;
    const linked = linkedTo(b, ctx, 'aws_s3_bucket_public_access_block');
    if (linked.found.length || linked.maybe) return;
    ctx.report({
      at: b,
      message: `${b.address} has no aws_s3_bucket_public_access_block.`,
      fix: tfFix('Add an aws_s3_bucket_public_access_block that blocks all public access',
        appendBucketCompanion(b, ctx, 'aws_s3_bucket_public_access_block', PAB_ALL_TRUE)),
    });
  },
  examples: {
    bad: [bucket(''), 'resource "aws_s3_bucket" "data" {\n  count  = 2\n  bucket = "example-data-${count.index}"\n}\n'],
    good: [
      bucket('') + `resource "aws_s3_bucket_public_access_block" "data" {\n  bucket = aws_s3_bucket.data.id\n${PAB_ALL_TRUE.map((l) => `  ${l}\n`).join('')}}\n`,
      { 'main.tf': bucket(''), 'account.tf': `resource "aws_s3_account_public_access_block" "this" {\n${PAB_ALL_TRUE.map((l) => `  ${l}\n`).join('')}}\n` },
      'variable "bucket_id" {}\n' + bucket('') + 'resource "aws_s3_bucket_public_access_block" "data" {\n  bucket = var.bucket_id\n  block_public_acls = true\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- versioning

const versioning = terraformRule({
  id: 'aws-s3-enable-versioning',
  title: 'S3 bucket versioning is not enabled',
  severity: 'medium',
  impact: 'Overwritten or deleted objects cannot be recovered, so a mistake, a compromised writer or ransomware destroys data for good.',
  remediation: 'Enable versioning with an `aws_s3_bucket_versioning` resource (status "Enabled") or `versioning { enabled = true }` on older providers.',
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html', 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_versioning'],
  compliance: ['NIST 800-53 CP-9'],
  equivalents: { checkov: ['CKV_AWS_21'], trivy: ['AVD-AWS-0090'], kics: ['568a4d22-3517-44a6-a7ad-6a7eed88722c'] },
  fixable: true,
  resources: ['aws_s3_bucket'],
  check(b, ctx) {
    const inline = b.blocks('versioning');
    if (inline.some((v) => v.dynamic)) return;
    const inlineEnabled = inline.length ? b.getPath('versioning', 'enabled') : b.get('versioning') !== undefined ? b.getPath('versioning', 'enabled') : undefined;
    if (inlineEnabled !== undefined && toBool(inlineEnabled) !== false) return; // true or unknown
    const linked = linkedTo(b, ctx, 'aws_s3_bucket_versioning');
    if (linked.maybe) return;
    const disabled: TfBlock[] = [];
    for (const v of linked.found) {
      const conf = v.blocks('versioning_configuration');
      if (conf.length === 0 || conf.some((c) => c.dynamic)) return;
      const status = v.getPath('versioning_configuration', 'status');
      if (status === undefined || toStr(status) === undefined || toStr(status) === 'Enabled') return;
      disabled.push(conf[0]!);
    }
    if (disabled.length) {
      for (const c of disabled) {
        const status = c.attr('status')!;
        ctx.report({
          at: status,
          message: `${b.address} has versioning status "${toStr(status.value)}" in its aws_s3_bucket_versioning.`,
          fix: tfFix('Set status = "Enabled"', setAttribute(c, 'status', '"Enabled"')),
        });
      }
      return;
    }
    const block = inline[0];
    if (block) {
      ctx.report({
        at: block.attr('enabled') ?? block,
        message: `${b.address} has versioning ${block.has('enabled') ? 'enabled = false' : 'without enabled = true'}.`,
        fix: tfFix('Set enabled = true', setAttribute(block, 'enabled', 'true')),
      });
      return;
    }
    if (b.get('versioning') !== undefined) return; // attribute form (versioning = {...}): not modelled
    ctx.report({
      at: b,
      message: `${b.address} does not enable versioning.`,
      fix: tfFix('Add an aws_s3_bucket_versioning with status "Enabled"',
        appendBucketCompanion(b, ctx, 'aws_s3_bucket_versioning', ['versioning_configuration {', '  status = "Enabled"', '}'])),
    });
  },
  examples: {
    bad: [
      bucket(''),
      bucket('  versioning {\n    enabled = false\n  }\n'),
      bucket('') + 'resource "aws_s3_bucket_versioning" "data" {\n  bucket = aws_s3_bucket.data.id\n  versioning_configuration {\n    status = "Suspended"\n  }\n}\n',
      'resource "aws_s3_bucket" "data" {\n  for_each = toset(["a", "b"])\n  bucket   = "example-${each.key}"\n}\n',
    ],
    good: [
      bucket('  versioning {\n    enabled = true\n  }\n'),
      { 'main.tf': bucket(''), 'versioning.tf': 'resource "aws_s3_bucket_versioning" "data" {\n  bucket = "example-data"\n  versioning_configuration {\n    status = "Enabled"\n  }\n}\n' },
      'variable "versioned" {}\n' + bucket('  versioning {\n    enabled = var.versioned\n  }\n'),
      'variable "bucket" {}\n' + bucket('') + 'resource "aws_s3_bucket_versioning" "data" {\n  bucket = var.bucket\n  versioning_configuration {\n    status = "Enabled"\n  }\n}\n',
    ],
  },
});

const mfaDelete = terraformRule({
  id: 'aws-s3-enable-mfa-delete',
  title: 'S3 bucket versioning has MFA delete disabled',
  severity: 'low',
  impact: 'Anyone holding the bucket owner\'s credentials can permanently delete object versions or suspend versioning without a second factor.',
  remediation: 'Enable MFA delete (`mfa_delete = "Enabled"` with the `mfa` argument, applied by the root account with its MFA device).',
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiFactorAuthenticationDelete.html'],
  compliance: ['CIS AWS 2.1.3'],
  equivalents: { trivy: ['AVD-AWS-0170'], kics: ['c5b31ab9-0f26-4a49-b8aa-4cc064392f4d'] },
  resources: ['aws_s3_bucket', 'aws_s3_bucket_versioning'],
  check(r, ctx) {
    const holder = r.resourceType === 'aws_s3_bucket' ? r.blocks('versioning') : r.blocks('versioning_configuration');
    for (const blk of holder) {
      if (blk.dynamic) continue;
      const attr = blk.attr('mfa_delete');
      if (!attr) continue;
      const v = attr.value;
      const off = r.resourceType === 'aws_s3_bucket' ? toBool(v) === false : toStr(v) === 'Disabled';
      if (!off) continue;
      ctx.report({ at: attr, message: `${r.address} sets mfa_delete = ${JSON.stringify(toStr(v))}: object versions can be deleted without MFA.` });
    }
  },
  examples: {
    bad: [
      'resource "aws_s3_bucket_versioning" "data" {\n  bucket = "example-data"\n  versioning_configuration {\n    status     = "Enabled"\n    mfa_delete = "Disabled"\n  }\n}\n',
      bucket('  versioning {\n    enabled    = true\n    mfa_delete = false\n  }\n'),
    ],
    good: [
      'resource "aws_s3_bucket_versioning" "data" {\n  bucket = "example-data"\n  mfa    = "arn:aws:iam::123456789012:mfa/root-account-mfa-device 123456"\n  versioning_configuration {\n    status     = "Enabled"\n    mfa_delete = "Enabled"\n  }\n}\n',
      'variable "mfa_delete" {}\nresource "aws_s3_bucket_versioning" "data" {\n  bucket = "example-data"\n  versioning_configuration {\n    status     = "Enabled"\n    mfa_delete = var.mfa_delete\n  }\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- logging

const accessLogging = terraformRule({
  id: 'aws-s3-enable-logging',
  title: 'S3 bucket has no server access logging',
  severity: 'low',
  impact: 'Requests to the bucket leave no record, so data theft or tampering cannot be detected or investigated.',
  remediation: 'Add an `aws_s3_bucket_logging` (or a `logging` block) that sends access logs to a dedicated log bucket.',
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html', 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_logging'],
  compliance: ['NIST 800-53 AU-2', 'PCI DSS 10.2'],
  equivalents: { checkov: ['CKV_AWS_18'], trivy: ['AVD-AWS-0089'], kics: ['f861041c-8c9f-4156-acfc-5e6e524f5884'] },
  resources: ['aws_s3_bucket'],
  check(b, ctx) {
    if (bucketLogging(b, ctx) === 'on' || isLogBucket(b, ctx)) return;
    ctx.report({ at: b, message: `${b.address} has no server access logging (no logging block and no aws_s3_bucket_logging).` });
  },
  examples: {
    bad: [bucket('')],
    good: [
      bucket('  logging {\n    target_bucket = aws_s3_bucket.logs.id\n    target_prefix = "data/"\n  }\n') + bucket('  acl    = "log-delivery-write"\n', 'logs'),
      bucket('') + 'resource "aws_s3_bucket_logging" "data" {\n  bucket        = aws_s3_bucket.data.id\n  target_bucket = "example-logs"\n  target_prefix = "data/"\n}\n',
      'variable "bucket" {}\n' + bucket('') + 'resource "aws_s3_bucket_logging" "data" {\n  bucket        = var.bucket\n  target_bucket = "example-logs"\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- encryption

interface SseRule { block: TfBlock; algorithm: Value | undefined; key: Value | undefined; owner: TfResource }

function sseRules(owner: TfResource, holder: TfBlock): SseRule[] | 'unknown' {
  const out: SseRule[] = [];
  const rulesBlocks = holder.blocks('rule');
  if (rulesBlocks.length === 0) return [{ block: holder, algorithm: undefined, key: undefined, owner }];
  for (const r of rulesBlocks) {
    if (r.dynamic) return 'unknown';
    const d = r.blocks('apply_server_side_encryption_by_default');
    if (d.some((x) => x.dynamic)) return 'unknown';
    out.push({ block: d[0] ?? r, algorithm: d[0]?.get('sse_algorithm'), key: d[0]?.get('kms_master_key_id'), owner });
  }
  return out;
}

const customerKey = terraformRule({
  id: 'aws-s3-encryption-customer-key',
  title: 'S3 bucket is not encrypted with a customer-managed KMS key',
  severity: 'medium',
  impact: 'With SSE-S3 or the AWS-managed aws/s3 key, access to the data cannot be restricted, audited or revoked through a key policy you control.',
  remediation: 'Configure default encryption with `sse_algorithm = "aws:kms"` and `kms_master_key_id` set to a customer-managed `aws_kms_key`.',
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html', 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_server_side_encryption_configuration'],
  compliance: ['NIST 800-53 SC-28', 'PCI DSS 3.4'],
  equivalents: { trivy: ['AVD-AWS-0132'] },
  resources: ['aws_s3_bucket'],
  check(b, ctx) {
    if (isLogBucket(b, ctx)) return; // access-log targets cannot use SSE-KMS
    const linked = linkedTo(b, ctx, 'aws_s3_bucket_server_side_encryption_configuration');
    if (linked.maybe) return;
    const holders: [TfResource, TfBlock][] = [
      ...b.blocks('server_side_encryption_configuration').map((h): [TfResource, TfBlock] => [b, h]),
      ...linked.found.map((r): [TfResource, TfBlock] => [r, r]),
    ];
    if (holders.some(([, h]) => h.dynamic)) return;
    if (holders.length === 0) {
      if (b.get('server_side_encryption_configuration') !== undefined) return; // attribute form: not modelled
      ctx.report({ at: b, message: `${b.address} has no default encryption with a customer-managed KMS key (S3 falls back to SSE-S3).` });
      return;
    }
    const rules: SseRule[] = [];
    for (const [owner, h] of holders) {
      const r = sseRules(owner, h);
      if (r === 'unknown') return;
      rules.push(...r);
    }
    // One good rule is enough; unknown algorithms or keys count as good.
    const good = rules.some((r) => {
      if (r.algorithm !== undefined && !isKnown(r.algorithm)) return true;
      const alg = toStr(r.algorithm);
      return alg !== undefined && alg.startsWith('aws:kms') && isSet(r.key);
    });
    if (good) return;
    for (const r of rules) {
      const alg = toStr(r.algorithm);
      const where = r.owner === b ? b.address : `${r.owner.address} (for ${b.address})`;
      ctx.report({
        at: r.block.attr('sse_algorithm') ?? r.block,
        message: alg === undefined
          ? `${where} has an encryption rule without a default algorithm or customer-managed key.`
          : alg.startsWith('aws:kms')
            ? `${where} uses "${alg}" without kms_master_key_id, i.e. the AWS-managed aws/s3 key.`
            : `${where} uses sse_algorithm "${alg}" instead of a customer-managed KMS key.`,
      });
    }
  },
  examples: {
    bad: [
      bucket(''),
      bucket('') + 'resource "aws_s3_bucket_server_side_encryption_configuration" "data" {\n  bucket = aws_s3_bucket.data.id\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = "AES256"\n    }\n  }\n}\n',
      bucket('  server_side_encryption_configuration {\n    rule {\n      apply_server_side_encryption_by_default {\n        sse_algorithm = "aws:kms"\n      }\n    }\n  }\n'),
    ],
    good: [
      'resource "aws_kms_key" "s3" {\n  enable_key_rotation = true\n}\n' + bucket('') + 'resource "aws_s3_bucket_server_side_encryption_configuration" "data" {\n  bucket = aws_s3_bucket.data.id\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm     = "aws:kms"\n      kms_master_key_id = aws_kms_key.s3.arn\n    }\n  }\n}\n',
      'variable "key_arn" {}\n' + bucket('  server_side_encryption_configuration {\n    rule {\n      apply_server_side_encryption_by_default {\n        sse_algorithm     = "aws:kms"\n        kms_master_key_id = var.key_arn\n      }\n    }\n  }\n'),
      bucket('  acl = "log-delivery-write"\n', 'logs') + 'resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {\n  bucket = aws_s3_bucket.logs.id\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = "AES256"\n    }\n  }\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- CloudTrail data events

type Coverage = 'yes' | 'no' | 'maybe';

function mergeCov(a: Coverage, b: Coverage): Coverage {
  if (a === 'yes' || b === 'yes') return 'yes';
  return a === 'maybe' || b === 'maybe' ? 'maybe' : 'no';
}

function selectorCovers(values: Value | undefined, bucket: TfResource): Coverage {
  const list = toList(values);
  if (!list) return values === undefined ? 'no' : 'maybe';
  const nameV = bucket.get('bucket');
  const name = toStr(nameV);
  let cov: Coverage = 'no';
  for (const v of list) {
    const s = toStr(v);
    if (s === undefined) { cov = mergeCov(cov, 'maybe'); continue; }
    if (s === 'arn:aws:s3' || s === 'arn:aws:s3:::' || s === 'arn:aws:s3:::*') return 'yes';
    if (!s.startsWith('arn:aws:s3:::')) continue;
    if (name !== undefined) { if (s === `arn:aws:s3:::${name}/`) return 'yes'; }
    else if (nameV !== undefined) cov = mergeCov(cov, 'maybe');
  }
  return cov;
}

function fieldEquals(sel: TfBlock, field: string): Value[] | 'absent' | 'unknown' {
  for (const f of sel.blocks('field_selector')) {
    if (f.dynamic) return 'unknown';
    const name = f.get('field');
    if (!isKnown(name)) return 'unknown';
    if (toStr(name) !== field) continue;
    const eq = f.get('equals');
    if (eq === undefined) return 'unknown'; // starts_with, not_equals...: not modelled
    const l = toList(eq);
    return l ?? 'unknown';
  }
  return 'absent';
}

/** Whether some trail of the module records S3 object-level `mode` events for the bucket. */
export function dataEventCoverage(bucket: TfResource, ctx: TerraformContext, mode: 'read' | 'write'): Coverage {
  let cov: Coverage = 'no';
  for (const trail of ctx.module.resourcesOfType('aws_cloudtrail')) {
    for (const sel of trail.blocks('event_selector')) {
      if (sel.dynamic) { cov = mergeCov(cov, 'maybe'); continue; }
      const rwtV = sel.get('read_write_type');
      const rwt = rwtV === undefined ? 'All' : toStr(rwtV);
      if (rwt === undefined) { cov = mergeCov(cov, 'maybe'); continue; }
      if (!(rwt === 'All' || (mode === 'write' && rwt === 'WriteOnly') || (mode === 'read' && rwt === 'ReadOnly'))) continue;
      for (const dr of sel.blocks('data_resource')) {
        if (dr.dynamic) { cov = mergeCov(cov, 'maybe'); continue; }
        const type = dr.get('type');
        if (!isKnown(type)) { cov = mergeCov(cov, 'maybe'); continue; }
        if (toStr(type) !== 'AWS::S3::Object') continue;
        cov = mergeCov(cov, selectorCovers(dr.get('values'), bucket));
      }
    }
    for (const sel of trail.blocks('advanced_event_selector')) {
      if (sel.dynamic) { cov = mergeCov(cov, 'maybe'); continue; }
      const cat = fieldEquals(sel, 'eventCategory');
      const type = fieldEquals(sel, 'resources.type');
      const ro = fieldEquals(sel, 'readOnly');
      const arn = fieldEquals(sel, 'resources.ARN');
      if (cat === 'unknown' || type === 'unknown' || ro === 'unknown') { cov = mergeCov(cov, 'maybe'); continue; }
      if (cat === 'absent' || !cat.map(toStr).includes('Data')) continue;
      if (type === 'absent' || !type.map(toStr).includes('AWS::S3::Object')) continue;
      if (ro !== 'absent') {
        const vals = ro.map(toStr);
        if (!vals.includes(mode === 'read' ? 'true' : 'false')) continue;
      }
      cov = mergeCov(cov, arn === 'absent' ? 'yes' : 'maybe');
    }
  }
  return cov;
}

function dataEventRule(mode: 'read' | 'write') {
  const verb = mode === 'read' ? 'read' : 'write';
  const apis = mode === 'read' ? 'GetObject' : 'PutObject and DeleteObject';
  return terraformRule({
    id: `aws-s3-object-${verb}-logging`,
    title: `S3 object-level ${verb} events are not recorded by CloudTrail`,
    severity: 'low',
    impact: `Object ${verb}s (${apis}) leave no audit trail, so ${mode === 'read' ? 'data exfiltration' : 'tampering or deletion'} cannot be traced.`,
    remediation: `Add a CloudTrail event_selector with read_write_type "All" (or "${mode === 'read' ? 'ReadOnly' : 'WriteOnly'}") and a data_resource of type "AWS::S3::Object" covering the bucket ("arn:aws:s3:::<bucket>/").`,
    references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-cloudtrail-logging-for-s3.html', 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail#event_selector'],
    compliance: [mode === 'read' ? 'CIS AWS 3.11' : 'CIS AWS 3.10'],
    equivalents: { trivy: [mode === 'read' ? 'AVD-AWS-0172' : 'AVD-AWS-0171'] },
    resources: ['aws_s3_bucket'],
    check(b, ctx) {
      if (dataEventCoverage(b, ctx, mode) !== 'no') return;
      const trails = ctx.module.resourcesOfType('aws_cloudtrail').length;
      ctx.report({
        at: b,
        message: trails
          ? `${b.address}: no CloudTrail trail of the module records its object-level ${verb} events.`
          : `${b.address}: there is no CloudTrail trail recording its object-level ${verb} events.`,
      });
    },
    examples: {
      bad: [
        bucket(''),
        bucket('') + `resource "aws_cloudtrail" "main" {\n  name           = "main"\n  s3_bucket_name = "example-trail"\n  event_selector {\n    read_write_type = "${mode === 'read' ? 'WriteOnly' : 'ReadOnly'}"\n    data_resource {\n      type   = "AWS::S3::Object"\n      values = ["arn:aws:s3"]\n    }\n  }\n}\n`,
        bucket('') + 'resource "aws_cloudtrail" "main" {\n  name           = "main"\n  s3_bucket_name = "example-trail"\n  event_selector {\n    data_resource {\n      type   = "AWS::S3::Object"\n      values = ["arn:aws:s3:::example-data"]\n    }\n  }\n}\n',
      ],
      good: [
        bucket('') + 'resource "aws_cloudtrail" "main" {\n  name           = "main"\n  s3_bucket_name = "example-trail"\n  event_selector {\n    read_write_type = "All"\n    data_resource {\n      type   = "AWS::S3::Object"\n      values = ["arn:aws:s3:::example-data/"]\n    }\n  }\n}\n',
        bucket('') + 'resource "aws_cloudtrail" "main" {\n  name           = "main"\n  s3_bucket_name = "example-trail"\n  advanced_event_selector {\n    field_selector {\n      field  = "eventCategory"\n      equals = ["Data"]\n    }\n    field_selector {\n      field  = "resources.type"\n      equals = ["AWS::S3::Object"]\n    }\n  }\n}\n',
        'variable "arns" {}\n' + bucket('') + 'resource "aws_cloudtrail" "main" {\n  name           = "main"\n  s3_bucket_name = "example-trail"\n  event_selector {\n    data_resource {\n      type   = "AWS::S3::Object"\n      values = var.arns\n    }\n  }\n}\n',
      ],
    },
  });
}

export const rules: Rule[] = [
  noPublicAcl,
  noPublicPolicy,
  ...pabRules,
  publicAccessBlock,
  versioning,
  mfaDelete,
  accessLogging,
  customerKey,
  dataEventRule('write'),
  dataEventRule('read'),
];
