import { tfFix } from '../../engine/fix';
import { terraformRule, type Rule } from '../../engine/rule';
import type { TfBlock } from '../../parse/terraform';
import { isKnown, toBool, toNum, toStr } from '../../parse/values';
import { attrRule, describeValue, knownStrings, lc, listFullyKnown, replaceLiteral, setLiteral } from './util';

/* ---------------------------------------------------------------- Defender for Cloud (security center) */

const CONTACT = 'azurerm_security_center_contact';
const CONTACT_REF = 'https://learn.microsoft.com/en-us/azure/defender-for-cloud/configure-email-notifications';
const contact = (body: string) => `resource "azurerm_security_center_contact" "main" {\n${body}}\n`;
const FULL = '  email               = "secops@example.com"\n  phone               = "+1-555-0100"\n';

const alertNotifications = attrRule({
  id: 'azure-securitycenter-alert-notifications',
  title: 'Defender for Cloud does not e-mail high severity alerts',
  severity: 'medium',
  impact: 'The security contact is not told about high severity alerts, so active attacks may go unanswered.',
  remediation: 'Set alert_notifications = true on the azurerm_security_center_contact.',
  references: [CONTACT_REF],
  compliance: ['NIST 800-53 SI-4'],
  equivalents: { trivy: ['AVD-AZU-0044', 'AVD-AZU-0063'], checkov: ['CKV_AZURE_21'], kics: ['9db38e87-f6aa-4b5e-a1ec-7266df259409'] },
  resources: [CONTACT],
  name: 'alert_notifications',
  problem: (v) => (toBool(v) === false ? 'sets alert_notifications = false: high severity alerts are not e-mailed.' : undefined),
  fix: 'true',
  examples: {
    bad: [contact(`${FULL}  alert_notifications = false\n  alerts_to_admins    = true\n`)],
    good: [contact(`${FULL}  alert_notifications = true\n  alerts_to_admins    = true\n`), 'variable "n" {}\n' + contact(`${FULL}  alert_notifications = var.n\n  alerts_to_admins    = true\n`)],
  },
});

const alertsToAdmins = attrRule({
  id: 'azure-securitycenter-alerts-to-admins',
  title: 'Defender for Cloud alerts are not sent to subscription owners',
  severity: 'medium',
  impact: 'Subscription owners and administrators are not told about security alerts and may not react to an ongoing attack.',
  remediation: 'Set alerts_to_admins = true on the azurerm_security_center_contact.',
  references: [CONTACT_REF],
  compliance: ['NIST 800-53 SI-4'],
  equivalents: { trivy: ['AVD-AZU-0063'], checkov: ['CKV_AZURE_22'] },
  resources: [CONTACT],
  name: 'alerts_to_admins',
  problem: (v) => (toBool(v) === false ? 'sets alerts_to_admins = false: administrators get no alert e-mails.' : undefined),
  fix: 'true',
  examples: {
    bad: [contact(`${FULL}  alert_notifications = true\n  alerts_to_admins    = false\n`)],
    good: [contact(`${FULL}  alert_notifications = true\n  alerts_to_admins    = true\n`), 'variable "a" {}\n' + contact(`${FULL}  alert_notifications = true\n  alerts_to_admins    = var.a\n`)],
  },
});

function contactField(id: string, field: 'email' | 'phone', title: string, impact: string, trivy: string, checkov: string | undefined, kics: string | undefined): Rule {
  return terraformRule({
    id,
    title,
    severity: field === 'email' ? 'medium' : 'low',
    impact,
    remediation: `Set ${field} on the azurerm_security_center_contact to a monitored ${field === 'email' ? 'mailbox' : 'number'}.`,
    references: [CONTACT_REF],
    compliance: ['NIST 800-53 SI-4'],
    equivalents: { trivy: [trivy], ...(checkov ? { checkov: [checkov] } : {}), ...(kics ? { kics: [kics] } : {}) },
    resources: [CONTACT],
    check(c, ctx) {
      const a = c.attr(field);
      if (a && (!isKnown(a.value) || (toStr(a.value) ?? '').trim() !== '')) return;
      ctx.report({ at: a ?? c, message: `${c.address} ${a ? `sets ${field} = ""` : `has no ${field}`}: Microsoft cannot reach the security contact.` });
    },
    examples: field === 'email'
      ? {
        bad: [contact('  phone               = "+1-555-0100"\n  alert_notifications = true\n  alerts_to_admins    = true\n'), contact('  email               = ""\n  alert_notifications = true\n  alerts_to_admins    = true\n')],
        good: [contact(`${FULL}  alert_notifications = true\n  alerts_to_admins    = true\n`), 'variable "mail" {}\n' + contact('  email               = var.mail\n  alert_notifications = true\n  alerts_to_admins    = true\n')],
      }
      : {
        bad: [contact('  email               = "secops@example.com"\n  alert_notifications = true\n  alerts_to_admins    = true\n')],
        good: [contact(`${FULL}  alert_notifications = true\n  alerts_to_admins    = true\n`), 'variable "tel" {}\n' + contact('  email               = "secops@example.com"\n  phone               = var.tel\n  alert_notifications = true\n  alerts_to_admins    = true\n')],
      },
  });
}

const contactEmail = contactField('azure-securitycenter-contact-email', 'email', 'Defender for Cloud security contact has no e-mail address',
  'Security alerts and notices from Microsoft have no mailbox to go to, so incidents on the subscription may go unnoticed.',
  'AVD-AZU-0062', 'CKV_AZURE_131', '34664094-59e0-4524-b69f-deaa1a68cce3');
const contactPhone = contactField('azure-securitycenter-contact-phone', 'phone', 'Defender for Cloud security contact has no phone number',
  'Microsoft cannot call the security team when it detects a compromise of the subscription, delaying the response.',
  'AVD-AZU-0046', 'CKV_AZURE_20', undefined);

const standardTier = attrRule({
  id: 'azure-securitycenter-standard-tier',
  title: 'Defender for Cloud plan is on the Free tier',
  severity: 'low',
  impact: 'The resource type gets no threat detection (Defender plan), so attacks on it raise no alerts.',
  remediation: 'Set tier = "Standard" on the azurerm_security_center_subscription_pricing.',
  references: ['https://learn.microsoft.com/en-us/azure/defender-for-cloud/enable-enhanced-security'],
  compliance: ['NIST 800-53 SI-4', 'NIST 800-53 RA-5'],
  equivalents: { trivy: ['AVD-AZU-0045'], checkov: ['CKV_AZURE_19'], kics: ['819d50fd-1cdf-45c3-9936-be408aaad93e'] },
  resources: ['azurerm_security_center_subscription_pricing'],
  name: 'tier',
  problem: (v) => (lc(v) === 'free' ? `sets tier = "${String(v)}": Defender threat detection is off.` : undefined),
  fix: '"Standard"',
  examples: {
    bad: ['resource "azurerm_security_center_subscription_pricing" "vm" {\n  tier          = "Free"\n  resource_type = "VirtualMachines"\n}\n'],
    good: [
      'resource "azurerm_security_center_subscription_pricing" "vm" {\n  tier          = "Standard"\n  resource_type = "VirtualMachines"\n}\n',
      'variable "tier" {}\nresource "azurerm_security_center_subscription_pricing" "vm" {\n  tier          = var.tier\n  resource_type = "VirtualMachines"\n}\n',
    ],
  },
});

/* ---------------------------------------------------------------- Monitor log profile */

const LOG_PROFILE = 'azurerm_monitor_log_profile';
const LOG_REF = 'https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/activity-log';
const profile = (body: string) =>
  `resource "azurerm_monitor_log_profile" "main" {\n  name               = "default"\n  storage_account_id = azurerm_storage_account.logs.id\n${body}}\n`;
const ALL_CATS = '  categories = ["Action", "Delete", "Write"]\n';

const logRetention = terraformRule({
  id: 'azure-monitor-activity-log-retention',
  title: 'Activity log profile keeps logs for less than a year',
  severity: 'medium',
  impact: 'Subscription activity (who changed or deleted what) is gone before a slow intrusion is discovered and investigated.',
  remediation: 'Set retention_policy { enabled = true, days = 365 } or more (0 keeps the events indefinitely).',
  references: [LOG_REF],
  compliance: ['NIST 800-53 AU-11'],
  equivalents: { trivy: ['AVD-AZU-0031'], checkov: ['CKV_AZURE_37'], kics: ['2b856bf9-8e8c-4005-875f-303a8cba3918'] },
  fixable: true,
  resources: [LOG_PROFILE],
  check(p, ctx) {
    const rp: TfBlock | undefined = p.block('retention_policy');
    if (!rp || rp.dynamic) return;
    const enabled = rp.get('enabled');
    const days = rp.get('days');
    if (!isKnown(enabled) || (days !== undefined && !isKnown(days))) return;
    const d = days === undefined ? 0 : toNum(days);
    if (d === undefined) return;
    if (toBool(enabled) === false) {
      // Retention disabled keeps the logs forever.
      return;
    }
    if (d === 0 || d >= 365) return; // 0 keeps the events indefinitely
    ctx.report({
      at: rp.attr('days') ?? rp,
      message: `${p.address} keeps the activity log for ${d} days (less than 365).`,
      fix: tfFix('Keep the activity log for 365 days', setLiteral(rp, 'days', '365')),
    });
  },
  examples: {
    bad: [profile(`${ALL_CATS}  locations  = ["global"]\n  retention_policy {\n    enabled = true\n    days    = 30\n  }\n`)],
    good: [
      profile(`${ALL_CATS}  locations  = ["global"]\n  retention_policy {\n    enabled = true\n    days    = 365\n  }\n`),
      'variable "days" {}\n' + profile(`${ALL_CATS}  locations  = ["global"]\n  retention_policy {\n    enabled = true\n    days    = var.days\n  }\n`),
    ],
  },
});

const REQUIRED_CATEGORIES = ['Action', 'Delete', 'Write'];

const allCategories = terraformRule({
  id: 'azure-monitor-capture-all-activities',
  title: 'Activity log profile does not capture every category',
  severity: 'medium',
  impact: 'Some administrative operations (writes, deletes or actions) are not recorded, so changes made by an attacker leave no trace.',
  remediation: 'Set categories = ["Action", "Delete", "Write"].',
  references: [LOG_REF],
  compliance: ['NIST 800-53 AU-2'],
  equivalents: { trivy: ['AVD-AZU-0033'], checkov: ['CKV_AZURE_38'] },
  fixable: true,
  resources: [LOG_PROFILE],
  check(p, ctx) {
    const a = p.attr('categories');
    if (a && !listFullyKnown(a.value)) return;
    const have = knownStrings(a?.value);
    const missing = REQUIRED_CATEGORIES.filter((c) => !have.some((h) => h.toLowerCase() === c.toLowerCase()));
    if (missing.length === 0) return;
    const text = `[${[...have, ...missing].map((s) => `"${s}"`).join(', ')}]`;
    ctx.report({
      at: a ?? p,
      message: `${p.address} does not capture the ${missing.join(', ')} categor${missing.length > 1 ? 'ies' : 'y'}.`,
      fix: tfFix('Capture every category', a ? replaceLiteral(a, text) : setLiteral(p, 'categories', text)),
    });
  },
  examples: {
    bad: [profile('  categories = ["Write"]\n  locations  = ["global"]\n  retention_policy {\n    enabled = true\n    days    = 365\n  }\n')],
    good: [
      profile(`${ALL_CATS}  locations  = ["global"]\n  retention_policy {\n    enabled = true\n    days    = 365\n  }\n`),
      'variable "cats" {}\n' + profile('  categories = var.cats\n  locations  = ["global"]\n  retention_policy {\n    enabled = true\n    days    = 365\n  }\n'),
    ],
  },
});

const AZURE_REGIONS = [
  'eastus', 'eastus2', 'southcentralus', 'westus2', 'westus3', 'australiaeast', 'southeastasia', 'northeurope', 'swedencentral',
  'uksouth', 'westeurope', 'centralus', 'northcentralus', 'westus', 'southafricanorth', 'centralindia', 'eastasia', 'japaneast',
  'jioindiawest', 'koreacentral', 'canadacentral', 'francecentral', 'germanywestcentral', 'norwayeast', 'switzerlandnorth',
  'uaenorth', 'brazilsouth', 'centralusstage', 'eastusstage', 'eastus2stage', 'northcentralusstage', 'southcentralusstage',
  'westusstage', 'westus2stage', 'asia', 'asiapacific', 'australia', 'brazil', 'canada', 'europe', 'global', 'india', 'japan',
  'uk', 'unitedstates', 'eastasiastage', 'southeastasiastage', 'centraluseuap', 'eastus2euap', 'westcentralus',
  'southafricawest', 'australiacentral', 'australiacentral2', 'australiasoutheast', 'japanwest', 'jioindiacentral', 'koreasouth',
  'southindia', 'westindia', 'canadaeast', 'francesouth', 'germanynorth', 'norwaywest', 'swedensouth', 'switzerlandwest',
  'ukwest', 'uaecentral', 'brazilsoutheast',
];

const allRegions = terraformRule({
  id: 'azure-monitor-capture-all-regions',
  title: 'Activity log profile does not cover every region',
  severity: 'medium',
  impact: 'Activity in the regions left out (often where an attacker deploys resources to stay unseen) is not exported.',
  remediation: 'List every Azure region, including "global", in locations.',
  references: [LOG_REF, 'https://learn.microsoft.com/en-us/cli/azure/monitor/log-profiles'],
  compliance: ['NIST 800-53 AU-2'],
  equivalents: { trivy: ['AVD-AZU-0032'] },
  resources: [LOG_PROFILE],
  check(p, ctx) {
    const a = p.attr('locations');
    if (a && !listFullyKnown(a.value)) return;
    const have = new Set(knownStrings(a?.value).map((s) => s.toLowerCase().replace(/\s+/g, '')));
    const missing = AZURE_REGIONS.filter((r) => !have.has(r));
    if (missing.length === 0) return;
    const shown = missing.length <= 5 ? missing.join(', ') : `${missing.slice(0, 5).join(', ')} and ${missing.length - 5} more`;
    ctx.report({ at: a ?? p, message: `${p.address} does not log the regions ${shown}.` });
  },
  examples: {
    bad: [profile(`${ALL_CATS}  locations  = ["westeurope", "global"]\n  retention_policy {\n    enabled = true\n    days    = 365\n  }\n`)],
    good: [
      profile(`${ALL_CATS}  locations  = [${AZURE_REGIONS.map((r) => `"${r}"`).join(', ')}]\n  retention_policy {\n    enabled = true\n    days    = 365\n  }\n`),
      'variable "regions" {}\n' + profile(`${ALL_CATS}  locations  = var.regions\n  retention_policy {\n    enabled = true\n    days    = 365\n  }\n`),
    ],
  },
});

/* ---------------------------------------------------------------- Authorization */

const ROLE_REF = 'https://learn.microsoft.com/en-us/azure/role-based-access-control/custom-roles';
const role = (actions: string, scopes: string) =>
  `resource "azurerm_role_definition" "custom" {\n  name  = "custom-operator"\n  scope = data.azurerm_subscription.primary.id\n  permissions {\n    actions     = ${actions}\n    not_actions = []\n  }\n  assignable_scopes = ${scopes}\n}\n`;

function roleActions(r: TfBlock): { actions: string[]; attr: ReturnType<TfBlock['attr']> }[] {
  return r.blocks('permissions').filter((b) => !b.dynamic).map((b) => ({ actions: knownStrings(b.get('actions')), attr: b.attr('actions') }));
}

const limitRoleActions = terraformRule({
  id: 'azure-authorization-limit-role-actions',
  title: 'Custom role grants every action at the root scope',
  severity: 'medium',
  impact: 'Anyone assigned the role becomes an owner of every subscription under the tenant root, able to change or delete anything.',
  remediation: 'List only the needed actions, and assign the role at a subscription or resource group scope rather than "/".',
  references: [ROLE_REF],
  compliance: ['NIST 800-53 AC-6'],
  equivalents: { trivy: ['AVD-AZU-0030'], checkov: ['CKV_AZURE_39'] },
  resources: ['azurerm_role_definition'],
  check(r, ctx) {
    const scopes = knownStrings(r.get('assignable_scopes'));
    if (!scopes.includes('/')) return;
    for (const p of roleActions(r)) {
      if (p.attr && p.actions.includes('*')) ctx.report({ at: p.attr, message: `${r.address} allows actions = "*" and is assignable at the root scope "/".` });
    }
  },
  examples: {
    bad: [role('["*"]', '["/"]')],
    good: [role('["*"]', '[data.azurerm_subscription.primary.id]'), role('["Microsoft.Compute/virtualMachines/read"]', '["/"]'), 'variable "scopes" {}\n' + role('["*"]', 'var.scopes')],
  },
});

const ROLE_CREATION = ['*', 'microsoft.authorization/*', 'microsoft.authorization/*/write', 'microsoft.authorization/roledefinitions/*', 'microsoft.authorization/roledefinitions/write'];

const noCustomRoleCreation = terraformRule({
  id: 'azure-authorization-no-custom-role-creation',
  title: 'Custom role can create or change role definitions',
  severity: 'medium',
  impact: 'Holders of the role can write themselves a new role with any permission, escalating to full control of the scope.',
  remediation: 'Remove "*", "Microsoft.Authorization/*" and "Microsoft.Authorization/roleDefinitions/write" from the role\'s actions.',
  references: [ROLE_REF],
  compliance: ['NIST 800-53 AC-6'],
  equivalents: { trivy: ['AVD-AZU-0052'], kics: ['3fa5900f-9aac-4982-96b2-a6143d9c99fb'] },
  resources: ['azurerm_role_definition'],
  check(r, ctx) {
    for (const p of roleActions(r)) {
      const hit = p.actions.find((a) => ROLE_CREATION.includes(a.toLowerCase()));
      if (p.attr && hit) ctx.report({ at: p.attr, message: `${r.address} allows "${hit}", which includes creating role definitions.` });
    }
  },
  examples: {
    bad: [role('["Microsoft.Authorization/roleDefinitions/write"]', '[data.azurerm_subscription.primary.id]'), role('["Microsoft.Authorization/*"]', '[data.azurerm_subscription.primary.id]')],
    good: [role('["Microsoft.Authorization/roleDefinitions/read", "Microsoft.Storage/storageAccounts/read"]', '[data.azurerm_subscription.primary.id]'), 'variable "actions" {}\n' + role('var.actions', '[data.azurerm_subscription.primary.id]')],
  },
});

/* ---------------------------------------------------------------- Data Factory, Data Lake, Synapse */

const dataFactoryPublic = attrRule({
  id: 'azure-datafactory-no-public-access',
  title: 'Data Factory is reachable over its public endpoint',
  severity: 'critical',
  impact: 'The factory\'s endpoint accepts connections from the internet; stolen credentials can be used from anywhere to run or alter pipelines that reach your data stores.',
  remediation: 'Set public_network_enabled = false and use private endpoints.',
  references: ['https://learn.microsoft.com/en-us/azure/data-factory/data-factory-private-link'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AZU-0035'], checkov: ['CKV_AZURE_104'] },
  resources: ['azurerm_data_factory'],
  name: 'public_network_enabled',
  absent: true,
  problem: (v, absent) => (toBool(v) === true ? `${describeValue('public_network_enabled', v, absent)}: the factory has a public endpoint.` : undefined),
  fix: 'false',
  examples: {
    bad: ['resource "azurerm_data_factory" "main" {\n  name                = "example-adf"\n  location            = "westeurope"\n  resource_group_name = "rg"\n}\n'],
    good: [
      'resource "azurerm_data_factory" "main" {\n  name                   = "example-adf"\n  location               = "westeurope"\n  resource_group_name    = "rg"\n  public_network_enabled = false\n}\n',
      'variable "pub" {}\nresource "azurerm_data_factory" "main" {\n  name                   = "example-adf"\n  location               = "westeurope"\n  resource_group_name    = "rg"\n  public_network_enabled = var.pub\n}\n',
    ],
  },
});

const dataLakeEncryption = attrRule({
  id: 'azure-datalake-encryption',
  title: 'Data Lake Store (Gen1) encryption is disabled',
  severity: 'high',
  impact: 'Data is stored unencrypted at rest; anyone who obtains the underlying storage can read it.',
  remediation: 'Set encryption_state = "Enabled" (the default).',
  references: ['https://learn.microsoft.com/en-us/azure/data-lake-store/data-lake-store-encryption'],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AZU-0036'], checkov: ['CKV_AZURE_105'] },
  resources: ['azurerm_data_lake_store'],
  name: 'encryption_state',
  problem: (v) => (lc(v) === 'disabled' ? `sets encryption_state = "${String(v)}": data is not encrypted at rest.` : undefined),
  fix: '"Enabled"',
  examples: {
    bad: ['resource "azurerm_data_lake_store" "lake" {\n  name                = "examplelake"\n  resource_group_name = "rg"\n  location            = "eastus2"\n  encryption_state    = "Disabled"\n}\n'],
    good: [
      'resource "azurerm_data_lake_store" "lake" {\n  name                = "examplelake"\n  resource_group_name = "rg"\n  location            = "eastus2"\n}\n',
      'variable "enc" {}\nresource "azurerm_data_lake_store" "lake" {\n  name                = "examplelake"\n  resource_group_name = "rg"\n  location            = "eastus2"\n  encryption_state    = var.enc\n}\n',
    ],
  },
});

const synapseManagedVnet = attrRule({
  id: 'azure-synapse-managed-vnet',
  title: 'Synapse workspace does not use a managed virtual network',
  severity: 'medium',
  impact: 'Workspace compute runs without network isolation and can reach (and be reached from) arbitrary networks, easing data exfiltration.',
  remediation: 'Create the workspace with managed_virtual_network_enabled = true (changing it recreates the workspace).',
  references: ['https://learn.microsoft.com/en-us/azure/synapse-analytics/security/synapse-workspace-managed-vnet'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AZU-0034'], checkov: ['CKV_AZURE_58'] },
  resources: ['azurerm_synapse_workspace'],
  name: 'managed_virtual_network_enabled',
  absent: false,
  problem: (v, absent) => (toBool(v) === false ? `${describeValue('managed_virtual_network_enabled', v, absent)}.` : undefined),
  examples: {
    bad: ['resource "azurerm_synapse_workspace" "main" {\n  name                                 = "example-syn"\n  resource_group_name                  = "rg"\n  location                             = "westeurope"\n  storage_data_lake_gen2_filesystem_id = azurerm_storage_data_lake_gen2_filesystem.main.id\n  identity {\n    type = "SystemAssigned"\n  }\n}\n'],
    good: [
      'resource "azurerm_synapse_workspace" "main" {\n  name                                 = "example-syn"\n  resource_group_name                  = "rg"\n  location                             = "westeurope"\n  storage_data_lake_gen2_filesystem_id = azurerm_storage_data_lake_gen2_filesystem.main.id\n  managed_virtual_network_enabled      = true\n  identity {\n    type = "SystemAssigned"\n  }\n}\n',
      'variable "vnet" {}\nresource "azurerm_synapse_workspace" "main" {\n  name                                 = "example-syn"\n  resource_group_name                  = "rg"\n  location                             = "westeurope"\n  storage_data_lake_gen2_filesystem_id = azurerm_storage_data_lake_gen2_filesystem.main.id\n  managed_virtual_network_enabled      = var.vnet\n}\n',
    ],
  },
});

/* ---------------------------------------------------------------- Container Registry, Redis */

const acrAdmin = attrRule({
  id: 'azure-acr-admin-user-disabled',
  title: 'Container registry admin user is enabled',
  severity: 'medium',
  impact: 'A single shared username and password grants push and pull on the whole registry; if it leaks, images can be replaced with malicious ones.',
  remediation: 'Set admin_enabled = false and use Azure AD identities or scoped tokens.',
  references: ['https://learn.microsoft.com/en-us/azure/container-registry/container-registry-authentication#admin-account'],
  compliance: ['NIST 800-53 AC-2'],
  equivalents: { checkov: ['CKV_AZURE_137'] },
  resources: ['azurerm_container_registry'],
  name: 'admin_enabled',
  problem: (v) => (toBool(v) === true ? 'sets admin_enabled = true: a shared admin credential can push and pull every image.' : undefined),
  fix: 'false',
  examples: {
    bad: ['resource "azurerm_container_registry" "acr" {\n  name                = "exampleacr"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  sku                 = "Premium"\n  admin_enabled       = true\n}\n'],
    good: [
      'resource "azurerm_container_registry" "acr" {\n  name                = "exampleacr"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  sku                 = "Premium"\n}\n',
      'variable "admin" {}\nresource "azurerm_container_registry" "acr" {\n  name                = "exampleacr"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  sku                 = "Premium"\n  admin_enabled       = var.admin\n}\n',
    ],
  },
});

const redisSslOnly = attrRule({
  id: 'azure-redis-ssl-only',
  title: 'Azure Cache for Redis accepts unencrypted connections',
  severity: 'high',
  impact: 'The non-TLS port 6379 is open: the access key and cached data cross the network in clear text.',
  remediation: 'Set non_ssl_port_enabled = false (enable_non_ssl_port on azurerm < 4.0), the default.',
  references: ['https://learn.microsoft.com/en-us/azure/azure-cache-for-redis/cache-configure#access-ports'],
  compliance: ['NIST 800-53 SC-8'],
  equivalents: { checkov: ['CKV_AZURE_91'] },
  resources: ['azurerm_redis_cache'],
  name: ['non_ssl_port_enabled', 'enable_non_ssl_port'],
  problem: (v, absent) => (toBool(v) === true ? `${describeValue('the non-SSL port', v, absent)}.` : undefined),
  fix: 'false',
  examples: {
    bad: ['resource "azurerm_redis_cache" "cache" {\n  name                = "example-cache"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  capacity            = 1\n  family              = "C"\n  sku_name            = "Standard"\n  enable_non_ssl_port = true\n}\n'],
    good: [
      'resource "azurerm_redis_cache" "cache" {\n  name                = "example-cache"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  capacity            = 1\n  family              = "C"\n  sku_name            = "Standard"\n}\n',
      'variable "plain" {}\nresource "azurerm_redis_cache" "cache" {\n  name                 = "example-cache"\n  location             = "westeurope"\n  resource_group_name  = "rg"\n  capacity             = 1\n  family               = "C"\n  sku_name             = "Standard"\n  non_ssl_port_enabled = var.plain\n}\n',
    ],
  },
});

export const rules: Rule[] = [
  alertNotifications, alertsToAdmins, contactEmail, contactPhone, standardTier,
  logRetention, allCategories, allRegions,
  limitRoleActions, noCustomRoleCreation,
  dataFactoryPublic, dataLakeEncryption, synapseManagedVnet,
  acrAdmin, redisSslOnly,
];
