import { createHash } from 'node:crypto';
import { objectMetadata, type K8sObject, type MonochartContext } from './monochart-context.js';
import type { ExtraMount } from './render-container.js';
import type { PodInput } from './render-pod.js';
import type { MonochartValues, MonochartVolume } from './values-description.js';

/** The pod annotation that rolls the pods when a ConfigMap they use changes (helm charts' convention). */
export const CONFIG_CHECKSUM_ANNOTATION = 'checksum/config';

export function configMapVolumeName(key: string): string {
  return `configmap-${key}`;
}

export function configMapName(context: MonochartContext, key: string): string {
  return `${context.app}-${key}`;
}

/** ConfigMaps `<app>-<key>`, in key order. */
export function renderConfigMaps(values: MonochartValues, context: MonochartContext): K8sObject[] {
  return Object.entries(values.configMaps ?? {}).map(([key, cm]) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: objectMetadata(context, configMapName(context, key)),
    data: cm.data ?? {},
  }));
}

/** The volumes and read-only mounts for ConfigMaps with a mountPath (into the first container unless mountInto says otherwise). */
export function configMapMounts(values: MonochartValues, context: MonochartContext): { volumes: MonochartVolume[]; mounts: Map<string, ExtraMount[]> } {
  const volumes: MonochartVolume[] = [];
  const mounts = new Map<string, ExtraMount[]>();
  for (const [key, cm] of Object.entries(values.configMaps ?? {})) {
    if (cm.mountPath === undefined) continue;
    const name = configMapVolumeName(key);
    volumes.push({ name, configMap: { name: configMapName(context, key) } });
    for (const container of cm.mountInto ?? [values.containers[0]!.name]) {
      mounts.set(container, [...(mounts.get(container) ?? []), { name, mountPath: cm.mountPath, readOnly: true }]);
    }
  }
  return { volumes, mounts };
}

/**
 * A hash of the chart's ConfigMaps this pod uses (mounted, or referenced from
 * volumes, env and envFrom), for a pod annotation: pods read ConfigMaps at
 * start, so a changed ConfigMap must roll them, and an unchanged one must not.
 * Undefined when the pod uses none.
 */
export function configChecksum(values: MonochartValues, context: MonochartContext, pod: PodInput, extraVolumes: readonly MonochartVolume[]): string | undefined {
  const used = new Set<string>();
  for (const v of [...(pod.volumes ?? []), ...extraVolumes]) {
    if (v.configMap) used.add(v.configMap.name);
    for (const source of v.projected?.sources ?? []) if (source.configMap) used.add(source.configMap.name);
  }
  for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
    for (const e of c.env ?? []) if (e.valueFrom?.configMapKeyRef) used.add(e.valueFrom.configMapKeyRef.name);
    for (const e of c.envFrom ?? []) if (e.configMapRef) used.add(e.configMapRef.name);
  }
  const ours = Object.entries(values.configMaps ?? {})
    .filter(([key]) => used.has(configMapName(context, key)))
    .map(([key, cm]) => [configMapName(context, key), cm.data ?? {}]);
  if (!ours.length) return undefined;
  return createHash('sha256').update(JSON.stringify(ours)).digest('hex');
}
