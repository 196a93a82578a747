import { InputError } from '../errors/errors.js';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [key: string]: unknown;
}

export interface ResourceId {
  kind: string;
  namespace: string;
  name: string;
}

/** The API server refuses objects over ~1.5 MiB; anything near 256 KiB is a values mistake, not a manifest. */
export const MAX_OBJECT_BYTES = 256 * 1024;

/** Checks what every rendered document must have before it may be written. */
export function asK8sObject(doc: unknown, where: string): K8sObject {
  const o = doc as Partial<K8sObject> | null;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new InputError(`${where}: a rendered document is not a Kubernetes object (got ${Array.isArray(o) ? 'a list' : typeof o})`);
  if (typeof o.apiVersion !== 'string' || !o.apiVersion) throw new InputError(`${where}: a rendered object has no apiVersion`);
  if (typeof o.kind !== 'string' || !o.kind) throw new InputError(`${where}: a rendered object has no kind`);
  if (!o.metadata || typeof o.metadata.name !== 'string' || !o.metadata.name) throw new InputError(`${where}: a rendered ${o.kind} has no metadata.name`);
  return o as K8sObject;
}

export function resourceId(o: K8sObject): ResourceId {
  return { kind: o.kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name };
}

/** Sorted the way a reviewer scans a diff: kind, namespace, name. */
export function compareObjects(a: K8sObject, b: K8sObject): number {
  const ka = `${a.kind}\0${a.metadata.namespace ?? ''}\0${a.metadata.name}`;
  const kb = `${b.kind}\0${b.metadata.namespace ?? ''}\0${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * One file per object, named like a chart's templates: `deployment.yaml`
 * for the object named after the app, `configmap-settings.yaml` for
 * `<app>-settings`; the namespace joins the name when two would collide.
 */
export function fileNames(objects: readonly K8sObject[], app: string): string[] {
  const base = objects.map((o) => {
    const kind = o.kind.toLowerCase();
    const name = o.metadata.name;
    const suffix = name === app ? '' : name.startsWith(`${app}-`) ? name.slice(app.length + 1) : name;
    return suffix ? `${kind}-${suffix}` : kind;
  });
  return base.map((b, i) => {
    const clash = base.filter((x) => x === b).length > 1;
    const ns = objects[i]!.metadata.namespace;
    return `${clash && ns ? `${b}-${ns}` : b}.yaml`;
  });
}
