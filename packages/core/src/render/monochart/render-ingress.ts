import { objectMetadata, putIfSet, type K8sObject, type MonochartContext } from './monochart-context.js';
import { servicePorts } from './service-ports.js';
import type { MonochartValues } from './values-description.js';

/** networking.k8s.io/v1 Ingress: one rule per host entry, paths to the app Service unless a path names another. */
export function renderIngress(values: MonochartValues, context: MonochartContext): K8sObject | undefined {
  const { ingress } = values;
  if (!ingress.enabled) return undefined;
  const defaultPort = servicePorts(values)[0]?.name;
  const spec: Record<string, unknown> = {};
  putIfSet(spec, 'ingressClassName', ingress.className);
  putIfSet(spec, 'tls', ingress.tls);
  spec.rules = (ingress.hosts ?? []).map((h) => ({
    ...(h.host !== undefined ? { host: h.host } : {}),
    http: {
      paths: h.paths.map((p) => {
        const port = p.port ?? defaultPort!;
        return {
          path: p.path,
          pathType: p.pathType,
          backend: { service: { name: p.service ?? context.app, port: typeof port === 'number' ? { number: port } : { name: port } } },
        };
      }),
    },
  }));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: objectMetadata(context, context.app, { annotations: ingress.annotations ?? {} }),
    spec,
  };
}
