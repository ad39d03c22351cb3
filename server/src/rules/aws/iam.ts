import { setAttribute, tfFix } from '../../engine/fix';
import { mask } from '../common/secrets';
import { terraformRule, type Rule } from '../../engine/rule';
import { parsePolicy, policyFromDocumentBlock, type PolicyStatement } from '../../parse/iam';
import type { TfAttribute, TfBlock, TfModule, TfResource } from '../../parse/terraform';
import { Encoded, Ref, UNKNOWN, isObject, toBool, toList, toNum, toStr, type Value } from '../../parse/values';

/*
 * IAM: identity policies (wildcards, administrator access, S3 full access), the account password
 * policy, MFA enforcement for groups, root access keys and policies attached to users.
 */

// ---------------------------------------------------------------- policy helpers

/** Identity-policy resources and where their documents live. */
const POLICY_RESOURCES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy', 'aws_iam_role', 'aws_ssoadmin_permission_set_inline_policy'];
/** The attribute holding the document of a policy resource (aws_iam_role: in inline_policy blocks). */
const policyAttrName = (type: string) => (type === 'aws_ssoadmin_permission_set_inline_policy' ? 'inline_policy' : 'policy');
const ATTACHMENT_RESOURCES = ['aws_iam_role_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment', 'aws_iam_policy_attachment'];
const DOC = 'data.aws_iam_policy_document';

interface Stmt extends PolicyStatement {
  sid: string | undefined;
  /** Condition keys (lower-case), as far as known. */
  conditionKeys: string[];
}

interface Statements {
  statements: Stmt[];
  /** Some statement could not be read at all (an unknown element of the Statement list). */
  incomplete: boolean;
}

interface Policy extends Statements {
  /** Where findings point. */
  at: TfAttribute | TfBlock;
}

const DOC_REF = /^\s*data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\s*$/;

function conditionKeysOf(raw: Value | undefined): string[] {
  if (!isObject(raw)) return [];
  const keys: string[] = [];
  for (const op of Object.values(raw)) if (isObject(op)) keys.push(...Object.keys(op).map((k) => k.toLowerCase()));
  return keys;
}

/** Reads a policy value (JSON string, jsonencode result or rendered document) into statements. */
function readStatements(v: Value | undefined): Statements | undefined {
  let doc: Value | undefined = v;
  if (v instanceof Encoded) doc = v.value;
  else if (typeof v === 'string') {
    if (!parsePolicy(v)) return undefined;
    try { doc = JSON.parse(v) as Value; } catch { return undefined; }
  }
  if (!isObject(doc)) return undefined;
  let list = doc['Statement'];
  if (list === undefined) return { statements: [], incomplete: false }; // e.g. source_json = { "Id": "base" }
  if (isObject(list)) list = [list];
  if (!Array.isArray(list)) return undefined;
  let incomplete = false;
  const statements: Stmt[] = [];
  for (const raw of list) {
    if (!isObject(raw)) { incomplete = true; continue; }
    const parsed = parsePolicy({ Statement: [raw] })?.statements[0];
    if (!parsed) { incomplete = true; continue; }
    statements.push({ ...parsed, sid: toStr(raw['Sid']), conditionKeys: conditionKeysOf(raw['Condition']) });
  }
  return { statements, incomplete };
}

/** The documents listed by source_policy_documents / override_policy_documents (or *_json). */
function listedDocuments(doc: TfBlock, names: string[], module: TfModule, depth: number): Statements[] | undefined {
  const out: Statements[] = [];
  for (const name of names) {
    const attr = doc.attr(name);
    if (!attr) continue;
    const values = toList(attr.value);
    if (!values) return undefined;
    const expr = attr.hcl.expr;
    const items = expr.t === 'tuple' && expr.items.length === values.length ? expr.items : undefined;
    for (let i = 0; i < values.length; i++) {
      const item = items?.[i];
      const m = item ? DOC_REF.exec(attr.file.text.slice(item.span.start, item.span.end)) : undefined;
      const block = m ? module.resource(`${DOC}.${m[1]}`) : undefined;
      const read = block && depth < 5 ? documentStatements(block, module, depth + 1) : readStatements(values[i]);
      if (!read) return undefined;
      out.push(read);
    }
  }
  return out;
}

/** Adds statements the way the provider merges documents: a statement replaces one with the same Sid. */
function merge(into: Stmt[], add: Stmt[]): void {
  for (const s of add) {
    const i = s.sid ? into.findIndex((x) => x.sid === s.sid) : -1;
    if (i >= 0) into[i] = s; else into.push(s);
  }
}

/**
 * The statements a `data "aws_iam_policy_document"` renders: its source documents, its own
 * statements and its override documents merged by Sid, with the condition keys of its blocks.
 */
function documentStatements(doc: TfBlock, module: TfModule, depth = 0): Statements | undefined {
  const own = readStatements(policyFromDocumentBlock(doc));
  if (!own) return undefined;
  const blocks = doc.blocks('statement');
  if (blocks.length === own.statements.length) {
    own.statements.forEach((s, i) => {
      for (const c of blocks[i]!.blocks('condition')) {
        const key = toStr(c.get('variable'));
        if (key !== undefined) s.conditionKeys.push(key.toLowerCase());
      }
    });
  }
  const sources = listedDocuments(doc, ['source_json', 'source_policy_documents'], module, depth);
  const overrides = listedDocuments(doc, ['override_json', 'override_policy_documents'], module, depth);
  if (!sources || !overrides) return undefined;
  const statements: Stmt[] = [];
  for (const s of sources) merge(statements, s.statements);
  merge(statements, own.statements);
  for (const o of overrides) merge(statements, o.statements);
  const incomplete = own.incomplete || sources.some((s) => s.incomplete) || overrides.some((o) => o.incomplete);
  return { statements, incomplete };
}

const HOLE = '__rampart_unknown__';

/** Turns parsed JSON into a Value in which every string holding an interpolation is unknown. */
function withHoles(x: unknown): Value | undefined {
  if (typeof x === 'string') return x.includes(HOLE) ? UNKNOWN : x;
  if (x === null || typeof x === 'number' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) {
    const out: Value[] = [];
    for (const i of x) { const v = withHoles(i); if (v === undefined) return undefined; out.push(v); }
    return out;
  }
  if (typeof x === 'object') {
    const out: { [k: string]: Value } = {};
    for (const [k, i] of Object.entries(x as object)) {
      const v = withHoles(i);
      if (k.includes(HOLE) || v === undefined) return undefined;
      out[k] = v;
    }
    return out;
  }
  return undefined;
}

/**
 * A JSON policy written as a string template with interpolations that cannot all be evaluated
 * (a heredoc with "arn:aws:s3:::${var.bucket}/*") evaluates to UNKNOWN as a whole. Read its JSON
 * with each interpolation standing for an unknown string, so the known parts can still be judged.
 */
function templatePolicy(attr: TfAttribute): Value | undefined {
  const expr = attr.hcl.expr;
  if (expr.t !== 'template') return undefined;
  const text = expr.parts.map((p) => (typeof p === 'string' ? p : HOLE)).join('');
  try { return withHoles(JSON.parse(text)); } catch { return undefined; }
}

/** The policy held by an attribute, or undefined when it cannot be read. */
function policyOfAttr(attr: TfAttribute, module: TfModule): Policy | undefined {
  const m = DOC_REF.exec(attr.source);
  const doc = m ? module.resource(`${DOC}.${m[1]}`) : undefined;
  let read = doc ? documentStatements(doc, module) : readStatements(attr.value);
  if (!read && !doc && attr.value === UNKNOWN) {
    const v = templatePolicy(attr);
    if (v !== undefined) read = readStatements(v);
  }
  return read ? { at: attr, ...read } : undefined;
}

/**
 * True when an identity-policy resource of the module renders this document through `.json`, or
 * another document merges it (source/override): it is then judged where it is used. Also true
 * when another kind of resource uses it (an SCP, a bucket or key policy): not an identity policy.
 */
function documentUsedElsewhere(doc: TfResource, module: TfModule): boolean {
  const needle = `${DOC}.${doc.name}.json`;
  for (const type of POLICY_RESOURCES) {
    for (const r of module.resourcesOfType(type)) {
      if (r.attr(policyAttrName(type))?.source.includes(needle)) return true;
      for (const b of r.blocks('inline_policy')) if (b.attr('policy')?.source.includes(needle)) return true;
    }
  }
  // Used by another kind of resource (an SCP, a bucket or key policy...): not an identity policy.
  for (const r of module.resources) {
    if (POLICY_RESOURCES.includes(r.resourceType)) continue;
    if (r.attributes().some((a) => a.source.includes(needle))) return true;
  }
  // Passed through a local, or to a child module that is loaded: judged where it ends up.
  for (const a of module.locals.values()) if (a.source.includes(needle)) return true;
  for (const call of module.moduleCalls) {
    if (module.children.has(call.labels[0] ?? '') && call.attributes().some((a) => a.source.includes(needle))) return true;
  }
  for (const d of module.resourcesOfType(DOC)) {
    if (d === doc) continue;
    for (const n of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
      if (d.attr(n)?.source.includes(needle)) return true;
    }
  }
  return false;
}

/**
 * The identity policies a resource holds: the `policy` of aws_iam_*policy, the inline policies of
 * aws_iam_role, and a standalone policy document that no identity-policy resource of the module
 * renders (those are judged at the resource) and that names no principal (a resource policy).
 */
function identityPolicies(r: TfResource, module: TfModule): Policy[] {
  if (r.kind === 'data') {
    if (r.resourceType !== 'aws_iam_policy_document' || documentUsedElsewhere(r, module)) return [];
    const read = documentStatements(r, module);
    if (!read || read.statements.some((s) => s.principals !== undefined)) return [];
    const blocks = r.blocks('statement');
    // Point at the first statement's `actions`, or at the data source.
    const first = blocks[0];
    return [{ at: first?.attr('actions') ?? first ?? r, ...read }];
  }
  const attrs: TfAttribute[] = [];
  if (r.resourceType === 'aws_iam_role') {
    for (const b of r.blocks('inline_policy')) {
      const a = b.attr('policy');
      if (a && !b.dynamic) attrs.push(a);
    }
  } else {
    const a = r.attr(policyAttrName(r.resourceType));
    if (a) attrs.push(a);
  }
  return attrs.map((a) => policyOfAttr(a, module)).filter((p): p is Policy => p !== undefined);
}

/** Statements known to allow (not Deny, not of unknown effect). */
const allows = (s: Stmt) => s.effect === 'Allow';

const isServiceWildcard = (a: string) => /^[A-Za-z0-9-]+:\*$/.test(a);

/** Managed policy ARNs a resource attaches: policy_arn of attachments, managed_policy_arns of roles. */
function attachedArns(r: TfResource): { at: TfAttribute; arn: string }[] {
  const out: { at: TfAttribute; arn: string }[] = [];
  if (r.resourceType === 'aws_iam_role') {
    const a = r.attr('managed_policy_arns');
    for (const v of toList(a?.value) ?? []) {
      const s = toStr(v);
      if (a && s) out.push({ at: a, arn: s });
    }
    return out;
  }
  const a = r.attr('policy_arn');
  const s = toStr(a?.value);
  if (a && s) out.push({ at: a, arn: s });
  return out;
}

const awsManaged = (name: string) => new RegExp(`^arn:aws[a-z-]*:iam::aws:policy/${name}$`);

// ---------------------------------------------------------------- policy rules

const adminPolicy = terraformRule({
  id: 'aws-iam-no-admin-policy',
  title: 'IAM policy grants full administrator access ("*" on "*")',
  severity: 'critical',
  impact: 'Whoever holds the policy can do anything in the account: read every secret, create backdoor users and roles, delete data and disable logging.',
  remediation: 'List the actions and resources the principal needs instead of "Action": "*" on "Resource": "*"; do not attach AdministratorAccess to workloads.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1',
  ],
  compliance: ['CIS AWS 1.16', 'NIST 800-53 AC-6'],
  equivalents: { checkov: ['CKV_AWS_1', 'CKV_AWS_62'], kics: ['2f37c4a3-58b9-4afe-8a87-d7f1d2286f84'] },
  resources: [...POLICY_RESOURCES, ...ATTACHMENT_RESOURCES, DOC],
  check(r, ctx) {
    for (const p of identityPolicies(r, ctx.module)) {
      if (p.statements.some((s) => allows(s) && s.actions.includes('*') && s.resources.includes('*'))) {
        ctx.report({ at: p.at, message: `${r.address} allows every action ("*") on every resource ("*"): full administrator access.` });
      }
    }
    for (const { at, arn } of attachedArns(r)) {
      if (awsManaged('AdministratorAccess').test(arn)) {
        ctx.report({ at, message: `${r.address} attaches the AdministratorAccess managed policy (${arn}).` });
      }
    }
  },
  examples: {
    bad: [
      `resource "aws_iam_policy" "ops" {
  name = "ops"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
`,
      `data "aws_iam_policy_document" "everything" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
`,
      `resource "aws_iam_role_policy_attachment" "ci" {
  role       = "ci"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
`,
      `variable "account_id" {}
resource "aws_iam_user_policy" "break_glass" {
  user   = "break-glass"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::\${var.account_id}:role/admin" },
    { "Effect": "Allow", "Action": "*", "Resource": "*" }
  ]
}
EOF
}
`,
    ],
    good: [
      `resource "aws_iam_policy" "ops" {
  name = "ops"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["ec2:DescribeInstances"], Resource = "*" },
      { Effect = "Deny", Action = "*", Resource = "*" },
    ]
  })
}
`,
      `data "aws_iam_policy_document" "scp" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
resource "aws_organizations_policy" "allow_all" {
  name    = "allow-all"
  content = data.aws_iam_policy_document.scp.json
}
`,
      `variable "actions" {}
resource "aws_iam_role_policy" "ops" {
  role = "ops"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }]
  })
}
`,
    ],
  },
});

const wildcardActions = terraformRule({
  id: 'aws-iam-no-wildcard-actions',
  title: 'IAM policy allows every action of a service with a wildcard',
  severity: 'high',
  impact: 'A service-wide wildcard ("s3:*", "iam:*") grants destructive and privilege-changing actions the workload never uses; a compromised principal can delete data or escalate.',
  remediation: 'Replace wildcard actions with the specific actions the principal needs.',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html',
  ],
  compliance: ['NIST 800-53 AC-6'],
  equivalents: { trivy: ['AVD-AWS-0057'] },
  resources: [...POLICY_RESOURCES, DOC],
  check(r, ctx) {
    for (const p of identityPolicies(r, ctx.module)) {
      const found = new Set<string>();
      for (const s of p.statements) {
        if (!allows(s)) continue;
        // "*" on "*" is full administrator access, reported by aws-iam-no-admin-policy.
        const admin = s.resources.includes('*');
        for (const a of s.actions) if (isServiceWildcard(a) || (a === '*' && !admin)) found.add(a);
      }
      if (found.size) {
        const list = [...found].map((a) => `"${a}"`);
        const shown = list.length > 5 ? `${list.slice(0, 5).join(', ')} and ${list.length - 5} more` : list.join(', ');
        ctx.report({ at: p.at, message: `${r.address} allows wildcard actions ${shown}.` });
      }
    }
  },
  examples: {
    bad: [
      `resource "aws_iam_role_policy" "app" {
  role = "app"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": ["dynamodb:*"], "Resource": "arn:aws:dynamodb:eu-west-1:123456789012:table/orders" }
  ]
}
EOF
}
`,
      `data "aws_iam_policy_document" "app" {
  statement {
    actions   = ["sqs:*"]
    resources = ["arn:aws:sqs:eu-west-1:123456789012:jobs"]
  }
}
resource "aws_iam_policy" "app" {
  name   = "app"
  policy = data.aws_iam_policy_document.app.json
}
`,
    ],
    good: [
      `resource "aws_iam_role_policy" "app" {
  role = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["dynamodb:GetItem", "dynamodb:PutItem"], Resource = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders" },
      { Effect = "Deny", Action = "dynamodb:*", Resource = "*", Condition = { Bool = { "aws:SecureTransport" = "false" } } },
    ]
  })
}
`,
      `data "aws_iam_policy_document" "base" {
  statement {
    sid       = "queue"
    actions   = ["sqs:*"]
    resources = ["arn:aws:sqs:eu-west-1:123456789012:jobs"]
  }
}
data "aws_iam_policy_document" "app" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid       = "queue"
    actions   = ["sqs:SendMessage"]
    resources = ["arn:aws:sqs:eu-west-1:123456789012:jobs"]
  }
}
resource "aws_iam_policy" "app" {
  name   = "app"
  policy = data.aws_iam_policy_document.app.json
}
`,
      `variable "actions" {}
data "aws_iam_policy_document" "app" {
  statement {
    actions   = var.actions
    resources = ["arn:aws:sqs:eu-west-1:123456789012:jobs"]
  }
}
resource "aws_iam_policy" "app" {
  name   = "app"
  policy = data.aws_iam_policy_document.app.json
}
`,
    ],
  },
});

const s3FullAccess = terraformRule({
  id: 'aws-iam-no-s3-full-access',
  title: 'IAM policy grants unrestricted S3 access ("s3:*")',
  severity: 'high',
  impact: 'The principal can read, overwrite and delete objects, change bucket policies and ACLs, and so exfiltrate or destroy data or make buckets public.',
  remediation: 'Grant only the S3 actions needed (s3:GetObject, s3:PutObject, ...) on the buckets needed; do not attach AmazonS3FullAccess.',
  references: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-iam.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
  ],
  compliance: ['NIST 800-53 AC-6'],
  equivalents: { trivy: ['AVD-AWS-0345'] },
  resources: [...POLICY_RESOURCES, ...ATTACHMENT_RESOURCES, DOC],
  check(r, ctx) {
    for (const p of identityPolicies(r, ctx.module)) {
      if (p.incomplete) continue;
      const isS3All = (a: string) => a.toLowerCase() === 's3:*';
      const allowed = p.statements.some((s) => allows(s) && s.actions.some(isS3All));
      // Like Trivy: a Deny of s3:* in the same document cancels it; a statement of unknown effect
      // or with unknown actions might be that Deny.
      const denied = p.statements.some((s) => s.effect !== 'Allow' && (s.partial || s.actions.some(isS3All)));
      if (allowed && !denied) ctx.report({ at: p.at, message: `${r.address} allows "s3:*": every S3 action.` });
    }
    for (const { at, arn } of attachedArns(r)) {
      if (awsManaged('AmazonS3FullAccess').test(arn)) {
        ctx.report({ at, message: `${r.address} attaches the AmazonS3FullAccess managed policy (${arn}).` });
      }
    }
  },
  examples: {
    bad: [
      `resource "aws_iam_user_policy" "backup" {
  user = "backup"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:*"], Resource = ["arn:aws:s3:::backups", "arn:aws:s3:::backups/*"] }]
  })
}
`,
      `resource "aws_iam_role" "worker" {
  name               = "worker"
  assume_role_policy = "{}"
  managed_policy_arns = ["arn:aws:iam::aws:policy/AmazonS3FullAccess"]
}
`,
      `data "aws_iam_policy_document" "extra" {
  statement {
    actions   = ["s3:*"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "worker" {
  override_policy_documents = [data.aws_iam_policy_document.extra.json]
  statement {
    actions   = ["sqs:ReceiveMessage"]
    resources = ["*"]
  }
}
resource "aws_iam_role_policy" "worker" {
  role   = "worker"
  policy = data.aws_iam_policy_document.worker.json
}
`,
    ],
    good: [
      `resource "aws_iam_user_policy" "backup" {
  user = "backup"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"], Resource = "arn:aws:s3:::backups/*" }]
  })
}
`,
      `variable "deny_actions" {}
resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:*", Resource = "*" },
      { Effect = "Deny", Action = var.deny_actions, Resource = "*" },
    ]
  })
}
`,
    ],
  },
});

// ---------------------------------------------------------------- password policy

const PASSWORD_POLICY = 'aws_iam_account_password_policy';
const PASSWORD_REFS = [
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html',
  'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_account_password_policy',
];

function requireCharacters(opts: { id: string; attribute: string; what: string; trivy: string; checkov: string; kics?: string }): Rule {
  return terraformRule({
    id: opts.id,
    title: `Password policy does not require ${opts.what}`,
    severity: 'medium',
    impact: `Without ${opts.what} users can choose simpler passwords, which fall faster to guessing and credential-stuffing attacks.`,
    remediation: `Set ${opts.attribute} = true in aws_iam_account_password_policy.`,
    references: PASSWORD_REFS,
    // Character-class requirements were dropped from the CIS AWS benchmark in v1.4.
    compliance: ['NIST 800-53 IA-5'],
    equivalents: { trivy: [opts.trivy], checkov: [opts.checkov], ...(opts.kics ? { kics: [opts.kics] } : {}) },
    fixable: true,
    resources: [PASSWORD_POLICY],
    check(r, ctx) {
      const attr = r.attr(opts.attribute);
      if (attr && toBool(attr.value) !== false) return; // true, or unknown
      ctx.report({
        at: attr ?? r,
        message: attr ? `${r.address} sets ${opts.attribute} = false.` : `${r.address} does not set ${opts.attribute} (default false).`,
        fix: tfFix(`Set ${opts.attribute} = true`, setAttribute(r, opts.attribute, 'true')),
      });
    },
    examples: {
      bad: [
        `resource "aws_iam_account_password_policy" "strict" {\n  minimum_password_length = 14\n}\n`,
        `resource "aws_iam_account_password_policy" "strict" {\n  ${opts.attribute} = false\n}\n`,
      ],
      good: [
        `resource "aws_iam_account_password_policy" "strict" {\n  ${opts.attribute} = true\n}\n`,
        `variable "flag" {}\nresource "aws_iam_account_password_policy" "strict" {\n  ${opts.attribute} = var.flag\n}\n`,
      ],
    },
  });
}

const requireLowercase = requireCharacters({ id: 'aws-iam-password-require-lowercase', attribute: 'require_lowercase_characters', what: 'a lower-case letter', trivy: 'AVD-AWS-0058', checkov: 'CKV_AWS_11', kics: 'bbc7c137-6c7b-4fc4-984a-0c88e91fcaf9' });
const requireNumbers = requireCharacters({ id: 'aws-iam-password-require-numbers', attribute: 'require_numbers', what: 'a number', trivy: 'AVD-AWS-0059', checkov: 'CKV_AWS_12' });
const requireSymbols = requireCharacters({ id: 'aws-iam-password-require-symbols', attribute: 'require_symbols', what: 'a symbol', trivy: 'AVD-AWS-0060', checkov: 'CKV_AWS_14', kics: '7a70eed6-de3a-4da2-94da-a2bbc8fe2a48' });
const requireUppercase = requireCharacters({ id: 'aws-iam-password-require-uppercase', attribute: 'require_uppercase_characters', what: 'an upper-case letter', trivy: 'AVD-AWS-0061', checkov: 'CKV_AWS_15', kics: 'c5ff7bc9-d8ea-46dd-81cb-8286f3222249' });

const passwordReuse = terraformRule({
  id: 'aws-iam-password-reuse-prevention',
  title: 'Password policy allows reusing recent passwords',
  severity: 'medium',
  impact: 'Users can cycle back to a password that has already leaked, so a rotated credential keeps working for an attacker.',
  remediation: 'Set password_reuse_prevention to at least 5 (CIS recommends 24).',
  references: PASSWORD_REFS,
  compliance: ['CIS AWS 1.9', 'NIST 800-53 IA-5'],
  equivalents: { trivy: ['AVD-AWS-0056'], checkov: ['CKV_AWS_13'], kics: ['89806cdc-9c2e-4bd1-a0dc-53f339bcfb2a'] },
  fixable: true,
  resources: [PASSWORD_POLICY],
  check(r, ctx) {
    const attr = r.attr('password_reuse_prevention');
    const n = toNum(attr?.value);
    if (attr && (n === undefined || n >= 5)) return;
    ctx.report({
      at: attr ?? r,
      message: attr ? `${r.address} prevents reuse of only the last ${n} password(s); at least 5 are needed.` : `${r.address} does not set password_reuse_prevention, so old passwords can be reused.`,
      fix: tfFix('Set password_reuse_prevention = 24', setAttribute(r, 'password_reuse_prevention', '24')),
    });
  },
  examples: {
    bad: [
      'resource "aws_iam_account_password_policy" "p" {\n  password_reuse_prevention = 2\n}\n',
      'resource "aws_iam_account_password_policy" "p" {\n  minimum_password_length = 14\n}\n',
    ],
    good: [
      'resource "aws_iam_account_password_policy" "p" {\n  password_reuse_prevention = 24\n}\n',
      'variable "reuse" {}\nresource "aws_iam_account_password_policy" "p" {\n  password_reuse_prevention = var.reuse\n}\n',
    ],
  },
});

const maxPasswordAge = terraformRule({
  id: 'aws-iam-password-max-age',
  title: 'Password policy lets passwords live longer than 90 days',
  severity: 'medium',
  impact: 'A leaked password stays valid indefinitely (or for a long time), extending an attacker\'s window.',
  remediation: 'Set max_password_age to 90 or less.',
  references: PASSWORD_REFS,
  compliance: ['NIST 800-53 IA-5'],
  equivalents: { trivy: ['AVD-AWS-0062'], checkov: ['CKV_AWS_9'], kics: ['ce60d060-efb8-4bfd-9cf7-ff8945d00d90'] },
  fixable: true,
  resources: [PASSWORD_POLICY],
  check(r, ctx) {
    const attr = r.attr('max_password_age');
    const n = toNum(attr?.value);
    if (attr && (n === undefined || (n > 0 && n <= 90))) return;
    ctx.report({
      at: attr ?? r,
      message: attr ? `${r.address} sets max_password_age = ${n}; passwords should expire within 90 days.` : `${r.address} does not set max_password_age, so passwords never expire.`,
      fix: tfFix('Set max_password_age = 90', setAttribute(r, 'max_password_age', '90')),
    });
  },
  examples: {
    bad: [
      'resource "aws_iam_account_password_policy" "p" {\n  max_password_age = 365\n}\n',
      'resource "aws_iam_account_password_policy" "p" {\n  require_symbols = true\n}\n',
    ],
    good: [
      'resource "aws_iam_account_password_policy" "p" {\n  max_password_age = 60\n}\n',
      'variable "age" {}\nresource "aws_iam_account_password_policy" "p" {\n  max_password_age = var.age\n}\n',
    ],
  },
});

const minPasswordLength = terraformRule({
  id: 'aws-iam-password-min-length',
  title: 'Password policy allows passwords shorter than 14 characters',
  severity: 'medium',
  impact: 'Short passwords are cheap to brute-force or guess.',
  remediation: 'Set minimum_password_length to 14 or more.',
  references: PASSWORD_REFS,
  compliance: ['CIS AWS 1.8', 'NIST 800-53 IA-5'],
  equivalents: { trivy: ['AVD-AWS-0063'], checkov: ['CKV_AWS_10'], kics: ['1bc1c685-e593-450e-88fb-19db4c82aa1d'] },
  fixable: true,
  resources: [PASSWORD_POLICY],
  check(r, ctx) {
    const attr = r.attr('minimum_password_length');
    const n = toNum(attr?.value);
    if (attr && (n === undefined || n >= 14)) return;
    ctx.report({
      at: attr ?? r,
      message: attr ? `${r.address} sets minimum_password_length = ${n}; at least 14 is needed.` : `${r.address} does not set minimum_password_length (AWS default 8).`,
      fix: tfFix('Set minimum_password_length = 14', setAttribute(r, 'minimum_password_length', '14')),
    });
  },
  examples: {
    bad: [
      'resource "aws_iam_account_password_policy" "p" {\n  minimum_password_length = 8\n}\n',
      'resource "aws_iam_account_password_policy" "p" {}\n',
    ],
    good: [
      'resource "aws_iam_account_password_policy" "p" {\n  minimum_password_length = 16\n}\n',
      'variable "len" {}\nresource "aws_iam_account_password_policy" "p" {\n  minimum_password_length = var.len\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- groups, users, keys

/** True when `v` (an attribute value) designates `target`: by reference or by its literal name. */
function designates(v: Value | undefined, target: TfResource, name: Value | undefined): boolean | undefined {
  if (v instanceof Ref) return v.address === target.localAddress ? true : v.parts[0] === 'var' || v.parts[0] === 'local' ? undefined : false;
  if (typeof v === 'string') return typeof name === 'string' ? v === name : undefined;
  return undefined;
}

const MFA_KEYS = ['aws:multifactorauthpresent', 'aws:multifactorauthage'];

const groupMfa = terraformRule({
  id: 'aws-iam-enforce-group-mfa',
  title: 'IAM group has no policy that enforces MFA',
  severity: 'medium',
  impact: 'Members of the group can use their permissions with a password (or access key) alone; a phished or leaked password is enough.',
  remediation: 'Attach to the group a policy whose statements require aws:MultiFactorAuthPresent (for example a Deny of everything but MFA setup when MFA is absent).',
  references: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_users-self-manage-mfa-and-creds.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html',
  ],
  compliance: ['NIST 800-53 IA-2(1)'],
  equivalents: { trivy: ['AVD-AWS-0123'] },
  resources: ['aws_iam_group'],
  check(group, ctx) {
    const m = ctx.module;
    const name = group.get('name');
    const policies: (Policy | undefined)[] = [];
    // Inline group policies.
    for (const gp of m.resourcesOfType('aws_iam_group_policy')) {
      const d = designates(gp.get('group'), group, name);
      if (d === undefined) return; // might belong to this group
      if (!d) continue;
      const a = gp.attr('policy');
      policies.push(a ? policyOfAttr(a, m) : undefined);
    }
    // Managed policies attached to the group.
    const arns: TfAttribute[] = [];
    for (const at of m.resourcesOfType('aws_iam_group_policy_attachment')) {
      const d = designates(at.get('group'), group, name);
      if (d === undefined) return;
      if (d && at.attr('policy_arn')) arns.push(at.attr('policy_arn')!);
    }
    for (const at of m.resourcesOfType('aws_iam_policy_attachment')) {
      const groups = at.get('groups');
      if (groups === undefined) continue;
      const list = toList(groups);
      if (!list) return;
      const ds = list.map((g) => designates(g, group, name));
      if (ds.includes(undefined)) return;
      if (ds.includes(true) && at.attr('policy_arn')) arns.push(at.attr('policy_arn')!);
    }
    for (const a of arns) {
      const v = a.value;
      const target = m.resolve(v);
      if (target && target.resourceType === 'aws_iam_policy' && target.attr('policy')) {
        policies.push(policyOfAttr(target.attr('policy')!, m));
      } else if (typeof v === 'string' && /^arn:aws[a-z-]*:iam::aws:policy\//.test(v)) {
        continue; // AWS managed policies carry no MFA condition
      } else {
        return; // a policy whose content is not known here
      }
    }
    if (policies.some((p) => p === undefined || p.incomplete || p.statements.some((s) => s.partial))) return;
    const enforced = policies.some((p) => p!.statements.some((s) => s.conditionKeys.some((k) => MFA_KEYS.includes(k))));
    if (enforced) return;
    ctx.report({ at: group, message: `${group.address} has no policy that requires MFA (aws:MultiFactorAuthPresent) of its members.` });
  },
  examples: {
    bad: [
      `resource "aws_iam_group" "ops" {
  name = "ops"
}
resource "aws_iam_group_policy" "ops" {
  group = aws_iam_group.ops.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ec2:Describe*", Resource = "*" }]
  })
}
`,
    ],
    good: [
      `resource "aws_iam_group" "ops" {
  name = "ops"
}
data "aws_iam_policy_document" "mfa" {
  statement {
    effect        = "Deny"
    not_actions   = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"]
    resources     = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}
resource "aws_iam_policy" "mfa" {
  name   = "require-mfa"
  policy = data.aws_iam_policy_document.mfa.json
}
resource "aws_iam_group_policy_attachment" "mfa" {
  group      = aws_iam_group.ops.name
  policy_arn = aws_iam_policy.mfa.arn
}
`,
      `resource "aws_iam_group" "ops" {
  name = "ops"
}
data "aws_iam_policy_document" "mfa" {
  statement {
    sid       = "all"
    actions   = ["ec2:*"]
    resources = ["*"]
    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}
data "aws_iam_policy_document" "ops" {
  override_policy_documents = [data.aws_iam_policy_document.mfa.json]
  statement {
    sid       = "all"
    actions   = ["ec2:*"]
    resources = ["*"]
  }
}
resource "aws_iam_group_policy" "ops" {
  group  = aws_iam_group.ops.name
  policy = data.aws_iam_policy_document.ops.json
}
`,
      `variable "policy_arn" {}
resource "aws_iam_group" "ops" {
  name = "ops"
}
resource "aws_iam_group_policy_attachment" "mfa" {
  group      = aws_iam_group.ops.name
  policy_arn = var.policy_arn
}
`,
    ],
  },
});

const rootAccessKey = terraformRule({
  id: 'aws-iam-no-root-access-keys',
  title: 'Access key created for the root user',
  severity: 'critical',
  impact: 'An access key of the root user gives unrestricted, unscoped programmatic access to the whole account; if it leaks, the account is lost.',
  remediation: 'Do not create access keys for the root user; use roles or least-privileged IAM users instead.',
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user_manage_delete-key'],
  compliance: ['CIS AWS 1.4', 'NIST 800-53 AC-6(2)'],
  equivalents: { trivy: ['AVD-AWS-0141'], checkov: ['CKV_AWS_348'], kics: ['970d224d-b42a-416b-81f9-8f4dfe70c4bc'] },
  fixable: true,
  resources: ['aws_iam_access_key'],
  check(key, ctx) {
    const userAttr = key.attr('user');
    if (!userAttr) return;
    const v = userAttr.value;
    const user = ctx.module.resolve(v);
    const name = user ? (user.resourceType === 'aws_iam_user' ? user.get('name') : undefined) : v;
    if (name !== 'root') return;
    const status = key.attr('status');
    if (status && toStr(status.value) !== 'Active') return; // Inactive, or unknown
    ctx.report({
      at: userAttr,
      message: `${key.address} is an active access key of the root user.`,
      fix: tfFix('Deactivate the key (status = "Inactive")', setAttribute(key, 'status', '"Inactive"')),
    });
  },
  examples: {
    bad: [
      `resource "aws_iam_user" "admin" {
  name = "root"
}
resource "aws_iam_access_key" "admin" {
  user = aws_iam_user.admin.name
}
`,
      'resource "aws_iam_access_key" "k" {\n  user   = "root"\n  status = "Active"\n}\n',
    ],
    good: [
      `resource "aws_iam_user" "deploy" {
  name = "deploy"
}
resource "aws_iam_access_key" "deploy" {
  user = aws_iam_user.deploy.name
}
`,
      'variable "user" {}\nresource "aws_iam_access_key" "k" {\n  user = var.user\n}\n',
    ],
  },
});

const userAttachedPolicies = terraformRule({
  id: 'aws-iam-no-user-attached-policies',
  title: 'IAM policy attached directly to a user',
  severity: 'low',
  impact: 'Permissions granted user by user are hard to review and tend to accumulate, so users keep privileges they no longer need.',
  remediation: 'Attach policies to groups (or roles) and make users members of those groups.',
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#use-groups-for-permissions'],
  compliance: ['CIS AWS 1.15', 'NIST 800-53 AC-2'],
  equivalents: { trivy: ['AVD-AWS-0143'], checkov: ['CKV_AWS_40'], kics: ['b4378389-a9aa-44ee-91e7-ef183f11079e'] },
  resources: ['aws_iam_user_policy', 'aws_iam_user_policy_attachment', 'aws_iam_policy_attachment'],
  check(r, ctx) {
    if (r.resourceType === 'aws_iam_policy_attachment') {
      const users = r.attr('users');
      const list = toList(users?.value);
      if (!users || !list || list.length === 0) return;
      ctx.report({ at: users, message: `${r.address} attaches a policy directly to ${list.length} user(s).` });
      return;
    }
    const user = r.attr('user');
    ctx.report({ at: user ?? r, message: `${r.address} attaches a policy directly to the user ${user ? user.source : ''}`.trimEnd() + '.' });
  },
  examples: {
    bad: [
      `resource "aws_iam_user" "ana" {
  name = "ana"
}
resource "aws_iam_user_policy_attachment" "ana" {
  user       = aws_iam_user.ana.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
`,
      `resource "aws_iam_policy_attachment" "ro" {
  name       = "ro"
  users      = ["ana"]
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
`,
    ],
    good: [
      `resource "aws_iam_group" "readers" {
  name = "readers"
}
resource "aws_iam_group_policy_attachment" "readers" {
  group      = aws_iam_group.readers.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
`,
      `variable "users" {}
resource "aws_iam_policy_attachment" "ro" {
  name       = "ro"
  users      = var.users
  groups     = ["readers"]
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
`,
    ],
  },
});

const PROVIDER_KEY_ATTRIBUTES = ['access_key', 'secret_key', 'token'];


const providerHardcodedKeys = terraformRule({
  id: 'aws-provider-no-hardcoded-keys',
  title: 'AWS provider block holds hardcoded credentials',
  severity: 'critical',
  impact: 'Anyone who can read the repository, a fork, a CI log or the state backend gets the key and acts as that IAM principal in the account until the key is rotated.',
  remediation: 'Remove access_key, secret_key and token from the provider block; use the standard credential chain (environment variables, a shared profile, SSO or an assumed role) instead, and rotate the exposed key.',
  references: ['https://registry.terraform.io/providers/hashicorp/aws/latest/docs#authentication-and-configuration'],
  compliance: ['NIST 800-53 IA-5', 'PCI DSS 8.3.1'],
  equivalents: { checkov: ['CKV_AWS_41'] },
  fixable: true,
  resources: ['provider.aws'],
  check(provider, ctx) {
    for (const name of PROVIDER_KEY_ATTRIBUTES) {
      const attr = provider.attr(name);
      const value = toStr(attr?.value);
      // Only a literal written here is a leak; var.* and references come from elsewhere.
      if (!attr || !value || attr.hcl.expr.t !== 'lit') continue;
      ctx.report({
        at: attr,
        message: `${provider.address} sets ${name} to a hardcoded credential "${mask(value)}".`,
        fix: tfFix(`Remove ${name} from the provider block`, { file: attr.file.path, start: attr.file.lines.lineStart(attr.span.startLine), end: attr.file.lines.lineStart(attr.span.endLine + 1), newText: '' }),
      });
    }
  },
  examples: {
    bad: ['provider "aws" {\n  region     = "eu-west-1"\n  access_key = "AKIAIOSFODNN7EXAMPLE"\n  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n}\n'],
    good: [
      'provider "aws" {\n  region  = "eu-west-1"\n  profile = "deploy"\n}\n',
      'variable "access_key" {\n  sensitive = true\n}\nprovider "aws" {\n  region     = "eu-west-1"\n  access_key = var.access_key\n}\n',
    ],
  },
});

export const rules: Rule[] = [
  providerHardcodedKeys,
  adminPolicy, wildcardActions, s3FullAccess,
  passwordReuse, requireLowercase, requireNumbers, requireSymbols, requireUppercase, maxPasswordAge, minPasswordLength,
  groupMfa, rootAccessKey, userAttachedPolicies,
];
