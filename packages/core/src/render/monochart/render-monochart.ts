import { applyDefaults, deepFreeze } from '../../schema/apply-defaults.js';
import { checkValues } from '../../schema/check-values.js';
import { selectorLabels, type K8sObject, type MonochartContext } from './monochart-context.js';
import { MonochartValuesError } from './monochart-values-error.js';
import { renderAutoscaler } from './render-autoscaling.js';
import { CONFIG_CHECKSUM_ANNOTATION, configChecksum, configMapMounts, renderConfigMaps } from './render-config-maps.js';
import { renderCronJobs } from './render-cron-jobs.js';
import { renderDisruptionBudget } from './render-disruption-budget.js';
import { renderIngress } from './render-ingress.js';
import { renderPodTemplate, type PodInput } from './render-pod.js';
import { renderServiceAccount } from './render-service-account.js';
import { renderServiceMonitor } from './render-service-monitor.js';
import { renderServices } from './render-service.js';
import { renderWorkload } from './render-workload.js';
import { checkContext, checkSemantics } from './semantic-checks.js';
import { monochartValuesDescription, type MonochartValues } from './values-description.js';

/** The defaults under every values file: `{}` plus an image renders a hardened Deployment and its Service. */
export const MONOCHART_DEFAULTS: MonochartValues = deepFreeze(applyDefaults(monochartValuesDescription, {}) as MonochartValues);

/**
 * Checks values (already layered by the caller: maps merge, lists replace)
 * and throws one MonochartValuesError (an InputError) listing every problem
 * with its path: wrong types, unknown keys with a "did you mean", keys that
 * contradict each other. An empty values file (null) is `{}`.
 */
export function validateMonochartValues(values: unknown): void {
  withDefaults(values);
}

function withDefaults(values: unknown): MonochartValues {
  const given = values === undefined || values === null ? {} : values;
  const structural = checkValues(monochartValuesDescription, given);
  if (structural.length) throw new MonochartValuesError(structural);
  const merged = applyDefaults(monochartValuesDescription, given) as MonochartValues;
  const semantic = checkSemantics(merged);
  if (semantic.length) throw new MonochartValuesError(semantic);
  return merged;
}

/**
 * The app's Kubernetes objects for one environment, in a fixed order:
 * ServiceAccount, ConfigMaps, Services, the workload, HPA, PDB, Ingress,
 * CronJobs, ServiceMonitor. Equal inputs give equal output, whatever order
 * their keys were written in. The caller adds the common labels and
 * provenance to each object's metadata.
 */
export function renderMonochart(values: unknown, context: MonochartContext): K8sObject[] {
  const v = withDefaults(values);
  const problems = checkContext(v, context);
  if (problems.length) throw new MonochartValuesError(problems);

  const mounted = configMapMounts(v, context);
  const pod: PodInput = {
    containers: v.containers,
    initContainers: v.initContainers,
    volumes: v.volumes,
    nodeSelector: v.nodeSelector,
    tolerations: v.tolerations,
    affinity: v.affinity,
    topologySpreadConstraints: v.topologySpreadConstraints,
    terminationGracePeriodSeconds: v.terminationGracePeriodSeconds,
    priorityClassName: v.priorityClassName,
  };
  const annotations: Record<string, string> = { ...(v.podAnnotations ?? {}) };
  const checksum = configChecksum(v, context, pod, mounted.volumes);
  if (checksum) annotations[CONFIG_CHECKSUM_ANNOTATION] = checksum;
  // `kubectl logs` and `exec` pick the app container, not a sidecar.
  if (v.containers.length > 1) annotations['kubectl.kubernetes.io/default-container'] = v.containers[0]!.name;
  const template = renderPodTemplate(pod, v, context, {
    labels: { ...selectorLabels(context), ...(v.podLabels ?? {}) },
    annotations,
    volumes: mounted.volumes,
    mounts: mounted.mounts,
  });

  const objects = [
    renderServiceAccount(v, context),
    ...renderConfigMaps(v, context),
    ...renderServices(v, context),
    renderWorkload(v, context, template),
    renderAutoscaler(v, context),
    renderDisruptionBudget(v, context),
    renderIngress(v, context),
    ...renderCronJobs(v, context),
    renderServiceMonitor(v, context),
  ].filter((o): o is K8sObject => o !== undefined);
  // Plain, unshared data: pieces of the values appear in several objects, and a
  // caller may change one object without changing another.
  return objects.map((o) => JSON.parse(JSON.stringify(o)) as K8sObject);
}
