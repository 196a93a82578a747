import { objectMetadata, putIfSet, selectorLabels, type K8sObject, type MonochartContext } from './monochart-context.js';
import { headlessServiceName, rendersHeadlessService, rendersService, servicePorts } from './service-ports.js';
import type { MonochartValues } from './values-description.js';

/** Marks the StatefulSet's headless Service, so the ServiceMonitor scrapes each pod once, through the main Service. */
export const HEADLESS_LABEL = 'monochart.gitops-actions.io/headless';

/** The app's Service named `<app>`, and for a StatefulSet its headless Service. */
export function renderServices(values: MonochartValues, context: MonochartContext): K8sObject[] {
  const out: K8sObject[] = [];
  const ports = servicePorts(values);
  if (rendersService(values)) {
    const { service } = values;
    const spec: Record<string, unknown> = { type: service.type, selector: selectorLabels(context), ports };
    putIfSet(spec, 'externalTrafficPolicy', service.externalTrafficPolicy);
    putIfSet(spec, 'loadBalancerClass', service.loadBalancerClass);
    putIfSet(spec, 'loadBalancerSourceRanges', service.loadBalancerSourceRanges);
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: objectMetadata(context, context.app, { annotations: service.annotations ?? {} }), spec });
  }
  if (rendersHeadlessService(values)) {
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: objectMetadata(context, headlessServiceName(values, context.app), { labels: { [HEADLESS_LABEL]: 'true' } }),
      spec: {
        clusterIP: 'None',
        // Peers find each other before they are ready (cluster bootstrap).
        publishNotReadyAddresses: true,
        selector: selectorLabels(context),
        ...(ports.length ? { ports: ports.map(({ name, port, targetPort, protocol }) => ({ name, port, targetPort, protocol })) } : {}),
      },
    });
  }
  return out;
}
