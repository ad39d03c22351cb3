import { setYamlPath, yamlFix } from '../../engine/fix';
import { kubernetesRule, type Rule } from '../../engine/rule';
import { WORKLOAD_KINDS, type K8sObject } from '../../parse/kubernetes';
import {
  at, boolSetting, containerAnchor, describe, isPlaceholder, items, labels, mapGet, mapPair, objName,
  regularContainers, setPodSpec, str,
} from './util';

const deployment = (container: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
${extra}      containers:
        - name: web
          image: nginx:1.27
${container}`;

const pod = (container: string, spec = '') => `apiVersion: v1
kind: Pod
metadata:
    name: api
    namespace: shop
spec:
    containers:
        - name: api
          image: registry.example.com/api:2.3.1
${container}${spec}`;

// ---------------------------------------------------------------- resources

type ResKind = 'limits' | 'requests';
type ResName = 'cpu' | 'memory';

/** Whether a LimitRange of the same namespace gives containers a default for this resource. */
function limitRangeDefault(obj: K8sObject, all: readonly K8sObject[], kind: ResKind, res: ResName): boolean {
  return all.some((o) => {
    if (o.kind !== 'LimitRange' || o.namespace !== obj.namespace) return false;
    return items(at(o.root, 'spec', 'limits')).some((l) => {
      if ((str(mapGet(l, 'type')) ?? 'Container') !== 'Container') return false;
      if (mapGet(mapGet(l, 'default'), res) != null) return true; // default limits also set requests
      return kind === 'requests' && mapGet(mapGet(l, 'defaultRequest'), res) != null;
    });
  });
}

function resourceRule(kind: ResKind, res: ResName, meta: { id: string; trivy: string; checkov: string; kics: string }) {
  const what = `${res === 'cpu' ? 'CPU' : 'memory'} ${kind === 'limits' ? 'limit' : 'request'}`;
  const impact = kind === 'limits'
    ? `Without a ${what} one compromised or misbehaving container can exhaust the node's ${res === 'cpu' ? 'CPU' : 'memory'} and starve every other pod (denial of service).`
    : `Without a ${what} the scheduler cannot reserve ${res === 'cpu' ? 'CPU' : 'memory'} for the container, so noisy neighbours can starve it and node pressure evicts it first.`;
  const sample = res === 'cpu' ? (kind === 'limits' ? '500m' : '250m') : (kind === 'limits' ? '256Mi' : '128Mi');
  return kubernetesRule({
    id: meta.id,
    title: `Container has no ${what}`,
    severity: 'low',
    impact,
    remediation: `Set \`resources.${kind}.${res}\` on every container (or a LimitRange default in the namespace).`,
    references: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'],
    compliance: ['NIST 800-53 SC-6'],
    equivalents: { checkov: [meta.checkov], trivy: [meta.trivy], kics: [meta.kics] },
    kinds: WORKLOAD_KINDS,
    check(obj, ctx) {
      let lr: boolean | undefined;
      const podLevel = at(obj.podSpec, 'resources', kind, res);
      if (podLevel !== undefined && podLevel !== null) return; // pod-level resources bound every container
      for (const c of regularContainers(obj)) {
        const r = mapGet(c.node, 'resources');
        if (r && r.t !== 'map' && !(r.t === 'scalar' && r.value === null)) continue; // unknown shape
        const v = at(c.node, 'resources', kind, res);
        if (v !== undefined && v !== null) continue;
        const group = at(c.node, 'resources', kind);
        if (group && group.t === 'scalar' && group.value !== null) continue; // a placeholder
        lr ??= limitRangeDefault(obj, ctx.objectsOfKind('LimitRange'), kind, res);
        if (lr) return;
        ctx.report({ at: containerAnchor(c, 'resources'), message: `The ${describe(obj, c)} has no ${what} (resources.${kind}.${res}).` });
      }
    },
    examples: {
      bad: [
        deployment(''),
        pod(`          resources:\n              ${kind}:\n                  ${res === 'cpu' ? 'memory: 64Mi' : 'cpu: 100m'}\n`),
      ],
      good: [
        pod(`          resources:\n              ${kind}:\n                  ${res}: ${sample}\n`),
        deployment(`          resources: {${kind}: {${res}: ${sample}}}\n`),
        {
          'pod.yaml': pod(''),
          'limits.yaml': `apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n  namespace: shop\nspec:\n  limits:\n    - type: Container\n      default:\n        cpu: 500m\n        memory: 256Mi\n      defaultRequest:\n        cpu: 100m\n        memory: 128Mi\n`,
        },
        pod(`          resources:\n              ${kind}: \${RESOURCES}\n`),
        pod('', `    resources:\n        ${kind}:\n            ${res}: ${sample}\n`),
      ],
    },
  });
}

const cpuLimits = resourceRule('limits', 'cpu', { id: 'k8s-cpu-limits', trivy: 'AVD-KSV-0011', checkov: 'CKV_K8S_11', kics: '4ac0e2b7-d2d2-4af7-8799-e8de6721ccda' });
const cpuRequests = resourceRule('requests', 'cpu', { id: 'k8s-cpu-requests', trivy: 'AVD-KSV-0015', checkov: 'CKV_K8S_10', kics: 'ca469dd4-c736-448f-8ac1-30a642705e0a' });
const memoryRequests = resourceRule('requests', 'memory', { id: 'k8s-memory-requests', trivy: 'AVD-KSV-0016', checkov: 'CKV_K8S_12', kics: '229588ef-8fde-40c8-8756-f4f2b5825ded' });
const memoryLimits = resourceRule('limits', 'memory', { id: 'k8s-memory-limits', trivy: 'AVD-KSV-0018', checkov: 'CKV_K8S_13', kics: 'b14d1bc4-a208-45db-92f0-e21f8e2588e9' });

// ---------------------------------------------------------------- images

/** Splits an image reference into its tag and digest (registry ports are not tags). */
export function imageParts(image: string): { name: string; tag?: string; digest?: string } {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) { digest = rest.slice(at + 1); rest = rest.slice(0, at); }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

/** Whether a Kustomization next to the manifest sets a tag or digest for this image name. */
function kustomizePins(name: string, all: readonly K8sObject[]): boolean {
  return all.some((o) => o.kind === 'Kustomization' && items(mapGet(o.root, 'images')).some((i) =>
    str(mapGet(i, 'name')) === name && (mapGet(i, 'newTag') != null || mapGet(i, 'digest') != null)));
}

const imageTag = kubernetesRule({
  id: 'k8s-image-tag-pinned',
  title: 'Container image uses the latest tag or no tag',
  severity: 'medium',
  impact: 'A mutable `latest` (or missing) tag means the running code can change without a deployment: a compromised or broken image is picked up silently and rollbacks are unreliable.',
  remediation: 'Reference images by a specific version tag, or better by digest (`image@sha256:...`).',
  references: ['https://kubernetes.io/docs/concepts/containers/images/#image-names', 'https://kubernetes.io/docs/concepts/configuration/overview/#container-images'],
  compliance: ['NIST 800-53 CM-2'],
  equivalents: { checkov: ['CKV_K8S_14'], trivy: ['AVD-KSV-0013'] },
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    for (const c of obj.containers) {
      const node = mapGet(c.node, 'image');
      const image = str(node);
      if (!node || image === undefined || image === '' || isPlaceholder(image) || /\$|\{\{/.test(image)) continue;
      const p = imageParts(image);
      if (p.digest) continue;
      if (p.tag !== undefined && p.tag !== 'latest' && p.tag !== '') continue;
      if (kustomizePins(p.name, ctx.objectsOfKind('Kustomization'))) continue;
      ctx.report({
        at: node,
        message: p.tag === 'latest'
          ? `The ${describe(obj, c)} uses the image ${image} with the mutable latest tag.`
          : `The ${describe(obj, c)} uses the image ${image} without a tag (latest is implied).`,
      });
    }
  },
  examples: {
    bad: [pod('').replace('api:2.3.1', 'api:latest'), pod('').replace('registry.example.com/api:2.3.1', 'registry.example.com:5000/api')],
    good: [
      pod(''),
      pod('').replace('api:2.3.1', 'api@sha256:4bf5d4a5d2ec0e5dc4c4bb5e8a1f7e4b0f6c7e0f2f2d2c2f0c1d1e1f0a0b0c0d'),
      pod('').replace('registry.example.com/api:2.3.1', '${IMAGE}'),
      {
        'pod.yaml': pod('').replace('registry.example.com/api:2.3.1', 'registry.example.com/api'),
        'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [pod.yaml]\nimages:\n  - name: registry.example.com/api\n    newTag: 2.3.1\n',
      },
    ],
  },
});

function defaultPullPolicy(image: string): string {
  const p = imageParts(image);
  return !p.digest && (p.tag === undefined || p.tag === 'latest') ? 'Always' : 'IfNotPresent';
}

const pullPolicy = kubernetesRule({
  id: 'k8s-image-pull-policy-always',
  title: 'Image pull policy is not Always',
  severity: 'low',
  impact: 'With IfNotPresent or Never a node reuses a cached image: a pod can start an image it is not authorised to pull (imagePullSecrets are not re-checked) or a stale copy of a re-pushed tag.',
  remediation: 'Set `imagePullPolicy: Always` (or pin images by digest).',
  references: ['https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy'],
  compliance: ['NIST 800-53 AC-3'],
  equivalents: { checkov: ['CKV_K8S_15'] },
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    for (const c of regularContainers(obj)) {
      const image = str(mapGet(c.node, 'image'));
      if (image === undefined || /\$|\{\{/.test(image)) continue;
      if (imageParts(image).digest) continue; // a digest cannot change under the same reference
      const node = mapGet(c.node, 'imagePullPolicy');
      const explicit = str(node);
      if (explicit !== undefined && (isPlaceholder(explicit) || /\$/.test(explicit))) continue;
      const policy = explicit ?? defaultPullPolicy(image);
      if (policy === 'Always') continue;
      ctx.report({
        at: node ?? containerAnchor(c),
        message: `The ${describe(obj, c)} uses imagePullPolicy ${policy}${explicit === undefined ? ' (the default for a pinned tag)' : ''}.`,
        fix: yamlFix('Set imagePullPolicy: Always', setYamlPath(obj.file, c.node, ['imagePullPolicy'], 'Always')),
      });
    }
  },
  examples: {
    bad: [pod(''), pod('          imagePullPolicy: IfNotPresent\n'), deployment('          imagePullPolicy: Never\n')],
    good: [pod('          imagePullPolicy: Always\n'), pod('').replace('api:2.3.1', 'api:latest'), pod('          imagePullPolicy: ${PULL}\n')],
  },
});

// ---------------------------------------------------------------- probes

function probeRule(key: 'livenessProbe' | 'readinessProbe', id: string, checkov: string) {
  const what = key === 'livenessProbe' ? 'liveness' : 'readiness';
  return kubernetesRule({
    id,
    title: `Container has no ${what} probe`,
    severity: 'low',
    impact: key === 'livenessProbe'
      ? 'Without a liveness probe a hung container (deadlock, exhausted resources under attack) keeps running and is never restarted.'
      : 'Without a readiness probe traffic reaches the container before it is ready or while it is failing, turning partial failures into errors for clients.',
    remediation: `Add a \`${key}\` (httpGet, tcpSocket, grpc or exec) to every long-running container.`,
    references: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/'],
    compliance: [],
    equivalents: { checkov: [checkov] },
    kinds: WORKLOAD_KINDS.filter((k) => k !== 'Job' && k !== 'CronJob'),
    check(obj, ctx) {
      for (const c of obj.containers) {
        if (c.kind !== 'containers') continue;
        if (mapPair(c.node, key)) continue;
        ctx.report({ at: containerAnchor(c), message: `The ${describe(obj, c)} has no ${key}.` });
      }
    },
    examples: {
      bad: [deployment(''), pod('')],
      good: [
        deployment(`          ${key}:\n            httpGet: {path: /healthz, port: 8080}\n`),
        pod(`          ${key}:\n              tcpSocket:\n                  port: 8080\n`),
        `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: migrate\n          image: example/migrate:1.0\n`,
      ],
    },
  });
}

const liveness = probeRule('livenessProbe', 'k8s-liveness-probe', 'CKV_K8S_8');
const readiness = probeRule('readinessProbe', 'k8s-readiness-probe', 'CKV_K8S_9');

// ---------------------------------------------------------------- service account token

const SA_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

const saToken = kubernetesRule({
  id: 'k8s-no-service-account-token-automount',
  title: 'Pod mounts the service account token',
  severity: 'medium',
  impact: 'A mounted service account token lets anyone who compromises the container call the Kubernetes API with the pod identity.',
  remediation: 'Set `automountServiceAccountToken: false` in the pod spec unless the workload talks to the API server.',
  references: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting'],
  compliance: ['CIS Kubernetes 5.1.6'],
  equivalents: { trivy: ['AVD-KSV-0036'] },
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    if (!obj.podSpec) return;
    const node = mapGet(obj.podSpec, 'automountServiceAccountToken');
    const v = boolSetting(node);
    if (v === true) {
      ctx.report({
        at: mapPair(obj.podSpec, 'automountServiceAccountToken')!,
        message: `${objName(obj)} sets automountServiceAccountToken: true.`,
        fix: yamlFix('Set automountServiceAccountToken: false', setPodSpec(obj, ['automountServiceAccountToken'], 'false')),
      });
      return;
    }
    if (v !== 'absent') return;
    const mounting = obj.containers.find((c) => items(mapGet(c.node, 'volumeMounts')).some((m) => str(mapGet(m, 'mountPath'))?.replace(/\/+$/, '') === SA_TOKEN_PATH));
    if (!mounting) return;
    ctx.report({
      at: containerAnchor(mounting, 'volumeMounts'),
      message: `The ${describe(obj, mounting)} mounts the service account token at ${SA_TOKEN_PATH} and the pod does not set automountServiceAccountToken: false.`,
      fix: yamlFix('Set automountServiceAccountToken: false', setPodSpec(obj, ['automountServiceAccountToken'], 'false')),
    });
  },
  examples: {
    bad: [
      pod('', '    automountServiceAccountToken: true\n'),
      pod(`          volumeMounts:\n              - name: token\n                mountPath: ${SA_TOKEN_PATH}\n`, '    volumes:\n        - name: token\n          projected:\n              sources:\n                  - serviceAccountToken: {path: token}\n'),
    ],
    good: [pod(''), pod('', '    automountServiceAccountToken: false\n'), pod('', '    automountServiceAccountToken: ${AUTOMOUNT}\n')],
  },
});

// ---------------------------------------------------------------- namespaces

const NAMESPACED_USER_KINDS = [...WORKLOAD_KINDS, 'Service', 'ConfigMap', 'Secret', 'Ingress', 'PersistentVolumeClaim', 'ServiceAccount', 'NetworkPolicy', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'];

const CORE_COMPONENTS = new Set(['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler']);

const kubeSystem = kubernetesRule({
  id: 'k8s-no-kube-system-namespace',
  title: 'User resource placed in the kube-system namespace',
  severity: 'medium',
  impact: 'kube-system holds the control-plane components and their credentials; user workloads there share a namespace (and often RBAC grants) with the most privileged service accounts of the cluster.',
  remediation: 'Deploy application resources into a dedicated namespace.',
  references: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/', 'https://kubernetes.io/docs/reference/setup-tools/kubeadm/implementation-details/'],
  compliance: ['CIS Kubernetes 5.7.1'],
  equivalents: { trivy: ['AVD-KSV-0037'] },
  kinds: NAMESPACED_USER_KINDS,
  check(obj, ctx) {
    if (!obj.namespaceSet || obj.namespace !== 'kube-system') return;
    const meta = obj.podMeta ?? mapGet(obj.root, 'metadata');
    const l = { ...labels(mapGet(obj.root, 'metadata')), ...labels(meta) };
    const isCore = l.tier === 'control-plane' && CORE_COMPONENTS.has(l.component ?? '') && str(mapGet(obj.podSpec, 'priorityClassName')) === 'system-node-critical';
    if (isCore) return;
    ctx.report({ at: at(obj.root, 'metadata', 'namespace') ?? obj.root, message: `${objName(obj)} is placed in the kube-system namespace.` });
  },
  examples: {
    bad: [pod('').replace('namespace: shop', 'namespace: kube-system'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n  namespace: kube-system\ndata:\n  mode: prod\n`],
    good: [
      pod(''),
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\n  labels:\n    tier: control-plane\n    component: kube-apiserver\nspec:\n  priorityClassName: system-node-critical\n  containers:\n    - name: kube-apiserver\n      image: registry.k8s.io/kube-apiserver:v1.30.0\n`,
    ],
  },
});

const defaultNamespace = kubernetesRule({
  id: 'k8s-no-default-namespace',
  title: 'Resource placed in the default namespace',
  severity: 'low',
  impact: 'Everything in the default namespace shares one policy scope: RBAC, NetworkPolicies and quotas cannot separate the applications placed there.',
  remediation: 'Create a namespace per application or team and set `metadata.namespace` to it.',
  references: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/'],
  compliance: ['CIS Kubernetes 5.7.4'],
  equivalents: {},
  kinds: NAMESPACED_USER_KINDS.filter((k) => k !== 'ServiceAccount'),
  check(obj, ctx) {
    if (!obj.namespaceSet || obj.namespace !== 'default') return;
    if (obj.kind === 'Service' && obj.name === 'kubernetes') return;
    ctx.report({ at: at(obj.root, 'metadata', 'namespace') ?? obj.root, message: `${objName(obj)} is explicitly placed in the default namespace.` });
  },
  examples: {
    bad: [pod('').replace('namespace: shop', 'namespace: default')],
    good: [pod(''), pod('').replace('    namespace: shop\n', '')],
  },
});

// ---------------------------------------------------------------- Tiller

function isTillerImage(image: string | undefined): boolean {
  if (!image) return false;
  const { name } = imageParts(image);
  return /(^|\/)tiller$/.test(name);
}

const tiller = kubernetesRule({
  id: 'k8s-no-tiller',
  title: 'Helm v2 Tiller is deployed',
  severity: 'critical',
  impact: 'Tiller runs with cluster-admin rights and by default serves an unauthenticated gRPC API: any pod that reaches it can take over the cluster.',
  remediation: 'Remove Tiller and migrate to Helm 3, which has no in-cluster component.',
  references: ['https://helm.sh/docs/faq/changes_since_helm2/#removal-of-tiller'],
  compliance: ['NIST 800-53 AC-6', 'NIST 800-53 CM-7'],
  equivalents: { checkov: ['CKV_K8S_34'], trivy: ['AVD-KSV-0102'], kics: ['6d173be7-545a-46c6-a81d-2ae52ed1605d'] },
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    const byImage = obj.containers.find((c) => isTillerImage(str(mapGet(c.node, 'image'))));
    if (byImage) {
      ctx.report({ at: mapGet(byImage.node, 'image')!, message: `The ${describe(obj, byImage)} runs the Tiller image ${str(mapGet(byImage.node, 'image'))}.` });
      return;
    }
    for (const meta of [mapGet(obj.root, 'metadata'), obj.podMeta]) {
      const l = labels(meta);
      if (l.name === 'tiller' || (l.app === 'helm' && l.component === 'tiller')) {
        ctx.report({ at: mapPair(meta, 'labels') ?? obj.root, message: `${objName(obj)} is labelled as Helm Tiller (app: helm, name: tiller).` });
        return;
      }
    }
  },
  examples: {
    bad: [
      pod('').replace('registry.example.com/api:2.3.1', 'gcr.io/kubernetes-helm/tiller:v2.16.12'),
      deployment('').replace('      labels: { app: web }', '      labels: { app: helm, name: tiller }'),
    ],
    good: [pod(''), pod('').replace('registry.example.com/api:2.3.1', 'example/distiller:1.0')],
  },
});

// ---------------------------------------------------------------- ConfigMap secrets

const SECRET_KEY = /(^|[_.\-\s])(password|passwd|passphrase|pwd|secret|secret[_-]?key|client[_-]?secret|app[_-]?secret|api[_-]?key|apikey|access[_-]?key|private[_-]?key|token|auth[_-]?token|aws_secret_access_key|aws_access_key_id)$/i;
const SECRET_KEY_CAMEL = /[a-z0-9](Password|Passwd|Passphrase|Secret|SecretKey|ApiKey|AccessKey|PrivateKey|Token)$/;

function looksSecretName(name: string): boolean {
  return SECRET_KEY.test(name) || SECRET_KEY_CAMEL.test(name) || /^(password|passwd|pwd|secret|token|api[_-]?key)$/i.test(name);
}

/** A literal value worth reporting: not empty, not a reference or placeholder, not a flag or a path. */
function literalSecretValue(v: string): boolean {
  const s = v.trim().replace(/^["']|["']$/g, '');
  if (s.length < 4) return false;
  if (/^(true|false|yes|no|on|off|null|none|changeme|required|optional|enabled|disabled)$/i.test(s)) return false;
  if (/\$\{|\$\(|\{\{|^\$[A-Za-z_]|^<.*>$|^%\(/.test(s)) return false;
  if (/^(\/|\.\/|file:|vault:|secretref:|ref\+|arn:aws:secretsmanager|projects\/[^/]+\/secrets\/)/i.test(s)) return false;
  if (/^[*xX]+$/.test(s)) return false;
  return true;
}

/** Finds `key=value` / `key: value` lines whose key looks secret and whose value is a literal. */
function secretLines(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?["']?([A-Za-z0-9_.\-]+)["']?\s*[=:]\s*(.*?)\s*,?$/.exec(line);
    if (!m) continue;
    if (looksSecretName(m[1]!) && literalSecretValue(m[2]!.replace(/\s+#.*$/, ''))) out.push(m[1]!);
  }
  return out;
}

const configMapSecrets = kubernetesRule({
  id: 'k8s-configmap-no-secrets',
  title: 'ConfigMap contains secrets',
  severity: 'high',
  impact: 'ConfigMaps are not treated as confidential: they are readable by far more roles than Secrets, are not encrypted at rest by secret encryption, and end up in logs and dumps.',
  remediation: 'Move passwords, tokens and keys into a Secret (or an external secret store) and reference them from the pod.',
  references: ['https://kubernetes.io/docs/concepts/configuration/secret/', 'https://kubernetes.io/docs/concepts/configuration/configmap/'],
  compliance: ['NIST 800-53 SC-28'],
  equivalents: { trivy: ['AVD-KSV-0109'] },
  kinds: ['ConfigMap'],
  check(obj, ctx) {
    const data = mapGet(obj.root, 'data');
    if (data?.t !== 'map') return;
    for (const p of data.pairs) {
      const v = str(p.value);
      if (v === undefined) continue;
      let found: string[] = [];
      if (looksSecretName(p.key) && !v.includes('\n') && literalSecretValue(v)) found = [p.key];
      else found = secretLines(v);
      if (!found.length) continue;
      ctx.report({ at: p, message: `ConfigMap ${obj.name} stores a secret value in data.${p.key}${found[0] !== p.key ? ` (${[...new Set(found)].join(', ')})` : ''}.` });
    }
  },
  examples: {
    bad: [
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  db_password: "s3cr3t-Pa55"\n`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  app.env: |\n    LOG_LEVEL=info\n    STRIPE_API_KEY=sk_live_51HxYzAbCdEf\n`,
    ],
    good: [
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  app.env: |\n    LOG_LEVEL=info\n    DB_PASSWORD=\n    API_TOKEN=\${API_TOKEN}\n  password_file: /run/secrets/db\n`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  token_ttl: "3600"\n  passenger_count: "4"\n`,
    ],
  },
});

export const rules: Rule[] = [
  cpuLimits, cpuRequests, memoryRequests, memoryLimits, imageTag, pullPolicy, liveness, readiness, saToken, kubeSystem,
  defaultNamespace, tiller, configMapSecrets,
];
