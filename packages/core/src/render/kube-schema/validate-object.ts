import { isPlainObject } from '../../schema/check-values.js';
import { apiAvailability } from './api-availability.js';
import { checkStructure } from './check-structure.js';
import { rootModel, STRUCTURE_KUBERNETES_VERSION } from './kube-structure.js';
import { parseKubeVersion, type KubeVersion } from './kube-version.js';
import type { ObjectProblem } from './object-problem.js';

export interface ObjectValidation {
  /**
   * false for a custom resource (`monitoring.coreos.com/v1` ServiceMonitor,
   * `argoproj.io/v1alpha1` Rollout): its schema lives in the cluster's CRD, so
   * nothing was checked and `problems` is empty. The log should say so.
   */
  readonly validated: boolean;
  /** Why nothing was checked, for "ServiceMonitor: custom resource, not validated". */
  readonly skipped?: string;
  readonly problems: readonly ObjectProblem[];
}

/**
 * Checks one rendered object against the Kubernetes API for `kubeVersion`
 * (`1.32`, or one parsed by parseKubeVersion): first whether that release
 * serves its apiVersion/kind at all, then every field against the kind's
 * structure. The structure is that of a single Kubernetes release (the one
 * @kubernetes/client-node was generated from, STRUCTURE_KUBERNETES_VERSION);
 * only the availability of API versions differs per kubeVersion.
 */
export function validateObject(obj: unknown, kubeVersion: KubeVersion | string): ObjectValidation {
  const kube = typeof kubeVersion === 'string' ? parseKubeVersion(kubeVersion) : kubeVersion;
  if (!isPlainObject(obj)) return { validated: true, problems: [{ path: '', message: 'not a Kubernetes object (expected a map with apiVersion and kind)' }] };
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || !apiVersion || typeof kind !== 'string' || !kind) {
    const missing = [typeof apiVersion !== 'string' || !apiVersion ? 'apiVersion' : '', typeof kind !== 'string' || !kind ? 'kind' : ''].filter(Boolean);
    return { validated: true, problems: missing.map((field) => ({ path: '', message: `missing required field '${field}'` })) };
  }

  const availability = apiAvailability(apiVersion, kind, kube);
  if (availability.status === 'custom') return { validated: false, skipped: 'custom resource', problems: [] };
  if (availability.status === 'not-served') return { validated: true, problems: [{ path: '', message: availability.message }] };

  const root = rootModel(apiVersion, kind);
  // Served by kubeVersion, but gone by the structure's release: nothing to check it against.
  if (!root) return { validated: false, skipped: `${apiVersion} is older than the Kubernetes ${STRUCTURE_KUBERNETES_VERSION} structure`, problems: [] };
  const problems: ObjectProblem[] = [];
  checkStructure(obj, root, problems);
  return { validated: true, problems };
}
