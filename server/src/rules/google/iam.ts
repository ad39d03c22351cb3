import { terraformRule, type Rule } from '../../engine/rule';
import type { TfResource } from '../../parse/terraform';
import { toStr } from '../../parse/values';
import { anchor, gBool, IAM_LEVELS, iamMembers, iamRole, setFix, type MemberInfo } from './util';

const IAM_RESOURCES = Object.keys(IAM_LEVELS);
const IAM_REF = 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_project_iam';

const memberRes = (type: string, role: string, member: string) => {
  const level = IAM_LEVELS[type]!;
  const scope = level === 'project' ? 'project = "example-prod"' : level === 'folder' ? 'folder  = "folders/1234567890"' : 'org_id  = "123456789012"';
  return type.endsWith('_member')
    ? `resource "${type}" "grant" {\n  ${scope}\n  role   = "${role}"\n  member = ${member}\n}\n`
    : `resource "${type}" "grant" {\n  ${scope}\n  role    = "${role}"\n  members = [${member}]\n}\n`;
};

function memberAt(r: TfResource) {
  return r.attr('member') ?? r.attr('members') ?? r;
}

// ---------------------------------------------------------------- members

const noUserGrants = terraformRule({
  id: 'google-iam-no-user-grants',
  title: 'IAM role granted directly to a user account',
  severity: 'medium',
  impact: 'Roles granted to individual users are hard to review and are easily left behind when people change teams or leave, accumulating access over time.',
  remediation: 'Grant roles to Google groups (group:...) and manage membership in the group instead of binding users directly.',
  references: ['https://cloud.google.com/iam/docs/best-practices-for-using-and-managing-groups', IAM_REF],
  compliance: ['NIST 800-53 AC-2'],
  equivalents: { trivy: ['AVD-GCP-0003'] },
  resources: IAM_RESOURCES,
  check(r, ctx) {
    const user = iamMembers(r).find((m) => m.text?.trim().startsWith('user:'));
    if (!user) return;
    ctx.report({ at: memberAt(r), message: `${r.address} grants ${iamRole(r) ?? 'a role'} directly to ${user.text}.` });
  },
  examples: {
    bad: [memberRes('google_project_iam_member', 'roles/viewer', '"user:alice@example.com"'), memberRes('google_folder_iam_binding', 'roles/viewer', '"group:ops@example.com", "user:bob@example.com"')],
    good: [memberRes('google_project_iam_member', 'roles/viewer', '"group:ops@example.com"'), 'variable "m" {}\n' + memberRes('google_project_iam_member', 'roles/viewer', 'var.m')],
  },
});

const PERSONAL_DOMAINS = new Set(['gmail.com', 'googlemail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'aol.com', 'icloud.com', 'protonmail.com', 'proton.me', 'mail.com', 'zoho.com', 'gmx.com']);

const noPersonalEmail = terraformRule({
  id: 'google-iam-no-personal-email',
  title: 'IAM role granted to a personal email account',
  severity: 'low',
  impact: 'Personal accounts (gmail.com, outlook.com, ...) are outside your organization\'s control: you cannot enforce 2-step verification or disable them when the person leaves.',
  remediation: 'Grant roles to accounts of your Cloud Identity / Workspace domain, ideally through groups.',
  references: ['https://cloud.google.com/resource-manager/docs/organization-policy/restricting-domains', IAM_REF],
  compliance: ['CIS GCP 1.1'],
  equivalents: { trivy: ['AVD-GCP-0069'], kics: ['9356962e-4a4f-4d06-ac59-dc8008775eaa'] },
  resources: IAM_RESOURCES,
  check(r, ctx) {
    const personal = iamMembers(r).find((m) => {
      const t = m.text?.trim();
      if (!t || !t.startsWith('user:')) return false;
      const domain = t.slice(t.lastIndexOf('@') + 1).toLowerCase();
      return PERSONAL_DOMAINS.has(domain);
    });
    if (!personal) return;
    ctx.report({ at: memberAt(r), message: `${r.address} grants ${iamRole(r) ?? 'a role'} to the personal account ${personal.text}.` });
  },
  examples: {
    bad: [memberRes('google_project_iam_member', 'roles/viewer', '"user:someone@gmail.com"'), memberRes('google_project_iam_binding', 'roles/viewer', '"user:a@example.com", "user:b@hotmail.com"')],
    good: [memberRes('google_project_iam_member', 'roles/viewer', '"user:alice@example.com"'), 'variable "m" {}\n' + memberRes('google_project_iam_member', 'roles/viewer', 'var.m')],
  },
});

const DEFAULT_SA = /(-compute@developer\.gserviceaccount\.com|@appspot\.gserviceaccount\.com)$/;
const DEFAULT_SA_DATA = ['data.google_compute_default_service_account.', 'data.google_app_engine_default_service_account.'];

function isDefaultSa(m: MemberInfo): boolean {
  if (m.text !== undefined) return DEFAULT_SA.test(m.text.trim());
  return m.refAddress !== undefined && DEFAULT_SA_DATA.some((p) => m.refAddress!.startsWith(p));
}

const noDefaultSaRoles = terraformRule({
  id: 'google-iam-no-default-service-account-roles',
  title: 'IAM role granted to a default service account',
  severity: 'medium',
  impact: 'Default Compute Engine and App Engine service accounts are attached to many workloads automatically; granting them roles at project, folder or organization level hands those rights to every such workload.',
  remediation: 'Grant roles to dedicated, minimally privileged service accounts instead of the default compute or App Engine accounts.',
  references: ['https://cloud.google.com/iam/docs/service-account-types#default', IAM_REF],
  compliance: ['CIS GCP 1.5'],
  equivalents: { checkov: ['CKV_GCP_46', 'CKV_GCP_47', 'CKV_GCP_48'], trivy: ['AVD-GCP-0004', 'AVD-GCP-0006', 'AVD-GCP-0008'] },
  resources: IAM_RESOURCES,
  check(r, ctx) {
    const m = iamMembers(r).find(isDefaultSa);
    if (!m) return;
    ctx.report({ at: memberAt(r), message: `${r.address} grants ${iamRole(r) ?? 'a role'} at ${IAM_LEVELS[r.resourceType]} level to the default service account ${m.text ?? m.refAddress}.` });
  },
  examples: {
    bad: [
      memberRes('google_project_iam_member', 'roles/storage.admin', '"serviceAccount:123456789012-compute@developer.gserviceaccount.com"'),
      memberRes('google_organization_iam_member', 'roles/viewer', '"serviceAccount:example-prod@appspot.gserviceaccount.com"'),
      'data "google_compute_default_service_account" "default" {}\n' + memberRes('google_folder_iam_member', 'roles/viewer', '"serviceAccount:${data.google_compute_default_service_account.default.email}"'),
    ],
    good: [memberRes('google_project_iam_member', 'roles/viewer', '"serviceAccount:${google_service_account.app.email}"'), 'variable "m" {}\n' + memberRes('google_project_iam_member', 'roles/viewer', 'var.m')],
  },
});

const IMPERSONATION = new Set(['roles/iam.serviceAccountUser', 'roles/iam.serviceAccountTokenCreator']);

const noImpersonationRoles = terraformRule({
  id: 'google-iam-no-service-account-impersonation-roles',
  title: 'Service Account User or Token Creator granted at project, folder or organization level',
  severity: 'medium',
  impact: 'These roles at project, folder or organization level let the members act as every service account below it, and so use all the permissions of those accounts.',
  remediation: 'Grant roles/iam.serviceAccountUser and roles/iam.serviceAccountTokenCreator on individual service accounts (google_service_account_iam_member) instead.',
  references: ['https://cloud.google.com/iam/docs/service-account-permissions#user-role', IAM_REF],
  compliance: ['CIS GCP 1.6'],
  equivalents: { checkov: ['CKV_GCP_41'], trivy: ['AVD-GCP-0005', 'AVD-GCP-0009', 'AVD-GCP-0011'] },
  resources: IAM_RESOURCES,
  check(r, ctx) {
    const role = iamRole(r);
    if (!role || !IMPERSONATION.has(role.trim())) return;
    ctx.report({ at: r.attr('role')!, message: `${r.address} grants ${role} at ${IAM_LEVELS[r.resourceType]} level: the members can impersonate every service account in it.` });
  },
  examples: {
    bad: [memberRes('google_project_iam_member', 'roles/iam.serviceAccountUser', '"group:deployers@example.com"'), memberRes('google_folder_iam_binding', 'roles/iam.serviceAccountTokenCreator', '"group:ci@example.com"')],
    good: [
      memberRes('google_project_iam_member', 'roles/viewer', '"group:deployers@example.com"'),
      'resource "google_service_account_iam_member" "ci" {\n  service_account_id = google_service_account.deployer.name\n  role               = "roles/iam.serviceAccountUser"\n  member             = "group:ci@example.com"\n}\n',
      'variable "role" {}\nresource "google_project_iam_member" "grant" {\n  project = "example-prod"\n  role    = var.role\n  member  = "group:ci@example.com"\n}\n',
    ],
  },
});

function isServiceAccount(m: MemberInfo): boolean {
  if (m.text !== undefined) return m.text.trim().startsWith('serviceAccount:');
  if (m.prefix !== undefined && m.prefix.startsWith('serviceAccount:')) return true;
  return m.prefix === undefined && m.refAddress !== undefined && m.refAddress.startsWith('google_service_account.');
}

function privileged(role: string): boolean {
  return role === 'roles/owner' || role === 'roles/editor' || role.toLowerCase().endsWith('admin');
}

const noPrivilegedSa = terraformRule({
  id: 'google-iam-no-privileged-service-accounts',
  title: 'Service account granted Owner, Editor or an admin role',
  severity: 'high',
  impact: 'Service account keys and tokens leak through code, CI systems and compromised workloads; with Owner, Editor or an admin role, a leaked credential can take over the whole project or organization.',
  remediation: 'Grant service accounts narrowly scoped predefined or custom roles that cover only what the workload does.',
  references: ['https://cloud.google.com/iam/docs/understanding-roles', IAM_REF],
  compliance: ['CIS GCP 1.5'],
  equivalents: { checkov: ['CKV_GCP_42'], trivy: ['AVD-GCP-0007'] },
  resources: IAM_RESOURCES,
  check(r, ctx) {
    const role = iamRole(r)?.trim();
    if (!role || !privileged(role)) return;
    const sa = iamMembers(r).find(isServiceAccount);
    if (!sa) return;
    ctx.report({ at: r.attr('role')!, message: `${r.address} grants the privileged role ${role} to a service account (${sa.text ?? `${sa.prefix ?? ''}${sa.refAddress ?? ''}`}).` });
  },
  examples: {
    bad: [
      memberRes('google_project_iam_member', 'roles/owner', '"serviceAccount:${google_service_account.ci.email}"'),
      memberRes('google_organization_iam_binding', 'roles/resourcemanager.organizationAdmin', '"serviceAccount:ci@example-prod.iam.gserviceaccount.com"'),
    ],
    good: [memberRes('google_project_iam_member', 'roles/logging.logWriter', '"serviceAccount:${google_service_account.ci.email}"'), memberRes('google_project_iam_member', 'roles/owner', '"group:admins@example.com"'), 'variable "m" {}\n' + memberRes('google_project_iam_member', 'roles/owner', 'var.m')],
  },
});


const BASIC_ROLES = new Set(['roles/owner', 'roles/editor', 'roles/viewer']);

const noBasicRoles = terraformRule({
  id: 'google-iam-no-basic-roles',
  title: 'Basic role (Owner, Editor, Viewer) granted at project, folder or organization level',
  severity: 'medium',
  impact: 'Basic roles bundle thousands of permissions across all services: Editor can change almost everything and Viewer can read most data, far beyond what any one member needs.',
  remediation: 'Replace roles/owner, roles/editor and roles/viewer with predefined or custom roles limited to the services and actions needed.',
  references: ['https://cloud.google.com/iam/docs/understanding-roles#basic', IAM_REF],
  compliance: ['CIS GCP 1.5', 'NIST 800-53 AC-6'],
  equivalents: { checkov: ['CKV_GCP_117'] },
  resources: IAM_RESOURCES,
  check(r, ctx) {
    const role = iamRole(r)?.trim();
    if (!role || !BASIC_ROLES.has(role)) return;
    ctx.report({ at: r.attr('role')!, message: `${r.address} grants the basic role ${role} at ${IAM_LEVELS[r.resourceType]} level.` });
  },
  examples: {
    bad: [memberRes('google_project_iam_member', 'roles/editor', '"group:developers@example.com"'), memberRes('google_folder_iam_binding', 'roles/owner', '"user:alice@example.com"')],
    good: [memberRes('google_project_iam_member', 'roles/compute.viewer', '"group:developers@example.com"'), 'variable "role" {}\nresource "google_project_iam_member" "grant" {\n  project = "example-prod"\n  role    = var.role\n  member  = "group:ci@example.com"\n}\n'],
  },
});

// ---------------------------------------------------------------- projects

const noDefaultNetwork = terraformRule({
  id: 'google-project-no-default-network',
  title: 'Project is created with the default network',
  severity: 'high',
  impact: 'The auto-created default network comes with permissive firewall rules (SSH, RDP and ICMP from anywhere, all internal traffic), exposing every instance placed in it.',
  remediation: 'Set auto_create_network = false on google_project and create a custom VPC with explicit firewall rules.',
  references: ['https://cloud.google.com/vpc/docs/vpc#default-network', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_project#auto_create_network'],
  compliance: ['CIS GCP 3.1'],
  equivalents: { checkov: ['CKV_GCP_27'], trivy: ['AVD-GCP-0010'], kics: ['59571246-3f62-4965-a96f-c7d97e269351'] },
  fixable: true,
  resources: ['google_project'],
  check(r, ctx) {
    const v = r.get('auto_create_network');
    if (v !== undefined && v !== null && gBool(v) !== true) return;
    ctx.report({
      at: anchor(r, [], 'auto_create_network'),
      message: v === undefined || v === null ? `${r.address} does not set auto_create_network = false: the default network is created.` : `${r.address} sets auto_create_network = true.`,
      fix: setFix(r, [], 'auto_create_network', 'false'),
    });
  },
  examples: {
    bad: [
      'resource "google_project" "prod" {\n  name                = "Prod"\n  project_id          = "example-prod"\n  org_id              = "123456789012"\n  auto_create_network = true\n}\n',
      'resource "google_project" "prod" {\n  name       = "Prod"\n  project_id = "example-prod"\n}\n',
    ],
    good: [
      'resource "google_project" "prod" {\n  name                = "Prod"\n  project_id          = "example-prod"\n  auto_create_network = false\n}\n',
      'variable "acn" {}\nresource "google_project" "prod" {\n  name                = "Prod"\n  project_id          = "example-prod"\n  auto_create_network = var.acn\n}\n',
    ],
  },
});

const wifCondition = terraformRule({
  id: 'google-iam-workload-identity-provider-condition',
  title: 'Workload identity pool provider has no attribute condition',
  severity: 'high',
  impact: 'Without an attribute condition, any identity the external issuer vouches for (for GitHub, any repository of any owner) can exchange its token and act through the pool.',
  remediation: 'Set attribute_condition to restrict the accepted identities, e.g. assertion.repository_owner == "my-org".',
  references: ['https://cloud.google.com/iam/docs/workload-identity-federation#conditions', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/iam_workload_identity_pool_provider#attribute_condition'],
  compliance: ['NIST 800-53 AC-3'],
  equivalents: { trivy: ['AVD-GCP-0068'] },
  resources: ['google_iam_workload_identity_pool_provider'],
  check(r, ctx) {
    const v = r.get('attribute_condition');
    if (v !== undefined && v !== null && (toStr(v) === undefined || toStr(v)!.trim() !== '')) return;
    ctx.report({ at: r.attr('attribute_condition') ?? r, message: `${r.address} has no attribute_condition: every identity of the issuer is accepted.` });
  },
  examples: {
    bad: ['resource "google_iam_workload_identity_pool_provider" "github" {\n  workload_identity_pool_id          = "github"\n  workload_identity_pool_provider_id = "github"\n  oidc {\n    issuer_uri = "https://token.actions.githubusercontent.com"\n  }\n}\n'],
    good: [
      'resource "google_iam_workload_identity_pool_provider" "github" {\n  workload_identity_pool_id          = "github"\n  workload_identity_pool_provider_id = "github"\n  attribute_condition                = "assertion.repository_owner == \'example-org\'"\n  oidc {\n    issuer_uri = "https://token.actions.githubusercontent.com"\n  }\n}\n',
      'variable "cond" {}\nresource "google_iam_workload_identity_pool_provider" "github" {\n  workload_identity_pool_id          = "github"\n  workload_identity_pool_provider_id = "github"\n  attribute_condition                = var.cond\n}\n',
    ],
  },
});

const LOG_TYPES = ['ADMIN_READ', 'DATA_READ', 'DATA_WRITE'];
const AUDIT_TYPES = ['google_project_iam_audit_config', 'google_folder_iam_audit_config', 'google_organization_iam_audit_config'];

/** Log types an audit config is missing; undefined when it cannot be judged. */
function missingLogTypes(c: TfResource): string[] | undefined {
  const blocks = c.blocks('audit_log_config');
  if (blocks.some((b) => b.dynamic)) return undefined;
  const have = new Set<string>();
  for (const b of blocks) {
    const t = toStr(b.get('log_type'));
    if (t === undefined) return undefined;
    have.add(t);
  }
  return LOG_TYPES.filter((t) => !have.has(t));
}

const auditConfig = terraformRule({
  id: 'google-iam-audit-logging',
  title: 'Cloud Audit Logs are not configured for all services and log types',
  severity: 'low',
  impact: 'Without data-access audit logs for all services, reads and writes of data (and admin reads) leave no trace, so misuse and exfiltration cannot be investigated.',
  remediation: 'Add a google_project_iam_audit_config (or folder/organization) with service = "allServices" and audit_log_config blocks for ADMIN_READ, DATA_READ and DATA_WRITE.',
  references: ['https://cloud.google.com/logging/docs/audit/configure-data-access', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_project_iam#google_project_iam_audit_config'],
  compliance: ['CIS GCP 2.1'],
  equivalents: { checkov: ['CKV2_GCP_5'], trivy: ['AVD-GCP-0079'], kics: ['89fe890f-b480-460c-8b6b-7d8b1468adb4'] },
  resources: ['google_project', ...AUDIT_TYPES],
  check(r, ctx) {
    if (r.resourceType !== 'google_project') {
      if (toStr(r.get('service')) !== 'allServices') return;
      const missing = missingLogTypes(r);
      if (!missing || missing.length === 0) return;
      ctx.report({ at: r, message: `${r.address} audits allServices without the log types ${missing.join(', ')}.` });
      return;
    }
    // A project is covered by any complete allServices audit config of the module.
    const configs = AUDIT_TYPES.flatMap((t) => r.module.resourcesOfType(t));
    for (const c of configs) {
      const s = c.get('service');
      if (toStr(s) === undefined && s !== undefined) return; // unknown service
      if (toStr(s) !== 'allServices') continue;
      const missing = missingLogTypes(c);
      if (!missing || missing.length === 0) return;
    }
    ctx.report({ at: r, message: `${r.address} has no audit config for allServices with ADMIN_READ, DATA_READ and DATA_WRITE in this configuration.` });
  },
  examples: {
    bad: [
      'resource "google_project" "prod" {\n  name                = "Prod"\n  project_id          = "example-prod"\n  auto_create_network = false\n}\n',
      'resource "google_project_iam_audit_config" "all" {\n  project = "example-prod"\n  service = "allServices"\n  audit_log_config {\n    log_type = "ADMIN_READ"\n  }\n}\n',
    ],
    good: [
      'resource "google_project" "prod" {\n  name                = "Prod"\n  project_id          = "example-prod"\n  auto_create_network = false\n}\nresource "google_project_iam_audit_config" "all" {\n  project = google_project.prod.project_id\n  service = "allServices"\n  audit_log_config {\n    log_type = "ADMIN_READ"\n  }\n  audit_log_config {\n    log_type = "DATA_READ"\n  }\n  audit_log_config {\n    log_type = "DATA_WRITE"\n  }\n}\n',
      'variable "types" {}\nresource "google_project_iam_audit_config" "all" {\n  project = "example-prod"\n  service = "allServices"\n  dynamic "audit_log_config" {\n    for_each = var.types\n    content {\n      log_type = audit_log_config.value\n    }\n  }\n}\n',
    ],
  },
});

export const rules: Rule[] = [noUserGrants, noPersonalEmail, noDefaultSaRoles, noImpersonationRoles, noPrivilegedSa, noBasicRoles, noDefaultNetwork, wifCondition, auditConfig];
