import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initParsers } from '../server/src/parse/treesitter';
import { BRIDGE_EXCLUDED_RULES } from '../server/src/parse/kubernetes-terraform';
import { rules as podSecurityRules } from '../server/src/rules/kubernetes/pod-security';
import type { Finding } from '../server/src/engine/types';
import { scanFiles } from './helpers';

const POD_SECURITY = new Set(podSecurityRules.map((r) => r.id));

/** A kubernetes_deployment with everything a pod-security rule looks at set badly. */
const insecureTf = `resource "kubernetes_deployment" "web" {
  metadata {
    name      = "web"
    namespace = "shop"
  }
  spec {
    replicas = 2
    selector {
      match_labels = { app = "web" }
    }
    template {
      metadata {
        labels = { app = "web" }
        annotations = {
          "container.apparmor.security.beta.kubernetes.io/web" = "unconfined"
        }
      }
      spec {
        host_network = true
        host_pid     = true
        host_ipc     = true
        security_context {
          run_as_user = 0
          sysctl {
            name  = "kernel.msgmax"
            value = "65536"
          }
        }
        init_container {
          name  = "init"
          image = "busybox:1.36"
          security_context {
            allow_privilege_escalation = true
            proc_mount                 = "Unmasked"
          }
        }
        container {
          name  = "web"
          image = "nginx:latest"
          security_context {
            privileged = true
            capabilities {
              add = ["NET_ADMIN", "SYS_ADMIN"]
            }
            se_linux_options {
              type = "spc_t"
            }
          }
          port {
            container_port = 80
            host_port      = 8080
          }
          volume_mount {
            name       = "sock"
            mount_path = "/var/run/docker.sock"
          }
        }
        volume {
          name = "sock"
          host_path {
            path = "/var/run/docker.sock"
          }
        }
        volume {
          name = "share"
          nfs {
            server = "nfs.example.com"
            path   = "/exports"
          }
        }
      }
    }
  }
}
`;

const insecureYaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
      annotations:
        container.apparmor.security.beta.kubernetes.io/web: unconfined
    spec:
      hostNetwork: true
      hostPID: true
      hostIPC: true
      securityContext:
        runAsUser: 0
        sysctls:
          - name: kernel.msgmax
            value: "65536"
      initContainers:
        - name: init
          image: busybox:1.36
          securityContext:
            allowPrivilegeEscalation: true
            procMount: Unmasked
      containers:
        - name: web
          image: nginx:latest
          securityContext:
            privileged: true
            capabilities:
              add: [NET_ADMIN, SYS_ADMIN]
            seLinuxOptions:
              type: spc_t
          ports:
            - containerPort: 80
              hostPort: 8080
          volumeMounts:
            - name: sock
              mountPath: /var/run/docker.sock
      volumes:
        - name: sock
          hostPath:
            path: /var/run/docker.sock
        - name: share
          nfs:
            server: nfs.example.com
            path: /exports
`;

/** A deployment that satisfies every pod-security rule. */
const secureTf = `resource "kubernetes_deployment_v1" "api" {
  metadata {
    name      = "api"
    namespace = "shop"
  }
  spec {
    selector {
      match_labels = { app = "api" }
    }
    template {
      metadata {
        labels = { app = "api" }
      }
      spec {
        automount_service_account_token = false
        security_context {
          run_as_non_root = true
          run_as_user     = 20000
          run_as_group    = 20000
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }
        container {
          name              = "api"
          image             = "registry.example.com/api:2.3.1"
          image_pull_policy = "Always"
          security_context {
            allow_privilege_escalation = false
            privileged                 = false
            read_only_root_filesystem  = true
            run_as_non_root            = true
            capabilities {
              drop = ["ALL"]
            }
          }
          resources {
            limits   = { cpu = "500m", memory = "256Mi" }
            requests = { cpu = "250m", memory = "128Mi" }
          }
          liveness_probe {
            http_get {
              path = "/healthz"
              port = 8080
            }
          }
          readiness_probe {
            http_get {
              path = "/ready"
              port = 8080
            }
          }
        }
        volume {
          name = "tmp"
          empty_dir {}
        }
      }
    }
  }
}
`;

/** A deployment with one container whose settings come from variables without defaults. */
const variableTf = `variable "p" {}
variable "ape" {}
variable "uid" {}
variable "caps" {}
variable "profile" {}
variable "ns" {}

resource "kubernetes_deployment" "web" {
  metadata {
    name      = "web"
    namespace = var.ns
  }
  spec {
    template {
      metadata {
        annotations = {
          "seccomp.security.alpha.kubernetes.io/pod" = var.profile
        }
      }
      spec {
        container {
          name  = "web"
          image = "nginx:1.27"
          security_context {
            privileged                 = var.p
            allow_privilege_escalation = var.ape
            run_as_user                = var.uid
            run_as_group               = var.uid
            read_only_root_filesystem  = true
            capabilities {
              add  = [var.caps]
              drop = var.caps
            }
            se_linux_options {
              user = var.uid
            }
          }
        }
      }
    }
  }
}
`;

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));
const key = (f: Finding) => f.ruleId;

describe('Kubernetes resources declared in Terraform', () => {
  before(() => initParsers());

  it('raise the same rules as the equivalent YAML manifest', async () => {
    const r = await scanFiles({ 'tf/main.tf': insecureTf, 'yaml/web.yaml': insecureYaml });
    assert.deepEqual(r.notes.filter((n) => n.level === 'error'), []);
    const tf = r.findings.filter((f) => f.file.endsWith('.tf') && f.ruleId.startsWith('k8s-'));
    const yaml = r.findings.filter((f) => f.file.endsWith('.yaml') && !BRIDGE_EXCLUDED_RULES.has(f.ruleId));
    assert.ok(tf.length > 20, `only ${tf.length} findings on the Terraform deployment`);
    assert.deepEqual(tf.map(key).sort(), yaml.map(key).sort());
    assert.deepEqual(tf.map((f) => f.message).sort(), yaml.map((f) => f.message).sort());
    for (const id of ['k8s-no-privileged-containers', 'k8s-no-host-network', 'k8s-no-host-pid', 'k8s-no-host-ipc', 'k8s-drop-all-capabilities',
      'k8s-no-sys-admin-capability', 'k8s-no-added-capabilities', 'k8s-no-privilege-escalation', 'k8s-no-root-user', 'k8s-no-host-port',
      'k8s-no-host-path-volumes', 'k8s-no-container-runtime-socket', 'k8s-no-unsafe-sysctls', 'k8s-no-unmasked-proc-mount',
      'k8s-no-custom-selinux-options', 'k8s-apparmor-runtime-default', 'k8s-no-non-core-volume-types', 'k8s-image-tag-pinned']) {
      assert.ok(tf.some((f) => f.ruleId === id), `no ${id} on the Terraform deployment`);
    }
  });

  it('point at the HCL attribute, with the Terraform address and no YAML fix', async () => {
    const r = await scanFiles({ 'main.tf': insecureTf });
    const priv = r.findings.find((f) => f.ruleId === 'k8s-no-privileged-containers');
    assert.ok(priv);
    assert.equal(priv.address, 'kubernetes_deployment.web');
    assert.ok(priv.file.endsWith('/main.tf'));
    assert.equal(priv.span.startLine, lineOf(insecureTf, 'privileged = true'));
    assert.equal(priv.resourceSpan.startLine, 0);
    const hostNet = r.findings.find((f) => f.ruleId === 'k8s-no-host-network');
    assert.equal(hostNet?.span.startLine, lineOf(insecureTf, 'host_network = true'));
    const sysAdmin = r.findings.find((f) => f.ruleId === 'k8s-no-sys-admin-capability');
    assert.equal(sysAdmin?.span.startLine, lineOf(insecureTf, '"SYS_ADMIN"'));
    assert.equal(insecureTf.slice(sysAdmin!.span.start, sysAdmin!.span.end), '"SYS_ADMIN"');
    for (const f of r.findings.filter((x) => x.ruleId.startsWith('k8s-'))) {
      assert.equal(f.fix, undefined, `${f.ruleId} offers a YAML fix on a .tf file`);
      assert.equal(f.address, 'kubernetes_deployment.web');
    }
  });

  it('use the module prefix in the address', async () => {
    const r = await scanFiles({
      'main.tf': 'module "app" {\n  source = "./app"\n}\n',
      'app/main.tf': insecureTf,
    }, ['k8s-no-privileged-containers']);
    assert.deepEqual(r.findings.map((f) => f.address), ['module.app.kubernetes_deployment.web']);
    assert.ok(r.findings[0]!.file.endsWith('/app/main.tf'));
  });

  it('raise no pod-security finding on a hardened deployment', async () => {
    const r = await scanFiles({ 'main.tf': secureTf });
    const own = r.findings.filter((f) => POD_SECURITY.has(f.ruleId));
    assert.deepEqual(own.map((f) => `${f.ruleId}: ${f.message}`), []);
    assert.deepEqual(r.findings.filter((f) => f.ruleId.startsWith('k8s-')).map((f) => f.ruleId), []);
  });

  it('never report a setting whose value is unknown', async () => {
    const r = await scanFiles({ 'main.tf': variableTf });
    const ids = new Set(r.findings.map((f) => f.ruleId));
    for (const id of ['k8s-no-privileged-containers', 'k8s-no-privilege-escalation', 'k8s-run-as-high-uid', 'k8s-run-as-high-gid',
      'k8s-no-root-user', 'k8s-drop-all-capabilities', 'k8s-no-added-capabilities', 'k8s-no-sys-admin-capability',
      'k8s-no-custom-selinux-options', 'k8s-seccomp-runtime-default', 'k8s-no-default-namespace', 'k8s-no-kube-system-namespace',
      'k8s-read-only-root-filesystem']) {
      assert.ok(!ids.has(id), `${id} raised on an unknown value: ${r.findings.find((f) => f.ruleId === id)?.message}`);
    }
    // Known settings of the same container are still judged.
    assert.ok(ids.has('k8s-cpu-limits'));
    assert.ok(ids.has('k8s-image-pull-policy-always'));
  });

  it('judge a variable with a default by its default', async () => {
    const text = variableTf.replace('variable "p" {}', 'variable "p" {\n  default = true\n}');
    const r = await scanFiles({ 'main.tf': text }, ['k8s-no-privileged-containers']);
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]!.span.startLine, lineOf(text, 'privileged                 = var.p'));
  });

  const suppressions: [string, string][] = [
    ['rampart:ignore above the resource', '# rampart:ignore k8s-no-privileged-containers needed by the CNI\n'],
    ['checkov:skip above the resource', '#checkov:skip=CKV_K8S_16:needed by the CNI\n'],
    ['trivy:ignore above the resource', '#trivy:ignore:AVD-KSV-0017\n'],
  ];
  for (const [name, comment] of suppressions) {
    it(`honour ${name}`, async () => {
      const r = await scanFiles({ 'main.tf': comment + insecureTf }, ['k8s-no-privileged-containers']);
      assert.equal(r.findings.length, 0);
      assert.equal(r.suppressed, 1);
    });
  }

  it('honour rampart:ignore on the attribute line', async () => {
    const text = insecureTf.replace('privileged = true', 'privileged = true # rampart:ignore k8s-no-privileged-containers');
    const r = await scanFiles({ 'main.tf': text }, ['k8s-no-privileged-containers', 'k8s-no-host-network']);
    assert.deepEqual(r.findings.map((f) => f.ruleId), ['k8s-no-host-network']);
    assert.equal(r.suppressed, 1);
  });

  it('read pods, cron jobs and the other workload resources', async () => {
    const container = '      container {\n        name  = "c"\n        image = "example/c:1.0"\n        security_context {\n          privileged = true\n        }\n      }\n';
    const files = {
      'pod.tf': `resource "kubernetes_pod_v1" "p" {\n  metadata {\n    name = "p"\n  }\n  spec {\n${container}  }\n}\n`,
      'cron.tf': `resource "kubernetes_cron_job_v1" "c" {\n  metadata {\n    name = "c"\n  }\n  spec {\n    schedule = "0 3 * * *"\n    job_template {\n      metadata {}\n      spec {\n        template {\n          metadata {}\n          spec {\n${container}          }\n        }\n      }\n    }\n  }\n}\n`,
      'others.tf': ['kubernetes_stateful_set', 'kubernetes_daemonset', 'kubernetes_daemon_set_v1', 'kubernetes_job_v1', 'kubernetes_replication_controller']
        .map((t) => `resource "${t}" "w" {\n  metadata {\n    name = "w"\n  }\n  spec {\n    template {\n      metadata {}\n      spec {\n${container}      }\n    }\n  }\n}\n`).join('\n'),
    };
    const r = await scanFiles(files, ['k8s-no-privileged-containers']);
    assert.deepEqual(r.findings.map((f) => f.address).sort(), [
      'kubernetes_cron_job_v1.c', 'kubernetes_daemon_set_v1.w', 'kubernetes_daemonset.w', 'kubernetes_job_v1.w', 'kubernetes_pod_v1.p',
      'kubernetes_replication_controller.w', 'kubernetes_stateful_set.w',
    ]);
    for (const f of r.findings) assert.ok(/privileged = true/.test(files[f.file.split('/').pop() as keyof typeof files].split('\n')[f.span.startLine]!));
  });

  it('take default resources from a kubernetes_limit_range of the namespace', async () => {
    const limits = (ns: string) => `resource "kubernetes_limit_range_v1" "d" {\n  metadata {\n    name      = "defaults"\n    namespace = ${ns}\n  }\n  spec {\n    limit {\n      type    = "Container"\n      default = { cpu = "500m", memory = "256Mi" }\n    }\n  }\n}\n`;
    const ids = ['k8s-cpu-limits'];
    const none = await scanFiles({ 'main.tf': insecureTf }, ids);
    assert.equal(none.findings.length, 2);
    const same = await scanFiles({ 'main.tf': insecureTf + limits('"shop"') }, ids);
    assert.equal(same.findings.length, 0);
    const other = await scanFiles({ 'main.tf': insecureTf + limits('"other"') }, ids);
    assert.equal(other.findings.length, 2);
    const unknown = await scanFiles({ 'main.tf': `variable "ns" {}\n${insecureTf}${limits('var.ns')}` }, ids);
    assert.equal(unknown.findings.length, 0);
  });

  it('stay linear on values that share parts', async () => {
    const locals = ['locals {', '  l0 = ["x"]', ...Array.from({ length: 40 }, (_, i) => `  l${i + 1} = [local.l${i}, local.l${i}]`), '}'].join('\n');
    const pod = 'resource "kubernetes_pod" "p" {\n  metadata {\n    name = "p"\n  }\n  spec {\n    container {\n      name  = "c"\n      image = "x:1"\n      args  = local.l40\n      security_context {\n        privileged = true\n      }\n    }\n  }\n}\n';
    const started = Date.now();
    const r = await scanFiles({ 'main.tf': `${locals}\n${pod}` }, ['k8s-no-privileged-containers']);
    assert.equal(r.findings.length, 1);
    assert.ok(Date.now() - started < 5000);
  });

  it('leave other Kubernetes resources and the NetworkPolicy coverage rule alone', async () => {
    const r = await scanFiles({ 'main.tf': insecureTf + 'resource "kubernetes_service" "s" {\n  metadata {\n    name = "s"\n  }\n  spec {\n    type = "LoadBalancer"\n  }\n}\n' });
    assert.ok(!r.findings.some((f) => f.ruleId === 'k8s-workload-network-policy'));
    assert.ok(!r.findings.some((f) => f.address === 'kubernetes_service.s' && f.ruleId.startsWith('k8s-')));
  });
});
