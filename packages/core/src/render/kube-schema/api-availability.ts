/**
 * Which built-in apiVersions a given Kubernetes minor release serves.
 *
 * The field structure (kube-structure.ts) comes from one Kubernetes release,
 * the client's. This hand-written table is the per-version part: the API
 * versions the Kubernetes deprecation guide lists as removed, with the release
 * that stopped serving them, and the versions that replaced them, with the
 * release that started serving them. An apiVersion/kind the structure knows and
 * the table does not mention is taken as served by every release from 1.16 on;
 * newer alpha and beta APIs the guide does not cover are not dated here.
 */
import { closest } from '../../schema/did-you-mean.js';
import type { KubeVersion } from './kube-version.js';
import { structureKinds } from './kube-structure.js';

interface ApiChange {
  readonly apiVersion: string;
  readonly kinds: readonly string[];
  /** The first minor release that serves it, when that is after 1.16. */
  readonly introduced?: number;
  /** The first minor release that no longer serves it. */
  readonly removed?: number;
  /** Said instead of a replacement when none is served. */
  readonly instead?: string;
}

const PSP_GONE = 'PodSecurityPolicy has no replacement API: enforce pod security with Pod Security Admission (pod-security.kubernetes.io/* namespace labels)';

const API_CHANGES: readonly ApiChange[] = [
  // 1.16
  { apiVersion: 'extensions/v1beta1', kinds: ['DaemonSet', 'Deployment', 'ReplicaSet', 'NetworkPolicy'], removed: 16 },
  { apiVersion: 'extensions/v1beta1', kinds: ['PodSecurityPolicy'], removed: 16, instead: PSP_GONE },
  { apiVersion: 'apps/v1beta1', kinds: ['Deployment', 'StatefulSet'], removed: 16 },
  { apiVersion: 'apps/v1beta2', kinds: ['DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'], removed: 16 },
  // 1.22
  { apiVersion: 'admissionregistration.k8s.io/v1beta1', kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], removed: 22 },
  { apiVersion: 'apiextensions.k8s.io/v1beta1', kinds: ['CustomResourceDefinition'], removed: 22 },
  { apiVersion: 'apiregistration.k8s.io/v1beta1', kinds: ['APIService'], removed: 22 },
  { apiVersion: 'authentication.k8s.io/v1beta1', kinds: ['TokenReview'], removed: 22 },
  {
    apiVersion: 'authorization.k8s.io/v1beta1',
    kinds: ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'],
    removed: 22,
  },
  { apiVersion: 'certificates.k8s.io/v1beta1', kinds: ['CertificateSigningRequest'], removed: 22 },
  { apiVersion: 'certificates.k8s.io/v1', kinds: ['CertificateSigningRequest'], introduced: 19 },
  { apiVersion: 'coordination.k8s.io/v1beta1', kinds: ['Lease'], removed: 22 },
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress'], removed: 22 },
  { apiVersion: 'networking.k8s.io/v1beta1', kinds: ['Ingress', 'IngressClass'], removed: 22 },
  { apiVersion: 'networking.k8s.io/v1', kinds: ['Ingress', 'IngressClass'], introduced: 19 },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', kinds: ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], removed: 22 },
  { apiVersion: 'scheduling.k8s.io/v1beta1', kinds: ['PriorityClass'], removed: 22 },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], removed: 22 },
  { apiVersion: 'storage.k8s.io/v1', kinds: ['CSIDriver'], introduced: 19 },
  { apiVersion: 'storage.k8s.io/v1', kinds: ['CSINode'], introduced: 17 },
  // 1.25
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], removed: 25 },
  { apiVersion: 'batch/v1', kinds: ['CronJob'], introduced: 21 },
  { apiVersion: 'discovery.k8s.io/v1beta1', kinds: ['EndpointSlice'], removed: 25 },
  { apiVersion: 'discovery.k8s.io/v1', kinds: ['EndpointSlice'], introduced: 21 },
  { apiVersion: 'events.k8s.io/v1beta1', kinds: ['Event'], removed: 25 },
  { apiVersion: 'events.k8s.io/v1', kinds: ['Event'], introduced: 19 },
  { apiVersion: 'autoscaling/v2beta1', kinds: ['HorizontalPodAutoscaler'], removed: 25 },
  { apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget'], removed: 25 },
  { apiVersion: 'policy/v1beta1', kinds: ['PodSecurityPolicy'], removed: 25, instead: PSP_GONE },
  { apiVersion: 'policy/v1', kinds: ['PodDisruptionBudget'], introduced: 21 },
  { apiVersion: 'node.k8s.io/v1beta1', kinds: ['RuntimeClass'], removed: 25 },
  { apiVersion: 'node.k8s.io/v1', kinds: ['RuntimeClass'], introduced: 20 },
  // 1.26
  { apiVersion: 'autoscaling/v2beta2', kinds: ['HorizontalPodAutoscaler'], removed: 26 },
  { apiVersion: 'autoscaling/v2', kinds: ['HorizontalPodAutoscaler'], introduced: 23 },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], removed: 26 },
  // 1.27
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], introduced: 21, removed: 27 },
  { apiVersion: 'storage.k8s.io/v1', kinds: ['CSIStorageCapacity'], introduced: 24 },
  // 1.29 and 1.32
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], introduced: 23, removed: 29 },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], introduced: 26, removed: 32 },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], introduced: 29 },
  // Later GA APIs that manifests meet, so an older cluster's kube-version catches them.
  { apiVersion: 'authentication.k8s.io/v1', kinds: ['SelfSubjectReview'], introduced: 28 },
  { apiVersion: 'admissionregistration.k8s.io/v1', kinds: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'], introduced: 30 },
  { apiVersion: 'networking.k8s.io/v1', kinds: ['IPAddress', 'ServiceCIDR'], introduced: 33 },
  { apiVersion: 'resource.k8s.io/v1beta1', kinds: ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'], introduced: 32 },
  { apiVersion: 'resource.k8s.io/v1beta2', kinds: ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'], introduced: 33 },
  { apiVersion: 'resource.k8s.io/v1', kinds: ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'], introduced: 34 },
  { apiVersion: 'storage.k8s.io/v1', kinds: ['VolumeAttributesClass'], introduced: 34 },
];

export type ApiAvailability =
  /** Built in, and served by the release. */
  | { readonly status: 'served' }
  /** Not a built-in API group: a custom resource, or an aggregated API. */
  | { readonly status: 'custom' }
  /** A built-in group, but the release does not serve this apiVersion/kind. */
  | { readonly status: 'not-served'; readonly message: string };

interface KnownApi {
  readonly apiVersion: string;
  readonly group: string;
  readonly kind: string;
  readonly introduced?: number;
  readonly removed?: number;
  readonly instead?: string;
}

let index: { byKey: Map<string, KnownApi>; byKind: Map<string, KnownApi[]>; groups: Set<string> } | undefined;

function known(): NonNullable<typeof index> {
  if (index) return index;
  const byKey = new Map<string, KnownApi>();
  for (const key of structureKinds()) {
    const at = key.lastIndexOf('/');
    const apiVersion = key.slice(0, at);
    byKey.set(key, { apiVersion, group: groupOf(apiVersion), kind: key.slice(at + 1) });
  }
  for (const change of API_CHANGES) {
    for (const kind of change.kinds) {
      const key = `${change.apiVersion}/${kind}`;
      const { introduced, removed, instead } = change;
      byKey.set(key, { apiVersion: change.apiVersion, group: groupOf(change.apiVersion), kind, introduced, removed, instead });
    }
  }
  const byKind = new Map<string, KnownApi[]>();
  for (const api of byKey.values()) byKind.set(api.kind, [...(byKind.get(api.kind) ?? []), api]);
  index = { byKey, byKind, groups: new Set([...byKey.values()].map((a) => a.group)) };
  return index;
}

/** `apps/v1` → `apps`; the core group (`v1`) is ''. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}

function served(api: KnownApi, kube: KubeVersion): boolean {
  return (api.introduced === undefined || kube.minor >= api.introduced) && (api.removed === undefined || kube.minor < api.removed);
}

/**
 * Closest to the version being replaced first: the major version, then GA
 * before beta before alpha: `v2` > `v2beta2` > `v2beta1` > `v1` > `v1beta1`.
 * So an autoscaling/v2 HPA on a cluster too old for it is pointed at
 * autoscaling/v2beta2 (same fields), not at autoscaling/v1.
 */
function rank(apiVersion: string): number {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(versionOf(apiVersion));
  if (!m) return 0;
  const level = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
  return Number(m[1]) * 1e6 + level * 1e3 + Number(m[3] ?? 0);
}

/** The apiVersion to move to: the same group when it serves the kind, then by rank. */
function replacement(kind: string, group: string, exclude: string, kube: KubeVersion): string | undefined {
  const candidates = (known().byKind.get(kind) ?? []).filter((a) => a.apiVersion !== exclude && served(a, kube));
  candidates.sort((a, b) => Number(b.group === group) - Number(a.group === group) || rank(b.apiVersion) - rank(a.apiVersion));
  return candidates[0]?.apiVersion;
}

export function apiAvailability(apiVersion: string, kind: string, kube: KubeVersion): ApiAvailability {
  const { byKey, byKind, groups } = known();
  const group = groupOf(apiVersion);
  if (!groups.has(group) || apiVersion.split('/').length > 2) return { status: 'custom' };
  const api = byKey.get(`${apiVersion}/${kind}`);
  const what = `${apiVersion} ${kind}`;
  const moveTo = (instead?: string): string => {
    const to = replacement(kind, group, apiVersion, kube);
    return to ? `: use ${to}` : instead ? `; ${instead}` : '';
  };

  if (!api) {
    if (byKind.has(kind)) return { status: 'not-served', message: `${what} is not a Kubernetes API${moveTo()}` };
    const inVersion = [...byKey.values()].filter((a) => a.apiVersion === apiVersion);
    const candidates = (inVersion.length ? inVersion : [...byKey.values()].filter((a) => a.group === group)).map((a) => a.kind);
    const guess = closest(kind, [...new Set(candidates)]);
    return { status: 'not-served', message: `${apiVersion} has no kind '${kind}'${guess ? ` (did you mean '${guess}'?)` : ''}` };
  }
  if (api.removed !== undefined && kube.minor >= api.removed) {
    return { status: 'not-served', message: `${what} is not served by Kubernetes ${kube.text} (removed in 1.${api.removed})${moveTo(api.instead)}` };
  }
  if (api.introduced !== undefined && kube.minor < api.introduced) {
    return { status: 'not-served', message: `${what} is not served by Kubernetes ${kube.text} (available from 1.${api.introduced})${moveTo()}` };
  }
  return { status: 'served' };
}
