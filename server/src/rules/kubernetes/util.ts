import { setYamlPath } from '../../engine/fix';
import type { K8sContainer, K8sObject } from '../../parse/kubernetes';
import { at, mapGet, mapPair, scalar, type YMap, type YNode } from '../../parse/yaml';
import type { TextEdit } from '../../engine/types';

/** A container's securityContext setting, falling back to the pod's where Kubernetes does. */
export function securityValue(c: K8sContainer, key: string, podFallback = false): { value: unknown; node: YNode | null | undefined; fromPod: boolean } {
  const node = at(c.node, 'securityContext', key);
  if (node !== undefined && node !== null) return { value: scalar(node), node, fromPod: false };
  if (podFallback) {
    const pn = at(c.pod, 'securityContext', key);
    if (pn !== undefined && pn !== null) return { value: scalar(pn), node: pn, fromPod: true };
  }
  return { value: undefined, node: undefined, fromPod: false };
}

/** Where a container-level finding points: the setting itself, else the container's name. */
export function containerAnchor(c: K8sContainer, ...path: string[]) {
  const node = path.length ? at(c.node, ...path) : undefined;
  if (node) return node;
  return mapPair(c.node, 'name') ?? c.node;
}

export function setContainerSecurity(obj: K8sObject, c: K8sContainer, key: string, valueText: string): TextEdit | undefined {
  return setYamlPath(obj.file, c.node, ['securityContext', key], valueText);
}

export function describe(obj: K8sObject, c: K8sContainer): string {
  const kind = c.kind === 'containers' ? 'container' : c.kind === 'initContainers' ? 'init container' : 'ephemeral container';
  return `${kind} "${c.name}" of ${obj.kind} ${obj.name}`;
}

export const podSpecOf = (obj: K8sObject): YMap | undefined => obj.podSpec;
export { mapGet, at, scalar };
