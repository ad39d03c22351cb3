import { insertIntoBlock, replaceAttributeValue, setAttribute, setNestedAttribute, tfFix } from '../../engine/fix';
import { terraformRule, type Rule } from '../../engine/rule';
import { reportUnlessTrue } from '../util';
import type { TfAttribute, TfBlock } from '../../parse/terraform';
import { Encoded, isObject, toBool, toList, toStr, type Value } from '../../parse/values';

/*
 * Analytics and data services: Elasticsearch/OpenSearch, DynamoDB and DAX, DocumentDB, Neptune,
 * Redshift, Athena, EMR, Kinesis and WorkSpaces. Mostly encryption at rest / in transit,
 * customer-managed keys and logging.
 */

// ---------------------------------------------------------------- helpers

/**
 * A boolean read from `block.attr` inside a nested block of `res`: the default of an absent
 * nested block (`noBlock`) and of an absent attribute in a present block (`noAttr`) may differ.
 * `state` is undefined when the value is not known (a reference, a variable, a dynamic block).
 */
function nestedBool(res: TfBlock, blockName: string, attr: string, noBlock: boolean, noAttr: boolean):
  { state: boolean | undefined; at: TfAttribute | TfBlock; block: TfBlock | undefined } {
  const b = res.block(blockName);
  if (!b) {
    if (res.has(blockName)) {
      const v = res.getPath(blockName, attr);
      return { state: v === undefined || v === null ? noAttr : toBool(v), at: res.attr(blockName)!, block: undefined };
    }
    return { state: noBlock, at: res, block: undefined };
  }
  const a = b.attr(attr);
  if (!a) return { state: b.dynamic ? undefined : noAttr, at: b, block: b };
  const v = a.value;
  const state = v === null ? noAttr : toBool(v);
  // A dynamic block may have no instance at all: only a known `true` inside it is trusted.
  return { state: b.dynamic && state !== true ? undefined : state, at: a, block: b };
}

/** The known, non-empty string or '' when absent/empty; undefined when unknown. */
function strOrEmpty(v: Value | undefined): string | undefined {
  if (v === undefined || v === null) return '';
  return toStr(v);
}

/** Known list of known strings, or undefined when any part is unknown. */
function knownStrings(v: Value | undefined): string[] | undefined {
  if (v === undefined || v === null) return [];
  const l = toList(v);
  if (!l) return undefined;
  const out: string[] = [];
  for (const x of l) {
    const s = toStr(x);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/** A fix that adds `item` to a list attribute of known strings (or creates it). */
function addToListFix(res: TfBlock, name: string, current: string[], item: string, title: string) {
  const text = `[${[...current, item].map((s) => JSON.stringify(s)).join(', ')}]`;
  return tfFix(title, setAttribute(res, name, text));
}

/** Decodes a JSON document given as a string, a jsonencode() result or an object. */
function jsonDoc(v: Value | undefined): Value | undefined {
  if (v instanceof Encoded) return v.value;
  if (typeof v === 'string') {
    try { return JSON.parse(v) as Value; } catch { return undefined; }
  }
  return isObject(v) ? v : undefined;
}

const ES_DOMAINS = ['aws_elasticsearch_domain', 'aws_opensearch_domain'];

// ---------------------------------------------------------------- Elasticsearch / OpenSearch

const esAuditLogging = terraformRule({
  id: 'aws-elasticsearch-enable-audit-logging',
  title: 'Elasticsearch/OpenSearch domain does not publish audit logs',
  severity: 'medium',
  impact: 'Without audit logs, authentication failures and who read or changed which index are not recorded, so misuse of the cluster goes unnoticed and cannot be investigated.',
  remediation: 'Add a log_publishing_options block with log_type = "AUDIT_LOGS", enabled = true and a CloudWatch log group.',
  references: [
    'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/audit-logs.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticsearch_domain#log_publishing_options',
  ],
  compliance: ['NIST 800-53 AU-2', 'NIST 800-53 AU-12'],
  equivalents: { trivy: ['AVD-AWS-0042'], checkov: ['CKV_AWS_317'] },
  resources: ES_DOMAINS,
  check(domain, ctx) {
    let unknown = false;
    for (const b of domain.blocks('log_publishing_options')) {
      const type = toStr(b.get('log_type'));
      const en = b.get('enabled');
      const enabled = en === undefined || en === null ? true : toBool(en);
      if (type === undefined || enabled === undefined || b.dynamic) { unknown = true; continue; }
      if (type === 'AUDIT_LOGS' && enabled) return;
    }
    if (unknown || domain.has('log_publishing_options')) return;
    const audit = domain.blocks('log_publishing_options').find((b) => toStr(b.get('log_type')) === 'AUDIT_LOGS');
    ctx.report({
      at: audit ? (audit.attr('enabled') ?? audit) : domain,
      message: audit
        ? `${domain.address} has AUDIT_LOGS publishing disabled (enabled = false).`
        : `${domain.address} does not publish AUDIT_LOGS (no enabled log_publishing_options block with log_type = "AUDIT_LOGS").`,
    });
  },
  examples: {
    bad: [
      'resource "aws_elasticsearch_domain" "search" {\n  domain_name = "search"\n}\n',
      'resource "aws_opensearch_domain" "search" {\n  domain_name = "search"\n  log_publishing_options {\n    cloudwatch_log_group_arn = aws_cloudwatch_log_group.search.arn\n    log_type                 = "INDEX_SLOW_LOGS"\n  }\n  log_publishing_options {\n    cloudwatch_log_group_arn = aws_cloudwatch_log_group.search.arn\n    log_type                 = "AUDIT_LOGS"\n    enabled                  = false\n  }\n}\n',
    ],
    good: [
      'resource "aws_opensearch_domain" "search" {\n  domain_name = "search"\n  log_publishing_options {\n    cloudwatch_log_group_arn = aws_cloudwatch_log_group.search.arn\n    log_type                 = "AUDIT_LOGS"\n  }\n}\n',
      'variable "log_type" {}\nresource "aws_elasticsearch_domain" "search" {\n  domain_name = "search"\n  log_publishing_options {\n    cloudwatch_log_group_arn = aws_cloudwatch_log_group.search.arn\n    log_type                 = var.log_type\n  }\n}\n',
    ],
  },
});

const esNodeToNode = terraformRule({
  id: 'aws-elasticsearch-enable-node-to-node-encryption',
  title: 'Elasticsearch/OpenSearch domain sends node-to-node traffic in plaintext',
  severity: 'high',
  impact: 'Traffic between the nodes of the domain, including indexed documents and query results, can be read or altered by anyone able to observe the VPC network.',
  remediation: 'Set node_to_node_encryption { enabled = true }.',
  references: [
    'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticsearch_domain#node_to_node_encryption',
  ],
  compliance: ['NIST 800-53 SC-8'],
  equivalents: { trivy: ['AVD-AWS-0043'], checkov: ['CKV_AWS_6'], kics: ['967eb3e6-26fc-497d-8895-6428beb6e8e2'] },
  fixable: true,
  resources: ES_DOMAINS,
  check(domain, ctx) {
    const r = nestedBool(domain, 'node_to_node_encryption', 'enabled', false, false);
    if (r.state !== false || domain.has('node_to_node_encryption')) return;
    ctx.report({
      at: r.at,
      message: r.block
        ? `${domain.address} has node_to_node_encryption.enabled = false.`
        : `${domain.address} has no node_to_node_encryption block (node-to-node encryption is off by default).`,
      fix: tfFix('Enable node-to-node encryption', setNestedAttribute(domain, ['node_to_node_encryption'], 'enabled', 'true')),
    });
  },
  examples: {
    bad: [
      'resource "aws_elasticsearch_domain" "search" {\n  domain_name = "search"\n}\n',
      'resource "aws_opensearch_domain" "search" {\n  domain_name = "search"\n  node_to_node_encryption {\n    enabled = false\n  }\n}\n',
    ],
    good: [
      'resource "aws_opensearch_domain" "search" {\n  domain_name = "search"\n  node_to_node_encryption {\n    enabled = true\n  }\n}\n',
      'variable "n2n" {}\nresource "aws_elasticsearch_domain" "search" {\n  domain_name = "search"\n  node_to_node_encryption {\n    enabled = var.n2n\n  }\n}\n',
    ],
  },
});

const esEnforceHttps = terraformRule({
  id: 'aws-elasticsearch-enforce-https',
  title: 'Elasticsearch/OpenSearch domain endpoint accepts plain HTTP',
  severity: 'critical',
  impact: 'Clients can talk to the domain over unencrypted HTTP: credentials, queries and documents can be sniffed or tampered with on the way.',
  remediation: 'Set domain_endpoint_options { enforce_https = true }.',
  references: [
    'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/infrastructure-security.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticsearch_domain#domain_endpoint_options',
  ],
  compliance: ['NIST 800-53 SC-8'],
  equivalents: { trivy: ['AVD-AWS-0046'], checkov: ['CKV_AWS_83'], kics: ['2e9e0729-66d5-4148-9d39-5e6fb4bf2a4e'] },
  fixable: true,
  resources: ES_DOMAINS,
  check(domain, ctx) {
    // The API does not enforce HTTPS when the options are absent; inside the block the provider defaults to true.
    const r = nestedBool(domain, 'domain_endpoint_options', 'enforce_https', false, true);
    if (r.state !== false || domain.has('domain_endpoint_options')) return;
    ctx.report({
      at: r.at,
      message: r.block
        ? `${domain.address} has domain_endpoint_options.enforce_https = false.`
        : `${domain.address} has no domain_endpoint_options block, so HTTPS is not enforced.`,
      fix: tfFix('Enforce HTTPS', setNestedAttribute(domain, ['domain_endpoint_options'], 'enforce_https', 'true')),
    });
  },
  examples: {
    bad: [
      'resource "aws_elasticsearch_domain" "search" {\n  domain_name = "search"\n  domain_endpoint_options {\n    enforce_https = false\n  }\n}\n',
      'resource "aws_opensearch_domain" "search" {\n  domain_name = "search"\n}\n',
    ],
    good: [
      'resource "aws_opensearch_domain" "search" {\n  domain_name = "search"\n  domain_endpoint_options {\n    enforce_https       = true\n    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"\n  }\n}\n',
      'resource "aws_opensearch_domain" "search" {\n  domain_name = "search"\n  domain_endpoint_options {\n    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"\n  }\n}\n',
      'variable "https" {}\nresource "aws_elasticsearch_domain" "search" {\n  domain_name = "search"\n  domain_endpoint_options {\n    enforce_https = var.https\n  }\n}\n',
    ],
  },
});

const esEncryptAtRest = terraformRule({
  id: 'aws-elasticsearch-enable-encryption-at-rest',
  title: 'Elasticsearch/OpenSearch domain is not encrypted at rest',
  severity: 'high',
  impact: 'Indices, logs, swap and automated snapshots are stored unencrypted: anyone who obtains the underlying storage or a snapshot reads the data.',
  remediation: 'Set encrypt_at_rest { enabled = true } (optionally with kms_key_id).',
  references: [
    'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticsearch_domain#encrypt_at_rest',
  ],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0048'], checkov: ['CKV_AWS_5'], kics: ['24e16922-4330-4e9d-be8a-caa90299466a'] },
  fixable: true,
  resources: ES_DOMAINS,
  check(domain, ctx) {
    const r = nestedBool(domain, 'encrypt_at_rest', 'enabled', false, false);
    if (r.state !== false || domain.has('encrypt_at_rest')) return;
    ctx.report({
      at: r.at,
      message: r.block
        ? `${domain.address} has encrypt_at_rest.enabled = false.`
        : `${domain.address} has no encrypt_at_rest block (encryption at rest is off by default).`,
      fix: tfFix('Enable encryption at rest', setNestedAttribute(domain, ['encrypt_at_rest'], 'enabled', 'true')),
    });
  },
  examples: {
    bad: [
      'resource "aws_elasticsearch_domain" "search" {\n  domain_name = "search"\n  encrypt_at_rest {\n    enabled = false\n  }\n}\n',
      'resource "aws_opensearch_domain" "search" {\n  domain_name = "search"\n}\n',
    ],
    good: [
      'resource "aws_opensearch_domain" "search" {\n  domain_name = "search"\n  encrypt_at_rest {\n    enabled    = true\n    kms_key_id = aws_kms_key.search.key_id\n  }\n}\n',
      'variable "encrypt" {}\nresource "aws_elasticsearch_domain" "search" {\n  domain_name = "search"\n  encrypt_at_rest {\n    enabled = var.encrypt\n  }\n}\n',
    ],
  },
});

const SECURE_TLS = /^Policy-Min-TLS-1-[23]-/;

const esTlsPolicy = terraformRule({
  id: 'aws-elasticsearch-secure-tls-policy',
  title: 'Elasticsearch/OpenSearch domain endpoint allows TLS versions older than 1.2',
  severity: 'high',
  impact: 'Clients may negotiate TLS 1.0 or 1.1, whose known weaknesses let an attacker in the network path downgrade or decrypt sessions.',
  remediation: 'Set domain_endpoint_options.tls_security_policy to "Policy-Min-TLS-1-2-2019-07" (or a newer TLS 1.2/1.3 policy).',
  references: [
    'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/infrastructure-security.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticsearch_domain#tls_security_policy',
  ],
  compliance: ['NIST 800-53 SC-8', 'NIST 800-53 SC-13'],
  equivalents: { trivy: ['AVD-AWS-0126'], checkov: ['CKV_AWS_228'] },
  fixable: true,
  resources: ES_DOMAINS,
  check(domain, ctx) {
    for (const b of domain.blocks('domain_endpoint_options')) {
      const a = b.attr('tls_security_policy');
      const policy = toStr(a?.value);
      if (!a || policy === undefined || SECURE_TLS.test(policy)) continue;
      ctx.report({
        at: a,
        message: `${domain.address} uses the TLS security policy "${policy}", which allows TLS older than 1.2.`,
        fix: tfFix('Use Policy-Min-TLS-1-2-2019-07', replaceAttributeValue(a, '"Policy-Min-TLS-1-2-2019-07"')),
      });
    }
  },
  examples: {
    bad: [
      'resource "aws_opensearch_domain" "search" {\n  domain_name = "search"\n  domain_endpoint_options {\n    enforce_https       = true\n    tls_security_policy = "Policy-Min-TLS-1-0-2019-07"\n  }\n}\n',
    ],
    good: [
      'resource "aws_elasticsearch_domain" "search" {\n  domain_name = "search"\n  domain_endpoint_options {\n    enforce_https       = true\n    tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"\n  }\n}\n',
      'variable "tls_policy" {}\nresource "aws_opensearch_domain" "search" {\n  domain_name = "search"\n  domain_endpoint_options {\n    enforce_https       = true\n    tls_security_policy = var.tls_policy\n  }\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- DynamoDB / DAX

const daxEncryption = terraformRule({
  id: 'aws-dynamodb-dax-encryption-at-rest',
  title: 'DAX cluster is not encrypted at rest',
  severity: 'high',
  impact: 'Cached DynamoDB items, configuration and logs on the DAX nodes are stored unencrypted and readable from the underlying storage.',
  remediation: 'Set server_side_encryption { enabled = true } on the aws_dax_cluster (this replaces the cluster).',
  references: [
    'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAXEncryptionAtRest.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dax_cluster#server_side_encryption',
  ],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0023'], checkov: ['CKV_AWS_47'], kics: ['f11aec39-858f-4b6f-b946-0a1bf46c0c87'] },
  fixable: true,
  resources: ['aws_dax_cluster'],
  check(cluster, ctx) {
    const r = nestedBool(cluster, 'server_side_encryption', 'enabled', false, false);
    if (r.state !== false || cluster.has('server_side_encryption')) return;
    ctx.report({
      at: r.at,
      message: r.block
        ? `${cluster.address} does not enable server_side_encryption (enabled is ${r.block.attr('enabled') ? 'false' : 'not set'}).`
        : `${cluster.address} has no server_side_encryption block, so the cache is not encrypted at rest.`,
      fix: tfFix('Enable DAX server-side encryption', setNestedAttribute(cluster, ['server_side_encryption'], 'enabled', 'true')),
    });
  },
  examples: {
    bad: [
      'resource "aws_dax_cluster" "cache" {\n  cluster_name       = "cache"\n  iam_role_arn       = aws_iam_role.dax.arn\n  node_type          = "dax.r4.large"\n  replication_factor = 1\n}\n',
      'resource "aws_dax_cluster" "cache" {\n  cluster_name = "cache"\n  server_side_encryption {\n    enabled = false\n  }\n}\n',
    ],
    good: [
      'resource "aws_dax_cluster" "cache" {\n  cluster_name = "cache"\n  server_side_encryption {\n    enabled = true\n  }\n}\n',
      'variable "sse" {}\nresource "aws_dax_cluster" "cache" {\n  cluster_name = "cache"\n  server_side_encryption {\n    enabled = var.sse\n  }\n}\n',
    ],
  },
});

const dynamoPitr = terraformRule({
  id: 'aws-dynamodb-enable-point-in-time-recovery',
  title: 'DynamoDB table has point-in-time recovery disabled',
  severity: 'medium',
  impact: 'Items deleted or overwritten by a bug, a bad deployment or an attacker cannot be restored to a moment before the damage.',
  remediation: 'Set point_in_time_recovery { enabled = true }.',
  references: [
    'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#point_in_time_recovery',
  ],
  compliance: ['NIST 800-53 CP-9'],
  equivalents: { trivy: ['AVD-AWS-0024'], checkov: ['CKV_AWS_28'], kics: ['741f1291-47ac-4a85-a07b-3d32a9d6bd3e'] },
  fixable: true,
  resources: ['aws_dynamodb_table'],
  check(table, ctx) {
    const r = nestedBool(table, 'point_in_time_recovery', 'enabled', false, false);
    if (r.state !== false || table.has('point_in_time_recovery')) return;
    ctx.report({
      at: r.at,
      message: r.block
        ? `${table.address} has point_in_time_recovery.enabled = false.`
        : `${table.address} has no point_in_time_recovery block (continuous backups are off by default).`,
      fix: tfFix('Enable point-in-time recovery', setNestedAttribute(table, ['point_in_time_recovery'], 'enabled', 'true')),
    });
  },
  examples: {
    bad: [
      'resource "aws_dynamodb_table" "orders" {\n  name         = "orders"\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n',
      'resource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "id"\n  point_in_time_recovery {\n    enabled = false\n  }\n}\n',
    ],
    good: [
      'resource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "id"\n  point_in_time_recovery {\n    enabled = true\n  }\n}\n',
      'variable "pitr" {}\nresource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "id"\n  point_in_time_recovery {\n    enabled = var.pitr\n  }\n}\n',
    ],
  },
});

const dynamoCmk = terraformRule({
  id: 'aws-dynamodb-table-customer-key',
  title: 'DynamoDB table is not encrypted with a customer-managed KMS key',
  severity: 'low',
  impact: 'With the AWS owned or AWS managed key, access to the table data cannot be restricted or audited through your own key policy, and the key cannot be disabled to cut off access.',
  remediation: 'Set server_side_encryption { enabled = true, kms_key_arn = <customer-managed key ARN> }.',
  references: [
    'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#server_side_encryption',
  ],
  compliance: ['NIST 800-53 SC-12'],
  equivalents: { trivy: ['AVD-AWS-0025'], checkov: ['CKV_AWS_119'] },
  resources: ['aws_dynamodb_table'],
  check(table, ctx) {
    const r = nestedBool(table, 'server_side_encryption', 'enabled', false, false);
    if (r.state === undefined || table.has('server_side_encryption')) return;
    if (r.state === false) {
      ctx.report({
        at: r.at,
        message: r.block
          ? `${table.address} has server_side_encryption.enabled = false, so it uses the AWS owned key instead of a customer-managed key.`
          : `${table.address} has no server_side_encryption block, so it uses the AWS owned key instead of a customer-managed key.`,
      });
      return;
    }
    if (r.block?.dynamic) return;
    const a = r.block?.attr('kms_key_arn');
    const key = strOrEmpty(a?.value);
    if (key === undefined || (key !== '' && key !== 'alias/aws/dynamodb')) return;
    ctx.report({
      at: a ?? r.at,
      message: key === ''
        ? `${table.address} enables server-side encryption without kms_key_arn, so it uses the AWS managed key.`
        : `${table.address} uses the AWS managed key "${key}" instead of a customer-managed key.`,
    });
  },
  examples: {
    bad: [
      'resource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "id"\n}\n',
      'resource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "id"\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = "alias/aws/dynamodb"\n  }\n}\n',
      'resource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "id"\n  server_side_encryption {\n    enabled = true\n  }\n}\n',
    ],
    good: [
      'resource "aws_kms_key" "orders" {\n  enable_key_rotation = true\n}\nresource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "id"\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = aws_kms_key.orders.arn\n  }\n}\n',
      'variable "key_arn" {}\nresource "aws_dynamodb_table" "orders" {\n  name     = "orders"\n  hash_key = "id"\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = var.key_arn\n  }\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- DocumentDB

const DOCDB_LOGS = ['audit', 'profiler'];

const docdbLogs = terraformRule({
  id: 'aws-documentdb-enable-log-export',
  title: 'DocumentDB cluster does not export audit or profiler logs',
  severity: 'medium',
  impact: 'Authentication attempts, DDL changes and slow or suspicious operations are not recorded in CloudWatch, so an intrusion cannot be detected or reconstructed.',
  remediation: 'Set enabled_cloudwatch_logs_exports to include "audit" (and/or "profiler").',
  references: [
    'https://docs.aws.amazon.com/documentdb/latest/developerguide/event-auditing.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/docdb_cluster#enabled_cloudwatch_logs_exports',
  ],
  compliance: ['NIST 800-53 AU-2', 'NIST 800-53 AU-12'],
  equivalents: { trivy: ['AVD-AWS-0020'], checkov: ['CKV_AWS_85'], kics: ['56f6a008-1b14-4af4-b9b2-ab7cf7e27641'] },
  fixable: true,
  resources: ['aws_docdb_cluster'],
  check(cluster, ctx) {
    const a = cluster.attr('enabled_cloudwatch_logs_exports');
    const logs = knownStrings(a?.value);
    if (!logs || logs.some((l) => DOCDB_LOGS.includes(l))) return;
    ctx.report({
      at: a ?? cluster,
      message: a
        ? `${cluster.address} exports only ${JSON.stringify(logs)} to CloudWatch, neither "audit" nor "profiler".`
        : `${cluster.address} does not set enabled_cloudwatch_logs_exports, so no audit or profiler logs are exported.`,
      fix: addToListFix(cluster, 'enabled_cloudwatch_logs_exports', logs, 'audit', 'Export audit logs'),
    });
  },
  examples: {
    bad: [
      'resource "aws_docdb_cluster" "docs" {\n  cluster_identifier = "docs"\n  master_username    = "admin"\n  master_password    = var.password\n}\n',
      'resource "aws_docdb_cluster" "docs" {\n  cluster_identifier              = "docs"\n  enabled_cloudwatch_logs_exports = []\n}\n',
    ],
    good: [
      'resource "aws_docdb_cluster" "docs" {\n  cluster_identifier              = "docs"\n  enabled_cloudwatch_logs_exports = ["audit", "profiler"]\n}\n',
      'variable "exports" {}\nresource "aws_docdb_cluster" "docs" {\n  cluster_identifier              = "docs"\n  enabled_cloudwatch_logs_exports = var.exports\n}\n',
    ],
  },
});

const docdbEncryption = terraformRule({
  id: 'aws-documentdb-enable-storage-encryption',
  title: 'DocumentDB cluster storage is not encrypted',
  severity: 'high',
  impact: 'Documents, indexes, backups and snapshots are stored unencrypted and readable by anyone who obtains the underlying storage or a copied snapshot.',
  remediation: 'Set storage_encrypted = true (this replaces the cluster; migrate the data with a snapshot restore).',
  references: [
    'https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/docdb_cluster#storage_encrypted',
  ],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0021'], checkov: ['CKV_AWS_74'], kics: ['bc1f9009-84a0-490f-ae09-3e0ea6d74ad6'] },
  fixable: true,
  resources: ['aws_docdb_cluster'],
  check(cluster, ctx) {
    reportUnlessTrue(cluster, ctx, 'storage_encrypted', 'does not set storage_encrypted (defaults to false).');
  },
  examples: {
    bad: [
      'resource "aws_docdb_cluster" "docs" {\n  cluster_identifier = "docs"\n  storage_encrypted  = false\n}\n',
      'resource "aws_docdb_cluster" "docs" {\n  cluster_identifier = "docs"\n}\n',
    ],
    good: [
      'resource "aws_docdb_cluster" "docs" {\n  cluster_identifier = "docs"\n  storage_encrypted  = true\n}\n',
      'variable "encrypted" {}\nresource "aws_docdb_cluster" "docs" {\n  cluster_identifier = "docs"\n  storage_encrypted  = var.encrypted\n}\n',
    ],
  },
});

const docdbCmk = terraformRule({
  id: 'aws-documentdb-encryption-customer-key',
  title: 'DocumentDB cluster is not encrypted with a customer-managed KMS key',
  severity: 'low',
  impact: 'With the AWS managed key, access to the cluster storage and snapshots cannot be controlled or revoked through your own key policy.',
  remediation: 'Set kms_key_id to the ARN of a customer-managed KMS key (with storage_encrypted = true).',
  references: [
    'https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/docdb_cluster#kms_key_id',
  ],
  compliance: ['NIST 800-53 SC-12'],
  equivalents: { trivy: ['AVD-AWS-0022'], checkov: ['CKV_AWS_182'], kics: ['4766d3ea-241c-4ee6-93ff-c380c996bd1a'] },
  resources: ['aws_docdb_cluster'],
  check(cluster, ctx) {
    const a = cluster.attr('kms_key_id');
    if (strOrEmpty(a?.value) !== '') return;
    ctx.report({
      at: a ?? cluster,
      message: `${cluster.address} does not set kms_key_id, so its storage is not encrypted with a customer-managed key.`,
    });
  },
  examples: {
    bad: ['resource "aws_docdb_cluster" "docs" {\n  cluster_identifier = "docs"\n  storage_encrypted  = true\n}\n'],
    good: [
      'resource "aws_kms_key" "docs" {\n  enable_key_rotation = true\n}\nresource "aws_docdb_cluster" "docs" {\n  cluster_identifier = "docs"\n  storage_encrypted  = true\n  kms_key_id         = aws_kms_key.docs.arn\n}\n',
      'variable "kms_key_id" {}\nresource "aws_docdb_cluster" "docs" {\n  cluster_identifier = "docs"\n  storage_encrypted  = true\n  kms_key_id         = var.kms_key_id\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- Neptune

const neptuneLogs = terraformRule({
  id: 'aws-neptune-enable-audit-log-export',
  title: 'Neptune cluster does not export audit logs',
  severity: 'medium',
  impact: 'Queries and connection attempts against the graph database are not recorded in CloudWatch, so data access by an intruder goes unnoticed.',
  remediation: 'Add "audit" to enable_cloudwatch_logs_exports (and enable neptune_enable_audit_log in the cluster parameter group).',
  references: [
    'https://docs.aws.amazon.com/neptune/latest/userguide/auditing.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/neptune_cluster#enable_cloudwatch_logs_exports',
  ],
  compliance: ['NIST 800-53 AU-2', 'NIST 800-53 AU-12'],
  equivalents: { trivy: ['AVD-AWS-0075'], checkov: ['CKV_AWS_101'], kics: ['45cff7b6-3b80-40c1-ba7b-2cf480678bb8'] },
  fixable: true,
  resources: ['aws_neptune_cluster'],
  check(cluster, ctx) {
    const a = cluster.attr('enable_cloudwatch_logs_exports');
    const logs = knownStrings(a?.value);
    if (!logs || logs.includes('audit')) return;
    ctx.report({
      at: a ?? cluster,
      message: a
        ? `${cluster.address} exports ${JSON.stringify(logs)} to CloudWatch, without "audit".`
        : `${cluster.address} does not set enable_cloudwatch_logs_exports, so audit logs are not exported.`,
      fix: addToListFix(cluster, 'enable_cloudwatch_logs_exports', logs, 'audit', 'Export audit logs'),
    });
  },
  examples: {
    bad: [
      'resource "aws_neptune_cluster" "graph" {\n  cluster_identifier = "graph"\n}\n',
      'resource "aws_neptune_cluster" "graph" {\n  cluster_identifier             = "graph"\n  enable_cloudwatch_logs_exports = ["slowquery"]\n}\n',
    ],
    good: [
      'resource "aws_neptune_cluster" "graph" {\n  cluster_identifier             = "graph"\n  enable_cloudwatch_logs_exports = ["audit", "slowquery"]\n}\n',
      'variable "exports" {}\nresource "aws_neptune_cluster" "graph" {\n  cluster_identifier             = "graph"\n  enable_cloudwatch_logs_exports = var.exports\n}\n',
    ],
  },
});

const neptuneEncryption = terraformRule({
  id: 'aws-neptune-enable-storage-encryption',
  title: 'Neptune cluster storage is not encrypted',
  severity: 'high',
  impact: 'Graph data, backups and snapshots are stored unencrypted and readable by anyone who obtains the underlying storage or a copied snapshot.',
  remediation: 'Set storage_encrypted = true (this replaces the cluster).',
  references: [
    'https://docs.aws.amazon.com/neptune/latest/userguide/encrypt.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/neptune_cluster#storage_encrypted',
  ],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0076'], checkov: ['CKV_AWS_44'], kics: ['98d59056-f745-4ef5-8613-32bca8d40b7e'] },
  fixable: true,
  resources: ['aws_neptune_cluster'],
  check(cluster, ctx) {
    reportUnlessTrue(cluster, ctx, 'storage_encrypted', 'does not set storage_encrypted (defaults to false).');
  },
  examples: {
    bad: [
      'resource "aws_neptune_cluster" "graph" {\n  cluster_identifier = "graph"\n  storage_encrypted  = false\n}\n',
      'resource "aws_neptune_cluster" "graph" {\n  cluster_identifier = "graph"\n}\n',
    ],
    good: [
      'resource "aws_neptune_cluster" "graph" {\n  cluster_identifier = "graph"\n  storage_encrypted  = true\n}\n',
      'variable "encrypted" {}\nresource "aws_neptune_cluster" "graph" {\n  cluster_identifier = "graph"\n  storage_encrypted  = var.encrypted\n}\n',
    ],
  },
});

const neptuneCmk = terraformRule({
  id: 'aws-neptune-encryption-customer-key',
  title: 'Neptune cluster is not encrypted with a customer-managed KMS key',
  severity: 'high',
  impact: 'With the AWS managed key, access to the cluster storage and snapshots cannot be controlled or revoked through your own key policy.',
  remediation: 'Set kms_key_arn to the ARN of a customer-managed KMS key (with storage_encrypted = true).',
  references: [
    'https://docs.aws.amazon.com/neptune/latest/userguide/encrypt.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/neptune_cluster#kms_key_arn',
  ],
  compliance: ['NIST 800-53 SC-12'],
  equivalents: { trivy: ['AVD-AWS-0128'], checkov: ['CKV_AWS_347'] },
  resources: ['aws_neptune_cluster'],
  check(cluster, ctx) {
    const a = cluster.attr('kms_key_arn');
    if (strOrEmpty(a?.value) !== '') return;
    ctx.report({
      at: a ?? cluster,
      message: `${cluster.address} does not set kms_key_arn, so its storage is not encrypted with a customer-managed key.`,
    });
  },
  examples: {
    bad: ['resource "aws_neptune_cluster" "graph" {\n  cluster_identifier = "graph"\n  storage_encrypted  = true\n}\n'],
    good: [
      'resource "aws_neptune_cluster" "graph" {\n  cluster_identifier = "graph"\n  storage_encrypted  = true\n  kms_key_arn        = aws_kms_key.graph.arn\n}\n',
      'variable "key" {}\nresource "aws_neptune_cluster" "graph" {\n  cluster_identifier = "graph"\n  storage_encrypted  = true\n  kms_key_arn        = var.key\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- Redshift

const redshiftEncryption = terraformRule({
  id: 'aws-redshift-enable-encryption',
  title: 'Redshift cluster is not encrypted at rest',
  severity: 'high',
  impact: 'Warehouse data blocks, system metadata and snapshots are stored unencrypted and readable by anyone who obtains the storage or a shared snapshot.',
  remediation: 'Set encrypted = true, preferably with kms_key_id set to a customer-managed key.',
  references: [
    'https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/redshift_cluster#encrypted',
  ],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { checkov: ['CKV_AWS_64'], kics: ['cfdcabb0-fc06-427c-865b-c59f13e898ce'] },
  fixable: true,
  resources: ['aws_redshift_cluster'],
  check(cluster, ctx) {
    reportUnlessTrue(cluster, ctx, 'encrypted', 'does not set encrypted, so the cluster is not encrypted at rest.');
  },
  examples: {
    bad: [
      'resource "aws_redshift_cluster" "dw" {\n  cluster_identifier = "dw"\n  node_type          = "ra3.xlplus"\n}\n',
      'resource "aws_redshift_cluster" "dw" {\n  cluster_identifier = "dw"\n  encrypted          = false\n}\n',
    ],
    good: [
      'resource "aws_redshift_cluster" "dw" {\n  cluster_identifier = "dw"\n  encrypted          = true\n}\n',
      'variable "encrypted" {}\nresource "aws_redshift_cluster" "dw" {\n  cluster_identifier = "dw"\n  encrypted          = var.encrypted\n}\n',
    ],
  },
});

const redshiftCmk = terraformRule({
  id: 'aws-redshift-encryption-customer-key',
  title: 'Redshift cluster is not encrypted with a customer-managed KMS key',
  severity: 'high',
  impact: 'Without encryption under your own KMS key, warehouse data and snapshots are either unencrypted or protected by a key whose use you cannot restrict, audit or revoke.',
  remediation: 'Set encrypted = true and kms_key_id to a customer-managed KMS key.',
  references: [
    'https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/redshift_cluster#kms_key_id',
  ],
  compliance: ['NIST 800-53 SC-12', 'NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0084'], checkov: ['CKV_AWS_142'] },
  resources: ['aws_redshift_cluster'],
  check(cluster, ctx) {
    const enc = cluster.attr('encrypted');
    const encrypted = enc ? (enc.value === null ? false : toBool(enc.value)) : false;
    if (encrypted === undefined) return;
    const k = cluster.attr('kms_key_id');
    const key = strOrEmpty(k?.value);
    if (encrypted && key !== '') return;
    if (!encrypted && key === undefined) return; // an unknown key may come with encryption set elsewhere
    ctx.report({
      at: encrypted ? (k ?? cluster) : (enc ?? cluster),
      message: encrypted
        ? `${cluster.address} is encrypted without kms_key_id, so it does not use a customer-managed key.`
        : `${cluster.address} is not encrypted (encrypted = ${enc ? 'false' : 'not set'}), let alone with a customer-managed key.`,
    });
  },
  examples: {
    bad: [
      'resource "aws_redshift_cluster" "dw" {\n  cluster_identifier = "dw"\n  encrypted          = true\n}\n',
      'resource "aws_redshift_cluster" "dw" {\n  cluster_identifier = "dw"\n}\n',
    ],
    good: [
      'resource "aws_redshift_cluster" "dw" {\n  cluster_identifier = "dw"\n  encrypted          = true\n  kms_key_id         = aws_kms_key.dw.arn\n}\n',
      'variable "kms_key_id" {}\nresource "aws_redshift_cluster" "dw" {\n  cluster_identifier = "dw"\n  encrypted          = true\n  kms_key_id         = var.kms_key_id\n}\n',
    ],
  },
});

const redshiftVpc = terraformRule({
  id: 'aws-redshift-use-vpc',
  title: 'Redshift cluster is not deployed into a VPC subnet group',
  severity: 'high',
  impact: 'Without a cluster subnet group the cluster is launched in EC2-Classic or the default VPC, outside the network isolation, security groups and flow logs of your own VPC.',
  remediation: 'Create an aws_redshift_subnet_group in private subnets and set cluster_subnet_group_name.',
  references: [
    'https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-cluster-subnet-groups.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/redshift_cluster#cluster_subnet_group_name',
  ],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AWS-0127'], checkov: ['CKV_AWS_154'], kics: ['0a494a6a-ebe2-48a0-9d77-cf9d5125e1b3'] },
  resources: ['aws_redshift_cluster'],
  check(cluster, ctx) {
    const a = cluster.attr('cluster_subnet_group_name');
    if (strOrEmpty(a?.value) !== '') return;
    ctx.report({
      at: a ?? cluster,
      message: `${cluster.address} does not set cluster_subnet_group_name, so it is not placed in a subnet group of your VPC.`,
    });
  },
  examples: {
    bad: ['resource "aws_redshift_cluster" "dw" {\n  cluster_identifier = "dw"\n  node_type          = "ra3.xlplus"\n}\n'],
    good: [
      'resource "aws_redshift_cluster" "dw" {\n  cluster_identifier        = "dw"\n  cluster_subnet_group_name = aws_redshift_subnet_group.private.name\n}\n',
      'variable "subnet_group" {}\nresource "aws_redshift_cluster" "dw" {\n  cluster_identifier        = "dw"\n  cluster_subnet_group_name = var.subnet_group\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- Athena

function athenaEncryptionOption(enc: TfBlock | undefined): string | undefined {
  if (!enc) return '';
  return strOrEmpty(enc.get('encryption_option'));
}

const athenaEncryption = terraformRule({
  id: 'aws-athena-enable-at-rest-encryption',
  title: 'Athena database or workgroup query results are not encrypted',
  severity: 'high',
  impact: 'Query results written to S3 (often copies of sensitive source data) are stored without Athena-enforced encryption.',
  remediation: 'Add an encryption_configuration (encryption_option = "SSE_KMS" with a KMS key, or "SSE_S3") to the database, or to configuration.result_configuration of the workgroup.',
  references: [
    'https://docs.aws.amazon.com/athena/latest/ug/encryption.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/athena_workgroup#encryption_configuration',
  ],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: {
    trivy: ['AVD-AWS-0006'],
    checkov: ['CKV_AWS_77', 'CKV_AWS_159'],
    kics: ['b2315cae-b110-4426-81e0-80bb8640cdd3', 'd364984a-a222-4b5f-a8b0-e23ab19ebff3'],
  },
  fixable: true,
  resources: ['aws_athena_database', 'aws_athena_workgroup'],
  check(res, ctx) {
    if (res.resourceType === 'aws_athena_database') {
      const enc = res.block('encryption_configuration');
      if (res.has('encryption_configuration') || enc?.dynamic) return;
      const opt = athenaEncryptionOption(enc);
      if (opt !== '') return;
      ctx.report({
        at: enc ?? res,
        message: `${res.address} has no encryption_configuration, so its query results are not encrypted.`,
        fix: enc
          ? tfFix('Use SSE_S3 encryption', setAttribute(enc, 'encryption_option', '"SSE_S3"'))
          : tfFix('Add SSE_S3 encryption', insertIntoBlock(res, ['encryption_configuration {', '  encryption_option = "SSE_S3"', '}'])),
      });
      return;
    }
    if (res.has('configuration')) return;
    const conf = res.block('configuration');
    const rc = conf?.block('result_configuration');
    const enc = rc?.block('encryption_configuration');
    if (conf?.dynamic || rc?.dynamic || enc?.dynamic || conf?.has('result_configuration') || rc?.has('encryption_configuration')) return;
    const opt = athenaEncryptionOption(enc);
    if (opt !== '') return;
    ctx.report({
      at: enc ?? rc ?? conf ?? res,
      message: `${res.address} does not configure encryption of query results (no configuration.result_configuration.encryption_configuration).`,
      fix: tfFix('Encrypt query results with SSE_S3',
        setNestedAttribute(res, ['configuration', 'result_configuration', 'encryption_configuration'], 'encryption_option', '"SSE_S3"')),
    });
  },
  examples: {
    bad: [
      'resource "aws_athena_database" "events" {\n  name   = "events"\n  bucket = aws_s3_bucket.athena.id\n}\n',
      'resource "aws_athena_workgroup" "analysts" {\n  name = "analysts"\n  configuration {\n    result_configuration {\n      output_location = "s3://results/analysts/"\n    }\n  }\n}\n',
      'resource "aws_athena_workgroup" "analysts" {\n  name = "analysts"\n}\n',
    ],
    good: [
      'resource "aws_athena_database" "events" {\n  name   = "events"\n  bucket = aws_s3_bucket.athena.id\n  encryption_configuration {\n    encryption_option = "SSE_KMS"\n    kms_key           = aws_kms_key.athena.arn\n  }\n}\n',
      'resource "aws_athena_workgroup" "analysts" {\n  name = "analysts"\n  configuration {\n    result_configuration {\n      output_location = "s3://results/analysts/"\n      encryption_configuration {\n        encryption_option = "SSE_S3"\n      }\n    }\n  }\n}\n',
      'variable "option" {}\nresource "aws_athena_database" "events" {\n  name   = "events"\n  bucket = "athena-results"\n  encryption_configuration {\n    encryption_option = var.option\n  }\n}\n',
    ],
  },
});

const athenaEnforce = terraformRule({
  id: 'aws-athena-no-encryption-override',
  title: 'Athena workgroup lets clients override its encryption settings',
  severity: 'high',
  impact: 'When the workgroup configuration is not enforced, any client can run queries with its own settings and write results unencrypted or to another location.',
  remediation: 'Add a configuration block with enforce_workgroup_configuration = true (the default inside the block).',
  references: [
    'https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/athena_workgroup#enforce_workgroup_configuration',
  ],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0007'], checkov: ['CKV_AWS_82'] },
  fixable: true,
  resources: ['aws_athena_workgroup'],
  check(wg, ctx) {
    const r = nestedBool(wg, 'configuration', 'enforce_workgroup_configuration', false, true);
    if (r.state !== false || wg.has('configuration')) return;
    ctx.report({
      at: r.at,
      message: r.block
        ? `${wg.address} has enforce_workgroup_configuration = false, so clients may disable encryption.`
        : `${wg.address} has no configuration block, so the workgroup settings (including encryption) are not enforced.`,
      fix: tfFix('Enforce the workgroup configuration', setNestedAttribute(wg, ['configuration'], 'enforce_workgroup_configuration', 'true')),
    });
  },
  examples: {
    bad: [
      'resource "aws_athena_workgroup" "analysts" {\n  name = "analysts"\n  configuration {\n    enforce_workgroup_configuration = false\n    result_configuration {\n      encryption_configuration {\n        encryption_option = "SSE_S3"\n      }\n    }\n  }\n}\n',
      'resource "aws_athena_workgroup" "analysts" {\n  name = "analysts"\n}\n',
    ],
    good: [
      'resource "aws_athena_workgroup" "analysts" {\n  name = "analysts"\n  configuration {\n    result_configuration {\n      encryption_configuration {\n        encryption_option = "SSE_S3"\n      }\n    }\n  }\n}\n',
      'variable "enforce" {}\nresource "aws_athena_workgroup" "analysts" {\n  name = "analysts"\n  configuration {\n    enforce_workgroup_configuration = var.enforce\n  }\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- EMR

/** Reads a path in a decoded JSON object: a missing key gives null, an unknown part undefined. */
function jsonPath(doc: Value | undefined, path: string[]): Value | null | undefined {
  let cur: Value | undefined = doc;
  for (const k of path) {
    if (cur === undefined || cur === null) return null;
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur === undefined ? null : cur;
}

function emrRule(o: {
  id: string; title: string; impact: string; remediation: string; trivy: string; checkov: string[];
  references: string[];
  /** Returns a problem description, or undefined when fine or unknown. */
  judge(doc: Value): string | undefined;
  bad: string[]; good: string[];
}): Rule {
  return terraformRule({
    id: o.id,
    title: o.title,
    severity: 'high',
    impact: o.impact,
    remediation: o.remediation,
    references: o.references,
    compliance: ['NIST 800-53 SC-28'],
    equivalents: o.checkov.length ? { trivy: [o.trivy], checkov: o.checkov } : { trivy: [o.trivy] },
    resources: ['aws_emr_security_configuration'],
    check(conf, ctx) {
      const a = conf.attr('configuration');
      const doc = jsonDoc(a?.value);
      if (!a || !isObject(doc)) return;
      const problem = o.judge(doc);
      if (problem) ctx.report({ at: a, message: `${conf.address} ${problem}.` });
    },
    examples: { bad: o.bad, good: o.good },
  });
}

const emrConf = (enc: string) => `resource "aws_emr_security_configuration" "sec" {
  name = "emr-sec"

  configuration = <<EOF
{
  "EncryptionConfiguration": ${enc}
}
EOF
}
`;

const EMR_FULL = `{
    "EnableAtRestEncryption": true,
    "EnableInTransitEncryption": true,
    "AtRestEncryptionConfiguration": {
      "S3EncryptionConfiguration": { "EncryptionMode": "SSE-KMS", "AwsKmsKey": "arn:aws:kms:eu-west-1:111122223333:key/abc" },
      "LocalDiskEncryptionConfiguration": { "EncryptionKeyProviderType": "AwsKms", "AwsKmsKey": "arn:aws:kms:eu-west-1:111122223333:key/abc" }
    },
    "InTransitEncryptionConfiguration": {
      "TLSCertificateConfiguration": { "CertificateProviderType": "PEM", "S3Object": "s3://certs/emr.zip" }
    }
  }`;

const EMR_UNKNOWN = 'variable "sec" {}\nresource "aws_emr_security_configuration" "sec" {\n  name          = "emr-sec"\n  configuration = var.sec\n}\n';

const EMR_ENCODED = (flag: string) => `variable "key" {}
resource "aws_emr_security_configuration" "sec" {
  name = "emr-sec"
  configuration = jsonencode({
    EncryptionConfiguration = {
      ${flag}
      AtRestEncryptionConfiguration = {
        LocalDiskEncryptionConfiguration = { EncryptionKeyProviderType = "AwsKms", AwsKmsKey = var.key }
      }
    }
  })
}
`;

function emrFlag(name: string) {
  return (doc: Value): string | undefined => {
    const v = jsonPath(doc, ['EncryptionConfiguration', name]);
    if (v === undefined) return undefined;
    if (v === null) return `does not set EncryptionConfiguration.${name} (it defaults to false)`;
    return toBool(v) === false ? `sets EncryptionConfiguration.${name} to false` : undefined;
  };
}

const emrAtRest = emrRule({
  id: 'aws-emr-enable-at-rest-encryption',
  title: 'EMR security configuration does not enable at-rest encryption',
  impact: 'EMRFS data in S3 and data on the cluster disks are written unencrypted by EMR and readable by anyone with access to the storage.',
  remediation: 'Set "EnableAtRestEncryption": true with an AtRestEncryptionConfiguration in the security configuration.',
  references: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-data-encryption-options.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/emr_security_configuration',
  ],
  trivy: 'AVD-AWS-0137',
  checkov: [],
  judge: emrFlag('EnableAtRestEncryption'),
  bad: [
    emrConf('{\n    "EnableAtRestEncryption": false,\n    "EnableInTransitEncryption": true\n  }'),
    EMR_ENCODED('EnableInTransitEncryption = true'),
  ],
  good: [emrConf(EMR_FULL), EMR_UNKNOWN, EMR_ENCODED('EnableAtRestEncryption = true')],
});

const emrInTransit = emrRule({
  id: 'aws-emr-enable-in-transit-encryption',
  title: 'EMR security configuration does not enable in-transit encryption',
  impact: 'Traffic between cluster nodes and to S3 (shuffle data, HDFS blocks, Spark RPC) can be read or altered by anyone able to observe the network.',
  remediation: 'Set "EnableInTransitEncryption": true with an InTransitEncryptionConfiguration (TLS certificates) in the security configuration.',
  references: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-data-encryption-options.html#emr-encryption-intransit',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/emr_security_configuration',
  ],
  trivy: 'AVD-AWS-0138',
  checkov: ['CKV_AWS_351'],
  judge: emrFlag('EnableInTransitEncryption'),
  bad: [
    emrConf('{\n    "EnableAtRestEncryption": true,\n    "EnableInTransitEncryption": false\n  }'),
    EMR_ENCODED('EnableAtRestEncryption = true'),
  ],
  good: [emrConf(EMR_FULL), EMR_UNKNOWN, EMR_ENCODED('EnableInTransitEncryption = true')],
});

const emrLocalDisk = emrRule({
  id: 'aws-emr-enable-local-disk-encryption',
  title: 'EMR security configuration does not encrypt local disks',
  impact: 'Instance store and EBS volumes of the cluster nodes (HDFS, spill and temporary files) are stored unencrypted.',
  remediation: 'Set AtRestEncryptionConfiguration.LocalDiskEncryptionConfiguration with EncryptionKeyProviderType "AwsKms" (and AwsKmsKey) or "Custom".',
  references: [
    'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-data-encryption-options.html#emr-encryption-localdisk',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/emr_security_configuration',
  ],
  trivy: 'AVD-AWS-0139',
  checkov: ['CKV_AWS_349'],
  judge(doc) {
    const v = jsonPath(doc, ['EncryptionConfiguration', 'AtRestEncryptionConfiguration', 'LocalDiskEncryptionConfiguration', 'EncryptionKeyProviderType']);
    if (v === undefined) return undefined;
    if (v === null) return 'has no LocalDiskEncryptionConfiguration.EncryptionKeyProviderType, so local disks are not encrypted';
    const s = toStr(v);
    return s === '' ? 'has an empty LocalDiskEncryptionConfiguration.EncryptionKeyProviderType, so local disks are not encrypted' : undefined;
  },
  bad: [
    emrConf('{\n    "EnableAtRestEncryption": true,\n    "AtRestEncryptionConfiguration": {\n      "S3EncryptionConfiguration": { "EncryptionMode": "SSE-S3" }\n    }\n  }'),
    emrConf('{\n    "EnableAtRestEncryption": true,\n    "AtRestEncryptionConfiguration": {\n      "LocalDiskEncryptionConfiguration": { "EncryptionKeyProviderType": "" }\n    }\n  }'),
  ],
  good: [emrConf(EMR_FULL), EMR_UNKNOWN, EMR_ENCODED('EnableAtRestEncryption = true')],
});

// ---------------------------------------------------------------- Kinesis

const kinesisEncryption = terraformRule({
  id: 'aws-kinesis-enable-stream-encryption',
  title: 'Kinesis data stream is not encrypted with KMS',
  severity: 'high',
  impact: 'Records in the stream are stored unencrypted for the whole retention period and readable from the underlying storage.',
  remediation: 'Set encryption_type = "KMS" and kms_key_id (a customer-managed key, or "alias/aws/kinesis").',
  references: [
    'https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kinesis_stream#encryption_type',
  ],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0064'], checkov: ['CKV_AWS_43'], kics: ['862fe4bf-3eec-4767-a517-40f378886b88'] },
  fixable: true,
  resources: ['aws_kinesis_stream'],
  check(stream, ctx) {
    const t = stream.attr('encryption_type');
    const type = t ? (t.value === null ? 'NONE' : toStr(t.value)) : 'NONE';
    if (type === undefined) return;
    const k = stream.attr('kms_key_id');
    const key = strOrEmpty(k?.value);
    if (type.toUpperCase() === 'KMS' && key !== '') return;
    const fix = tfFix('Encrypt the stream with KMS',
      ...(type.toUpperCase() === 'KMS' ? [] : [setAttribute(stream, 'encryption_type', '"KMS"')]),
      ...(k && key !== '' ? [] : [setAttribute(stream, 'kms_key_id', '"alias/aws/kinesis"')]));
    // Both edits may insert at the same place; keep them as one insertion when neither exists.
    const single = !t && !k
      ? tfFix('Encrypt the stream with KMS', insertIntoBlock(stream, ['encryption_type = "KMS"', 'kms_key_id      = "alias/aws/kinesis"']))
      : fix;
    ctx.report({
      at: type.toUpperCase() === 'KMS' ? (k ?? stream) : (t ?? stream),
      message: type.toUpperCase() === 'KMS'
        ? `${stream.address} sets encryption_type = "KMS" without a kms_key_id.`
        : `${stream.address} has encryption_type = "${type}"${t ? '' : ' (the default)'}, so records are not encrypted at rest.`,
      fix: single,
    });
  },
  examples: {
    bad: [
      'resource "aws_kinesis_stream" "events" {\n  name        = "events"\n  shard_count = 1\n}\n',
      'resource "aws_kinesis_stream" "events" {\n  name            = "events"\n  shard_count     = 1\n  encryption_type = "NONE"\n}\n',
      'resource "aws_kinesis_stream" "events" {\n  name            = "events"\n  encryption_type = "KMS"\n}\n',
    ],
    good: [
      'resource "aws_kinesis_stream" "events" {\n  name            = "events"\n  shard_count     = 1\n  encryption_type = "KMS"\n  kms_key_id      = aws_kms_key.events.arn\n}\n',
      'variable "encryption_type" {}\nresource "aws_kinesis_stream" "events" {\n  name            = "events"\n  encryption_type = var.encryption_type\n  kms_key_id      = "alias/aws/kinesis"\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- WorkSpaces

const workspacesEncryption = terraformRule({
  id: 'aws-workspaces-enable-volume-encryption',
  title: 'WorkSpaces root or user volume is not encrypted',
  severity: 'high',
  impact: 'The desktop volumes, including user profiles, documents and cached credentials, are stored unencrypted.',
  remediation: 'Set root_volume_encryption_enabled = true and user_volume_encryption_enabled = true with a volume_encryption_key.',
  references: [
    'https://docs.aws.amazon.com/workspaces/latest/adminguide/encrypt-workspaces.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/workspaces_workspace#root_volume_encryption_enabled',
  ],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0109'], checkov: ['CKV_AWS_155', 'CKV_AWS_156'], kics: ['b9033580-6886-401a-8631-5f19f5bb24c7'] },
  fixable: true,
  resources: ['aws_workspaces_workspace'],
  check(ws, ctx) {
    const off: TfAttribute[] = [];
    const missing: string[] = [];
    for (const name of ['root_volume_encryption_enabled', 'user_volume_encryption_enabled']) {
      const a = ws.attr(name);
      const v = a ? (a.value === null ? false : toBool(a.value)) : false;
      if (v !== false) continue;
      if (a) off.push(a); else missing.push(name);
    }
    if (off.length + missing.length === 0) return;
    const names = [...off.map((a) => `${a.name} = false`), ...missing.map((n) => `${n} not set`)].join(', ');
    const lines = missing.map((n) => `${n} = true`);
    if (!ws.has('volume_encryption_key')) lines.push('volume_encryption_key = "alias/aws/workspaces"');
    const edits = [...off.map((a) => replaceAttributeValue(a, 'true')), ...(lines.length ? [insertIntoBlock(ws, lines)] : [])];
    ctx.report({
      at: off[0] ?? ws,
      message: `${ws.address} does not encrypt all its volumes (${names}).`,
      fix: tfFix('Encrypt the root and user volumes', ...edits),
    });
  },
  examples: {
    bad: [
      'resource "aws_workspaces_workspace" "desk" {\n  directory_id = aws_workspaces_directory.corp.id\n  bundle_id    = data.aws_workspaces_bundle.std.id\n  user_name    = "jane"\n}\n',
      'resource "aws_workspaces_workspace" "desk" {\n  user_name                      = "jane"\n  root_volume_encryption_enabled = true\n  user_volume_encryption_enabled = false\n  volume_encryption_key          = aws_kms_key.ws.arn\n}\n',
    ],
    good: [
      'resource "aws_workspaces_workspace" "desk" {\n  user_name                      = "jane"\n  root_volume_encryption_enabled = true\n  user_volume_encryption_enabled = true\n  volume_encryption_key          = aws_kms_key.ws.arn\n}\n',
      'variable "encrypt" {}\nresource "aws_workspaces_workspace" "desk" {\n  user_name                      = "jane"\n  root_volume_encryption_enabled = var.encrypt\n  user_volume_encryption_enabled = var.encrypt\n}\n',
    ],
  },
});

export const rules: Rule[] = [
  esAuditLogging, esNodeToNode, esEnforceHttps, esEncryptAtRest, esTlsPolicy,
  daxEncryption, dynamoPitr, dynamoCmk,
  docdbLogs, docdbEncryption, docdbCmk,
  neptuneLogs, neptuneEncryption, neptuneCmk,
  redshiftEncryption, redshiftCmk, redshiftVpc,
  athenaEncryption, athenaEnforce,
  emrAtRest, emrInTransit, emrLocalDisk,
  kinesisEncryption,
  workspacesEncryption,
];

