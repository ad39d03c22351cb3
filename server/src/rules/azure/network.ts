import { tfFix } from '../../engine/fix';
import { terraformRule, type Rule } from '../../engine/rule';
import type { TfAttribute, TfBlock, TfResource } from '../../parse/terraform';
import { isKnown, isObject, isUnknown, toBool, toList, toNum, toStr, type Value } from '../../parse/values';
import { attrRule, describeValue, lc, setLiteral } from './util';

const NSG_REF = 'https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview';

/**
 * One NSG rule: a standalone azurerm_network_security_rule, an inline security_rule block, or an
 * item of `security_rule = [{ ... }]` written as an attribute.
 */
interface NsgRule {
  /** The evaluated field, undefined when absent (or null). */
  get(name: string): Value | undefined;
  /** Where to point for a field: its attribute, or the rule itself. */
  at(name: string): TfAttribute | TfBlock;
  /** Address for messages: the resource, plus the rule name for inline rules. */
  label: string;
}

function blockRule(b: TfBlock, label: string): NsgRule {
  return { get: (n) => b.get(n) ?? undefined, at: (n) => b.attr(n) ?? b, label };
}

function nsgRules(r: TfResource): NsgRule[] {
  if (r.resourceType === 'azurerm_network_security_rule') return [blockRule(r, r.address)];
  const named = (n: string | undefined) => `${r.address} security_rule${n ? ` "${n}"` : ''}`;
  const out = r.blocks('security_rule').map((b) => blockRule(b, named(toStr(b.get('name')))));
  const attr = r.attr('security_rule');
  for (const item of toList(attr?.value) ?? []) {
    if (!isObject(item)) continue;
    out.push({ get: (n) => item[n] ?? undefined, at: () => attr!, label: named(toStr(item['name'])) });
  }
  return out;
}

/** Known string items of a scalar-or-list field pair such as source_address_prefix(es). */
function prefixes(rule: NsgRule, single: string, plural: string): { values: string[]; at: (TfAttribute | TfBlock)[] } {
  const values: string[] = [];
  const at: (TfAttribute | TfBlock)[] = [];
  for (const n of [single, plural]) {
    const v = rule.get(n);
    if (v === undefined) continue;
    for (const x of toList(v) ?? []) {
      const s = toStr(x);
      if (s !== undefined) { values.push(s); at.push(rule.at(n)); }
    }
  }
  return { values, at };
}

/** "*", 0.0.0.0/0, ::/0, Internet, Any: every address. */
export function allowsAllIps(s: string): boolean {
  const v = s.trim().toLowerCase();
  return v === '*' || v === 'internet' || v === 'any' || v === '0.0.0.0' || /\/0$/.test(v);
}

/** Rule direction and access; the provider requires both, an absent value is read as Inbound / Allow. */
function isAllow(b: NsgRule): boolean {
  const a = b.get('access');
  return a === undefined || lc(a) === 'allow';
}
function direction(b: NsgRule): 'inbound' | 'outbound' | undefined {
  const d = b.get('direction');
  if (d === undefined) return 'inbound';
  const s = lc(d);
  return s === 'inbound' || s === 'outbound' ? s : undefined;
}

/** Destination port ranges of a rule: [from, to] pairs; undefined when any is unknown. */
function destinationPorts(b: NsgRule): [number, number][] | undefined {
  const out: [number, number][] = [];
  let any = false;
  for (const n of ['destination_port_range', 'destination_port_ranges']) {
    const v = b.get(n);
    if (v === undefined) continue;
    any = true;
    const l = toList(v);
    if (!l) return undefined;
    for (const v of l) {
      const s = toStr(v)?.trim();
      if (s === undefined) return undefined;
      if (s === '*' || s.toLowerCase() === 'any') { out.push([0, 65535]); continue; }
      const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(s);
      if (!m) return undefined;
      out.push([Number(m[1]), Number(m[2] ?? m[1])]);
    }
  }
  return any ? out : [[0, 65535]];
}

function protocolOf(b: NsgRule): string | undefined {
  const p = b.get('protocol');
  if (p === undefined) return '*';
  return lc(p);
}

interface Exposure { rule: NsgRule; at: TfAttribute | TfBlock; source: string }

/** Inbound allow rules whose source is the whole internet. */
function publicInbound(r: TfResource): Exposure[] {
  const out: Exposure[] = [];
  for (const rule of nsgRules(r)) {
    if (!isAllow(rule) || direction(rule) !== 'inbound') continue;
    const { values, at } = prefixes(rule, 'source_address_prefix', 'source_address_prefixes');
    const i = values.findIndex(allowsAllIps);
    if (i >= 0) out.push({ rule, at: at[i]!, source: values[i]! });
  }
  return out;
}

const NSG_TYPES = ['azurerm_network_security_rule', 'azurerm_network_security_group'];

const noPublicIngress = terraformRule({
  id: 'azure-network-no-public-ingress',
  title: 'Network security rule allows inbound traffic from any address',
  severity: 'critical',
  impact: 'Every host on the internet can reach the covered ports, so any weakness of the exposed services can be exploited from anywhere.',
  remediation: 'Restrict source_address_prefix(es) to the networks that need access, or use a service tag narrower than Internet.',
  references: [NSG_REF],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AZU-0047'] },
  resources: NSG_TYPES,
  check(r, ctx) {
    for (const e of publicInbound(r)) {
      ctx.report({ at: e.at, message: `${e.rule.label} allows inbound traffic from "${e.source}" (any address).` });
    }
  },
  examples: {
    bad: [
      'resource "azurerm_network_security_rule" "web" {\n  name                        = "web"\n  priority                    = 100\n  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = "8443"\n  source_address_prefix       = "Internet"\n  destination_address_prefix  = "*"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n',
      'resource "azurerm_network_security_group" "app" {\n  name                = "app"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  security_rule {\n    name                       = "all"\n    priority                   = 100\n    direction                  = "Inbound"\n    access                     = "Allow"\n    protocol                   = "*"\n    source_port_range          = "*"\n    destination_port_range     = "*"\n    source_address_prefixes    = ["10.0.0.0/8", "0.0.0.0/0"]\n    destination_address_prefix = "*"\n  }\n}\n',
    ],
    good: [
      'resource "azurerm_network_security_rule" "web" {\n  name                        = "web"\n  priority                    = 100\n  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = "8443"\n  source_address_prefix       = "10.20.0.0/16"\n  destination_address_prefix  = "*"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n',
      'resource "azurerm_network_security_rule" "block" {\n  name                        = "block"\n  priority                    = 4000\n  direction                   = "Inbound"\n  access                      = "Deny"\n  protocol                    = "*"\n  source_port_range           = "*"\n  destination_port_range      = "*"\n  source_address_prefix       = "*"\n  destination_address_prefix  = "*"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n',
      'variable "src" {}\nresource "azurerm_network_security_rule" "web" {\n  name                        = "web"\n  priority                    = 100\n  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = "8443"\n  source_address_prefix       = var.src\n  destination_address_prefix  = "*"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n',
    ],
  },
});

const noPublicEgress = terraformRule({
  id: 'azure-network-no-public-egress',
  title: 'Network security rule allows outbound traffic to any address',
  severity: 'critical',
  impact: 'A compromised workload can send data to, or fetch tooling from, any host on the internet.',
  remediation: 'Restrict destination_address_prefix(es) to the networks and service tags the workload needs.',
  references: [NSG_REF],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AZU-0051'] },
  resources: NSG_TYPES,
  check(r, ctx) {
    for (const rule of nsgRules(r)) {
      if (!isAllow(rule) || direction(rule) !== 'outbound') continue;
      const { values, at } = prefixes(rule, 'destination_address_prefix', 'destination_address_prefixes');
      const i = values.findIndex(allowsAllIps);
      if (i >= 0) ctx.report({ at: at[i]!, message: `${rule.label} allows outbound traffic to "${values[i]}" (any address).` });
    }
  },
  examples: {
    bad: ['resource "azurerm_network_security_rule" "out" {\n  name                        = "out"\n  priority                    = 100\n  direction                   = "Outbound"\n  access                      = "Allow"\n  protocol                    = "*"\n  source_port_range           = "*"\n  destination_port_range      = "*"\n  source_address_prefix       = "*"\n  destination_address_prefix  = "0.0.0.0/0"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n'],
    good: [
      'resource "azurerm_network_security_rule" "out" {\n  name                        = "out"\n  priority                    = 100\n  direction                   = "Outbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = "443"\n  source_address_prefix       = "*"\n  destination_address_prefix  = "AzureCloud"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n',
      'variable "dst" {}\nresource "azurerm_network_security_rule" "out" {\n  name                        = "out"\n  priority                    = 100\n  direction                   = "Outbound"\n  access                      = "Allow"\n  protocol                    = "*"\n  source_port_range           = "*"\n  destination_port_range      = "*"\n  source_address_prefix       = "*"\n  destination_address_prefix  = var.dst\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n',
    ],
  },
});

function portRule(opts: {
  id: string; title: string; impact: string; remediation: string; compliance: string[];
  severity: 'critical' | 'high';
  equivalents: { trivy: string[]; checkov?: string[]; kics?: string[] };
  ports: Record<number, string>;
  protocols: string[];
  examples: { bad: string[]; good: string[] };
}): Rule {
  const { ports, protocols, ...meta } = opts;
  return terraformRule({
    ...meta,
    references: [NSG_REF, 'https://learn.microsoft.com/en-us/azure/bastion/bastion-overview'],
    resources: NSG_TYPES,
    check(r, ctx) {
      for (const e of publicInbound(r)) {
        const proto = protocolOf(e.rule);
        if (proto === undefined || !protocols.includes(proto)) continue;
        const ranges = destinationPorts(e.rule);
        if (!ranges) continue;
        const hit = Object.keys(ports).map(Number).filter((p) => ranges.some(([a, b]) => a <= p && p <= b));
        if (hit.length === 0) continue;
        const names = hit.slice(0, 5).map((p) => `${p} (${ports[p]})`).join(', ') + (hit.length > 5 ? `, and ${hit.length - 5} more` : '');
        ctx.report({ at: e.at, message: `${e.rule.label} allows ${names} from "${e.source}" (any address).` });
      }
    },
  });
}

const nsgSsh = portRule({
  id: 'azure-network-no-public-ssh',
  title: 'Network security rule exposes SSH (22) to the internet',
  severity: 'critical',
  impact: 'SSH on every covered host can be brute-forced or attacked through its vulnerabilities from anywhere on the internet.',
  remediation: 'Limit the source to known administration networks, or remove the rule and use Azure Bastion or a VPN.',
  compliance: ['CIS Azure 6.2', 'NIST 800-53 SC-7', 'PCI DSS 1.3.1'],
  equivalents: { trivy: ['AVD-AZU-0050'], checkov: ['CKV_AZURE_10'], kics: ['3e3c175e-aadf-4e2b-a464-3fdac5748d24'] },
  ports: { 22: 'SSH' },
  protocols: ['tcp', '*', 'any'],
  examples: {
    bad: [
      'resource "azurerm_network_security_rule" "ssh" {\n  name                        = "ssh"\n  priority                    = 100\n  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = "20-25"\n  source_address_prefix       = "*"\n  destination_address_prefix  = "*"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n',
      'resource "azurerm_network_security_group" "vm" {\n  name                = "vm"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  security_rule {\n    name                       = "ssh"\n    priority                   = 100\n    direction                  = "Inbound"\n    access                     = "Allow"\n    protocol                   = "Tcp"\n    source_port_range          = "*"\n    destination_port_ranges    = ["443", "22"]\n    source_address_prefix      = "Internet"\n    destination_address_prefix = "*"\n  }\n}\n',
      'resource "azurerm_network_security_group" "vm" {\n  name                = "vm"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  security_rule = [{\n    name                                       = "ssh"\n    priority                                   = 100\n    direction                                  = "Inbound"\n    access                                     = "Allow"\n    protocol                                   = "Tcp"\n    source_port_range                          = "*"\n    source_port_ranges                         = null\n    destination_port_range                     = "22"\n    destination_port_ranges                    = null\n    source_address_prefix                      = "*"\n    source_address_prefixes                    = null\n    destination_address_prefix                 = "*"\n    destination_address_prefixes               = null\n    source_application_security_group_ids      = null\n    destination_application_security_group_ids = null\n    description                                = "ssh"\n  }]\n}\n',
    ],
    good: [
      'resource "azurerm_network_security_rule" "ssh" {\n  name                        = "ssh"\n  priority                    = 100\n  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = "22"\n  source_address_prefix       = "198.51.100.0/24"\n  destination_address_prefix  = "*"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n',
      'variable "port" {}\nresource "azurerm_network_security_rule" "ssh" {\n  name                        = "ssh"\n  priority                    = 100\n  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = var.port\n  source_address_prefix       = "*"\n  destination_address_prefix  = "*"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n',
    ],
  },
});

const nsgRdp = portRule({
  id: 'azure-network-no-public-rdp',
  title: 'Network security rule exposes RDP (3389) to the internet',
  severity: 'critical',
  impact: 'Remote Desktop on every covered host can be brute-forced or attacked through its vulnerabilities (such as BlueKeep) from anywhere.',
  remediation: 'Limit the source to known administration networks, or remove the rule and use Azure Bastion or a VPN.',
  compliance: ['CIS Azure 6.1', 'NIST 800-53 SC-7', 'PCI DSS 1.3.1'],
  equivalents: { trivy: ['AVD-AZU-0048'], checkov: ['CKV_AZURE_9'], kics: ['efbf6449-5ec5-4cfe-8f15-acc51e0d787c'] },
  ports: { 3389: 'RDP' },
  protocols: ['tcp', 'udp', '*', 'any'],
  examples: {
    bad: ['resource "azurerm_network_security_group" "vm" {\n  name                = "vm"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  security_rule {\n    name                       = "rdp"\n    priority                   = 100\n    direction                  = "Inbound"\n    access                     = "Allow"\n    protocol                   = "*"\n    source_port_range          = "*"\n    destination_port_range     = "*"\n    source_address_prefix      = "0.0.0.0/0"\n    destination_address_prefix = "*"\n  }\n}\n'],
    good: [
      'resource "azurerm_network_security_group" "vm" {\n  name                = "vm"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  security_rule {\n    name                       = "rdp"\n    priority                   = 100\n    direction                  = "Inbound"\n    access                     = "Allow"\n    protocol                   = "Tcp"\n    source_port_range          = "*"\n    destination_port_range     = "3389"\n    source_address_prefix      = "VirtualNetwork"\n    destination_address_prefix = "*"\n  }\n}\n',
      'variable "src" {}\nresource "azurerm_network_security_rule" "rdp" {\n  name                        = "rdp"\n  priority                    = 100\n  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = "3389"\n  source_address_prefix       = var.src\n  destination_address_prefix  = "*"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n',
    ],
  },
});

const SENSITIVE: Record<number, string> = {
  20: 'FTP data', 21: 'FTP', 23: 'Telnet', 25: 'SMTP', 53: 'DNS', 110: 'POP3', 135: 'Windows RPC', 139: 'NetBIOS',
  143: 'IMAP', 161: 'SNMP', 389: 'LDAP', 445: 'SMB', 636: 'LDAPS', 993: 'IMAPS', 995: 'POP3S', 1433: 'SQL Server',
  1521: 'Oracle', 3306: 'MySQL', 5432: 'PostgreSQL', 6379: 'Redis', 9200: 'Elasticsearch', 27017: 'MongoDB',
};

const nsgSensitive = portRule({
  id: 'azure-network-no-public-sensitive-ports',
  title: 'Network security rule exposes a sensitive service port to the internet',
  severity: 'high',
  impact: 'Legacy or data services (Telnet, FTP, SMB, databases, LDAP, ...) become reachable from anywhere; many send credentials in clear text or have a long history of remote exploits.',
  remediation: 'Remove the rule or limit its source to the networks that need the service; reach databases through private endpoints.',
  compliance: ['NIST 800-53 SC-7', 'PCI DSS 1.3.1'],
  equivalents: { trivy: ['AVD-AZU-0074'], kics: ['594c198b-4d79-41b8-9b36-fde13348b619'] },
  ports: SENSITIVE,
  protocols: ['tcp', 'udp', '*', 'any'],
  examples: {
    bad: [
      'resource "azurerm_network_security_rule" "db" {\n  name                        = "db"\n  priority                    = 100\n  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = "5432"\n  source_address_prefix       = "Internet"\n  destination_address_prefix  = "*"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n',
    ],
    good: [
      'resource "azurerm_network_security_rule" "db" {\n  name                        = "db"\n  priority                    = 100\n  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = "5432"\n  source_address_prefix       = "10.1.0.0/16"\n  destination_address_prefix  = "*"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n',
      'resource "azurerm_network_security_rule" "https" {\n  name                        = "https"\n  priority                    = 100\n  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = "443"\n  source_address_prefix       = "*"\n  destination_address_prefix  = "*"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n',
    ],
  },
});

const FLOW_LOG = 'azurerm_network_watcher_flow_log';
const FLOW_REF = 'https://learn.microsoft.com/en-us/azure/network-watcher/nsg-flow-logs-overview';

const flowLogRetention = terraformRule({
  id: 'azure-network-flow-log-retention',
  title: 'Network watcher flow logs are kept for less than 90 days',
  severity: 'low',
  impact: 'Network flow records are deleted before an intrusion is typically noticed, so its traffic can no longer be traced.',
  remediation: 'Set retention_policy { enabled = true, days = 90 } or more (0 keeps the logs forever).',
  references: [FLOW_REF],
  compliance: ['NIST 800-53 AU-11'],
  equivalents: { trivy: ['AVD-AZU-0049'], checkov: ['CKV_AZURE_12'], kics: ['7750fcca-dd03-4d38-b663-4b70289bcfd4'] },
  fixable: true,
  resources: [FLOW_LOG],
  check(r, ctx) {
    const rp = r.block('retention_policy');
    if (!rp || rp.dynamic) return;
    const enabled = rp.get('enabled');
    const days = rp.get('days');
    if (toBool(enabled) === false) {
      const edits = [setLiteral(rp, 'enabled', 'true')];
      const d = toNum(days);
      if (days === undefined || (d !== undefined && d > 0 && d < 90)) edits.push(setLiteral(rp, 'days', '90'));
      ctx.report({ at: rp.attr('enabled')!, message: `${r.address} sets retention_policy.enabled = false: flow logs have no retention policy.`, fix: tfFix('Enable a 90-day retention policy', ...edits) });
      return;
    }
    if (enabled !== undefined && !isKnown(enabled)) return;
    const d = toNum(days);
    if (d !== undefined && d > 0 && d < 90) {
      ctx.report({ at: rp.attr('days')!, message: `${r.address} keeps flow logs for ${d} days (less than 90).`, fix: tfFix('Keep flow logs for 90 days', setLiteral(rp, 'days', '90')) });
    }
  },
  examples: {
    bad: [
      'resource "azurerm_network_watcher_flow_log" "nsg" {\n  name                      = "nsg-flow"\n  network_watcher_name      = "watcher"\n  resource_group_name       = "rg"\n  network_security_group_id = azurerm_network_security_group.app.id\n  storage_account_id        = azurerm_storage_account.logs.id\n  enabled                   = true\n  retention_policy {\n    enabled = true\n    days    = 30\n  }\n}\n',
      'resource "azurerm_network_watcher_flow_log" "nsg" {\n  name                      = "nsg-flow"\n  network_watcher_name      = "watcher"\n  resource_group_name       = "rg"\n  network_security_group_id = azurerm_network_security_group.app.id\n  storage_account_id        = azurerm_storage_account.logs.id\n  enabled                   = true\n  retention_policy {\n    enabled = false\n    days    = 7\n  }\n}\n',
    ],
    good: [
      'resource "azurerm_network_watcher_flow_log" "nsg" {\n  name                      = "nsg-flow"\n  network_watcher_name      = "watcher"\n  resource_group_name       = "rg"\n  network_security_group_id = azurerm_network_security_group.app.id\n  storage_account_id        = azurerm_storage_account.logs.id\n  enabled                   = true\n  retention_policy {\n    enabled = true\n    days    = 365\n  }\n}\n',
      'variable "days" {}\nresource "azurerm_network_watcher_flow_log" "nsg" {\n  name                      = "nsg-flow"\n  network_watcher_name      = "watcher"\n  resource_group_name       = "rg"\n  network_security_group_id = azurerm_network_security_group.app.id\n  storage_account_id        = azurerm_storage_account.logs.id\n  enabled                   = true\n  retention_policy {\n    enabled = true\n    days    = var.days\n  }\n}\n',
    ],
  },
});

const flowLogEnabled = attrRule({
  id: 'azure-network-flow-log-enabled',
  title: 'Network watcher flow log is disabled',
  severity: 'medium',
  impact: 'No record is kept of the traffic through the network security group, so scans, lateral movement and exfiltration go unseen.',
  remediation: 'Set enabled = true on the azurerm_network_watcher_flow_log.',
  references: [FLOW_REF],
  compliance: ['NIST 800-53 AU-12'],
  equivalents: { trivy: ['AVD-AZU-0073'], kics: ['b90842e5-6779-44d4-9760-972f4c03ba1c'] },
  resources: [FLOW_LOG],
  name: 'enabled',
  problem: (v) => (toBool(v) === false ? 'sets enabled = false: network flows are not logged.' : undefined),
  fix: 'true',
  examples: {
    bad: ['resource "azurerm_network_watcher_flow_log" "nsg" {\n  name                      = "nsg-flow"\n  network_watcher_name      = "watcher"\n  resource_group_name       = "rg"\n  network_security_group_id = azurerm_network_security_group.app.id\n  storage_account_id        = azurerm_storage_account.logs.id\n  enabled                   = false\n  retention_policy {\n    enabled = true\n    days    = 90\n  }\n}\n'],
    good: [
      'resource "azurerm_network_watcher_flow_log" "nsg" {\n  name                      = "nsg-flow"\n  network_watcher_name      = "watcher"\n  resource_group_name       = "rg"\n  network_security_group_id = azurerm_network_security_group.app.id\n  storage_account_id        = azurerm_storage_account.logs.id\n  enabled                   = true\n  retention_policy {\n    enabled = true\n    days    = 90\n  }\n}\n',
      'variable "on" {}\nresource "azurerm_network_watcher_flow_log" "nsg" {\n  name                      = "nsg-flow"\n  network_watcher_name      = "watcher"\n  resource_group_name       = "rg"\n  network_security_group_id = azurerm_network_security_group.app.id\n  storage_account_id        = azurerm_storage_account.logs.id\n  enabled                   = var.on\n  retention_policy {\n    enabled = true\n    days    = 90\n  }\n}\n',
    ],
  },
});

const NIC_REF = 'https://learn.microsoft.com/en-us/azure/virtual-network/virtual-network-network-interface';

const nicIpForwarding = attrRule({
  id: 'azure-network-nic-no-ip-forwarding',
  title: 'Network interface forwards traffic not addressed to it',
  severity: 'medium',
  impact: 'The VM can route traffic between networks, so a compromise of it can be used to bypass network segmentation or intercept traffic.',
  remediation: 'Set ip_forwarding_enabled = false (enable_ip_forwarding on azurerm < 4.0) unless the VM is a network virtual appliance.',
  references: [NIC_REF],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AZU-0075'], checkov: ['CKV_AZURE_118'], kics: ['4216ebac-d74c-4423-b437-35025cb88af5'] },
  resources: ['azurerm_network_interface'],
  name: ['ip_forwarding_enabled', 'enable_ip_forwarding'],
  problem: (v, absent) => (toBool(v) === true ? `${describeValue('ip forwarding', v, absent)}.` : undefined),
  fix: 'false',
  examples: {
    bad: ['resource "azurerm_network_interface" "nva" {\n  name                  = "nva"\n  location              = "westeurope"\n  resource_group_name   = "rg"\n  ip_forwarding_enabled = true\n  ip_configuration {\n    name                          = "internal"\n    subnet_id                     = azurerm_subnet.internal.id\n    private_ip_address_allocation = "Dynamic"\n  }\n}\n'],
    good: [
      'resource "azurerm_network_interface" "app" {\n  name                = "app"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  ip_configuration {\n    name                          = "internal"\n    subnet_id                     = azurerm_subnet.internal.id\n    private_ip_address_allocation = "Dynamic"\n  }\n}\n',
      'variable "fwd" {}\nresource "azurerm_network_interface" "app" {\n  name                 = "app"\n  location             = "westeurope"\n  resource_group_name  = "rg"\n  enable_ip_forwarding = var.fwd\n  ip_configuration {\n    name                          = "internal"\n    subnet_id                     = azurerm_subnet.internal.id\n    private_ip_address_allocation = "Dynamic"\n  }\n}\n',
    ],
  },
});

const nicPublicIp = terraformRule({
  id: 'azure-network-nic-no-public-ip',
  title: 'Network interface has a public IP address',
  severity: 'medium',
  impact: 'The VM is directly reachable from the internet; only its NSG stands between attackers and its services.',
  remediation: 'Remove public_ip_address_id and reach the VM through a load balancer, Azure Bastion or a VPN.',
  references: [NIC_REF, 'https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/public-ip-addresses'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AZU-0076'], checkov: ['CKV_AZURE_119'], kics: ['c1573577-e494-4417-8854-7e119368dc8b'] },
  resources: ['azurerm_network_interface'],
  check(r, ctx) {
    for (const ipc of r.blocks('ip_configuration')) {
      const a = ipc.attr('public_ip_address_id');
      if (!a) continue;
      const v: Value = a.value;
      if (v === null || v === '' || isUnknown(v)) continue;
      ctx.report({ at: a, message: `${r.address} attaches public IP ${a.source} to ip_configuration "${toStr(ipc.get('name')) ?? '?'}".` });
    }
  },
  examples: {
    bad: ['resource "azurerm_network_interface" "app" {\n  name                = "app"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  ip_configuration {\n    name                          = "public"\n    subnet_id                     = azurerm_subnet.internal.id\n    private_ip_address_allocation = "Dynamic"\n    public_ip_address_id          = azurerm_public_ip.app.id\n  }\n}\n'],
    good: [
      'resource "azurerm_network_interface" "app" {\n  name                = "app"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  ip_configuration {\n    name                          = "internal"\n    subnet_id                     = azurerm_subnet.internal.id\n    private_ip_address_allocation = "Dynamic"\n  }\n}\n',
      'variable "pip" {}\nresource "azurerm_network_interface" "app" {\n  name                = "app"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  ip_configuration {\n    name                          = "internal"\n    subnet_id                     = azurerm_subnet.internal.id\n    private_ip_address_allocation = "Dynamic"\n    public_ip_address_id          = var.pip\n  }\n}\n',
    ],
  },
});

export const rules: Rule[] = [
  noPublicIngress, noPublicEgress, nsgSsh, nsgRdp, nsgSensitive, flowLogRetention, flowLogEnabled, nicIpForwarding, nicPublicIp,
];
