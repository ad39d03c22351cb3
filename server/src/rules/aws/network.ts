import { setAttribute, tfFix } from '../../engine/fix';
import { terraformRule, type Rule } from '../../engine/rule';
import type { Related } from '../../engine/types';
import type { TfAttribute, TfBlock, TfModule, TfResource } from '../../parse/terraform';
import { Ref, isObject, isRef, isUnknown, toBool, toList, toNum, toStr, type Value } from '../../parse/values';

/*
 * AWS network rules: security groups and their rules, network ACLs, VPCs and subnets, load
 * balancers, CloudFront and API Gateway.
 */

// ---------------------------------------------------------------- shared helpers

const WORLD = new Set(['0.0.0.0/0', '0.0.0.0/00', '::/0', '0:0:0:0:0:0:0:0/0', '0000:0000:0000:0000:0000:0000:0000:0000/0', '*']);

/** True only for a known CIDR that matches every address (IPv4 or IPv6). */
function isWorld(v: Value | undefined): boolean {
  const s = toStr(v);
  return s !== undefined && WORLD.has(s.trim().toLowerCase());
}

type Proto = 'all' | 'tcp' | 'udp' | 'other';

/** The protocol of a rule: "-1"/"all" mean every protocol; numbers 6 and 17 are TCP and UDP. */
function protoOf(v: Value | undefined): Proto | undefined {
  const s = toStr(v)?.trim().toLowerCase();
  if (s === undefined || s === '') return undefined;
  if (s === '-1' || s === 'all') return 'all';
  if (s === 'tcp' || s === '6') return 'tcp';
  if (s === 'udp' || s === '17') return 'udp';
  return 'other';
}

/** The ports of `ports` a rule opens; all protocols open every port, unknown bounds open none. */
function openPorts(protocol: Value | undefined, from: Value | undefined, to: Value | undefined, ports: readonly number[], kinds: readonly Proto[]): number[] {
  const p = protoOf(protocol);
  if (p === undefined) return [];
  if (p === 'all') return [...ports];
  if (!kinds.includes(p)) return [];
  const a = toNum(from), b = toNum(to);
  if (a === undefined || b === undefined) return [];
  if (a === -1 && b === -1) return [...ports];
  return ports.filter((x) => a <= x && x <= b);
}

function portText(from: Value | undefined, to: Value | undefined, protocol: Value | undefined): string {
  const p = protoOf(protocol);
  if (p === 'all') return 'all ports (protocol "-1")';
  if (p === 'other' || p === undefined) return `protocol ${toStr(protocol) ?? '(unknown)'}`;
  const a = toStr(from), b = toStr(to);
  return a === b ? `port ${a}` : `ports ${a}-${b}`;
}

/** One security group rule, wherever it is written. */
interface SgEntry {
  direction: 'ingress' | 'egress';
  protocol: Value | undefined;
  from: Value | undefined;
  to: Value | undefined;
  /** [value, where it is written] for every CIDR attribute. */
  cidrs: { value: Value | undefined; at: TfAttribute | TfBlock }[];
  description: Value | undefined;
  /** The block that holds the rule (an inline block, or the resource) or an attribute for list-form rules. */
  at: TfAttribute | TfBlock;
  label: string;
}

function cidrValues(block: TfBlock, names: string[]): { value: Value | undefined; at: TfAttribute | TfBlock }[] {
  const out: { value: Value | undefined; at: TfAttribute | TfBlock }[] = [];
  for (const n of names) {
    const a = block.attr(n);
    if (!a) continue;
    const list = toList(a.value);
    if (!list) { out.push({ value: a.value, at: a }); continue; }
    for (const v of list) out.push({ value: v, at: a });
  }
  return out;
}

/** Every rule of a security group resource (inline blocks, list-form attributes) or rule resource. */
function sgEntries(r: TfResource): SgEntry[] {
  const out: SgEntry[] = [];
  switch (r.resourceType) {
    case 'aws_security_group':
    case 'aws_default_security_group': {
      for (const direction of ['ingress', 'egress'] as const) {
        for (const b of r.blocks(direction)) {
          out.push({
            direction, protocol: b.get('protocol'), from: b.get('from_port'), to: b.get('to_port'),
            cidrs: cidrValues(b, ['cidr_blocks', 'ipv6_cidr_blocks']), description: b.get('description'),
            at: b, label: `${r.address} (${direction} rule)`,
          });
        }
        // `ingress = [{ ... }]`: attributes as blocks.
        const attr = r.attr(direction);
        const list = attr ? toList(attr.value) : undefined;
        if (attr && list) {
          for (const o of list) {
            if (!isObject(o)) continue;
            const cidrs = [...(toList(o.cidr_blocks) ?? [o.cidr_blocks ?? null]), ...(toList(o.ipv6_cidr_blocks) ?? [o.ipv6_cidr_blocks ?? null])];
            out.push({
              direction, protocol: o.protocol, from: o.from_port, to: o.to_port,
              cidrs: cidrs.map((value) => ({ value, at: attr })), description: 'description' in o ? o.description : undefined,
              at: attr, label: `${r.address} (${direction} rule)`,
            });
          }
        }
      }
      break;
    }
    case 'aws_security_group_rule': {
      const t = toStr(r.get('type'));
      if (t !== 'ingress' && t !== 'egress') break;
      out.push({
        direction: t, protocol: r.get('protocol'), from: r.get('from_port'), to: r.get('to_port'),
        cidrs: cidrValues(r, ['cidr_blocks', 'ipv6_cidr_blocks']), description: r.get('description'), at: r, label: r.address,
      });
      break;
    }
    case 'aws_vpc_security_group_ingress_rule':
    case 'aws_vpc_security_group_egress_rule': {
      out.push({
        direction: r.resourceType === 'aws_vpc_security_group_ingress_rule' ? 'ingress' : 'egress',
        protocol: r.get('ip_protocol'), from: r.get('from_port'), to: r.get('to_port'),
        cidrs: cidrValues(r, ['cidr_ipv4', 'cidr_ipv6']), description: r.get('description'), at: r, label: r.address,
      });
      break;
    }
  }
  return out;
}

const SG_TYPES = ['aws_security_group', 'aws_default_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'];

/** The first CIDR of an entry that is open to the world. */
function worldCidr(e: SgEntry): { value: string; at: TfAttribute | TfBlock } | undefined {
  for (const c of e.cidrs) if (isWorld(c.value)) return { value: toStr(c.value)!, at: c.at };
  return undefined;
}

const ADMIN_PORTS: Record<number, string> = {
  20: 'FTP data', 21: 'FTP', 23: 'Telnet', 135: 'MS RPC', 139: 'NetBIOS/SMB', 445: 'SMB',
  1433: 'SQL Server', 1521: 'Oracle DB', 2375: 'Docker API', 2376: 'Docker API (TLS)',
  2379: 'etcd', 2380: 'etcd peer', 3306: 'MySQL', 5432: 'PostgreSQL', 5900: 'VNC', 5985: 'WinRM', 5986: 'WinRM (HTTPS)',
  6379: 'Redis', 9200: 'Elasticsearch', 9300: 'Elasticsearch transport', 10250: 'kubelet API', 11211: 'Memcached',
  27017: 'MongoDB', 27018: 'MongoDB',
};
const ADMIN_TCP_PORTS = Object.keys(ADMIN_PORTS).map(Number);
/** UDP services that are abused for amplification or leak data when open to the internet. */
const ADMIN_UDP_PORTS: Record<number, string> = { 137: 'NetBIOS name', 138: 'NetBIOS datagram', 161: 'SNMP', 1434: 'SQL Server browser', 11211: 'Memcached' };

/** Admin ports (with their service names) a bounded TCP/UDP rule opens. */
function openAdminPorts(e: { protocol: Value | undefined; from: Value | undefined; to: Value | undefined }): string[] {
  const tcp = openPorts(e.protocol, e.from, e.to, ADMIN_TCP_PORTS, ['tcp']).map((p) => `${ADMIN_PORTS[p]} (${p})`);
  const udp = openPorts(e.protocol, e.from, e.to, Object.keys(ADMIN_UDP_PORTS).map(Number), ['udp']).map((p) => `${ADMIN_UDP_PORTS[p]} (${p}/udp)`);
  return [...tcp, ...udp];
}

// ---------------------------------------------------------------- security groups

/** A separate rule resource opens its security group: the group is shown as related information. */
function relatedGroup(r: TfResource, module: TfModule): { related?: Related[] } {
  if (r.resourceType === 'aws_security_group' || r.resourceType === 'aws_default_security_group') return {};
  const group = module.resolve(r.get('security_group_id'));
  return group ? { related: [{ file: group.file.path, span: group.headerSpan, message: `the security group this rule opens: ${group.address}` }] } : {};
}

const sgNoPublicSshRdp = terraformRule({
  id: 'aws-ec2-no-public-ssh-rdp',
  title: 'Security group allows SSH or RDP from the whole internet',
  severity: 'high',
  impact: 'Anyone on the internet can reach the SSH (22) or RDP (3389) service of the attached instances and try stolen or guessed credentials or exploit the service directly.',
  remediation: 'Restrict the source to the addresses that need administrative access (a VPN or bastion range), or use SSM Session Manager instead of opening SSH/RDP.',
  references: [
    'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13',
  ],
  compliance: ['CIS AWS 5.2', 'CIS AWS 5.3', 'NIST 800-53 SC-7', 'PCI DSS 1.3.1'],
  equivalents: {
    trivy: ['AVD-AWS-0107'],
    checkov: ['CKV_AWS_24', 'CKV_AWS_25'],
    kics: ['65905cec-d691-4320-b320-2000436cb696', '151187cb-0efc-481c-babd-ad24e3c9bc22'],
  },
  resources: SG_TYPES,
  check(r, ctx) {
    for (const e of sgEntries(r)) {
      if (e.direction !== 'ingress') continue;
      const ports = openPorts(e.protocol, e.from, e.to, [22, 3389], ['tcp', 'udp']);
      if (ports.length === 0) continue;
      const w = worldCidr(e);
      if (!w) continue;
      ctx.report({
        at: w.at,
        message: `${e.label} allows ingress from ${w.value} to ${portText(e.from, e.to, e.protocol)}, which exposes ${ports.map((p) => (p === 22 ? 'SSH (22)' : 'RDP (3389)')).join(' and ')} to the internet.`,
        ...relatedGroup(r, ctx.module),
      });
    }
  },
  examples: {
    bad: [
      'resource "aws_security_group" "bastion" {\n  name        = "bastion"\n  description = "Bastion access"\n  ingress {\n    description = "SSH"\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
      'resource "aws_security_group_rule" "rdp" {\n  type              = "ingress"\n  security_group_id = "sg-0123456789abcdef0"\n  from_port         = 3000\n  to_port           = 4000\n  protocol          = "tcp"\n  ipv6_cidr_blocks  = ["::/0"]\n}\n',
      'resource "aws_vpc_security_group_ingress_rule" "all" {\n  security_group_id = "sg-0123456789abcdef0"\n  ip_protocol       = "-1"\n  cidr_ipv4         = "0.0.0.0/0"\n}\n',
    ],
    good: [
      'resource "aws_security_group" "bastion" {\n  name        = "bastion"\n  description = "Bastion access"\n  ingress {\n    description = "SSH from the office"\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["203.0.113.0/24"]\n  }\n  ingress {\n    description = "HTTPS"\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
      'variable "admin_cidr" {}\nresource "aws_security_group_rule" "ssh" {\n  type              = "ingress"\n  security_group_id = "sg-0123456789abcdef0"\n  from_port         = 22\n  to_port           = 22\n  protocol          = "tcp"\n  cidr_blocks       = [var.admin_cidr]\n}\n',
      'variable "port" {}\nresource "aws_vpc_security_group_ingress_rule" "app" {\n  security_group_id = "sg-0123456789abcdef0"\n  ip_protocol       = "tcp"\n  from_port         = var.port\n  to_port           = var.port\n  cidr_ipv4         = "0.0.0.0/0"\n}\n',
    ],
  },
});

const sgNoPublicAdminPorts = terraformRule({
  id: 'aws-ec2-no-public-admin-ports',
  title: 'Security group exposes a remote administration or database port to the internet',
  severity: 'high',
  impact: 'Services such as Telnet, SMB, WinRM, VNC, Docker, Redis or database listeners reachable from anywhere are brute-forced and exploited within hours of exposure.',
  remediation: 'Restrict the source CIDR of the rule to the networks that need the service, or put the service behind a VPN, bastion or load balancer.',
  references: [
    'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19',
  ],
  compliance: ['NIST 800-53 SC-7', 'PCI DSS 1.3.1'],
  equivalents: {},
  resources: SG_TYPES,
  check(r, ctx) {
    for (const e of sgEntries(r)) {
      if (e.direction !== 'ingress') continue;
      // Protocol "-1" and ranges that include SSH/RDP are reported by aws-ec2-no-public-ssh-rdp.
      if (protoOf(e.protocol) === 'all') continue;
      if (openPorts(e.protocol, e.from, e.to, [22, 3389], ['tcp', 'udp']).length > 0) continue;
      const ports = openAdminPorts(e);
      if (ports.length === 0) continue;
      const w = worldCidr(e);
      if (!w) continue;
      const names = ports.slice(0, 4).join(', ') + (ports.length > 4 ? ', ...' : '');
      ctx.report({ at: w.at, message: `${e.label} allows ingress from ${w.value} to ${portText(e.from, e.to, e.protocol)}: ${names} reachable from the internet.` });
    }
  },
  examples: {
    bad: [
      'resource "aws_security_group" "db" {\n  name        = "db"\n  description = "Database"\n  ingress {\n    description = "PostgreSQL"\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
      'resource "aws_vpc_security_group_ingress_rule" "winrm" {\n  security_group_id = "sg-0123456789abcdef0"\n  ip_protocol       = "tcp"\n  from_port         = 5985\n  to_port           = 5986\n  cidr_ipv6         = "::/0"\n}\n',
      'resource "aws_security_group_rule" "snmp" {\n  type              = "ingress"\n  security_group_id = "sg-0123456789abcdef0"\n  from_port         = 161\n  to_port           = 161\n  protocol          = "udp"\n  cidr_blocks       = ["0.0.0.0/0"]\n}\n',
    ],
    good: [
      'resource "aws_security_group" "db" {\n  name        = "db"\n  description = "Database"\n  ingress {\n    description = "PostgreSQL from the VPC"\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/16"]\n  }\n}\n',
      'resource "aws_security_group_rule" "web" {\n  type              = "ingress"\n  security_group_id = "sg-0123456789abcdef0"\n  from_port         = 443\n  to_port           = 443\n  protocol          = "tcp"\n  cidr_blocks       = ["0.0.0.0/0"]\n}\n',
      'variable "cidr" {}\nresource "aws_security_group_rule" "db" {\n  type              = "ingress"\n  security_group_id = "sg-0123456789abcdef0"\n  from_port         = 3306\n  to_port           = 3306\n  protocol          = "tcp"\n  cidr_blocks       = [var.cidr]\n}\n',
    ],
  },
});

const sgNoPublicEgress = terraformRule({
  id: 'aws-ec2-no-public-egress',
  title: 'Security group allows egress to the whole internet',
  severity: 'medium',
  impact: 'A compromised instance can reach any host on the internet: download tooling, talk to command-and-control servers and exfiltrate data without restriction.',
  remediation: 'Restrict egress destinations to the networks and endpoints the workload needs (VPC endpoints, proxies, specific CIDRs).',
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AWS-0104'] },
  resources: SG_TYPES,
  check(r, ctx) {
    for (const e of sgEntries(r)) {
      if (e.direction !== 'egress') continue;
      const w = worldCidr(e);
      if (!w) continue;
      ctx.report({ at: w.at, message: `${e.label} allows egress to ${w.value}.` });
    }
  },
  examples: {
    bad: [
      'resource "aws_security_group" "app" {\n  name        = "app"\n  description = "App servers"\n  egress {\n    description = "Anything"\n    from_port   = 0\n    to_port     = 0\n    protocol    = "-1"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
      'resource "aws_vpc_security_group_egress_rule" "v6" {\n  security_group_id = "sg-0123456789abcdef0"\n  ip_protocol       = "-1"\n  cidr_ipv6         = "::/0"\n}\n',
    ],
    good: [
      'resource "aws_security_group" "app" {\n  name        = "app"\n  description = "App servers"\n  egress {\n    description = "To the VPC"\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/16"]\n  }\n}\n',
      'variable "cidr" {}\nresource "aws_security_group_rule" "out" {\n  type              = "egress"\n  security_group_id = "sg-0123456789abcdef0"\n  from_port         = 443\n  to_port           = 443\n  protocol          = "tcp"\n  cidr_blocks       = [var.cidr]\n}\n',
    ],
  },
});

const NON_DESCRIPTIONS = new Set(['', 'managed by terraform']);

const sgDescription = terraformRule({
  id: 'aws-ec2-security-group-description',
  title: 'Security group has no description',
  severity: 'low',
  impact: 'Without a description reviewers cannot tell what a group is for, so overly broad or stale groups survive audits.',
  remediation: 'Give the security group a description that says what it protects. Note that changing it replaces the group.',
  references: ['https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group#description'],
  compliance: ['NIST 800-53 CM-8'],
  equivalents: { trivy: ['AVD-AWS-0099'], checkov: ['CKV_AWS_23'], kics: ['cb3f5ed6-0d18-40de-a93d-b3538db31e8c'] },
  resources: ['aws_security_group'],
  check(r, ctx) {
    const a = r.attr('description');
    if (a) {
      const s = toStr(a.value);
      if (s === undefined || !NON_DESCRIPTIONS.has(s.trim().toLowerCase())) return;
      ctx.report({ at: a, message: `${r.address} has the description "${s}", which says nothing about its purpose.` });
      return;
    }
    ctx.report({ at: r, message: `${r.address} has no description (Terraform sets "Managed by Terraform").` });
  },
  examples: {
    bad: [
      'resource "aws_security_group" "web" {\n  name        = "web"\n  description = ""\n}\n',
      'resource "aws_security_group" "web" {\n  name = "web"\n}\n',
    ],
    good: [
      'resource "aws_security_group" "web" {\n  name        = "web"\n  description = "HTTPS to the public web tier"\n}\n',
      'variable "description" {}\nresource "aws_security_group" "web" {\n  name        = "web"\n  description = var.description\n}\n',
    ],
  },
});

const sgRuleDescription = terraformRule({
  id: 'aws-ec2-security-group-rule-description',
  title: 'Security group rule has no description',
  severity: 'low',
  impact: 'Undocumented rules cannot be reviewed: nobody knows whether an opening is still needed, so broad rules accumulate.',
  remediation: 'Add a description to every ingress and egress rule that says who needs the access and why.',
  references: ['https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group_rule#description'],
  compliance: ['NIST 800-53 CM-8'],
  equivalents: { trivy: ['AVD-AWS-0124'], checkov: ['CKV_AWS_23'], kics: ['68eb4bf3-f9bf-463d-b5cf-e029bb446d2e'] },
  resources: SG_TYPES,
  check(r, ctx) {
    for (const e of sgEntries(r)) {
      if (e.description !== undefined && e.description !== null && e.description !== '') continue;
      ctx.report({ at: e.at, message: `${e.label} (${e.direction}, ${portText(e.from, e.to, e.protocol)}) has no description.` });
    }
  },
  examples: {
    bad: [
      'resource "aws_security_group" "web" {\n  name        = "web"\n  description = "Web tier"\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/16"]\n  }\n}\n',
      'resource "aws_security_group_rule" "out" {\n  type              = "egress"\n  security_group_id = "sg-0123456789abcdef0"\n  from_port         = 443\n  to_port           = 443\n  protocol          = "tcp"\n  cidr_blocks       = ["10.0.0.0/16"]\n}\n',
    ],
    good: [
      'resource "aws_security_group" "web" {\n  name        = "web"\n  description = "Web tier"\n  ingress {\n    description = "HTTPS from the load balancers"\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/16"]\n  }\n}\n',
      'variable "d" {}\nresource "aws_vpc_security_group_egress_rule" "out" {\n  security_group_id = "sg-0123456789abcdef0"\n  description       = var.d\n  ip_protocol       = "tcp"\n  from_port         = 443\n  to_port           = 443\n  cidr_ipv4         = "10.0.0.0/16"\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- network ACLs

interface AclEntry {
  ingress: boolean | undefined;
  action: Value | undefined;
  protocol: Value | undefined;
  from: Value | undefined;
  to: Value | undefined;
  cidrs: { value: Value | undefined; at: TfAttribute | TfBlock }[];
  at: TfAttribute | TfBlock;
  label: string;
}

function aclEntries(r: TfResource): AclEntry[] {
  const out: AclEntry[] = [];
  if (r.resourceType === 'aws_network_acl_rule') {
    const eg = r.get('egress');
    const egress = eg === undefined ? false : toBool(eg);
    out.push({
      ingress: egress === undefined ? undefined : !egress, action: r.get('rule_action'), protocol: r.get('protocol'),
      from: r.get('from_port'), to: r.get('to_port'), cidrs: cidrValues(r, ['cidr_block', 'ipv6_cidr_block']),
      at: r.attr('protocol') ?? r, label: r.address,
    });
    return out;
  }
  for (const dir of ['ingress', 'egress'] as const) {
    for (const b of r.blocks(dir)) {
      out.push({
        ingress: dir === 'ingress', action: b.get('action'), protocol: b.get('protocol'), from: b.get('from_port'), to: b.get('to_port'),
        cidrs: cidrValues(b, ['cidr_block', 'ipv6_cidr_block']), at: b.attr('protocol') ?? b, label: `${r.address} (${dir} rule)`,
      });
    }
  }
  return out;
}

const ACL_TYPES = ['aws_network_acl', 'aws_default_network_acl', 'aws_network_acl_rule'];

function aclWorld(e: AclEntry): { value: string; at: TfAttribute | TfBlock } | undefined {
  for (const c of e.cidrs) if (isWorld(c.value)) return { value: toStr(c.value)!, at: c.at };
  return undefined;
}

const naclNoAllPorts = terraformRule({
  id: 'aws-vpc-nacl-no-all-protocols',
  title: 'Network ACL allows all protocols and ports from the internet',
  severity: 'high',
  impact: 'An ingress rule that allows every protocol from anywhere removes the subnet-level filter entirely: every service in the subnet is reachable unless a security group stops it.',
  remediation: 'Allow only the protocols and port ranges the subnet serves (for example TCP 443 and the ephemeral return ports) instead of protocol "-1".',
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AWS-0102'], checkov: ['CKV_AWS_352'] },
  resources: ACL_TYPES,
  check(r, ctx) {
    for (const e of aclEntries(r)) {
      if (e.ingress !== true) continue;
      if (toStr(e.action)?.toLowerCase() !== 'allow') continue;
      if (protoOf(e.protocol) !== 'all') continue;
      const w = aclWorld(e);
      if (!w) continue;
      ctx.report({ at: e.at, message: `${e.label} allows all protocols and ports (protocol "${toStr(e.protocol)}") from ${w.value}.` });
    }
  },
  examples: {
    bad: [
      'resource "aws_network_acl_rule" "all" {\n  network_acl_id = "acl-0123456789abcdef0"\n  rule_number    = 100\n  egress         = false\n  protocol       = "-1"\n  rule_action    = "allow"\n  cidr_block     = "0.0.0.0/0"\n}\n',
      'resource "aws_network_acl" "main" {\n  vpc_id = "vpc-0123456789abcdef0"\n  ingress {\n    rule_no         = 100\n    protocol        = "all"\n    action          = "allow"\n    ipv6_cidr_block = "::/0"\n    from_port       = 0\n    to_port         = 0\n  }\n}\n',
    ],
    good: [
      'resource "aws_network_acl_rule" "https" {\n  network_acl_id = "acl-0123456789abcdef0"\n  rule_number    = 100\n  egress         = false\n  protocol       = "tcp"\n  rule_action    = "allow"\n  cidr_block     = "0.0.0.0/0"\n  from_port      = 443\n  to_port        = 443\n}\n',
      'resource "aws_network_acl_rule" "deny" {\n  network_acl_id = "acl-0123456789abcdef0"\n  rule_number    = 100\n  protocol       = "-1"\n  rule_action    = "deny"\n  cidr_block     = "0.0.0.0/0"\n}\n',
      'variable "cidr" {}\nresource "aws_network_acl_rule" "all" {\n  network_acl_id = "acl-0123456789abcdef0"\n  rule_number    = 100\n  protocol       = "-1"\n  rule_action    = "allow"\n  cidr_block     = var.cidr\n}\n',
    ],
  },
});

const naclNoPublicSshRdp = terraformRule({
  id: 'aws-vpc-nacl-no-public-ssh-rdp',
  title: 'Network ACL allows SSH or RDP from the whole internet',
  severity: 'medium',
  impact: 'The subnet-level filter lets anyone on the internet reach SSH (22) or RDP (3389); only security groups are left to stop brute-force and exploit attempts.',
  remediation: 'Limit the NACL rule for ports 22 and 3389 to the administrative networks, or deny them from 0.0.0.0/0 and ::/0.',
  references: [
    'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html',
    'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-21',
  ],
  compliance: ['CIS AWS 5.1', 'NIST 800-53 SC-7'],
  equivalents: {
    trivy: ['AVD-AWS-0105'],
    checkov: ['CKV_AWS_231', 'CKV_AWS_232'],
    kics: ['3af7f2fd-06e6-4dab-b996-2912bea19ba4', 'a20be318-cac7-457b-911d-04cc6e812c25'],
  },
  resources: ACL_TYPES,
  check(r, ctx) {
    for (const e of aclEntries(r)) {
      if (e.ingress !== true) continue;
      if (toStr(e.action)?.toLowerCase() !== 'allow') continue;
      const ports = openPorts(e.protocol, e.from, e.to, [22, 3389], ['tcp']);
      if (ports.length === 0) continue;
      const w = aclWorld(e);
      if (!w) continue;
      ctx.report({ at: w.at, message: `${e.label} allows ingress from ${w.value} to ${portText(e.from, e.to, e.protocol)} (${ports.map((p) => (p === 22 ? 'SSH' : 'RDP')).join(', ')}).` });
    }
  },
  examples: {
    bad: [
      'resource "aws_network_acl_rule" "ssh" {\n  network_acl_id = "acl-0123456789abcdef0"\n  rule_number    = 110\n  egress         = false\n  protocol       = "tcp"\n  rule_action    = "allow"\n  cidr_block     = "0.0.0.0/0"\n  from_port      = 22\n  to_port        = 22\n}\n',
      'resource "aws_network_acl" "main" {\n  vpc_id = "vpc-0123456789abcdef0"\n  ingress {\n    rule_no    = 100\n    protocol   = "6"\n    action     = "allow"\n    cidr_block = "0.0.0.0/0"\n    from_port  = 1024\n    to_port    = 65535\n  }\n}\n',
    ],
    good: [
      'resource "aws_network_acl_rule" "ssh" {\n  network_acl_id = "acl-0123456789abcdef0"\n  rule_number    = 110\n  protocol       = "tcp"\n  rule_action    = "allow"\n  cidr_block     = "10.0.0.0/8"\n  from_port      = 22\n  to_port        = 22\n}\n',
      'resource "aws_network_acl_rule" "ssh_out" {\n  network_acl_id = "acl-0123456789abcdef0"\n  rule_number    = 110\n  egress         = true\n  protocol       = "tcp"\n  rule_action    = "allow"\n  cidr_block     = "0.0.0.0/0"\n  from_port      = 22\n  to_port        = 22\n}\n',
      'variable "port" {}\nresource "aws_network_acl_rule" "app" {\n  network_acl_id = "acl-0123456789abcdef0"\n  rule_number    = 110\n  protocol       = "tcp"\n  rule_action    = "allow"\n  cidr_block     = "0.0.0.0/0"\n  from_port      = var.port\n  to_port        = var.port\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- VPC and subnets

const noDefaultVpc = terraformRule({
  id: 'aws-vpc-no-default-vpc',
  title: 'The default VPC is managed and used',
  severity: 'medium',
  impact: 'The default VPC has public subnets that give every instance a public IP and a default security group; workloads placed there are exposed by default.',
  remediation: 'Create purpose-built VPCs with private subnets and remove the aws_default_vpc resource (and delete the default VPC in the account).',
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AWS-0101'], checkov: ['CKV_AWS_148'], kics: ['96ed3526-0179-4c73-b1b2-372fde2e0d13'] },
  resources: ['aws_default_vpc'],
  check(r, ctx) {
    ctx.report({ at: r, message: `${r.address} manages the account's default VPC; use a dedicated VPC instead.` });
  },
  examples: {
    bad: ['resource "aws_default_vpc" "default" {\n  tags = {\n    Name = "default"\n  }\n}\n'],
    good: ['resource "aws_vpc" "main" {\n  cidr_block = "10.1.0.0/16"\n}\n'],
  },
});

/** True when a flow log in the module tree covers (or may cover) the VPC. */
function hasFlowLog(vpc: TfResource, module: TfModule): boolean {
  for (const m of module.allModules()) {
    for (const fl of m.resourcesOfType('aws_flow_log')) {
      const attr = fl.attr('vpc_id');
      if (!attr) continue;
      // In the VPC's own module, `module.x...` names a VPC of a child module, never this one.
      if (m === module && /^module\./.test(attr.source.trim())) continue;
      const v = attr.value;
      if (isRef(v)) {
        if (m !== module) return true; // an input from the caller: may be this VPC
        if (v.address === vpc.localAddress) return true;
        if (module.resource(v.address)) continue; // another declared resource
        return true; // something we cannot resolve: may be this VPC
      }
      if (isUnknown(v)) {
        if (m !== module || attr.source.includes(vpc.localAddress)) return true;
        if (/^var\.[A-Za-z0-9_-]+$/.test(attr.source.trim())) continue; // an input cannot be a VPC of the same module
        return true;
      }
    }
  }
  return false;
}

/** A VPC of a child module whose id is an output may get its flow log from the caller. */
function exportedFromChild(r: TfResource, module: TfModule): boolean {
  if (module.prefix === '') return false;
  for (const o of module.outputs.values()) {
    const v = o.value;
    if (v instanceof Ref && v.address === r.localAddress) return true;
    if (isUnknown(v) && o.source.includes(r.localAddress)) return true;
  }
  return false;
}

const vpcFlowLogs = terraformRule({
  id: 'aws-vpc-enable-flow-logs',
  title: 'VPC has no flow log',
  severity: 'medium',
  impact: 'Without flow logs there is no record of which hosts talked to which: intrusions, scanning and data exfiltration cannot be detected or investigated.',
  remediation: 'Add an aws_flow_log with vpc_id pointing at the VPC, delivering to CloudWatch Logs or S3.',
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html'],
  compliance: ['CIS AWS 3.7', 'NIST 800-53 AU-12', 'PCI DSS 10.2'],
  equivalents: { trivy: ['AVD-AWS-0178'], checkov: ['CKV2_AWS_11'], kics: ['f83121ea-03da-434f-9277-9cd247ab3047'] },
  resources: ['aws_vpc'],
  check(r, ctx) {
    if (hasFlowLog(r, ctx.module) || exportedFromChild(r, ctx.module)) return;
    ctx.report({ at: r, message: `${r.address} has no aws_flow_log capturing its traffic.` });
  },
  examples: {
    bad: ['resource "aws_vpc" "main" {\n  cidr_block = "10.1.0.0/16"\n}\n'],
    good: [
      'resource "aws_vpc" "main" {\n  cidr_block = "10.1.0.0/16"\n}\nresource "aws_flow_log" "main" {\n  vpc_id          = aws_vpc.main.id\n  traffic_type    = "ALL"\n  log_destination = "arn:aws:s3:::flow-logs-bucket"\n  log_destination_type = "s3"\n}\n',
      'variable "n" {}\nresource "aws_vpc" "main" {\n  count      = var.n\n  cidr_block = "10.1.0.0/16"\n}\nresource "aws_flow_log" "main" {\n  count        = var.n\n  vpc_id       = aws_vpc.main[count.index].id\n  traffic_type = "ALL"\n}\n',
    ],
  },
});

const subnetNoPublicIp = terraformRule({
  id: 'aws-vpc-subnet-no-public-ip',
  title: 'Subnet assigns public IP addresses by default',
  severity: 'high',
  impact: 'Every instance launched in the subnet gets a public address and becomes reachable from the internet as soon as a security group allows it.',
  remediation: 'Set map_public_ip_on_launch = false and give public addresses only to the instances that need them (or use a load balancer or NAT).',
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html#subnet-public-ip'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AWS-0164'], checkov: ['CKV_AWS_130'], kics: ['52f04a44-6bfa-4c41-b1d3-4ae99a2de05c'] },
  fixable: true,
  resources: ['aws_subnet', 'aws_default_subnet'],
  check(r, ctx) {
    const a = r.attr('map_public_ip_on_launch');
    if (!a || toBool(a.value) !== true) return;
    ctx.report({
      at: a,
      message: `${r.address} sets map_public_ip_on_launch = true, so instances in it get public IP addresses.`,
      fix: tfFix('Set map_public_ip_on_launch = false', setAttribute(r, 'map_public_ip_on_launch', 'false')),
    });
  },
  examples: {
    bad: ['resource "aws_subnet" "app" {\n  vpc_id                  = "vpc-0123456789abcdef0"\n  cidr_block              = "10.1.1.0/24"\n  map_public_ip_on_launch = true\n}\n'],
    good: [
      'resource "aws_subnet" "app" {\n  vpc_id     = "vpc-0123456789abcdef0"\n  cidr_block = "10.1.1.0/24"\n}\n',
      'variable "public" {}\nresource "aws_subnet" "app" {\n  vpc_id                  = "vpc-0123456789abcdef0"\n  cidr_block              = "10.1.1.0/24"\n  map_public_ip_on_launch = var.public\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- load balancers

const LB_TYPES = ['aws_lb', 'aws_alb'];
const LISTENER_TYPES = ['aws_lb_listener', 'aws_alb_listener'];

/** The load balancer type; absent means "application". */
function lbType(lb: TfResource): string | undefined {
  const t = lb.get('load_balancer_type');
  if (t === undefined) return 'application';
  return toStr(t)?.toLowerCase();
}

const lbNotPublic = terraformRule({
  id: 'aws-elb-not-public',
  title: 'Load balancer is internet-facing',
  severity: 'high',
  impact: 'An internet-facing load balancer publishes its targets to the whole internet; an internal service exposed this way by mistake becomes an entry point.',
  remediation: 'Set internal = true for load balancers that serve only the VPC; keep internet-facing ones deliberate and protected by WAF and TLS.',
  references: ['https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-scheme'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AWS-0053'] },
  fixable: true,
  resources: LB_TYPES,
  check(r, ctx) {
    const type = lbType(r);
    if (type === undefined || type === 'gateway') return;
    const a = r.attr('internal');
    if (a && toBool(a.value) !== false) return;
    ctx.report({
      at: a ?? r,
      message: a ? `${r.address} sets internal = false: the ${type} load balancer is reachable from the internet.` : `${r.address} does not set internal, so the ${type} load balancer is internet-facing.`,
      fix: tfFix('Set internal = true', setAttribute(r, 'internal', 'true')),
    });
  },
  examples: {
    bad: [
      'resource "aws_lb" "api" {\n  name               = "api"\n  load_balancer_type = "application"\n  internal           = false\n  drop_invalid_header_fields = true\n}\n',
      'resource "aws_lb" "nlb" {\n  name               = "nlb"\n  load_balancer_type = "network"\n}\n',
    ],
    good: [
      'resource "aws_lb" "api" {\n  name     = "api"\n  internal = true\n  drop_invalid_header_fields = true\n}\n',
      'resource "aws_lb" "gwlb" {\n  name               = "gwlb"\n  load_balancer_type = "gateway"\n}\n',
      'variable "internal" {}\nresource "aws_lb" "api" {\n  name     = "api"\n  internal = var.internal\n  drop_invalid_header_fields = true\n}\n',
    ],
  },
});

const lbDropInvalidHeaders = terraformRule({
  id: 'aws-elb-drop-invalid-headers',
  title: 'Application load balancer forwards invalid HTTP headers',
  severity: 'high',
  impact: 'Malformed header fields reach the targets, which enables HTTP request smuggling and header-injection attacks against backends that parse them differently.',
  remediation: 'Set drop_invalid_header_fields = true on application load balancers.',
  references: ['https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes'],
  compliance: ['NIST 800-53 SI-10'],
  equivalents: { trivy: ['AVD-AWS-0052'], checkov: ['CKV_AWS_131'], kics: ['6e3fd2ed-5c83-4c68-9679-7700d224d379'] },
  fixable: true,
  resources: LB_TYPES,
  check(r, ctx) {
    if (lbType(r) !== 'application') return;
    const a = r.attr('drop_invalid_header_fields');
    if (a && toBool(a.value) !== false) return;
    ctx.report({
      at: a ?? r,
      message: `${r.address} does not drop invalid header fields (drop_invalid_header_fields is ${a ? 'false' : 'unset, default false'}).`,
      fix: tfFix('Set drop_invalid_header_fields = true', setAttribute(r, 'drop_invalid_header_fields', 'true')),
    });
  },
  examples: {
    bad: [
      'resource "aws_lb" "web" {\n  name     = "web"\n  internal = true\n}\n',
      'resource "aws_alb" "web" {\n  name                       = "web"\n  internal                   = true\n  drop_invalid_header_fields = false\n}\n',
    ],
    good: [
      'resource "aws_lb" "web" {\n  name                       = "web"\n  internal                   = true\n  drop_invalid_header_fields = true\n}\n',
      'resource "aws_lb" "nlb" {\n  name               = "nlb"\n  internal           = true\n  load_balancer_type = "network"\n}\n',
      'variable "drop" {}\nresource "aws_lb" "web" {\n  name                       = "web"\n  internal                   = true\n  drop_invalid_header_fields = var.drop\n}\n',
    ],
  },
});

function listenerLb(listener: TfResource, module: TfModule): TfResource | undefined {
  const lb = module.resolve(listener.get('load_balancer_arn'));
  return lb && LB_TYPES.includes(lb.resourceType) ? lb : undefined;
}

const lbHttps = terraformRule({
  id: 'aws-elb-https-only',
  title: 'Application load balancer listener serves plain HTTP',
  severity: 'critical',
  impact: 'Traffic between clients and the load balancer is unencrypted: anyone on the path can read and modify requests, session cookies and credentials.',
  remediation: 'Use protocol = "HTTPS" with a certificate, or make the HTTP listener\'s default action a redirect to HTTPS.',
  references: ['https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html'],
  compliance: ['NIST 800-53 SC-8', 'PCI DSS 4.1'],
  equivalents: { trivy: ['AVD-AWS-0054'], checkov: ['CKV_AWS_2'], kics: ['de7f5e83-da88-4046-871f-ea18504b1d43'] },
  resources: LISTENER_TYPES,
  check(r, ctx) {
    const a = r.attr('protocol');
    if (a) {
      if (toStr(a.value)?.toUpperCase() !== 'HTTP') return;
    } else {
      // The provider default is HTTP for application load balancers only.
      const lb = listenerLb(r, ctx.module);
      if (!lb || lbType(lb) !== 'application') return;
    }
    // A redirect (or an action whose type we cannot read) may send clients to HTTPS.
    for (const b of r.blocks('default_action')) {
      if (b.dynamic) return;
      const t = b.get('type');
      if (t !== undefined && toStr(t) === undefined) return;
      if (toStr(t) === 'redirect') return;
    }
    ctx.report({ at: a ?? r, message: `${r.address} listens on plain HTTP${a ? '' : ' (protocol unset, default HTTP)'} without redirecting to HTTPS.` });
  },
  examples: {
    bad: [
      'resource "aws_lb_listener" "web" {\n  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1234567890abcdef"\n  port              = 80\n  protocol          = "HTTP"\n  default_action {\n    type             = "forward"\n    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/1234567890abcdef"\n  }\n}\n',
      'resource "aws_lb" "web" {\n  name     = "web"\n  internal = true\n}\nresource "aws_lb_listener" "web" {\n  load_balancer_arn = aws_lb.web.arn\n  port              = 8080\n  default_action {\n    type             = "forward"\n    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/1234567890abcdef"\n  }\n}\n',
    ],
    good: [
      'resource "aws_lb_listener" "redirect" {\n  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1234567890abcdef"\n  port              = 80\n  protocol          = "HTTP"\n  default_action {\n    type = "redirect"\n    redirect {\n      port        = "443"\n      protocol    = "HTTPS"\n      status_code = "HTTP_301"\n    }\n  }\n}\n',
      'resource "aws_lb_listener" "tls" {\n  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1234567890abcdef"\n  port              = 443\n  protocol          = "HTTPS"\n  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"\n  certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"\n}\n',
      'variable "protocol" {}\nresource "aws_lb_listener" "web" {\n  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1234567890abcdef"\n  port              = 80\n  protocol          = var.protocol\n}\n',
    ],
  },
});

const OUTDATED_ELB_POLICIES = new Set([
  'ELBSecurityPolicy-2015-05',
  'ELBSecurityPolicy-2016-08',
  'ELBSecurityPolicy-FS-2018-06',
  'ELBSecurityPolicy-FS-1-1-2019-08',
  'ELBSecurityPolicy-TLS-1-0-2015-04',
  'ELBSecurityPolicy-TLS-1-1-2017-01',
  'ELBSecurityPolicy-TLS13-1-0-2021-06',
  'ELBSecurityPolicy-TLS13-1-1-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06',
  'ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-Ext0-2021-06',
]);

const lbTlsPolicy = terraformRule({
  id: 'aws-elb-secure-tls-policy',
  title: 'Load balancer listener uses an outdated TLS policy',
  severity: 'critical',
  impact: 'The listener negotiates TLS 1.0/1.1 or weak cipher suites, which allows downgrade attacks and decryption of traffic by a network attacker.',
  remediation: 'Use a current policy such as ELBSecurityPolicy-TLS13-1-2-2021-06.',
  references: ['https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html'],
  compliance: ['NIST 800-53 SC-8', 'PCI DSS 4.1'],
  equivalents: { trivy: ['AVD-AWS-0047'], checkov: ['CKV_AWS_103'] },
  fixable: true,
  resources: LISTENER_TYPES,
  check(r, ctx) {
    const a = r.attr('ssl_policy');
    const p = toStr(a?.value);
    if (!a || p === undefined || !OUTDATED_ELB_POLICIES.has(p)) return;
    ctx.report({
      at: a,
      message: `${r.address} uses the outdated TLS policy "${p}".`,
      fix: tfFix('Use ELBSecurityPolicy-TLS13-1-2-2021-06', setAttribute(r, 'ssl_policy', '"ELBSecurityPolicy-TLS13-1-2-2021-06"')),
    });
  },
  examples: {
    bad: ['resource "aws_lb_listener" "tls" {\n  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1234567890abcdef"\n  port              = 443\n  protocol          = "HTTPS"\n  ssl_policy        = "ELBSecurityPolicy-2016-08"\n  certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"\n}\n'],
    good: [
      'resource "aws_lb_listener" "tls" {\n  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1234567890abcdef"\n  port              = 443\n  protocol          = "HTTPS"\n  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"\n  certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"\n}\n',
      'variable "policy" {}\nresource "aws_lb_listener" "tls" {\n  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1234567890abcdef"\n  port              = 443\n  protocol          = "HTTPS"\n  ssl_policy        = var.policy\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- CloudFront

const CF = ['aws_cloudfront_distribution'];

/** CloudFront standard logging v2: a delivery source for the distribution with a delivery. */
function hasLogDeliveryV2(dist: TfResource, module: TfModule): boolean {
  for (const src of module.resourcesOfType('aws_cloudwatch_log_delivery_source')) {
    const arn = src.get('resource_arn');
    const mine = isRef(arn) ? arn.address === dist.localAddress || !module.resource(arn.address) : isUnknown(arn);
    if (!mine) continue;
    const lt = src.get('log_type');
    if (toStr(lt) !== undefined && toStr(lt) !== 'ACCESS_LOGS') continue;
    const srcName = toStr(src.get('name'));
    for (const d of module.resourcesOfType('aws_cloudwatch_log_delivery')) {
      const n = d.get('delivery_source_name');
      if (isRef(n) ? n.address === src.localAddress || !module.resource(n.address) : isUnknown(n) || (srcName !== undefined && toStr(n) === srcName)) return true;
    }
  }
  return false;
}

const cfLogging = terraformRule({
  id: 'aws-cloudfront-enable-logging',
  title: 'CloudFront distribution has no access logging',
  severity: 'medium',
  impact: 'Requests to the distribution leave no trace: abuse, credential stuffing and data scraping cannot be detected or investigated.',
  remediation: 'Add a logging_config block (standard logging to S3) or a CloudWatch log delivery source and delivery for the distribution.',
  references: ['https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html'],
  compliance: ['NIST 800-53 AU-12', 'PCI DSS 10.2'],
  equivalents: { trivy: ['AVD-AWS-0010'], checkov: ['CKV_AWS_86'], kics: ['94690d79-b3b0-43de-b656-84ebef5753e5'] },
  resources: CF,
  check(r, ctx) {
    if (r.hasBlock('logging_config') || r.has('logging_config')) return;
    if (hasLogDeliveryV2(r, ctx.module)) return;
    ctx.report({ at: r, message: `${r.address} has no logging_config and no CloudWatch log delivery for its access logs.` });
  },
  examples: {
    bad: ['resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n  default_cache_behavior {\n    target_origin_id       = "web"\n    viewer_protocol_policy = "redirect-to-https"\n  }\n}\n'],
    good: [
      'resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n  logging_config {\n    bucket = "cdn-logs.s3.amazonaws.com"\n    prefix = "cdn/"\n  }\n}\n',
      'resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n}\nresource "aws_cloudwatch_log_delivery_source" "cdn" {\n  name         = "cdn"\n  log_type     = "ACCESS_LOGS"\n  resource_arn = aws_cloudfront_distribution.cdn.arn\n}\nresource "aws_cloudwatch_log_delivery" "cdn" {\n  delivery_source_name     = aws_cloudwatch_log_delivery_source.cdn.name\n  delivery_destination_arn = "arn:aws:logs:us-east-1:123456789012:delivery-destination:cdn"\n}\n',
    ],
  },
});

const cfWaf = terraformRule({
  id: 'aws-cloudfront-enable-waf',
  title: 'CloudFront distribution has no WAF web ACL',
  severity: 'high',
  impact: 'Requests reach the origin unfiltered: injection attempts, bots and layer-7 floods are not blocked at the edge.',
  remediation: 'Associate an AWS WAF web ACL with the distribution through web_acl_id.',
  references: ['https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AWS-0011'], checkov: ['CKV_AWS_68'], kics: ['1419b4c6-6d5c-4534-9cf6-6a5266085333'] },
  resources: CF,
  check(r, ctx) {
    const a = r.attr('web_acl_id');
    if (a && a.value !== '' && a.value !== null) return;
    ctx.report({ at: a ?? r, message: `${r.address} has no WAF web ACL (web_acl_id is ${a ? 'empty' : 'unset'}).` });
  },
  examples: {
    bad: ['resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n}\n'],
    good: [
      'resource "aws_cloudfront_distribution" "cdn" {\n  enabled    = true\n  web_acl_id = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/cdn/abcd"\n}\n',
      'variable "acl" {}\nresource "aws_cloudfront_distribution" "cdn" {\n  enabled    = true\n  web_acl_id = var.acl\n}\n',
    ],
  },
});

const cfHttps = terraformRule({
  id: 'aws-cloudfront-https-only',
  title: 'CloudFront distribution allows plain HTTP from viewers',
  severity: 'critical',
  impact: 'Viewers can use unencrypted HTTP: content, cookies and credentials can be read and modified on the network.',
  remediation: 'Set viewer_protocol_policy to "redirect-to-https" or "https-only" in every cache behavior.',
  references: ['https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html'],
  compliance: ['NIST 800-53 SC-8', 'PCI DSS 4.1'],
  equivalents: { trivy: ['AVD-AWS-0012'], checkov: ['CKV_AWS_34'], kics: ['55af1353-2f62-4fa0-a8e1-a210ca2708f5'] },
  fixable: true,
  resources: CF,
  check(r, ctx) {
    for (const b of [...r.blocks('default_cache_behavior'), ...r.blocks('ordered_cache_behavior')]) {
      const a = b.attr('viewer_protocol_policy');
      if (!a || toStr(a.value) !== 'allow-all') continue;
      ctx.report({
        at: a,
        message: `${r.address} ${b.type} uses viewer_protocol_policy "allow-all", which serves content over plain HTTP.`,
        fix: b.dynamic ? undefined : tfFix('Set viewer_protocol_policy = "redirect-to-https"', setAttribute(b, 'viewer_protocol_policy', '"redirect-to-https"')),
      });
    }
  },
  examples: {
    bad: [
      'resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n  default_cache_behavior {\n    target_origin_id       = "web"\n    viewer_protocol_policy = "allow-all"\n  }\n}\n',
      'resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n  default_cache_behavior {\n    target_origin_id       = "web"\n    viewer_protocol_policy = "https-only"\n  }\n  ordered_cache_behavior {\n    path_pattern           = "/static/*"\n    target_origin_id       = "web"\n    viewer_protocol_policy = "allow-all"\n  }\n}\n',
    ],
    good: [
      'resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n  default_cache_behavior {\n    target_origin_id       = "web"\n    viewer_protocol_policy = "redirect-to-https"\n  }\n}\n',
      'variable "policy" {}\nresource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n  default_cache_behavior {\n    target_origin_id       = "web"\n    viewer_protocol_policy = var.policy\n  }\n}\n',
    ],
  },
});

/** TLSv1.2_2021 and later (TLSv1.2_2025, TLSv1.3_2025, ...) are current. */
function isSecureCloudFrontTls(v: string): boolean {
  const m = /^TLSv1\.([23])_(\d{4})$/.exec(v);
  if (!m) return false;
  return m[1] === '3' || Number(m[2]) >= 2021;
}

const cfTls = terraformRule({
  id: 'aws-cloudfront-secure-tls',
  title: 'CloudFront distribution accepts outdated TLS versions',
  severity: 'high',
  impact: 'Viewers can negotiate TLS 1.0/1.1 or weak ciphers, exposing traffic to downgrade and decryption attacks.',
  remediation: 'Set viewer_certificate.minimum_protocol_version to "TLSv1.2_2021" or later (requires a custom certificate).',
  references: ['https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html'],
  compliance: ['NIST 800-53 SC-8', 'PCI DSS 4.1'],
  equivalents: { trivy: ['AVD-AWS-0013'], checkov: ['CKV_AWS_174'], kics: ['00e5e55e-c2ff-46b3-a757-a7a1cd802456'] },
  fixable: true,
  resources: CF,
  check(r, ctx) {
    for (const vc of r.blocks('viewer_certificate')) {
      const def = vc.get('cloudfront_default_certificate');
      if (def !== undefined && toBool(def) !== false) continue; // the cloudfront.net certificate only allows TLSv1
      const a = vc.attr('minimum_protocol_version');
      if (a) {
        const v = toStr(a.value);
        if (v === undefined || isSecureCloudFrontTls(v)) continue;
      }
      ctx.report({
        at: a ?? vc,
        message: `${r.address} allows viewers ${a ? `minimum_protocol_version "${toStr(a.value)}"` : 'TLSv1 (minimum_protocol_version unset)'}.`,
        fix: vc.dynamic ? undefined : tfFix('Set minimum_protocol_version = "TLSv1.2_2021"', setAttribute(vc, 'minimum_protocol_version', '"TLSv1.2_2021"')),
      });
    }
  },
  examples: {
    bad: [
      'resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n  viewer_certificate {\n    acm_certificate_arn      = "arn:aws:acm:us-east-1:123456789012:certificate/abc"\n    ssl_support_method       = "sni-only"\n    minimum_protocol_version = "TLSv1.1_2016"\n  }\n}\n',
      'resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n  viewer_certificate {\n    acm_certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc"\n    ssl_support_method  = "sni-only"\n  }\n}\n',
    ],
    good: [
      'resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n  viewer_certificate {\n    acm_certificate_arn      = "arn:aws:acm:us-east-1:123456789012:certificate/abc"\n    ssl_support_method       = "sni-only"\n    minimum_protocol_version = "TLSv1.2_2021"\n  }\n}\n',
      'resource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n  viewer_certificate {\n    cloudfront_default_certificate = true\n  }\n}\n',
      'variable "tls" {}\nresource "aws_cloudfront_distribution" "cdn" {\n  enabled = true\n  viewer_certificate {\n    acm_certificate_arn      = "arn:aws:acm:us-east-1:123456789012:certificate/abc"\n    minimum_protocol_version = var.tls\n  }\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- API Gateway

const apiAccessLogging = terraformRule({
  id: 'aws-apigateway-enable-access-logging',
  title: 'API Gateway stage has no access logging',
  severity: 'medium',
  impact: 'Calls to the API leave no record of caller, path and status: abuse and compromised credentials go unnoticed and cannot be investigated.',
  remediation: 'Add an access_log_settings block with a CloudWatch Logs or Firehose destination_arn and a log format.',
  references: ['https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html'],
  compliance: ['NIST 800-53 AU-12', 'PCI DSS 10.2'],
  equivalents: { trivy: ['AVD-AWS-0001'], checkov: ['CKV_AWS_76'], kics: ['1b6799eb-4a7a-4b04-9001-8cceb9999326'] },
  resources: ['aws_api_gateway_stage', 'aws_apigatewayv2_stage'],
  check(r, ctx) {
    const b = r.block('access_log_settings');
    if (b) {
      const d = b.get('destination_arn');
      if (d !== undefined && d !== '' && d !== null) return;
      if (b.dynamic) return;
    }
    ctx.report({ at: b ?? r, message: `${r.address} has no access log destination (access_log_settings.destination_arn).` });
  },
  examples: {
    bad: [
      'resource "aws_api_gateway_stage" "prod" {\n  stage_name    = "prod"\n  rest_api_id   = "a1b2c3d4e5"\n  deployment_id = "abc123"\n}\n',
      'resource "aws_apigatewayv2_stage" "prod" {\n  api_id = "a1b2c3d4e5"\n  name   = "prod"\n}\n',
    ],
    good: [
      'resource "aws_api_gateway_stage" "prod" {\n  stage_name    = "prod"\n  rest_api_id   = "a1b2c3d4e5"\n  deployment_id = "abc123"\n  access_log_settings {\n    destination_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:api-access"\n    format          = "$context.requestId"\n  }\n}\n',
      'variable "log_arn" {}\nresource "aws_apigatewayv2_stage" "prod" {\n  api_id = "a1b2c3d4e5"\n  name   = "prod"\n  access_log_settings {\n    destination_arn = var.log_arn\n    format          = "$context.requestId"\n  }\n}\n',
    ],
  },
});

const apiCacheEncrypted = terraformRule({
  id: 'aws-apigateway-cache-encrypted',
  title: 'API Gateway response cache is not encrypted',
  severity: 'medium',
  impact: 'Cached responses, which may hold personal or secret data, are stored unencrypted at rest in the stage cache.',
  remediation: 'Set settings.cache_data_encrypted = true in aws_api_gateway_method_settings where caching is enabled.',
  references: ['https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html'],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-AWS-0002'], checkov: ['CKV_AWS_308'], kics: ['b7c9a40c-23e4-4a2d-8d39-a3352f10f288'] },
  fixable: true,
  resources: ['aws_api_gateway_method_settings'],
  check(r, ctx) {
    for (const s of r.blocks('settings')) {
      if (toBool(s.get('caching_enabled')) !== true) continue;
      const a = s.attr('cache_data_encrypted');
      if (a && toBool(a.value) !== false) continue;
      ctx.report({
        at: a ?? s,
        message: `${r.address} enables caching without encrypting the cache (cache_data_encrypted is ${a ? 'false' : 'unset'}).`,
        fix: s.dynamic ? undefined : tfFix('Set cache_data_encrypted = true', setAttribute(s, 'cache_data_encrypted', 'true')),
      });
    }
  },
  examples: {
    bad: ['resource "aws_api_gateway_method_settings" "all" {\n  rest_api_id = "a1b2c3d4e5"\n  stage_name  = "prod"\n  method_path = "*/*"\n  settings {\n    caching_enabled = true\n  }\n}\n'],
    good: [
      'resource "aws_api_gateway_method_settings" "all" {\n  rest_api_id = "a1b2c3d4e5"\n  stage_name  = "prod"\n  method_path = "*/*"\n  settings {\n    caching_enabled      = true\n    cache_data_encrypted = true\n  }\n}\n',
      'variable "encrypt" {}\nresource "aws_api_gateway_method_settings" "all" {\n  rest_api_id = "a1b2c3d4e5"\n  stage_name  = "prod"\n  method_path = "*/*"\n  settings {\n    caching_enabled      = true\n    cache_data_encrypted = var.encrypt\n  }\n}\n',
    ],
  },
});

const apiCacheEnabled = terraformRule({
  id: 'aws-apigateway-enable-cache',
  title: 'API Gateway method settings do not enable response caching',
  severity: 'low',
  impact: 'Without caching every request hits the backend, which makes the API easier to overload (denial of service, cost exhaustion).',
  remediation: 'Set settings.caching_enabled = true (with cache_data_encrypted = true) in aws_api_gateway_method_settings.',
  references: ['https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html'],
  compliance: [],
  equivalents: { trivy: ['AVD-AWS-0190'], checkov: ['CKV_AWS_225'] },
  fixable: true,
  resources: ['aws_api_gateway_method_settings'],
  check(r, ctx) {
    for (const s of r.blocks('settings')) {
      const a = s.attr('caching_enabled');
      if (a && toBool(a.value) !== false) continue;
      const enc = s.attr('cache_data_encrypted');
      const fix = s.dynamic ? undefined : (enc && toBool(enc.value) !== false)
        ? tfFix('Enable caching', setAttribute(s, 'caching_enabled', 'true'))
        : tfFix('Enable encrypted caching', setAttribute(s, 'caching_enabled', 'true'), setAttribute(s, 'cache_data_encrypted', 'true'));
      ctx.report({ at: a ?? s, message: `${r.address} does not enable caching (caching_enabled is ${a ? 'false' : 'unset'}).`, fix });
    }
  },
  examples: {
    bad: [
      'resource "aws_api_gateway_method_settings" "all" {\n  rest_api_id = "a1b2c3d4e5"\n  stage_name  = "prod"\n  method_path = "*/*"\n  settings {\n    caching_enabled = false\n  }\n}\n',
      'resource "aws_api_gateway_method_settings" "all" {\n  rest_api_id = "a1b2c3d4e5"\n  stage_name  = "prod"\n  method_path = "*/*"\n  settings {\n    metrics_enabled = true\n  }\n}\n',
    ],
    good: [
      'resource "aws_api_gateway_method_settings" "all" {\n  rest_api_id = "a1b2c3d4e5"\n  stage_name  = "prod"\n  method_path = "*/*"\n  settings {\n    caching_enabled      = true\n    cache_data_encrypted = true\n  }\n}\n',
      'variable "cache" {}\nresource "aws_api_gateway_method_settings" "all" {\n  rest_api_id = "a1b2c3d4e5"\n  stage_name  = "prod"\n  method_path = "*/*"\n  settings {\n    caching_enabled = var.cache\n  }\n}\n',
    ],
  },
});

const apiXray = terraformRule({
  id: 'aws-apigateway-enable-tracing',
  title: 'API Gateway stage has X-Ray tracing disabled',
  severity: 'low',
  impact: 'Requests cannot be traced through the API and its backends, which slows down the investigation of attacks and failures.',
  remediation: 'Set xray_tracing_enabled = true on the stage.',
  references: ['https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-xray.html'],
  compliance: ['NIST 800-53 AU-12'],
  equivalents: { trivy: ['AVD-AWS-0003'], checkov: ['CKV_AWS_73'], kics: ['5813ef56-fa94-406a-b35d-977d4a56ff2b'] },
  fixable: true,
  resources: ['aws_api_gateway_stage'],
  check(r, ctx) {
    const a = r.attr('xray_tracing_enabled');
    if (a && toBool(a.value) !== false) return;
    ctx.report({
      at: a ?? r,
      message: `${r.address} does not enable X-Ray tracing (xray_tracing_enabled is ${a ? 'false' : 'unset'}).`,
      fix: tfFix('Set xray_tracing_enabled = true', setAttribute(r, 'xray_tracing_enabled', 'true')),
    });
  },
  examples: {
    bad: ['resource "aws_api_gateway_stage" "prod" {\n  stage_name           = "prod"\n  rest_api_id          = "a1b2c3d4e5"\n  deployment_id        = "abc123"\n  xray_tracing_enabled = false\n}\n'],
    good: [
      'resource "aws_api_gateway_stage" "prod" {\n  stage_name           = "prod"\n  rest_api_id          = "a1b2c3d4e5"\n  deployment_id        = "abc123"\n  xray_tracing_enabled = true\n}\n',
      'variable "trace" {}\nresource "aws_api_gateway_stage" "prod" {\n  stage_name           = "prod"\n  rest_api_id          = "a1b2c3d4e5"\n  deployment_id        = "abc123"\n  xray_tracing_enabled = var.trace\n}\n',
    ],
  },
});

const apiAuthorization = terraformRule({
  id: 'aws-apigateway-method-authorization',
  title: 'API Gateway method is callable without authorization',
  severity: 'low',
  impact: 'Anyone who knows the URL can call the method and reach the integration behind it (Lambda, HTTP backend, AWS service).',
  remediation: 'Set authorization to AWS_IAM, COGNITO_USER_POOLS or CUSTOM (with an authorizer), or require an API key with api_key_required = true.',
  references: ['https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html'],
  compliance: ['NIST 800-53 AC-3'],
  equivalents: { trivy: ['AVD-AWS-0004'], checkov: ['CKV_AWS_59'], kics: ['15ccec05-5476-4890-ad19-53991eba1db8'] },
  resources: ['aws_api_gateway_method'],
  check(r, ctx) {
    const a = r.attr('authorization');
    if (!a || toStr(a.value)?.toUpperCase() !== 'NONE') return;
    const m = r.get('http_method');
    if (m !== undefined) {
      const s = toStr(m)?.toUpperCase();
      if (s === undefined || s === 'OPTION' || s === 'OPTIONS') return;
    }
    const key = r.get('api_key_required');
    if (key !== undefined && toBool(key) !== false) return;
    ctx.report({ at: a, message: `${r.address} (${toStr(m) ?? 'method'}) has authorization "NONE" and does not require an API key.` });
  },
  examples: {
    bad: ['resource "aws_api_gateway_method" "get" {\n  rest_api_id   = "a1b2c3d4e5"\n  resource_id   = "abc123"\n  http_method   = "POST"\n  authorization = "NONE"\n}\n'],
    good: [
      'resource "aws_api_gateway_method" "get" {\n  rest_api_id   = "a1b2c3d4e5"\n  resource_id   = "abc123"\n  http_method   = "POST"\n  authorization = "AWS_IAM"\n}\n',
      'resource "aws_api_gateway_method" "preflight" {\n  rest_api_id   = "a1b2c3d4e5"\n  resource_id   = "abc123"\n  http_method   = "OPTIONS"\n  authorization = "NONE"\n}\n',
      'variable "auth" {}\nresource "aws_api_gateway_method" "get" {\n  rest_api_id   = "a1b2c3d4e5"\n  resource_id   = "abc123"\n  http_method   = "GET"\n  authorization = var.auth\n}\n',
    ],
  },
});

/** TLS_1_2 and the enhanced policies with a TLS 1.2+ minimum. */
function isSecureApiPolicy(p: string): boolean {
  return p === 'TLS_1_2' || /^SecurityPolicy_TLS1[23]_/.test(p);
}

const apiTls = terraformRule({
  id: 'aws-apigateway-secure-tls-policy',
  title: 'API Gateway custom domain allows TLS 1.0',
  severity: 'high',
  impact: 'Clients can negotiate TLS 1.0 with weak ciphers, which exposes API traffic to downgrade and decryption attacks.',
  remediation: 'Set security_policy = "TLS_1_2" (or a SecurityPolicy_TLS13_* policy) on the domain name.',
  references: ['https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html'],
  compliance: ['NIST 800-53 SC-8', 'PCI DSS 4.1'],
  equivalents: { trivy: ['AVD-AWS-0005'], checkov: ['CKV_AWS_206'], kics: ['4e1cc5d3-2811-4fb2-861c-ee9b3cb7f90b'] },
  fixable: true,
  resources: ['aws_api_gateway_domain_name', 'aws_apigatewayv2_domain_name'],
  check(r, ctx) {
    const holders: TfBlock[] = r.resourceType === 'aws_api_gateway_domain_name' ? [r] : r.blocks('domain_name_configuration');
    for (const h of holders) {
      const a = h.attr('security_policy');
      if (a) {
        const p = toStr(a.value);
        if (p === undefined || isSecureApiPolicy(p)) continue;
      } else if (h !== r) continue; // required in domain_name_configuration: absent means a fragment
      ctx.report({
        at: a ?? h,
        message: `${r.address} ${a ? `uses security_policy "${toStr(a.value)}"` : 'does not set security_policy (older domains default to TLS_1_0)'}.`,
        fix: h.dynamic ? undefined : tfFix('Set security_policy = "TLS_1_2"', setAttribute(h, 'security_policy', '"TLS_1_2"')),
      });
    }
  },
  examples: {
    bad: [
      'resource "aws_api_gateway_domain_name" "api" {\n  domain_name     = "api.example.com"\n  certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc"\n  security_policy = "TLS_1_0"\n}\n',
      'resource "aws_api_gateway_domain_name" "api" {\n  domain_name     = "api.example.com"\n  certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc"\n}\n',
    ],
    good: [
      'resource "aws_api_gateway_domain_name" "api" {\n  domain_name     = "api.example.com"\n  certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc"\n  security_policy = "TLS_1_2"\n}\n',
      'resource "aws_apigatewayv2_domain_name" "api" {\n  domain_name = "api.example.com"\n  domain_name_configuration {\n    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"\n    endpoint_type   = "REGIONAL"\n    security_policy = "TLS_1_2"\n  }\n}\n',
      'variable "policy" {}\nresource "aws_api_gateway_domain_name" "api" {\n  domain_name     = "api.example.com"\n  security_policy = var.policy\n}\n',
    ],
  },
});

export const rules: Rule[] = [
  sgNoPublicSshRdp, sgNoPublicAdminPorts, sgNoPublicEgress, sgDescription, sgRuleDescription,
  naclNoAllPorts, naclNoPublicSshRdp, noDefaultVpc, vpcFlowLogs, subnetNoPublicIp,
  lbNotPublic, lbDropInvalidHeaders, lbHttps, lbTlsPolicy,
  cfLogging, cfWaf, cfHttps, cfTls,
  apiAccessLogging, apiCacheEncrypted, apiCacheEnabled, apiXray, apiAuthorization, apiTls,
];
