import { setYamlPath, yamlFix } from '../../engine/fix';
import { kubernetesRule, terraformRule, type Rule } from '../../engine/rule';
import { WORKLOAD_KINDS, type K8sObject } from '../../parse/kubernetes';
import type { TfBlock } from '../../parse/terraform';
import type { YNode } from '../../parse/yaml';
import { isPublicCidr } from '../util';
import { at, items, labels, mapGet, mapPair, objName, str } from './util';

const NP_DOC = 'https://kubernetes.io/docs/concepts/services-networking/network-policies/';

// ---------------------------------------------------------------- NetworkPolicy selectors

const has = (n: YNode | null | undefined, key: string) => mapPair(n, key) !== undefined;

function hasSelector(spec: YNode | null | undefined): boolean {
  if (has(spec, 'podSelector') || has(spec, 'namespaceSelector')) return true;
  for (const r of items(mapGet(spec, 'ingress'))) for (const f of items(mapGet(r, 'from'))) if (has(f, 'podSelector') || has(f, 'namespaceSelector')) return true;
  for (const r of items(mapGet(spec, 'egress'))) for (const t of items(mapGet(r, 'to'))) if (has(t, 'podSelector') || has(t, 'namespaceSelector')) return true;
  return false;
}

const npSelector = kubernetesRule({
  id: 'k8s-network-policy-pod-selector',
  title: 'NetworkPolicy does not select pods',
  severity: 'medium',
  impact: 'A NetworkPolicy without a podSelector (or namespace/peer selectors) does not say which pods it isolates, so the intended traffic restrictions may not apply where expected.',
  remediation: 'Set `spec.podSelector` (use `{}` to select every pod of the namespace) and peer selectors in the ingress/egress rules.',
  references: [NP_DOC, 'https://kubernetes.io/docs/tasks/administer-cluster/declare-network-policy/'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: { trivy: ['AVD-KSV-0038'] },
  fixable: true,
  kinds: ['NetworkPolicy'],
  check(obj, ctx) {
    const spec = mapGet(obj.root, 'spec');
    if (spec && spec.t !== 'map') return;
    if (hasSelector(spec)) return;
    ctx.report({
      at: mapPair(obj.root, 'spec') ?? mapPair(obj.root, 'kind') ?? obj.root,
      message: `NetworkPolicy ${obj.name} has no podSelector or namespaceSelector.`,
      fix: yamlFix('Add podSelector: {} (every pod of the namespace)', setYamlPath(obj.file, obj.root, ['spec', 'podSelector'], '{}')),
    });
  },
  examples: {
    bad: [
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  policyTypes: [Ingress]\n',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n',
    ],
    good: [
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db\nspec:\n  podSelector:\n    matchLabels:\n      role: db\n  policyTypes: [Ingress]\n',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-all\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n',
    ],
  },
});

// ---------------------------------------------------------------- ingress-nginx annotations

const NGINX_URL_ANNOTATIONS = ['nginx.ingress.kubernetes.io/auth-url', 'nginx.ingress.kubernetes.io/mirror-target', 'nginx.ingress.kubernetes.io/mirror-host'];
const NGINX_CN_ANNOTATION = 'nginx.ingress.kubernetes.io/auth-tls-match-cn';
const URL_INJECTION = /https?:\/\/[^\s<>"{}|^`\\\r\n]*[\r\n<>"{}|^`\\]/;
const CN_INJECTION = /CN=.*[\r\n#{};|]/;

const nginxAnnotations = kubernetesRule({
  id: 'k8s-ingress-nginx-annotation-injection',
  title: 'ingress-nginx annotation contains injection characters',
  severity: 'critical',
  impact: 'ingress-nginx copies these annotations into its nginx configuration: line breaks, `;`, `#`, `{`, `|` and similar characters inject configuration (CVE-2025-1097/1098/24514), leading to code execution in the controller and theft of all cluster secrets it can read.',
  remediation: 'Use only plain URLs in auth-url/mirror-* and a simple CN=... value in auth-tls-match-cn; upgrade ingress-nginx to a patched version.',
  references: ['https://github.com/kubernetes/kubernetes/issues/131006', 'https://github.com/kubernetes/kubernetes/issues/131007', 'https://github.com/kubernetes/kubernetes/issues/131008'],
  compliance: ['NIST 800-53 SI-10'],
  equivalents: { trivy: ['AVD-KCV-0093'] },
  kinds: ['Ingress'],
  check(obj, ctx) {
    const ann = at(obj.root, 'metadata', 'annotations');
    if (ann?.t !== 'map') return;
    for (const p of ann.pairs) {
      const v = str(p.value);
      if (v === undefined) continue;
      const bad = NGINX_URL_ANNOTATIONS.includes(p.key) ? URL_INJECTION.test(v) : p.key === NGINX_CN_ANNOTATION ? CN_INJECTION.test(v) : false;
      if (!bad) continue;
      ctx.report({ at: p, message: `Ingress ${obj.name} has a ${p.key} annotation with characters that inject nginx configuration: ${JSON.stringify(v)}.` });
    }
  },
  examples: {
    bad: [
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app\n  annotations:\n    nginx.ingress.kubernetes.io/auth-url: |-\n      http://auth.example.com/verify;\n      load_module /tmp/x.so;\nspec:\n  ingressClassName: nginx\n',
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app\n  annotations:\n    nginx.ingress.kubernetes.io/auth-tls-match-cn: "CN=client}\\n#"\nspec:\n  ingressClassName: nginx\n',
    ],
    good: [
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app\n  annotations:\n    nginx.ingress.kubernetes.io/auth-url: https://auth.example.com/verify\n    nginx.ingress.kubernetes.io/auth-tls-match-cn: CN=client\nspec:\n  ingressClassName: nginx\n',
    ],
  },
});

const nginxSnippets = kubernetesRule({
  id: 'k8s-ingress-nginx-no-snippets',
  title: 'Ingress uses ingress-nginx configuration snippets',
  severity: 'medium',
  impact: 'Snippet annotations insert raw nginx configuration: anyone who can edit an Ingress can run Lua code or read files in the controller, which holds the TLS keys and a token able to read every Secret of the cluster (CVE-2021-25742).',
  remediation: 'Remove the `*-snippet` annotations and use dedicated annotations or the controller ConfigMap; keep `allow-snippet-annotations` disabled.',
  references: ['https://github.com/kubernetes/ingress-nginx/issues/7837', 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/'],
  compliance: ['NIST 800-53 CM-7'],
  equivalents: { checkov: ['CKV_K8S_153'] },
  kinds: ['Ingress'],
  check(obj, ctx) {
    const ann = at(obj.root, 'metadata', 'annotations');
    if (ann?.t !== 'map') return;
    for (const p of ann.pairs) {
      if (!p.key.includes('snippet')) continue;
      ctx.report({ at: p, message: `Ingress ${obj.name} sets the snippet annotation ${p.key}.` });
    }
  },
  examples: {
    bad: ['apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app\n  annotations:\n    nginx.ingress.kubernetes.io/configuration-snippet: |\n      more_set_headers "X-Frame-Options: DENY";\nspec:\n  ingressClassName: nginx\n'],
    good: ['apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app\n  annotations:\n    nginx.ingress.kubernetes.io/ssl-redirect: "true"\nspec:\n  ingressClassName: nginx\n'],
  },
});

// ---------------------------------------------------------------- Services

const INTERNAL_LB_ANNOTATIONS: [string, RegExp][] = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', /^(true|0\.0\.0\.0\/0)$/i],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', /^internal$/i],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', /^true$/i],
  ['networking.gke.io/load-balancer-type', /^internal$/i],
  ['cloud.google.com/load-balancer-type', /^internal$/i],
  ['service.kubernetes.io/oci-load-balancer-internal', /^true$/i],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', /^true$/i],
  ['service.beta.kubernetes.io/openstack-internal-load-balancer', /^true$/i],
  ['service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type', /^intranet$/i],
];

const service = (spec: string, ann = '') => `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
${ann}spec:
  selector:
    app: web
  ports:
    - port: 443
      targetPort: 8443
${spec}`;

const publicLb = kubernetesRule({
  id: 'k8s-service-public-load-balancer',
  title: 'LoadBalancer Service is open to the internet',
  severity: 'medium',
  impact: 'A LoadBalancer Service without source ranges gets a public address reachable from anywhere, exposing the pods behind it to scanning and attacks.',
  remediation: 'Restrict `spec.loadBalancerSourceRanges` to known CIDRs, or make the load balancer internal with the cloud provider annotation.',
  references: ['https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer', 'https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: {},
  kinds: ['Service'],
  check(obj, ctx) {
    const spec = mapGet(obj.root, 'spec');
    const typeNode = mapGet(spec, 'type');
    if (str(typeNode) !== 'LoadBalancer') return;
    const ann = at(obj.root, 'metadata', 'annotations');
    if (INTERNAL_LB_ANNOTATIONS.some(([k, re]) => re.test(str(mapGet(ann, k)) ?? ''))) return;
    const rangesNode = mapGet(spec, 'loadBalancerSourceRanges');
    if (rangesNode && rangesNode.t !== 'seq') return; // a placeholder
    const ranges = items(rangesNode).map((i) => str(i) ?? '');
    const srcAnn = str(mapGet(ann, 'service.beta.kubernetes.io/load-balancer-source-ranges'));
    const all = ranges.length ? ranges : srcAnn ? srcAnn.split(',').map((s) => s.trim()) : [];
    const open = all.length === 0 || all.some((r) => r === '0.0.0.0/0' || r === '::/0');
    if (!open) return;
    ctx.report({
      at: typeNode!,
      message: all.length
        ? `Service ${obj.name} is a LoadBalancer open to ${all.filter((r) => r === '0.0.0.0/0' || r === '::/0').join(', ')}.`
        : `Service ${obj.name} is a LoadBalancer without loadBalancerSourceRanges: it is reachable from the internet.`,
    });
  },
  examples: {
    bad: [service('  type: LoadBalancer\n'), service('  type: LoadBalancer\n  loadBalancerSourceRanges: ["0.0.0.0/0"]\n')],
    good: [
      service('  type: LoadBalancer\n  loadBalancerSourceRanges:\n    - 203.0.113.0/24\n'),
      service('  type: LoadBalancer\n', '  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-scheme: internal\n'),
      service('  type: ClusterIP\n'),
    ],
  },
});

const nodePort = kubernetesRule({
  id: 'k8s-service-no-node-port',
  title: 'Service is exposed on every node with NodePort',
  severity: 'low',
  impact: 'A NodePort opens the port on every node address, bypassing ingress controllers and load balancer firewalls; nodes are often reachable from wider networks than intended.',
  remediation: 'Use a ClusterIP Service behind an Ingress, or an internal LoadBalancer.',
  references: ['https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport'],
  compliance: ['NIST 800-53 SC-7'],
  equivalents: {},
  kinds: ['Service'],
  check(obj, ctx) {
    const typeNode = at(obj.root, 'spec', 'type');
    if (str(typeNode) !== 'NodePort') return;
    ctx.report({ at: typeNode!, message: `Service ${obj.name} has type NodePort and is exposed on every node.` });
  },
  examples: {
    bad: [service('  type: NodePort\n')],
    good: [service('  type: ClusterIP\n'), service('')],
  },
});

// ---------------------------------------------------------------- NetworkPolicy coverage

/** Whether a label selector (matchLabels / matchExpressions) selects these labels; undefined when unknown. */
export function selects(selector: YNode | null | undefined, l: Record<string, string>): boolean | undefined {
  if (selector === undefined || selector === null) return true; // an absent podSelector selects every pod
  if (selector.t === 'scalar') return selector.value === null ? true : undefined;
  if (selector.t !== 'map') return undefined;
  const ml = mapGet(selector, 'matchLabels');
  if (ml?.t === 'map') for (const p of ml.pairs) if (l[p.key] !== str(p.value)) return false;
  for (const e of items(mapGet(selector, 'matchExpressions'))) {
    const key = str(mapGet(e, 'key'));
    const op = str(mapGet(e, 'operator'));
    const values = items(mapGet(e, 'values')).map((v) => str(v));
    if (!key || !op) return undefined;
    const v = l[key];
    if (op === 'In' && (v === undefined || !values.includes(v))) return false;
    if (op === 'NotIn' && v !== undefined && values.includes(v)) return false;
    if (op === 'Exists' && v === undefined) return false;
    if (op === 'DoesNotExist' && v !== undefined) return false;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(op)) return undefined;
  }
  return true;
}

const networkPolicyCoverage = kubernetesRule({
  id: 'k8s-workload-network-policy',
  title: 'No NetworkPolicy selects the workload',
  severity: 'low',
  impact: 'Pods that no NetworkPolicy selects accept traffic from every pod of the cluster, so one compromised workload can reach them freely.',
  remediation: 'Add a NetworkPolicy in the namespace whose podSelector matches the pods (a default-deny policy with `podSelector: {}` plus specific allows).',
  references: [NP_DOC],
  compliance: ['CIS Kubernetes 5.3.2'],
  equivalents: {},
  kinds: WORKLOAD_KINDS.filter((k) => k !== 'Job' && k !== 'CronJob' && k !== 'PodTemplate'),
  check(obj, ctx) {
    if (!obj.podSpec) return;
    const podLabels = labels(obj.podMeta);
    const policies = ctx.objectsOfKind('NetworkPolicy').filter((o: K8sObject) => o.namespace === obj.namespace);
    for (const np of policies) {
      const spec = mapGet(np.root, 'spec');
      const sel = mapPair(spec, 'podSelector');
      if (selects(sel ? sel.value : undefined, podLabels) !== false) return;
    }
    ctx.report({
      at: mapPair(obj.root, 'kind') ?? obj.root,
      message: policies.length
        ? `No NetworkPolicy of namespace ${obj.namespace} selects the pods of ${objName(obj)}.`
        : `${objName(obj)} has no NetworkPolicy in namespace ${obj.namespace} (none is declared next to it).`,
    });
  },
  examples: {
    bad: [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n',
      {
        'app.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n',
        'np.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: db}\n',
      },
    ],
    good: [
      {
        'app.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n',
        'np.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n',
      },
      {
        'app.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web, tier: front}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n',
        'np.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: front\n  namespace: shop\nspec:\n  podSelector:\n    matchExpressions:\n      - {key: tier, operator: In, values: [front, edge]}\n',
      },
    ],
  },
});

// ---------------------------------------------------------------- Terraform kubernetes_network_policy

function publicPeers(spec: TfBlock, dir: 'ingress' | 'egress'): TfBlock[] {
  const out: TfBlock[] = [];
  for (const rule of spec.blocks(dir)) {
    if (rule.dynamic) continue;
    for (const peer of rule.blocks(dir === 'ingress' ? 'from' : 'to')) {
      for (const ip of peer.blocks('ip_block')) if (!ip.dynamic && isPublicCidr(ip.get('cidr'))) out.push(ip);
    }
  }
  return out;
}

function tfPolicyRule(dir: 'ingress' | 'egress', id: string, trivy: string) {
  const word = dir === 'ingress' ? 'from' : 'to';
  const tf = (cidr: string) => `resource "kubernetes_network_policy" "api" {
  metadata {
    name      = "api"
    namespace = "shop"
  }
  spec {
    pod_selector {
      match_labels = { app = "api" }
    }
    ${dir} {
      ports {
        port     = "443"
        protocol = "TCP"
      }
      ${word} {
        ip_block {
          cidr = ${cidr}
        }
      }
    }
    policy_types = ["${dir === 'ingress' ? 'Ingress' : 'Egress'}"]
  }
}
`;
  return terraformRule({
    id,
    title: `NetworkPolicy allows ${dir} ${word} any IP address`,
    severity: 'high',
    impact: dir === 'ingress'
      ? 'An ip_block of 0.0.0.0/0 lets any address, inside or outside the cluster, reach the selected pods on the listed ports.'
      : 'An ip_block of 0.0.0.0/0 lets the selected pods connect anywhere, which makes data exfiltration and command-and-control traffic easy.',
    remediation: `Restrict \`${dir}.${word}.ip_block.cidr\` to the networks that need access.`,
    references: [NP_DOC, 'https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs/resources/network_policy'],
    compliance: ['NIST 800-53 SC-7'],
    equivalents: { trivy: [trivy] },
    resources: ['kubernetes_network_policy', 'kubernetes_network_policy_v1'],
    check(res, ctx) {
      for (const spec of res.blocks('spec')) {
        for (const ip of publicPeers(spec, dir)) {
          ctx.report({ at: ip.attr('cidr') ?? ip, message: `${res.address} allows ${dir} ${word} ${String(ip.get('cidr'))}.` });
        }
      }
    },
    examples: {
      bad: [tf('"0.0.0.0/0"')],
      good: [tf('"10.0.0.0/16"'), `variable "cidr" {}\n${tf('var.cidr')}`],
    },
  });
}

const tfPublicIngress = tfPolicyRule('ingress', 'k8s-network-policy-no-public-ingress', 'AVD-KUBE-0001');
const tfPublicEgress = tfPolicyRule('egress', 'k8s-network-policy-no-public-egress', 'AVD-KUBE-0002');

export const rules: Rule[] = [npSelector, nginxAnnotations, nginxSnippets, publicLb, nodePort, networkPolicyCoverage, tfPublicIngress, tfPublicEgress];
