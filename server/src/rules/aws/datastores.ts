import { setAttribute, tfFix } from '../../engine/fix';
import { terraformRule, type Example, type Rule, type RuleMeta, type TerraformContext } from '../../engine/rule';
import type { TfResource } from '../../parse/terraform';
import { toBool, toNum, toStr, type Value } from '../../parse/values';

/*
 * RDS, EFS and ElastiCache.
 */

/** Set to something (a reference counts), not absent, null or "". */
const isSetValue = (v: Value | undefined) => v !== undefined && v !== null && v !== '';

/**
 * A rule for a boolean attribute that must be true. `defaultValue` is what an absent attribute
 * means; `skip` excludes resources where the setting does not apply.
 */
function mustBeTrue(opts: Omit<RuleMeta, 'fixable'> & {
  resources: string[];
  attribute: string;
  defaultValue: (r: TfResource) => boolean | undefined;
  what: string;
  skip?: (r: TfResource) => boolean;
  fix?: boolean;
}): Rule {
  const { attribute, defaultValue, what, skip, fix, resources, ...meta } = opts;
  return terraformRule({
    ...meta,
    fixable: fix !== false,
    resources,
    check(r: TfResource, ctx: TerraformContext) {
      if (skip?.(r)) return;
      const attr = r.attr(attribute);
      const v = attr ? (attr.value === null ? defaultValue(r) : toBool(attr.value)) : defaultValue(r);
      if (v !== false) return; // true or unknown
      ctx.report({
        at: attr ?? r,
        message: attr ? `${r.address} sets ${attribute} = false: ${what}.` : `${r.address} does not set ${attribute} (default false): ${what}.`,
        fix: fix === false ? undefined : tfFix(`Set ${attribute} = true`, setAttribute(r, attribute, 'true')),
      });
    },
  });
}

const res = (type: string, body: string, name = 'main'): string => `resource "${type}" "${name}" {\n${body}}\n`;
const withVar = (type: string, body: string): Example => `variable "v" {}\n${res(type, body)}`;

// ---------------------------------------------------------------- RDS

const RDS_ENCRYPTION_REF = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html';

/** Read replicas inherit backups and encryption from their source. */
const isReplica = (r: TfResource) =>
  isSetValue(r.get(r.resourceType === 'aws_rds_cluster' ? 'replication_source_identifier' : 'replicate_source_db'));

const rdsBackupRetention = terraformRule({
  id: 'aws-rds-backup-retention',
  title: 'RDS backup retention is one day or less',
  severity: 'medium',
  impact: 'With at most a day of automated backups, corruption, ransomware or a destructive change noticed later cannot be rolled back.',
  remediation: 'Set backup_retention_period to more than 1 day (7 or more is typical).',
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html#USER_WorkingWithAutomatedBackups.BackupRetention'],
  compliance: ['NIST 800-53 CP-9'],
  equivalents: { trivy: ['AVD-AWS-0077'] },
  fixable: true,
  resources: ['aws_db_instance', 'aws_rds_cluster'],
  check(r, ctx) {
    if (isReplica(r)) return;
    const attr = r.attr('backup_retention_period');
    const n = attr ? toNum(attr.value) : undefined;
    if (attr && (n === undefined || n >= 2)) return;
    ctx.report({
      at: attr ?? r,
      message: attr ? `${r.address} keeps backups for only ${n} day(s).` : `${r.address} does not set backup_retention_period (default 1 day at most).`,
      fix: tfFix('Set backup_retention_period = 7', setAttribute(r, 'backup_retention_period', '7')),
    });
  },
  examples: {
    bad: [
      res('aws_db_instance', '  engine                  = "postgres"\n  instance_class          = "db.m6g.large"\n  backup_retention_period = 1\n'),
      res('aws_rds_cluster', '  engine = "aurora-postgresql"\n'),
    ],
    good: [
      res('aws_db_instance', '  engine                  = "postgres"\n  backup_retention_period = 14\n'),
      res('aws_db_instance', '  engine              = "postgres"\n  replicate_source_db = "primary-db"\n'),
      withVar('aws_rds_cluster', '  engine                  = "aurora-postgresql"\n  backup_retention_period = var.v\n'),
    ],
  },
});

const PI_RESOURCES = ['aws_db_instance', 'aws_rds_cluster_instance', 'aws_rds_cluster'];

const rdsPerformanceInsightsCmk = terraformRule({
  id: 'aws-rds-performance-insights-customer-key',
  title: 'RDS Performance Insights data is not encrypted with a customer-managed key',
  severity: 'low',
  impact: 'Performance Insights keeps query text and statistics (which can contain sensitive values) under an AWS-managed key you cannot restrict, audit or revoke separately.',
  remediation: 'Set performance_insights_kms_key_id to a customer-managed KMS key ARN.',
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.access-control.html#USER_PerfInsights.access-control.cmk-policy'],
  compliance: ['NIST 800-53 SC-12'],
  equivalents: { trivy: ['AVD-AWS-0078'], checkov: ['CKV_AWS_354'] },
  resources: PI_RESOURCES,
  check(r, ctx) {
    if (toBool(r.get('performance_insights_enabled')) !== true) return;
    const attr = r.attr('performance_insights_kms_key_id');
    if (isSetValue(attr?.value)) return;
    ctx.report({ at: attr ?? r.attr('performance_insights_enabled') ?? r, message: `${r.address} enables Performance Insights without performance_insights_kms_key_id, so the AWS-managed key is used.` });
  },
  examples: {
    bad: [
      res('aws_rds_cluster_instance', '  cluster_identifier           = "main"\n  instance_class               = "db.r6g.large"\n  performance_insights_enabled = true\n'),
      res('aws_db_instance', '  performance_insights_enabled    = true\n  performance_insights_kms_key_id = ""\n'),
    ],
    good: [
      'resource "aws_kms_key" "pi" {\n  enable_key_rotation = true\n}\n' + res('aws_db_instance', '  performance_insights_enabled    = true\n  performance_insights_kms_key_id = aws_kms_key.pi.arn\n'),
      res('aws_db_instance', '  performance_insights_enabled = false\n'),
      withVar('aws_db_instance', '  performance_insights_enabled = true\n  performance_insights_kms_key_id = var.v\n'),
    ],
  },
});

const rdsClusterEncrypted = mustBeTrue({
  id: 'aws-rds-encrypt-cluster-storage',
  title: 'RDS cluster storage is not encrypted',
  severity: 'high',
  impact: 'Database files, backups and snapshots are stored unencrypted; anyone who obtains the storage or a shared snapshot reads the data.',
  remediation: 'Set storage_encrypted = true (with kms_key_id naming a customer-managed key). Existing clusters must be restored from an encrypted snapshot.',
  references: [RDS_ENCRYPTION_REF, 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#storage_encrypted'],
  compliance: ['NIST 800-53 SC-28', 'PCI DSS 3.4'],
  equivalents: { trivy: ['AVD-AWS-0079'], checkov: ['CKV_AWS_96'], kics: ['3199c26c-7871-4cb3-99c2-10a59244ce7f', '1a690d1d-0ae7-49fa-b2db-b75ae0dd1d3e'] },
  resources: ['aws_rds_cluster'],
  attribute: 'storage_encrypted',
  // Aurora Serverless v1 clusters are always encrypted.
  defaultValue: (r) => {
    const mode = r.get('engine_mode');
    return mode === undefined || toStr(mode) !== undefined ? false : undefined; // unknown mode: maybe serverless
  },
  skip: (r) => toStr(r.get('engine_mode')) === 'serverless',
  what: 'the cluster storage is not encrypted',
  examples: {
    bad: [
      res('aws_rds_cluster', '  cluster_identifier = "orders"\n  engine             = "aurora-postgresql"\n  kms_key_id         = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"\n'),
      res('aws_rds_cluster', '  cluster_identifier = "orders"\n  storage_encrypted  = false\n'),
    ],
    good: [
      res('aws_rds_cluster', '  cluster_identifier = "orders"\n  storage_encrypted  = true\n'),
      res('aws_rds_cluster', '  cluster_identifier = "orders"\n  engine_mode        = "serverless"\n'),
      withVar('aws_rds_cluster', '  storage_encrypted = var.v\n'),
    ],
  },
});

const rdsClusterCmk = terraformRule({
  id: 'aws-rds-cluster-customer-key',
  title: 'RDS cluster storage is not encrypted with a customer-managed key',
  severity: 'low',
  impact: 'Without a customer-managed key you cannot restrict, audit or revoke decryption of the cluster, its backups and snapshots through a key policy you control.',
  remediation: 'Set kms_key_id to a customer-managed KMS key ARN (together with storage_encrypted = true).',
  references: [RDS_ENCRYPTION_REF, 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#kms_key_id'],
  compliance: ['NIST 800-53 SC-12'],
  equivalents: { trivy: ['AVD-AWS-0079'], checkov: ['CKV_AWS_327'] },
  resources: ['aws_rds_cluster'],
  check(r, ctx) {
    const attr = r.attr('kms_key_id');
    if (isSetValue(attr?.value)) return;
    ctx.report({ at: attr ?? r, message: `${r.address} does not set kms_key_id, so its storage is not encrypted with a customer-managed key.` });
  },
  examples: {
    bad: [
      res('aws_rds_cluster', '  cluster_identifier = "orders"\n  storage_encrypted  = true\n'),
      res('aws_rds_cluster', '  cluster_identifier = "orders"\n  kms_key_id         = ""\n'),
    ],
    good: [
      'resource "aws_kms_key" "db" {\n  enable_key_rotation = true\n}\n' + res('aws_rds_cluster', '  cluster_identifier = "orders"\n  storage_encrypted  = true\n  kms_key_id         = aws_kms_key.db.arn\n'),
      withVar('aws_rds_cluster', '  storage_encrypted = true\n  kms_key_id        = var.v\n'),
    ],
  },
});

const rdsInstanceEncrypted = mustBeTrue({
  id: 'aws-rds-encrypt-instance-storage',
  title: 'RDS instance storage is not encrypted',
  severity: 'high',
  impact: 'Database files, automated backups, read replicas and snapshots are stored unencrypted; anyone who obtains the storage or a shared snapshot reads the data.',
  remediation: 'Set storage_encrypted = true (optionally with kms_key_id). Existing instances must be restored from an encrypted snapshot copy.',
  references: [RDS_ENCRYPTION_REF, 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#storage_encrypted'],
  compliance: ['CIS AWS 2.3.1', 'NIST 800-53 SC-28', 'PCI DSS 3.4'],
  equivalents: { trivy: ['AVD-AWS-0080'], checkov: ['CKV_AWS_16'], kics: ['08bd0760-8752-44e1-9779-7bb369b2b4e4'] },
  resources: ['aws_db_instance'],
  attribute: 'storage_encrypted',
  defaultValue: () => false,
  skip: isReplica,
  what: 'the instance storage is not encrypted',
  examples: {
    bad: [
      res('aws_db_instance', '  engine         = "mysql"\n  instance_class = "db.m6g.large"\n'),
      res('aws_db_instance', '  engine            = "mysql"\n  storage_encrypted = false\n'),
    ],
    good: [
      res('aws_db_instance', '  engine            = "mysql"\n  storage_encrypted = true\n'),
      res('aws_db_instance', '  engine              = "mysql"\n  replicate_source_db = aws_db_instance.primary.identifier\n'),
      withVar('aws_db_instance', '  storage_encrypted = var.v\n'),
    ],
  },
});

const rdsPerformanceInsights = mustBeTrue({
  id: 'aws-rds-enable-performance-insights',
  title: 'RDS instance does not have Performance Insights enabled',
  severity: 'low',
  impact: 'Without Performance Insights there is no record of database load and top queries, which helps to spot and investigate abuse such as bulk data extraction.',
  remediation: 'Set performance_insights_enabled = true (with performance_insights_kms_key_id naming a customer-managed key).',
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.html'],
  compliance: ['NIST 800-53 SI-4'],
  equivalents: { trivy: ['AVD-AWS-0133'], checkov: ['CKV_AWS_353'] },
  resources: ['aws_db_instance', 'aws_rds_cluster_instance'],
  attribute: 'performance_insights_enabled',
  defaultValue: () => false,
  // Turning it on without a key would raise aws-rds-performance-insights-customer-key: no fix.
  fix: false,
  what: 'Performance Insights is off',
  examples: {
    bad: [
      res('aws_rds_cluster_instance', '  cluster_identifier = "orders"\n  instance_class     = "db.r6g.large"\n'),
      res('aws_db_instance', '  performance_insights_enabled = false\n'),
    ],
    good: [
      res('aws_db_instance', '  performance_insights_enabled    = true\n  performance_insights_kms_key_id = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"\n'),
      withVar('aws_rds_cluster_instance', '  performance_insights_enabled = var.v\n'),
    ],
  },
});

const rdsPublic = terraformRule({
  id: 'aws-rds-no-public-access',
  title: 'RDS instance is publicly accessible',
  severity: 'high',
  impact: 'The database gets a public address: anyone on the internet the security groups let through can reach it and try credentials or exploits.',
  remediation: 'Set publicly_accessible = false and reach the database from inside the VPC.',
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding'],
  compliance: ['CIS AWS 2.3.3', 'NIST 800-53 SC-7', 'PCI DSS 1.3.1'],
  equivalents: { trivy: ['AVD-AWS-0180'], checkov: ['CKV_AWS_17'], kics: ['35113e6f-2c6b-414d-beec-7a9482d3b2d1'] },
  fixable: true,
  resources: ['aws_db_instance', 'aws_rds_cluster_instance'],
  check(r, ctx) {
    const attr = r.attr('publicly_accessible');
    if (!attr || toBool(attr.value) !== true) return;
    ctx.report({
      at: attr,
      message: `${r.address} sets publicly_accessible = true.`,
      fix: tfFix('Set publicly_accessible = false', setAttribute(r, 'publicly_accessible', 'false')),
    });
  },
  examples: {
    bad: [
      res('aws_db_instance', '  engine              = "postgres"\n  publicly_accessible = true\n'),
      res('aws_rds_cluster_instance', '  cluster_identifier  = "orders"\n  publicly_accessible = true\n'),
    ],
    good: [
      res('aws_db_instance', '  engine              = "postgres"\n  publicly_accessible = false\n'),
      res('aws_db_instance', '  engine = "postgres"\n'),
      withVar('aws_db_instance', '  publicly_accessible = var.v\n'),
    ],
  },
});

const rdsIamAuth = mustBeTrue({
  id: 'aws-rds-enable-iam-auth',
  title: 'RDS instance does not enable IAM database authentication',
  severity: 'medium',
  impact: 'Database access relies only on long-lived passwords that are shared, stored in configuration and rarely rotated, instead of short-lived tokens tied to IAM identities.',
  remediation: 'Set iam_database_authentication_enabled = true and let applications connect with IAM authentication tokens.',
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html'],
  compliance: ['NIST 800-53 IA-2'],
  equivalents: { trivy: ['AVD-AWS-0176'], checkov: ['CKV_AWS_161'] },
  resources: ['aws_db_instance'],
  attribute: 'iam_database_authentication_enabled',
  defaultValue: () => false,
  // IAM authentication exists for MySQL, MariaDB and PostgreSQL only.
  skip: (r) => !['mysql', 'mariadb', 'postgres'].includes(toStr(r.get('engine')) ?? ''),
  what: 'only password authentication is possible',
  examples: {
    bad: [
      res('aws_db_instance', '  engine         = "postgres"\n  instance_class = "db.m6g.large"\n'),
      res('aws_db_instance', '  engine                              = "mysql"\n  iam_database_authentication_enabled = false\n'),
    ],
    good: [
      res('aws_db_instance', '  engine                              = "postgres"\n  iam_database_authentication_enabled = true\n'),
      res('aws_db_instance', '  engine = "sqlserver-se"\n'),
      withVar('aws_db_instance', '  engine                              = "mysql"\n  iam_database_authentication_enabled = var.v\n'),
    ],
  },
});

const rdsDeletionProtection = mustBeTrue({
  id: 'aws-rds-enable-deletion-protection',
  title: 'RDS database does not have deletion protection',
  severity: 'medium',
  impact: 'A mistaken or malicious delete (or a Terraform change that replaces the resource) destroys the database in one call.',
  remediation: 'Set deletion_protection = true.',
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection'],
  compliance: ['NIST 800-53 CP-9'],
  equivalents: { trivy: ['AVD-AWS-0177', 'AVD-AWS-0343'], checkov: ['CKV_AWS_293', 'CKV_AWS_139'] },
  resources: ['aws_db_instance', 'aws_rds_cluster'],
  attribute: 'deletion_protection',
  defaultValue: () => false,
  what: 'the database can be deleted without first changing its settings',
  examples: {
    bad: [
      res('aws_db_instance', '  engine         = "postgres"\n  instance_class = "db.m6g.large"\n'),
      res('aws_rds_cluster', '  cluster_identifier  = "orders"\n  deletion_protection = false\n'),
    ],
    good: [
      res('aws_db_instance', '  engine              = "postgres"\n  deletion_protection = true\n'),
      withVar('aws_rds_cluster', '  cluster_identifier  = "orders"\n  deletion_protection = var.v\n'),
    ],
  },
});

const rdsClassicSecurityGroup = terraformRule({
  id: 'aws-rds-no-classic-security-group',
  title: 'RDS DB security group (EC2-Classic) is used',
  severity: 'high',
  impact: 'DB security groups belong to EC2-Classic, a shared network retired by AWS: the database is not isolated in your own VPC and its rules cannot use VPC controls.',
  remediation: 'Run the database in a VPC (db_subnet_group_name) and control access with aws_security_group / vpc_security_group_ids.',
  references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.FindDefaultVPC.html'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AWS-0081'] },
  resources: ['aws_db_security_group'],
  check(r, ctx) {
    ctx.report({ at: r, message: `${r.address} is an EC2-Classic DB security group; use a VPC security group instead.` });
  },
  examples: {
    bad: [res('aws_db_security_group', '  name = "db"\n  ingress {\n    cidr = "10.0.0.0/24"\n  }\n')],
    good: [res('aws_security_group', '  name   = "db"\n  vpc_id = "vpc-123"\n')],
  },
});

// ---------------------------------------------------------------- EFS

const efsEncrypted = mustBeTrue({
  id: 'aws-efs-enable-encryption',
  title: 'EFS file system is not encrypted at rest',
  severity: 'high',
  impact: 'File data and metadata are stored unencrypted; access to the underlying storage or backups exposes them.',
  remediation: 'Set encrypted = true (optionally with kms_key_id); existing file systems must be recreated and the data copied.',
  references: ['https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html'],
  compliance: ['CIS AWS 2.4.1', 'NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0037'], checkov: ['CKV_AWS_42'], kics: ['48207659-729f-4b5c-9402-f884257d794f'] },
  resources: ['aws_efs_file_system'],
  attribute: 'encrypted',
  defaultValue: () => false,
  what: 'the file system is not encrypted at rest',
  examples: {
    bad: [
      res('aws_efs_file_system', '  creation_token = "shared"\n'),
      res('aws_efs_file_system', '  creation_token = "shared"\n  encrypted      = false\n'),
    ],
    good: [
      res('aws_efs_file_system', '  creation_token = "shared"\n  encrypted      = true\n'),
      withVar('aws_efs_file_system', '  encrypted = var.v\n'),
    ],
  },
});

// ---------------------------------------------------------------- ElastiCache

const elasticacheAtRest = mustBeTrue({
  id: 'aws-elasticache-enable-at-rest-encryption',
  title: 'ElastiCache replication group is not encrypted at rest',
  severity: 'high',
  impact: 'Cached data, swap and backups (snapshots) are written to disk unencrypted and can be read from the storage or an exported snapshot.',
  remediation: 'Set at_rest_encryption_enabled = true (the group must be recreated).',
  references: ['https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/at-rest-encryption.html'],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0045'], checkov: ['CKV_AWS_29'], kics: ['76976de7-c7b1-4f64-a94f-90c1345914c2'] },
  resources: ['aws_elasticache_replication_group'],
  attribute: 'at_rest_encryption_enabled',
  // Valkey replication groups are encrypted at rest by default.
  defaultValue: (r) => {
    const engine = r.get('engine');
    if (engine === undefined) return false;
    const e = toStr(engine);
    return e === undefined ? undefined : e === 'valkey' ? true : false;
  },
  what: 'data written to disk is not encrypted',
  examples: {
    bad: [
      res('aws_elasticache_replication_group', '  replication_group_id = "sessions"\n  description          = "sessions"\n'),
      res('aws_elasticache_replication_group', '  replication_group_id       = "sessions"\n  at_rest_encryption_enabled = false\n'),
    ],
    good: [
      res('aws_elasticache_replication_group', '  replication_group_id       = "sessions"\n  at_rest_encryption_enabled = true\n'),
      withVar('aws_elasticache_replication_group', '  replication_group_id       = "sessions"\n  at_rest_encryption_enabled = var.v\n'),
    ],
  },
});

const elasticacheInTransit = mustBeTrue({
  id: 'aws-elasticache-enable-in-transit-encryption',
  title: 'ElastiCache replication group does not encrypt traffic in transit',
  severity: 'high',
  impact: 'Clients and replicas talk to the cache in plain text: anyone able to observe the network reads or alters cached data and the AUTH token.',
  remediation: 'Set transit_encryption_enabled = true and connect over TLS.',
  references: ['https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/in-transit-encryption.html'],
  compliance: ['NIST 800-53 SC-8'],
  equivalents: { trivy: ['AVD-AWS-0051'], checkov: ['CKV_AWS_30'], kics: ['1afbb3fa-cf6c-4a3d-b730-95e9f4df343e'] },
  resources: ['aws_elasticache_replication_group'],
  attribute: 'transit_encryption_enabled',
  defaultValue: () => false,
  what: 'traffic to the cache is not encrypted',
  examples: {
    bad: [
      res('aws_elasticache_replication_group', '  replication_group_id = "sessions"\n  description          = "sessions"\n'),
      res('aws_elasticache_replication_group', '  replication_group_id       = "sessions"\n  transit_encryption_enabled = false\n'),
    ],
    good: [
      res('aws_elasticache_replication_group', '  replication_group_id       = "sessions"\n  transit_encryption_enabled = true\n'),
      withVar('aws_elasticache_replication_group', '  transit_encryption_enabled = var.v\n'),
    ],
  },
});

const elasticacheBackups = terraformRule({
  id: 'aws-elasticache-enable-backup-retention',
  title: 'Redis ElastiCache cluster keeps no automatic backups',
  severity: 'medium',
  impact: 'Without snapshots, data lost to a failure, a bad deployment or a destructive command (FLUSHALL) cannot be restored.',
  remediation: 'Set snapshot_retention_limit to the number of days of snapshots to keep (greater than 0).',
  references: ['https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/backups-automatic.html'],
  compliance: ['NIST 800-53 CP-9'],
  equivalents: { trivy: ['AVD-AWS-0050'], checkov: ['CKV_AWS_134'], kics: ['8fdb08a0-a868-4fdf-9c27-ccab0237f1ab'] },
  fixable: true,
  resources: ['aws_elasticache_cluster', 'aws_elasticache_replication_group'],
  check(r, ctx) {
    if (r.resourceType === 'aws_elasticache_cluster') {
      const engine = toStr(r.get('engine'));
      if (engine !== 'redis' && engine !== 'valkey') return; // memcached has no backups; a group member follows its group
    } else {
      const engine = r.get('engine');
      if (engine !== undefined && toStr(engine) !== 'redis' && toStr(engine) !== 'valkey') return;
    }
    if (toStr(r.get('node_type')) === 'cache.t1.micro') return; // t1.micro cannot take snapshots
    const attr = r.attr('snapshot_retention_limit');
    const n = attr ? toNum(attr.value) : 0;
    if (n === undefined || n > 0) return;
    ctx.report({
      at: attr ?? r,
      message: attr ? `${r.address} sets snapshot_retention_limit = 0, so no backups are kept.` : `${r.address} does not set snapshot_retention_limit (default 0: no backups).`,
      fix: tfFix('Set snapshot_retention_limit = 7', setAttribute(r, 'snapshot_retention_limit', '7')),
    });
  },
  examples: {
    bad: [
      res('aws_elasticache_cluster', '  cluster_id = "cache"\n  engine     = "redis"\n  node_type  = "cache.m6g.large"\n'),
      res('aws_elasticache_replication_group', '  replication_group_id     = "sessions"\n  node_type                = "cache.r6g.large"\n  snapshot_retention_limit = 0\n'),
    ],
    good: [
      res('aws_elasticache_cluster', '  cluster_id               = "cache"\n  engine                   = "redis"\n  node_type                = "cache.m6g.large"\n  snapshot_retention_limit = 7\n'),
      res('aws_elasticache_cluster', '  cluster_id = "cache"\n  engine     = "memcached"\n  node_type  = "cache.m6g.large"\n'),
      withVar('aws_elasticache_cluster', '  cluster_id               = "cache"\n  engine                   = "redis"\n  node_type                = "cache.m6g.large"\n  snapshot_retention_limit = var.v\n'),
    ],
  },
});

const elasticacheSgDescription = terraformRule({
  id: 'aws-elasticache-security-group-description',
  title: 'ElastiCache security group has an empty description',
  severity: 'low',
  impact: 'Without a description nobody can tell what the group is for, so stale or over-broad access is not noticed in reviews.',
  remediation: 'Give the security group a description of its purpose.',
  references: ['https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_security_group'],
  compliance: ['NIST 800-53 CM-8'],
  equivalents: { trivy: ['AVD-AWS-0049'], checkov: ['CKV_AWS_23'] },
  resources: ['aws_elasticache_security_group'],
  check(r, ctx) {
    const attr = r.attr('description');
    if (!attr) return; // defaults to "Managed by Terraform"
    const v = attr.value;
    if (v !== null && !(typeof v === 'string' && v.trim() === '')) return;
    ctx.report({ at: attr, message: `${r.address} has an empty description.` });
  },
  examples: {
    bad: [res('aws_elasticache_security_group', '  name                 = "cache"\n  description          = ""\n  security_group_names = ["app"]\n')],
    good: [
      res('aws_elasticache_security_group', '  name                 = "cache"\n  description          = "Access to the session cache from the app tier"\n  security_group_names = ["app"]\n'),
      withVar('aws_elasticache_security_group', '  name        = "cache"\n  description = var.v\n'),
    ],
  },
});

export const rules: Rule[] = [
  rdsBackupRetention, rdsPerformanceInsightsCmk, rdsClusterEncrypted, rdsClusterCmk, rdsInstanceEncrypted, rdsPerformanceInsights, rdsPublic,
  rdsIamAuth, rdsDeletionProtection, rdsClassicSecurityGroup,
  efsEncrypted,
  elasticacheAtRest, elasticacheInTransit, elasticacheBackups, elasticacheSgDescription,
];
