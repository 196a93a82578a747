import { InputError } from '../../errors/errors.js';
import { parseImageReference } from '../../registry/reference.js';
import type { ValueProblem } from '../../schema/check-values.js';
import { childPath } from '../../schema/value-path.js';
import { DNS_LABEL, matches } from '../../schema/k8s-patterns.js';
import { appImage, COMPONENT_LABEL, INSTANCE_LABEL, NAME_LABEL, type MonochartContext } from './monochart-context.js';
import { quantityValue } from './quantity.js';
import { CONFIG_CHECKSUM_ANNOTATION, configMapVolumeName } from './render-config-maps.js';
import { utilisationTargets } from './render-autoscaling.js';
import { mergedSecurityContext } from './security-context.js';
import { rendersHeadlessService, rendersService, servicePorts } from './service-ports.js';
import type { MonochartContainer, MonochartValues, MonochartVolume } from './values-description.js';

/**
 * What the JSON Schema cannot say: keys that must agree with each other
 * (a mount names a volume, a probe names a port, an HPA needs requests) and
 * combinations the API server would refuse or that would silently misbehave.
 * Runs on values that passed the structural check, with defaults applied.
 */
export function checkSemantics(values: MonochartValues): ValueProblem[] {
  const problems: ValueProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });

  checkWorkloadKind(values, problem);

  const configMapMounts = Object.entries(values.configMaps ?? {}).filter(([, c]) => c.mountPath !== undefined);
  const autoMounts = new Map<string, { volume: string; mountPath: string }[]>();
  const podContainers = [...values.containers, ...(values.initContainers ?? [])].map((c) => c.name);
  for (const [key, cm] of configMapMounts) {
    const into = cm.mountInto ?? [values.containers[0]!.name];
    into.forEach((name, i) => {
      if (!podContainers.includes(name)) {
        problem(childPath(`configMaps.${key}.mountInto`, i), `no container is called '${name}' (containers: ${podContainers.join(', ')})`);
      }
      autoMounts.set(name, [...(autoMounts.get(name) ?? []), { volume: configMapVolumeName(key), mountPath: cm.mountPath! }]);
    });
  }
  for (const [key, cm] of Object.entries(values.configMaps ?? {})) {
    if (cm.mountInto && cm.mountPath === undefined) problem(`configMaps.${key}.mountInto`, 'needs mountPath');
    if (!matches(DNS_LABEL, configMapVolumeName(key))) problem(`configMaps.${key}`, `the key is too long to name its volume ${configMapVolumeName(key)} (at most 53 characters)`);
  }

  const claims = values.kind === 'StatefulSet' ? (values.statefulSet.volumeClaimTemplates ?? []).map((t) => t.name) : [];
  checkPod(
    {
      containers: values.containers,
      initContainers: values.initContainers ?? [],
      volumes: values.volumes ?? [],
      claims,
      autoVolumes: configMapMounts.map(([key]) => configMapVolumeName(key)),
      autoMounts,
      securityContext: values.securityContext,
    },
    '',
    problem,
  );

  for (const key of Object.keys(values.podLabels ?? {})) {
    if (key === NAME_LABEL || key === INSTANCE_LABEL) problem(childPath('podLabels', key), 'is a selector label, set by the chart');
    else if (key === 'app.kubernetes.io/version') {
      problem(childPath('podLabels', key), 'a version on the pod template restarts every pod on each release for nothing; the caller puts it on the objects');
    }
  }
  for (const key of Object.keys(values.podAnnotations ?? {})) {
    if (key.startsWith('gitops-actions.io/')) problem(childPath('podAnnotations', key), 'provenance belongs on the objects, where the caller puts it, not on the pod template');
    if (key === CONFIG_CHECKSUM_ANNOTATION) problem(childPath('podAnnotations', key), 'is set by the chart from the ConfigMaps the pods use');
  }

  for (const key of Object.keys(values.serviceMonitor.labels ?? {})) {
    if (key === NAME_LABEL || key === INSTANCE_LABEL) problem(childPath('serviceMonitor.labels', key), 'is set by the chart');
  }
  checkSeccomp(values.podSecurityContext.seccompProfile, 'podSecurityContext.seccompProfile', problem);
  checkService(values, problem);
  checkIngress(values, problem);
  checkAutoscaling(values, problem);
  checkDisruptionBudget(values, problem);
  checkServiceMonitor(values, problem);
  if (!values.serviceAccount.create && Object.keys(values.serviceAccount.annotations ?? {}).length) {
    problem('serviceAccount.annotations', 'need serviceAccount.create: the chart can only annotate a ServiceAccount it renders');
  }

  for (const [key, job] of Object.entries(values.cronJobs ?? {})) {
    const path = `cronJobs.${key}`;
    checkPod(
      {
        containers: job.containers,
        initContainers: job.initContainers ?? [],
        volumes: job.volumes ?? [],
        claims: [],
        autoVolumes: [],
        autoMounts: new Map(),
        securityContext: values.securityContext,
      },
      path,
      problem,
    );
    for (const label of Object.keys(job.podLabels ?? {})) {
      if ([NAME_LABEL, INSTANCE_LABEL, COMPONENT_LABEL].includes(label)) problem(childPath(`${path}.podLabels`, label), 'is set by the chart');
    }
  }
  return problems;
}

/** Checks that need to know the app, environment and image. */
export function checkContext(values: MonochartValues, context: MonochartContext): ValueProblem[] {
  const problems: ValueProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });
  for (const [what, name] of [
    ['app', context.app],
    ['environment', context.environment],
    ...(context.namespace !== undefined ? [['namespace', context.namespace] as const] : []),
  ] as const) {
    if (!matches(DNS_LABEL, name)) problem('', `${what} '${name}' is not ${DNS_LABEL.what}, e.g. '${DNS_LABEL.example}'`);
  }
  if (problems.length) return problems;

  const instance = `${context.app}-${context.environment}`;
  if (instance.length > 63) {
    problem('', `app and environment make the label ${INSTANCE_LABEL}: ${instance} (${instance.length} characters), at most 63 are allowed: shorten one of them`);
  }
  if ((rendersService(values) || rendersHeadlessService(values)) && !/^[a-z]/.test(context.app)) {
    problem('', `app '${context.app}' names a Service, and Service names must start with a letter`);
  }
  if (values.kind === 'StatefulSet' && context.app.length > 52) {
    problem('', `app '${context.app}' has ${context.app.length} characters; a StatefulSet name may have at most 52 (its pods get a controller-revision-hash label of <name>-<hash>)`);
  }
  if (rendersService(values) && rendersHeadlessService(values) && values.statefulSet.serviceName === context.app) {
    problem('statefulSet.serviceName', `'${context.app}' is already the app's Service; name the headless Service differently or leave this out (${context.app}-headless)`);
  }
  for (const key of Object.keys(values.cronJobs ?? {})) {
    const name = `${context.app}-${key}`;
    if (name.length > 52) problem(`cronJobs.${key}`, `names the CronJob ${name} (${name.length} characters); at most 52 are allowed, its Jobs append a suffix`);
  }
  for (const key of Object.keys(values.configMaps ?? {})) {
    const name = `${context.app}-${key}`;
    if (name.length > 253) problem(`configMaps.${key}`, `names the ConfigMap ${name}, longer than 253 characters`);
  }

  const image = appImage(context);
  const withoutImage = (list: readonly MonochartContainer[] | undefined, path: string) =>
    (list ?? []).forEach((c, i) => {
      if (c.image === undefined && image === undefined) {
        problem(childPath(childPath(path, i), 'image'), `container '${c.name}' has no image: give render the app image (input 'image') or set this key`);
      }
    });
  withoutImage(values.containers, 'containers');
  withoutImage(values.initContainers, 'initContainers');
  for (const [key, job] of Object.entries(values.cronJobs ?? {})) {
    withoutImage(job.containers, `cronJobs.${key}.containers`);
    withoutImage(job.initContainers, `cronJobs.${key}.initContainers`);
  }
  return problems;
}

type Problem = (path: string, message: string) => void;

function checkWorkloadKind(values: MonochartValues, problem: Problem): void {
  const { strategy, statefulSet } = values;
  if (values.kind === 'Deployment') {
    for (const key of ['serviceName', 'podManagementPolicy', 'volumeClaimTemplates', 'persistentVolumeClaimRetentionPolicy'] as const) {
      if (statefulSet[key] !== undefined) problem(`statefulSet.${key}`, 'only applies with kind: StatefulSet');
    }
    if (strategy.type === 'OnDelete') problem('strategy.type', 'OnDelete is for a StatefulSet; a Deployment takes RollingUpdate or Recreate');
    if (strategy.partition !== undefined) problem('strategy.partition', 'only applies with kind: StatefulSet');
    if (strategy.type === 'Recreate') {
      for (const key of ['maxSurge', 'maxUnavailable'] as const) {
        if (strategy[key] !== undefined) problem(`strategy.${key}`, 'only applies to type RollingUpdate');
      }
    }
  } else {
    if (strategy.type === 'Recreate') problem('strategy.type', 'Recreate is for a Deployment; a StatefulSet takes RollingUpdate or OnDelete');
    if (strategy.maxSurge !== undefined) problem('strategy.maxSurge', 'a StatefulSet replaces pods in place and has no surge');
    if (strategy.maxUnavailable !== undefined) problem('strategy.maxUnavailable', 'is alpha for StatefulSets (MaxUnavailableStatefulSet) and not supported by this chart');
    if (strategy.type === 'OnDelete' && strategy.partition !== undefined) problem('strategy.partition', 'only applies to type RollingUpdate');
    if (statefulSet.serviceName !== undefined && !/^[a-z]/.test(statefulSet.serviceName)) {
      problem('statefulSet.serviceName', `'${statefulSet.serviceName}' names a Service, and Service names must start with a letter`);
    }
    const names = new Set<string>();
    (statefulSet.volumeClaimTemplates ?? []).forEach((t, i) => {
      if (names.has(t.name)) problem(`statefulSet.volumeClaimTemplates[${i}].name`, `'${t.name}' is used twice`);
      names.add(t.name);
    });
  }
}

interface PodParts {
  containers: readonly MonochartContainer[];
  initContainers: readonly MonochartContainer[];
  volumes: readonly MonochartVolume[];
  /** StatefulSet volumeClaimTemplates: mountable by name. */
  claims: readonly string[];
  /** Volumes the chart adds for mounted ConfigMaps, and where it mounts them. */
  autoVolumes: readonly string[];
  autoMounts: ReadonlyMap<string, readonly { volume: string; mountPath: string }[]>;
  securityContext: MonochartValues['securityContext'];
}

function checkPod(pod: PodParts, prefix: string, problem: Problem): void {
  const at = (path: string) => (prefix ? `${prefix}.${path}` : path);

  const volumeNames = new Set<string>();
  pod.volumes.forEach((v, i) => {
    if (volumeNames.has(v.name) || pod.claims.includes(v.name)) problem(at(`volumes[${i}].name`), `'${v.name}' is used twice`);
    if (pod.autoVolumes.includes(v.name)) problem(at(`volumes[${i}].name`), `'${v.name}' is the volume the chart adds for configMaps; pick another name`);
    volumeNames.add(v.name);
  });
  const mountable = new Set([...volumeNames, ...pod.claims]);

  const containerNames = new Set<string>();
  const portNames = new Set<string>();
  const portNumbers = new Set<string>();
  const lists = [
    ['containers', pod.containers],
    ['initContainers', pod.initContainers],
  ] as const;
  for (const [list, containers] of lists) {
    containers.forEach((c, i) => {
      const cp = at(`${list}[${i}]`);
      if (containerNames.has(c.name)) problem(`${cp}.name`, `'${c.name}' is used twice`);
      containerNames.add(c.name);
      const sidecar = list === 'initContainers' && c.restartPolicy === 'Always';

      if (c.image !== undefined) {
        try {
          parseImageReference(c.image, 'the image');
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          problem(`${cp}.image`, e.message);
        }
      }

      const ownPorts = new Set<string>();
      (c.ports ?? []).forEach((p, j) => {
        if (portNames.has(p.name)) problem(`${cp}.ports[${j}].name`, `'${p.name}' is used twice in the pod`);
        const number = `${p.containerPort}/${p.protocol}`;
        if (portNumbers.has(number)) problem(`${cp}.ports[${j}].containerPort`, `${number} is used twice in the pod`);
        portNames.add(p.name);
        portNumbers.add(number);
        ownPorts.add(p.name);
      });
      const envNames = new Set<string>();
      (c.env ?? []).forEach((e, j) => {
        if (envNames.has(e.name)) problem(`${cp}.env[${j}].name`, `'${e.name}' is set twice; the last one would win silently`);
        envNames.add(e.name);
      });

      // The user's mounts, then the chart's for mounted ConfigMaps: no two at one path.
      const mountPaths = new Map<string, string>();
      const mounts = [
        ...(c.volumeMounts ?? []).map((m, j) => ({ ...m, path: `${cp}.volumeMounts[${j}]`, byChart: false })),
        ...(pod.autoMounts.get(c.name) ?? []).map((m) => ({ name: m.volume, mountPath: m.mountPath, path: `configMaps (${m.volume} in ${c.name})`, byChart: true })),
      ];
      for (const m of mounts) {
        if (!m.byChart && !mountable.has(m.name)) {
          const known = [...mountable];
          problem(`${m.path}.name`, `no volume is called '${m.name}'${known.length ? ` (volumes: ${known.join(', ')})` : ': declare it under volumes'}`);
        }
        const other = mountPaths.get(m.mountPath);
        if (other) problem(m.byChart ? m.path : `${m.path}.mountPath`, `${m.mountPath} is already mounted by ${other}`);
        else mountPaths.set(m.mountPath, m.path);
      }

      for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        const probe = c[kind];
        if (!probe) continue;
        if (list === 'initContainers' && !sidecar) {
          problem(`${cp}.${kind}`, 'init containers run to completion and take no probes (restartPolicy: Always makes a sidecar, which may)');
          continue;
        }
        if (kind !== 'readinessProbe' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
          problem(`${cp}.${kind}.successThreshold`, `must be 1 for a ${kind}`);
        }
        for (const handler of ['httpGet', 'tcpSocket'] as const) {
          const port = probe[handler]?.port;
          if (typeof port === 'string' && !ownPorts.has(port)) {
            problem(`${cp}.${kind}.${handler}.port`, `'${port}' is not a port of this container${ownPorts.size ? ` (ports: ${[...ownPorts].join(', ')})` : ''}`);
          }
        }
      }
      if (list === 'initContainers' && !sidecar && c.lifecycle) problem(`${cp}.lifecycle`, 'init containers take no lifecycle hooks (unless restartPolicy: Always)');

      for (const [name, request] of Object.entries(c.resources?.requests ?? {})) {
        const limit = c.resources?.limits?.[name];
        if (limit !== undefined && quantityValue(request) > quantityValue(limit)) {
          problem(childPath(`${cp}.resources.requests`, name), `${request} is more than the limit ${limit}`);
        }
      }

      const security = mergedSecurityContext(pod.securityContext, c.securityContext);
      const escalates = security.privileged === true || (security.capabilities?.add ?? []).includes('SYS_ADMIN');
      if (escalates && security.allowPrivilegeEscalation === false) {
        problem(`${cp}.securityContext`, 'privileged or SYS_ADMIN needs allowPrivilegeEscalation: true (the default is false)');
      }
      const seccomp = c.securityContext?.seccompProfile;
      if (seccomp) checkSeccomp(seccomp, `${cp}.securityContext.seccompProfile`, problem);
    });
  }
}

export function checkSeccomp(profile: { type?: string; localhostProfile?: string }, path: string, problem: Problem): void {
  if (profile.type === 'Localhost' && profile.localhostProfile === undefined) problem(`${path}.localhostProfile`, 'is required with type Localhost');
  if (profile.type !== 'Localhost' && profile.localhostProfile !== undefined) problem(`${path}.localhostProfile`, 'only applies with type Localhost');
}

function checkService(values: MonochartValues, problem: Problem): void {
  const { service } = values;
  const nodePorts = service.type === 'NodePort' || service.type === 'LoadBalancer';
  if (!nodePorts && service.externalTrafficPolicy !== undefined) problem('service.externalTrafficPolicy', 'only applies to type NodePort or LoadBalancer');
  if (service.type !== 'LoadBalancer') {
    for (const key of ['loadBalancerClass', 'loadBalancerSourceRanges'] as const) {
      if (service[key] !== undefined) problem(`service.${key}`, 'only applies to type LoadBalancer');
    }
  }
  const podPorts = new Set([...values.containers, ...(values.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')].flatMap((c) => (c.ports ?? []).map((p) => p.name)));
  const names = new Set<string>();
  const numbers = new Set<string>();
  (service.ports ?? []).forEach((p, i) => {
    const path = `service.ports[${i}]`;
    if (names.has(p.name)) problem(`${path}.name`, `'${p.name}' is used twice`);
    if (numbers.has(`${p.port}/${p.protocol}`)) problem(`${path}.port`, `${p.port}/${p.protocol} is used twice`);
    names.add(p.name);
    numbers.add(`${p.port}/${p.protocol}`);
    const target = p.targetPort ?? p.name;
    if (typeof target === 'string' && !podPorts.has(target)) {
      problem(p.targetPort === undefined ? `${path}.name` : `${path}.targetPort`, `no container port is called '${target}'${p.targetPort === undefined ? ' (targetPort defaults to the name)' : ''}${podPorts.size ? `; ports: ${[...podPorts].join(', ')}` : ''}`);
    }
    if (p.nodePort !== undefined && !nodePorts) problem(`${path}.nodePort`, 'only applies to type NodePort or LoadBalancer');
  });
}

function checkIngress(values: MonochartValues, problem: Problem): void {
  const { ingress } = values;
  if (!ingress.enabled) return;
  const hosts = ingress.hosts ?? [];
  if (hosts.length === 0) problem('ingress.hosts', 'needs at least one entry when the ingress is enabled');
  const ports = rendersService(values) ? servicePorts(values) : [];
  hosts.forEach((h, i) =>
    h.paths.forEach((p, j) => {
      const path = `ingress.hosts[${i}].paths[${j}]`;
      if (p.service !== undefined) {
        if (p.port === undefined) problem(`${path}.port`, `is required when the path goes to another Service (${p.service})`);
        return;
      }
      if (!ports.length) {
        problem(path, 'goes to the app Service, which is not rendered (service.enabled is false or there are no ports)');
        return;
      }
      if (p.port !== undefined && !ports.some((sp) => sp.name === p.port || sp.port === p.port)) {
        problem(`${path}.port`, `${p.port} is not a Service port (${ports.map((sp) => `${sp.name}: ${sp.port}`).join(', ')})`);
      }
    }),
  );
}

function checkAutoscaling(values: MonochartValues, problem: Problem): void {
  const a = values.autoscaling;
  if (!a.enabled) return;
  if (a.minReplicas > a.maxReplicas) problem('autoscaling.minReplicas', `${a.minReplicas} is more than maxReplicas ${a.maxReplicas}`);
  const { cpu, memory } = utilisationTargets(a);
  const targets = [
    ['targetCPUUtilizationPercentage', 'cpu', cpu],
    ['targetMemoryUtilizationPercentage', 'memory', memory],
  ] as const;
  for (const [key, resource, target] of targets) {
    if (target === undefined) continue;
    const missing = values.containers.filter((c) => c.resources?.requests?.[resource] === undefined).map((c) => c.name);
    if (missing.length) {
      problem(`autoscaling.${key}`, `utilisation is measured against requests, and ${missing.map((m) => `'${m}'`).join(', ')} ${missing.length === 1 ? 'has' : 'have'} no resources.requests.${resource}`);
    }
  }
}

function checkDisruptionBudget(values: MonochartValues, problem: Problem): void {
  const pdb = values.podDisruptionBudget;
  if (!pdb.enabled) return;
  const floor = values.autoscaling.enabled ? values.autoscaling.minReplicas : values.replicas;
  if (typeof pdb.minAvailable === 'number' && pdb.minAvailable >= floor) {
    problem('podDisruptionBudget.minAvailable', `${pdb.minAvailable} with ${floor} replica${floor === 1 ? '' : 's'} would block every node drain`);
  }
  if (pdb.maxUnavailable === 0 || pdb.maxUnavailable === '0%') problem('podDisruptionBudget.maxUnavailable', '0 would block every node drain');
}

function checkServiceMonitor(values: MonochartValues, problem: Problem): void {
  const sm = values.serviceMonitor;
  if (!sm.enabled) return;
  if (!rendersService(values)) {
    problem('serviceMonitor.enabled', 'a ServiceMonitor scrapes through the Service, which is not rendered (service.enabled is false or there are no ports)');
    return;
  }
  const ports = servicePorts(values);
  if (sm.port !== undefined && !ports.some((p) => p.name === sm.port)) {
    problem('serviceMonitor.port', `'${sm.port}' is not a Service port name (${ports.map((p) => p.name).join(', ')})`);
  }
}
