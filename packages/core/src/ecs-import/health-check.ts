import type { ConversionReport } from './conversion-report.js';
import type { Field } from './source-field.js';

export interface Probe {
  exec?: { command: string[] };
  httpGet?: { path: string; port: string };
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

export interface Probes {
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}

/** The probes a container role may have: init containers that run to completion take none. */
export type ProbeUse = 'app' | 'sidecar' | 'none';

// ECS's defaults when a field is left out.
const INTERVAL = 30;
const TIMEOUT = 5;
const RETRIES = 3;

/**
 * `curl -f http://localhost:8080/health || exit 1` and its wget cousin: the
 * check most ECS services use. The kubelet can send that GET itself, which
 * needs no curl in the image (distroless images have none) and no shell.
 */
const HTTP_CHECK = /^(?:curl|wget)\s(?:[^|;&<>`$]*?\s)?['"]?https?:\/\/(?:localhost|127\.0\.0\.1)(?::(\d+))?(\/[^\s'"|;&]*)?['"]?(?:\s+-[^|;&]*)?(?:\s*\|\|\s*exit\s+1)?\s*$/;

/**
 * An ECS container healthCheck as Kubernetes probes. ECS's check does the
 * work of two probes: an unhealthy essential container stops the task (a
 * liveness probe), and it gates dependent containers and deployments (a
 * readiness probe). startPeriod, during which failures do not count, is a
 * startup probe.
 */
export function convertHealthCheck(
  field: Field,
  ports: readonly { name: string; containerPort: number }[],
  use: ProbeUse,
  to: string,
  report: ConversionReport,
): Probes {
  if (use === 'none') {
    report.unsupported(field, 'this container becomes an init container that runs to completion, and Kubernetes takes no probes on those', { action: false });
    return {};
  }
  const command = field.child('command');
  const parts = command.strings();
  if (!parts || parts.length === 0) {
    report.unsupported(field, 'healthCheck.command is not a list of strings; no probe was made');
    return {};
  }
  const [kind, ...rest] = parts as [string, ...string[]];
  let handler: Pick<Probe, 'exec' | 'httpGet'>;
  if (kind === 'NONE') {
    report.converted(field, [], 'NONE: no health check, so no probes');
    return {};
  } else if (kind === 'CMD-SHELL') {
    const script = rest.join(' ');
    const http = HTTP_CHECK.exec(script.trim());
    const port = http ? ports.find((p) => p.containerPort === Number(http[1] ?? 80)) : undefined;
    if (http && port) {
      handler = { httpGet: { path: http[2] ?? '/', port: port.name } };
      report.approximated(command, [`${to}.readinessProbe.httpGet`, `${to}.livenessProbe.httpGet`], `'${script}' became an HTTP GET ${handler.httpGet!.path} on port ${port.name} sent by the kubelet (like curl -f, it passes on 2xx and 3xx); the image needs no curl or shell`);
    } else {
      handler = { exec: { command: ['/bin/sh', '-c', script] } };
      report.approximated(command, [`${to}.readinessProbe.exec`, `${to}.livenessProbe.exec`], 'CMD-SHELL runs through /bin/sh -c, as Docker ran it: the image needs a shell');
    }
  } else if (kind === 'CMD') {
    if (rest.length === 0) {
      report.unsupported(command, 'CMD with no command; no probe was made');
      return {};
    }
    handler = { exec: { command: rest } };
    report.converted(command, [`${to}.readinessProbe.exec`, `${to}.livenessProbe.exec`]);
  } else {
    // Docker treats a list without CMD/CMD-SHELL as CMD.
    handler = { exec: { command: parts } };
    report.approximated(command, [`${to}.readinessProbe.exec`, `${to}.livenessProbe.exec`], `no CMD or CMD-SHELL first; run as the command itself, as Docker does`);
  }

  const interval = numberOr(field.child('interval'), INTERVAL, `${to}.*.periodSeconds`, report);
  const timeout = numberOr(field.child('timeout'), TIMEOUT, `${to}.*.timeoutSeconds`, report);
  const retries = numberOr(field.child('retries'), RETRIES, `${to}.*.failureThreshold`, report);
  const timing = { periodSeconds: interval, timeoutSeconds: timeout, failureThreshold: retries };
  const probes: Probes = {};
  if (use === 'app') probes.readinessProbe = { ...handler, ...timing };
  probes.livenessProbe = { ...handler, ...timing };
  const startPeriod = field.child('startPeriod');
  const start = startPeriod.number();
  if (start !== undefined && start > 0) {
    probes.startupProbe = { ...handler, periodSeconds: interval, timeoutSeconds: timeout, failureThreshold: Math.ceil(start / interval) + retries };
    report.approximated(
      startPeriod,
      `${to}.startupProbe`,
      `a startup probe allows ${start}s plus ${retries} retries (${probes.startupProbe.failureThreshold} tries ${interval}s apart) before liveness and readiness probes begin`,
    );
  } else if (startPeriod.present) report.converted(startPeriod, [], '0: no start period, so no startup probe');
  if (use === 'sidecar') report.note(`A native sidecar gets no readiness probe from its health check: Kubernetes uses its startup probe (or start) to begin the next containers, as ECS's dependsOn waited for it.`);
  for (const [key] of field.entries()) {
    if (!['command', 'interval', 'timeout', 'retries', 'startPeriod'].includes(key)) report.unsupported(field.child(key), 'not a field of an ECS healthCheck; left out');
  }
  return probes;
}

function numberOr(field: Field, fallback: number, to: string, report: ConversionReport): number {
  if (!field.present) return fallback;
  const n = field.number();
  if (n === undefined || n < 1) {
    report.unsupported(field, `not a positive number; the ECS default ${fallback} was used`);
    return fallback;
  }
  report.converted(field, to);
  return Math.round(n);
}
