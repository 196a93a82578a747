import { putIfSet, selectorLabels, type MonochartContext } from './monochart-context.js';
import { pruneEmpty, renderContainer, type ExtraMount } from './render-container.js';
import type { MonochartContainer, MonochartValues, MonochartVolume } from './values-description.js';

/** The parts of a pod the main workload and a CronJob both describe. */
export interface PodInput {
  containers: readonly MonochartContainer[];
  initContainers?: readonly MonochartContainer[] | undefined;
  volumes?: readonly MonochartVolume[] | undefined;
  nodeSelector?: Record<string, string> | undefined;
  tolerations?: readonly unknown[] | undefined;
  affinity?: MonochartValues['affinity'];
  topologySpreadConstraints?: MonochartValues['topologySpreadConstraints'];
  terminationGracePeriodSeconds?: number | undefined;
  priorityClassName?: string | undefined;
  restartPolicy?: string | undefined;
}

export interface PodExtras {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Volumes the chart adds (mounted ConfigMaps), after the user's. */
  volumes?: readonly MonochartVolume[];
  mounts?: ReadonlyMap<string, readonly ExtraMount[]>;
}

/**
 * A pod template. Everything in it is a function of the values and the
 * image: no version, commit or time, because any change here restarts pods.
 * Service account, pull secrets and security contexts are the app's, shared
 * by the workload and the CronJobs.
 */
export function renderPodTemplate(pod: PodInput, values: MonochartValues, context: MonochartContext, extras: PodExtras): Record<string, unknown> {
  const metadata: Record<string, unknown> = { labels: extras.labels };
  putIfSet(metadata, 'annotations', extras.annotations);

  const spec: Record<string, unknown> = {};
  const account = values.serviceAccount;
  putIfSet(spec, 'serviceAccountName', account.name ?? (account.create ? context.app : undefined));
  spec.automountServiceAccountToken = account.automountServiceAccountToken;
  putIfSet(spec, 'securityContext', pruneEmpty(values.podSecurityContext));
  putIfSet(spec, 'imagePullSecrets', values.imagePullSecrets?.map((name) => ({ name })));
  putIfSet(
    spec,
    'initContainers',
    (pod.initContainers ?? []).map((c) => renderContainer(c, values, context, extras.mounts?.get(c.name))),
  );
  spec.containers = pod.containers.map((c) => renderContainer(c, values, context, extras.mounts?.get(c.name)));
  putIfSet(spec, 'volumes', [...(pod.volumes ?? []), ...(extras.volumes ?? [])]);
  putIfSet(spec, 'nodeSelector', pod.nodeSelector);
  putIfSet(spec, 'tolerations', pod.tolerations);
  putIfSet(spec, 'affinity', pod.affinity && withDefaultSelectors(pod.affinity, selectorLabels(context)));
  putIfSet(
    spec,
    'topologySpreadConstraints',
    pod.topologySpreadConstraints?.map((t) => (t.labelSelector ? t : { ...t, labelSelector: { matchLabels: selectorLabels(context) } })),
  );
  putIfSet(spec, 'priorityClassName', pod.priorityClassName);
  putIfSet(spec, 'terminationGracePeriodSeconds', pod.terminationGracePeriodSeconds);
  putIfSet(spec, 'restartPolicy', pod.restartPolicy);
  return { metadata, spec };
}

type Affinity = NonNullable<MonochartValues['affinity']>;
type PodAffinity = NonNullable<Affinity['podAffinity']>;

/** A pod (anti-)affinity term without a labelSelector means this app's pods: the usual "spread my replicas". */
function withDefaultSelectors(affinity: Affinity, labels: Record<string, string>): Affinity {
  const fill = <T extends { labelSelector?: unknown }>(term: T): T => (term.labelSelector ? term : { labelSelector: { matchLabels: labels }, ...term });
  const side = (p: PodAffinity | undefined): PodAffinity | undefined =>
    p && {
      ...(p.requiredDuringSchedulingIgnoredDuringExecution
        ? { requiredDuringSchedulingIgnoredDuringExecution: p.requiredDuringSchedulingIgnoredDuringExecution.map(fill) }
        : {}),
      ...(p.preferredDuringSchedulingIgnoredDuringExecution
        ? {
            preferredDuringSchedulingIgnoredDuringExecution: p.preferredDuringSchedulingIgnoredDuringExecution.map((w) => ({
              weight: w.weight,
              podAffinityTerm: fill(w.podAffinityTerm),
            })),
          }
        : {}),
    };
  const out: Affinity = {};
  if (affinity.nodeAffinity) out.nodeAffinity = affinity.nodeAffinity;
  const podAffinity = side(affinity.podAffinity);
  if (podAffinity) out.podAffinity = podAffinity;
  const podAntiAffinity = side(affinity.podAntiAffinity);
  if (podAntiAffinity) out.podAntiAffinity = podAntiAffinity;
  return out;
}
