import type { MonochartValues } from './values-description.js';

export interface ServicePort {
  name: string;
  port: number;
  targetPort: number | string;
  protocol: string;
  nodePort?: number;
  appProtocol?: string;
}

/**
 * The Service's ports: `service.ports` as written (targetPort defaulting to
 * the port's name), or else one per port of the first container with the
 * same number, aimed at the container port by name.
 */
export function servicePorts(values: MonochartValues): ServicePort[] {
  if (values.service.ports) {
    return values.service.ports.map((p) => ({
      name: p.name,
      port: p.port,
      targetPort: p.targetPort ?? p.name,
      protocol: p.protocol,
      ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
      ...(p.appProtocol !== undefined ? { appProtocol: p.appProtocol } : {}),
    }));
  }
  return (values.containers[0]?.ports ?? []).map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, protocol: p.protocol }));
}

/** A Service is rendered when enabled and there is something to expose. */
export function rendersService(values: MonochartValues): boolean {
  return values.service.enabled && servicePorts(values).length > 0;
}

export function headlessServiceName(values: MonochartValues, app: string): string {
  return values.statefulSet.serviceName ?? `${app}-headless`;
}

export function rendersHeadlessService(values: MonochartValues): boolean {
  return values.kind === 'StatefulSet' && values.statefulSet.headlessService;
}
