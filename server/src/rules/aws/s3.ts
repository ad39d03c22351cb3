import { setAttribute, tfFix } from '../../engine/fix';
import { terraformRule, type Rule } from '../../engine/rule';
import { toStr } from '../../parse/values';

const PUBLIC_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read', 'website']);

const noPublicAcl = terraformRule({
  id: 'aws-s3-no-public-acl',
  title: 'S3 bucket ACL grants public access',
  severity: 'high',
  impact: 'Anyone on the internet (or any AWS account, for authenticated-read) can list and read the objects, and with public-read-write also overwrite or plant them.',
  remediation: 'Set the ACL to "private" and grant access with bucket policies scoped to named principals.',
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl'],
  compliance: ['CIS AWS 2.1.5', 'NIST 800-53 AC-3', 'PCI DSS 1.3.1'],
  equivalents: { checkov: ['CKV_AWS_20'], trivy: ['AVD-AWS-0092'] },
  fixable: true,
  resources: ['aws_s3_bucket', 'aws_s3_bucket_acl'],
  check(bucket, ctx) {
    const attr = bucket.attr('acl');
    const acl = toStr(attr?.value);
    if (!attr || !acl || !PUBLIC_ACLS.has(acl)) return;
    ctx.report({
      at: attr,
      message: `${bucket.address} has the canned ACL "${acl}", which makes its objects readable by anyone.`,
      fix: tfFix('Set acl = "private"', setAttribute(bucket, 'acl', '"private"')),
    });
  },
  examples: {
    bad: [
      'resource "aws_s3_bucket" "site" {\n  bucket = "example-site"\n  acl    = "public-read"\n}\n',
      'resource "aws_s3_bucket_acl" "site" {\n  bucket = "example-site"\n  acl    = "public-read-write"\n}\n',
    ],
    good: [
      'resource "aws_s3_bucket" "site" {\n  bucket = "example-site"\n  acl    = "private"\n}\n',
      'variable "acl" {}\nresource "aws_s3_bucket" "site" {\n  bucket = "example-site"\n  acl    = var.acl\n}\n',
    ],
  },
});

export const rules: Rule[] = [noPublicAcl];
