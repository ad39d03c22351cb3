import { replaceAttributeValue, tfFix } from '../../engine/fix';
import { kubernetesRule, terraformRule, type Rule, type TerraformContext } from '../../engine/rule';
import type { TextEdit } from '../../engine/types';
import type { Expr } from '../../parse/hcl';
import { WORKLOAD_KINDS } from '../../parse/kubernetes';
import type { TfAttribute, TfBlock, TfResource } from '../../parse/terraform';
import { Encoded, isObject, toStr, type Value } from '../../parse/values';
import { items, mapGet, type YNode } from '../../parse/yaml';

/*
 * Hardcoded secrets: credentials written as literals in Terraform resources and in Kubernetes
 * container environments. A secret is never printed: messages show at most its first four
 * characters (`mask`). Values that are unknown, references, substitutions (`${...}`, `$(...)`)
 * or pointers to a secret store never raise a finding.
 */

/** At most the first four characters of a secret (fewer for short ones), then an ellipsis. */
/**
 * A made-up key for the examples. Assembled at run time so that the bundles do not carry a
 * literal PEM block, which secret scanners (vsce's among them) rightly refuse.
 */
const FAKE_PEM = [['-----BEGIN', 'RSA', 'PRIVATE', 'KEY-----'].join(' '), 'MIIEpAIBAAKCAQEAwJ3s2f0uH9u1q6yT8Xn0cPq1mR2zW3kL9bX4vN5tY6uI7oP8', [['-----END', 'RSA', 'PRIVATE', 'KEY-----'].join(' ')]].join('\n') + '\n';

export function mask(secret: string): string {
  const s = secret.trim();
  return `${s.slice(0, Math.min(4, Math.floor(s.length / 4)))}…`;
}

// ---------------------------------------------------------------- names

/** snake_case of a key: dbPassword, DB-PASSWORD, auth.password -> db_password, auth_password. */
function normalizeName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

// Suffixes that mark a credential. The first group may be glued to a prefix (PGPASSWORD).
const SECRET_SUFFIX = /(password|passwords|passwd|secret|token|apikey)$/;
const SECRET_TOKEN_SUFFIX = /(^|_)(pass|pwd|passphrase|secret_key|secret_key_base|secret_access_key|access_key|api_key|private_key|client_secret|credential|credentials|master_key|encryption_key|signing_key|account_key|shared_key|sas_key|auth_key)$/;
// Names that end like a credential but are not one.
const NOT_SECRET = /(^|_)(creation_token|idempotency_token|client_token|next_token|page_token|continuation_token|sync_token|token_type|bypass|pull_secret|existing_secret|tls_secret|secret_ref|service_account_token)$/;

/** Whether a key or attribute name denotes a credential. */
export function isSecretName(name: string): boolean {
  const n = normalizeName(name).replace(/_?\d+$/, ''); // DB_PASSWORD_2, token1
  if (!n || NOT_SECRET.test(n)) return false;
  return SECRET_SUFFIX.test(n) || SECRET_TOKEN_SUFFIX.test(n);
}

// ---------------------------------------------------------------- values

const BOOLEANISH = /^(true|false|yes|no|on|off|null|nil|none|undefined|enabled|disabled|required|optional)$/i;
const SUBSTITUTION = /\$\{|\{\{|\$\(|^\$[A-Za-z_]|^%\{|^#\{/;
const SECRET_STORE_REF = /^(arn:aws[\w-]*:(secretsmanager|ssm|kms):|\{\{resolve:|projects\/[^/]+\/secrets\/|vault:|ref\+|sm:\/\/|secretsmanager:|gcp:\/\/|azurekeyvault|@Microsoft\.KeyVault\(|keyvault:|op:\/\/)/i;

/** A value that is not a usable secret: empty, masked, a substitution, a path or a secret-store reference. */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim();
  if (v.length < 4) return true;
  if (BOOLEANISH.test(v) || SUBSTITUTION.test(v) || SECRET_STORE_REF.test(v)) return true;
  if (/^<[^>]*>$/.test(v) || /^[*xX•.#_-]+$/.test(v)) return true; // <password>, ********
  if (v.includes('EXAMPLE')) return true; // documentation samples such as AWS's wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
  if (/^(\/|\.\/|~\/|file:\/\/)[\w.\/-]*$/.test(v)) return true; // a path to a mounted secret
  return false;
}

interface PatternHit { label: string; secret: string }

const VALUE_PATTERNS: { label: string; re: RegExp; group: number; skip?: (s: string) => boolean }[] = [
  { label: 'an AWS access key id', re: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b/, group: 1, skip: (s) => s.includes('EXAMPLE') },
  { label: 'a private key', re: /-----BEGIN ((?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----\s*([A-Za-z0-9+/=\r\n:,-]{16,})/, group: 2 },
  { label: 'a GitHub token', re: /\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/, group: 1 },
  { label: 'a GitLab token', re: /\b(glpat-[A-Za-z0-9_-]{20,})\b/, group: 1 },
  { label: 'a Slack token', re: /\b(xox[abposr]-[A-Za-z0-9-]{10,})\b/, group: 1 },
  { label: 'a Google API key', re: /\b(AIza[0-9A-Za-z_-]{35})\b/, group: 1 },
  { label: 'a Stripe live key', re: /\b((?:sk|rk)_live_[0-9A-Za-z]{20,})\b/, group: 1 },
  { label: 'a password in a connection URL', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/'"]+:([^\s@/'"]+)@/i, group: 1, skip: isPlaceholderValue },
  { label: 'a password in a connection string', re: /(?:^|;)\s*(?:password|pwd)\s*=\s*([^;'"\s][^;'"]*)/i, group: 1, skip: isPlaceholderValue },
  { label: 'an Azure storage account key', re: /AccountKey=([A-Za-z0-9+/=]{40,})/, group: 1 },
];

/** A well-known credential format inside a string, whatever the name it is stored under. */
export function findSecretPattern(value: string): PatternHit | undefined {
  for (const p of VALUE_PATTERNS) {
    const m = p.re.exec(value);
    const secret = m?.[p.group];
    if (!m || !secret || p.skip?.(secret)) continue;
    return { label: p.label, secret };
  }
  return undefined;
}

/** Why a named string value is a hardcoded secret, or undefined. */
function judge(name: string, value: string, forceByName = false): PatternHit | undefined {
  const pattern = findSecretPattern(value);
  if (pattern) return pattern;
  if ((forceByName || isSecretName(name)) && !isPlaceholderValue(value)) return { label: 'a hardcoded secret', secret: value };
  return undefined;
}

// ---------------------------------------------------------------- Terraform

/** Scripts handed to instances are judged by the EC2 / Azure / GCE rules. */
const SKIPPED_ATTRS = new Set(['user_data', 'user_data_base64', 'custom_data', 'metadata_startup_script', 'tags', 'tags_all', 'labels', 'description']);

/** Attributes whose value is a secret whatever their name (type -> attribute, with an optional condition). */
const SECRET_VALUE_ATTRS: Record<string, { attr: string; when?: (r: TfResource) => boolean }[]> = {
  aws_ssm_parameter: [{ attr: 'value', when: (r) => toStr(r.get('type')) === 'SecureString' }],
  aws_secretsmanager_secret_version: [{ attr: 'secret_string' }],
  aws_api_gateway_api_key: [{ attr: 'value' }],
  azurerm_key_vault_secret: [{ attr: 'value' }],
  google_secret_manager_secret_version: [{ attr: 'secret_data' }],
  github_actions_secret: [{ attr: 'plaintext_value' }],
  github_actions_organization_secret: [{ attr: 'plaintext_value' }],
  github_actions_environment_secret: [{ attr: 'plaintext_value' }],
  github_dependabot_secret: [{ attr: 'plaintext_value' }],
  github_codespaces_secret: [{ attr: 'plaintext_value' }],
};

/** Resources that take credentials, environment variables or secret data. */
export const SECRET_RESOURCES = [
  // AWS
  'aws_db_instance', 'aws_rds_cluster', 'aws_docdb_cluster', 'aws_neptune_cluster', 'aws_redshift_cluster',
  'aws_redshiftserverless_namespace', 'aws_elasticache_replication_group', 'aws_elasticache_user', 'aws_memorydb_user',
  'aws_mq_broker', 'aws_dms_endpoint', 'aws_glue_connection', 'aws_lambda_function', 'aws_codebuild_project',
  'aws_ecs_task_definition', 'aws_batch_job_definition', 'aws_elasticsearch_domain', 'aws_opensearch_domain',
  'aws_ssm_parameter', 'aws_secretsmanager_secret_version', 'aws_iam_server_certificate', 'aws_acm_certificate',
  'aws_lightsail_database', 'aws_directory_service_directory', 'aws_amplify_app', 'aws_amplify_branch',
  'aws_apprunner_service', 'aws_elastic_beanstalk_environment', 'aws_kinesis_firehose_delivery_stream',
  'aws_datasync_location_smb', 'aws_fsx_windows_file_system', 'aws_cognito_identity_provider',
  'aws_cloudwatch_event_connection', 'aws_codepipeline', 'aws_codepipeline_webhook', 'aws_quicksight_data_source',
  'aws_api_gateway_api_key', 'aws_sagemaker_model', 'aws_emr_cluster', 'aws_msk_scram_secret_association',
  // Azure
  'azurerm_mssql_server', 'azurerm_sql_server', 'azurerm_postgresql_server', 'azurerm_postgresql_flexible_server',
  'azurerm_mysql_server', 'azurerm_mysql_flexible_server', 'azurerm_mariadb_server', 'azurerm_synapse_workspace',
  'azurerm_linux_virtual_machine', 'azurerm_windows_virtual_machine', 'azurerm_linux_virtual_machine_scale_set',
  'azurerm_windows_virtual_machine_scale_set', 'azurerm_virtual_machine', 'azurerm_kubernetes_cluster',
  'azurerm_key_vault_secret', 'azurerm_app_service', 'azurerm_linux_web_app', 'azurerm_windows_web_app',
  'azurerm_function_app', 'azurerm_linux_function_app', 'azurerm_windows_function_app', 'azurerm_container_group',
  'azurerm_container_app',
  // Google
  'google_sql_user', 'google_sql_database_instance', 'google_cloudfunctions_function', 'google_cloudfunctions2_function',
  'google_cloud_run_service', 'google_cloud_run_v2_service', 'google_cloud_run_v2_job', 'google_secret_manager_secret_version',
  'google_container_cluster',
  // Kubernetes and Helm providers
  'kubernetes_secret', 'kubernetes_secret_v1', 'kubernetes_deployment', 'kubernetes_deployment_v1', 'kubernetes_pod',
  'kubernetes_pod_v1', 'kubernetes_stateful_set', 'kubernetes_stateful_set_v1', 'kubernetes_daemonset',
  'kubernetes_daemon_set_v1', 'kubernetes_job', 'kubernetes_job_v1', 'kubernetes_cron_job', 'kubernetes_cron_job_v1',
  'kubernetes_config_map', 'kubernetes_config_map_v1', 'helm_release',
  // Others
  'github_actions_secret', 'github_actions_organization_secret', 'github_actions_environment_secret',
  'github_dependabot_secret', 'github_codespaces_secret', 'mysql_user', 'postgresql_role', 'rabbitmq_user',
  'vault_generic_secret', 'vault_kv_secret_v2', 'datadog_integration_aws', 'grafana_data_source',
];

/** Every attribute of a resource and its (non-dynamic) nested blocks. */
function* allAttributes(block: TfBlock, path: string[] = []): Generator<{ attr: TfAttribute; path: string[]; block: TfBlock }> {
  for (const attr of block.attributes()) yield { attr, path: [...path, attr.name], block };
  for (const child of block.blocks()) {
    if (child.dynamic || child.type === 'lifecycle' || child.type === 'provisioner' || child.type === 'connection') continue;
    yield* allAttributes(child, [...path, child.type]);
  }
}

/** `lifecycle { ignore_changes = [password] }` (or `all`): the real value is set outside Terraform. */
function ignoresChanges(r: TfResource, name: string): boolean {
  const src = r.block('lifecycle')?.attr('ignore_changes')?.source;
  if (!src) return false;
  return new RegExp(`(^|[^\\w.])(${name}|all)\\b`).test(src);
}

function isLiteralExpr(e: Expr): boolean {
  if (e.t === 'lit') return typeof e.value === 'string';
  if (e.t === 'template') return e.parts.every((p) => typeof p === 'string');
  if (e.t === 'tuple') return e.items.length > 0 && e.items.every(isLiteralExpr);
  return false;
}

/** Where a literal secret is written: the attribute itself, a variable default or a local. */
type Origin =
  | { kind: 'literal'; attr: TfAttribute }
  | { kind: 'default'; variable: string; block: TfBlock; attr: TfAttribute }
  | { kind: 'local'; name: string; attr: TfAttribute };

function originOf(attr: TfAttribute, ctx: TerraformContext): Origin | undefined {
  const e = attr.hcl.expr;
  if (isLiteralExpr(e)) return { kind: 'literal', attr };
  if (e.t !== 'traverse' || e.base.t !== 'var' || e.steps.length !== 1) return undefined;
  const step = e.steps[0]!;
  if (!('attr' in step)) return undefined;
  if (e.base.name === 'var') {
    const block = ctx.module.variables.get(step.attr);
    const d = block?.attr('default');
    if (!block || !d || !isLiteralExpr(d.hcl.expr) || JSON.stringify(d.value) !== JSON.stringify(attr.value)) return undefined;
    return { kind: 'default', variable: step.attr, block, attr: d };
  }
  if (e.base.name === 'local') {
    const l = ctx.module.locals.get(step.attr);
    if (!l || !isLiteralExpr(l.hcl.expr)) return undefined;
    return { kind: 'local', name: step.attr, attr: l };
  }
  return undefined;
}

function freeVariableName(ctx: TerraformContext, base: string, fileText: string): string {
  const clean = base.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^[^A-Za-z_]+/, '') || 'secret';
  let name = clean;
  for (let i = 2; ctx.module.variables.has(name) || fileText.includes(`variable "${name}"`); i++) name = `${clean}_${i}`;
  return name;
}

function appendToFile(attr: TfAttribute, lines: string[]): TextEdit {
  const text = attr.file.text;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const lead = text.length === 0 || text.endsWith('\n') ? '' : nl;
  return { file: attr.file.path, start: text.length, end: text.length, newText: `${lead}${nl}${lines.join(nl)}${nl}` };
}

/** Moves a literal into a new sensitive variable; removes a secret variable default. */
function secretFix(origin: Origin, resource: TfResource, ctx: TerraformContext) {
  if (origin.kind === 'default') {
    const f = origin.attr.file;
    const a = origin.attr;
    const lineStart = f.lines.lineStart(a.span.startLine);
    const before = f.text.slice(lineStart, a.span.start);
    const nextLine = a.span.endLine + 1;
    const lineEnd = nextLine < f.lines.lineCount ? f.lines.lineStart(nextLine) : f.text.length;
    const after = f.text.slice(a.span.end, lineEnd);
    const edit: TextEdit = /^\s*$/.test(before) && /^\s*$/.test(after)
      ? { file: f.path, start: lineStart, end: lineEnd, newText: '' }
      : { file: f.path, start: a.span.start, end: a.span.end, newText: '' };
    return tfFix(`Remove the default of variable "${origin.variable}"`, edit);
  }
  const attr = origin.attr;
  const base = origin.kind === 'local' ? origin.name : `${resource.name}_${attr.name}`;
  const name = freeVariableName(ctx, base, attr.file.text);
  const type = attr.hcl.expr.t === 'tuple' ? 'list(string)' : 'string';
  return tfFix(`Move the value to a sensitive variable "${name}"`,
    replaceAttributeValue(attr, `var.${name}`),
    appendToFile(attr, [`variable "${name}" {`, `  type      = ${type}`, '  sensitive = true', '}']));
}

function describeOrigin(origin: Origin): string {
  if (origin.kind === 'default') return ` (the default of variable "${origin.variable}")`;
  if (origin.kind === 'local') return ` (local.${origin.name})`;
  return '';
}

const tfCredential = terraformRule({
  id: 'secrets-terraform-hardcoded-credential',
  title: 'Credential hardcoded in a Terraform resource',
  severity: 'high',
  impact: 'Everyone who can read the repository, its history, CI logs or the plan has the credential; it cannot be rotated without a code change and leaks with every copy of the code.',
  remediation: 'Pass the credential in through a `sensitive` variable without a default (filled from a secret store or CI secret), or let the service manage it (e.g. `manage_master_user_password`, `random_password` plus Secrets Manager).',
  references: [
    'https://developer.hashicorp.com/terraform/tutorials/configuration-language/sensitive-variables',
    'https://cwe.mitre.org/data/definitions/798.html',
  ],
  compliance: ['NIST 800-53 IA-5', 'PCI DSS 8.2.1'],
  equivalents: { kics: ['a88baa34-e2ad-44ea-ad6f-8cac87bc7c71'] },
  fixable: true,
  resources: SECRET_RESOURCES,
  check(r, ctx) {
    const special = SECRET_VALUE_ATTRS[r.resourceType] ?? [];
    for (const { attr, path, block } of allAttributes(r)) {
      if (SKIPPED_ATTRS.has(attr.name)) continue;
      if (attr.name === 'value' && block !== r && block.has('name')) continue; // name/value pairs: next rule
      const v = attr.value;
      const strings = typeof v === 'string' ? [v] : Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
      if (!strings) continue;
      const forced = path.length === 1 && special.some((s) => s.attr === attr.name && (!s.when || s.when(r)));
      let hit: PatternHit | undefined;
      for (const s of strings) if ((hit = judge(attr.name, s, forced))) break;
      if (!hit) continue;
      // Structured values (JSON documents, connection maps) are judged entry by entry by the next rule.
      if (!forced && hit.label === 'a hardcoded secret' && /^\s*[[{]/.test(strings[0]!)) continue;
      if (path.length === 1 && ignoresChanges(r, attr.name)) continue; // a placeholder managed outside Terraform
      const origin = originOf(attr, ctx);
      if (!origin) continue;
      ctx.report({
        at: attr,
        message: `${r.address} sets ${path.join('.')} to ${hit.label} "${mask(hit.secret)}"${describeOrigin(origin)}.`,
        fix: secretFix(origin, r, ctx),
      });
    }
  },
  examples: {
    bad: [
      'resource "aws_db_instance" "main" {\n  engine         = "postgres"\n  instance_class = "db.t3.micro"\n  username       = "app"\n  password       = "Sup3r-S3cret-Passw0rd"\n}\n',
      'variable "admin_password" {\n  type    = string\n  default = "Adm1n-Passw0rd!"\n}\n\nresource "azurerm_mssql_server" "main" {\n  name                         = "example-sql"\n  administrator_login          = "sqladmin"\n  administrator_login_password = var.admin_password\n}\n',
      'locals {\n  broker_password = "br0ker-pa55word-1"\n}\n\nresource "aws_mq_broker" "main" {\n  broker_name = "main"\n  user {\n    username = "app"\n    password = local.broker_password\n  }\n}\n',
      'resource "aws_ssm_parameter" "token" {\n  name  = "/app/token"\n  type  = "SecureString"\n  value = "q8Zt1fXk0pLm2Nv7"\n}\n',
      'resource "aws_iam_server_certificate" "web" {\n  name             = "web"\n  certificate_body = file("cert.pem")\n  private_key      = <<EOF\n' + FAKE_PEM + 'EOF\n}\n',
    ],
    good: [
      'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n\nresource "aws_db_instance" "main" {\n  engine         = "postgres"\n  instance_class = "db.t3.micro"\n  username       = "app"\n  password       = var.db_password\n}\n',
      'resource "aws_db_instance" "main" {\n  engine                      = "postgres"\n  instance_class              = "db.t3.micro"\n  username                    = "app"\n  manage_master_user_password = true\n}\n',
      'resource "aws_db_instance" "main" {\n  engine         = "postgres"\n  instance_class = "db.t3.micro"\n  username       = "app"\n  password       = random_password.db.result\n}\n',
      'resource "aws_ssm_parameter" "token" {\n  name  = "/app/token"\n  type  = "SecureString"\n  value = "set-me-in-the-console"\n  lifecycle {\n    ignore_changes = [value]\n  }\n}\n',
      'resource "aws_ssm_parameter" "endpoint" {\n  name  = "/app/endpoint"\n  type  = "String"\n  value = "https://api.example.com"\n}\n',
      'resource "aws_efs_file_system" "data" {\n  creation_token = "my-product-data"\n}\nresource "aws_mq_broker" "main" {\n  broker_name = "main"\n  user {\n    username = "app"\n    password = "${var.prefix}-suffix"\n  }\n}\n',
    ],
  },
});

interface EntryHit { key: string; hit: PatternHit }

/** Secret entries of a structured value: maps of variables, name/value lists, JSON documents. */
function secretEntries(v: Value | undefined, out: EntryHit[], key = '', depth = 0): void {
  if (v === undefined || depth > 20) return;
  if (v instanceof Encoded) return secretEntries(v.value, out, key, depth + 1);
  if (typeof v === 'string') {
    const t = v.trim();
    if ((t.startsWith('{') || t.startsWith('[')) && t.length > 2) {
      try { return secretEntries(fromJson(JSON.parse(t)), out, key, depth + 1); } catch { /* not JSON */ }
    }
    const hit = key ? judge(key, v) : findSecretPattern(v);
    if (hit) out.push({ key, hit });
    return;
  }
  if (Array.isArray(v)) { for (const x of v) secretEntries(x, out, key, depth + 1); return; }
  if (!isObject(v)) return;
  const name = toStr(v['name'] ?? v['Name']);
  const value = v['value'] ?? v['Value'];
  if (name !== undefined && typeof value === 'string') {
    const hit = judge(name, value);
    if (hit) out.push({ key: name, hit });
  }
  for (const [k, x] of Object.entries(v)) {
    if (name !== undefined && /^(name|value)$/i.test(k)) continue;
    secretEntries(x, out, k, depth + 1);
  }
}

function fromJson(x: unknown): Value {
  if (x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) return x.map(fromJson);
  if (typeof x === 'object') return Object.fromEntries(Object.entries(x as object).map(([k, i]) => [k, fromJson(i)]));
  return null;
}

const tfStructured = terraformRule({
  id: 'secrets-terraform-environment-secret',
  title: 'Secret hardcoded in environment variables or structured settings',
  severity: 'high',
  impact: 'Environment variables, app settings and task definitions are readable by anyone who can describe the resource and are stored in plain text in state and plans; the secret also sits in the repository.',
  remediation: 'Reference the secret from a secret store instead (Secrets Manager / SSM `secrets` in ECS, Key Vault references, `valueFrom`/`secret_key_ref`, CodeBuild `SECRETS_MANAGER` variables) or pass it in through a sensitive variable.',
  references: [
    'https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html',
    'https://cwe.mitre.org/data/definitions/798.html',
  ],
  compliance: ['NIST 800-53 IA-5', 'PCI DSS 8.2.1'],
  equivalents: { kics: ['a88baa34-e2ad-44ea-ad6f-8cac87bc7c71'] },
  resources: SECRET_RESOURCES,
  check(r, ctx) {
    const seen = new Set<string>();
    const report = (attr: TfAttribute, path: string[], e: EntryHit) => {
      const k = `${attr.span.start}|${e.key}|${e.hit.secret}`;
      if (seen.has(k)) return;
      seen.add(k);
      ctx.report({
        at: attr,
        message: `${r.address} sets ${e.key ? `"${e.key}" in ` : ''}${path.join('.')} to ${e.hit.label} "${mask(e.hit.secret)}".`,
      });
    };
    for (const { attr, path, block } of allAttributes(r)) {
      if (SKIPPED_ATTRS.has(attr.name) || ignoresChanges(r, path[0]!)) continue;
      const v = attr.value;
      // name/value blocks: CodeBuild environment_variable, helm set, kubernetes env, beanstalk setting.
      if (attr.name === 'value' && block !== r && block.has('name') && typeof v === 'string') {
        const type = block.get('type');
        if (type !== undefined && toStr(type)?.toUpperCase() !== 'PLAINTEXT' && toStr(type) !== 'string') continue;
        const name = toStr(block.get('name'));
        if (name === undefined) continue;
        const hit = judge(name, v, block.type === 'set_sensitive');
        if (hit) report(attr, path, { key: name, hit });
        continue;
      }
      const entries: EntryHit[] = [];
      if (typeof v === 'string') {
        const t = v.trim();
        if (!(t.startsWith('{') || t.startsWith('['))) continue; // plain strings: previous rule
        secretEntries(v, entries);
      } else if (isObject(v) || Array.isArray(v) || v instanceof Encoded) {
        if (Array.isArray(v) && v.every((x) => typeof x === 'string')) continue; // string lists: previous rule
        secretEntries(v, entries);
      }
      for (const e of entries) report(attr, path, e);
    }
  },
  examples: {
    bad: [
      'resource "aws_lambda_function" "api" {\n  function_name = "api"\n  role          = aws_iam_role.api.arn\n  handler       = "index.handler"\n  runtime       = "nodejs20.x"\n  environment {\n    variables = {\n      STAGE       = "prod"\n      DB_PASSWORD = "pr0d-db-passw0rd"\n    }\n  }\n}\n',
      'resource "aws_ecs_task_definition" "app" {\n  family = "app"\n  container_definitions = jsonencode([{\n    name  = "app"\n    image = "app:1.0"\n    environment = [\n      { name = "API_TOKEN", value = "tkn-9f8e7d6c5b4a" }\n    ]\n  }])\n}\n',
      'resource "aws_codebuild_project" "build" {\n  name         = "build"\n  service_role = aws_iam_role.build.arn\n  environment {\n    compute_type = "BUILD_GENERAL1_SMALL"\n    image        = "aws/codebuild/standard:7.0"\n    type         = "LINUX_CONTAINER"\n    environment_variable {\n      name  = "NPM_TOKEN"\n      value = "npm-token-abcdef123456"\n    }\n  }\n  artifacts {\n    type = "NO_ARTIFACTS"\n  }\n  source {\n    type = "NO_SOURCE"\n  }\n}\n',
      'resource "azurerm_linux_web_app" "web" {\n  name                = "web"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  service_plan_id     = "plan"\n  app_settings = {\n    DATABASE_URL = "postgres://app:hunter22@db.internal:5432/app"\n  }\n  site_config {}\n}\n',
    ],
    good: [
      'resource "aws_lambda_function" "api" {\n  function_name = "api"\n  role          = aws_iam_role.api.arn\n  handler       = "index.handler"\n  runtime       = "nodejs20.x"\n  environment {\n    variables = {\n      STAGE           = "prod"\n      DB_PASSWORD_ARN = aws_secretsmanager_secret.db.arn\n      DB_PASSWORD     = var.db_password\n      API_TOKEN       = "arn:aws:ssm:eu-west-1:123456789012:parameter/api-token"\n    }\n  }\n}\n',
      'resource "aws_codebuild_project" "build" {\n  name         = "build"\n  service_role = aws_iam_role.build.arn\n  environment {\n    compute_type = "BUILD_GENERAL1_SMALL"\n    image        = "aws/codebuild/standard:7.0"\n    type         = "LINUX_CONTAINER"\n    environment_variable {\n      name  = "NPM_TOKEN"\n      value = "/ci/npm-token"\n      type  = "PARAMETER_STORE"\n    }\n  }\n  artifacts {\n    type = "NO_ARTIFACTS"\n  }\n  source {\n    type = "NO_SOURCE"\n  }\n}\n',
      'variable "settings" {}\nresource "azurerm_linux_web_app" "web" {\n  name                = "web"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  service_plan_id     = "plan"\n  app_settings        = var.settings\n  site_config {}\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- Kubernetes

const ARG_SECRET = /^--?[\w.-]*(password|passwd|token|secret|api-?key)[=:](.+)$/i;

const k8sEnv = kubernetesRule({
  id: 'secrets-k8s-env-hardcoded',
  title: 'Secret hardcoded in a container environment or arguments',
  severity: 'high',
  impact: 'Anyone who can read the manifest, the repository or `kubectl get -o yaml` on the workload has the credential; Secrets would at least be access-controlled and encryptable at rest.',
  remediation: 'Store the value in a Secret (or an external secret store) and reference it with `valueFrom.secretKeyRef` or `envFrom.secretRef`.',
  references: [
    'https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables',
    'https://cwe.mitre.org/data/definitions/798.html',
  ],
  compliance: ['NIST 800-53 IA-5', 'PCI DSS 8.2.1'],
  equivalents: { kics: ['a88baa34-e2ad-44ea-ad6f-8cac87bc7c71'] },
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    for (const c of obj.containers) {
      const where = `container "${c.name}" of ${obj.kind} ${obj.name}`;
      for (const e of items(mapGet(c.node, 'env'))) {
        const name = mapGet(e, 'name');
        const value = mapGet(e, 'value');
        if (!name || name.t !== 'scalar' || !value || value.t !== 'scalar' || typeof value.value !== 'string') continue;
        const hit = judge(String(name.value ?? ''), value.value);
        if (!hit) continue;
        ctx.report({ at: value, message: `The ${where} sets ${String(name.value)} to ${hit.label} "${mask(hit.secret)}".` });
      }
      for (const key of ['args', 'command']) {
        for (const a of items(mapGet(c.node, key))) {
          if (a.t !== 'scalar' || typeof a.value !== 'string') continue;
          const hit = argSecret(a.value);
          if (hit) ctx.report({ at: a as YNode, message: `The ${where} passes ${hit.label} "${mask(hit.secret)}" in its ${key}.` });
        }
      }
    }
  },
  examples: {
    bad: [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: { app: api }\n  template:\n    metadata:\n      labels: { app: api }\n    spec:\n      containers:\n        - name: api\n          image: api:1.4\n          env:\n            - name: LOG_LEVEL\n              value: info\n            - name: POSTGRES_PASSWORD\n              value: "s3cr3t-pg-pass"\n',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: worker\nspec:\n  containers:\n    - name: worker\n      image: worker:2\n      args: ["--queue=jobs", "--api-token=tk_8d7f6e5a4b3c2d1e"]\n      env:\n        - name: AWS_ACCESS_KEY_ID\n          value: AKIAZ7Q4XK2M9PLW3RTN\n',
    ],
    good: [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: { app: api }\n  template:\n    metadata:\n      labels: { app: api }\n    spec:\n      containers:\n        - name: api\n          image: api:1.4\n          env:\n            - name: POSTGRES_PASSWORD\n              valueFrom:\n                secretKeyRef: { name: pg, key: password }\n            - name: POSTGRES_PASSWORD_FILE\n              value: /run/secrets/pg\n            - name: API_TOKEN\n              value: $(TOKEN_FROM_INIT)\n            - name: USE_TOKEN\n              value: "true"\n',
    ],
  },
});

function argSecret(arg: string): PatternHit | undefined {
  const p = findSecretPattern(arg);
  if (p) return p;
  const m = ARG_SECRET.exec(arg);
  if (m && m[2] && !isPlaceholderValue(m[2])) return { label: 'a hardcoded secret', secret: m[2] };
  return undefined;
}

export const rules: Rule[] = [tfCredential, tfStructured, k8sEnv];
