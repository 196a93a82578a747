import { objectMetadata, putIfSet, selectorLabels, type K8sObject, type MonochartContext } from './monochart-context.js';
import type { MonochartValues } from './values-description.js';

/** policy/v1 PodDisruptionBudget: minAvailable when given, else maxUnavailable (1 by default). */
export function renderDisruptionBudget(values: MonochartValues, context: MonochartContext): K8sObject | undefined {
  const pdb = values.podDisruptionBudget;
  if (!pdb.enabled) return undefined;
  const spec: Record<string, unknown> =
    pdb.minAvailable !== undefined ? { minAvailable: pdb.minAvailable } : { maxUnavailable: pdb.maxUnavailable ?? 1 };
  spec.selector = { matchLabels: selectorLabels(context) };
  putIfSet(spec, 'unhealthyPodEvictionPolicy', pdb.unhealthyPodEvictionPolicy);
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: objectMetadata(context, context.app), spec };
}
