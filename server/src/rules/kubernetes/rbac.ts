import { yamlFix } from '../../engine/fix';
import { kubernetesRule, type Rule } from '../../engine/rule';
import type { Fix } from '../../engine/types';
import type { K8sObject } from '../../parse/kubernetes';
import type { YMap, YNode } from '../../parse/yaml';
import { at, items, mapGet, mapPair, objName, removeSeqItem, seqOf, str } from './util';

const RBAC_DOC = 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/';
const RBAC_GOOD = 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/';
const ROLE_KINDS = ['Role', 'ClusterRole'];
const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'];

interface PolicyRule { node: YMap; apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames: string[] }

const strings = (n: YNode | null | undefined): string[] => items(n).map((i) => str(i)).filter((s): s is string => s !== undefined);

function policyRules(obj: K8sObject): PolicyRule[] {
  return items(mapGet(obj.root, 'rules')).filter((r): r is YMap => r.t === 'map').map((node) => ({
    node,
    apiGroups: strings(mapGet(node, 'apiGroups')),
    resources: strings(mapGet(node, 'resources')),
    verbs: strings(mapGet(node, 'verbs')).map((v) => v.toLowerCase()),
    resourceNames: strings(mapGet(node, 'resourceNames')),
  }));
}

/** A fix removing the first item of `key` (resources, verbs) that `pick` accepts. */
function removeFrom(obj: K8sObject, r: PolicyRule, key: 'resources' | 'verbs', pick: (v: string) => boolean): Fix | undefined {
  const seq = seqOf(mapGet(r.node, key));
  if (!seq) return undefined;
  const idx = seq.items.findIndex((i) => { const v = str(i); return v !== undefined && pick(key === 'verbs' ? v.toLowerCase() : v); });
  if (idx < 0) return undefined;
  return yamlFix(`Remove "${str(seq.items[idx])}" from ${key}`, removeSeqItem(obj.file, seq, idx));
}

const coreGroup = (r: PolicyRule) => r.apiGroups.length === 0 || r.apiGroups.includes('') || r.apiGroups.includes('*');
const hasVerb = (r: PolicyRule, ...verbs: string[]) => r.verbs.some((v) => v === '*' || verbs.includes(v));

const role = (rules: string, kind = 'ClusterRole') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: app-role
${kind === 'Role' ? '  namespace: shop\n' : ''}rules:
${rules}`;

/** A rule over explicitly named resources (wildcards are the job of k8s-rbac-no-wildcards). */
function resourceRule(meta: {
  id: string; title: string; severity: 'critical' | 'high' | 'medium' | 'low'; impact: string; remediation: string;
  checkov?: string[]; match: (r: PolicyRule) => string | undefined; bad: string[]; good: string[]; compliance?: string[];
  fix?: (obj: K8sObject, r: PolicyRule) => Fix | undefined;
}) {
  return kubernetesRule({
    id: meta.id,
    title: meta.title,
    severity: meta.severity,
    impact: meta.impact,
    remediation: meta.remediation,
    references: [RBAC_GOOD, RBAC_DOC],
    compliance: meta.compliance ?? [],
    equivalents: meta.checkov ? { checkov: meta.checkov } : {},
    fixable: meta.fix !== undefined,
    kinds: ROLE_KINDS,
    check(obj, ctx) {
      for (const r of policyRules(obj)) {
        const what = meta.match(r);
        if (what) ctx.report({ at: r.node, message: `${objName(obj)} ${what}.`, fix: meta.fix?.(obj, r) });
      }
    },
    examples: { bad: meta.bad.map((b) => role(b)), good: meta.good.map((g) => role(g, 'Role')) },
  });
}

const wildcards = kubernetesRule({
  id: 'k8s-rbac-no-wildcards',
  title: 'RBAC rule uses wildcards',
  severity: 'high',
  impact: 'A `*` in verbs, resources or apiGroups grants every current and future permission of that kind, including access to secrets and privilege escalation paths.',
  remediation: 'List the specific apiGroups, resources and verbs the subject needs instead of `*`.',
  references: [RBAC_GOOD, RBAC_DOC],
  compliance: ['CIS Kubernetes 5.1.3'],
  equivalents: { checkov: ['CKV_K8S_49'] },
  kinds: ROLE_KINDS,
  check(obj, ctx) {
    for (const r of policyRules(obj)) {
      const parts = [['apiGroups', r.apiGroups], ['resources', r.resources], ['verbs', r.verbs]] as const;
      const wild = parts.filter(([, v]) => v.includes('*')).map(([k]) => k);
      if (!wild.length) continue;
      ctx.report({ at: r.node, message: `${objName(obj)} grants "*" in ${wild.join(', ')}.` });
    }
  },
  examples: {
    bad: [role('  - apiGroups: ["*"]\n    resources: ["*"]\n    verbs: ["*"]\n'), role('  - apiGroups: [""]\n    resources: [configmaps]\n    verbs:\n      - "*"\n', 'Role')],
    good: [role('  - apiGroups: [""]\n    resources: [configmaps]\n    verbs: [get, list, watch]\n', 'Role')],
  },
});

const secretsAccess = resourceRule({
  id: 'k8s-rbac-no-secrets-access',
  title: 'RBAC rule grants access to secrets',
  severity: 'high',
  impact: 'Reading secrets exposes every credential stored in the namespace (or cluster), including service account tokens of more privileged workloads.',
  remediation: 'Remove get/list/watch on secrets, or restrict it with `resourceNames` to the specific secrets needed.',
  compliance: ['CIS Kubernetes 5.1.2'],
  match: (r) => (coreGroup(r) && r.resources.includes('secrets') && r.resourceNames.length === 0 && hasVerb(r, 'get', 'list', 'watch')
    ? `can ${r.verbs.join('/')} secrets` : undefined),
  fix: (obj, r) => removeFrom(obj, r, 'resources', (v) => v === 'secrets'),
  bad: ['  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [get, list]\n'],
  good: ['  - apiGroups: [""]\n    resources: [secrets]\n    resourceNames: [app-tls]\n    verbs: [get]\n', '  - apiGroups: [""]\n    resources: [configmaps]\n    verbs: [get]\n'],
});

const podExec = resourceRule({
  id: 'k8s-rbac-no-pod-exec',
  title: 'RBAC rule allows exec or attach into pods',
  severity: 'high',
  impact: 'pods/exec and pods/attach give a shell in any pod the subject can reach, with that pod\'s service account, secrets and network access.',
  remediation: 'Remove create/get on pods/exec and pods/attach from roles that do not need interactive access.',
  compliance: ['NIST 800-53 AC-6'],
  match: (r) => {
    const res = r.resources.filter((x) => x === 'pods/exec' || x === 'pods/attach');
    return coreGroup(r) && res.length && hasVerb(r, 'create', 'get') ? `can ${r.verbs.join('/')} ${res.join(', ')}` : undefined;
  },
  fix: (obj, r) => removeFrom(obj, r, 'resources', (v) => v === 'pods/exec' || v === 'pods/attach'),
  bad: ['  - apiGroups: [""]\n    resources: [pods, pods/exec]\n    verbs: [get, create]\n'],
  good: ['  - apiGroups: [""]\n    resources: [pods, pods/log]\n    verbs: [get, list]\n'],
});

const WORKLOAD_RESOURCES = new Set(['pods', 'deployments', 'daemonsets', 'statefulsets', 'replicasets', 'replicationcontrollers', 'jobs', 'cronjobs']);

const createPods = resourceRule({
  id: 'k8s-rbac-no-create-workloads',
  title: 'RBAC rule allows creating pods or workloads',
  severity: 'medium',
  impact: 'Whoever can create pods (directly or through a controller) can mount any secret and use any service account of the namespace, and run privileged pods where admission allows it.',
  remediation: 'Grant create/update/patch on pods and workload controllers only to deployment pipelines and operators.',
  compliance: ['CIS Kubernetes 5.1.4', 'NIST 800-53 AC-6'],
  match: (r) => {
    const res = r.resources.filter((x) => WORKLOAD_RESOURCES.has(x));
    return res.length && hasVerb(r, 'create', 'update', 'patch') ? `can ${r.verbs.filter((v) => ['*', 'create', 'update', 'patch'].includes(v)).join('/')} ${res.join(', ')}` : undefined;
  },
  bad: ['  - apiGroups: [apps]\n    resources: [deployments]\n    verbs: [create, update]\n', '  - apiGroups: [""]\n    resources: [pods]\n    verbs: [create]\n'],
  good: ['  - apiGroups: [apps]\n    resources: [deployments]\n    verbs: [get, list, watch]\n'],
});

const escalate = resourceRule({
  id: 'k8s-rbac-no-escalate',
  title: 'RBAC rule allows the escalate verb',
  severity: 'high',
  impact: 'The escalate verb lets a subject edit roles to grant permissions it does not hold, up to cluster-admin.',
  remediation: 'Remove the `escalate` verb on roles and clusterroles.',
  compliance: ['CIS Kubernetes 5.1.8', 'NIST 800-53 AC-6'],
  checkov: ['CKV_K8S_158'],
  match: (r) => (r.verbs.includes('escalate') ? `allows the escalate verb on ${r.resources.join(', ') || 'roles'}` : undefined),
  fix: (obj, r) => removeFrom(obj, r, 'verbs', (v) => v === 'escalate'),
  bad: ['  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [clusterroles]\n    verbs: [get, escalate]\n'],
  good: ['  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [roles]\n    verbs: [get, list]\n'],
});

const bind = resourceRule({
  id: 'k8s-rbac-no-bind',
  title: 'RBAC rule allows the bind verb',
  severity: 'high',
  impact: 'The bind verb lets a subject bind any role, including ones with more permissions than its own, to itself or others.',
  remediation: 'Remove the `bind` verb, or restrict it with `resourceNames` to specific roles.',
  compliance: ['CIS Kubernetes 5.1.8', 'NIST 800-53 AC-6'],
  checkov: ['CKV_K8S_157'],
  match: (r) => (r.verbs.includes('bind') && r.resourceNames.length === 0 ? `allows the bind verb on ${r.resources.join(', ') || 'roles'}` : undefined),
  fix: (obj, r) => removeFrom(obj, r, 'verbs', (v) => v === 'bind'),
  bad: ['  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [clusterroles]\n    verbs: [bind]\n'],
  good: ['  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [roles]\n    resourceNames: [viewer]\n    verbs: [bind]\n'],
});

const impersonate = resourceRule({
  id: 'k8s-rbac-no-impersonate',
  title: 'RBAC rule allows impersonation',
  severity: 'high',
  impact: 'The impersonate verb lets a subject act as other users, groups or service accounts, and so gain all their permissions.',
  remediation: 'Remove the `impersonate` verb, or restrict it with `resourceNames`.',
  compliance: ['CIS Kubernetes 5.1.8', 'NIST 800-53 AC-6'],
  match: (r) => (r.verbs.includes('impersonate') && r.resourceNames.length === 0 ? `allows impersonating ${r.resources.join(', ') || 'identities'}` : undefined),
  fix: (obj, r) => removeFrom(obj, r, 'verbs', (v) => v === 'impersonate'),
  bad: ['  - apiGroups: [""]\n    resources: [users, groups, serviceaccounts]\n    verbs: [impersonate]\n'],
  good: ['  - apiGroups: [""]\n    resources: [serviceaccounts]\n    verbs: [get]\n'],
});

const binding = (roleRef: string, subjects: string, kind = 'ClusterRoleBinding') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: app-binding
${kind === 'RoleBinding' ? '  namespace: shop\n' : ''}roleRef:
  apiGroup: rbac.authorization.k8s.io
${roleRef}subjects:
${subjects}`;

function subjects(obj: K8sObject) {
  return items(mapGet(obj.root, 'subjects')).filter((s): s is YMap => s.t === 'map')
    .map((node) => ({ node, kind: str(mapGet(node, 'kind')) ?? '', name: str(mapGet(node, 'name')) ?? '' }));
}

const clusterAdmin = kubernetesRule({
  id: 'k8s-rbac-no-cluster-admin-binding',
  title: 'Binding grants cluster-admin',
  severity: 'high',
  impact: 'cluster-admin is unrestricted superuser access: any compromise of a bound subject (often a pod service account) is a compromise of the whole cluster.',
  remediation: 'Bind a role with only the needed permissions; keep cluster-admin for break-glass users.',
  references: [RBAC_GOOD, `${RBAC_DOC}#user-facing-roles`],
  compliance: ['CIS Kubernetes 5.1.1'],
  equivalents: {},
  kinds: BINDING_KINDS,
  check(obj, ctx) {
    const ref = mapGet(obj.root, 'roleRef');
    if (str(mapGet(ref, 'kind')) !== 'ClusterRole' || str(mapGet(ref, 'name')) !== 'cluster-admin') return;
    const subs = subjects(obj).filter((s) => !(s.kind === 'Group' && s.name === 'system:masters'));
    if (!subs.length && subjects(obj).length) return;
    ctx.report({
      at: mapPair(ref, 'name') ?? obj.root,
      message: `${objName(obj)} binds cluster-admin to ${subs.map((s) => `${s.kind} ${s.name}`).join(', ') || 'its subjects'}.`,
    });
  },
  examples: {
    bad: [binding('  kind: ClusterRole\n  name: cluster-admin\n', '  - kind: ServiceAccount\n    name: ci\n    namespace: build\n')],
    good: [
      binding('  kind: ClusterRole\n  name: view\n', '  - kind: ServiceAccount\n    name: ci\n    namespace: build\n'),
      binding('  kind: ClusterRole\n  name: cluster-admin\n', '  - kind: Group\n    name: system:masters\n    apiGroup: rbac.authorization.k8s.io\n'),
    ],
  },
});

const ANONYMOUS = new Set(['system:anonymous', 'system:unauthenticated']);

const anonymous = kubernetesRule({
  id: 'k8s-rbac-no-anonymous-binding',
  title: 'Binding grants permissions to anonymous users',
  severity: 'critical',
  impact: 'Subjects system:anonymous and system:unauthenticated are every unauthenticated request: the bound permissions are open to anyone who reaches the API server.',
  remediation: 'Remove system:anonymous and system:unauthenticated from the binding subjects.',
  references: [`${RBAC_DOC}#discovery-roles`, 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests'],
  compliance: ['NIST 800-53 AC-6', 'NIST 800-53 AC-14'],
  equivalents: {},
  fixable: true,
  kinds: BINDING_KINDS,
  check(obj, ctx) {
    const role = str(at(obj.root, 'roleRef', 'name')) ?? '?';
    const seq = seqOf(mapGet(obj.root, 'subjects'));
    for (const s of subjects(obj)) {
      if (!ANONYMOUS.has(s.name)) continue;
      const idx = seq ? seq.items.indexOf(s.node) : -1;
      ctx.report({
        at: s.node,
        message: `${objName(obj)} binds ${role} to ${s.name}.`,
        fix: yamlFix(`Remove the subject ${s.name}`, seq && idx >= 0 ? removeSeqItem(obj.file, seq, idx) : undefined),
      });
    }
  },
  examples: {
    bad: [
      binding('  kind: ClusterRole\n  name: view\n', '  - kind: Group\n    name: system:unauthenticated\n    apiGroup: rbac.authorization.k8s.io\n'),
      binding('  kind: ClusterRole\n  name: view\n', '- kind: User\n  name: system:anonymous\n- kind: Group\n  name: readers\n'),
      binding('  kind: ClusterRole\n  name: view\n', '  - {kind: Group, name: readers}\n  - {kind: User, name: system:anonymous}\n'),
    ],
    good: [binding('  kind: Role\n  name: reader\n', '  - kind: Group\n    name: readers\n    apiGroup: rbac.authorization.k8s.io\n', 'RoleBinding')],
  },
});

export const rules: Rule[] = [wildcards, secretsAccess, podExec, createPods, escalate, bind, impersonate, clusterAdmin, anonymous];
