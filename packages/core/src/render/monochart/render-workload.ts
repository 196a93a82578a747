import { objectMetadata, putIfSet, selectorLabels, type K8sObject, type MonochartContext } from './monochart-context.js';
import { headlessServiceName } from './service-ports.js';
import type { MonochartValues } from './values-description.js';

/**
 * The Deployment or StatefulSet. With autoscaling on, `replicas` is left
 * out so the HPA owns it and Argo CD does not reset it on every sync.
 */
export function renderWorkload(values: MonochartValues, context: MonochartContext, template: Record<string, unknown>): K8sObject {
  const spec: Record<string, unknown> = {};
  if (!values.autoscaling.enabled) spec.replicas = values.replicas;
  spec.revisionHistoryLimit = values.revisionHistoryLimit;
  putIfSet(spec, 'minReadySeconds', values.minReadySeconds);
  const { strategy } = values;
  const type = strategy.type ?? 'RollingUpdate';

  if (values.kind === 'Deployment') {
    spec.selector = { matchLabels: selectorLabels(context) };
    spec.strategy =
      type === 'RollingUpdate'
        ? { type, rollingUpdate: { maxSurge: strategy.maxSurge ?? '25%', maxUnavailable: strategy.maxUnavailable ?? 0 } }
        : { type };
    spec.template = template;
    return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: objectMetadata(context, context.app), spec };
  }

  const set = values.statefulSet;
  spec.serviceName = headlessServiceName(values, context.app);
  putIfSet(spec, 'podManagementPolicy', set.podManagementPolicy);
  spec.selector = { matchLabels: selectorLabels(context) };
  spec.updateStrategy = type === 'RollingUpdate' && strategy.partition !== undefined ? { type, rollingUpdate: { partition: strategy.partition } } : { type };
  putIfSet(spec, 'persistentVolumeClaimRetentionPolicy', set.persistentVolumeClaimRetentionPolicy);
  spec.template = template;
  putIfSet(
    spec,
    'volumeClaimTemplates',
    set.volumeClaimTemplates?.map((t) => {
      const metadata: Record<string, unknown> = { name: t.name };
      putIfSet(metadata, 'annotations', t.annotations);
      const claim: Record<string, unknown> = { accessModes: t.accessModes };
      putIfSet(claim, 'storageClassName', t.storageClassName);
      claim.resources = { requests: { storage: t.size } };
      // apiVersion and kind as the API server returns them, so Argo CD sees no difference.
      return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata, spec: claim };
    }),
  );
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: objectMetadata(context, context.app), spec };
}
