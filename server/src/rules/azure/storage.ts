import { insertIntoBlock, setNestedAttribute, tfFix } from '../../engine/fix';
import { terraformRule, type Rule } from '../../engine/rule';
import type { TfAttribute, TfBlock, TfResource } from '../../parse/terraform';
import { isKnown, toBool, toNum } from '../../parse/values';
import { attrRule, describeValue, hasPointing, pointingAt, isLiteralExpr, knownStrings, lc, listFullyKnown, locate, replaceLiteral, setLiteral } from './util';

const ACCOUNT = 'azurerm_storage_account';
const STORAGE_REF = 'https://learn.microsoft.com/en-us/azure/storage/common/storage-network-security';

const publicContainer = attrRule({
  id: 'azure-storage-container-no-public-access',
  title: 'Storage container allows anonymous public read access',
  severity: 'high',
  impact: 'Anyone on the internet can read the blobs of the container (and, with "container" access, list them) without credentials.',
  remediation: 'Set container_access_type = "private" and share data with SAS tokens or Azure AD roles.',
  references: ['https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-prevent'],
  compliance: ['NIST 800-53 AC-3'],
  equivalents: { trivy: ['AVD-AZU-0007'], checkov: ['CKV_AZURE_34'], kics: ['dd5230f8-a577-4bbb-b7ac-f2c2fe7d5299'] },
  resources: ['azurerm_storage_container'],
  name: 'container_access_type',
  problem: (v) => {
    const s = lc(v);
    return s === 'blob' || s === 'container' ? `sets container_access_type = "${String(v)}", allowing anonymous reads.` : undefined;
  },
  fix: '"private"',
  examples: {
    bad: ['resource "azurerm_storage_container" "assets" {\n  name                  = "assets"\n  storage_account_id    = azurerm_storage_account.main.id\n  container_access_type = "container"\n}\n'],
    good: [
      'resource "azurerm_storage_container" "assets" {\n  name                  = "assets"\n  storage_account_id    = azurerm_storage_account.main.id\n  container_access_type = "private"\n}\n',
      'resource "azurerm_storage_container" "assets" {\n  name               = "assets"\n  storage_account_id = azurerm_storage_account.main.id\n}\n',
      'variable "access" {}\nresource "azurerm_storage_container" "assets" {\n  name                  = "assets"\n  storage_account_id    = azurerm_storage_account.main.id\n  container_access_type = var.access\n}\n',
    ],
  },
});

const httpsOnly = attrRule({
  id: 'azure-storage-https-only',
  title: 'Storage account accepts unencrypted HTTP requests',
  severity: 'high',
  impact: 'Requests and shared access signatures travel in clear text and can be read or altered by anyone on the network path.',
  remediation: 'Set https_traffic_only_enabled = true (enable_https_traffic_only on azurerm provider < 4.0), the default.',
  references: ['https://learn.microsoft.com/en-us/azure/storage/common/storage-require-secure-transfer'],
  compliance: ['CIS Azure 3.1', 'NIST 800-53 SC-8', 'PCI DSS 4.1'],
  equivalents: { trivy: ['AVD-AZU-0008', 'AVD-AZU-0059'], checkov: ['CKV_AZURE_3'], kics: ['12944ec4-1fa0-47be-8b17-42a034f937c2'] },
  resources: [ACCOUNT],
  name: ['https_traffic_only_enabled', 'enable_https_traffic_only'],
  problem: (v, absent) => (toBool(v) === false ? `${describeValue('https_traffic_only_enabled', v, absent)}: plain HTTP is accepted.` : undefined),
  fix: 'true',
  examples: {
    bad: [
      'resource "azurerm_storage_account" "data" {\n  name                       = "exampledata"\n  resource_group_name        = "rg"\n  location                   = "westeurope"\n  account_tier               = "Standard"\n  account_replication_type   = "GRS"\n  https_traffic_only_enabled = false\n}\n',
      'resource "azurerm_storage_account" "data" {\n  name                      = "exampledata"\n  resource_group_name       = "rg"\n  location                  = "westeurope"\n  account_tier              = "Standard"\n  account_replication_type  = "GRS"\n  enable_https_traffic_only = false\n}\n',
    ],
    good: [
      'resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n}\n',
      'variable "https" {}\nresource "azurerm_storage_account" "data" {\n  name                       = "exampledata"\n  resource_group_name        = "rg"\n  location                   = "westeurope"\n  account_tier               = "Standard"\n  account_replication_type   = "GRS"\n  https_traffic_only_enabled = var.https\n}\n',
    ],
  },
});

const minTls = attrRule({
  id: 'azure-storage-min-tls',
  title: 'Storage account allows TLS versions older than 1.2',
  severity: 'high',
  impact: 'Clients may negotiate TLS 1.0/1.1, whose known weaknesses let a network attacker downgrade or decrypt traffic.',
  remediation: 'Set min_tls_version = "TLS1_2" (the provider default) or higher.',
  references: ['https://learn.microsoft.com/en-us/azure/storage/common/transport-layer-security-configure-minimum-version'],
  compliance: ['NIST 800-53 SC-8', 'PCI DSS 4.1'],
  equivalents: { trivy: ['AVD-AZU-0011', 'AVD-AZU-0059'], checkov: ['CKV_AZURE_44'], kics: ['8263f146-5e03-43e0-9cfe-db960d56d1e7'] },
  resources: [ACCOUNT],
  name: 'min_tls_version',
  problem: (v) => {
    const s = lc(v);
    return s === 'tls1_0' || s === 'tls1_1' ? `sets min_tls_version = "${String(v)}".` : undefined;
  },
  fix: '"TLS1_2"',
  examples: {
    bad: ['resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  min_tls_version          = "TLS1_1"\n}\n'],
    good: [
      'resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  min_tls_version          = "TLS1_2"\n}\n',
      'resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n}\n',
      'variable "tls" {}\nresource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  min_tls_version          = var.tls\n}\n',
    ],
  },
});

/** Account kinds that support the queue service (and its Storage Analytics logging). */
function supportsQueues(account: TfResource): boolean {
  const kind = account.get('account_kind');
  if (kind === undefined) return true;
  const k = lc(kind);
  return k === 'storagev2' || k === 'storage';
}

const queueLogging = terraformRule({
  id: 'azure-storage-queue-logging',
  title: 'Storage account does not log queue service requests',
  severity: 'medium',
  impact: 'Reads, writes and deletes on the queues leave no Storage Analytics log, so misuse of keys or SAS tokens cannot be investigated.',
  remediation: 'Add queue_properties { logging { read = true, write = true, delete = true, version = "1.0" } } or send the account\'s logs to a diagnostic setting.',
  references: ['https://learn.microsoft.com/en-us/azure/storage/common/storage-analytics-logging'],
  compliance: ['NIST 800-53 AU-2'],
  equivalents: { trivy: ['AVD-AZU-0009', 'AVD-AZU-0057'], checkov: ['CKV_AZURE_33'] },
  fixable: true,
  resources: [ACCOUNT],
  check(account, ctx) {
    if (!supportsQueues(account)) return;
    const qp = account.blocks('queue_properties');
    if (qp.some((b) => b.dynamic) || account.has('queue_properties')) return;
    const logging = qp[0]?.block('logging');
    if (logging) {
      if (logging.dynamic) return;
      const flags = ['read', 'write', 'delete'].map((n) => logging.get(n));
      if (flags.some((f) => f === undefined || !isKnown(f) || toBool(f) === true)) return;
    }
    if (hasPointing(ctx, account, ['azurerm_monitor_diagnostic_setting'], ['target_resource_id'])) return;
    // azurerm 4.x moves queue_properties to a separate resource.
    const separate = pointingAt(ctx, account, ['azurerm_storage_account_queue_properties'], ['storage_account_id']);
    if (separate.some((q) => q.hasBlock('logging') || q.has('logging'))) return;
    const queues = hasPointing(ctx, account, ['azurerm_storage_queue'], ['storage_account_name', 'storage_account_id']);
    const body = ['logging {', '  delete                = true', '  read                  = true', '  write                 = true', '  version               = "1.0"', '  retention_policy_days = 10', '}'];
    let fix;
    if (logging) {
      const edits = ['read', 'write', 'delete'].map((n) => setLiteral(logging, n, 'true'));
      fix = tfFix('Log reads, writes and deletes', ...edits);
    } else if (qp[0]) {
      fix = tfFix('Enable queue logging', insertIntoBlock(qp[0], body));
    } else {
      fix = tfFix('Enable queue logging', insertIntoBlock(account, ['queue_properties {', ...body.map((l) => `  ${l}`), '}']));
    }
    ctx.report({
      at: logging ?? qp[0] ?? account,
      message: `${account.address} has no queue_properties.logging${queues ? ' although queues are stored in it' : ''}: queue requests are not logged.`,
      fix,
    });
  },
  examples: {
    bad: [
      'resource "azurerm_storage_account" "jobs" {\n  name                     = "examplejobs"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n}\n\nresource "azurerm_storage_queue" "work" {\n  name                 = "work"\n  storage_account_name = azurerm_storage_account.jobs.name\n}\n',
      'resource "azurerm_storage_account" "jobs" {\n  name                     = "examplejobs"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  queue_properties {\n    hour_metrics {\n      enabled = true\n      version = "1.0"\n    }\n  }\n}\n',
      'resource "azurerm_storage_account" "jobs" {\n  name                     = "examplejobs"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  queue_properties {\n    logging {\n      delete  = false\n      read    = false\n      write   = false\n      version = "1.0"\n    }\n  }\n}\n',
    ],
    good: [
      'resource "azurerm_storage_account" "jobs" {\n  name                     = "examplejobs"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  queue_properties {\n    logging {\n      delete                = true\n      read                  = true\n      write                 = true\n      version               = "1.0"\n      retention_policy_days = 30\n    }\n  }\n}\n',
      'resource "azurerm_storage_account" "jobs" {\n  name                     = "examplejobs"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n}\n\nresource "azurerm_monitor_diagnostic_setting" "queue" {\n  name                       = "queue-logs"\n  target_resource_id         = "${azurerm_storage_account.jobs.id}/queueServices/default"\n  log_analytics_workspace_id = var.workspace_id\n  enabled_log {\n    category = "StorageWrite"\n  }\n}\n',
      'resource "azurerm_storage_account" "jobs" {\n  name                     = "examplejobs"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n}\n\nresource "azurerm_storage_account_queue_properties" "jobs" {\n  storage_account_id = azurerm_storage_account.jobs.id\n  logging {\n    delete                = true\n    read                  = true\n    write                 = true\n    version               = "1.0"\n    retention_policy_days = 30\n  }\n}\n',
      'variable "w" {}\nresource "azurerm_storage_account" "jobs" {\n  name                     = "examplejobs"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  queue_properties {\n    logging {\n      delete  = var.w\n      read    = var.w\n      write   = var.w\n      version = "1.0"\n    }\n  }\n}\n',
    ],
  },
});

function networkRulesRule(opts: {
  id: string; title: string; severity: 'critical' | 'high' | 'medium' | 'low'; impact: string; remediation: string;
  references: string[]; compliance: string[]; equivalents: { trivy: string[]; checkov?: string[]; kics?: string[] };
  judge(block: TfBlock, owner: string): { at: TfBlock | TfAttribute; message: string; fix: ReturnType<typeof tfFix> } | undefined;
  examples: { bad: string[]; good: string[] };
  /** The account's public endpoint is off: the firewall default does not matter. */
  skipWhenPrivate?: boolean;
}): Rule {
  const { judge, skipWhenPrivate, ...meta } = opts;
  return terraformRule({
    ...meta,
    fixable: true,
    resources: [ACCOUNT, 'azurerm_storage_account_network_rules'],
    check(r, ctx) {
      const account = r.resourceType === ACCOUNT ? r : ctx.module.resolve(r.get('storage_account_id'));
      if (skipWhenPrivate && account && toBool(account.get('public_network_access_enabled')) === false) return;
      // Separate network_rules resources are judged on their own (whether or not the account is declared).
      const blocks = r.resourceType === ACCOUNT ? r.blocks('network_rules').filter((b) => !b.dynamic) : [r];
      for (const b of blocks) {
        const f = judge(b, r.address);
        if (f) ctx.report(f);
      }
    },
  });
}

const bypassAzureServices = networkRulesRule({
  id: 'azure-storage-allow-trusted-microsoft-services',
  title: 'Storage account network rules do not let trusted Azure services through',
  severity: 'high',
  impact: 'With a restrictive firewall and no AzureServices bypass, trusted services such as Azure Backup, Monitor or Defender cannot reach the account, which breaks logging, backups and threat detection.',
  remediation: 'Include "AzureServices" in network_rules.bypass (the default).',
  references: [STORAGE_REF + '#grant-access-to-trusted-azure-services'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AZU-0010'], checkov: ['CKV_AZURE_36'], kics: ['5400f379-a347-4bdd-a032-446465fdcc6f'] },
  judge(b, owner) {
    const attr = b.attr('bypass');
    if (!attr || !listFullyKnown(attr.value)) return undefined;
    const items = knownStrings(attr.value);
    if (items.some((s) => s.toLowerCase() === 'azureservices')) return undefined;
    return {
      at: attr,
      message: `${owner} sets network_rules bypass = [${items.map((s) => `"${s}"`).join(', ')}] without "AzureServices".`,
      fix: tfFix('Add "AzureServices" to bypass', replaceLiteral(attr, `[${[...items, 'AzureServices'].map((s) => `"${s}"`).join(', ')}]`)),
    };
  },
  examples: {
    bad: [
      'resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  network_rules {\n    default_action = "Deny"\n    bypass         = ["Logging"]\n  }\n}\n',
      'resource "azurerm_storage_account_network_rules" "data" {\n  storage_account_id = azurerm_storage_account.data.id\n  default_action     = "Deny"\n  bypass             = []\n}\n',
    ],
    good: [
      'resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  network_rules {\n    default_action = "Deny"\n    bypass         = ["Logging", "AzureServices"]\n  }\n}\n',
      'resource "azurerm_storage_account_network_rules" "data" {\n  storage_account_id = azurerm_storage_account.data.id\n  default_action     = "Deny"\n}\n',
      'variable "bypass" {}\nresource "azurerm_storage_account_network_rules" "data" {\n  storage_account_id = azurerm_storage_account.data.id\n  default_action     = "Deny"\n  bypass             = var.bypass\n}\n',
    ],
  },
});

const defaultDeny = networkRulesRule({
  id: 'azure-storage-default-action-deny',
  title: 'Storage account firewall allows all networks by default',
  severity: 'critical',
  impact: 'Requests from any network reach the account; only the keys and tokens stand between the internet and the data.',
  remediation: 'Set network_rules default_action = "Deny" and allow the needed networks with ip_rules and virtual_network_subnet_ids.',
  references: [STORAGE_REF],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AZU-0012'], checkov: ['CKV_AZURE_35'], kics: ['a5613650-32ec-4975-a305-31af783153ea'] },
  skipWhenPrivate: true,
  judge(b, owner) {
    const attr = b.attr('default_action');
    if (!attr || lc(attr.value) !== 'allow') return undefined;
    return {
      at: attr,
      message: `${owner} sets network_rules default_action = "${String(attr.value)}": every network may connect.`,
      fix: tfFix('Set default_action = "Deny"', replaceLiteral(attr, '"Deny"')),
    };
  },
  examples: {
    bad: [
      'resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  network_rules {\n    default_action = "Allow"\n  }\n}\n',
      'resource "azurerm_storage_account_network_rules" "data" {\n  storage_account_id = azurerm_storage_account.data.id\n  default_action     = "Allow"\n  ip_rules           = ["203.0.113.10"]\n}\n',
    ],
    good: [
      'resource "azurerm_storage_account_network_rules" "data" {\n  storage_account_id = azurerm_storage_account.data.id\n  default_action     = "Deny"\n  ip_rules           = ["203.0.113.10"]\n}\n',
      'resource "azurerm_storage_account" "data" {\n  name                          = "exampledata"\n  resource_group_name           = "rg"\n  location                      = "westeurope"\n  account_tier                  = "Standard"\n  account_replication_type      = "GRS"\n  public_network_access_enabled = false\n  network_rules {\n    default_action = "Allow"\n  }\n}\n',
      'variable "action" {}\nresource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  network_rules {\n    default_action = var.action\n  }\n}\n',
    ],
  },
});

const blobSoftDelete = terraformRule({
  id: 'azure-storage-blob-soft-delete',
  title: 'Storage account does not keep deleted blobs (soft delete disabled)',
  severity: 'medium',
  impact: 'A deleted or overwritten blob is gone at once: a mistake, a compromised key or ransomware destroys data with no way back.',
  remediation: 'Add blob_properties { delete_retention_policy { days = 7 } } (1 to 365 days).',
  references: ['https://learn.microsoft.com/en-us/azure/storage/blobs/soft-delete-blob-overview'],
  compliance: ['NIST 800-53 CP-9'],
  equivalents: { trivy: ['AVD-AZU-0056'], checkov: ['CKV2_AZURE_38'] },
  fixable: true,
  resources: [ACCOUNT],
  check(account, ctx) {
    const k = lc(account.get('account_kind'));
    if (account.get('account_kind') !== undefined && k === undefined) return;
    if (k === 'filestorage') return;
    const loc = locate(account, ['blob_properties', 'delete_retention_policy'], ['days']);
    if (loc.opaque) return;
    if (loc.block && !loc.attr) return; // the block alone turns soft delete on (7 days)
    if (loc.attr) {
      const d = toNum(loc.value);
      if (d === undefined || d > 0) return;
    }
    ctx.report({
      at: loc.attr ?? account.block('blob_properties') ?? account,
      message: loc.attr
        ? `${account.address} sets blob_properties.delete_retention_policy.days = ${String(loc.value)}: blob soft delete is off.`
        : `${account.address} has no blob_properties.delete_retention_policy: blob soft delete is off.`,
      fix: loc.attr && !isLiteralExpr(loc.attr.hcl.expr)
        ? undefined
        : tfFix('Keep deleted blobs for 7 days', setNestedAttribute(account, ['blob_properties', 'delete_retention_policy'], 'days', '7')),
    });
  },
  examples: {
    bad: [
      'resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n}\n',
      'resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  blob_properties {\n    versioning_enabled = true\n  }\n}\n',
    ],
    good: [
      'resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  blob_properties {\n    delete_retention_policy {\n      days = 14\n    }\n  }\n}\n',
      'variable "days" {}\nresource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  blob_properties {\n    delete_retention_policy {\n      days = var.days\n    }\n  }\n}\n',
    ],
  },
});

const GEO_UPGRADE: Record<string, string> = { lrs: 'GRS', zrs: 'GZRS' };

const geoRedundant = attrRule({
  id: 'azure-storage-geo-redundant',
  title: 'Storage account data is not replicated to a second region',
  severity: 'low',
  impact: 'A regional outage or disaster makes the data unavailable or loses it, since all copies live in one region.',
  remediation: 'Use a geo-redundant replication type: GRS, RAGRS, GZRS or RAGZRS.',
  references: ['https://learn.microsoft.com/en-us/azure/storage/common/storage-redundancy'],
  compliance: ['NIST 800-53 CP-9'],
  equivalents: { trivy: ['AVD-AZU-0058'] },
  resources: [ACCOUNT],
  name: 'account_replication_type',
  applies: (r) => lc(r.get('account_tier')) !== 'premium' && isKnown(r.get('account_tier') ?? 'Standard'),
  problem: (v) => {
    const s = lc(v);
    return s && GEO_UPGRADE[s] ? `sets account_replication_type = "${String(v)}": no copy outside the region.` : undefined;
  },
  examples: {
    bad: [
      'resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "LRS"\n}\n',
      'resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "ZRS"\n}\n',
    ],
    good: [
      'resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "RAGZRS"\n}\n',
      'resource "azurerm_storage_account" "fast" {\n  name                     = "examplefast"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Premium"\n  account_replication_type = "LRS"\n}\n',
      'variable "replication" {}\nresource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = var.replication\n}\n',
    ],
  },
});

const cmk = terraformRule({
  id: 'azure-storage-customer-managed-key',
  title: 'Storage account is not encrypted with a customer-managed key',
  severity: 'medium',
  impact: 'Data is encrypted with Microsoft-managed keys only: you cannot revoke access to it by disabling or rotating your own key.',
  remediation: 'Add a customer_managed_key block (or an azurerm_storage_account_customer_managed_key resource) pointing at a Key Vault key.',
  references: ['https://learn.microsoft.com/en-us/azure/storage/common/customer-managed-keys-overview'],
  compliance: ['NIST 800-53 SC-12'],
  equivalents: { trivy: ['AVD-AZU-0060'], checkov: ['CKV2_AZURE_18'] },
  resources: [ACCOUNT],
  check(account, ctx) {
    if (account.hasBlock('customer_managed_key') || account.has('customer_managed_key')) return;
    if (hasPointing(ctx, account, ['azurerm_storage_account_customer_managed_key'], ['storage_account_id'])) return;
    ctx.report({ at: account, message: `${account.address} has no customer-managed key: data is encrypted with Microsoft-managed keys only.` });
  },
  examples: {
    bad: ['resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n}\n'],
    good: [
      'resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  identity {\n    type         = "UserAssigned"\n    identity_ids = [azurerm_user_assigned_identity.storage.id]\n  }\n  customer_managed_key {\n    key_vault_key_id          = azurerm_key_vault_key.storage.id\n    user_assigned_identity_id = azurerm_user_assigned_identity.storage.id\n  }\n}\n',
      'resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  identity {\n    type = "SystemAssigned"\n  }\n}\n\nresource "azurerm_storage_account_customer_managed_key" "data" {\n  storage_account_id = azurerm_storage_account.data.id\n  key_vault_id       = azurerm_key_vault.main.id\n  key_name           = azurerm_key_vault_key.storage.name\n}\n',
    ],
  },
});

const infraEncryption = attrRule({
  id: 'azure-storage-infrastructure-encryption',
  title: 'Storage account does not use infrastructure (double) encryption',
  severity: 'medium',
  impact: 'Data is encrypted only once at the service layer; a flaw or compromised key in that single layer exposes it.',
  remediation: 'Set infrastructure_encryption_enabled = true when creating the account (changing it recreates the account).',
  references: ['https://learn.microsoft.com/en-us/azure/storage/common/infrastructure-encryption-enable'],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AZU-0061'] },
  resources: [ACCOUNT],
  name: 'infrastructure_encryption_enabled',
  absent: false,
  problem: (v, absent) => (toBool(v) === false ? `${describeValue('infrastructure_encryption_enabled', v, absent)}: data is encrypted only once.` : undefined),
  examples: {
    bad: ['resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n}\n'],
    good: [
      'resource "azurerm_storage_account" "data" {\n  name                              = "exampledata"\n  resource_group_name               = "rg"\n  location                          = "westeurope"\n  account_tier                      = "Standard"\n  account_replication_type          = "GRS"\n  infrastructure_encryption_enabled = true\n}\n',
      'variable "double" {}\nresource "azurerm_storage_account" "data" {\n  name                              = "exampledata"\n  resource_group_name               = "rg"\n  location                          = "westeurope"\n  account_tier                      = "Standard"\n  account_replication_type          = "GRS"\n  infrastructure_encryption_enabled = var.double\n}\n',
    ],
  },
});


const nestedPublic = attrRule({
  id: 'azure-storage-no-public-nested-items',
  title: 'Storage account lets containers be made public',
  severity: 'medium',
  impact: 'Any container of the account can be switched to anonymous access, so a single wrong container setting exposes its blobs to the internet.',
  remediation: 'Set allow_nested_items_to_be_public = false (its default is true on azurerm 3.x and later).',
  references: ['https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-prevent'],
  compliance: ['NIST 800-53 AC-3'],
  equivalents: { checkov: ['CKV_AZURE_190'] },
  resources: [ACCOUNT],
  name: ['allow_nested_items_to_be_public', 'allow_blob_public_access'],
  absent: true,
  problem: (v, absent, r) => {
    if (toBool(v) !== true) return undefined;
    if (absent && r.has('allow_blob_public_access')) return undefined;
    return `${describeValue('allow_nested_items_to_be_public', v, absent)}: containers may be made public.`;
  },
  fix: 'false',
  examples: {
    bad: [
      'resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n}\n',
      'resource "azurerm_storage_account" "data" {\n  name                     = "exampledata"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  allow_blob_public_access = true\n}\n',
    ],
    good: [
      'resource "azurerm_storage_account" "data" {\n  name                            = "exampledata"\n  resource_group_name             = "rg"\n  location                        = "westeurope"\n  account_tier                    = "Standard"\n  account_replication_type        = "GRS"\n  allow_nested_items_to_be_public = false\n}\n',
      'variable "pub" {}\nresource "azurerm_storage_account" "data" {\n  name                            = "exampledata"\n  resource_group_name             = "rg"\n  location                        = "westeurope"\n  account_tier                    = "Standard"\n  account_replication_type        = "GRS"\n  allow_nested_items_to_be_public = var.pub\n}\n',
    ],
  },
});

export const rules: Rule[] = [
  publicContainer, httpsOnly, minTls, queueLogging, bypassAzureServices, defaultDeny,
  blobSoftDelete, geoRedundant, cmk, infraEncryption, nestedPublic,
];
