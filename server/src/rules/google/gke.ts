import { insertIntoBlock, replaceAttributeValue, tfFix } from '../../engine/fix';
import { terraformRule, type Rule } from '../../engine/rule';
import type { TfBlock, TfResource } from '../../parse/terraform';
import { isObject, Ref, toStr } from '../../parse/values';
import { isPublicCidr } from '../util';
import { anchor, gBool, setFix } from './util';

const CLUSTER_REF = 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster';
const POOL_REF = 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_node_pool';
const HARDENING = 'https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster';

const cluster = (body: string) => `resource "google_container_cluster" "main" {\n  name     = "main"\n  location = "europe-west1"\n${body}}\n`;
const pool = (body: string) => `resource "google_container_node_pool" "workers" {\n  name    = "workers"\n  cluster = google_container_cluster.main.id\n${body}}\n`;

function autopilot(r: TfResource): boolean | undefined {
  const v = r.get('enable_autopilot');
  if (v === undefined || v === null) return false;
  return gBool(v);
}

/** The node configurations of a cluster or pool: node_config of the resource and of inline node_pool blocks. */
function nodeConfigs(r: TfResource): { owner: string; config: TfBlock | undefined; holder: TfBlock }[] {
  if (r.resourceType === 'google_container_node_pool') return [{ owner: r.address, config: r.block('node_config'), holder: r }];
  const out: { owner: string; config: TfBlock | undefined; holder: TfBlock }[] = [];
  const nc = r.block('node_config');
  if (nc) out.push({ owner: r.address, config: nc, holder: r });
  for (const p of r.blocks('node_pool')) {
    if (p.dynamic) continue;
    out.push({ owner: `${r.address} node_pool ${toStr(p.get('name')) ?? ''}`.trim(), config: p.block('node_config'), holder: p });
  }
  return out;
}

// ---------------------------------------------------------------- cluster settings

const ipAliasing = terraformRule({
  id: 'google-gke-ip-aliasing',
  title: 'GKE cluster is not VPC-native (no IP aliasing)',
  severity: 'low',
  impact: 'Routes-based clusters cannot use alias IP ranges, so pod traffic cannot be controlled by VPC firewall rules and private clusters and some network policies are unavailable.',
  remediation: 'Add an ip_allocation_policy block (VPC-native networking) to the cluster.',
  references: ['https://cloud.google.com/kubernetes-engine/docs/concepts/alias-ips', `${CLUSTER_REF}#ip_allocation_policy`],
  compliance: ['CIS GKE 5.6.2'],
  equivalents: { checkov: ['CKV_GCP_23'], trivy: ['AVD-GCP-0049'], kics: ['c606ba1d-d736-43eb-ac24-e16108f3a9e0'] },
  fixable: true,
  resources: ['google_container_cluster'],
  check(r, ctx) {
    if (autopilot(r) !== false) return;
    if (r.hasBlock('ip_allocation_policy') || r.has('ip_allocation_policy')) return;
    const mode = r.get('networking_mode');
    if (mode !== undefined && toStr(mode) !== 'ROUTES') return;
    ctx.report({
      at: r.attr('networking_mode') ?? r,
      message: `${r.address} has no ip_allocation_policy: it is a routes-based cluster without IP aliasing.`,
      fix: tfFix('Add ip_allocation_policy {}', insertIntoBlock(r, ['ip_allocation_policy {}'])),
    });
  },
  examples: {
    bad: [cluster('')],
    good: [cluster('  ip_allocation_policy {}\n'), cluster('  enable_autopilot = true\n'), 'variable "np" {}\n' + cluster('  networking_mode = var.np\n')],
  },
});

const DEFAULT_SA = /-compute@developer\.gserviceaccount\.com$/;

function missingSa(v: unknown): 'missing' | 'default' | undefined {
  if (v === undefined || v === null || v === '') return 'missing';
  if (typeof v === 'string' && DEFAULT_SA.test(v.trim())) return 'default';
  if (v instanceof Ref && v.address.startsWith('data.google_compute_default_service_account.')) return 'default';
  return undefined;
}

const nodeServiceAccount = terraformRule({
  id: 'google-gke-node-service-account',
  title: 'GKE nodes run as the Compute Engine default service account',
  severity: 'medium',
  impact: 'Nodes without a dedicated service account use the default compute account, which has Editor on the project: any pod that reaches the metadata server gets those rights.',
  remediation: 'Set node_config.service_account (and cluster_autoscaling.auto_provisioning_defaults.service_account) to a minimally privileged service account.',
  references: [`${HARDENING}#use_least_privilege_sa`, `${CLUSTER_REF}#service_account`],
  compliance: ['CIS GKE 5.2.1'],
  equivalents: { trivy: ['AVD-GCP-0050'], kics: ['1c8eef02-17b1-4a3e-b01d-dcc3292d2c38'] },
  resources: ['google_container_cluster', 'google_container_node_pool'],
  check(r, ctx) {
    if (r.resourceType === 'google_container_node_pool') {
      const nc = r.block('node_config');
      if (r.blocks('node_config').some((b) => b.dynamic)) return;
      const why = missingSa(nc?.get('service_account'));
      if (why) ctx.report({ at: nc ?? r, message: why === 'missing' ? `${r.address} sets no node_config.service_account: nodes use the default compute service account.` : `${r.address} runs nodes as the default compute service account.` });
      return;
    }
    const ap = autopilot(r);
    const autoscaling = r.block('cluster_autoscaling');
    const asEnabled = autoscaling ? gBool(autoscaling.get('enabled')) : false;
    if (ap === undefined) return;
    if (ap || asEnabled) {
      if (autoscaling && autoscaling.blocks('auto_provisioning_defaults').some((b) => b.dynamic)) return;
      const defaults = autoscaling?.block('auto_provisioning_defaults');
      const why = missingSa(defaults?.get('service_account'));
      if (why) {
        ctx.report({ at: defaults ?? autoscaling ?? r, message: `${r.address} has ${ap ? 'Autopilot' : 'node auto-provisioning'} without auto_provisioning_defaults.service_account: nodes use the default compute service account.` });
      }
      if (ap) return;
    }
    const rdp = r.get('remove_default_node_pool');
    if (gBool(rdp) === true || (rdp !== undefined && gBool(rdp) === undefined)) {
      // only the inline pools matter
    } else if (!(ap || asEnabled) || r.hasBlock('node_config')) {
      if (r.blocks('node_config').some((b) => b.dynamic)) return;
      const nc = r.block('node_config');
      const why = missingSa(nc?.get('service_account'));
      if (why) {
        ctx.report({ at: nc ?? r, message: why === 'missing' ? `${r.address} sets no node_config.service_account: the default node pool uses the default compute service account.` : `${r.address} runs the default node pool as the default compute service account.` });
        return;
      }
    }
    for (const p of r.blocks('node_pool')) {
      if (p.dynamic || p.blocks('node_config').some((b) => b.dynamic)) continue;
      const nc = p.block('node_config');
      const why = missingSa(nc?.get('service_account'));
      if (why) {
        ctx.report({ at: nc ?? p, message: `${r.address} has a node_pool without a dedicated service account.` });
        return;
      }
    }
  },
  examples: {
    bad: [
      cluster('  node_config {\n    machine_type = "e2-standard-4"\n  }\n'),
      cluster('  cluster_autoscaling {\n    enabled = true\n    auto_provisioning_defaults {\n      oauth_scopes = ["https://www.googleapis.com/auth/cloud-platform"]\n    }\n  }\n'),
      pool('  node_config {\n    service_account = "123456789012-compute@developer.gserviceaccount.com"\n  }\n'),
    ],
    good: [
      cluster('  node_config {\n    service_account = google_service_account.nodes.email\n  }\n'),
      cluster('  remove_default_node_pool = true\n  initial_node_count       = 1\n'),
      pool('  node_config {\n    service_account = "gke-nodes@example-project.iam.gserviceaccount.com"\n  }\n'),
      'variable "sa" {}\n' + pool('  node_config {\n    service_account = var.sa\n  }\n'),
    ],
  },
});

const labels = terraformRule({
  id: 'google-gke-cluster-labels',
  title: 'GKE cluster has no resource labels',
  severity: 'low',
  impact: 'Unlabelled clusters are hard to attribute to an owner, environment or cost centre, which slows incident response and lets forgotten clusters linger.',
  remediation: 'Set resource_labels on the cluster (for example env, team, owner).',
  references: ['https://cloud.google.com/kubernetes-engine/docs/how-to/creating-managing-labels', `${CLUSTER_REF}#resource_labels`],
  compliance: ['NIST 800-53 CM-8'],
  equivalents: { checkov: ['CKV_GCP_21'], trivy: ['AVD-GCP-0051'], kics: ['65c1bc7a-4835-4ac4-a2b6-13d310b0648d'] },
  resources: ['google_container_cluster'],
  check(r, ctx) {
    const v = r.get('resource_labels');
    if (v !== undefined && v !== null && !(isObject(v) && Object.keys(v).length === 0)) return;
    ctx.report({ at: r.attr('resource_labels') ?? r, message: `${r.address} has no resource_labels.` });
  },
  examples: {
    bad: [cluster(''), cluster('  resource_labels = {}\n')],
    good: [cluster('  resource_labels = {\n    env = "prod"\n  }\n'), 'variable "labels" {}\n' + cluster('  resource_labels = var.labels\n')],
  },
});

function serviceRule(id: string, attr: string, good: string, legacy: string, what: string, trivy: string, checkov: string, kics: string, impact: string): Rule {
  return terraformRule({
    id,
    title: `GKE cluster does not use Cloud ${what} for Kubernetes`,
    severity: 'low',
    impact,
    remediation: `Set ${attr} = "${good}" (the default) on the cluster.`,
    references: ['https://cloud.google.com/stackdriver/docs/solutions/gke', `${CLUSTER_REF}#${attr}`],
    compliance: ['CIS GKE 5.7.1'],
    equivalents: { checkov: [checkov], trivy: [trivy], kics: [kics] },
    fixable: true,
    resources: ['google_container_cluster'],
    check(r, ctx) {
      const v = r.get(attr);
      if (v === undefined || v === null) return;
      const s = toStr(v);
      if (s === undefined || s === good) return;
      ctx.report({ at: r.attr(attr)!, message: `${r.address} sets ${attr} = "${s}"${s === legacy ? ' (legacy, without Kubernetes resources)' : ''}.`, fix: setFix(r, [], attr, `"${good}"`) });
    },
    examples: {
      bad: [cluster(`  ${attr} = "${legacy}"\n`), cluster(`  ${attr} = "none"\n`)],
      good: [cluster(`  ${attr} = "${good}"\n`), cluster(''), `variable "s" {}\n${cluster(`  ${attr} = var.s\n`)}`],
    },
  });
}

const monitoring = serviceRule('google-gke-monitoring', 'monitoring_service', 'monitoring.googleapis.com/kubernetes', 'monitoring.googleapis.com', 'Monitoring',
  'AVD-GCP-0052', 'CKV_GCP_8', '30e8dfd2-3591-4d19-8d11-79e93106c93d',
  'Without Kubernetes-aware monitoring, abnormal resource use by a compromised workload (such as crypto-mining) goes unnoticed.');
const logging = serviceRule('google-gke-logging', 'logging_service', 'logging.googleapis.com/kubernetes', 'logging.googleapis.com', 'Logging',
  'AVD-GCP-0060', 'CKV_GCP_1', '4c7ebcb2-eae2-461e-bc83-456ee2d4f694',
  'Without Kubernetes-aware logging, container and control-plane logs needed to investigate an incident are not collected.');

const noPublicControlPlane = terraformRule({
  id: 'google-gke-no-public-control-plane',
  title: 'GKE control plane is reachable from any IP address',
  severity: 'high',
  impact: 'An authorized network of 0.0.0.0/0 lets anyone on the internet reach the Kubernetes API server and attack its authentication or exploit API server vulnerabilities.',
  remediation: 'Remove 0.0.0.0/0 from master_authorized_networks_config.cidr_blocks and list only the ranges that administer the cluster.',
  references: ['https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks', `${CLUSTER_REF}#master_authorized_networks_config`],
  compliance: ['CIS GKE 5.6.3'],
  equivalents: { checkov: ['CKV_GCP_18'], trivy: ['AVD-GCP-0053'] },
  resources: ['google_container_cluster'],
  check(r, ctx) {
    for (const m of r.blocks('master_authorized_networks_config')) {
      for (const c of m.blocks('cidr_blocks')) {
        const v = c.get('cidr_block');
        if (isPublicCidr(v)) ctx.report({ at: c.attr('cidr_block') ?? c, message: `${r.address} authorizes ${toStr(v)} to reach the control plane.` });
      }
    }
  },
  examples: {
    bad: [cluster('  master_authorized_networks_config {\n    cidr_blocks {\n      cidr_block   = "0.0.0.0/0"\n      display_name = "all"\n    }\n  }\n')],
    good: [cluster('  master_authorized_networks_config {\n    cidr_blocks {\n      cidr_block   = "10.0.0.0/8"\n      display_name = "corp"\n    }\n  }\n'), 'variable "c" {}\n' + cluster('  master_authorized_networks_config {\n    cidr_blocks {\n      cidr_block = var.c\n    }\n  }\n')],
  },
});

const COS = new Set(['cos', 'cos_containerd']);

const cosImage = terraformRule({
  id: 'google-gke-cos-node-image',
  title: 'GKE nodes do not use Container-Optimized OS',
  severity: 'low',
  impact: 'General-purpose node images have a larger attack surface (package manager, writable root) than Container-Optimized OS, which is locked down and patched by Google.',
  remediation: 'Set node_config.image_type = "COS_CONTAINERD".',
  references: ['https://cloud.google.com/kubernetes-engine/docs/concepts/node-images', `${POOL_REF}#image_type`],
  compliance: ['CIS GKE 5.5.1'],
  equivalents: { checkov: ['CKV_GCP_22'], trivy: ['AVD-GCP-0054'], kics: ['8a893e46-e267-485a-8690-51f39951de58'] },
  fixable: true,
  resources: ['google_container_cluster', 'google_container_node_pool'],
  check(r, ctx) {
    for (const { owner, config } of nodeConfigs(r)) {
      if (!config || config.dynamic) continue;
      const a = config.attr('image_type');
      const s = toStr(a?.value);
      if (!a || s === undefined || s === '' || COS.has(s.toLowerCase())) continue;
      ctx.report({ at: a, message: `${owner} uses the node image "${s}" instead of Container-Optimized OS.`, fix: tfFix('Use COS_CONTAINERD', replaceAttributeValue(a, '"COS_CONTAINERD"')) });
    }
  },
  examples: {
    bad: [pool('  node_config {\n    machine_type = "e2-standard-4"\n    image_type   = "UBUNTU_CONTAINERD"\n  }\n'), cluster('  node_config {\n    image_type = "WINDOWS_LTSC_CONTAINERD"\n  }\n')],
    good: [pool('  node_config {\n    image_type = "COS_CONTAINERD"\n  }\n'), pool('  node_config {\n    machine_type = "e2-standard-4"\n  }\n'), 'variable "img" {}\n' + pool('  node_config {\n    image_type = var.img\n  }\n')],
  },
});

const shieldedNodes = terraformRule({
  id: 'google-gke-shielded-nodes',
  title: 'GKE cluster has Shielded GKE Nodes disabled',
  severity: 'high',
  impact: 'Without Shielded GKE Nodes, an attacker who extracts node credentials can impersonate a node and join the cluster, and boot-level tampering is not detected.',
  remediation: 'Set enable_shielded_nodes = true (the default) on the cluster.',
  references: ['https://cloud.google.com/kubernetes-engine/docs/how-to/shielded-gke-nodes', `${CLUSTER_REF}#enable_shielded_nodes`],
  compliance: ['CIS GKE 5.5.5'],
  equivalents: { checkov: ['CKV_GCP_71'], trivy: ['AVD-GCP-0055'], kics: ['579a0727-9c29-4d58-8195-fc5802a8bdb4'] },
  fixable: true,
  resources: ['google_container_cluster'],
  check(r, ctx) {
    const v = r.get('enable_shielded_nodes');
    if (gBool(v) !== false) return;
    ctx.report({ at: r.attr('enable_shielded_nodes')!, message: `${r.address} sets enable_shielded_nodes = false.`, fix: setFix(r, [], 'enable_shielded_nodes', 'true') });
  },
  examples: {
    bad: [cluster('  enable_shielded_nodes = false\n')],
    good: [cluster('  enable_shielded_nodes = true\n'), cluster(''), 'variable "s" {}\n' + cluster('  enable_shielded_nodes = var.s\n')],
  },
});

const networkPolicy = terraformRule({
  id: 'google-gke-network-policy',
  title: 'GKE cluster does not enforce network policies',
  severity: 'medium',
  impact: 'Without network policy enforcement every pod can reach every other pod, so one compromised workload can attack all services in the cluster.',
  remediation: 'Enable Dataplane V2 (datapath_provider = "ADVANCED_DATAPATH") or set network_policy { enabled = true } (with the network_policy_config add-on).',
  references: ['https://cloud.google.com/kubernetes-engine/docs/how-to/network-policy', `${CLUSTER_REF}#network_policy`],
  compliance: ['CIS GKE 5.6.7'],
  equivalents: { checkov: ['CKV_GCP_12'], trivy: ['AVD-GCP-0056'], kics: ['11e7550e-c4b6-472e-adff-c698f157cdd7'] },
  fixable: true,
  resources: ['google_container_cluster'],
  check(r, ctx) {
    if (autopilot(r) !== false) return;
    const dp = r.get('datapath_provider');
    if (dp !== undefined && toStr(dp) !== 'LEGACY_DATAPATH' && toStr(dp) !== 'DATAPATH_PROVIDER_UNSPECIFIED') return;
    if (r.blocks('network_policy').some((b) => b.dynamic)) return;
    const v = r.getPath('network_policy', 'enabled');
    if (v !== undefined && gBool(v) !== false) return;
    ctx.report({
      at: anchor(r, ['network_policy'], 'enabled'),
      message: v === undefined ? `${r.address} enables neither network_policy nor Dataplane V2.` : `${r.address} sets network_policy.enabled = false and does not use Dataplane V2.`,
      fix: setFix(r, ['network_policy'], 'enabled', 'true'),
    });
  },
  examples: {
    bad: [cluster('  network_policy {\n    enabled = false\n  }\n'), cluster('')],
    good: [cluster('  network_policy {\n    enabled = true\n  }\n'), cluster('  datapath_provider = "ADVANCED_DATAPATH"\n'), cluster('  enable_autopilot = true\n'), 'variable "e" {}\n' + cluster('  network_policy {\n    enabled = var.e\n  }\n')],
  },
});

const EXPOSING = new Set(['GCE_METADATA', 'EXPOSE', 'UNSPECIFIED', 'MODE_UNSPECIFIED']);

const metadataConcealment = terraformRule({
  id: 'google-gke-node-metadata-concealment',
  title: 'GKE node pool exposes the node metadata server to pods',
  severity: 'high',
  impact: 'Pods can read the node metadata server, including the node service account token and kubelet credentials, and use them to escalate to the node and the project.',
  remediation: 'Set node_config.workload_metadata_config.mode = "GKE_METADATA" (Workload Identity).',
  references: ['https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity', `${POOL_REF}#workload_metadata_config`],
  compliance: ['CIS GKE 5.4.1', 'CIS GKE 5.4.2'],
  equivalents: { checkov: ['CKV_GCP_69'], trivy: ['AVD-GCP-0057'] },
  fixable: true,
  resources: ['google_container_cluster', 'google_container_node_pool'],
  check(r, ctx) {
    for (const { owner, config } of nodeConfigs(r)) {
      if (!config) continue;
      for (const w of config.blocks('workload_metadata_config')) {
        for (const name of ['mode', 'node_metadata']) {
          const a = w.attr(name);
          const s = toStr(a?.value);
          if (!a || s === undefined || !EXPOSING.has(s.toUpperCase())) continue;
          const good = name === 'mode' ? '"GKE_METADATA"' : '"GKE_METADATA_SERVER"';
          ctx.report({ at: a, message: `${owner} sets workload_metadata_config.${name} = "${s}": pods can read the node metadata.`, fix: tfFix(`Set ${name} = ${good}`, replaceAttributeValue(a, good)) });
        }
      }
    }
  },
  examples: {
    bad: [pool('  node_config {\n    workload_metadata_config {\n      mode = "GCE_METADATA"\n    }\n  }\n'), cluster('  node_config {\n    workload_metadata_config {\n      node_metadata = "EXPOSE"\n    }\n  }\n')],
    good: [pool('  node_config {\n    workload_metadata_config {\n      mode = "GKE_METADATA"\n    }\n  }\n'), 'variable "m" {}\n' + pool('  node_config {\n    workload_metadata_config {\n      mode = var.m\n    }\n  }\n')],
  },
});

function managementRule(id: string, attr: string, what: string, trivy: string, checkov: string, kics: string, cis: string, impact: string): Rule {
  return terraformRule({
    id,
    title: `GKE node pool has ${what} disabled`,
    severity: 'low',
    impact,
    remediation: `Set management { ${attr} = true } on the node pool (the default).`,
    references: [`${POOL_REF}#management`, attr === 'auto_upgrade' ? 'https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-upgrades' : 'https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-repair'],
    compliance: [cis],
    equivalents: { checkov: [checkov], trivy: [trivy], kics: [kics] },
    fixable: true,
    resources: ['google_container_node_pool', 'google_container_cluster'],
    check(r, ctx) {
      const holders: { owner: string; b: TfBlock }[] = r.resourceType === 'google_container_node_pool'
        ? [{ owner: r.address, b: r }]
        : r.blocks('node_pool').filter((p) => !p.dynamic).map((p) => ({ owner: `${r.address} node_pool ${toStr(p.get('name')) ?? ''}`.trim(), b: p }));
      for (const { owner, b } of holders) {
        const a = b.block('management')?.attr(attr);
        if (!a || gBool(a.value) !== false) continue;
        ctx.report({ at: a, message: `${owner} sets management.${attr} = false.`, fix: tfFix(`Set ${attr} = true`, replaceAttributeValue(a, 'true')) });
      }
    },
    examples: {
      bad: [pool(`  management {\n    ${attr} = false\n  }\n`)],
      good: [pool(`  management {\n    ${attr} = true\n  }\n`), pool(''), `variable "x" {}\n${pool(`  management {\n    ${attr} = var.x\n  }\n`)}`],
    },
  });
}

const autoUpgrade = managementRule('google-gke-node-auto-upgrade', 'auto_upgrade', 'automatic upgrades', 'AVD-GCP-0058', 'CKV_GCP_10', 'b139213e-7d24-49c2-8025-c18faa21ecaa', 'CIS GKE 5.5.3',
  'Nodes that are not upgraded automatically keep running Kubernetes and OS versions with known vulnerabilities.');
const autoRepair = managementRule('google-gke-node-auto-repair', 'auto_repair', 'automatic repair', 'AVD-GCP-0063', 'CKV_GCP_9', 'acfdbec6-4a17-471f-b412-169d77553332', 'CIS GKE 5.5.2',
  'Unhealthy nodes are not repaired automatically, degrading availability and leaving broken nodes (and their workloads) in a bad state.');

const privateNodes = terraformRule({
  id: 'google-gke-private-nodes',
  title: 'GKE cluster nodes have public IP addresses',
  severity: 'medium',
  impact: 'Nodes with external IPs are reachable from the internet, so a firewall mistake exposes the kubelet and node services directly.',
  remediation: 'Set private_cluster_config { enable_private_nodes = true } (and a master_ipv4_cidr_block) and use Cloud NAT for egress.',
  references: ['https://cloud.google.com/kubernetes-engine/docs/how-to/private-clusters', `${CLUSTER_REF}#private_cluster_config`],
  compliance: ['CIS GKE 5.6.5'],
  equivalents: { checkov: ['CKV_GCP_64'], trivy: ['AVD-GCP-0059'] },
  resources: ['google_container_cluster'],
  check(r, ctx) {
    if (r.blocks('private_cluster_config').some((b) => b.dynamic) || r.has('private_cluster_config')) return;
    const v = r.getPath('private_cluster_config', 'enable_private_nodes');
    if (v !== undefined && gBool(v) !== false) return;
    // Newer provider versions: network_config / default_enable_private_nodes.
    const alt = r.getPath('node_pool_defaults', 'node_config_defaults', 'network_config', 'enable_private_nodes') ?? r.get('default_enable_private_nodes');
    if (alt !== undefined && gBool(alt) !== false) return;
    ctx.report({
      at: anchor(r, ['private_cluster_config'], 'enable_private_nodes'),
      message: v === undefined ? `${r.address} does not enable private nodes: nodes get public IPs.` : `${r.address} sets private_cluster_config.enable_private_nodes = false.`,
    });
  },
  examples: {
    bad: [cluster('  private_cluster_config {\n    enable_private_nodes = false\n  }\n'), cluster('')],
    good: [cluster('  private_cluster_config {\n    enable_private_nodes    = true\n    master_ipv4_cidr_block = "172.16.0.0/28"\n  }\n'), 'variable "p" {}\n' + cluster('  private_cluster_config {\n    enable_private_nodes = var.p\n  }\n')],
  },
});

const masterNetworks = terraformRule({
  id: 'google-gke-master-authorized-networks',
  title: 'GKE cluster does not restrict control plane access with authorized networks',
  severity: 'high',
  impact: 'Without master authorized networks the Kubernetes API endpoint accepts connections from any IP address, exposing it to credential attacks and API server exploits.',
  remediation: 'Add a master_authorized_networks_config block listing the CIDR ranges allowed to reach the control plane.',
  references: ['https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks', `${CLUSTER_REF}#master_authorized_networks_config`],
  compliance: ['CIS GKE 5.6.3'],
  equivalents: { checkov: ['CKV_GCP_20'], trivy: ['AVD-GCP-0061'] },
  resources: ['google_container_cluster'],
  check(r, ctx) {
    if (r.hasBlock('master_authorized_networks_config') || r.has('master_authorized_networks_config')) return;
    ctx.report({ at: r, message: `${r.address} has no master_authorized_networks_config: the control plane accepts connections from any IP.` });
  },
  examples: {
    bad: [cluster('')],
    good: [cluster('  master_authorized_networks_config {\n    cidr_blocks {\n      cidr_block   = "10.0.0.0/8"\n      display_name = "corp"\n    }\n  }\n')],
  },
});

const noLegacyAbac = terraformRule({
  id: 'google-gke-no-legacy-abac',
  title: 'GKE cluster enables legacy ABAC authorization',
  severity: 'high',
  impact: 'Legacy ABAC grants broad, statically configured permissions that bypass RBAC, so service accounts and users can get far more access than intended.',
  remediation: 'Set enable_legacy_abac = false (the default) and use RBAC.',
  references: [`${HARDENING}#leave_abac_disabled_default_for_110`, `${CLUSTER_REF}#enable_legacy_abac`],
  compliance: ['CIS GKE 5.8.3'],
  equivalents: { checkov: ['CKV_GCP_7'], trivy: ['AVD-GCP-0062'], kics: ['5baa92d2-d8ee-4c75-88a4-52d9d8bb8067'] },
  fixable: true,
  resources: ['google_container_cluster'],
  check(r, ctx) {
    if (gBool(r.get('enable_legacy_abac')) !== true) return;
    ctx.report({ at: r.attr('enable_legacy_abac')!, message: `${r.address} sets enable_legacy_abac = true.`, fix: setFix(r, [], 'enable_legacy_abac', 'false') });
  },
  examples: {
    bad: [cluster('  enable_legacy_abac = true\n')],
    good: [cluster('  enable_legacy_abac = false\n'), cluster(''), 'variable "a" {}\n' + cluster('  enable_legacy_abac = var.a\n')],
  },
});

const noLegacyAuth = terraformRule({
  id: 'google-gke-no-legacy-auth',
  title: 'GKE cluster enables basic authentication or client certificates',
  severity: 'high',
  impact: 'Static passwords and long-lived client certificates cannot be revoked individually and are not tied to IAM identities; a leaked credential gives lasting cluster-admin access.',
  remediation: 'Remove master_auth username/password and set client_certificate_config.issue_client_certificate = false; authenticate with IAM/OAuth.',
  references: [`${HARDENING}#restrict_authn_methods`, `${CLUSTER_REF}#master_auth`],
  compliance: ['CIS GKE 5.8.1', 'CIS GKE 5.8.2'],
  equivalents: { trivy: ['AVD-GCP-0064'], kics: ['73fb21a1-b19a-45b1-b648-b47b1678681e'] },
  fixable: true,
  resources: ['google_container_cluster'],
  check(r, ctx) {
    for (const m of r.blocks('master_auth')) {
      if (m.dynamic) continue;
      const cert = m.block('client_certificate_config')?.attr('issue_client_certificate');
      if (cert && gBool(cert.value) === true) {
        ctx.report({ at: cert, message: `${r.address} issues client certificates for master authentication.`, fix: tfFix('Set issue_client_certificate = false', replaceAttributeValue(cert, 'false')) });
      }
      const user = m.attr('username');
      const u = toStr(user?.value);
      if (user && u !== undefined && u !== '') {
        const pw = m.attr('password');
        ctx.report({
          at: user,
          message: `${r.address} enables basic authentication (master_auth.username = "${u}").`,
          fix: tfFix('Clear username and password', replaceAttributeValue(user, '""'), ...(pw ? [replaceAttributeValue(pw, '""')] : [])),
        });
      }
    }
  },
  examples: {
    bad: [
      cluster('  master_auth {\n    client_certificate_config {\n      issue_client_certificate = true\n    }\n  }\n'),
      cluster('  master_auth {\n    username = "admin"\n    password = "correct-horse-battery-staple"\n  }\n'),
    ],
    good: [
      cluster('  master_auth {\n    client_certificate_config {\n      issue_client_certificate = false\n    }\n  }\n'),
      cluster(''),
      'variable "u" {}\n' + cluster('  master_auth {\n    username = var.u\n  }\n'),
    ],
  },
});


const workloadIdentity = terraformRule({
  id: 'google-gke-workload-identity',
  title: 'GKE cluster does not enable Workload Identity',
  severity: 'medium',
  impact: 'Without Workload Identity, pods use the node service account (or exported keys) to call Google APIs, so every pod on a node shares the same, usually broad, cloud permissions.',
  remediation: 'Add workload_identity_config { workload_pool = "<project>.svc.id.goog" } to the cluster and run node pools with the GKE metadata server.',
  references: ['https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity', `${CLUSTER_REF}#workload_identity_config`],
  compliance: ['CIS GKE 5.2.2'],
  equivalents: {},
  resources: ['google_container_cluster'],
  check(r, ctx) {
    if (autopilot(r) !== false) return; // Autopilot always uses Workload Identity
    const blocks = r.blocks('workload_identity_config');
    if (blocks.some((b) => b.dynamic) || r.has('workload_identity_config')) return;
    const pool = r.getPath('workload_identity_config', 'workload_pool') ?? r.getPath('workload_identity_config', 'identity_namespace');
    if (pool !== undefined && pool !== null && pool !== '') return;
    ctx.report({ at: blocks[0] ?? r, message: `${r.address} has no workload_identity_config.workload_pool: pods use the node service account.` });
  },
  examples: {
    bad: [cluster(''), cluster('  workload_identity_config {\n    workload_pool = ""\n  }\n')],
    good: [cluster('  workload_identity_config {\n    workload_pool = "example-prod.svc.id.goog"\n  }\n'), cluster('  enable_autopilot = true\n'), 'variable "pool" {}\n' + cluster('  workload_identity_config {\n    workload_pool = var.pool\n  }\n')],
  },
});

export const rules: Rule[] = [
  ipAliasing, nodeServiceAccount, labels, monitoring, logging, noPublicControlPlane, cosImage, shieldedNodes,
  networkPolicy, workloadIdentity, metadataConcealment, autoUpgrade, autoRepair, privateNodes, masterNetworks, noLegacyAbac, noLegacyAuth,
];
