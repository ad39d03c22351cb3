import { insertIntoBlock, replaceAttributeValue, setAttribute, setNestedAttribute, tfFix } from '../../engine/fix';
import { terraformRule, type Rule } from '../../engine/rule';
import { parsePolicy } from '../../parse/iam';
import type { TfAttribute, TfBlock } from '../../parse/terraform';
import { Encoded, isObject, toBool, toStr, type Value } from '../../parse/values';

/*
 * Messaging, streaming and containers: SQS, SNS, MSK, Amazon MQ, ECS and CodeBuild.
 */

// ---------------------------------------------------------------- helpers

/** The known string, '' when absent or null; undefined when unknown. */
function strOrEmpty(v: Value | undefined): string | undefined {
  if (v === undefined || v === null) return '';
  return toStr(v);
}

/** A known boolean with `dflt` for an absent/null attribute; undefined when unknown. */
function boolOr(a: TfAttribute | undefined, dflt: boolean): boolean | undefined {
  if (!a || a.value === null) return dflt;
  return toBool(a.value);
}

/** Decodes a JSON document given as a string, a jsonencode() result, an object or a list. */
function jsonDoc(v: Value | undefined): Value | undefined {
  if (v instanceof Encoded) return v.value;
  if (typeof v === 'string') {
    try { return JSON.parse(v) as Value; } catch { return undefined; }
  }
  return isObject(v) || Array.isArray(v) ? v : undefined;
}

// ---------------------------------------------------------------- SQS

const sqsEncryption = terraformRule({
  id: 'aws-sqs-enable-queue-encryption',
  title: 'SQS queue does not configure server-side encryption',
  severity: 'high',
  impact: 'Messages are stored without server-side encryption configured on the queue, so their content is not protected at rest.',
  remediation: 'Set sqs_managed_sse_enabled = true, or kms_master_key_id to a KMS key.',
  references: [
    'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sqs_queue#sqs_managed_sse_enabled',
  ],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0096'], checkov: ['CKV_AWS_27'], kics: ['6e8849c1-3aa7-40e3-9063-b85ee300f29f'] },
  fixable: true,
  resources: ['aws_sqs_queue'],
  check(queue, ctx) {
    const key = strOrEmpty(queue.get('kms_master_key_id'));
    if (key !== '') return;
    const sseAttr = queue.attr('sqs_managed_sse_enabled');
    const sse = boolOr(sseAttr, false);
    if (sse !== false) return;
    ctx.report({
      at: sseAttr ?? queue,
      message: sseAttr
        ? `${queue.address} has sqs_managed_sse_enabled = false and no kms_master_key_id, so messages are not encrypted.`
        : `${queue.address} sets neither kms_master_key_id nor sqs_managed_sse_enabled, so encryption is not configured.`,
      fix: tfFix('Enable SQS-managed encryption', setAttribute(queue, 'sqs_managed_sse_enabled', 'true')),
    });
  },
  examples: {
    bad: [
      'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n',
      'resource "aws_sqs_queue" "jobs" {\n  name                    = "jobs"\n  sqs_managed_sse_enabled = false\n}\n',
    ],
    good: [
      'resource "aws_sqs_queue" "jobs" {\n  name                    = "jobs"\n  sqs_managed_sse_enabled = true\n}\n',
      'resource "aws_sqs_queue" "jobs" {\n  name              = "jobs"\n  kms_master_key_id = aws_kms_key.jobs.arn\n}\n',
      'variable "key" {}\nresource "aws_sqs_queue" "jobs" {\n  name              = "jobs"\n  kms_master_key_id = var.key\n}\n',
    ],
  },
});

const sqsCmk = terraformRule({
  id: 'aws-sqs-queue-encryption-customer-key',
  title: 'SQS queue is encrypted with the AWS managed key instead of a customer-managed key',
  severity: 'high',
  impact: 'With the AWS managed key alias/aws/sqs, access to the messages cannot be restricted or revoked per queue through your own key policy.',
  remediation: 'Set kms_master_key_id to a customer-managed KMS key.',
  references: [
    'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sqs_queue#kms_master_key_id',
  ],
  compliance: ['NIST 800-53 SC-12'],
  equivalents: { trivy: ['AVD-AWS-0135'] },
  resources: ['aws_sqs_queue'],
  check(queue, ctx) {
    const a = queue.attr('kms_master_key_id');
    const key = toStr(a?.value);
    if (!a || key !== 'alias/aws/sqs') return;
    ctx.report({ at: a, message: `${queue.address} uses the AWS managed key "${key}" instead of a customer-managed key.` });
  },
  examples: {
    bad: ['resource "aws_sqs_queue" "jobs" {\n  name              = "jobs"\n  kms_master_key_id = "alias/aws/sqs"\n}\n'],
    good: [
      'resource "aws_sqs_queue" "jobs" {\n  name              = "jobs"\n  kms_master_key_id = aws_kms_key.jobs.arn\n}\n',
      'variable "key" {}\nresource "aws_sqs_queue" "jobs" {\n  name              = "jobs"\n  kms_master_key_id = var.key\n}\n',
    ],
  },
});

function isWildcardAction(a: string): boolean {
  const s = a.trim().toLowerCase();
  return s === '*' || s === 'sqs:*';
}

const sqsPolicyWildcard = terraformRule({
  id: 'aws-sqs-no-wildcard-policy-actions',
  title: 'SQS queue policy allows all actions',
  severity: 'high',
  impact: 'The principals of the statement may not only send and receive messages but also purge or delete the queue and change its policy.',
  remediation: 'List only the SQS actions the principal needs, e.g. "sqs:SendMessage".',
  references: [
    'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-basic-examples-of-sqs-policies.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sqs_queue_policy',
  ],
  compliance: ['NIST 800-53 AC-6'],
  equivalents: { trivy: ['AVD-AWS-0097'], checkov: ['CKV_AWS_72'], kics: ['816ea8cf-d589-442d-a917-2dd0ce0e45e3'] },
  resources: ['aws_sqs_queue_policy', 'aws_sqs_queue'],
  check(res, ctx) {
    const a = res.attr('policy');
    if (!a) return;
    const doc = parsePolicy(a.value);
    if (!doc) return;
    for (const s of doc.statements) {
      if (s.effect !== 'Allow') continue;
      const bad = s.actions.find(isWildcardAction);
      if (!bad) continue;
      ctx.report({ at: a, message: `${res.address} has a policy statement that allows the action "${bad}" on the queue.` });
      return;
    }
  },
  examples: {
    bad: [
      'resource "aws_sqs_queue_policy" "jobs" {\n  queue_url = aws_sqs_queue.jobs.id\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = { AWS = "arn:aws:iam::111122223333:root" }\n      Action    = "sqs:*"\n      Resource  = aws_sqs_queue.jobs.arn\n    }]\n  })\n}\n',
      'data "aws_iam_policy_document" "jobs" {\n  statement {\n    actions   = ["*"]\n    resources = ["*"]\n    principals {\n      type        = "AWS"\n      identifiers = ["arn:aws:iam::111122223333:root"]\n    }\n  }\n}\nresource "aws_sqs_queue" "jobs" {\n  name   = "jobs"\n  policy = data.aws_iam_policy_document.jobs.json\n}\n',
    ],
    good: [
      'resource "aws_sqs_queue_policy" "jobs" {\n  queue_url = aws_sqs_queue.jobs.id\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = { Service = "sns.amazonaws.com" }\n      Action    = ["sqs:SendMessage"]\n      Resource  = aws_sqs_queue.jobs.arn\n    }]\n  })\n}\n',
      'resource "aws_sqs_queue_policy" "jobs" {\n  queue_url = aws_sqs_queue.jobs.id\n  policy = jsonencode({\n    Statement = [{\n      Effect    = "Deny"\n      Principal = "*"\n      Action    = "sqs:*"\n      Condition = { Bool = { "aws:SecureTransport" = "false" } }\n    }]\n  })\n}\n',
      'variable "actions" {}\nresource "aws_sqs_queue_policy" "jobs" {\n  queue_url = aws_sqs_queue.jobs.id\n  policy = jsonencode({\n    Statement = [{ Effect = "Allow", Principal = "*", Action = var.actions }]\n  })\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- SNS

const snsEncryption = terraformRule({
  id: 'aws-sns-enable-topic-encryption',
  title: 'SNS topic is not encrypted',
  severity: 'high',
  impact: 'Messages published to the topic are stored without server-side encryption while they wait for delivery.',
  remediation: 'Set kms_master_key_id to a KMS key (preferably customer-managed).',
  references: [
    'https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sns_topic#kms_master_key_id',
  ],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0095'], checkov: ['CKV_AWS_26'], kics: ['28545147-2fc6-42d5-a1f9-cf226658e591'] },
  resources: ['aws_sns_topic'],
  check(topic, ctx) {
    const a = topic.attr('kms_master_key_id');
    if (strOrEmpty(a?.value) !== '') return;
    ctx.report({
      at: a ?? topic,
      message: `${topic.address} does not set kms_master_key_id, so the topic is not encrypted at rest.`,
    });
  },
  examples: {
    bad: [
      'resource "aws_sns_topic" "alerts" {\n  name = "alerts"\n}\n',
      'resource "aws_sns_topic" "alerts" {\n  name              = "alerts"\n  kms_master_key_id = ""\n}\n',
    ],
    good: [
      'resource "aws_sns_topic" "alerts" {\n  name              = "alerts"\n  kms_master_key_id = aws_kms_key.alerts.id\n}\n',
      'variable "key" {}\nresource "aws_sns_topic" "alerts" {\n  name              = "alerts"\n  kms_master_key_id = var.key\n}\n',
    ],
  },
});

const snsCmk = terraformRule({
  id: 'aws-sns-topic-encryption-customer-key',
  title: 'SNS topic is encrypted with the AWS managed key instead of a customer-managed key',
  severity: 'high',
  impact: 'With the AWS managed key alias/aws/sns, access to the messages cannot be restricted or revoked through your own key policy, and publishers from other accounts or services cannot be granted use of the key.',
  remediation: 'Set kms_master_key_id to a customer-managed KMS key.',
  references: [
    'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sns_topic#kms_master_key_id',
  ],
  compliance: ['NIST 800-53 SC-12'],
  equivalents: { trivy: ['AVD-AWS-0136'], kics: ['b1a72f66-2236-4f3b-87ba-0da1b366956f'] },
  resources: ['aws_sns_topic'],
  check(topic, ctx) {
    const a = topic.attr('kms_master_key_id');
    const key = toStr(a?.value);
    if (!a || key !== 'alias/aws/sns') return;
    ctx.report({ at: a, message: `${topic.address} uses the AWS managed key "${key}" instead of a customer-managed key.` });
  },
  examples: {
    bad: ['resource "aws_sns_topic" "alerts" {\n  name              = "alerts"\n  kms_master_key_id = "alias/aws/sns"\n}\n'],
    good: [
      'resource "aws_sns_topic" "alerts" {\n  name              = "alerts"\n  kms_master_key_id = aws_kms_key.alerts.arn\n}\n',
      'variable "key" {}\nresource "aws_sns_topic" "alerts" {\n  name              = "alerts"\n  kms_master_key_id = var.key\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- MSK

const PLAINTEXT_CLIENT = new Set(['PLAINTEXT', 'TLS_PLAINTEXT']);

const mskInTransit = terraformRule({
  id: 'aws-msk-enable-in-transit-encryption',
  title: 'MSK cluster allows unencrypted traffic',
  severity: 'high',
  impact: 'Kafka records and credentials sent in plaintext between clients and brokers (or between brokers) can be read or altered by anyone able to observe the network.',
  remediation: 'Set encryption_info.encryption_in_transit.client_broker = "TLS" and in_cluster = true.',
  references: [
    'https://docs.aws.amazon.com/msk/latest/developerguide/msk-encryption.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/msk_cluster#encryption_in_transit',
  ],
  compliance: ['NIST 800-53 SC-8'],
  equivalents: { trivy: ['AVD-AWS-0073'] },
  fixable: true,
  resources: ['aws_msk_cluster'],
  check(cluster, ctx) {
    for (const info of cluster.blocks('encryption_info')) {
      for (const tr of info.blocks('encryption_in_transit')) {
        const cb = tr.attr('client_broker');
        const mode = toStr(cb?.value);
        if (cb && mode !== undefined && PLAINTEXT_CLIENT.has(mode.toUpperCase())) {
          ctx.report({
            at: cb,
            message: `${cluster.address} has client_broker = "${mode}", which lets clients connect without TLS.`,
            fix: tfFix('Set client_broker = "TLS"', replaceAttributeValue(cb, '"TLS"')),
          });
        }
        const ic = tr.attr('in_cluster');
        if (ic && toBool(ic.value) === false) {
          ctx.report({
            at: ic,
            message: `${cluster.address} has in_cluster = false, so brokers talk to each other in plaintext.`,
            fix: tfFix('Set in_cluster = true', replaceAttributeValue(ic, 'true')),
          });
        }
      }
    }
  },
  examples: {
    bad: [
      'resource "aws_msk_cluster" "kafka" {\n  cluster_name = "kafka"\n  encryption_info {\n    encryption_in_transit {\n      client_broker = "PLAINTEXT"\n    }\n  }\n}\n',
      'resource "aws_msk_cluster" "kafka" {\n  cluster_name = "kafka"\n  encryption_info {\n    encryption_in_transit {\n      client_broker = "TLS_PLAINTEXT"\n      in_cluster    = false\n    }\n  }\n}\n',
    ],
    good: [
      'resource "aws_msk_cluster" "kafka" {\n  cluster_name = "kafka"\n  encryption_info {\n    encryption_in_transit {\n      client_broker = "TLS"\n      in_cluster    = true\n    }\n  }\n}\n',
      'resource "aws_msk_cluster" "kafka" {\n  cluster_name = "kafka"\n}\n',
      'variable "client_broker" {}\nresource "aws_msk_cluster" "kafka" {\n  cluster_name = "kafka"\n  encryption_info {\n    encryption_in_transit {\n      client_broker = var.client_broker\n    }\n  }\n}\n',
    ],
  },
});

const mskLogging = terraformRule({
  id: 'aws-msk-enable-logging',
  title: 'MSK cluster does not ship broker logs anywhere',
  severity: 'medium',
  impact: 'Broker logs (authentication failures, errors, client activity) are not kept, so misuse or an intrusion cannot be detected or investigated.',
  remediation: 'Add logging_info.broker_logs with cloudwatch_logs, firehose or s3 enabled = true.',
  references: [
    'https://docs.aws.amazon.com/msk/latest/developerguide/msk-logging.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/msk_cluster#logging_info',
  ],
  compliance: ['NIST 800-53 AU-2', 'NIST 800-53 AU-12'],
  equivalents: { trivy: ['AVD-AWS-0074'], checkov: ['CKV_AWS_80'], kics: ['2f56b7ab-7fba-4e93-82f0-247e5ddeb239'] },
  resources: ['aws_msk_cluster'],
  check(cluster, ctx) {
    if (cluster.has('logging_info')) return;
    const li = cluster.block('logging_info');
    let unknown = false;
    for (const bl of li?.blocks('broker_logs') ?? []) {
      if (bl.dynamic) unknown = true;
      for (const dest of ['cloudwatch_logs', 'firehose', 's3']) {
        for (const d of bl.blocks(dest)) {
          const en = boolOr(d.attr('enabled'), false);
          if (en === true && !d.dynamic) return;
          if (en === undefined || d.dynamic) unknown = true;
        }
      }
    }
    if (unknown || li?.dynamic) return;
    ctx.report({
      at: li ?? cluster,
      message: li
        ? `${cluster.address} has logging_info but no broker log destination (cloudwatch_logs, firehose, s3) is enabled.`
        : `${cluster.address} has no logging_info, so broker logs are not shipped anywhere.`,
    });
  },
  examples: {
    bad: [
      'resource "aws_msk_cluster" "kafka" {\n  cluster_name  = "kafka"\n  kafka_version = "3.6.0"\n}\n',
      'resource "aws_msk_cluster" "kafka" {\n  cluster_name = "kafka"\n  logging_info {\n    broker_logs {\n      s3 {\n        enabled = false\n        bucket  = aws_s3_bucket.logs.id\n      }\n    }\n  }\n}\n',
    ],
    good: [
      'resource "aws_msk_cluster" "kafka" {\n  cluster_name = "kafka"\n  logging_info {\n    broker_logs {\n      cloudwatch_logs {\n        enabled   = true\n        log_group = aws_cloudwatch_log_group.kafka.name\n      }\n    }\n  }\n}\n',
      'variable "log" {}\nresource "aws_msk_cluster" "kafka" {\n  cluster_name = "kafka"\n  logging_info {\n    broker_logs {\n      s3 {\n        enabled = var.log\n        bucket  = "kafka-logs"\n      }\n    }\n  }\n}\n',
    ],
  },
});

const mskAtRestCmk = terraformRule({
  id: 'aws-msk-at-rest-customer-key',
  title: 'MSK cluster does not encrypt data at rest with a customer-managed KMS key',
  severity: 'high',
  impact: 'Without encryption_at_rest_kms_key_arn the brokers\' storage is encrypted only with the AWS managed key, whose use you cannot restrict, audit or revoke with your own key policy.',
  remediation: 'Set encryption_info.encryption_at_rest_kms_key_arn to a customer-managed KMS key ARN.',
  references: [
    'https://docs.aws.amazon.com/msk/latest/developerguide/msk-encryption.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/msk_cluster#encryption_at_rest_kms_key_arn',
  ],
  compliance: ['NIST 800-53 SC-28', 'NIST 800-53 SC-12'],
  equivalents: { trivy: ['AVD-AWS-0179'] },
  resources: ['aws_msk_cluster'],
  check(cluster, ctx) {
    if (cluster.has('encryption_info')) return;
    const info = cluster.block('encryption_info');
    if (info?.dynamic) return;
    const a = info?.attr('encryption_at_rest_kms_key_arn');
    if (strOrEmpty(a?.value) !== '') return;
    ctx.report({
      at: a ?? info ?? cluster,
      message: `${cluster.address} does not set encryption_info.encryption_at_rest_kms_key_arn, so data at rest is not encrypted with a customer-managed key.`,
    });
  },
  examples: {
    bad: [
      'resource "aws_msk_cluster" "kafka" {\n  cluster_name = "kafka"\n}\n',
      'resource "aws_msk_cluster" "kafka" {\n  cluster_name = "kafka"\n  encryption_info {\n    encryption_in_transit {\n      client_broker = "TLS"\n    }\n  }\n}\n',
    ],
    good: [
      'resource "aws_msk_cluster" "kafka" {\n  cluster_name = "kafka"\n  encryption_info {\n    encryption_at_rest_kms_key_arn = aws_kms_key.kafka.arn\n  }\n}\n',
      'variable "key" {}\nresource "aws_msk_cluster" "kafka" {\n  cluster_name = "kafka"\n  encryption_info {\n    encryption_at_rest_kms_key_arn = var.key\n  }\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- Amazon MQ

function mqLogsRule(o: { id: string; what: 'audit' | 'general'; title: string; severity: 'medium' | 'low'; impact: string; trivy: string; checkov: string }): Rule {
  return terraformRule({
    id: o.id,
    title: o.title,
    severity: o.severity,
    impact: o.impact,
    remediation: `Set logs { ${o.what} = true } on the broker.`,
    references: [
      'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/security-logging-monitoring.html',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/mq_broker#logs',
    ],
    compliance: ['NIST 800-53 AU-2', 'NIST 800-53 AU-12'],
    equivalents: { trivy: [o.trivy], checkov: [o.checkov] },
    fixable: true,
    resources: ['aws_mq_broker'],
    check(broker, ctx) {
      if (o.what === 'audit') {
        // Audit logs exist only for ActiveMQ; RabbitMQ brokers reject the setting.
        const engine = toStr(broker.get('engine_type'));
        if (engine === undefined || engine.toLowerCase() !== 'activemq') return;
      }
      if (broker.has('logs')) return;
      const logs = broker.block('logs');
      if (logs?.dynamic) return;
      const a = logs?.attr(o.what);
      const on = boolOr(a, false);
      if (on !== false) return;
      ctx.report({
        at: a ?? logs ?? broker,
        message: a
          ? `${broker.address} has logs.${o.what} = false.`
          : `${broker.address} does not enable ${o.what} logging (logs.${o.what} defaults to false).`,
        fix: tfFix(`Enable ${o.what} logging`, setNestedAttribute(broker, ['logs'], o.what, 'true')),
      });
    },
    examples: {
      bad: [
        'resource "aws_mq_broker" "bus" {\n  broker_name        = "bus"\n  engine_type        = "ActiveMQ"\n  engine_version     = "5.17.6"\n  host_instance_type = "mq.t3.micro"\n}\n',
        `resource "aws_mq_broker" "bus" {\n  broker_name = "bus"\n  engine_type = "ActiveMQ"\n  logs {\n    ${o.what} = false\n  }\n}\n`,
      ],
      good: [
        'resource "aws_mq_broker" "bus" {\n  broker_name = "bus"\n  engine_type = "ActiveMQ"\n  logs {\n    audit   = true\n    general = true\n  }\n}\n',
        `variable "log" {}\nresource "aws_mq_broker" "bus" {\n  broker_name = "bus"\n  engine_type = "ActiveMQ"\n  logs {\n    ${o.what} = var.log\n  }\n}\n`,
      ],
    },
  });
}

const mqAudit = mqLogsRule({
  id: 'aws-mq-enable-audit-logging',
  what: 'audit',
  title: 'Amazon MQ (ActiveMQ) broker does not publish audit logs',
  severity: 'medium',
  impact: 'Management actions on the broker (users, queues, configuration changes through the console or JMX) are not recorded, so tampering goes unnoticed.',
  trivy: 'AVD-AWS-0070',
  checkov: 'CKV_AWS_197',
});

const mqGeneral = mqLogsRule({
  id: 'aws-mq-enable-general-logging',
  what: 'general',
  title: 'Amazon MQ broker does not publish general logs',
  severity: 'low',
  impact: 'Broker activity such as connections, errors and configuration problems is not recorded in CloudWatch, hampering detection and investigation.',
  trivy: 'AVD-AWS-0071',
  checkov: 'CKV_AWS_48',
});

const mqPublic = terraformRule({
  id: 'aws-mq-no-public-access',
  title: 'Amazon MQ broker is publicly accessible',
  severity: 'high',
  impact: 'The broker endpoints are reachable from the internet, exposing the message protocols and the web console to credential guessing and exploits.',
  remediation: 'Set publicly_accessible = false and reach the broker from inside the VPC.',
  references: [
    'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/using-amazon-mq-securely.html#prefer-brokers-without-public-accessibility',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/mq_broker#publicly_accessible',
  ],
  compliance: ['NIST 800-53 AC-3', 'NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AWS-0072'], checkov: ['CKV_AWS_69'], kics: ['4eb5f791-c861-4afd-9f94-f2a6a3fe49cb'] },
  fixable: true,
  resources: ['aws_mq_broker'],
  check(broker, ctx) {
    const a = broker.attr('publicly_accessible');
    if (!a || toBool(a.value) !== true) return;
    ctx.report({
      at: a,
      message: `${broker.address} has publicly_accessible = true.`,
      fix: tfFix('Set publicly_accessible = false', replaceAttributeValue(a, 'false')),
    });
  },
  examples: {
    bad: ['resource "aws_mq_broker" "bus" {\n  broker_name         = "bus"\n  engine_type         = "RabbitMQ"\n  publicly_accessible = true\n}\n'],
    good: [
      'resource "aws_mq_broker" "bus" {\n  broker_name = "bus"\n  engine_type = "RabbitMQ"\n}\n',
      'variable "public" {}\nresource "aws_mq_broker" "bus" {\n  broker_name         = "bus"\n  engine_type         = "RabbitMQ"\n  publicly_accessible = var.public\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- ECS

const INSIGHTS_ON = new Set(['enabled', 'enhanced']);

const ecsContainerInsights = terraformRule({
  id: 'aws-ecs-enable-container-insights',
  title: 'ECS cluster does not have Container Insights enabled',
  severity: 'low',
  impact: 'Without Container Insights, task and container level metrics and events are not collected, so abnormal behaviour such as crypto-mining or crash loops is hard to spot.',
  remediation: 'Add setting { name = "containerInsights", value = "enabled" } to the cluster.',
  references: [
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_cluster#setting',
  ],
  compliance: ['NIST 800-53 SI-4'],
  equivalents: { trivy: ['AVD-AWS-0034'], checkov: ['CKV_AWS_65'], kics: ['97cb0688-369a-4d26-b1f7-86c4c91231bc'] },
  fixable: true,
  resources: ['aws_ecs_cluster'],
  check(cluster, ctx) {
    if (cluster.has('setting')) return;
    let target: TfBlock | undefined;
    for (const s of cluster.blocks('setting')) {
      const name = toStr(s.get('name'));
      if (name === undefined || s.dynamic) return;
      if (name !== 'containerInsights') continue;
      const value = toStr(s.get('value'));
      if (value === undefined || INSIGHTS_ON.has(value.toLowerCase())) return;
      target = s;
    }
    // An account-wide default set in the same configuration also turns it on for new clusters.
    for (const m of cluster.module.allModules()) {
      for (const d of m.resourcesOfType('aws_ecs_account_setting_default')) {
        if (toStr(d.get('name')) !== 'containerInsights') continue;
        const v = toStr(d.get('value'));
        if (v === undefined || INSIGHTS_ON.has(v.toLowerCase())) return;
      }
    }
    const va = target?.attr('value');
    ctx.report({
      at: va ?? cluster,
      message: target
        ? `${cluster.address} sets containerInsights to "${toStr(va?.value) ?? ''}".`
        : `${cluster.address} has no containerInsights setting (Container Insights is off by default).`,
      fix: va
        ? tfFix('Enable Container Insights', replaceAttributeValue(va, '"enabled"'))
        : target
          ? tfFix('Enable Container Insights', setAttribute(target, 'value', '"enabled"'))
          : tfFix('Enable Container Insights', insertIntoBlock(cluster, ['setting {', '  name  = "containerInsights"', '  value = "enabled"', '}'])),
    });
  },
  examples: {
    bad: [
      'resource "aws_ecs_cluster" "apps" {\n  name = "apps"\n}\n',
      'resource "aws_ecs_cluster" "apps" {\n  name = "apps"\n  setting {\n    name  = "containerInsights"\n    value = "disabled"\n  }\n}\n',
    ],
    good: [
      'resource "aws_ecs_cluster" "apps" {\n  name = "apps"\n  setting {\n    name  = "containerInsights"\n    value = "enabled"\n  }\n}\n',
      'resource "aws_ecs_account_setting_default" "insights" {\n  name  = "containerInsights"\n  value = "enabled"\n}\nresource "aws_ecs_cluster" "apps" {\n  name = "apps"\n}\n',
      'variable "insights" {}\nresource "aws_ecs_cluster" "apps" {\n  name = "apps"\n  setting {\n    name  = "containerInsights"\n    value = var.insights\n  }\n}\n',
    ],
  },
});

const ecsEfsTransit = terraformRule({
  id: 'aws-ecs-enable-efs-in-transit-encryption',
  title: 'ECS task definition mounts an EFS volume without in-transit encryption',
  severity: 'high',
  impact: 'File data exchanged between the task and EFS travels unencrypted over the network and can be read or altered in transit.',
  remediation: 'Set transit_encryption = "ENABLED" in every efs_volume_configuration.',
  references: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_task_definition#transit_encryption',
  ],
  compliance: ['NIST 800-53 SC-8'],
  equivalents: { trivy: ['AVD-AWS-0035'], checkov: ['CKV_AWS_97'], kics: ['4d46ff3b-7160-41d1-a310-71d6d370b08f'] },
  fixable: true,
  resources: ['aws_ecs_task_definition'],
  check(task, ctx) {
    for (const vol of task.blocks('volume')) {
      for (const efs of vol.blocks('efs_volume_configuration')) {
        if (efs.dynamic) continue;
        const a = efs.attr('transit_encryption');
        const v = strOrEmpty(a?.value);
        if (v === undefined || v.toUpperCase() === 'ENABLED') continue;
        const volName = toStr(vol.get('name')) ?? '?';
        ctx.report({
          at: a ?? efs,
          message: a
            ? `${task.address} mounts EFS volume "${volName}" with transit_encryption = "${v}".`
            : `${task.address} mounts EFS volume "${volName}" without transit_encryption (defaults to DISABLED).`,
          fix: tfFix('Set transit_encryption = "ENABLED"', setAttribute(efs, 'transit_encryption', '"ENABLED"')),
        });
      }
    }
  },
  examples: {
    bad: [
      'resource "aws_ecs_task_definition" "app" {\n  family                = "app"\n  container_definitions = file("containers.json")\n  volume {\n    name = "data"\n    efs_volume_configuration {\n      file_system_id = aws_efs_file_system.data.id\n    }\n  }\n}\n',
      'resource "aws_ecs_task_definition" "app" {\n  family = "app"\n  volume {\n    name = "data"\n    efs_volume_configuration {\n      file_system_id     = aws_efs_file_system.data.id\n      transit_encryption = "DISABLED"\n    }\n  }\n}\n',
    ],
    good: [
      'resource "aws_ecs_task_definition" "app" {\n  family = "app"\n  volume {\n    name = "data"\n    efs_volume_configuration {\n      file_system_id     = aws_efs_file_system.data.id\n      transit_encryption = "ENABLED"\n    }\n  }\n  volume {\n    name      = "scratch"\n    host_path = "/tmp/scratch"\n  }\n}\n',
      'variable "transit" {}\nresource "aws_ecs_task_definition" "app" {\n  family = "app"\n  volume {\n    name = "data"\n    efs_volume_configuration {\n      file_system_id     = aws_efs_file_system.data.id\n      transit_encryption = var.transit\n    }\n  }\n}\n',
    ],
  },
});

const SENSITIVE_TOKENS = ['password', 'secret', 'private_key', 'aws_access_key_id', 'aws_secret_access_key', 'token', 'api_key'];
const NAME_WHITELIST = ['token_type', 'version'];

function isSensitiveEnvName(name: string): boolean {
  const n = name.toLowerCase();
  if (SENSITIVE_TOKENS.includes(n)) return true;
  if (NAME_WHITELIST.some((w) => n.startsWith(w))) return false;
  return SENSITIVE_TOKENS.some((t) => n.includes(t));
}

const AWS_KEY_VALUE = /^(AKIA|ASIA)[0-9A-Z]{16}$/;

const ecsPlaintextSecrets = terraformRule({
  id: 'aws-ecs-no-plaintext-secrets',
  title: 'ECS task definition puts secrets in plaintext environment variables',
  severity: 'critical',
  impact: 'The secret is stored in clear text in the task definition: anyone who can describe task definitions, read the Terraform state or the repository obtains it.',
  remediation: 'Move the value to Secrets Manager or SSM Parameter Store and reference it from the container\'s "secrets" list.',
  references: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_task_definition#container_definitions',
  ],
  compliance: ['NIST 800-53 IA-5', 'NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0036'], kics: ['d40210ea-64b9-4cce-a4fb-e8604f3c062c'] },
  resources: ['aws_ecs_task_definition'],
  check(task, ctx) {
    const a = task.attr('container_definitions');
    const doc = jsonDoc(a?.value);
    if (!a || !Array.isArray(doc)) return;
    for (const c of doc) {
      if (!isObject(c)) continue;
      const env = c['environment'];
      if (!Array.isArray(env)) continue;
      const container = toStr(c['name']) ?? '?';
      for (const e of env) {
        if (!isObject(e)) continue;
        const name = toStr(e['name']);
        const value = toStr(e['value']);
        const byName = name !== undefined && isSensitiveEnvName(name);
        const byValue = value !== undefined && AWS_KEY_VALUE.test(value.trim());
        if (!byName && !byValue) continue;
        ctx.report({
          at: a,
          message: byName
            ? `${task.address} sets the sensitive environment variable "${name}" of container "${container}" in plaintext.`
            : `${task.address} sets an AWS access key in plaintext in environment variable "${name ?? '?'}" of container "${container}".`,
        });
      }
    }
  },
  examples: {
    bad: [
      'resource "aws_ecs_task_definition" "app" {\n  family = "app"\n  container_definitions = jsonencode([{\n    name  = "web"\n    image = "nginx:1.27"\n    environment = [\n      { name = "LOG_LEVEL", value = "info" },\n      { name = "DB_PASSWORD", value = "hunter2" },\n    ]\n  }])\n}\n',
      'resource "aws_ecs_task_definition" "app" {\n  family                = "app"\n  container_definitions = <<EOF\n[\n  {\n    "name": "worker",\n    "environment": [{ "name": "GITHUB_TOKEN", "value": "ghp_example" }]\n  }\n]\nEOF\n}\n',
    ],
    good: [
      'resource "aws_ecs_task_definition" "app" {\n  family = "app"\n  container_definitions = jsonencode([{\n    name        = "web"\n    image       = "nginx:1.27"\n    environment = [{ name = "LOG_LEVEL", value = "info" }, { name = "TOKEN_TYPE", value = "bearer" }]\n    secrets     = [{ name = "DB_PASSWORD", valueFrom = aws_secretsmanager_secret.db.arn }]\n  }])\n}\n',
      'variable "containers" {}\nresource "aws_ecs_task_definition" "app" {\n  family                = "app"\n  container_definitions = var.containers\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- CodeBuild

const codebuildArtifactEncryption = terraformRule({
  id: 'aws-codebuild-enable-artifact-encryption',
  title: 'CodeBuild project disables encryption of its build artifacts',
  severity: 'high',
  impact: 'Build outputs (packages, binaries, possibly embedded configuration) are written to S3 unencrypted and readable by anyone with access to the bucket storage.',
  remediation: 'Remove encryption_disabled or set it to false in artifacts and secondary_artifacts.',
  references: [
    'https://docs.aws.amazon.com/codebuild/latest/userguide/security-encryption.html',
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/codebuild_project#encryption_disabled',
  ],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0018'], checkov: ['CKV_AWS_78'] },
  fixable: true,
  resources: ['aws_codebuild_project'],
  check(project, ctx) {
    for (const kind of ['artifacts', 'secondary_artifacts']) {
      for (const b of project.blocks(kind)) {
        const a = b.attr('encryption_disabled');
        if (!a || toBool(a.value) !== true) continue;
        const ident = kind === 'secondary_artifacts' ? ` "${toStr(b.get('artifact_identifier')) ?? '?'}"` : '';
        ctx.report({
          at: a,
          message: `${project.address} sets encryption_disabled = true in ${kind}${ident}.`,
          fix: tfFix('Set encryption_disabled = false', replaceAttributeValue(a, 'false')),
        });
      }
    }
  },
  examples: {
    bad: [
      'resource "aws_codebuild_project" "build" {\n  name = "build"\n  artifacts {\n    type                = "S3"\n    location            = aws_s3_bucket.artifacts.bucket\n    encryption_disabled = true\n  }\n}\n',
      'resource "aws_codebuild_project" "build" {\n  name = "build"\n  artifacts {\n    type = "NO_ARTIFACTS"\n  }\n  secondary_artifacts {\n    type                = "S3"\n    artifact_identifier = "reports"\n    encryption_disabled = true\n  }\n}\n',
    ],
    good: [
      'resource "aws_codebuild_project" "build" {\n  name = "build"\n  artifacts {\n    type     = "S3"\n    location = aws_s3_bucket.artifacts.bucket\n  }\n}\n',
      'variable "disable" {}\nresource "aws_codebuild_project" "build" {\n  name = "build"\n  artifacts {\n    type                = "S3"\n    encryption_disabled = var.disable\n  }\n}\n',
    ],
  },
});

export const rules: Rule[] = [
  sqsEncryption, sqsCmk, sqsPolicyWildcard,
  snsEncryption, snsCmk,
  mskInTransit, mskLogging, mskAtRestCmk,
  mqAudit, mqGeneral, mqPublic,
  ecsContainerInsights, ecsEfsTransit, ecsPlaintextSecrets,
  codebuildArtifactEncryption,
];
