import { objectMetadata, putIfSet, type K8sObject, type MonochartContext } from './monochart-context.js';
import type { MonochartValues } from './values-description.js';

/** autoscaling/v2 HorizontalPodAutoscaler on CPU and/or memory utilisation of the requests. */
export function renderAutoscaler(values: MonochartValues, context: MonochartContext): K8sObject | undefined {
  const a = values.autoscaling;
  if (!a.enabled) return undefined;
  const utilisation = (name: string, averageUtilization: number) => ({
    type: 'Resource',
    resource: { name, target: { type: 'Utilization', averageUtilization } },
  });
  const { cpu, memory } = utilisationTargets(a);
  const metrics = [...(cpu !== undefined ? [utilisation('cpu', cpu)] : []), ...(memory !== undefined ? [utilisation('memory', memory)] : [])];
  const spec: Record<string, unknown> = {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: values.kind, name: context.app },
    minReplicas: a.minReplicas,
    maxReplicas: a.maxReplicas,
    metrics,
  };
  putIfSet(spec, 'behavior', a.behavior);
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: objectMetadata(context, context.app), spec };
}

/** CPU at 80% unless a target is given: a memory-only HPA must not get a CPU target it cannot switch off. */
export function utilisationTargets(a: MonochartValues['autoscaling']): { cpu?: number; memory?: number } {
  const memory = a.targetMemoryUtilizationPercentage;
  const cpu = a.targetCPUUtilizationPercentage ?? (memory === undefined ? 80 : undefined);
  return { ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}) };
}
