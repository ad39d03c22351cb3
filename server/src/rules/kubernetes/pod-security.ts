import { appendToYamlSeq, removeYamlSeqItem, replaceYamlNode, setYamlPath, yamlFix } from '../../engine/fix';
import { kubernetesRule, type Rule } from '../../engine/rule';
import { WORKLOAD_KINDS, type K8sContainer } from '../../parse/kubernetes';
import type { YMap, YNode } from '../../parse/yaml';
import {
  at, boolSetting, containerAnchor, describe, effective, items, mapGet, mapPair, numSetting, objName, opaque,
  podAnnotations, removeSeqItem, securityContextUnknown, removeYamlPair, replacePairValue, scalar, securityValue, seqOf, setContainerSecurity, str, volumeName, volumes,
} from './util';

const PSS = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';
const SEC_CTX = 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/';

const deployment = (container: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
${container}`;

/** A Pod with 4-space indentation; `spec` is appended after the containers (pod-level keys). */
const pod = (container: string, spec = '', meta = '') => `apiVersion: v1
kind: Pod
metadata:
    name: api
${meta}spec:
    containers:
        - name: api
          image: registry.example.com/api:2.3.1
${container}${spec}`;

const cronJob = (container: string) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          initContainers:
            - {name: init, image: "busybox:1.36"${container}}
          containers:
            - name: report
              image: example/report:1.0
              securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: {drop: [ALL]}}
`;

const privileged = kubernetesRule({
  id: 'k8s-no-privileged-containers',
  title: 'Container runs privileged',
  severity: 'high',
  impact: 'A privileged container has every capability and all host devices: a compromise of the app is a compromise of the node and every pod on it.',
  remediation: 'Remove `privileged: true`; grant only the specific capabilities the workload needs.',
  references: [`${PSS}#baseline`],
  compliance: ['CIS Kubernetes 5.2.2', 'NIST 800-53 AC-6'],
  equivalents: { checkov: ['CKV_K8S_16'], trivy: ['AVD-KSV-0017'], kics: ['dd29336b-fe57-445b-a26e-e6aa867ae609'] },
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    for (const c of obj.containers) {
      const { value, node } = securityValue(c, 'privileged');
      if (value !== true || !node) continue;
      ctx.report({
        at: containerAnchor(c, 'securityContext', 'privileged'),
        message: `The ${describe(obj, c)} runs privileged.`,
        fix: yamlFix('Set privileged: false', setContainerSecurity(obj, c, 'privileged', 'false')),
      });
    }
  },
  examples: {
    bad: [deployment('          securityContext:\n            privileged: true\n'), cronJob(', securityContext: {privileged: true}')],
    good: [deployment('          securityContext:\n            privileged: false\n'), deployment(''), deployment('          securityContext:\n            privileged: "${PRIV}"\n')],
  },
});

const privilegeEscalation = kubernetesRule({
  id: 'k8s-no-privilege-escalation',
  title: 'Container allows privilege escalation',
  severity: 'medium',
  impact: 'Unless allowPrivilegeEscalation is false, a process in the container can gain more privileges than its parent through setuid binaries or file capabilities.',
  remediation: 'Set `securityContext.allowPrivilegeEscalation: false` on every container.',
  references: [`${PSS}#restricted`, SEC_CTX],
  compliance: ['CIS Kubernetes 5.2.6', 'NIST 800-53 AC-6'],
  equivalents: { checkov: ['CKV_K8S_20'], trivy: ['AVD-KSV-0001'], kics: ['5572cc5e-1e4c-4113-92a6-7a8a3bd25e6d'] },
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    for (const c of obj.containers) {
      const v = boolSetting(securityValue(c, 'allowPrivilegeEscalation').node);
      if (v === false || v === 'unknown') continue;
      ctx.report({
        at: containerAnchor(c, 'securityContext', 'allowPrivilegeEscalation'),
        message: v === true
          ? `The ${describe(obj, c)} sets allowPrivilegeEscalation: true.`
          : `The ${describe(obj, c)} does not set allowPrivilegeEscalation: false.`,
        fix: yamlFix('Set allowPrivilegeEscalation: false', setContainerSecurity(obj, c, 'allowPrivilegeEscalation', 'false')),
      });
    }
  },
  examples: {
    bad: [
      deployment(''),
      pod('          securityContext:\n              allowPrivilegeEscalation: true\n'),
      cronJob(''),
      pod('          securityContext: {}\n'),
      pod('          securityContext:\n'),
    ],
    good: [
      deployment('          securityContext:\n            allowPrivilegeEscalation: false\n'),
      cronJob(', securityContext: {allowPrivilegeEscalation: false}'),
      pod('          securityContext:\n              allowPrivilegeEscalation: ${APE}\n'),
      pod('          securityContext: ${SECURITY_CONTEXT}\n'),
    ],
  },
});

function hasAll(values: unknown[]): boolean {
  return values.some((v) => typeof v === 'string' && v.toUpperCase() === 'ALL');
}

const dropAll = kubernetesRule({
  id: 'k8s-drop-all-capabilities',
  title: 'Container does not drop all capabilities',
  severity: 'low',
  impact: 'The default capability set (NET_RAW, CHOWN, SETUID, ...) lets a compromised process spoof packets or change file ownership; dropping ALL removes this attack surface.',
  remediation: 'Set `securityContext.capabilities.drop: ["ALL"]` and add back only the capabilities the process needs.',
  references: [`${PSS}#restricted`, SEC_CTX],
  compliance: ['CIS Kubernetes 5.2.10'],
  equivalents: { checkov: ['CKV_K8S_37'], trivy: ['AVD-KSV-0003'] },
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    for (const c of obj.containers) {
      if (securityContextUnknown(c)) continue;
      const caps = at(c.node, 'securityContext', 'capabilities');
      if (caps && caps.t !== 'map' && !(caps.t === 'scalar' && caps.value === null)) continue;
      const dropPair = mapPair(caps, 'drop');
      const drop = dropPair?.value;
      let fix;
      if (drop && drop.t === 'seq') {
        const vals = drop.items.map((i) => scalar(i));
        if (hasAll(vals)) continue;
        if (vals.some((v) => typeof v === 'string' && /\$\{|\{\{/.test(v))) continue;
        fix = appendToYamlSeq(obj.file, drop, 'ALL');
      } else if (drop && drop.t !== 'scalar') {
        continue;
      } else if (drop && drop.t === 'scalar' && drop.value !== null) {
        continue; // a single string or a placeholder: not a list we understand
      } else if (dropPair) {
        fix = replacePairValue(obj.file, dropPair, '[ALL]');
      } else {
        fix = setYamlPath(obj.file, c.node, ['securityContext', 'capabilities', 'drop'], '[ALL]');
      }
      ctx.report({
        at: containerAnchor(c, 'securityContext', 'capabilities', 'drop'),
        message: `The ${describe(obj, c)} does not drop ALL capabilities.`,
        fix: yamlFix('Drop ALL capabilities', fix),
      });
    }
  },
  examples: {
    bad: [
      deployment(''),
      pod('          securityContext:\n              capabilities:\n                  drop:\n                      - NET_RAW\n'),
      pod('          securityContext:\n              capabilities:\n                  add: [NET_BIND_SERVICE]\n'),
      cronJob(''),
      pod('          securityContext:\n              capabilities:\n                  drop:\n'),
    ],
    good: [
      pod('          securityContext:\n              capabilities:\n                  drop:\n                      - all\n'),
      cronJob(', securityContext: {capabilities: {drop: ["ALL"]}}'),
      pod('          securityContext:\n              capabilities:\n                  drop: ${DROPPED}\n'),
      pod('          securityContext: ${SECURITY_CONTEXT}\n'),
    ],
  },
});

function addedCaps(c: K8sContainer) {
  const pair = mapPair(at(c.node, 'securityContext', 'capabilities'), 'add');
  const seq = seqOf(pair?.value);
  return { pair, seq, names: seq ? seq.items.map((i) => str(i) ?? '') : [] };
}

const isSysAdmin = (n: string) => /^(CAP_)?SYS_ADMIN$/i.test(n);

const sysAdmin = kubernetesRule({
  id: 'k8s-no-sys-admin-capability',
  title: 'Container adds the SYS_ADMIN capability',
  severity: 'high',
  impact: 'CAP_SYS_ADMIN allows mounting filesystems, using namespaces and many other administrative operations: it is close to running privileged and enables container escapes.',
  remediation: 'Remove SYS_ADMIN from `securityContext.capabilities.add`.',
  references: [`${PSS}#baseline`, 'https://man7.org/linux/man-pages/man7/capabilities.7.html'],
  compliance: ['CIS Kubernetes 5.2.9'],
  equivalents: { checkov: ['CKV_K8S_39'], trivy: ['AVD-KSV-0005'], kics: ['235236ee-ad78-4065-bd29-61b061f28ce0'] },
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    for (const c of obj.containers) {
      const { pair, seq, names } = addedCaps(c);
      if (!pair || !seq) continue;
      const idx = names.findIndex(isSysAdmin);
      if (idx < 0) continue;
      const onlySysAdmin = names.every(isSysAdmin);
      const edit = onlySysAdmin ? replacePairValue(obj.file, pair, '[]') : removeYamlSeqItem(obj.file, seq, idx);
      ctx.report({
        at: seq.items[idx]!,
        message: `The ${describe(obj, c)} adds the ${names[idx]} capability.`,
        fix: yamlFix(`Remove ${names[idx]} from the added capabilities`, edit),
      });
    }
  },
  examples: {
    bad: [
      pod('          securityContext:\n              capabilities:\n                  add:\n                      - SYS_ADMIN\n'),
      pod('          securityContext:\n              capabilities:\n                  add:\n                      - NET_ADMIN\n                      - CAP_SYS_ADMIN\n'),
      cronJob(', securityContext: {capabilities: {add: [SYS_ADMIN, CHOWN]}}'),
    ],
    good: [pod('          securityContext:\n              capabilities:\n                  add: [NET_BIND_SERVICE]\n'), deployment('')],
  },
});

const addedCapabilities = kubernetesRule({
  id: 'k8s-no-added-capabilities',
  title: 'Container adds Linux capabilities',
  severity: 'medium',
  impact: 'Each added capability widens what a compromised process may do on the node (bind low ports, change network settings, trace processes, ...).',
  remediation: 'Remove `securityContext.capabilities.add`, or keep only the capabilities the workload cannot run without.',
  references: [`${PSS}#baseline`, SEC_CTX],
  compliance: ['CIS Kubernetes 5.2.9'],
  equivalents: { checkov: ['CKV_K8S_25'], trivy: ['AVD-KSV-0022'], kics: ['19ebaa28-fc86-4a58-bcfa-015c9e22fe40'] },
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    for (const c of obj.containers) {
      const { pair, seq, names } = addedCaps(c);
      if (!pair || !seq || seq.items.length === 0) continue;
      if (names.some((n) => /\$\{|\{\{/.test(n))) continue;
      ctx.report({
        at: pair,
        message: `The ${describe(obj, c)} adds capabilities: ${names.join(', ')}.`,
        fix: yamlFix('Remove the added capabilities', replacePairValue(obj.file, pair, '[]')),
      });
    }
  },
  examples: {
    bad: [
      pod('          securityContext:\n              capabilities:\n                  add:\n                      - NET_ADMIN\n'),
      cronJob(', securityContext: {capabilities: {add: [NET_BIND_SERVICE]}}'),
    ],
    good: [pod('          securityContext:\n              capabilities:\n                  add: []\n                  drop: [ALL]\n'), deployment('')],
  },
});

const readOnlyRoot = kubernetesRule({
  id: 'k8s-read-only-root-filesystem',
  title: 'Container root filesystem is writable',
  severity: 'medium',
  impact: 'An attacker who gains code execution can modify binaries and configuration or drop tools in a writable root filesystem.',
  remediation: 'Set `securityContext.readOnlyRootFilesystem: true` and mount writable volumes (emptyDir) only where the app writes.',
  references: [SEC_CTX],
  compliance: ['NIST 800-53 CM-5'],
  equivalents: { checkov: ['CKV_K8S_22'], trivy: ['AVD-KSV-0014'], kics: ['a9c2f49d-0671-4fc9-9ece-f4e261e128d0'] },
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    for (const c of obj.containers) {
      const v = boolSetting(securityValue(c, 'readOnlyRootFilesystem').node);
      if (v === true || v === 'unknown') continue;
      ctx.report({
        at: containerAnchor(c, 'securityContext', 'readOnlyRootFilesystem'),
        message: v === false
          ? `The ${describe(obj, c)} sets readOnlyRootFilesystem: false.`
          : `The ${describe(obj, c)} does not set readOnlyRootFilesystem: true.`,
        fix: yamlFix('Set readOnlyRootFilesystem: true', setContainerSecurity(obj, c, 'readOnlyRootFilesystem', 'true')),
      });
    }
  },
  examples: {
    bad: [deployment(''), pod('          securityContext:\n              readOnlyRootFilesystem: false\n'), cronJob('')],
    good: [
      deployment('          securityContext:\n            readOnlyRootFilesystem: true\n'),
      cronJob(', securityContext: {readOnlyRootFilesystem: true}'),
      pod('          securityContext:\n              readOnlyRootFilesystem: ${RO}\n'),
    ],
  },
});

const runAsNonRoot = kubernetesRule({
  id: 'k8s-run-as-non-root',
  title: 'Container may run as root',
  severity: 'medium',
  impact: 'A process running as UID 0 in the container is root on the node if it escapes, and can read or change every file in the container.',
  remediation: 'Set `securityContext.runAsNonRoot: true` (container or pod) and build the image with a non-root USER.',
  references: [`${PSS}#restricted`, SEC_CTX],
  compliance: ['CIS Kubernetes 5.2.7', 'NIST 800-53 AC-6'],
  equivalents: { checkov: ['CKV_K8S_23'], trivy: ['AVD-KSV-0012'], kics: ['cf34805e-3872-4c08-bf92-6ff7bb0cfadb'] },
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    for (const c of obj.containers) {
      const nr = effective(c, 'runAsNonRoot');
      const v = boolSetting(nr.node);
      if (v === true || v === 'unknown') continue;
      const uid = numSetting(effective(c, 'runAsUser').node);
      if (uid === 'unknown' || (typeof uid === 'number' && uid > 0)) continue;
      if (uid === 0) continue; // reported by k8s-no-root-user
      ctx.report({
        at: nr.node && !nr.fromPod ? nr.node : containerAnchor(c),
        message: v === false
          ? `The ${describe(obj, c)} sets runAsNonRoot: false${nr.fromPod ? ' (pod level)' : ''} and no non-root runAsUser.`
          : `The ${describe(obj, c)} does not set runAsNonRoot: true or a non-root runAsUser.`,
        fix: yamlFix('Set runAsNonRoot: true', setContainerSecurity(obj, c, 'runAsNonRoot', 'true')),
      });
    }
  },
  examples: {
    bad: [
      deployment(''),
      pod('          securityContext:\n              runAsNonRoot: false\n'),
      pod('', '    securityContext:\n        runAsNonRoot: false\n'),
      cronJob(''),
    ],
    good: [
      deployment('          securityContext:\n            runAsNonRoot: true\n'),
      pod('', '    securityContext:\n        runAsNonRoot: true\n'),
      pod('          securityContext:\n              runAsUser: 1000\n'),
      cronJob(', securityContext: {runAsNonRoot: true}'),
      pod('          securityContext:\n              runAsNonRoot: ${NONROOT}\n'),
      pod('', '    securityContext: ${POD_SECURITY_CONTEXT}\n'),
    ],
  },
});

const rootUser = kubernetesRule({
  id: 'k8s-no-root-user',
  title: 'Container runs with UID 0',
  severity: 'medium',
  impact: 'runAsUser: 0 makes the process root inside the container, and root on the node after an escape.',
  remediation: 'Set `runAsUser` to a non-zero UID (and `runAsNonRoot: true`).',
  references: [`${PSS}#restricted`, SEC_CTX],
  compliance: ['CIS Kubernetes 5.2.7'],
  equivalents: {},
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    for (const c of obj.containers) {
      const u = effective(c, 'runAsUser');
      if (numSetting(u.node) !== 0 || !u.node) continue;
      ctx.report({
        at: u.node,
        message: `The ${describe(obj, c)} runs as runAsUser: 0${u.fromPod ? ' (pod level)' : ''}.`,
        fix: yamlFix('Set runAsUser: 10001', replaceYamlNode(obj.file, u.node, '10001')),
      });
    }
  },
  examples: {
    bad: [pod('          securityContext:\n              runAsUser: 0\n'), pod('', '    securityContext:\n        runAsUser: 0\n')],
    good: [pod('          securityContext:\n              runAsUser: 10001\n'), deployment(''), pod('', '    securityContext:\n        runAsUser: 1000\n'), pod('          securityContext:\n              runAsUser: ${UID}\n')],
  },
});

function highIdRule(key: 'runAsUser' | 'runAsGroup', id: string, trivy: string, extra: { checkov?: string[]; kics?: string[] }) {
  const what = key === 'runAsUser' ? 'UID' : 'GID';
  return kubernetesRule({
    id,
    title: `Container runs with a ${what} <= 10000`,
    severity: 'low',
    impact: `A low ${what} can collide with a privileged user or group of the host; after an escape the process would act as that host identity.`,
    remediation: `Set \`securityContext.${key}\` (container or pod) to a value above 10000.`,
    references: [SEC_CTX, 'https://kubesec.io/basics/containers-securitycontext-runasuser/'],
    compliance: ['NIST 800-53 AC-6'],
    equivalents: { trivy: [trivy], ...extra },
    fixable: true,
    kinds: WORKLOAD_KINDS,
    check(obj, ctx) {
      for (const c of obj.containers) {
        const s = effective(c, key);
        const v = numSetting(s.node);
        if (v === 'unknown' || (typeof v === 'number' && v > 10000)) continue;
        ctx.report({
          at: s.node && !s.fromPod ? s.node : containerAnchor(c),
          message: v === 'absent'
            ? `The ${describe(obj, c)} does not set ${key} (the image default applies).`
            : `The ${describe(obj, c)} runs with ${key}: ${v}${s.fromPod ? ' (pod level)' : ''}, not above 10000.`,
          fix: yamlFix(`Set ${key}: 10001`, setContainerSecurity(obj, c, key, '10001')),
        });
      }
    },
    examples: {
      bad: [deployment(''), pod(`          securityContext:\n              ${key}: 1000\n`), pod('', `    securityContext:\n        ${key}: 10000\n`)],
      good: [
        pod(`          securityContext:\n              ${key}: 10001\n`),
        pod('', `    securityContext:\n        ${key}: 20000\n`),
        cronJob(`, securityContext: {${key}: 65534}`).replace('runAsNonRoot: true,', `runAsNonRoot: true, ${key}: 65534,`),
        pod(`          securityContext:\n              ${key}: \${ID}\n`),
      ],
    },
  });
}

const highUid = highIdRule('runAsUser', 'k8s-run-as-high-uid', 'AVD-KSV-0020', { checkov: ['CKV_K8S_40'], kics: ['02323c00-cdc3-4fdc-a310-4f2b3e7a1660'] });
const highGid = highIdRule('runAsGroup', 'k8s-run-as-high-gid', 'AVD-KSV-0021', {});

// ---------------------------------------------------------------- seccomp / AppArmor / SELinux

const SECCOMP_OK = new Set(['RuntimeDefault', 'Localhost']);
const annotationOk = (v: string | undefined) => v === 'runtime/default' || v === 'docker/default' || (v?.startsWith('localhost/') ?? false);

const seccomp = kubernetesRule({
  id: 'k8s-seccomp-runtime-default',
  title: 'Seccomp profile is not RuntimeDefault',
  severity: 'low',
  impact: 'Without a seccomp profile (Unconfined) the container can use every system call, including rarely needed ones with a history of kernel exploits.',
  remediation: 'Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod or on every container (or Localhost with a vetted profile).',
  references: [`${PSS}#restricted`, 'https://kubernetes.io/docs/tutorials/security/seccomp/'],
  compliance: ['CIS Kubernetes 5.7.2'],
  equivalents: { checkov: ['CKV_K8S_31'], trivy: ['AVD-KSV-0030'], kics: ['f377b83e-bd07-4f48-a591-60c82b14a78b'] },
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    const ann = podAnnotations(obj);
    const podAnn = str(mapGet(ann, 'seccomp.security.alpha.kubernetes.io/pod'));
    const podTypeNode = at(obj.podSpec, 'securityContext', 'seccompProfile', 'type');
    const podType = str(podTypeNode);
    if (podTypeNode && podType !== undefined && !SECCOMP_OK.has(podType) && !/\$\{|\{\{/.test(podType)) {
      ctx.report({
        at: podTypeNode,
        message: `${objName(obj)} sets the pod seccomp profile type to ${podType}.`,
        fix: yamlFix('Set seccompProfile.type: RuntimeDefault', replaceYamlNode(obj.file, podTypeNode, 'RuntimeDefault')),
      });
    }
    if (podAnn !== undefined && !annotationOk(podAnn) && podType === undefined) {
      const pair = mapPair(ann, 'seccomp.security.alpha.kubernetes.io/pod')!;
      ctx.report({
        at: pair,
        message: `${objName(obj)} sets the seccomp annotation to ${podAnn}.`,
        fix: yamlFix('Set the seccomp annotation to runtime/default', replaceYamlNode(obj.file, pair.value!, 'runtime/default')),
      });
    }
    const podUnknown = opaque(mapGet(obj.podSpec, 'securityContext')) || opaque(at(obj.podSpec, 'securityContext', 'seccompProfile'));
    for (const c of obj.containers) {
      if (securityContextUnknown(c)) continue;
      if (opaque(at(c.node, 'securityContext', 'seccompProfile'))) continue;
      const typeNode = at(c.node, 'securityContext', 'seccompProfile', 'type');
      const type = str(typeNode);
      if (type !== undefined && /\$\{|\{\{/.test(type)) continue;
      if (type !== undefined) {
        if (SECCOMP_OK.has(type)) continue;
        ctx.report({
          at: typeNode!,
          message: `The ${describe(obj, c)} sets the seccomp profile type to ${type}.`,
          fix: yamlFix('Set seccompProfile.type: RuntimeDefault', replaceYamlNode(obj.file, typeNode!, 'RuntimeDefault')),
        });
        continue;
      }
      if (podType !== undefined || podUnknown) continue; // inherits the pod profile, judged above
      const cAnn = str(mapGet(ann, `container.seccomp.security.alpha.kubernetes.io/${c.name}`));
      if (cAnn !== undefined ? annotationOk(cAnn) : podAnn !== undefined && annotationOk(podAnn)) continue;
      if (cAnn !== undefined || podAnn !== undefined) continue; // a bad annotation is reported on its own
      ctx.report({
        at: containerAnchor(c),
        message: `The ${describe(obj, c)} has no seccomp profile (neither the pod nor the container sets one).`,
        fix: yamlFix('Set seccompProfile.type: RuntimeDefault', setYamlPath(obj.file, c.node, ['securityContext', 'seccompProfile', 'type'], 'RuntimeDefault')),
      });
    }
  },
  examples: {
    bad: [
      deployment(''),
      pod('          securityContext:\n              seccompProfile:\n                  type: Unconfined\n'),
      pod('', '    securityContext:\n        seccompProfile:\n            type: Unconfined\n'),
      cronJob(''),
      pod('', '', '    annotations:\n        seccomp.security.alpha.kubernetes.io/pod: unconfined\n'),
    ],
    good: [
      pod('', '    securityContext:\n        seccompProfile:\n            type: RuntimeDefault\n'),
      deployment('          securityContext:\n            seccompProfile: {type: Localhost, localhostProfile: profiles/app.json}\n'),
      cronJob(', securityContext: {seccompProfile: {type: RuntimeDefault}}').replace('runAsNonRoot: true,', 'runAsNonRoot: true, seccompProfile: {type: RuntimeDefault},'),
      pod('', '', '    annotations:\n        seccomp.security.alpha.kubernetes.io/pod: runtime/default\n'),
      pod('          securityContext:\n              seccompProfile:\n                  type: ${SECCOMP}\n'),
      pod('', '    securityContext: ${POD_SECURITY_CONTEXT}\n'),
    ],
  },
});

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

const appArmor = kubernetesRule({
  id: 'k8s-apparmor-runtime-default',
  title: 'AppArmor profile is overridden or unconfined',
  severity: 'low',
  impact: 'A container running unconfined or with a custom AppArmor profile loses the restrictions of the runtime default profile on file, mount and network access.',
  remediation: 'Use the runtime/default AppArmor profile (annotation value `runtime/default` or `appArmorProfile.type: RuntimeDefault`) or a vetted localhost profile.',
  references: [`${PSS}#baseline`, 'https://kubernetes.io/docs/tutorials/security/apparmor/'],
  compliance: ['CIS Kubernetes 5.7.2'],
  equivalents: { trivy: ['AVD-KSV-0002'] },
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    const ann = podAnnotations(obj);
    for (const c of obj.containers) {
      const pair = mapPair(ann, `${APPARMOR_PREFIX}${c.name}`);
      const v = str(pair?.value);
      if (pair && pair.value && v !== undefined && !annotationOk(v) && !/\$\{|\{\{/.test(v)) {
        ctx.report({
          at: pair,
          message: `The ${describe(obj, c)} uses the AppArmor profile "${v}" instead of runtime/default.`,
          fix: yamlFix('Use the runtime/default AppArmor profile', replaceYamlNode(obj.file, pair.value, 'runtime/default')),
        });
      }
      const typeNode = at(c.node, 'securityContext', 'appArmorProfile', 'type');
      if (str(typeNode) === 'Unconfined') {
        ctx.report({
          at: typeNode!,
          message: `The ${describe(obj, c)} runs with appArmorProfile type Unconfined.`,
          fix: yamlFix('Set appArmorProfile.type: RuntimeDefault', replaceYamlNode(obj.file, typeNode!, 'RuntimeDefault')),
        });
      }
    }
    const podType = at(obj.podSpec, 'securityContext', 'appArmorProfile', 'type');
    if (str(podType) === 'Unconfined') {
      ctx.report({
        at: podType!,
        message: `${objName(obj)} runs its pod with appArmorProfile type Unconfined.`,
        fix: yamlFix('Set appArmorProfile.type: RuntimeDefault', replaceYamlNode(obj.file, podType!, 'RuntimeDefault')),
      });
    }
  },
  examples: {
    bad: [
      pod('', '', '    annotations:\n        container.apparmor.security.beta.kubernetes.io/api: unconfined\n'),
      pod('          securityContext:\n              appArmorProfile:\n                  type: Unconfined\n'),
      pod('', '    securityContext:\n        appArmorProfile: {type: Unconfined}\n'),
    ],
    good: [
      pod('', '', '    annotations:\n        container.apparmor.security.beta.kubernetes.io/api: runtime/default\n'),
      pod('', '', '    annotations:\n        container.apparmor.security.beta.kubernetes.io/api: localhost/k8s-apparmor-example\n'),
      deployment(''),
      pod('', '', '    annotations:\n        container.apparmor.security.beta.kubernetes.io/api: ${PROFILE}\n'),
    ],
  },
});

const SELINUX_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

const seLinux = kubernetesRule({
  id: 'k8s-no-custom-selinux-options',
  title: 'Custom SELinux options are set',
  severity: 'medium',
  impact: 'A custom SELinux type, user or role can lift the confinement the container runtime applies, giving the container access to host files and processes.',
  remediation: 'Remove `seLinuxOptions`, or set only `type` to container_t, container_init_t or container_kvm_t (and `level`).',
  references: [`${PSS}#baseline`],
  compliance: ['NIST 800-53 AC-6'],
  equivalents: { trivy: ['AVD-KSV-0025'] },
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    const contexts: { opts: YMap; where: string; sc: YNode | null | undefined }[] = [];
    const podSc = mapGet(obj.podSpec, 'securityContext');
    const podOpts = mapGet(podSc, 'seLinuxOptions');
    if (podOpts?.t === 'map') contexts.push({ opts: podOpts, where: `the pod of ${objName(obj)}`, sc: podSc });
    for (const c of obj.containers) {
      const sc = mapGet(c.node, 'securityContext');
      const o = mapGet(sc, 'seLinuxOptions');
      if (o?.t === 'map') contexts.push({ opts: o, where: `the ${describe(obj, c)}`, sc });
    }
    for (const { opts, where, sc } of contexts) {
      const type = str(mapGet(opts, 'type'));
      const bad: string[] = [];
      if (type !== undefined && type !== '' && !SELINUX_TYPES.has(type) && !/\$\{|\{\{/.test(type)) bad.push(`type ${type}`);
      for (const k of ['user', 'role']) if (str(mapGet(opts, k))) bad.push(`${k} ${str(mapGet(opts, k))}`);
      if (!bad.length) continue;
      const pair = sc?.t === 'map' ? mapPair(sc, 'seLinuxOptions') : undefined;
      ctx.report({
        at: opts,
        message: `SELinux options of ${where} set ${bad.join(', ')}.`,
        fix: yamlFix('Remove the custom seLinuxOptions', sc?.t === 'map' && pair ? removeYamlPair(obj.file, sc, pair) : undefined),
      });
    }
  },
  examples: {
    bad: [
      pod('', '    securityContext:\n        seLinuxOptions:\n            type: spc_t\n'),
      pod('          securityContext:\n              seLinuxOptions:\n                  user: system_u\n                  role: system_r\n'),
    ],
    good: [
      pod('', '    securityContext:\n        seLinuxOptions:\n            type: container_t\n            level: "s0:c123,c456"\n'),
      deployment(''),
      pod('', '    securityContext: null\n'),
    ],
  },
});

const procMount = kubernetesRule({
  id: 'k8s-no-unmasked-proc-mount',
  title: 'Container uses an unmasked /proc',
  severity: 'medium',
  impact: 'procMount: Unmasked exposes the host /proc paths the runtime normally masks (kernel keys, timers, sysrq), easing information leaks and escapes.',
  remediation: 'Remove `procMount` or set it to `Default`.',
  references: [`${PSS}#baseline`],
  compliance: ['NIST 800-53 AC-6'],
  equivalents: { trivy: ['AVD-KSV-0027'], kics: ['f922827f-aab6-447c-832a-e1ff63312bd3'] },
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    for (const c of obj.containers) {
      const node = at(c.node, 'securityContext', 'procMount');
      const v = str(node);
      if (!node || v === undefined || v === 'Default' || /\$\{|\{\{/.test(v)) continue;
      ctx.report({
        at: node,
        message: `The ${describe(obj, c)} sets procMount: ${v}.`,
        fix: yamlFix('Set procMount: Default', replaceYamlNode(obj.file, node, 'Default')),
      });
    }
  },
  examples: {
    bad: [pod('          securityContext:\n              procMount: Unmasked\n'), cronJob(', securityContext: {procMount: Unmasked}')],
    good: [pod('          securityContext:\n              procMount: Default\n'), deployment('')],
  },
});

const hostProcess = kubernetesRule({
  id: 'k8s-no-windows-host-process',
  title: 'Windows container runs as a HostProcess',
  severity: 'high',
  impact: 'A Windows HostProcess container runs directly on the host with the node\'s network and file system: it is the Windows equivalent of a privileged container.',
  remediation: 'Remove `windowsOptions.hostProcess: true` (and `hostNetwork`) from the pod and container security contexts.',
  references: [`${PSS}#baseline`, 'https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/'],
  compliance: ['CIS Kubernetes 5.2.11', 'NIST 800-53 AC-6'],
  equivalents: {},
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    const podNode = at(obj.podSpec, 'securityContext', 'windowsOptions', 'hostProcess');
    if (boolSetting(podNode) === true && podNode) {
      ctx.report({
        at: podNode,
        message: `${objName(obj)} sets windowsOptions.hostProcess: true for the pod.`,
        fix: yamlFix('Set hostProcess: false', replaceYamlNode(obj.file, podNode, 'false')),
      });
    }
    for (const c of obj.containers) {
      const node = at(c.node, 'securityContext', 'windowsOptions', 'hostProcess');
      if (boolSetting(node) !== true || !node) continue;
      ctx.report({
        at: node,
        message: `The ${describe(obj, c)} sets windowsOptions.hostProcess: true.`,
        fix: yamlFix('Set hostProcess: false', replaceYamlNode(obj.file, node, 'false')),
      });
    }
  },
  examples: {
    bad: [
      pod('', '    securityContext:\n        windowsOptions:\n            hostProcess: true\n            runAsUserName: "NT AUTHORITY\\\\SYSTEM"\n'),
      pod('          securityContext:\n              windowsOptions: {hostProcess: true}\n'),
    ],
    good: [pod('          securityContext:\n              windowsOptions: {hostProcess: false}\n'), deployment('')],
  },
});

// ---------------------------------------------------------------- host namespaces, ports, volumes

function hostNamespaceRule(key: 'hostNetwork' | 'hostPID' | 'hostIPC', id: string, meta: { title: string; impact: string; trivy: string; checkov: string; kics: string; cis: string }) {
  return kubernetesRule({
    id,
    title: meta.title,
    severity: 'high',
    impact: meta.impact,
    remediation: `Remove \`${key}: true\` from the pod spec.`,
    references: [`${PSS}#baseline`],
    compliance: [meta.cis],
    equivalents: { checkov: [meta.checkov], trivy: [meta.trivy], kics: [meta.kics] },
    fixable: true,
    kinds: WORKLOAD_KINDS,
    check(obj, ctx) {
      const node = mapGet(obj.podSpec, key);
      if (boolSetting(node) !== true || !node) return;
      ctx.report({
        at: mapPair(obj.podSpec, key) ?? node,
        message: `${objName(obj)} sets ${key}: true.`,
        fix: yamlFix(`Set ${key}: false`, replaceYamlNode(obj.file, node, 'false')),
      });
    },
    examples: {
      bad: [pod('', `    ${key}: true\n`), deployment('').replace('      containers:', `      ${key}: true\n      containers:`)],
      good: [pod('', `    ${key}: false\n`), deployment(''), pod('', `    ${key}: \${HOST}\n`)],
    },
  });
}

const hostNetwork = hostNamespaceRule('hostNetwork', 'k8s-no-host-network', {
  title: 'Pod uses the host network namespace',
  impact: 'With the host network the pod sees all node traffic, can bind node ports and reach services listening on localhost of the node.',
  trivy: 'AVD-KSV-0009', checkov: 'CKV_K8S_19', kics: '6b6bdfb3-c3ae-44cb-88e4-7405c1ba2c8a', cis: 'CIS Kubernetes 5.2.5',
});
const hostPid = hostNamespaceRule('hostPID', 'k8s-no-host-pid', {
  title: 'Pod shares the host process namespace',
  impact: 'With hostPID the containers see every process of the node and can inspect their environment or signal them, a common container escape path.',
  trivy: 'AVD-KSV-0010', checkov: 'CKV_K8S_17', kics: '302736f4-b16c-41b8-befe-c0baffa0bd9d', cis: 'CIS Kubernetes 5.2.3',
});
const hostIpc = hostNamespaceRule('hostIPC', 'k8s-no-host-ipc', {
  title: 'Pod shares the host IPC namespace',
  impact: 'With hostIPC the containers can read and write the shared memory of every process on the node.',
  trivy: 'AVD-KSV-0008', checkov: 'CKV_K8S_18', kics: 'cd290efd-6c82-4e9d-a698-be12ae31d536', cis: 'CIS Kubernetes 5.2.4',
});

const hostPort = kubernetesRule({
  id: 'k8s-no-host-port',
  title: 'Container binds a host port',
  severity: 'high',
  impact: 'A hostPort exposes the container directly on the node address, bypassing Services and NetworkPolicies, and limits scheduling.',
  remediation: 'Remove `hostPort` and expose the container through a Service.',
  references: [`${PSS}#baseline`, 'https://kubernetes.io/docs/concepts/configuration/overview/#services'],
  compliance: ['CIS Kubernetes 5.2.13', 'NIST 800-53 SC-7'],
  equivalents: { checkov: ['CKV_K8S_26'], trivy: ['AVD-KSV-0024'], kics: ['2b1836f1-dcce-416e-8e16-da8c71920633'] },
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    for (const c of obj.containers) {
      for (const p of items(mapGet(c.node, 'ports'))) {
        if (p.t !== 'map') continue;
        const hp = mapPair(p, 'hostPort');
        const v = numSetting(hp?.value);
        if (!hp || typeof v !== 'number' || v === 0) continue;
        // Keep the port declared on the container: drop hostPort, or rename it when it is the only port number.
        const edit = mapPair(p, 'containerPort')
          ? removeYamlPair(obj.file, p, hp)
          : { file: obj.file.path, start: hp.keySpan.start, end: hp.keySpan.end, newText: 'containerPort' };
        ctx.report({ at: hp, message: `The ${describe(obj, c)} binds host port ${v}.`, fix: yamlFix('Remove hostPort', edit) });
      }
    }
  },
  examples: {
    bad: [
      pod('          ports:\n            - containerPort: 8080\n              hostPort: 80\n'),
      cronJob(', ports: [{hostPort: 9090}]'),
      pod('          ports:\n            - hostPort: 8080\n              containerPort: 8080\n              protocol: TCP\n'),
      pod('          ports:\n            - hostPort: 8080\n'),
    ],
    good: [pod('          ports:\n            - containerPort: 8080\n'), deployment('')],
  },
});

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);

const sysctls = kubernetesRule({
  id: 'k8s-no-unsafe-sysctls',
  title: 'Pod sets unsafe sysctls',
  severity: 'medium',
  impact: 'Sysctls outside the safe set are not isolated per pod: they change kernel behaviour for the whole node and can disable security mechanisms.',
  remediation: 'Remove the sysctls that are not in the Kubernetes safe set from `securityContext.sysctls`.',
  references: [`${PSS}#baseline`, 'https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/'],
  compliance: ['NIST 800-53 CM-7'],
  equivalents: { trivy: ['AVD-KSV-0026'], kics: ['9127f0d9-2310-42e7-866f-5fd9d20dcbad'] },
  fixable: true,
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    const seq = seqOf(at(obj.podSpec, 'securityContext', 'sysctls'));
    if (!seq) return;
    seq.items.forEach((s, idx) => {
      const name = str(mapGet(s, 'name'));
      if (name === undefined || SAFE_SYSCTLS.has(name.replace(/\//g, '.')) || /\$\{|\{\{/.test(name)) return;
      ctx.report({ at: s, message: `${objName(obj)} sets the unsafe sysctl ${name}.`, fix: yamlFix(`Remove the sysctl ${name}`, removeSeqItem(obj.file, seq, idx)) });
    });
  },
  examples: {
    bad: [
      pod('', '    securityContext:\n        sysctls:\n            - name: kernel.msgmax\n              value: "65536"\n'),
      pod('', '    securityContext:\n        runAsNonRoot: true\n        sysctls:\n        - name: net.ipv4.tcp_syncookies\n          value: "1"\n        - name: net.core.somaxconn\n          value: "1024"\n        - {name: kernel.msgmnb, value: "65536"}\n        fsGroup: 2000\n'),
      pod('', '    securityContext:\n        sysctls: [{name: net.core.somaxconn, value: "1024"}]\n'),
    ],
    good: [pod('', '    securityContext:\n        sysctls:\n            - name: net.ipv4.tcp_syncookies\n              value: "1"\n'), deployment('')],
  },
});

const hostPath = kubernetesRule({
  id: 'k8s-no-host-path-volumes',
  title: 'Pod mounts a hostPath volume',
  severity: 'medium',
  impact: 'A hostPath volume gives the pod direct access to the node filesystem; writable mounts of sensitive paths lead to node compromise.',
  remediation: 'Replace hostPath volumes with emptyDir, configMap, secret or persistent volumes.',
  references: [`${PSS}#baseline`, 'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath'],
  compliance: ['CIS Kubernetes 5.2.12', 'NIST 800-53 AC-6'],
  equivalents: { trivy: ['AVD-KSV-0023'], kics: ['aa8f7a35-9923-4cad-bd61-a19b7f6aac91'] },
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    for (const v of volumes(obj)) {
      const hp = mapPair(v, 'hostPath');
      if (!hp) continue;
      const path = str(at(v, 'hostPath', 'path'));
      ctx.report({ at: hp, message: `${objName(obj)} mounts the host path ${path ?? '(unknown)'} as volume ${volumeName(v)}.` });
    }
  },
  examples: {
    bad: [pod('', '    volumes:\n        - name: logs\n          hostPath:\n              path: /var/log\n')],
    good: [pod('', '    volumes:\n        - name: cache\n          emptyDir: {}\n'), deployment('')],
  },
});

const RUNTIME_SOCKET = /(^|\/)(docker|containerd|crio|cri-dockerd|podman)\.sock$|^\/(var\/)?run\/?$|^\/(var\/)?run\/(docker|containerd|crio)\/?$|^\/var\/lib\/docker\/?$/;

const dockerSocket = kubernetesRule({
  id: 'k8s-no-container-runtime-socket',
  title: 'Pod mounts the container runtime socket',
  severity: 'high',
  impact: 'Access to docker.sock (or the containerd/CRI-O socket) lets the pod start privileged containers on the node: full node compromise.',
  remediation: 'Do not mount the container runtime socket into pods.',
  references: ['https://kubernetes.io/docs/concepts/storage/volumes/#hostpath', 'https://docs.docker.com/engine/security/#docker-daemon-attack-surface'],
  compliance: ['CIS Kubernetes 5.2.12', 'NIST 800-53 AC-6'],
  equivalents: { checkov: ['CKV_K8S_27'], trivy: ['AVD-KSV-0006'], kics: ['a6f34658-fdfb-4154-9536-56d516f65828'] },
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    for (const v of volumes(obj)) {
      const pathNode = at(v, 'hostPath', 'path');
      const path = str(pathNode);
      if (!pathNode || path === undefined || !RUNTIME_SOCKET.test(path)) continue;
      ctx.report({ at: pathNode, message: `${objName(obj)} mounts the container runtime socket ${path} (volume ${volumeName(v)}).` });
    }
  },
  examples: {
    bad: [
      pod('', '    volumes:\n        - name: docker\n          hostPath:\n              path: /var/run/docker.sock\n              type: Socket\n'),
      pod('', '    volumes:\n        - {name: ctr, hostPath: {path: /run/containerd/containerd.sock}}\n'),
    ],
    good: [pod('', '    volumes:\n        - name: logs\n          hostPath:\n              path: /var/log/app\n'), deployment('')],
  },
});

const NON_CORE_VOLUMES = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs',
  'cephFS', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'portworxVolume', 'scaleIO', 'storageos', 'photonPersistentDisk',
];

const nonCoreVolumes = kubernetesRule({
  id: 'k8s-no-non-core-volume-types',
  title: 'Pod uses a non-core volume type',
  severity: 'low',
  impact: 'Inline volume types other than the core set (configMap, secret, emptyDir, projected, PVC, ...) bypass PersistentVolume policies and often carry their own credentials or host access.',
  remediation: 'Use a persistentVolumeClaim (or a core volume type) instead of inline driver-specific volumes.',
  references: [`${PSS}#restricted`],
  compliance: ['NIST 800-53 CM-7'],
  equivalents: { trivy: ['AVD-KSV-0028'] },
  kinds: WORKLOAD_KINDS,
  check(obj, ctx) {
    for (const v of volumes(obj)) {
      const t = NON_CORE_VOLUMES.find((k) => mapPair(v, k));
      if (!t) continue;
      ctx.report({ at: mapPair(v, t)!, message: `${objName(obj)} uses a ${t} volume (${volumeName(v)}).` });
    }
  },
  examples: {
    bad: [pod('', '    volumes:\n        - name: shared\n          nfs:\n              server: nfs.example.com\n              path: /exports\n')],
    good: [pod('', '    volumes:\n        - name: data\n          persistentVolumeClaim:\n              claimName: data\n'), deployment('')],
  },
});

export const rules: Rule[] = [
  privileged, privilegeEscalation, dropAll, sysAdmin, addedCapabilities, readOnlyRoot, runAsNonRoot, rootUser, highUid, highGid,
  seccomp, appArmor, seLinux, procMount, hostProcess, hostNetwork, hostPid, hostIpc, hostPort, sysctls, hostPath, dockerSocket, nonCoreVolumes,
];
