import { setNestedAttribute, tfFix } from '../../engine/fix';
import { terraformRule, type Rule } from '../../engine/rule';
import type { TfResource } from '../../parse/terraform';
import { isKnown, toBool, toList } from '../../parse/values';
import { attrRule, describeValue, locate, setLiteral } from './util';

const AKS = 'azurerm_kubernetes_cluster';
const aks = (body: string) =>
  `resource "azurerm_kubernetes_cluster" "main" {\n  name                = "example-aks"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  dns_prefix          = "example"\n  default_node_pool {\n    name       = "default"\n    node_count = 2\n    vm_size    = "Standard_D2s_v5"\n  }\n  identity {\n    type = "SystemAssigned"\n  }\n${body}}\n`;

/** true / false / undefined (unknown) for an addon enabled either by a top-level block/flag or by the legacy addon_profile. */
function legacyAddon(c: TfResource, addon: string): boolean | undefined {
  const ap = c.block('addon_profile');
  if (!ap) return c.has('addon_profile') ? undefined : false;
  if (ap.dynamic) return undefined;
  const b = ap.block(addon);
  if (!b) return ap.has(addon) ? undefined : false;
  if (b.dynamic) return undefined;
  const e = b.get('enabled');
  return e === undefined ? false : isKnown(e) ? toBool(e) : undefined;
}

const logging = terraformRule({
  id: 'azure-aks-logging',
  title: 'AKS cluster does not send container logs to Azure Monitor',
  severity: 'medium',
  impact: 'Container logs and performance data are not collected centrally, so attacks on workloads go unnoticed and cannot be investigated.',
  remediation: 'Add an oms_agent { log_analytics_workspace_id = ... } block (addon_profile.oms_agent on azurerm < 3.0).',
  references: ['https://learn.microsoft.com/en-us/azure/azure-monitor/containers/container-insights-overview'],
  compliance: ['NIST 800-53 AU-12'],
  equivalents: { trivy: ['AVD-AZU-0040'], checkov: ['CKV_AZURE_4'] },
  resources: [AKS],
  check(c, ctx) {
    if (c.hasBlock('oms_agent') || c.has('oms_agent')) return;
    const legacy = legacyAddon(c, 'oms_agent');
    if (legacy !== false) return;
    ctx.report({ at: c.block('addon_profile') ?? c, message: `${c.address} has no oms_agent: container logs are not sent to Azure Monitor.` });
  },
  examples: {
    bad: [aks(''), aks('  addon_profile {\n    oms_agent {\n      enabled = false\n    }\n  }\n')],
    good: [
      aks('  oms_agent {\n    log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id\n  }\n'),
      'variable "on" {}\n' + aks('  addon_profile {\n    oms_agent {\n      enabled                    = var.on\n      log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id\n    }\n  }\n'),
    ],
  },
});

const authorizedIps = terraformRule({
  id: 'azure-aks-api-server-authorized-ips',
  title: 'AKS API server accepts connections from any address',
  severity: 'critical',
  impact: 'The Kubernetes API is reachable from the whole internet; stolen credentials or API server vulnerabilities can be exploited from anywhere.',
  remediation: 'Set api_server_access_profile { authorized_ip_ranges = [...] } to the administration networks, or make the cluster private.',
  references: ['https://learn.microsoft.com/en-us/azure/aks/api-server-authorized-ip-ranges'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AZU-0041'], checkov: ['CKV_AZURE_6'] },
  resources: [AKS],
  check(c, ctx) {
    const priv = c.get('private_cluster_enabled');
    if (priv !== undefined && toBool(priv) !== false) return;
    const legacy = c.get('api_server_authorized_ip_ranges');
    const loc = locate(c, ['api_server_access_profile'], ['authorized_ip_ranges']);
    if (loc.opaque) return;
    for (const v of [legacy, loc.value]) {
      if (v === undefined) continue;
      const l = toList(v);
      if (!l || l.length > 0) return;
    }
    ctx.report({ at: loc.attr ?? c.attr('api_server_authorized_ip_ranges') ?? loc.block ?? c, message: `${c.address} does not limit the API server to authorized IP ranges and is not private.` });
  },
  examples: {
    bad: [aks(''), aks('  api_server_access_profile {\n    authorized_ip_ranges = []\n  }\n')],
    good: [
      aks('  api_server_access_profile {\n    authorized_ip_ranges = ["198.51.100.0/24"]\n  }\n'),
      aks('  private_cluster_enabled = true\n'),
      'variable "ranges" {}\n' + aks('  api_server_access_profile {\n    authorized_ip_ranges = var.ranges\n  }\n'),
    ],
  },
});

const rbac = terraformRule({
  id: 'azure-aks-rbac',
  title: 'AKS cluster has Kubernetes RBAC disabled',
  severity: 'high',
  impact: 'Every authenticated user and service account has full control of the cluster; one leaked token compromises all workloads.',
  remediation: 'Set role_based_access_control_enabled = true (role_based_access_control { enabled = true } on azurerm < 3.0).',
  references: ['https://learn.microsoft.com/en-us/azure/aks/concepts-identity#kubernetes-rbac'],
  compliance: ['NIST 800-53 AC-6'],
  equivalents: { trivy: ['AVD-AZU-0042'], checkov: ['CKV_AZURE_5'], kics: ['86f92117-eed8-4614-9c6c-b26da20ff37f'] },
  fixable: true,
  resources: [AKS],
  check(c, ctx) {
    const flat = c.attr('role_based_access_control_enabled');
    if (flat && toBool(flat.value) === false) {
      ctx.report({ at: flat, message: `${c.address} sets role_based_access_control_enabled = false.`, fix: tfFix('Enable Kubernetes RBAC', setLiteral(c, 'role_based_access_control_enabled', 'true')) });
      return;
    }
    const block = c.block('role_based_access_control');
    if (!block || block.dynamic) return;
    const e = block.attr('enabled');
    if (e && toBool(e.value) === false) {
      ctx.report({ at: e, message: `${c.address} sets role_based_access_control.enabled = false.`, fix: tfFix('Enable Kubernetes RBAC', setLiteral(block, 'enabled', 'true')) });
    }
  },
  examples: {
    bad: [aks('  role_based_access_control_enabled = false\n'), aks('  role_based_access_control {\n    enabled = false\n  }\n')],
    good: [
      aks(''),
      aks('  role_based_access_control_enabled = true\n  azure_active_directory_role_based_access_control {\n    azure_rbac_enabled = true\n  }\n'),
      'variable "rbac" {}\n' + aks('  role_based_access_control_enabled = var.rbac\n'),
    ],
  },
});

const networkPolicy = terraformRule({
  id: 'azure-aks-network-policy',
  title: 'AKS cluster has no network policy engine',
  severity: 'high',
  impact: 'Kubernetes NetworkPolicies are not enforced: any compromised pod can reach every other pod and service in the cluster.',
  remediation: 'Set network_profile { network_policy = "azure" | "calico" | "cilium" } when creating the cluster.',
  references: ['https://learn.microsoft.com/en-us/azure/aks/use-network-policies'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AZU-0043'], checkov: ['CKV_AZURE_7'], kics: ['f5342045-b935-402d-adf1-8dbbd09c0eef'] },
  resources: [AKS],
  check(c, ctx) {
    const loc = locate(c, ['network_profile'], ['network_policy']);
    if (loc.opaque) return;
    if (loc.attr && (!isKnown(loc.value) || (loc.value !== null && loc.value !== ''))) return;
    ctx.report({ at: loc.attr ?? loc.block ?? c, message: `${c.address} sets no network_profile.network_policy: NetworkPolicies are not enforced.` });
  },
  examples: {
    bad: [aks(''), aks('  network_profile {\n    network_plugin = "kubenet"\n  }\n')],
    good: [
      aks('  network_profile {\n    network_plugin = "azure"\n    network_policy = "azure"\n  }\n'),
      'variable "policy" {}\n' + aks('  network_profile {\n    network_plugin = "azure"\n    network_policy = var.policy\n  }\n'),
    ],
  },
});

const privateCluster = attrRule({
  id: 'azure-aks-private-cluster',
  title: 'AKS cluster API server has a public endpoint',
  severity: 'medium',
  impact: 'The Kubernetes API server is published on the internet, exposing it to credential attacks and API server vulnerabilities.',
  remediation: 'Create the cluster with private_cluster_enabled = true (this recreates the cluster).',
  references: ['https://learn.microsoft.com/en-us/azure/aks/private-clusters'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AZU-0065'], checkov: ['CKV_AZURE_115'], kics: ['599318f2-6653-4569-9e21-041d06c63a89'] },
  resources: [AKS],
  name: 'private_cluster_enabled',
  absent: false,
  problem: (v, absent) => (toBool(v) === false ? `${describeValue('private_cluster_enabled', v, absent)}: the API server is public.` : undefined),
  examples: {
    bad: [aks(''), aks('  private_cluster_enabled = false\n')],
    good: [aks('  private_cluster_enabled = true\n'), 'variable "priv" {}\n' + aks('  private_cluster_enabled = var.priv\n')],
  },
});

const azurePolicy = terraformRule({
  id: 'azure-aks-azure-policy',
  title: 'AKS cluster does not run the Azure Policy add-on',
  severity: 'low',
  impact: 'Pod security and other guardrails cannot be enforced or audited centrally, so privileged or non-compliant workloads are admitted.',
  remediation: 'Set azure_policy_enabled = true (addon_profile.azure_policy.enabled on azurerm < 3.0).',
  references: ['https://learn.microsoft.com/en-us/azure/governance/policy/concepts/policy-for-kubernetes'],
  compliance: ['NIST 800-53 CM-7'],
  equivalents: { trivy: ['AVD-AZU-0066'], checkov: ['CKV_AZURE_116'], kics: ['43789711-161b-4708-b5bb-9d1c626f7492'] },
  fixable: true,
  resources: [AKS],
  check(c, ctx) {
    const flat = c.attr('azure_policy_enabled');
    if (flat) {
      if (toBool(flat.value) !== false) return;
      ctx.report({ at: flat, message: `${c.address} sets azure_policy_enabled = false.`, fix: tfFix('Enable Azure Policy', setLiteral(c, 'azure_policy_enabled', 'true')) });
      return;
    }
    const legacy = legacyAddon(c, 'azure_policy');
    if (legacy !== false) return;
    const ap = c.block('addon_profile');
    ctx.report({
      at: ap ?? c,
      message: `${c.address} does not enable the Azure Policy add-on.`,
      fix: ap
        ? tfFix('Enable Azure Policy', setNestedAttribute(ap, ['azure_policy'], 'enabled', 'true'))
        : tfFix('Enable Azure Policy', setLiteral(c, 'azure_policy_enabled', 'true')),
    });
  },
  examples: {
    bad: [aks(''), aks('  azure_policy_enabled = false\n'), aks('  addon_profile {\n    azure_policy {\n      enabled = false\n    }\n  }\n')],
    good: [aks('  azure_policy_enabled = true\n'), 'variable "pol" {}\n' + aks('  azure_policy_enabled = var.pol\n')],
  },
});

const diskEncryptionSet = terraformRule({
  id: 'azure-aks-disk-encryption-set',
  title: 'AKS node disks are not encrypted with a customer-managed key',
  severity: 'low',
  impact: 'Node OS and data disks use platform-managed keys only; you cannot revoke access to their data by disabling your own key.',
  remediation: 'Set disk_encryption_set_id to a disk encryption set backed by a Key Vault key.',
  references: ['https://learn.microsoft.com/en-us/azure/aks/azure-disk-customer-managed-keys'],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AZU-0067'], checkov: ['CKV_AZURE_117'], kics: ['b17d8bb8-4c08-4785-867e-cb9e62a622aa'] },
  resources: [AKS],
  check(c, ctx) {
    const a = c.attr('disk_encryption_set_id');
    if (a && a.value !== null && a.value !== '') return;
    ctx.report({ at: a ?? c, message: `${c.address} has no disk_encryption_set_id: node disks use platform-managed keys.` });
  },
  examples: {
    bad: [aks('')],
    good: [aks('  disk_encryption_set_id = azurerm_disk_encryption_set.aks.id\n'), 'variable "des" {}\n' + aks('  disk_encryption_set_id = var.des\n')],
  },
});

const localAccounts = attrRule({
  id: 'azure-aks-local-accounts-disabled',
  title: 'AKS cluster keeps its local admin account',
  severity: 'medium',
  impact: 'The static cluster-admin credential (az aks get-credentials --admin) bypasses Azure AD and cannot be audited per user; whoever obtains it controls the cluster.',
  remediation: 'Integrate the cluster with Azure AD and set local_account_disabled = true.',
  references: ['https://learn.microsoft.com/en-us/azure/aks/manage-local-accounts-managed-azure-ad'],
  compliance: ['NIST 800-53 AC-2'],
  equivalents: { checkov: ['CKV_AZURE_141'] },
  resources: [AKS],
  name: 'local_account_disabled',
  absent: false,
  problem: (v, absent) => (toBool(v) === false ? `${describeValue('local_account_disabled', v, absent)}: the static admin credential stays usable.` : undefined),
  examples: {
    bad: [aks(''), aks('  local_account_disabled = false\n')],
    good: [
      aks('  local_account_disabled = true\n  azure_active_directory_role_based_access_control {\n    azure_rbac_enabled = true\n  }\n'),
      'variable "local" {}\n' + aks('  local_account_disabled = var.local\n'),
    ],
  },
});

export const rules: Rule[] = [logging, authorizedIps, rbac, networkPolicy, privateCluster, azurePolicy, diskEncryptionSet, localAccounts];
