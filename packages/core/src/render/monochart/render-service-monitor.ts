import { objectMetadata, putIfSet, selectorLabels, type K8sObject, type MonochartContext } from './monochart-context.js';
import { HEADLESS_LABEL } from './render-service.js';
import { rendersHeadlessService, servicePorts } from './service-ports.js';
import type { MonochartValues } from './values-description.js';

/** A Prometheus operator ServiceMonitor scraping the app Service (never the headless one). */
export function renderServiceMonitor(values: MonochartValues, context: MonochartContext): K8sObject | undefined {
  const sm = values.serviceMonitor;
  if (!sm.enabled) return undefined;
  const endpoint: Record<string, unknown> = { port: sm.port ?? servicePorts(values)[0]!.name, path: sm.path, interval: sm.interval };
  putIfSet(endpoint, 'scrapeTimeout', sm.scrapeTimeout);
  putIfSet(endpoint, 'scheme', sm.scheme);
  putIfSet(endpoint, 'honorLabels', sm.honorLabels);
  const selector: Record<string, unknown> = { matchLabels: selectorLabels(context) };
  if (rendersHeadlessService(values)) selector.matchExpressions = [{ key: HEADLESS_LABEL, operator: 'DoesNotExist' }];
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: objectMetadata(context, context.app, { labels: sm.labels ?? {} }),
    spec: { selector, endpoints: [endpoint] },
  };
}
