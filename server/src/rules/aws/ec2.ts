import { setAttribute, setNestedAttribute, tfFix } from '../../engine/fix';
import { terraformRule, type Rule } from '../../engine/rule';
import type { TfAttribute, TfBlock, TfModule } from '../../parse/terraform';
import { toBool, toList, toStr } from '../../parse/values';

/*
 * AWS compute rules: instances, launch templates and configurations, EBS volumes, AMI lookups.
 */

// ---------------------------------------------------------------- helpers

/** True when the module tree turns on EBS encryption by default for the account/region. */
function encryptionByDefault(module: TfModule): boolean {
  for (const m of module.allModules()) {
    for (const r of m.resourcesOfType('aws_ebs_encryption_by_default')) {
      const e = r.get('enabled');
      if (e === undefined || toBool(e) !== false) return true;
    }
  }
  return false;
}

/** A block device is encrypted when `encrypted` is not false, or a KMS key is given. */
function deviceUnencrypted(dev: TfBlock, absentMeansUnencrypted: boolean): { at: TfAttribute | TfBlock; why: string } | undefined {
  if (dev.dynamic) return undefined;
  const a = dev.attr('encrypted');
  if (a) {
    if (toBool(a.value) !== false) return undefined;
    return { at: a, why: 'encrypted = false' };
  }
  if (!absentMeansUnencrypted) return undefined;
  if (dev.get('kms_key_id') !== undefined) return undefined;
  if (dev.get('snapshot_id') !== undefined) return undefined; // inherits the snapshot's encryption
  return { at: dev, why: 'encrypted is not set (default false)' };
}

// ---------------------------------------------------------------- IMDS

function imdsRule(id: string, title: string, trivy: string, resources: string[], examples: { bad: string[]; good: string[] }): Rule {
  return terraformRule({
    id,
    title,
    severity: 'high',
    impact: 'With IMDSv1 a server-side request forgery or open proxy on the instance lets an attacker read the instance role credentials from 169.254.169.254 with a plain GET.',
    remediation: 'Set metadata_options { http_tokens = "required" } (or disable the endpoint with http_endpoint = "disabled").',
    references: [
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/instance#metadata-options',
    ],
    compliance: ['CIS AWS 5.6', 'NIST 800-53 AC-3'],
    equivalents: { trivy: [trivy], checkov: ['CKV_AWS_79'] },
    fixable: true,
    resources,
    check(r, ctx) {
      const mo = r.block('metadata_options');
      // An instance launched from a template takes its metadata options from the template.
      if (!mo && r.resourceType === 'aws_instance' && r.hasBlock('launch_template')) return;
      if (!mo && r.has('metadata_options')) return; // written as an attribute: not a shape we judge
      if (mo) {
        const ep = mo.get('http_endpoint');
        if (ep !== undefined && toStr(ep) !== 'enabled') return; // disabled, or unknown
      }
      const tokens = mo?.attr('http_tokens');
      if (tokens) {
        const s = toStr(tokens.value);
        if (s === undefined || s === 'required') return;
      }
      ctx.report({
        at: tokens ?? mo ?? r,
        message: tokens
          ? `${r.address} sets metadata_options.http_tokens = "${toStr(tokens.value)}", so IMDSv1 requests without a session token are accepted.`
          : `${r.address} does not set metadata_options.http_tokens (default "optional"), so IMDSv1 is enabled.`,
        fix: mo?.dynamic ? undefined : tfFix('Set metadata_options.http_tokens = "required"', setNestedAttribute(r, ['metadata_options'], 'http_tokens', '"required"')),
      });
    },
    examples,
  });
}

const imdsv2 = imdsRule('aws-ec2-require-imdsv2', 'Instance allows IMDSv1 (metadata session tokens optional)', 'AVD-AWS-0028', ['aws_instance'], {
  bad: [
    'resource "aws_instance" "web" {\n  ami           = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n}\n',
    'resource "aws_instance" "web" {\n  ami           = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  metadata_options {\n    http_endpoint = "enabled"\n    http_tokens   = "optional"\n  }\n}\n',
  ],
  good: [
    'resource "aws_instance" "web" {\n  ami           = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  metadata_options {\n    http_tokens = "required"\n  }\n}\n',
    'resource "aws_instance" "web" {\n  instance_type = "t3.micro"\n  launch_template {\n    id = "lt-0123456789abcdef0"\n  }\n}\n',
    'variable "tokens" {}\nresource "aws_instance" "web" {\n  ami           = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  metadata_options {\n    http_tokens = var.tokens\n  }\n}\n',
  ],
});

const launchImdsv2 = imdsRule('aws-ec2-launch-template-require-imdsv2', 'Launch template or configuration allows IMDSv1 (metadata session tokens optional)', 'AVD-AWS-0130',
  ['aws_launch_template', 'aws_launch_configuration'], {
    bad: [
      'resource "aws_launch_template" "web" {\n  image_id      = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n}\n',
      'resource "aws_launch_configuration" "web" {\n  image_id      = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  metadata_options {\n    http_tokens = "optional"\n  }\n}\n',
    ],
    good: [
      'resource "aws_launch_template" "web" {\n  image_id      = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  metadata_options {\n    http_endpoint = "enabled"\n    http_tokens   = "required"\n  }\n}\n',
      'resource "aws_launch_configuration" "web" {\n  image_id      = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  metadata_options {\n    http_endpoint = "disabled"\n  }\n}\n',
      'variable "tokens" {}\nresource "aws_launch_template" "web" {\n  image_id = "ami-0abcdef1234567890"\n  metadata_options {\n    http_tokens = var.tokens\n  }\n}\n',
    ],
  });

// ---------------------------------------------------------------- public IPs

const noPublicIp = terraformRule({
  id: 'aws-ec2-no-public-ip',
  title: 'Instance or launch configuration assigns a public IP address',
  severity: 'high',
  impact: 'Instances get an internet-routable address and are directly reachable from the internet whenever a security group allows it, bypassing load balancers and NAT.',
  remediation: 'Set associate_public_ip_address = false and reach instances through a load balancer, NAT gateway, bastion or SSM.',
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html#concepts-public-addresses'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-AWS-0009'], checkov: ['CKV_AWS_389', 'CKV_AWS_88'] },
  fixable: true,
  resources: ['aws_launch_configuration', 'aws_instance', 'aws_launch_template'],
  check(r, ctx) {
    const holders: TfBlock[] = r.resourceType === 'aws_launch_template' ? r.blocks('network_interfaces') : [r];
    for (const h of holders) {
      const a = h.attr('associate_public_ip_address');
      if (!a || toBool(a.value) !== true) continue;
      ctx.report({
        at: a,
        message: `${r.address} sets associate_public_ip_address = true, so its instances get a public IP address.`,
        fix: h.dynamic ? undefined : tfFix('Set associate_public_ip_address = false', setAttribute(h, 'associate_public_ip_address', 'false')),
      });
    }
  },
  examples: {
    bad: [
      'resource "aws_launch_configuration" "web" {\n  image_id                    = "ami-0abcdef1234567890"\n  instance_type               = "t3.micro"\n  associate_public_ip_address = true\n}\n',
      'resource "aws_launch_template" "web" {\n  image_id = "ami-0abcdef1234567890"\n  network_interfaces {\n    associate_public_ip_address = "true"\n  }\n}\n',
    ],
    good: [
      'resource "aws_launch_configuration" "web" {\n  image_id                    = "ami-0abcdef1234567890"\n  instance_type               = "t3.micro"\n  associate_public_ip_address = false\n}\n',
      'variable "public" {}\nresource "aws_instance" "web" {\n  ami                         = "ami-0abcdef1234567890"\n  instance_type               = "t3.micro"\n  associate_public_ip_address = var.public\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- volume encryption

const launchConfigVolumes = terraformRule({
  id: 'aws-ec2-launch-config-encrypt-volumes',
  title: 'Launch configuration or template creates unencrypted EBS volumes',
  severity: 'high',
  impact: 'Every instance launched from it gets unencrypted disks: data at rest and snapshots can be read by anyone who obtains the volume or a copy of a snapshot.',
  remediation: 'Set encrypted = true on root_block_device and every ebs_block_device (or enable EBS encryption by default for the region).',
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/EBSEncryption.html'],
  compliance: ['NIST 800-53 SC-28', 'PCI DSS 3.4'],
  equivalents: { trivy: ['AVD-AWS-0008'], checkov: ['CKV_AWS_8'], kics: ['4de9de27-254e-424f-bd70-4c1e95790838'] },
  fixable: true,
  resources: ['aws_launch_configuration', 'aws_launch_template'],
  check(r, ctx) {
    if (encryptionByDefault(ctx.module)) return;
    const devices: { dev: TfBlock; name: string; absentMeansUnencrypted: boolean }[] = [];
    if (r.resourceType === 'aws_launch_configuration') {
      for (const d of r.blocks('root_block_device')) devices.push({ dev: d, name: 'root_block_device', absentMeansUnencrypted: true });
      for (const d of r.blocks('ebs_block_device')) devices.push({ dev: d, name: `ebs_block_device ${toStr(d.get('device_name')) ?? ''}`.trim(), absentMeansUnencrypted: true });
    } else {
      for (const m of r.blocks('block_device_mappings')) {
        for (const d of m.blocks('ebs')) devices.push({ dev: d, name: `block_device_mappings ${toStr(m.get('device_name')) ?? ''}`.trim(), absentMeansUnencrypted: false });
      }
    }
    for (const { dev, name, absentMeansUnencrypted } of devices) {
      const u = deviceUnencrypted(dev, absentMeansUnencrypted);
      if (!u) continue;
      ctx.report({ at: u.at, message: `${r.address} ${name} is not encrypted (${u.why}).`, fix: tfFix('Set encrypted = true', setAttribute(dev, 'encrypted', 'true')) });
    }
  },
  examples: {
    bad: [
      'resource "aws_launch_configuration" "web" {\n  image_id      = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  root_block_device {\n    volume_size = 20\n  }\n  ebs_block_device {\n    device_name = "/dev/sdf"\n    volume_size = 100\n    encrypted   = false\n  }\n}\n',
      'resource "aws_launch_template" "web" {\n  image_id = "ami-0abcdef1234567890"\n  block_device_mappings {\n    device_name = "/dev/xvda"\n    ebs {\n      volume_size = 20\n      encrypted   = "false"\n    }\n  }\n}\n',
    ],
    good: [
      'resource "aws_launch_configuration" "web" {\n  image_id      = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  root_block_device {\n    encrypted = true\n  }\n}\n',
      'resource "aws_ebs_encryption_by_default" "on" {\n  enabled = true\n}\nresource "aws_launch_configuration" "web" {\n  image_id      = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  root_block_device {\n    volume_size = 20\n  }\n}\n',
      'variable "enc" {}\nresource "aws_launch_configuration" "web" {\n  image_id      = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  root_block_device {\n    encrypted = var.enc\n  }\n}\n',
    ],
  },
});

const instanceVolumes = terraformRule({
  id: 'aws-ec2-instance-encrypt-volumes',
  title: 'Instance has an unencrypted block device',
  severity: 'high',
  impact: 'The instance disks and their snapshots hold data unencrypted at rest: anyone who obtains a copy of a volume or snapshot can read it.',
  remediation: 'Set encrypted = true in root_block_device and every ebs_block_device, or enable EBS encryption by default (aws_ebs_encryption_by_default).',
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/EBSEncryption.html'],
  compliance: ['NIST 800-53 SC-28', 'PCI DSS 3.4'],
  equivalents: { trivy: ['AVD-AWS-0131'], checkov: ['CKV_AWS_8'] },
  fixable: true,
  resources: ['aws_instance'],
  check(r, ctx) {
    if (encryptionByDefault(ctx.module)) return;
    const root = r.blocks('root_block_device');
    if (root.length === 0) {
      if (r.hasBlock('launch_template') || r.has('root_block_device')) return;
      ctx.report({
        at: r,
        message: `${r.address} has no root_block_device with encrypted = true, so its root volume is unencrypted (unless the account encrypts EBS by default).`,
        fix: tfFix('Add root_block_device { encrypted = true }', setNestedAttribute(r, ['root_block_device'], 'encrypted', 'true')),
      });
    }
    const devices = [...root.map((d) => ({ d, name: 'root_block_device' })), ...r.blocks('ebs_block_device').map((d) => ({ d, name: `ebs_block_device ${toStr(d.get('device_name')) ?? ''}`.trim() }))];
    for (const { d, name } of devices) {
      const u = deviceUnencrypted(d, true);
      if (!u) continue;
      ctx.report({ at: u.at, message: `${r.address} ${name} is not encrypted (${u.why}).`, fix: tfFix('Set encrypted = true', setAttribute(d, 'encrypted', 'true')) });
    }
  },
  examples: {
    bad: [
      'resource "aws_instance" "db" {\n  ami           = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  root_block_device {\n    encrypted = false\n  }\n  ebs_block_device {\n    device_name = "/dev/sdf"\n    volume_size = 100\n  }\n}\n',
      'resource "aws_instance" "db" {\n  ami           = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n}\n',
    ],
    good: [
      'resource "aws_instance" "db" {\n  ami           = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  root_block_device {\n    encrypted = true\n  }\n  ebs_block_device {\n    device_name = "/dev/sdf"\n    encrypted   = true\n  }\n}\n',
      'resource "aws_ebs_encryption_by_default" "on" {}\nresource "aws_instance" "db" {\n  ami           = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n}\n',
      'variable "enc" {}\nresource "aws_instance" "db" {\n  ami           = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  root_block_device {\n    encrypted = var.enc\n  }\n}\n',
    ],
  },
});

const ebsVolumeEncrypted = terraformRule({
  id: 'aws-ebs-volume-encrypted',
  title: 'EBS volume is not encrypted',
  severity: 'high',
  impact: 'The volume and all its snapshots hold data unencrypted at rest: anyone who obtains a snapshot copy can read it.',
  remediation: 'Set encrypted = true (optionally with a customer managed kms_key_id), or enable EBS encryption by default.',
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/EBSEncryption.html'],
  compliance: ['NIST 800-53 SC-28', 'PCI DSS 3.4'],
  equivalents: { trivy: ['AVD-AWS-0026'], checkov: ['CKV_AWS_3'], kics: ['cc997676-481b-4e93-aa81-d19f8c5e9b12'] },
  fixable: true,
  resources: ['aws_ebs_volume'],
  check(r, ctx) {
    if (encryptionByDefault(ctx.module)) return;
    const u = deviceUnencrypted(r, true);
    if (!u) return;
    ctx.report({ at: u.at, message: `${r.address} is not encrypted (${u.why}).`, fix: tfFix('Set encrypted = true', setAttribute(r, 'encrypted', 'true')) });
  },
  examples: {
    bad: [
      'resource "aws_ebs_volume" "data" {\n  availability_zone = "eu-west-1a"\n  size              = 100\n  encrypted         = false\n}\n',
      'resource "aws_ebs_volume" "data" {\n  availability_zone = "eu-west-1a"\n  size              = 100\n}\n',
    ],
    good: [
      'resource "aws_ebs_volume" "data" {\n  availability_zone = "eu-west-1a"\n  size              = 100\n  encrypted         = true\n}\n',
      'variable "enc" {}\nresource "aws_ebs_volume" "data" {\n  availability_zone = "eu-west-1a"\n  size              = 100\n  encrypted         = var.enc\n}\n',
    ],
  },
});

const ebsVolumeCmk = terraformRule({
  id: 'aws-ebs-volume-use-cmk',
  title: 'EBS volume is not encrypted with a customer managed key',
  severity: 'low',
  impact: 'With the AWS managed key you cannot restrict or audit who may decrypt the volume and its snapshots, nor revoke access by disabling the key.',
  remediation: 'Set kms_key_id to a customer managed KMS key (and encrypted = true).',
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/EBSEncryption.html#EBSEncryption_key_mgmt'],
  compliance: ['NIST 800-53 SC-12'],
  equivalents: { trivy: ['AVD-AWS-0027'], checkov: ['CKV_AWS_189'] },
  resources: ['aws_ebs_volume'],
  check(r, ctx) {
    const k = r.attr('kms_key_id');
    if (k && k.value !== '' && k.value !== null) return;
    ctx.report({ at: k ?? r, message: `${r.address} does not set kms_key_id, so it is encrypted (if at all) with the AWS managed key.` });
  },
  examples: {
    bad: ['resource "aws_ebs_volume" "data" {\n  availability_zone = "eu-west-1a"\n  size              = 100\n  encrypted         = true\n}\n'],
    good: [
      'resource "aws_kms_key" "ebs" {\n  enable_key_rotation = true\n}\nresource "aws_ebs_volume" "data" {\n  availability_zone = "eu-west-1a"\n  size              = 100\n  encrypted         = true\n  kms_key_id        = aws_kms_key.ebs.arn\n}\n',
      'variable "key" {}\nresource "aws_ebs_volume" "data" {\n  availability_zone = "eu-west-1a"\n  size              = 100\n  encrypted         = true\n  kms_key_id        = var.key\n}\n',
    ],
  },
});

const ebsDefaultEncryption = terraformRule({
  id: 'aws-ebs-default-encryption',
  title: 'EBS encryption by default is turned off',
  severity: 'medium',
  impact: 'New volumes and snapshot copies in the region are created unencrypted unless every resource asks for encryption explicitly.',
  remediation: 'Set enabled = true on aws_ebs_encryption_by_default.',
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/EBSEncryption.html#encryption-by-default'],
  compliance: ['CIS AWS 2.2.1', 'NIST 800-53 SC-28'],
  equivalents: { checkov: ['CKV_AWS_106'] },
  fixable: true,
  resources: ['aws_ebs_encryption_by_default'],
  check(r, ctx) {
    const a = r.attr('enabled');
    if (!a || toBool(a.value) !== false) return;
    ctx.report({ at: a, message: `${r.address} sets enabled = false: EBS volumes are not encrypted by default.`, fix: tfFix('Set enabled = true', setAttribute(r, 'enabled', 'true')) });
  },
  examples: {
    bad: ['resource "aws_ebs_encryption_by_default" "this" {\n  enabled = false\n}\n'],
    good: [
      'resource "aws_ebs_encryption_by_default" "this" {\n  enabled = true\n}\n',
      'variable "on" {}\nresource "aws_ebs_encryption_by_default" "this" {\n  enabled = var.on\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- user data

const SECRET_NAME = /(^|[^A-Za-z0-9])([A-Za-z_][A-Za-z0-9_.-]*?(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|SECRET_KEY|SECRET_ACCESS_KEY|ACCESS_KEY|TOKEN|API_?KEY|PRIVATE_?KEY))[ \t]*[:=][ \t]*\\?["']?([^\s"'\\]+)/gi;
const PLACEHOLDER = /^(true|false|null|none|yes|no|""|''|-)$/i;

/** A description of the first secret found in a user data script, if any. */
export function findUserDataSecret(text: string): string | undefined {
  const key = /\b((?:AKIA|ASIA)[A-Z0-9]{16})\b/.exec(text);
  if (key) return `the AWS access key ID ${key[1]!.slice(0, 8)}...`;
  if (/-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/.test(text)) return 'a private key';
  SECRET_NAME.lastIndex = 0;
  for (let m = SECRET_NAME.exec(text); m; m = SECRET_NAME.exec(text)) {
    const name = m[2]!, value = m[3]!;
    if (value.length < 4 || PLACEHOLDER.test(value)) continue;
    if (/^[$%<{(`/]/.test(value) || value.startsWith('arn:') || value.includes('${')) continue; // a reference, not a literal
    return `a hard-coded value for ${name}`;
  }
  return undefined;
}

function decodeBase64(s: string): string | undefined {
  const t = s.replace(/\s+/g, '');
  if (t.length < 8 || t.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(t)) return undefined;
  const out = Buffer.from(t, 'base64').toString('utf8');
  const printable = out.replace(/[^\x09\x0a\x0d\x20-\x7e]/g, '').length;
  return printable >= out.length * 0.9 ? out : undefined;
}

const userDataSecrets = terraformRule({
  id: 'aws-ec2-no-secrets-in-user-data',
  title: 'User data contains secrets',
  severity: 'critical',
  impact: 'User data is readable by anyone who can describe the instance or launch configuration and by every process on the instance through the metadata service: embedded keys and passwords leak.',
  remediation: 'Remove credentials from user data; give the instance an IAM role and read secrets at boot from Secrets Manager or SSM Parameter Store.',
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-add-user-data.html'],
  compliance: ['NIST 800-53 IA-5', 'PCI DSS 8.2.1'],
  equivalents: { trivy: ['AVD-AWS-0029', 'AVD-AWS-0129', 'AVD-AWS-0122'], checkov: ['CKV_AWS_46'], kics: ['d7b9d850-3e06-4a75-852f-c46c2e92240b'] },
  resources: ['aws_instance', 'aws_launch_template', 'aws_launch_configuration'],
  check(r, ctx) {
    for (const name of ['user_data', 'user_data_base64']) {
      const a = r.attr(name);
      if (!a) continue;
      const v = toStr(a.value);
      const texts: string[] = [];
      if (v !== undefined) {
        if (name === 'user_data') texts.push(v);
        const d = decodeBase64(v);
        if (d !== undefined) texts.push(d);
      } else if (name === 'user_data' && toList(a.value) === undefined) {
        // Not fully known (an interpolated template): literals in the source are still literals.
        texts.push(a.source);
      }
      for (const t of texts) {
        const found = findUserDataSecret(t);
        if (!found) continue;
        ctx.report({ at: a, message: `${r.address} ${name} contains ${found}.` });
        return;
      }
    }
  },
  examples: {
    bad: [
      'resource "aws_instance" "web" {\n  ami           = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  user_data     = <<-EOT\n    #!/bin/bash\n    export AWS_ACCESS_KEY_ID=AKIAZZZZZZZZZZZZZZZZ\n    aws s3 cp s3://bucket/app /opt/app\n  EOT\n}\n',
      'resource "aws_launch_configuration" "web" {\n  image_id      = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  user_data     = "#!/bin/bash\\nexport DB_PASSWORD=s3cr3t-Pa55\\n"\n}\n',
      'resource "aws_launch_template" "web" {\n  image_id  = "ami-0abcdef1234567890"\n  user_data = "ZXhwb3J0IEFQSV9UT0tFTj1hYmMxMjNkZWY0NTY="\n}\n',
    ],
    good: [
      'resource "aws_instance" "web" {\n  ami           = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  user_data     = <<-EOT\n    #!/bin/bash\n    export DB_PASSWORD=$(aws ssm get-parameter --name /app/db --with-decryption --query Parameter.Value --output text)\n  EOT\n}\n',
      'resource "aws_launch_template" "web" {\n  image_id  = "ami-0abcdef1234567890"\n  user_data = <<-EOT\n    #cloud-config\n    ssh_pwauth: false\n    chpasswd:\n      expire: false\n    runcmd:\n      - TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60")\n  EOT\n}\n',
      'variable "user_data" {}\nresource "aws_launch_template" "web" {\n  image_id  = "ami-0abcdef1234567890"\n  user_data = var.user_data\n}\n',
    ],
  },
});

// ---------------------------------------------------------------- AMI lookups

const amiOwners = terraformRule({
  id: 'aws-ami-specify-owners',
  title: 'AMI lookup does not restrict the image owner',
  severity: 'low',
  impact: 'A name-pattern lookup without owners can pick up a public AMI published by anyone with a matching name (the "whoAMI" attack), launching attacker-controlled images.',
  remediation: 'Set owners to the trusted account IDs or aliases (for example "amazon" or "099720109477").',
  references: [
    'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/ami#owners',
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-allowed-amis.html',
  ],
  compliance: ['NIST 800-53 SI-7'],
  equivalents: { trivy: ['AVD-AWS-0344'], checkov: ['CKV_AWS_386'] },
  resources: ['data.aws_ami'],
  check(r, ctx) {
    const a = r.attr('owners');
    if (a) {
      const l = toList(a.value);
      if (l === undefined || l.length > 0) return;
    }
    for (const f of r.blocks('filter')) {
      const n = f.get('name');
      if (f.dynamic || toStr(n) === undefined || toStr(n) === 'owner-id' || toStr(n) === 'owner-alias') return;
    }
    ctx.report({ at: a ?? r, message: `${r.address} looks up an AMI without owners, so an image published by any account can match.` });
  },
  examples: {
    bad: ['data "aws_ami" "app" {\n  most_recent = true\n  filter {\n    name   = "name"\n    values = ["app-server-*"]\n  }\n}\n'],
    good: [
      'data "aws_ami" "app" {\n  most_recent = true\n  owners      = ["123456789012"]\n  filter {\n    name   = "name"\n    values = ["app-server-*"]\n  }\n}\n',
      'variable "owners" {}\ndata "aws_ami" "app" {\n  most_recent = true\n  owners      = var.owners\n}\n',
    ],
  },
});

export const rules: Rule[] = [
  imdsv2, launchImdsv2, noPublicIp, launchConfigVolumes, instanceVolumes, ebsVolumeEncrypted, ebsVolumeCmk, ebsDefaultEncryption,
  userDataSecrets, amiOwners,
];
