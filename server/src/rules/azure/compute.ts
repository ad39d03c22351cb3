import { terraformRule, type Rule, type TerraformContext } from '../../engine/rule';
import type { TfAttribute, TfResource } from '../../parse/terraform';
import { isRef, toBool, toList, toStr, type Value } from '../../parse/values';
import { attrRule, hasPointing, locate } from './util';

const LINUX_VM = 'azurerm_linux_virtual_machine';
const WINDOWS_VM = 'azurerm_windows_virtual_machine';
const LEGACY_VM = 'azurerm_virtual_machine';

/* ---------------------------------------------------------------- secrets in custom_data */

const SECRET_PATTERNS: { re: RegExp; what: string }[] = [
  { re: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/, what: 'a private key' },
  { re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, what: 'an AWS access key id' },
  { re: /AccountKey=[A-Za-z0-9+/=]{20,}/, what: 'a storage account key' },
  { re: /\b(?:gh[pousr]_[A-Za-z0-9]{36}|xox[baprs]-[A-Za-z0-9-]{10,})\b/, what: 'an access token' },
  {
    re: /\b[\w.-]*(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret|auth[_-]?token|access[_-]?token)[\w.-]*\s*[=:]\s*\\?["']?(?!\$|%|\{\{)([^\s"'\\]{4,})/i,
    what: 'a credential assignment',
  },
];

function findSecret(text: string): string | undefined {
  for (const p of SECRET_PATTERNS) if (p.re.test(text)) return p.what;
  return undefined;
}

/** Decodes base64 text when the whole value is base64 (custom_data is often pre-encoded). */
function maybeBase64(s: string): string | undefined {
  const t = s.replace(/\s+/g, '');
  if (t.length < 16 || t.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(t)) return undefined;
  try {
    const d = Buffer.from(t, 'base64').toString('utf8');
    return /^[\x09\x0a\x0d\x20-\x7e]*$/.test(d) ? d : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The literal text of custom_data: its value, or, when the value is unknown because the engine does
 * not evaluate base64encode(), the literal text passed to base64encode("...").
 */
function customDataText(a: TfAttribute): string | undefined {
  const s = toStr(a.value);
  if (s !== undefined) return s;
  const e = a.hcl.expr;
  if (e.t !== 'call' || e.name !== 'base64encode' || e.args.length !== 1) return undefined;
  const arg = e.args[0]!;
  if (arg.t === 'lit' && typeof arg.value === 'string') return arg.value;
  if (arg.t === 'template') {
    // Keep only the literal parts: interpolations are unknown and never count as secrets.
    return arg.parts.map((p) => (typeof p === 'string' ? p : '${...}')).join('');
  }
  return undefined;
}

const CUSTOM_DATA_HOLDERS: Record<string, string[][]> = {
  [LINUX_VM]: [['custom_data'], ['user_data']],
  [WINDOWS_VM]: [['custom_data'], ['user_data']],
  azurerm_linux_virtual_machine_scale_set: [['custom_data'], ['user_data']],
  azurerm_windows_virtual_machine_scale_set: [['custom_data'], ['user_data']],
  [LEGACY_VM]: [['os_profile', 'custom_data']],
  azurerm_virtual_machine_scale_set: [['os_profile', 'custom_data']],
};

const customDataSecrets = terraformRule({
  id: 'azure-compute-no-secrets-in-custom-data',
  title: 'Virtual machine custom data contains credentials',
  severity: 'medium',
  impact: 'Custom data is readable from the VM\'s metadata service and by anyone who can read the VM configuration, so the embedded credentials leak to every process on the VM and to operators.',
  remediation: 'Remove the secret from custom_data; let the VM fetch it at boot from Key Vault with its managed identity.',
  references: ['https://learn.microsoft.com/en-us/azure/virtual-machines/custom-data', 'https://learn.microsoft.com/en-us/azure/key-vault/general/overview'],
  compliance: ['NIST 800-53 IA-5'],
  equivalents: { trivy: ['AVD-AZU-0037'], checkov: ['CKV_AZURE_45'] },
  resources: Object.keys(CUSTOM_DATA_HOLDERS),
  check(vm, ctx) {
    for (const path of CUSTOM_DATA_HOLDERS[vm.resourceType] ?? []) {
      const loc = locate(vm, path.slice(0, -1), [path[path.length - 1]!]);
      const s = loc.attr ? customDataText(loc.attr) : undefined;
      if (!loc.attr || s === undefined) continue;
      const what = findSecret(s) ?? (() => { const d = maybeBase64(s); return d ? findSecret(d) : undefined; })();
      if (what) ctx.report({ at: loc.attr, message: `${vm.address} has ${what} in ${path.join('.')}.` });
    }
  },
  examples: {
    bad: [
      'resource "azurerm_linux_virtual_machine" "app" {\n  name                = "app"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  size                = "Standard_B2s"\n  admin_username      = "azureuser"\n  network_interface_ids = [azurerm_network_interface.app.id]\n  custom_data         = <<-EOT\n    #!/bin/bash\n    echo "DB_PASSWORD=Sup3rS3cret!" >> /etc/app.env\n  EOT\n}\n',
      'resource "azurerm_virtual_machine" "legacy" {\n  name                  = "legacy"\n  location              = "westeurope"\n  resource_group_name   = "rg"\n  network_interface_ids = [azurerm_network_interface.app.id]\n  vm_size               = "Standard_B2s"\n  os_profile {\n    computer_name  = "legacy"\n    admin_username = "azureuser"\n    custom_data    = base64encode("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE")\n  }\n}\n',
    ],
    good: [
      'resource "azurerm_linux_virtual_machine" "app" {\n  name                = "app"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  size                = "Standard_B2s"\n  admin_username      = "azureuser"\n  network_interface_ids = [azurerm_network_interface.app.id]\n  custom_data         = <<-EOT\n    #!/bin/bash\n    DB_PASSWORD=$(az keyvault secret show --vault-name kv --name db --query value -o tsv)\n    echo "ready"\n  EOT\n}\n',
      'variable "cloud_init" {}\nresource "azurerm_linux_virtual_machine" "app" {\n  name                = "app"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  size                = "Standard_B2s"\n  admin_username      = "azureuser"\n  network_interface_ids = [azurerm_network_interface.app.id]\n  custom_data         = var.cloud_init\n}\n',
    ],
  },
});

/* ---------------------------------------------------------------- managed disk encryption */

const diskEncryption = attrRule({
  id: 'azure-compute-managed-disk-encryption',
  title: 'Managed disk has Azure Disk Encryption turned off',
  severity: 'high',
  impact: 'The disk\'s content is not encrypted with keys you control inside the VM; copies or snapshots of the disk can be read by anyone who obtains them.',
  remediation: 'Set encryption_settings { enabled = true } with the Key Vault secret and key to use, or remove the block to keep the platform encryption.',
  references: ['https://learn.microsoft.com/en-us/azure/virtual-machines/disk-encryption-overview'],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AZU-0038'], checkov: ['CKV_AZURE_2'], kics: ['a99130ab-4c0e-43aa-97f8-78d4fcb30024'] },
  resources: ['azurerm_managed_disk'],
  path: ['encryption_settings'],
  name: 'enabled',
  problem: (v) => (toBool(v) === false ? 'sets encryption_settings.enabled = false.' : undefined),
  fix: 'true',
  examples: {
    bad: ['resource "azurerm_managed_disk" "data" {\n  name                 = "data"\n  location             = "westeurope"\n  resource_group_name  = "rg"\n  storage_account_type = "Premium_LRS"\n  create_option        = "Empty"\n  disk_size_gb         = 128\n  encryption_settings {\n    enabled = false\n  }\n}\n'],
    good: [
      'resource "azurerm_managed_disk" "data" {\n  name                 = "data"\n  location             = "westeurope"\n  resource_group_name  = "rg"\n  storage_account_type = "Premium_LRS"\n  create_option        = "Empty"\n  disk_size_gb         = 128\n}\n',
      'variable "enc" {}\nresource "azurerm_managed_disk" "data" {\n  name                 = "data"\n  location             = "westeurope"\n  resource_group_name  = "rg"\n  storage_account_type = "Premium_LRS"\n  create_option        = "Empty"\n  disk_size_gb         = 128\n  encryption_settings {\n    enabled = var.enc\n  }\n}\n',
    ],
  },
});

/* ---------------------------------------------------------------- password authentication */

const passwordAuth = terraformRule({
  id: 'azure-compute-disable-password-auth',
  title: 'Linux virtual machine allows SSH password authentication',
  severity: 'high',
  impact: 'SSH accepts passwords, which can be guessed or brute-forced; SSH keys cannot.',
  remediation: 'Set disable_password_authentication = true (the default on azurerm_linux_virtual_machine) and log in with admin_ssh_key.',
  references: ['https://learn.microsoft.com/en-us/azure/virtual-machines/linux/create-ssh-keys-detailed'],
  compliance: ['NIST 800-53 IA-2'],
  equivalents: { trivy: ['AVD-AZU-0039'], checkov: ['CKV_AZURE_1', 'CKV_AZURE_149'], kics: ['dafe30ec-325d-4516-85d1-e8e6776f012c'] },
  resources: [LINUX_VM, 'azurerm_linux_virtual_machine_scale_set', LEGACY_VM, 'azurerm_virtual_machine_scale_set'],
  check(vm, ctx) {
    const legacy = vm.resourceType === LEGACY_VM || vm.resourceType === 'azurerm_virtual_machine_scale_set';
    const loc = locate(vm, legacy ? ['os_profile_linux_config'] : [], ['disable_password_authentication']);
    if (loc.opaque || (legacy && !loc.block)) return;
    const absentDefault = vm.resourceType === 'azurerm_virtual_machine_scale_set' ? false : undefined;
    const v: Value | undefined = loc.attr ? loc.value : absentDefault;
    if (toBool(v) !== false) return;
    const label = legacy ? 'os_profile_linux_config.disable_password_authentication' : 'disable_password_authentication';
    ctx.report({ at: loc.attr ?? loc.block ?? vm, message: `${vm.address} ${loc.attr ? `sets ${label} = false` : `leaves ${label} unset (default false)`}: SSH accepts passwords.` });
  },
  examples: {
    bad: [
      'resource "azurerm_linux_virtual_machine" "app" {\n  name                            = "app"\n  resource_group_name             = "rg"\n  location                        = "westeurope"\n  size                            = "Standard_B2s"\n  admin_username                  = "azureuser"\n  admin_password                  = var.admin_password\n  disable_password_authentication = false\n  network_interface_ids           = [azurerm_network_interface.app.id]\n}\n',
      'resource "azurerm_virtual_machine" "legacy" {\n  name                  = "legacy"\n  location              = "westeurope"\n  resource_group_name   = "rg"\n  network_interface_ids = [azurerm_network_interface.app.id]\n  vm_size               = "Standard_B2s"\n  os_profile_linux_config {\n    disable_password_authentication = false\n  }\n}\n',
    ],
    good: [
      'resource "azurerm_linux_virtual_machine" "app" {\n  name                  = "app"\n  resource_group_name   = "rg"\n  location              = "westeurope"\n  size                  = "Standard_B2s"\n  admin_username        = "azureuser"\n  network_interface_ids = [azurerm_network_interface.app.id]\n  admin_ssh_key {\n    username   = "azureuser"\n    public_key = var.ssh_public_key\n  }\n}\n',
      'variable "pw" {}\nresource "azurerm_linux_virtual_machine" "app" {\n  name                            = "app"\n  resource_group_name             = "rg"\n  location                        = "westeurope"\n  size                            = "Standard_B2s"\n  admin_username                  = "azureuser"\n  disable_password_authentication = var.pw\n  network_interface_ids           = [azurerm_network_interface.app.id]\n}\n',
    ],
  },
});

/* ---------------------------------------------------------------- VM network interfaces without NSG */

function attrMentions(a: TfAttribute | undefined, address: string): boolean {
  if (!a) return false;
  return new RegExp(`(^|[^\\w.])${address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`).test(a.source);
}

/** Whether a NIC is covered by an NSG: true, false, or undefined when that cannot be known. */
function nicHasNsg(nic: TfResource, ctx: TerraformContext): boolean | undefined {
  const direct = nic.get('network_security_group_id');
  if (direct !== undefined && direct !== null && direct !== '') return true;
  if (hasPointing(ctx, nic, ['azurerm_network_interface_security_group_association'], ['network_interface_id'])) return true;
  let unknown = false;
  const ipcs = nic.blocks('ip_configuration');
  if (ipcs.length === 0 || nic.has('ip_configuration')) return undefined;
  for (const ipc of ipcs) {
    if (ipc.dynamic) return undefined;
    const sid = ipc.get('subnet_id');
    if (sid === undefined) continue;
    if (!isRef(sid)) { unknown = true; continue; }
    const assocs = ctx.module.resourcesOfType('azurerm_subnet_network_security_group_association');
    if (assocs.some((a) => attrMentions(a.attr('subnet_id'), sid.address))) return true;
    const subnet = ctx.module.resolve(sid);
    if (subnet) {
      const legacyNsg = subnet.get('network_security_group_id');
      if (legacyNsg !== undefined && legacyNsg !== null && legacyNsg !== '') return true;
    }
  }
  return unknown ? undefined : false;
}

const vmNsg = terraformRule({
  id: 'azure-compute-vm-nic-nsg',
  title: 'Virtual machine network interface is not protected by a network security group',
  severity: 'medium',
  impact: 'No NSG filters the VM\'s traffic, neither on its NIC nor on its subnet, so every port it listens on is reachable from its networks.',
  remediation: 'Associate an NSG with the network interface (azurerm_network_interface_security_group_association) or its subnet (azurerm_subnet_network_security_group_association).',
  references: ['https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AZU-0068'], kics: ['bbf6b3df-4b65-4f87-82cc-da9f30f8c033'] },
  resources: [LINUX_VM, WINDOWS_VM, LEGACY_VM],
  check(vm, ctx) {
    const ids = vm.attr('network_interface_ids');
    for (const v of toList(ids?.value) ?? []) {
      const nic = ctx.module.resolve(v);
      if (!nic || nic.resourceType !== 'azurerm_network_interface') continue;
      if (nicHasNsg(nic, ctx) !== false) continue;
      ctx.report({ at: ids!, message: `${vm.address} uses ${nic.address}, which has no network security group on the interface or its subnet.` });
    }
  },
  examples: {
    bad: [
      'resource "azurerm_network_interface" "app" {\n  name                = "app"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  ip_configuration {\n    name                          = "internal"\n    subnet_id                     = azurerm_subnet.app.id\n    private_ip_address_allocation = "Dynamic"\n  }\n}\n\nresource "azurerm_linux_virtual_machine" "app" {\n  name                  = "app"\n  resource_group_name   = "rg"\n  location              = "westeurope"\n  size                  = "Standard_B2s"\n  admin_username        = "azureuser"\n  network_interface_ids = [azurerm_network_interface.app.id]\n}\n',
    ],
    good: [
      'resource "azurerm_network_interface" "app" {\n  name                = "app"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  ip_configuration {\n    name                          = "internal"\n    subnet_id                     = azurerm_subnet.app.id\n    private_ip_address_allocation = "Dynamic"\n  }\n}\n\nresource "azurerm_network_interface_security_group_association" "app" {\n  network_interface_id      = azurerm_network_interface.app.id\n  network_security_group_id = azurerm_network_security_group.app.id\n}\n\nresource "azurerm_linux_virtual_machine" "app" {\n  name                  = "app"\n  resource_group_name   = "rg"\n  location              = "westeurope"\n  size                  = "Standard_B2s"\n  admin_username        = "azureuser"\n  network_interface_ids = [azurerm_network_interface.app.id]\n}\n',
      'resource "azurerm_network_interface" "app" {\n  name                = "app"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  ip_configuration {\n    name                          = "internal"\n    subnet_id                     = azurerm_subnet.app.id\n    private_ip_address_allocation = "Dynamic"\n  }\n}\n\nresource "azurerm_subnet_network_security_group_association" "app" {\n  subnet_id                 = azurerm_subnet.app.id\n  network_security_group_id = azurerm_network_security_group.app.id\n}\n\nresource "azurerm_windows_virtual_machine" "app" {\n  name                  = "app"\n  resource_group_name   = "rg"\n  location              = "westeurope"\n  size                  = "Standard_B2s"\n  admin_username        = "azureuser"\n  admin_password        = var.admin_password\n  network_interface_ids = [azurerm_network_interface.app.id]\n}\n',
      'variable "subnet_id" {}\nresource "azurerm_network_interface" "app" {\n  name                = "app"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  ip_configuration {\n    name                          = "internal"\n    subnet_id                     = var.subnet_id\n    private_ip_address_allocation = "Dynamic"\n  }\n}\n\nresource "azurerm_linux_virtual_machine" "app" {\n  name                  = "app"\n  resource_group_name   = "rg"\n  location              = "westeurope"\n  size                  = "Standard_B2s"\n  admin_username        = "azureuser"\n  network_interface_ids = [azurerm_network_interface.app.id]\n}\n',
    ],
  },
});

export const rules: Rule[] = [customDataSecrets, diskEncryption, passwordAuth, vmNsg];
