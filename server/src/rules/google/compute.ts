import { replaceAttributeValue, tfFix } from '../../engine/fix';
import { terraformRule, type Rule } from '../../engine/rule';
import type { TfBlock, TfResource } from '../../parse/terraform';
import { Ref, toList, toStr } from '../../parse/values';
import { publicCidrsIn } from '../util';
import { anchor, gBool, mapKey, mapKeyAnchor, mapKnown, setFix, setMapKey } from './util';

const FW_REFS = ['https://cloud.google.com/firewall/docs/firewalls', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_firewall'];

// ---------------------------------------------------------------- firewall helpers

interface PortRange { from: number; to: number; text: string }
interface AllowRule {
  block: TfBlock;
  /** Lower-case protocol; 'all' covers every protocol. */
  protocol: string;
  /** undefined: every port (no `ports`); null: unknown. */
  ports: PortRange[] | undefined | null;
}

function parsePort(s: string): PortRange | undefined {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(s);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] !== undefined ? Number(m[2]) : from;
  return { from, to, text: s.trim() };
}

/** The `allow` blocks of a firewall whose protocol and ports are known. */
function allowRules(fw: TfResource): AllowRule[] {
  const out: AllowRule[] = [];
  for (const b of fw.blocks('allow')) {
    const p = toStr(b.get('protocol'))?.trim().toLowerCase();
    if (p === undefined) continue;
    const protocol = p === '6' ? 'tcp' : p === '17' ? 'udp' : p;
    const raw = b.get('ports');
    let ports: PortRange[] | undefined | null;
    if (raw === undefined || raw === null) ports = undefined;
    else {
      const list = toList(raw);
      if (!list) ports = null;
      else {
        const parsed = list.map((x) => (toStr(x) !== undefined ? parsePort(toStr(x)!) : undefined));
        ports = parsed.some((x) => x === undefined) ? null : (parsed as PortRange[]);
        if (ports && ports.length === 0) ports = undefined;
      }
    }
    out.push({ block: b, protocol, ports });
  }
  return out;
}

function direction(fw: TfResource): string | undefined {
  const d = fw.get('direction');
  if (d === undefined || d === null) return 'INGRESS';
  return toStr(d)?.toUpperCase();
}

function enforced(fw: TfResource): boolean {
  const d = fw.get('disabled');
  return d === undefined || d === null || gBool(d) === false;
}

const PORTED = new Set(['tcp', 'udp', 'sctp', 'all']);

/** Whether a (known) allow rule opens the TCP port. */
function opensTcpPort(a: AllowRule, port: number): boolean {
  if (a.protocol !== 'tcp' && a.protocol !== 'all') return false;
  if (a.protocol === 'all' || a.ports === undefined) return true;
  if (a.ports === null) return false;
  return a.ports.some((p) => p.from <= port && port <= p.to);
}

const absentOrEmpty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);

function publicIngressSources(fw: TfResource): string[] {
  if (direction(fw) !== 'INGRESS' || !enforced(fw)) return [];
  const ranges = fw.get('source_ranges');
  // With no source at all, GCP applies the rule to 0.0.0.0/0.
  if (absentOrEmpty(ranges) && absentOrEmpty(fw.get('source_tags')) && absentOrEmpty(fw.get('source_service_accounts'))) {
    return ['0.0.0.0/0 (implied: no source_ranges, source_tags or source_service_accounts)'];
  }
  return publicCidrsIn(ranges);
}

const fw = (body: string, name = 'web') => `resource "google_compute_firewall" "${name}" {\n  name    = "${name}"\n  network = "prod-vpc"\n${body}}\n`;
const allow = (protocol: string, ports?: string) => `  allow {\n    protocol = "${protocol}"\n${ports ? `    ports    = [${ports}]\n` : ''}  }\n`;

const noPublicIngress = terraformRule({
  id: 'google-compute-no-public-ingress',
  title: 'Firewall rule allows ingress from any IP address',
  severity: 'critical',
  impact: 'Every host on the internet can reach the targeted instances on the allowed protocols and ports, exposing them to scanning, brute force and exploits.',
  remediation: 'Replace 0.0.0.0/0 in source_ranges with the specific ranges that need access, or use Identity-Aware Proxy / a load balancer.',
  references: FW_REFS,
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-GCP-0027'] },
  resources: ['google_compute_firewall'],
  check(r, ctx) {
    const pub = publicIngressSources(r);
    if (pub.length === 0 || !r.hasBlock('allow')) return;
    ctx.report({ at: r.attr('source_ranges') ?? r, message: `${r.address} allows ingress from ${pub.join(', ')}.` });
  },
  examples: {
    bad: [fw(`${allow('tcp', '"8080"')}  source_ranges = ["0.0.0.0/0"]\n`), fw(`  direction     = "INGRESS"\n${allow('icmp')}  source_ranges = ["10.0.0.0/8", "::/0"]\n`), fw(allow('tcp', '"8080"'))],
    good: [
      fw(`${allow('tcp', '"8080"')}  source_tags = ["frontend"]\n`),
      fw(`${allow('tcp', '"8080"')}  source_ranges = ["203.0.113.0/24"]\n`),
      fw(`  deny {\n    protocol = "all"\n  }\n  source_ranges = ["0.0.0.0/0"]\n`),
      `variable "ranges" {}\n${fw(`${allow('tcp', '"443"')}  source_ranges = var.ranges\n`)}`,
    ],
  },
});

const noPublicEgress = terraformRule({
  id: 'google-compute-no-public-egress',
  title: 'Firewall rule allows egress to any IP address',
  severity: 'medium',
  impact: 'Instances can send data to any host on the internet, which makes exfiltration and command-and-control traffic from a compromised instance easy.',
  remediation: 'Restrict destination_ranges of egress allow rules to the destinations the workload needs.',
  references: FW_REFS,
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-GCP-0035'] },
  resources: ['google_compute_firewall'],
  check(r, ctx) {
    if (direction(r) !== 'EGRESS' || !enforced(r) || !r.hasBlock('allow')) return;
    const dst = r.get('destination_ranges');
    const pub = absentOrEmpty(dst) ? ['0.0.0.0/0 (implied: no destination_ranges)'] : publicCidrsIn(dst);
    if (pub.length === 0) return;
    ctx.report({ at: r.attr('destination_ranges') ?? r, message: `${r.address} allows egress to ${pub.join(', ')}.` });
  },
  examples: {
    bad: [fw(`  direction          = "EGRESS"\n${allow('tcp')}  destination_ranges = ["0.0.0.0/0"]\n`), fw(`  direction = "EGRESS"\n${allow('all')}`)],
    good: [
      fw(`  direction          = "EGRESS"\n${allow('tcp', '"443"')}  destination_ranges = ["199.36.153.8/30"]\n`),
      `variable "dst" {}\n${fw(`  direction          = "EGRESS"\n${allow('tcp')}  destination_ranges = var.dst\n`)}`,
    ],
  },
});

function publicPortRule(id: string, port: number, service: string, severity: 'high' | 'medium', trivy: string, checkov: string, kics: string, cis: string): Rule {
  return terraformRule({
    id,
    title: `Firewall rule allows ${service} (TCP ${port}) from the internet`,
    severity,
    impact: `Anyone on the internet can reach ${service} on the targeted instances and brute-force credentials or exploit the service.`,
    remediation: `Restrict source_ranges of rules that open TCP ${port} to known ranges, or use Identity-Aware Proxy TCP forwarding (35.235.240.0/20).`,
    references: [...FW_REFS, 'https://cloud.google.com/iap/docs/using-tcp-forwarding'],
    compliance: [cis, 'NIST 800-53 SC-7'],
    equivalents: { checkov: [checkov], trivy: [trivy], kics: [kics] },
    resources: ['google_compute_firewall'],
    check(r, ctx) {
      const pub = publicIngressSources(r);
      if (pub.length === 0) return;
      const a = allowRules(r).find((x) => opensTcpPort(x, port));
      if (!a) return;
      ctx.report({ at: a.block.attr('ports') ?? a.block, message: `${r.address} allows TCP ${port} (${service}) from ${pub.join(', ')}.` });
    },
    examples: {
      bad: [
        fw(`${allow('tcp', `"${port}"`)}  source_ranges = ["0.0.0.0/0"]\n`),
        fw(`${allow('tcp', `"80", "${port - 10}-${port + 10}"`)}  source_ranges = ["0.0.0.0/0"]\n  target_tags   = ["bastion"]\n`),
        fw(`${allow('all')}  source_ranges = ["0.0.0.0/0"]\n`),
      ],
      good: [
        fw(`${allow('tcp', `"${port}"`)}  source_ranges = ["35.235.240.0/20"]\n`),
        fw(`${allow('udp', `"${port}"`)}  source_ranges = ["0.0.0.0/0"]\n`),
        fw(`${allow('tcp', '"443"')}  source_ranges = ["0.0.0.0/0"]\n`),
        `variable "ports" {}\n${fw(`  allow {\n    protocol = "tcp"\n    ports    = var.ports\n  }\n  source_ranges = ["0.0.0.0/0"]\n`)}`,
      ],
    },
  });
}

const noPublicSsh = publicPortRule('google-compute-no-public-ssh', 22, 'SSH', 'high', 'AVD-GCP-0071', 'CKV_GCP_2', 'c4dcdcdf-10dd-4bf4-b4a0-8f6239e6aaa0', 'CIS GCP 3.6');
const noPublicRdp = publicPortRule('google-compute-no-public-rdp', 3389, 'RDP', 'high', 'AVD-GCP-0070', 'CKV_GCP_3', '678fd659-96f2-454a-a2a0-c2571f83a4a3', 'CIS GCP 3.7');

function opensAllPorts(a: AllowRule): boolean {
  if (a.protocol === 'all') return true;
  if (!PORTED.has(a.protocol)) return false;
  if (a.ports === undefined) return true;
  if (a.ports === null) return false;
  return a.ports.some((p) => p.from <= 1 && p.to >= 65535);
}

const noAllPorts = terraformRule({
  id: 'google-compute-firewall-no-all-ports',
  title: 'Firewall rule allows all ports',
  severity: 'medium',
  impact: 'A rule that opens every port exposes every service on the targeted instances, including ones never meant to be reachable.',
  remediation: 'List only the ports the workload needs in allow.ports (and avoid protocol = "all").',
  references: ['https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_firewall#allow'],
  compliance: ['NIST 800-53 CM-7'],
  equivalents: { trivy: ['AVD-GCP-0072'], kics: ['22ef1d26-80f8-4a6c-8c15-f35aab3cac78'] },
  resources: ['google_compute_firewall'],
  check(r, ctx) {
    if (!enforced(r)) return;
    const a = allowRules(r).find(opensAllPorts);
    if (!a) return;
    const what = a.protocol === 'all' ? 'protocol "all"' : a.ports === undefined ? `every ${a.protocol} port (no ports listed)` : `${a.protocol} ports ${a.ports!.map((p) => p.text).join(', ')}`;
    ctx.report({ at: a.block.attr('ports') ?? a.block.attr('protocol') ?? a.block, message: `${r.address} allows ${what}.` });
  },
  examples: {
    bad: [fw(`${allow('tcp', '"0-65535"')}  source_ranges = ["10.0.0.0/8"]\n`), fw(`${allow('udp')}  source_ranges = ["10.0.0.0/8"]\n`), fw(`${allow('all')}  source_ranges = ["10.0.0.0/8"]\n`)],
    good: [fw(`${allow('tcp', '"80", "443"')}  source_ranges = ["0.0.0.0/0"]\n`), fw(`${allow('icmp')}  source_ranges = ["10.0.0.0/8"]\n`), `variable "p" {}\n${fw(`  allow {\n    protocol = "tcp"\n    ports    = [var.p]\n  }\n`)}`],
  },
});

const DEFAULT_RULES = new Set(['default-allow-internal', 'default-allow-ssh', 'default-allow-rdp', 'default-allow-icmp', 'default-allow-https', 'default-allow-http']);

const noDefaultRules = terraformRule({
  id: 'google-compute-firewall-no-default-rules',
  title: 'Firewall rule reproduces a broad default-network rule',
  severity: 'medium',
  impact: 'The default-network rules (default-allow-internal, -ssh, -rdp, -icmp) open SSH, RDP and every internal port between all instances, so one compromised VM can reach all others.',
  remediation: 'Delete the default-* rules and write specific rules that allow only the required sources, ports and target tags.',
  references: ['https://cloud.google.com/firewall/docs/firewalls#more_rules_default_vpc'],
  compliance: ['CIS GCP 3.1', 'NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-GCP-0073'], kics: ['40abce54-95b1-478c-8e5f-ea0bf0bb0e33'] },
  resources: ['google_compute_firewall'],
  check(r, ctx) {
    if (!enforced(r) || !r.hasBlock('allow')) return;
    const name = toStr(r.get('name'));
    if (name && DEFAULT_RULES.has(name)) {
      ctx.report({ at: r.attr('name')!, message: `${r.address} is the default-network rule "${name}".` });
      return;
    }
    const internal = (toList(r.get('source_ranges')) ?? []).some((s) => toStr(s) === '10.128.0.0/9');
    if (internal && allowRules(r).some(opensAllPorts)) {
      ctx.report({ at: r.attr('source_ranges')!, message: `${r.address} allows every port from 10.128.0.0/9, like the default-allow-internal rule.` });
    }
  },
  examples: {
    bad: [fw(`${allow('tcp', '"22"')}  source_ranges = ["0.0.0.0/0"]\n`, 'default-allow-ssh'), fw(`${allow('tcp', '"0-65535"')}  source_ranges = ["10.128.0.0/9"]\n`, 'internal')],
    good: [fw(`${allow('tcp', '"22"')}  source_ranges = ["35.235.240.0/20"]\n  target_tags   = ["ssh"]\n`, 'iap-ssh'), `variable "n" {}\nresource "google_compute_firewall" "x" {\n  name    = var.n\n  network = "prod-vpc"\n${allow('tcp', '"443"')}}\n`],
  },
});

const MAX_RANGE = 30;
const noLargePortRange = terraformRule({
  id: 'google-compute-firewall-no-large-port-range',
  title: 'Firewall rule allows a large port range',
  severity: 'low',
  impact: 'Wide port ranges expose services that were never meant to be reachable on the targeted instances and hide which ports are really needed.',
  remediation: `Split the range into the specific ports the workload needs (ranges of at most ${MAX_RANGE + 1} ports).`,
  references: ['https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_firewall#ports'],
  compliance: ['NIST 800-53 CM-7'],
  equivalents: { trivy: ['AVD-GCP-0074'] },
  resources: ['google_compute_firewall'],
  check(r, ctx) {
    if (direction(r) !== 'INGRESS' || !enforced(r)) return;
    for (const a of allowRules(r)) {
      if (!a.ports) continue;
      const big = a.ports.find((p) => p.to - p.from > MAX_RANGE);
      if (big) {
        ctx.report({ at: a.block.attr('ports')!, message: `${r.address} allows the port range ${big.text} (${big.to - big.from + 1} ports).` });
        return;
      }
    }
  },
  examples: {
    bad: [fw(`${allow('tcp', '"8000-8100"')}  source_ranges = ["10.0.0.0/8"]\n`)],
    good: [fw(`${allow('tcp', '"8000-8010", "443"')}  source_ranges = ["0.0.0.0/0"]\n`), `variable "p" {}\n${fw(`  allow {\n    protocol = "tcp"\n    ports    = var.p\n  }\n`)}`],
  },
});

// ---------------------------------------------------------------- subnetworks

const PROXY_PURPOSES = new Set(['REGIONAL_MANAGED_PROXY', 'GLOBAL_MANAGED_PROXY', 'INTERNAL_HTTPS_LOAD_BALANCER', 'PRIVATE_SERVICE_CONNECT']);

function proxyOnly(r: TfResource): boolean | undefined {
  const p = r.get('purpose');
  if (p === undefined || p === null) return false;
  const s = toStr(p);
  return s === undefined ? undefined : PROXY_PURPOSES.has(s.toUpperCase());
}

const subnet = (body: string) => `resource "google_compute_subnetwork" "app" {\n  name          = "app"\n  ip_cidr_range = "10.2.0.0/16"\n  region        = "europe-west1"\n  network       = google_compute_network.vpc.id\n${body}}\n`;

const flowLogs = terraformRule({
  id: 'google-compute-subnet-flow-logs',
  title: 'Subnetwork has VPC flow logs disabled',
  severity: 'low',
  impact: 'Without flow logs there is no record of the traffic in the subnet, so scanning, lateral movement and exfiltration cannot be investigated.',
  remediation: 'Add a log_config block to the subnetwork (proxy-only subnets are exempt).',
  references: ['https://cloud.google.com/vpc/docs/using-flow-logs', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_subnetwork#log_config'],
  compliance: ['CIS GCP 3.8', 'NIST 800-53 AU-12'],
  equivalents: { checkov: ['CKV_GCP_26'], trivy: ['AVD-GCP-0029', 'AVD-GCP-0076'], kics: ['40430747-442d-450a-a34f-dc57149f4609'] },
  fixable: true,
  resources: ['google_compute_subnetwork'],
  check(r, ctx) {
    if (proxyOnly(r) !== false) return;
    if (r.hasBlock('log_config')) return;
    const legacy = r.get('enable_flow_logs');
    if (legacy !== undefined && gBool(legacy) !== false) return;
    if (r.has('log_config')) return;
    ctx.report({
      at: r.attr('enable_flow_logs') ?? r,
      message: legacy !== undefined ? `${r.address} sets enable_flow_logs = false and has no log_config.` : `${r.address} has no log_config: VPC flow logs are off.`,
      fix: legacy !== undefined
        ? tfFix('Set enable_flow_logs = true', replaceAttributeValue(r.attr('enable_flow_logs')!, 'true'))
        : setFix(r, ['log_config'], 'aggregation_interval', '"INTERVAL_5_SEC"'),
    });
  },
  examples: {
    bad: [subnet(''), subnet('  enable_flow_logs = false\n')],
    good: [
      subnet('  log_config {\n    aggregation_interval = "INTERVAL_10_MIN"\n    flow_sampling        = 0.5\n    metadata             = "INCLUDE_ALL_METADATA"\n  }\n'),
      subnet('  purpose = "REGIONAL_MANAGED_PROXY"\n  role    = "ACTIVE"\n'),
      `variable "purpose" {}\n${subnet('  purpose = var.purpose\n')}`,
    ],
  },
});

const privateGoogleAccess = terraformRule({
  id: 'google-compute-subnet-private-google-access',
  title: 'Subnetwork has Private Google Access disabled',
  severity: 'low',
  impact: 'Instances without external IPs cannot reach Google APIs, which pushes teams to give them public IPs or route API traffic over the internet.',
  remediation: 'Set private_ip_google_access = true on the subnetwork.',
  references: ['https://cloud.google.com/vpc/docs/private-google-access', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_subnetwork#private_ip_google_access'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { checkov: ['CKV_GCP_74'], trivy: ['AVD-GCP-0075'], kics: ['ee7b93c1-b3f8-4a3b-9588-146d481814f5'] },
  fixable: true,
  resources: ['google_compute_subnetwork'],
  check(r, ctx) {
    if (proxyOnly(r) !== false) return;
    const v = r.get('private_ip_google_access');
    if (v !== undefined && v !== null && gBool(v) !== false) return;
    ctx.report({
      at: anchor(r, [], 'private_ip_google_access'),
      message: v === undefined || v === null ? `${r.address} does not enable private_ip_google_access (default false).` : `${r.address} sets private_ip_google_access = false.`,
      fix: setFix(r, [], 'private_ip_google_access', 'true'),
    });
  },
  examples: {
    bad: [subnet(''), subnet('  private_ip_google_access = false\n')],
    good: [subnet('  private_ip_google_access = true\n'), `variable "pga" {}\n${subnet('  private_ip_google_access = var.pga\n')}`],
  },
});

// ---------------------------------------------------------------- instances

const INSTANCES = ['google_compute_instance', 'google_compute_instance_template', 'google_compute_region_instance_template'];
const vm = (body: string) => `resource "google_compute_instance" "app" {\n  name         = "app"\n  machine_type = "e2-medium"\n  zone         = "europe-west1-b"\n\n  boot_disk {\n    initialize_params {\n      image = "debian-cloud/debian-12"\n    }\n  }\n\n  network_interface {\n    subnetwork = "app"\n  }\n${body}}\n`;
const INSTANCE_REF = 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_instance';

const blockProjectSshKeys = terraformRule({
  id: 'google-compute-instance-block-project-ssh-keys',
  title: 'Instance accepts project-wide SSH keys',
  severity: 'medium',
  impact: 'Every holder of a project-wide SSH key can log in to the instance, so one leaked key opens all instances of the project.',
  remediation: 'Set metadata "block-project-ssh-keys" = true on the instance (or use OS Login).',
  references: ['https://cloud.google.com/compute/docs/connect/restrict-ssh-keys#block-keys', INSTANCE_REF],
  compliance: ['CIS GCP 4.3'],
  equivalents: { checkov: ['CKV_GCP_32'], trivy: ['AVD-GCP-0030'], kics: ['3e4d5ce6-3280-4027-8010-c26eeea1ec01'] },
  fixable: true,
  resources: INSTANCES,
  check(r, ctx) {
    if (!mapKnown(r, 'metadata')) return;
    const v = mapKey(r, 'metadata', 'block-project-ssh-keys');
    if (v !== undefined && gBool(v) !== false) return;
    ctx.report({
      at: mapKeyAnchor(r, 'metadata', 'block-project-ssh-keys'),
      message: v === undefined ? `${r.address} does not set metadata block-project-ssh-keys = true: project-wide SSH keys can log in.` : `${r.address} sets block-project-ssh-keys = ${toStr(v)}: project-wide SSH keys can log in.`,
      fix: tfFix('Set metadata block-project-ssh-keys = true', setMapKey(r, 'metadata', 'block-project-ssh-keys', 'true')),
    });
  },
  examples: {
    bad: [vm('  metadata = {\n    block-project-ssh-keys = false\n  }\n'), vm(''), vm('  metadata = {\n    env = "prod"\n  }\n')],
    good: [vm('  metadata = {\n    block-project-ssh-keys = true\n  }\n'), vm('  metadata = {\n    "block-project-ssh-keys" = "TRUE"\n  }\n'), `variable "md" {}\n${vm('  metadata = var.md\n')}`],
  },
});

const noSerialPort = terraformRule({
  id: 'google-compute-instance-no-serial-port',
  title: 'Instance enables interactive serial port access',
  severity: 'medium',
  impact: 'The interactive serial console accepts connections from any IP address and bypasses network firewall rules, giving another way in to the instance.',
  remediation: 'Remove metadata "serial-port-enable" or set it to false.',
  references: ['https://cloud.google.com/compute/docs/troubleshooting/troubleshooting-using-serial-console', INSTANCE_REF],
  compliance: ['CIS GCP 4.5'],
  equivalents: { checkov: ['CKV_GCP_35'], trivy: ['AVD-GCP-0032'], kics: ['97fa667a-d05b-4f16-9071-58b939f34751'] },
  fixable: true,
  resources: [...INSTANCES, 'google_compute_project_metadata'],
  check(r, ctx) {
    const v = mapKey(r, 'metadata', 'serial-port-enable');
    if (gBool(v) !== true) return;
    ctx.report({
      at: mapKeyAnchor(r, 'metadata', 'serial-port-enable'),
      message: `${r.address} sets metadata serial-port-enable = ${toStr(v)}.`,
      fix: tfFix('Set metadata serial-port-enable = false', setMapKey(r, 'metadata', 'serial-port-enable', 'false')),
    });
  },
  examples: {
    bad: [vm('  metadata = {\n    serial-port-enable = true\n  }\n'), vm('  metadata = { "serial-port-enable" = "TRUE" }\n')],
    good: [vm('  metadata = {\n    serial-port-enable = false\n  }\n'), vm(''), `variable "md" {}\n${vm('  metadata = var.md\n')}`],
  },
});

const noOsLoginOverride = terraformRule({
  id: 'google-compute-instance-no-oslogin-override',
  title: 'Instance disables OS Login',
  severity: 'medium',
  impact: 'With OS Login off, SSH access is managed with metadata keys instead of IAM: access is not tied to identities, cannot use 2-step verification and is not revoked with the account.',
  remediation: 'Remove metadata "enable-oslogin" = false from the instance (or set it to TRUE).',
  references: ['https://cloud.google.com/compute/docs/oslogin/set-up-oslogin', INSTANCE_REF],
  compliance: ['CIS GCP 4.4'],
  equivalents: { checkov: ['CKV_GCP_34'], trivy: ['AVD-GCP-0036'], kics: ['d0b4d550-c001-46c3-bbdb-d5d75d33f05f'] },
  fixable: true,
  resources: INSTANCES,
  check(r, ctx) {
    const v = mapKey(r, 'metadata', 'enable-oslogin');
    if (gBool(v) !== false) return;
    ctx.report({
      at: mapKeyAnchor(r, 'metadata', 'enable-oslogin'),
      message: `${r.address} sets metadata enable-oslogin = ${toStr(v)}, overriding the project OS Login setting.`,
      fix: tfFix('Set metadata enable-oslogin = "TRUE"', setMapKey(r, 'metadata', 'enable-oslogin', '"TRUE"')),
    });
  },
  examples: {
    bad: [vm('  metadata = {\n    enable-oslogin = false\n  }\n'), vm('  metadata = {\n    enable-oslogin = "FALSE"\n  }\n')],
    good: [vm('  metadata = {\n    enable-oslogin = "TRUE"\n  }\n'), vm(''), `variable "md" {}\n${vm('  metadata = var.md\n')}`],
  },
});

const projectOsLogin = terraformRule({
  id: 'google-compute-project-oslogin',
  title: 'OS Login is not enabled in project metadata',
  severity: 'medium',
  impact: 'Without project-wide OS Login, SSH access to instances is governed by metadata keys rather than IAM, so it is not tied to identities and not revoked when people leave.',
  remediation: 'Set "enable-oslogin" = "TRUE" in google_compute_project_metadata (or a google_compute_project_metadata_item).',
  references: ['https://cloud.google.com/compute/docs/oslogin/set-up-oslogin', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_project_metadata'],
  compliance: ['CIS GCP 4.4'],
  equivalents: { checkov: ['CKV_GCP_33'], trivy: ['AVD-GCP-0042'], kics: ['32ecd6eb-0711-421f-9627-1a28d9eff217'] },
  fixable: true,
  resources: ['google_compute_project_metadata', 'google_compute_project_metadata_item'],
  check(r, ctx) {
    if (r.resourceType === 'google_compute_project_metadata_item') {
      if (toStr(r.get('key')) !== 'enable-oslogin') return;
      const v = r.get('value');
      if (gBool(v) !== false) return;
      ctx.report({ at: r.attr('value')!, message: `${r.address} sets project metadata enable-oslogin = ${toStr(v)}.`, fix: tfFix('Set value = "TRUE"', replaceAttributeValue(r.attr('value')!, '"TRUE"')) });
      return;
    }
    if (!mapKnown(r, 'metadata')) return;
    const v = mapKey(r, 'metadata', 'enable-oslogin');
    if (v !== undefined && gBool(v) !== false) return;
    if (v === undefined) {
      // A separate metadata item may enable it.
      const item = r.module.resourcesOfType('google_compute_project_metadata_item').find((i) => {
        const k = i.get('key');
        return toStr(k) === 'enable-oslogin' || (k !== undefined && toStr(k) === undefined);
      });
      if (item) return;
    }
    ctx.report({
      at: mapKeyAnchor(r, 'metadata', 'enable-oslogin'),
      message: v === undefined ? `${r.address} does not set enable-oslogin: OS Login is off for the project.` : `${r.address} sets enable-oslogin = ${toStr(v)}: OS Login is off for the project.`,
      fix: tfFix('Set metadata enable-oslogin = "TRUE"', setMapKey(r, 'metadata', 'enable-oslogin', '"TRUE"')),
    });
  },
  examples: {
    bad: [
      'resource "google_compute_project_metadata" "p" {\n  metadata = {\n    enable-oslogin = false\n  }\n}\n',
      'resource "google_compute_project_metadata" "p" {\n  metadata = {\n    foo = "bar"\n  }\n}\n',
      'resource "google_compute_project_metadata_item" "oslogin" {\n  key   = "enable-oslogin"\n  value = "FALSE"\n}\n',
    ],
    good: [
      'resource "google_compute_project_metadata" "p" {\n  metadata = {\n    enable-oslogin = "TRUE"\n  }\n}\n',
      'resource "google_compute_project_metadata" "p" {\n  metadata = {\n    foo = "bar"\n  }\n}\nresource "google_compute_project_metadata_item" "oslogin" {\n  key   = "enable-oslogin"\n  value = "TRUE"\n}\n',
      'variable "md" {}\nresource "google_compute_project_metadata" "p" {\n  metadata = var.md\n}\n',
    ],
  },
});

const noPublicIp = terraformRule({
  id: 'google-compute-instance-no-public-ip',
  title: 'Instance has a public IP address',
  severity: 'high',
  impact: 'An external IP makes the instance directly reachable from the internet, so any open firewall rule or vulnerable service is exposed.',
  remediation: 'Remove access_config from the network interfaces; reach the instance through IAP, a bastion or a load balancer and use Cloud NAT for egress.',
  references: ['https://cloud.google.com/compute/docs/ip-addresses/reserve-static-external-ip-address', INSTANCE_REF],
  compliance: ['CIS GCP 4.9'],
  equivalents: { checkov: ['CKV_GCP_40'], trivy: ['AVD-GCP-0031'] },
  resources: INSTANCES,
  check(r, ctx) {
    for (const ni of r.blocks('network_interface')) {
      const ac = ni.blocks('access_config').concat(ni.blocks('ipv6_access_config'));
      if (ac.length === 0) continue;
      if (ac.every((b) => b.dynamic)) continue;
      ctx.report({ at: ac.find((b) => !b.dynamic)!, message: `${r.address} has an access_config on a network interface: it gets an external IP.` });
      return;
    }
  },
  examples: {
    bad: [vm('').replace('    subnetwork = "app"\n', '    subnetwork = "app"\n    access_config {}\n')],
    good: [vm('')],
  },
});

const diskRef = 'https://cloud.google.com/compute/docs/disks/customer-supplied-encryption';

function hasCustomerKey(b: TfBlock): boolean {
  for (const k of ['kms_key_self_link', 'disk_encryption_key_raw', 'disk_encryption_key_rsa', 'disk_encryption_key_sha256']) {
    const v = b.get(k);
    if (v !== undefined && v !== null && v !== '') return true;
  }
  return false;
}

const instanceDiskKeys = terraformRule({
  id: 'google-compute-instance-disk-customer-key',
  title: 'Instance disk is not encrypted with a customer key',
  severity: 'low',
  impact: 'Disks encrypted only with Google-managed keys cannot be made unreadable by revoking your key, and key use does not show in your audit logs.',
  remediation: 'Set kms_key_self_link (CMEK) on the boot_disk block (and encrypt attached google_compute_disk resources with a key).',
  references: [diskRef, 'https://cloud.google.com/compute/docs/disks/customer-managed-encryption', INSTANCE_REF],
  compliance: ['CIS GCP 4.7'],
  equivalents: { checkov: ['CKV_GCP_38'], trivy: ['AVD-GCP-0033'] },
  resources: ['google_compute_instance'],
  check(r, ctx) {
    // Attached disks and boot disks built from an existing disk (source) carry their own key on the disk resource.
    for (const d of r.blocks('boot_disk')) {
      if (d.dynamic || hasCustomerKey(d) || (d.has('source') && !d.hasBlock('initialize_params'))) continue;
      ctx.report({ at: d, message: `${r.address} has a boot_disk without kms_key_self_link: it uses Google-managed keys only.` });
    }
  },
  examples: {
    bad: [vm('')],
    good: [vm('').replace('  boot_disk {\n', '  boot_disk {\n    kms_key_self_link = google_kms_crypto_key.disk.id\n'), `variable "k" {}\n${vm('').replace('  boot_disk {\n', '  boot_disk {\n    kms_key_self_link = var.k\n')}`],
  },
});

const diskCmek = terraformRule({
  id: 'google-compute-disk-cmek',
  title: 'Compute disk is not encrypted with a customer-managed key',
  severity: 'low',
  impact: 'Disks encrypted only with Google-managed keys cannot be made unreadable by revoking your key, and key use does not show in your audit logs.',
  remediation: 'Add disk_encryption_key { kms_key_self_link = <Cloud KMS key> } to the disk.',
  references: ['https://cloud.google.com/compute/docs/disks/customer-managed-encryption', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_disk#disk_encryption_key'],
  compliance: ['NIST 800-53 SC-12'],
  equivalents: { trivy: ['AVD-GCP-0034'] },
  resources: ['google_compute_disk', 'google_compute_region_disk'],
  check(r, ctx) {
    const keys = r.blocks('disk_encryption_key');
    if (keys.some((b) => b.dynamic)) return;
    for (const k of keys) {
      for (const a of ['kms_key_self_link', 'kms_key_name', 'raw_key', 'rsa_encrypted_key']) {
        const v = k.get(a);
        if (v !== undefined && v !== null && v !== '') return;
      }
    }
    ctx.report({ at: keys[0] ?? r, message: `${r.address} has no disk_encryption_key with a kms_key_self_link: it uses Google-managed keys only.` });
  },
  examples: {
    bad: ['resource "google_compute_disk" "data" {\n  name = "data"\n  type = "pd-ssd"\n  zone = "europe-west1-b"\n  size = 100\n}\n'],
    good: [
      'resource "google_compute_disk" "data" {\n  name = "data"\n  zone = "europe-west1-b"\n  disk_encryption_key {\n    kms_key_self_link = google_kms_crypto_key.disk.id\n  }\n}\n',
      'variable "k" {}\nresource "google_compute_disk" "data" {\n  name = "data"\n  zone = "europe-west1-b"\n  disk_encryption_key {\n    kms_key_self_link = var.k\n  }\n}\n',
    ],
  },
});

const noPlaintextKey = terraformRule({
  id: 'google-compute-no-plaintext-disk-key',
  title: 'Disk encryption key is written in plaintext',
  severity: 'critical',
  impact: 'The raw customer-supplied key is stored in the code and the state: anyone who can read them can decrypt the disk and its snapshots.',
  remediation: 'Use a Cloud KMS key (kms_key_self_link) instead of a raw key, or pass the key from a secret store through a sensitive variable.',
  references: [diskRef, 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_disk#raw_key'],
  compliance: ['NIST 800-53 SC-12', 'NIST 800-53 IA-5'],
  equivalents: { trivy: ['AVD-GCP-0037'] },
  resources: ['google_compute_disk', 'google_compute_region_disk', 'google_compute_instance', 'google_compute_snapshot', 'google_compute_image'],
  check(r, ctx) {
    const places: [TfBlock, string][] = [];
    for (const b of r.blocks('disk_encryption_key')) places.push([b, 'raw_key']);
    for (const b of [...r.blocks('boot_disk'), ...r.blocks('attached_disk')]) places.push([b, 'disk_encryption_key_raw']);
    for (const b of r.blocks('snapshot_encryption_key')) places.push([b, 'raw_key']);
    for (const b of r.blocks('image_encryption_key')) places.push([b, 'raw_key']);
    for (const [b, name] of places) {
      const a = b.attr(name);
      if (!a) continue;
      const v = a.value;
      // Only a literal in the code: a variable may come from a secret store.
      if (typeof v === 'string' && v !== '' && (a.hcl.expr.t === 'lit' || a.hcl.expr.t === 'template')) {
        ctx.report({ at: a, message: `${r.address} has the encryption key ${b.type}.${name} in plaintext.` });
      }
    }
  },
  examples: {
    bad: [
      'resource "google_compute_disk" "data" {\n  name = "data"\n  zone = "europe-west1-b"\n  disk_encryption_key {\n    raw_key = "c2VjcmV0IGtleSBmb3IgdGhlIGRpc2sgMTIzNDU2Nzg="\n  }\n}\n',
      vm('').replace('  boot_disk {\n', '  boot_disk {\n    disk_encryption_key_raw = "c2VjcmV0IGtleSBmb3IgdGhlIGRpc2sgMTIzNDU2Nzg="\n'),
    ],
    good: [
      'resource "google_compute_disk" "data" {\n  name = "data"\n  zone = "europe-west1-b"\n  disk_encryption_key {\n    kms_key_self_link = google_kms_crypto_key.disk.id\n  }\n}\n',
      'variable "key" {\n  sensitive = true\n}\nresource "google_compute_disk" "data" {\n  name = "data"\n  zone = "europe-west1-b"\n  disk_encryption_key {\n    raw_key = var.key\n  }\n}\n',
    ],
  },
});

function shieldedRule(id: string, attr: string, what: string, defaultOn: boolean, trivy: string, impact: string): Rule {
  return terraformRule({
    id,
    title: `Instance has Shielded VM ${what} disabled`,
    severity: 'medium',
    impact,
    remediation: `Set shielded_instance_config { ${attr} = true } on the instance (the image must support Shielded VM).`,
    references: ['https://cloud.google.com/compute/shielded-vm/docs/shielded-vm', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_instance#shielded_instance_config'],
    compliance: ['CIS GCP 4.8'],
    equivalents: { trivy: [trivy] },
    fixable: true,
    resources: INSTANCES,
    check(r, ctx) {
      const blocks = r.blocks('shielded_instance_config');
      if (blocks.some((b) => b.dynamic)) return;
      const v = r.getPath('shielded_instance_config', attr);
      if (v === undefined ? defaultOn : gBool(v) !== false) return;
      ctx.report({
        at: anchor(r, ['shielded_instance_config'], attr),
        message: v === undefined ? `${r.address} does not enable ${what} (shielded_instance_config.${attr} defaults to false).` : `${r.address} sets shielded_instance_config.${attr} = false.`,
        fix: setFix(r, ['shielded_instance_config'], attr, 'true'),
      });
    },
    examples: {
      bad: [vm(`  shielded_instance_config {\n    ${attr} = false\n  }\n`), ...(defaultOn ? [] : [vm('')])],
      good: [vm(`  shielded_instance_config {\n    ${attr} = true\n  }\n`), ...(defaultOn ? [vm('')] : []), `variable "x" {}\n${vm(`  shielded_instance_config {\n    ${attr} = var.x\n  }\n`)}`],
    },
  });
}

const shieldedVtpm = shieldedRule('google-compute-instance-shielded-vtpm', 'enable_vtpm', 'vTPM', true, 'AVD-GCP-0041',
  'Without a virtual TPM, measured boot and sealing of secrets to the VM state are unavailable, so boot-level tampering goes undetected.');
const shieldedIntegrity = shieldedRule('google-compute-instance-shielded-integrity', 'enable_integrity_monitoring', 'integrity monitoring', true, 'AVD-GCP-0045',
  'Without integrity monitoring, changes to the boot sequence by rootkits or bootkits are not reported.');
const shieldedSecureBoot = shieldedRule('google-compute-instance-shielded-secure-boot', 'enable_secure_boot', 'secure boot', false, 'AVD-GCP-0067',
  'Without secure boot, unsigned or tampered boot components and kernel modules can load, letting malware persist below the operating system.');

const noIpForwarding = terraformRule({
  id: 'google-compute-instance-no-ip-forwarding',
  title: 'Instance has IP forwarding enabled',
  severity: 'high',
  impact: 'An instance that forwards packets can route traffic for other addresses, letting a compromised VM bypass firewall rules or intercept traffic.',
  remediation: 'Set can_ip_forward = false unless the instance is a deliberate router or NAT appliance.',
  references: ['https://cloud.google.com/vpc/docs/using-routes#canipforward', INSTANCE_REF],
  compliance: ['CIS GCP 4.6'],
  equivalents: { checkov: ['CKV_GCP_36'], trivy: ['AVD-GCP-0043'], kics: ['f34c0c25-47b4-41eb-9c79-249b4dd47b89'] },
  fixable: true,
  resources: INSTANCES,
  check(r, ctx) {
    if (gBool(r.get('can_ip_forward')) !== true) return;
    ctx.report({ at: r.attr('can_ip_forward')!, message: `${r.address} sets can_ip_forward = true.`, fix: setFix(r, [], 'can_ip_forward', 'false') });
  },
  examples: {
    bad: [vm('  can_ip_forward = true\n')],
    good: [vm('  can_ip_forward = false\n'), vm(''), `variable "f" {}\n${vm('  can_ip_forward = var.f\n')}`],
  },
});

const DEFAULT_SA = /-compute@developer\.gserviceaccount\.com$/;

const noDefaultServiceAccount = terraformRule({
  id: 'google-compute-instance-no-default-service-account',
  title: 'Instance uses the Compute Engine default service account',
  severity: 'high',
  impact: 'The default service account has the Editor role on the project by default: code running on the instance can change almost any resource in the project.',
  remediation: 'Create a dedicated service account with only the roles the workload needs and set service_account.email to it.',
  references: ['https://cloud.google.com/compute/docs/access/service-accounts#default_service_account', INSTANCE_REF],
  compliance: ['CIS GCP 4.1'],
  equivalents: { checkov: ['CKV_GCP_30'], trivy: ['AVD-GCP-0044'], kics: ['3cb4af0b-056d-4fb1-8b95-fdc4593625ff'] },
  resources: INSTANCES,
  check(r, ctx) {
    for (const sa of r.blocks('service_account')) {
      if (sa.dynamic) continue;
      const a = sa.attr('email');
      const v = a?.value;
      if (v instanceof Ref) {
        if (v.address.startsWith('data.google_compute_default_service_account.')) {
          ctx.report({ at: a!, message: `${r.address} runs as the default compute service account (${v.address}).` });
        }
        continue;
      }
      const s = a ? toStr(v) : '';
      if (s === undefined) continue;
      if (s === '' || DEFAULT_SA.test(s.trim())) {
        ctx.report({ at: a ?? sa, message: s === '' ? `${r.address} has a service_account block without email: it runs as the default compute service account.` : `${r.address} runs as the default compute service account ${s}.` });
      }
    }
  },
  examples: {
    bad: [
      vm('  service_account {\n    email  = "123456789012-compute@developer.gserviceaccount.com"\n    scopes = ["cloud-platform"]\n  }\n'),
      vm('  service_account {\n    scopes = ["cloud-platform"]\n  }\n'),
    ],
    good: [
      vm('  service_account {\n    email  = google_service_account.app.email\n    scopes = ["cloud-platform"]\n  }\n'),
      vm(''),
      `variable "sa" {}\n${vm('  service_account {\n    email  = var.sa\n    scopes = ["cloud-platform"]\n  }\n')}`,
    ],
  },
});

const sslPolicy = terraformRule({
  id: 'google-compute-ssl-policy-min-tls',
  title: 'SSL policy allows TLS versions below 1.2',
  severity: 'high',
  impact: 'Load balancers using the policy accept TLS 1.0 and 1.1, whose weaknesses let attackers downgrade or decrypt traffic.',
  remediation: 'Set min_tls_version = "TLS_1_2" (or TLS_1_3) on the SSL policy.',
  references: ['https://cloud.google.com/load-balancing/docs/ssl-policies-concepts', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_ssl_policy'],
  compliance: ['CIS GCP 3.9', 'NIST 800-53 SC-8', 'PCI DSS 4.1'],
  equivalents: { checkov: ['CKV_GCP_4'], trivy: ['AVD-GCP-0039'], kics: ['14a457f0-473d-4d1d-9e37-6d99b355b336'] },
  fixable: true,
  resources: ['google_compute_ssl_policy', 'google_compute_region_ssl_policy'],
  check(r, ctx) {
    const v = r.get('min_tls_version');
    const s = v === undefined || v === null ? 'TLS_1_0' : toStr(v)?.toUpperCase();
    if (s === undefined || (s !== 'TLS_1_0' && s !== 'TLS_1_1')) return;
    ctx.report({
      at: anchor(r, [], 'min_tls_version'),
      message: v === undefined || v === null ? `${r.address} does not set min_tls_version (default TLS_1_0).` : `${r.address} sets min_tls_version = "${s}".`,
      fix: setFix(r, [], 'min_tls_version', '"TLS_1_2"'),
    });
  },
  examples: {
    bad: [
      'resource "google_compute_ssl_policy" "lb" {\n  name            = "lb"\n  profile         = "MODERN"\n  min_tls_version = "TLS_1_1"\n}\n',
      'resource "google_compute_ssl_policy" "lb" {\n  name    = "lb"\n  profile = "COMPATIBLE"\n}\n',
    ],
    good: [
      'resource "google_compute_ssl_policy" "lb" {\n  name            = "lb"\n  profile         = "MODERN"\n  min_tls_version = "TLS_1_2"\n}\n',
      'variable "v" {}\nresource "google_compute_ssl_policy" "lb" {\n  name            = "lb"\n  min_tls_version = var.v\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- DNS

const zone = (body: string) => `resource "google_dns_managed_zone" "public" {\n  name     = "example"\n  dns_name = "example.com."\n${body}}\n`;

const dnssec = terraformRule({
  id: 'google-dns-enable-dnssec',
  title: 'Public Cloud DNS zone does not use DNSSEC',
  severity: 'medium',
  impact: 'Without DNSSEC, resolvers cannot verify the zone answers, so DNS spoofing and cache poisoning can send users to attacker-controlled hosts.',
  remediation: 'Add dnssec_config { state = "on" } to public managed zones.',
  references: ['https://cloud.google.com/dns/docs/dnssec-config', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/dns_managed_zone#dnssec_config'],
  compliance: ['CIS GCP 3.3'],
  equivalents: { checkov: ['CKV_GCP_16'], trivy: ['AVD-GCP-0013'], kics: ['5ef61c88-bbb4-4725-b1df-55d23c9676bb'] },
  fixable: true,
  resources: ['google_dns_managed_zone'],
  check(r, ctx) {
    const vis = r.get('visibility');
    if (vis !== undefined && vis !== null && toStr(vis)?.toLowerCase() !== 'public') return;
    if (r.blocks('dnssec_config').some((b) => b.dynamic)) return;
    const v = r.getPath('dnssec_config', 'state');
    const s = v === undefined || v === null ? 'off' : toStr(v)?.toLowerCase();
    if (s === undefined || s === 'on' || s === 'transfer') return;
    ctx.report({
      at: anchor(r, ['dnssec_config'], 'state'),
      message: v === undefined ? `${r.address} is a public zone without DNSSEC (no dnssec_config state).` : `${r.address} sets dnssec_config.state = "${s}".`,
      fix: setFix(r, ['dnssec_config'], 'state', '"on"'),
    });
  },
  examples: {
    bad: [zone('  dnssec_config {\n    state = "off"\n  }\n'), zone('')],
    good: [zone('  dnssec_config {\n    state = "on"\n  }\n'), zone('  visibility = "private"\n'), `variable "s" {}\n${zone('  dnssec_config {\n    state = var.s\n  }\n')}`],
  },
});

const noRsaSha1 = terraformRule({
  id: 'google-dns-no-rsasha1',
  title: 'DNSSEC uses the RSASHA1 algorithm',
  severity: 'medium',
  impact: 'SHA-1 is broken for collision resistance; signatures made with RSASHA1 give weaker assurance that zone data is authentic.',
  remediation: 'Use rsasha256, rsasha512, ecdsap256sha256 or ecdsap384sha384 in default_key_specs.',
  references: ['https://cloud.google.com/dns/docs/dnssec-advanced#advanced-signing-options', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/dns_managed_zone#default_key_specs'],
  compliance: ['CIS GCP 3.4', 'CIS GCP 3.5'],
  equivalents: { checkov: ['CKV_GCP_17'], trivy: ['AVD-GCP-0012'], kics: ['ccc3100c-0fdd-4a5e-9908-c10107291860'] },
  fixable: true,
  resources: ['google_dns_managed_zone'],
  check(r, ctx) {
    for (const d of r.blocks('dnssec_config')) {
      for (const k of d.blocks('default_key_specs')) {
        const a = k.attr('algorithm');
        if (!a || toStr(a.value)?.toLowerCase() !== 'rsasha1') continue;
        ctx.report({
          at: a,
          message: `${r.address} signs ${toStr(k.get('key_type')) ?? 'keys'} with rsasha1.`,
          fix: tfFix('Use rsasha256', replaceAttributeValue(a, '"rsasha256"')),
        });
      }
    }
  },
  examples: {
    bad: [zone('  dnssec_config {\n    state = "on"\n    default_key_specs {\n      algorithm  = "rsasha1"\n      key_type   = "zoneSigning"\n      key_length = 1024\n    }\n  }\n')],
    good: [
      zone('  dnssec_config {\n    state = "on"\n    default_key_specs {\n      algorithm  = "rsasha256"\n      key_type   = "zoneSigning"\n      key_length = 1024\n    }\n  }\n'),
      `variable "alg" {}\n${zone('  dnssec_config {\n    state = "on"\n    default_key_specs {\n      algorithm = var.alg\n      key_type  = "keySigning"\n    }\n  }\n')}`,
    ],
  },
});

export const rules: Rule[] = [
  noPublicIngress, noPublicEgress, noPublicSsh, noPublicRdp, noAllPorts, noDefaultRules, noLargePortRange,
  flowLogs, privateGoogleAccess,
  blockProjectSshKeys, noSerialPort, noOsLoginOverride, projectOsLogin, noPublicIp, instanceDiskKeys, diskCmek, noPlaintextKey,
  shieldedVtpm, shieldedIntegrity, shieldedSecureBoot, noIpForwarding, noDefaultServiceAccount, sslPolicy,
  dnssec, noRsaSha1,
];
