/** What the caller knows about the app and environment being rendered. */
export interface MonochartContext {
  /** A DNS-1123 label, e.g. verity-api: the name of the main objects and the prefix of the others. */
  app: string;
  /** e.g. staging. */
  environment: string;
  /** Set on every object when given; left out, objects land in the namespace Argo CD applies them to. */
  namespace?: string;
  /** The app image: `repository@digest` when a digest is given (it wins over the tag), else `repository:tag`. */
  image?: { repository: string; tag?: string; digest?: string };
  /**
   * The app version. Deliberately unused here: the caller puts
   * app.kubernetes.io/version on each object's metadata, and nothing
   * version-dependent may reach a pod template (it would restart pods for nothing).
   */
  version?: string;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [k: string]: unknown;
}

export const NAME_LABEL = 'app.kubernetes.io/name';
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
export const COMPONENT_LABEL = 'app.kubernetes.io/component';

/** On selectors and pod templates. Stable for the life of the app: never a version in here. */
export function selectorLabels(context: MonochartContext): Record<string, string> {
  return { [NAME_LABEL]: context.app, [INSTANCE_LABEL]: `${context.app}-${context.environment}` };
}

export function objectMetadata(
  context: MonochartContext,
  name: string,
  extra: { labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): K8sObject['metadata'] {
  const annotations = extra.annotations ?? {};
  return {
    name,
    ...(context.namespace ? { namespace: context.namespace } : {}),
    labels: { ...selectorLabels(context), ...(extra.labels ?? {}) },
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
}

export function appImage(context: MonochartContext): string | undefined {
  const image = context.image;
  if (!image) return undefined;
  if (image.digest) return `${image.repository}@${image.digest}`;
  return image.tag ? `${image.repository}:${image.tag}` : image.repository;
}

/** Sets `key` only when the value says something: not undefined, not an empty list or map. */
export function putIfSet(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) return;
  if (Array.isArray(value) && value.length === 0) return;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0) return;
  target[key] = value;
}
