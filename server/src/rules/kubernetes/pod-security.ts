import { yamlFix } from '../../engine/fix';
import { kubernetesRule, type Rule } from '../../engine/rule';
import { WORKLOAD_KINDS } from '../../parse/kubernetes';
import { containerAnchor, describe, securityValue, setContainerSecurity } from './util';

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

const privileged = kubernetesRule({
  id: 'k8s-no-privileged-containers',
  title: 'Container runs privileged',
  severity: 'high',
  impact: 'A privileged container has every capability and all host devices: a compromise of the app is a compromise of the node and every pod on it.',
  remediation: 'Remove `privileged: true`; grant only the specific capabilities the workload needs.',
  references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  compliance: ['CIS Kubernetes 5.2.2', 'NIST 800-53 AC-6'],
  equivalents: { checkov: ['CKV_K8S_16'], trivy: ['AVD-KSV-0017'] },
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
    bad: [deployment('          securityContext:\n            privileged: true\n')],
    good: [deployment('          securityContext:\n            privileged: false\n'), deployment('')],
  },
});

export const rules: Rule[] = [privileged];
