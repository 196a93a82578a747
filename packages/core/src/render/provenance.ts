/**
 * Where a rendered object came from. One key each, shared with
 * commit-to-gitops, which reads `VERSION_ANNOTATION` for its
 * never-go-backwards check. They go on each object's own metadata, never on
 * a pod template: a changed commit must not restart pods by itself.
 */
export const VERSION_ANNOTATION = 'gitops-actions.io/version';
export const SOURCE_REPOSITORY_ANNOTATION = 'gitops-actions.io/source-repository';
export const SOURCE_COMMIT_ANNOTATION = 'gitops-actions.io/source-commit';

export interface Provenance {
  app: string;
  environment: string;
  version: string;
  /** e.g. https://github.com/acme/verity-api; '' when unknown. */
  sourceRepository: string;
  sourceCommit: string;
}

interface Metadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/** The common labels and provenance annotations, merged into an object's metadata (ours win on our keys). */
export function withProvenance<T extends { metadata?: Metadata }>(object: T, provenance: Provenance): T {
  const labels: Record<string, string> = {
    ...(object.metadata?.labels ?? {}),
    'app.kubernetes.io/name': provenance.app,
    'app.kubernetes.io/instance': `${provenance.app}-${provenance.environment}`,
    'app.kubernetes.io/managed-by': 'gitops-actions',
  };
  const annotations: Record<string, string> = { ...(object.metadata?.annotations ?? {}) };
  if (provenance.version) {
    labels['app.kubernetes.io/version'] = labelValue(provenance.version);
    annotations[VERSION_ANNOTATION] = provenance.version;
  }
  if (provenance.sourceRepository) annotations[SOURCE_REPOSITORY_ANNOTATION] = provenance.sourceRepository;
  if (provenance.sourceCommit) annotations[SOURCE_COMMIT_ANNOTATION] = provenance.sourceCommit;
  return { ...object, metadata: { ...(object.metadata ?? {}), labels, annotations } };
}

/** Label values: at most 63 characters of [A-Za-z0-9_.-], alphanumeric at both ends ('+' of semver build metadata becomes '_'). */
export function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_.-]/g, '_')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}
