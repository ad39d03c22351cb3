import { insertIntoBlock, tfFix } from '../../engine/fix';
import { terraformRule, type Rule } from '../../engine/rule';
import { toBool, toNum, toStr } from '../../parse/values';
import { lc, setLiteral } from './util';

const VAULT = 'azurerm_key_vault';

const vault = (body: string) =>
  `resource "azurerm_key_vault" "main" {\n  name                = "example-kv"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  tenant_id           = var.tenant_id\n  sku_name            = "standard"\n${body}}\n`;

const networkAcl = terraformRule({
  id: 'azure-keyvault-network-acl-deny',
  title: 'Key vault accepts connections from all networks',
  severity: 'critical',
  impact: 'The vault\'s endpoint is open to the whole internet; stolen credentials can be used from anywhere to read keys and secrets.',
  remediation: 'Add network_acls { default_action = "Deny", bypass = "AzureServices" } and allow the needed ip_rules or subnets.',
  references: ['https://learn.microsoft.com/en-us/azure/key-vault/general/network-security'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AZU-0013'], checkov: ['CKV_AZURE_109'] },
  fixable: true,
  resources: [VAULT],
  check(kv, ctx) {
    if (kv.has('network_acls')) return;
    const acl = kv.block('network_acls');
    if (acl?.dynamic) return;
    if (acl) {
      const a = acl.attr('default_action');
      const v = a?.value;
      if (a && lc(v) !== 'allow') return; // Deny, or unknown
      ctx.report({
        at: a ?? acl,
        message: `${kv.address} ${a ? `sets network_acls.default_action = "${String(v)}"` : 'has network_acls without default_action'}: every network may connect.`,
        fix: tfFix('Set default_action = "Deny"', setLiteral(acl, 'default_action', '"Deny"')),
      });
      return;
    }
    ctx.report({
      at: kv,
      message: `${kv.address} has no network_acls block: every network may connect.`,
      fix: tfFix('Deny access by default', insertIntoBlock(kv, ['network_acls {', '  default_action = "Deny"', '  bypass         = "AzureServices"', '}'])),
    });
  },
  examples: {
    bad: [vault(''), vault('  network_acls {\n    default_action = "Allow"\n    bypass         = "AzureServices"\n  }\n')],
    good: [
      vault('  network_acls {\n    default_action = "Deny"\n    bypass         = "AzureServices"\n    ip_rules       = ["203.0.113.0/24"]\n  }\n'),
      'variable "action" {}\n' + vault('  network_acls {\n    default_action = var.action\n    bypass         = "AzureServices"\n  }\n'),
    ],
  },
});

const purgeProtection = terraformRule({
  id: 'azure-keyvault-purge-protection',
  title: 'Key vault can be purged before its retention period ends',
  severity: 'medium',
  impact: 'An attacker or mistake can delete the vault or its keys and purge them at once, destroying every resource encrypted with those keys.',
  remediation: 'Set purge_protection_enabled = true and soft_delete_retention_days between 7 and 90.',
  references: ['https://learn.microsoft.com/en-us/azure/key-vault/general/soft-delete-overview#purge-protection'],
  compliance: ['NIST 800-53 CP-9'],
  equivalents: { trivy: ['AVD-AZU-0016'], checkov: ['CKV_AZURE_110'] },
  fixable: true,
  resources: [VAULT],
  check(kv, ctx) {
    const pa = kv.attr('purge_protection_enabled');
    const p = pa ? pa.value : false;
    if (toBool(p) === false) {
      ctx.report({
        at: pa ?? kv,
        message: `${kv.address} ${pa ? 'sets purge_protection_enabled = false' : 'leaves purge_protection_enabled unset (default false)'}: deleted keys and secrets can be purged at once.`,
        fix: tfFix('Set purge_protection_enabled = true', setLiteral(kv, 'purge_protection_enabled', 'true')),
      });
      return;
    }
    if (toBool(p) !== true) return;
    const da = kv.attr('soft_delete_retention_days');
    const d = toNum(da?.value);
    if (!da || d === undefined || (d >= 7 && d <= 90)) return;
    ctx.report({
      at: da,
      message: `${kv.address} sets soft_delete_retention_days = ${d}, outside the 7-90 days range.`,
      fix: tfFix('Set soft_delete_retention_days = 90', setLiteral(kv, 'soft_delete_retention_days', '90')),
    });
  },
  examples: {
    bad: [vault(''), vault('  purge_protection_enabled   = true\n  soft_delete_retention_days = 3\n')],
    good: [
      vault('  purge_protection_enabled   = true\n  soft_delete_retention_days = 30\n'),
      'variable "purge" {}\n' + vault('  purge_protection_enabled = var.purge\n'),
    ],
  },
});

const keyExpiry = terraformRule({
  id: 'azure-keyvault-key-expiry',
  title: 'Key vault key has no expiration date',
  severity: 'medium',
  impact: 'The key stays valid forever; a leaked or weakened key keeps working until someone notices and rotates it by hand.',
  remediation: 'Set expiration_date (RFC 3339) on the key and rotate it before then, e.g. with a rotation_policy.',
  references: ['https://learn.microsoft.com/en-us/azure/key-vault/keys/how-to-configure-key-rotation'],
  compliance: ['CIS Azure 8.1', 'NIST 800-53 SC-12'],
  equivalents: { trivy: ['AVD-AZU-0014'], checkov: ['CKV_AZURE_40'], kics: ['4d080822-5ee2-49a4-8984-68f3d4c890fc'] },
  resources: ['azurerm_key_vault_key'],
  check(key, ctx) {
    if (key.has('expiration_date')) return;
    const rp = key.block('rotation_policy');
    if (rp && (rp.has('expire_after') || rp.dynamic)) return;
    ctx.report({ at: key, message: `${key.address} has no expiration_date: the key never expires.` });
  },
  examples: {
    bad: ['resource "azurerm_key_vault_key" "data" {\n  name         = "data-key"\n  key_vault_id = azurerm_key_vault.main.id\n  key_type     = "RSA"\n  key_size     = 2048\n  key_opts     = ["wrapKey", "unwrapKey"]\n}\n'],
    good: [
      'resource "azurerm_key_vault_key" "data" {\n  name            = "data-key"\n  key_vault_id    = azurerm_key_vault.main.id\n  key_type        = "RSA"\n  key_size        = 2048\n  key_opts        = ["wrapKey", "unwrapKey"]\n  expiration_date = "2027-06-30T00:00:00Z"\n}\n',
      'variable "exp" {}\nresource "azurerm_key_vault_key" "data" {\n  name            = "data-key"\n  key_vault_id    = azurerm_key_vault.main.id\n  key_type        = "RSA"\n  key_size        = 2048\n  key_opts        = ["wrapKey", "unwrapKey"]\n  expiration_date = var.exp\n}\n',
    ],
  },
});

const SECRET = (extra: string) =>
  `resource "azurerm_key_vault_secret" "db" {\n  name         = "db-password"\n  value        = var.db_password\n  key_vault_id = azurerm_key_vault.main.id\n${extra}}\n`;

const secretContentType = terraformRule({
  id: 'azure-keyvault-secret-content-type',
  title: 'Key vault secret has no content type',
  severity: 'low',
  impact: 'Without a content type, people and tools cannot tell what the secret is or how to rotate it, which delays rotation after a leak.',
  remediation: 'Set content_type (for example "password" or "connection-string") on the secret.',
  references: ['https://learn.microsoft.com/en-us/azure/key-vault/secrets/about-secrets'],
  compliance: [],
  equivalents: { trivy: ['AVD-AZU-0015'], checkov: ['CKV_AZURE_114'], kics: ['f8e08a38-fc6e-4915-abbe-a7aadf1d59ef'] },
  resources: ['azurerm_key_vault_secret'],
  check(s, ctx) {
    const a = s.attr('content_type');
    if (a && toStr(a.value) !== '') return;
    ctx.report({ at: a ?? s, message: `${s.address} has no content_type.` });
  },
  examples: {
    bad: [SECRET('')],
    good: [SECRET('  content_type = "password"\n'), 'variable "ct" {}\n' + SECRET('  content_type = var.ct\n')],
  },
});

const secretExpiry = terraformRule({
  id: 'azure-keyvault-secret-expiry',
  title: 'Key vault secret has no expiration date',
  severity: 'medium',
  impact: 'The secret stays valid forever; if it leaks it keeps working until someone rotates it by hand.',
  remediation: 'Set expiration_date (RFC 3339) on the secret and rotate it before then.',
  references: ['https://learn.microsoft.com/en-us/azure/key-vault/secrets/about-secrets'],
  compliance: ['NIST 800-53 IA-5'],
  equivalents: { trivy: ['AVD-AZU-0017'], checkov: ['CKV_AZURE_41'], kics: ['dfa20ffa-f476-428f-a490-424b41e91c7f'] },
  resources: ['azurerm_key_vault_secret'],
  check(s, ctx) {
    if (s.has('expiration_date')) return;
    ctx.report({ at: s, message: `${s.address} has no expiration_date: the secret never expires.` });
  },
  examples: {
    bad: [SECRET('  content_type = "password"\n')],
    good: [SECRET('  expiration_date = "2027-01-01T00:00:00Z"\n'), 'variable "exp" {}\n' + SECRET('  expiration_date = var.exp\n')],
  },
});

export const rules: Rule[] = [networkAcl, purgeProtection, keyExpiry, secretContentType, secretExpiry];
