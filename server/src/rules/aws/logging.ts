import { replaceSpan, setAttribute, tfFix } from '../../engine/fix';
import { terraformRule, type Rule } from '../../engine/rule';
import type { TfAttribute, TfBlock } from '../../parse/terraform';
import { toBool, toStr } from '../../parse/values';
import { isSet } from '../util';
import { PUBLIC_ACLS, bucketLogging, bucketNamedBy, linkedTo } from './s3';

/* CloudTrail, CloudWatch Logs, KMS and AWS Config. */

const trail = (body: string) => `resource "aws_cloudtrail" "main" {\n  name           = "main"\n  s3_bucket_name = "example-trail-logs"\n${body}}\n`;

/** A boolean attribute that must be true; absent means the provider default (false). */
function requireTrue(block: TfBlock, name: string): { attr: TfAttribute | undefined; bad: boolean } {
  const attr = block.attr(name);
  const v = attr?.value;
  return { attr, bad: v === undefined || v === null || toBool(v) === false };
}

// ---------------------------------------------------------------- CloudTrail

const multiRegion = terraformRule({
  id: 'aws-cloudtrail-multi-region',
  title: 'CloudTrail trail does not cover all regions',
  severity: 'medium',
  impact: 'Activity in the regions the trail does not watch, such as resources an attacker starts in an unused region, goes unrecorded.',
  remediation: 'Set `is_multi_region_trail = true`.',
  references: ['https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html'],
  compliance: ['CIS AWS 3.1', 'NIST 800-53 AU-2'],
  equivalents: { checkov: ['CKV_AWS_67'], trivy: ['AVD-AWS-0014'], kics: ['8173d5eb-96b5-4aa6-a71b-ecfa153c123d'] },
  fixable: true,
  resources: ['aws_cloudtrail'],
  check(t, ctx) {
    const { attr, bad } = requireTrue(t, 'is_multi_region_trail');
    if (!bad) return;
    ctx.report({
      at: attr ?? t,
      message: attr ? `${t.address} sets is_multi_region_trail = false.` : `${t.address} does not set is_multi_region_trail, so it records one region only.`,
      fix: tfFix('Set is_multi_region_trail = true', setAttribute(t, 'is_multi_region_trail', 'true')),
    });
  },
  examples: {
    bad: [trail(''), trail('  is_multi_region_trail = false\n')],
    good: [trail('  is_multi_region_trail = true\n'), 'variable "multi" {}\n' + trail('  is_multi_region_trail = var.multi\n')],
  },
});

const logValidation = terraformRule({
  id: 'aws-cloudtrail-log-validation',
  title: 'CloudTrail log file validation is disabled',
  severity: 'high',
  impact: 'An intruder who reaches the log bucket can edit or delete log files to hide their actions without it being detectable.',
  remediation: 'Set `enable_log_file_validation = true`.',
  references: ['https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html'],
  compliance: ['CIS AWS 3.2', 'NIST 800-53 AU-9'],
  equivalents: { checkov: ['CKV_AWS_36'], trivy: ['AVD-AWS-0016'], kics: ['52ffcfa6-6c70-4ea6-8376-d828d3961669'] },
  fixable: true,
  resources: ['aws_cloudtrail'],
  check(t, ctx) {
    const { attr, bad } = requireTrue(t, 'enable_log_file_validation');
    if (!bad) return;
    ctx.report({
      at: attr ?? t,
      message: attr ? `${t.address} sets enable_log_file_validation = false.` : `${t.address} does not enable log file validation.`,
      fix: tfFix('Set enable_log_file_validation = true', setAttribute(t, 'enable_log_file_validation', 'true')),
    });
  },
  examples: {
    bad: [trail(''), trail('  enable_log_file_validation = false\n')],
    good: [trail('  enable_log_file_validation = true\n'), 'variable "validate" {}\n' + trail('  enable_log_file_validation = var.validate\n')],
  },
});

const trailCmk = terraformRule({
  id: 'aws-cloudtrail-encryption-cmk',
  title: 'CloudTrail logs are not encrypted with a customer-managed KMS key',
  severity: 'high',
  impact: 'Anyone who can read the log bucket can read the trail; with SSE-KMS a key policy you control adds a second gate and an audit of decryptions.',
  remediation: 'Set `kms_key_id` to the ARN of a customer-managed `aws_kms_key` whose policy allows CloudTrail to use it.',
  references: ['https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html'],
  compliance: ['CIS AWS 3.7', 'NIST 800-53 SC-28'],
  equivalents: { checkov: ['CKV_AWS_35'], trivy: ['AVD-AWS-0015'], kics: ['5d9e3164-9265-470c-9a10-57ae454ac0c7'] },
  resources: ['aws_cloudtrail'],
  check(t, ctx) {
    const v = t.get('kms_key_id');
    if (isSet(v)) return;
    ctx.report({ at: t.attr('kms_key_id') ?? t, message: `${t.address} has no kms_key_id: its logs are not encrypted with a customer-managed key.` });
  },
  examples: {
    bad: [trail(''), trail('  kms_key_id = ""\n')],
    good: [
      'resource "aws_kms_key" "trail" {\n  enable_key_rotation = true\n}\n' + trail('  kms_key_id = aws_kms_key.trail.arn\n'),
      'variable "kms_key_arn" {}\n' + trail('  kms_key_id = var.kms_key_arn\n'),
    ],
  },
});

const cloudwatchIntegration = terraformRule({
  id: 'aws-cloudtrail-cloudwatch-logs',
  title: 'CloudTrail trail is not sent to CloudWatch Logs',
  severity: 'low',
  impact: 'Without CloudWatch Logs no metric filter or alarm can react to suspicious API calls in real time.',
  remediation: 'Set `cloud_watch_logs_group_arn` (with a `:*` suffix) and `cloud_watch_logs_role_arn`.',
  references: ['https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html'],
  compliance: ['CIS AWS 3.4', 'NIST 800-53 AU-6'],
  equivalents: { checkov: ['CKV2_AWS_10'], trivy: ['AVD-AWS-0162'], kics: ['17b30f8f-8dfb-4597-adf6-57600b6cf25e'] },
  resources: ['aws_cloudtrail'],
  check(t, ctx) {
    if (isSet(t.get('cloud_watch_logs_group_arn'))) return;
    ctx.report({ at: t.attr('cloud_watch_logs_group_arn') ?? t, message: `${t.address} does not send its events to CloudWatch Logs (no cloud_watch_logs_group_arn).` });
  },
  examples: {
    bad: [trail('')],
    good: [
      'resource "aws_cloudwatch_log_group" "trail" {\n  name = "trail"\n}\n' + trail('  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"\n  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn\n'),
      'variable "group_arn" {}\n' + trail('  cloud_watch_logs_group_arn = var.group_arn\n'),
    ],
  },
});

const trailBucketRef = (body: string) => `resource "aws_s3_bucket" "trail" {\n  bucket = "example-trail-logs"\n${body}}\n\nresource "aws_cloudtrail" "main" {\n  name           = "main"\n  s3_bucket_name = aws_s3_bucket.trail.id\n}\n`;

const trailBucketPrivate = terraformRule({
  id: 'aws-cloudtrail-bucket-not-public',
  title: 'The S3 bucket that stores CloudTrail logs is public',
  severity: 'critical',
  impact: 'Anyone can read the account\'s full API history: resource names, principals, IP addresses and the attack surface they reveal.',
  remediation: 'Make the trail\'s bucket private: set its ACL to "private" and enable a public access block.',
  references: ['https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html'],
  compliance: ['CIS AWS 3.3', 'NIST 800-53 AU-9'],
  equivalents: { trivy: ['AVD-AWS-0161'], kics: ['bd0088a5-c133-4b20-b129-ec9968b16ef3'] },
  fixable: true,
  resources: ['aws_cloudtrail'],
  check(t, ctx) {
    const b = bucketNamedBy(t.get('s3_bucket_name'), ctx);
    if (!b) return;
    const acls = [b, ...linkedTo(b, ctx, 'aws_s3_bucket_acl').found];
    for (const holder of acls) {
      const attr = holder.attr('acl');
      const acl = toStr(attr?.value);
      if (!attr || !acl || !PUBLIC_ACLS.has(acl)) continue;
      ctx.report({
        at: t.attr('s3_bucket_name') ?? t,
        message: `${t.address} writes its logs to ${b.address}, whose ACL is "${acl}"${holder === b ? '' : ` (${holder.address})`}.`,
        related: [{ file: attr.file.path, span: attr.span, message: `ACL "${acl}"` }],
        fix: tfFix('Set the bucket ACL to "private"', replaceSpan(attr.file.path, attr.exprSpan, '"private"')),
      });
    }
  },
  examples: {
    bad: [
      trailBucketRef('  acl    = "public-read"\n'),
      trailBucketRef('') + 'resource "aws_s3_bucket_acl" "trail" {\n  bucket = aws_s3_bucket.trail.id\n  acl    = "authenticated-read"\n}\n',
    ],
    good: [trailBucketRef('  acl    = "private"\n'), trailBucketRef(''), 'variable "acl" {}\n' + trailBucketRef('  acl    = var.acl\n')],
  },
});

const trailBucketLogging = terraformRule({
  id: 'aws-cloudtrail-bucket-access-logging',
  title: 'The S3 bucket that stores CloudTrail logs has no access logging',
  severity: 'low',
  impact: 'Reads and deletions of the audit logs themselves are not recorded, so tampering with the trail cannot be investigated.',
  remediation: 'Enable server access logging on the trail\'s bucket (`aws_s3_bucket_logging` or a `logging` block) to a separate bucket.',
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html'],
  compliance: ['CIS AWS 3.6'],
  equivalents: { trivy: ['AVD-AWS-0163'], kics: ['ee9e50e8-b2ed-4176-ad42-8fc0cf7593f4'] },
  resources: ['aws_cloudtrail'],
  check(t, ctx) {
    const b = bucketNamedBy(t.get('s3_bucket_name'), ctx);
    if (!b || bucketLogging(b, ctx) === 'on') return;
    ctx.report({
      at: t.attr('s3_bucket_name') ?? t,
      message: `${t.address} writes its logs to ${b.address}, which has no server access logging.`,
      related: [{ file: b.file.path, span: b.headerSpan, message: 'bucket without access logging' }],
    });
  },
  examples: {
    bad: [trailBucketRef('')],
    good: [
      trailBucketRef('  logging {\n    target_bucket = "example-access-logs"\n  }\n'),
      trailBucketRef('') + 'resource "aws_s3_bucket_logging" "trail" {\n  bucket        = aws_s3_bucket.trail.id\n  target_bucket = "example-access-logs"\n}\n',
      'variable "bucket" {}\n' + trail('').replace('"example-trail-logs"', 'var.bucket'),
    ],
  },
});

// ---------------------------------------------------------------- CloudWatch

const logGroupCmk = terraformRule({
  id: 'aws-cloudwatch-log-group-cmk',
  title: 'CloudWatch log group is not encrypted with a customer-managed KMS key',
  severity: 'low',
  impact: 'Log data (often holding tokens, personal data and internal details) is readable by anyone with logs:GetLogEvents; a customer key adds a key policy gate and an audit trail.',
  remediation: 'Set `kms_key_id` to the ARN of a customer-managed `aws_kms_key` whose policy allows CloudWatch Logs to use it.',
  references: ['https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html'],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { checkov: ['CKV_AWS_158'], trivy: ['AVD-AWS-0017'], kics: ['0afbcfe9-d341-4b92-a64c-7e6de0543879'] },
  resources: ['aws_cloudwatch_log_group'],
  check(g, ctx) {
    if (isSet(g.get('kms_key_id'))) return;
    ctx.report({ at: g.attr('kms_key_id') ?? g, message: `${g.address} has no kms_key_id: its logs are not encrypted with a customer-managed key.` });
  },
  examples: {
    bad: ['resource "aws_cloudwatch_log_group" "app" {\n  name              = "app"\n  retention_in_days = 90\n}\n'],
    good: [
      'resource "aws_kms_key" "logs" {\n  enable_key_rotation = true\n}\n\nresource "aws_cloudwatch_log_group" "app" {\n  name       = "app"\n  kms_key_id = aws_kms_key.logs.arn\n}\n',
      'variable "kms_key_arn" {}\nresource "aws_cloudwatch_log_group" "app" {\n  name       = "app"\n  kms_key_id = var.kms_key_arn\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- KMS

const NON_ROTATABLE_USAGE = new Set(['SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT']);

const kmsRotation = terraformRule({
  id: 'aws-kms-key-rotation',
  title: 'KMS key does not rotate automatically',
  severity: 'medium',
  impact: 'A key that never rotates protects ever more data with the same material, so a leaked or broken key exposes all of it.',
  remediation: 'Set `enable_key_rotation = true` (symmetric encryption keys).',
  references: ['https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html'],
  compliance: ['CIS AWS 3.8', 'NIST 800-53 SC-12', 'PCI DSS 3.6.4'],
  equivalents: { checkov: ['CKV_AWS_7'], trivy: ['AVD-AWS-0065'], kics: ['22fbfeac-7b5a-421a-8a27-7a2178bb910b'] },
  fixable: true,
  resources: ['aws_kms_key'],
  check(k, ctx) {
    // Only symmetric encryption keys can rotate automatically.
    const usage = k.get('key_usage');
    if (usage !== undefined && (toStr(usage) === undefined || NON_ROTATABLE_USAGE.has(toStr(usage)!))) return;
    const spec = k.get('customer_master_key_spec') ?? k.get('key_spec');
    if (spec !== undefined && toStr(spec) !== 'SYMMETRIC_DEFAULT') return;
    const { attr, bad } = requireTrue(k, 'enable_key_rotation');
    if (!bad) return;
    ctx.report({
      at: attr ?? k,
      message: attr ? `${k.address} sets enable_key_rotation = false.` : `${k.address} does not enable key rotation.`,
      fix: tfFix('Set enable_key_rotation = true', setAttribute(k, 'enable_key_rotation', 'true')),
    });
  },
  examples: {
    bad: [
      'resource "aws_kms_key" "data" {\n  description = "data key"\n}\n',
      'resource "aws_kms_key" "data" {\n  description         = "data key"\n  enable_key_rotation = false\n}\n',
    ],
    good: [
      'resource "aws_kms_key" "data" {\n  description         = "data key"\n  enable_key_rotation = true\n}\n',
      'resource "aws_kms_key" "signing" {\n  key_usage                = "SIGN_VERIFY"\n  customer_master_key_spec = "RSA_2048"\n}\n',
      'variable "rotate" {}\nresource "aws_kms_key" "data" {\n  enable_key_rotation = var.rotate\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- AWS Config

const configAllRegions = terraformRule({
  id: 'aws-config-aggregator-all-regions',
  title: 'AWS Config aggregator does not cover all regions',
  severity: 'high',
  impact: 'Resources in the regions left out are not inventoried or evaluated, so misconfigurations there go unnoticed.',
  remediation: 'Set `all_regions = true` in the aggregation source (instead of a `regions` list).',
  references: ['https://docs.aws.amazon.com/config/latest/developerguide/aggregate-data.html'],
  compliance: ['CIS AWS 3.5', 'NIST 800-53 CM-8'],
  equivalents: { checkov: ['CKV_AWS_121'], trivy: ['AVD-AWS-0019'], kics: ['ac5a0bc0-a54c-45aa-90c3-15f7703b9132'] },
  fixable: true,
  resources: ['aws_config_configuration_aggregator'],
  check(a, ctx) {
    for (const src of [...a.blocks('account_aggregation_source'), ...a.blocks('organization_aggregation_source')]) {
      if (src.dynamic) continue;
      const { attr, bad } = requireTrue(src, 'all_regions');
      if (!bad) continue;
      const regions = src.attr('regions');
      // all_regions conflicts with regions: replace the list with the flag.
      const edit = attr
        ? replaceSpan(attr.file.path, attr.exprSpan, 'true')
        : regions
          ? replaceSpan(regions.file.path, regions.span, 'all_regions = true')
          : setAttribute(src, 'all_regions', 'true');
      ctx.report({
        at: attr ?? regions ?? src,
        message: `${a.address} aggregates ${regions ? `only the regions ${regions.source}` : 'without all_regions = true'} in its ${src.type}.`,
        fix: tfFix('Set all_regions = true', edit, ...(attr && regions ? [deleteAttrLine(regions)] : [])),
      });
    }
  },
  examples: {
    bad: [
      'resource "aws_config_configuration_aggregator" "org" {\n  name = "org"\n  account_aggregation_source {\n    account_ids = ["123456789012"]\n    regions     = ["eu-west-1"]\n  }\n}\n',
      'resource "aws_config_configuration_aggregator" "org" {\n  name = "org"\n  organization_aggregation_source {\n    role_arn    = aws_iam_role.config.arn\n    all_regions = false\n  }\n}\n',
    ],
    good: [
      'resource "aws_config_configuration_aggregator" "org" {\n  name = "org"\n  organization_aggregation_source {\n    role_arn    = aws_iam_role.config.arn\n    all_regions = true\n  }\n}\n',
      'variable "all" {}\nresource "aws_config_configuration_aggregator" "org" {\n  name = "org"\n  account_aggregation_source {\n    account_ids = ["123456789012"]\n    all_regions = var.all\n  }\n}\n',
    ],
  },
});

function deleteAttrLine(attr: TfAttribute) {
  const f = attr.file;
  const start = f.lines.lineStart(attr.span.startLine);
  const next = attr.span.endLine + 1;
  return { file: f.path, start, end: next < f.lines.lineCount ? f.lines.lineStart(next) : f.text.length, newText: '' };
}

export const rules: Rule[] = [
  multiRegion,
  logValidation,
  trailCmk,
  cloudwatchIntegration,
  trailBucketPrivate,
  trailBucketLogging,
  logGroupCmk,
  kmsRotation,
  configAllRegions,
];
