import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initParsers } from '../server/src/parse/treesitter';
import { isHelmTemplate, kubernetesFromYaml, parseKubernetes } from '../server/src/parse/kubernetes';
import { at, chunkStarts, parseYaml, scalar, str } from '../server/src/parse/yaml';
import { scanFiles } from './helpers';

describe('Kubernetes model', () => {
  before(() => initParsers());

  it('reads multi-document files and pod specs of every workload kind', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: { name: p, namespace: prod }
spec:
  containers: [{ name: a, image: "nginx" }]
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: init
              image: busybox
          containers:
            - name: job
              image: alpine:3
---
# not Kubernetes
foo: bar
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: { name: s }
`;
    const k = parseKubernetes('/k.yaml', text)!;
    assert.deepEqual(k.objects.map((o) => o.address), ['Pod.prod.p', 'CronJob.default.nightly', 'Service.default.s']);
    assert.deepEqual(k.objects[1]!.containers.map((c) => `${c.kind}:${c.name}`), ['containers:job', 'initContainers:init']);
    assert.equal(k.objects[0]!.containers[0]!.name, 'a');
    // Node spans point into the object's own document; its base places them in the file.
    const cron = k.objects[1]!;
    const image = at(cron.containers[0]!.node, 'image')!;
    assert.equal(cron.file.text.slice(image.span.start, image.span.end), 'alpine:3');
    assert.equal(text.slice(cron.base.start + image.span.start, cron.base.start + image.span.end), 'alpine:3');
    assert.equal(text.split('\n')[cron.base.line + image.span.startLine]!.trim(), 'image: alpine:3');
    assert.equal(text.slice(cron.span.start, cron.span.start + 14), 'apiVersion: ba');
  });

  it('reads each document on its own: a broken one does not hide the next', () => {
    const pod = (n: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${n}\nspec:\n  containers:\n    - name: a\n      image: x:1\n`;
    const text = `${pod('a')}  broken: {unclosed: [\n---\n${pod('b')}--- # a comment\n${pod('c')}`;
    assert.deepEqual(chunkStarts(text).map((s) => text.slice(s, s + 4)), ['apiV', '---\n', '--- ']);
    const y = parseYaml('/m.yaml', text);
    assert.equal(y.hasErrors, true);
    const names = kubernetesFromYaml(y).objects.map((o) => o.name);
    assert.deepEqual(names.slice(-2), ['b', 'c']);
    const c = y.documents[y.documents.length - 1]!;
    assert.equal(text.slice(c.span.start, c.span.start + 3), '---');
    assert.equal(c.span.startLine, text.slice(0, c.span.start).split('\n').length - 1);
    // No split inside a block scalar, at an indented ---, before directives, or after a bare CR.
    assert.equal(chunkStarts('a: |\n  ---\n  x\nb: 1\n').length, 1);
    assert.equal(chunkStarts('%YAML 1.2\n---\na: 1\n...\n%YAML 1.2\n---\nb: 2\n').length, 1);
    assert.equal(chunkStarts('a: 1\r---\rb: 2\r').length, 1);
  });

  it('types scalars by the YAML 1.2 core schema', () => {
    const y = parseYaml('/x.yaml', 'a: true\nb: "true"\nc: 1000\nd: ~\ne: 0x10\nf: 1.5\ng: yes\nh: |\n  line1\n  line2\ni: \'it\'\'s\'\nj: "a\\tb"\n');
    const root = y.documents[0]!.root;
    assert.equal(scalar(at(root, 'a')), true);
    assert.equal(scalar(at(root, 'b')), 'true');
    assert.equal(scalar(at(root, 'c')), 1000);
    assert.equal(scalar(at(root, 'd')), null);
    assert.equal(scalar(at(root, 'e')), 16);
    assert.equal(scalar(at(root, 'f')), 1.5);
    assert.equal(scalar(at(root, 'g')), 'yes');
    assert.equal(str(at(root, 'h')), 'line1\nline2\n');
    assert.equal(str(at(root, 'i')), "it's");
    assert.equal(str(at(root, 'j')), 'a\tb');
  });

  it('resolves anchors, aliases and merge keys without blowing up', () => {
    const y = parseYaml('/x.yaml', 'base: &b\n  privileged: true\nc:\n  <<: *b\n  name: x\n');
    assert.equal(scalar(at(y.documents[0]!.root, 'c', 'privileged')), true);
    let bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
    for (let i = 0; i < 9; i++) bomb += `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill('*' + String.fromCharCode(97 + i)).join(',')}]\n`;
    const started = Date.now();
    const big = parseYaml('/bomb.yaml', bomb);
    assert.ok(big.documents.length === 1);
    assert.ok(Date.now() - started < 2000);
  });

  it('passes over YAML that is not Kubernetes, and recognises Helm templates', () => {
    assert.equal(parseKubernetes('/ci.yaml', 'jobs:\n  build:\n    runs-on: ubuntu-latest\n'), undefined);
    assert.ok(isHelmTemplate('kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n'));
  });

  it('notes Helm templates instead of failing on them', async () => {
    const r = await scanFiles({ 'chart/templates/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n' });
    assert.equal(r.findings.length, 0);
    assert.equal(r.notes.length, 1);
    assert.equal(r.notes[0]!.level, 'info');
    assert.match(r.notes[0]!.message, /Helm template/);
  });
});

describe('YAML scalars', () => {
  before(() => initParsers());
  it('keeps escaped newlines in double-quoted scalars and folds raw line breaks', () => {
    const y = parseYaml('/x.yaml', 'a: "x\\ny"\nb: "one\n  two"\nc: "join\\\n  ed"\n');
    const root = y.documents[0]!.root;
    assert.equal(str(at(root, 'a')), 'x\ny');
    assert.equal(str(at(root, 'b')), 'one two');
    assert.equal(str(at(root, 'c')), 'joined');
  });
});
