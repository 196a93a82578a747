import { appImage, putIfSet, type MonochartContext } from './monochart-context.js';
import { mergedSecurityContext } from './security-context.js';
import type { MonochartContainer, MonochartValues } from './values-description.js';

export interface ExtraMount {
  name: string;
  mountPath: string;
  readOnly: boolean;
}

/**
 * One container in the Kubernetes shape, keys in the order `kubectl get -o
 * yaml` shows them. The values are already canonical (apply-defaults.ts), so
 * nested Kubernetes structures are taken over as they are.
 */
export function renderContainer(
  container: MonochartContainer,
  values: MonochartValues,
  context: MonochartContext,
  extraMounts: readonly ExtraMount[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: container.name,
    // Checked beforehand: every container has its own image or the app's.
    image: container.image ?? appImage(context)!,
    imagePullPolicy: container.imagePullPolicy ?? values.imagePullPolicy,
  };
  putIfSet(out, 'command', container.command);
  putIfSet(out, 'args', container.args);
  putIfSet(out, 'workingDir', container.workingDir);
  putIfSet(out, 'ports', container.ports);
  putIfSet(out, 'env', container.env);
  putIfSet(out, 'envFrom', container.envFrom);
  const resources: Record<string, unknown> = {};
  putIfSet(resources, 'requests', container.resources?.requests);
  putIfSet(resources, 'limits', container.resources?.limits);
  putIfSet(out, 'resources', resources);
  putIfSet(out, 'volumeMounts', [...(container.volumeMounts ?? []), ...extraMounts]);
  putIfSet(out, 'livenessProbe', container.livenessProbe);
  putIfSet(out, 'readinessProbe', container.readinessProbe);
  putIfSet(out, 'startupProbe', container.startupProbe);
  putIfSet(out, 'lifecycle', container.lifecycle);
  putIfSet(out, 'securityContext', pruneEmpty(mergedSecurityContext(values.securityContext, container.securityContext)));
  putIfSet(out, 'restartPolicy', container.restartPolicy);
  return out;
}

/** Drops empty lists and the maps they leave empty (`capabilities: {drop: []}` says nothing). */
export function pruneEmpty<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const inner = pruneEmpty(v as Record<string, unknown>);
      if (Object.keys(inner).length) out[key] = inner;
    } else if (v !== undefined && !(Array.isArray(v) && v.length === 0)) out[key] = v;
  }
  return out as T;
}
