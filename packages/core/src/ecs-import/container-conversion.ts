import { InputError } from '../errors/errors.js';
import { parseImageReference } from '../registry/reference.js';
import { ABSOLUTE_PATH, CAPABILITY, ENV_NAME, matches, QUALIFIED_NAME } from '../schema/k8s-patterns.js';
import type { ConversionReport } from './conversion-report.js';
import type { ContainerValues, ConvertedPort, EnvVar } from './container-values.js';
import type { EcsContainer, Placement } from './container-roles.js';
import { CONTAINER_FIELDS, reportUnknownFields } from './ecs-fields.js';
import { cpuQuantity, memoryQuantity } from './ecs-resources.js';
import { convertHealthCheck } from './health-check.js';
import { dnsLabel, portName, uniqueName } from './kube-names.js';
import { parseSecretSource, type SecretReferences } from './secret-references.js';
import type { Field } from './source-field.js';
import type { TaskVolumes, VolumeValues } from './volume-conversion.js';

/** What the task-level conversion shares with each container's. */
export interface PodBuilder {
  app: string;
  report: ConversionReport;
  volumes: TaskVolumes;
  secrets: SecretReferences;
  /** Port names are unique in the pod. */
  portNames: Set<string>;
  /** Every container, for volumesFrom. */
  containers: readonly EcsContainer[];
  /** Leave the main container's image to render's 'image' input. */
  keepImage: boolean;
  configMaps: Record<string, { data: Record<string, string> }>;
  podAnnotations: Record<string, string>;
  sysctls: { name: string; value: string }[];
  /** Extra pod volumes (shared memory, tmpfs) a container asked for. */
  extraVolumes: VolumeValues[];
  imagePullSecrets: Set<string>;
}

export interface ConvertedContainer {
  values: ContainerValues;
  ports: ConvertedPort[];
  /** As written, for the report and for render's 'image' input. */
  image: string;
  stopTimeout?: Field;
  /** Whether the ECS container declared readonlyRootFilesystem at all. */
  readOnlyRootDeclared: boolean;
}

const CAPITALISED_PROTOCOL: Record<string, 'TCP' | 'UDP'> = { tcp: 'TCP', udp: 'UDP' };

/** One ECS container definition as a monochart container, every field reported. */
export function convertContainer(c: EcsContainer, placement: Placement, pod: PodBuilder): ConvertedContainer {
  const { report } = pod;
  const { field } = c;
  const to = placement.to;
  const values: ContainerValues = { name: c.name };
  const child = (key: string) => field.child(key);

  reportUnknownFields(field, CONTAINER_FIELDS, 'an ECS container definition', report);
  const nameField = child('name');
  if (c.name === c.ecsName) report.converted(nameField, `${to}.name`);
  else report.approximated(nameField, `${to}.name`, `renamed '${c.name}': container names are DNS-1123 labels`, { action: false });

  // Image: the main container's is the app image, which the pipeline builds and render pins by digest.
  const image = child('image').string()!;
  try {
    parseImageReference(image, `${child('image').text}`);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${child('image').ref.file}: ${child('image').text}: '${image}' is not an image reference: ${e.message}`);
    throw e;
  }
  if (placement.role === 'main' && !pod.keepImage) {
    report.converted(child('image'), [], `left out of the values: render's 'image' input supplies the app image, pinned by digest (this task ran ${image})`);
  } else {
    values.image = image;
    report.converted(child('image'), `${to}.image`);
  }
  const credentials = child('repositoryCredentials');
  if (credentials.present) {
    const secret = `${pod.app}-registry`;
    pod.imagePullSecrets.add(secret);
    report.approximated(credentials, 'imagePullSecrets', `pulled with the docker-registry Secret '${secret}': sync it from ${credentials.child('credentialsParameter').string() ?? 'the Secrets Manager secret'} (e.g. an ExternalSecret with a kubernetes.io/dockerconfigjson template)`);
  }

  convertResources(c, to, values, pod);
  const ports = convertPorts(child('portMappings'), to, values, pod);
  convertEssential(c, placement, pod);

  const restart = child('restartPolicy');
  if (restart.present) {
    if (restart.child('enabled').value === true) {
      report.approximated(restart, [], 'Kubernetes restarts every exited container of a Deployment pod, with back-off; ignoredExitCodes and restartAttemptPeriod have no counterpart');
    } else report.converted(restart, [], 'disabled: an exited essential container stopped the task; Kubernetes restarts the container instead');
  }

  const entryPoint = child('entryPoint');
  if (entryPoint.present) {
    if (entryPoint.strings()) {
      values.command = entryPoint.strings()!;
      report.converted(entryPoint, `${to}.command`);
    } else report.unsupported(entryPoint, 'not a list of strings');
  }
  const command = child('command');
  if (command.present) {
    if (command.strings()) {
      values.args = command.strings()!;
      report.converted(command, `${to}.args`, 'ECS command replaces the image CMD, as Kubernetes args do');
    } else report.unsupported(command, 'not a list of strings');
  }

  convertEnvironment(c, to, values, pod);
  convertMounts(c, to, values, pod);
  convertLinuxParameters(c, to, values, pod);
  convertSecurity(c, to, values, pod);

  const health = child('healthCheck');
  if (health.present) {
    const use = placement.role === 'init' ? 'none' : placement.role === 'sidecar' ? 'sidecar' : 'app';
    Object.assign(values, convertHealthCheck(health, ports, use, to, report));
  }

  for (const key of ['hostname', 'dnsServers', 'dnsSearchDomains', 'extraHosts']) {
    const f = child(key);
    if (!f.present) continue;
    const why: Record<string, string> = {
      hostname: 'a pod is named by Kubernetes; the chart sets no hostname',
      dnsServers: 'pods use the cluster DNS (CoreDNS); forward the zones you need there',
      dnsSearchDomains: 'pods use the cluster DNS search path; the chart sets no dnsConfig',
      extraHosts: 'the chart sets no hostAliases; give those hosts DNS names or a Service (ExternalName)',
    };
    report.unsupported(f, why[key]!);
  }
  const links = child('links');
  if (links.present) report.unsupported(links, `Kubernetes has no container links: containers of a pod share one network, so the app reaches ${(links.strings() ?? []).map((l) => `'${l.split(':')[0]}'`).join(', ') || 'them'} at localhost; change the host names it uses`);
  const logging = child('logConfiguration');
  if (logging.present) {
    const driver = logging.child('logDriver').string() ?? 'unknown';
    report.unsupported(logging, `logs (${driver}${driver === 'awslogs' ? `, group ${logging.child('options').child('awslogs-group').string() ?? '?'}` : ''}) are collected from stdout and stderr by the cluster's log agent (Fluent Bit or the CloudWatch agent); route them there, not per pod`, { action: false });
    const secretOptions = logging.child('secretOptions');
    if (secretOptions.present) report.unsupported(secretOptions, 'log-driver secrets belong to the cluster\'s log agent configuration now');
  }
  const ulimits = child('ulimits');
  if (ulimits.present) {
    const list = ulimits.items().map((u) => `${u.child('name').string() ?? '?'}=${u.child('softLimit').number() ?? '?'}/${u.child('hardLimit').number() ?? '?'}`).join(', ');
    report.unsupported(ulimits, `Kubernetes has no per-pod or per-container ulimits (${list}): they come from the node's container runtime (containerd's defaults on EKS nodes give nofile 1048576/1048576); ask the cluster admins if these are higher, or raise the soft limit in the entrypoint with 'ulimit'`);
  }
  const simple: Record<string, [string, boolean]> = {
    startTimeout: ['Kubernetes waits for init containers and sidecars without a timeout; a startup probe bounds how long a sidecar may take', false],
    versionConsistency: ['render pins every image by digest, so each pod runs exactly the same image', false],
    disableNetworking: ['every pod has a network; the chart cannot turn it off (a NetworkPolicy can restrict it)', true],
    dockerSecurityOptions: ['SELinux and AppArmor labels: the chart sets seccomp (RuntimeDefault) and no per-container SELinux or AppArmor options', true],
    interactive: ['a long-running service needs no stdin', false],
    pseudoTerminal: ['a long-running service needs no TTY', false],
    credentialSpecs: ['gMSA credential specs are for Windows containers; not supported', true],
  };
  for (const [key, [why, action]] of Object.entries(simple)) {
    if (child(key).present) report.unsupported(child(key), why, { action });
  }
  const stopTimeout = child('stopTimeout');
  const firelens = child('firelensConfiguration');
  if (firelens.present) report.unsupported(firelens, 'FireLens routing: the cluster\'s log agent collects stdout and stderr of every pod', { action: false });

  return { values, ports, image, readOnlyRootDeclared: child('readonlyRootFilesystem').present, ...(stopTimeout.present ? { stopTimeout } : {}) };
}

function convertResources(c: EcsContainer, to: string, values: ContainerValues, pod: PodBuilder): void {
  const { report } = pod;
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  const cpu = c.field.child('cpu');
  const memory = c.field.child('memory');
  const reservation = c.field.child('memoryReservation');
  const units = cpu.number();
  if (cpu.present) {
    if (units === undefined) report.unsupported(cpu, 'not a number of CPU units');
    else if (units === 0) report.converted(cpu, [], '0: no CPU reserved, none requested');
    else {
      requests.cpu = cpuQuantity(units);
      report.converted(cpu, `${to}.resources.requests.cpu`, `${units} units = ${requests.cpu}; no CPU limit, as ECS set none (a container may use idle CPU)`);
    }
  }
  const hard = memory.number();
  const soft = reservation.number();
  if (reservation.present) {
    if (soft === undefined || soft <= 0) report.unsupported(reservation, 'not a positive number of MiB');
    else {
      requests.memory = memoryQuantity(soft);
      report.converted(reservation, `${to}.resources.requests.memory`, `${soft} MiB = ${requests.memory}`);
    }
  }
  if (memory.present) {
    if (hard === undefined || hard <= 0) report.unsupported(memory, 'not a positive number of MiB');
    else {
      limits.memory = memoryQuantity(hard);
      if (!requests.memory) requests.memory = limits.memory;
      report.converted(memory, requests.memory === limits.memory && !reservation.present ? [`${to}.resources.limits.memory`, `${to}.resources.requests.memory`] : `${to}.resources.limits.memory`, `${hard} MiB = ${limits.memory}: above it the container is killed, as in ECS${reservation.present ? '' : '; without memoryReservation ECS reserved it all, so it is the request too'}`);
    }
  }
  const gpu = c.field.child('resourceRequirements');
  gpu.items().forEach((r) => {
    const type = r.child('type').string();
    const value = r.child('value').string();
    if (type === 'GPU' && value && /^\d+$/.test(value)) {
      limits['nvidia.com/gpu'] = value;
      report.approximated(r, `${to}.resources.limits["nvidia.com/gpu"]`, 'needs GPU nodes with the NVIDIA device plugin, and a nodeSelector or toleration for them');
    } else report.unsupported(r, `${type ?? 'this'} resource has no counterpart in the chart (Elastic Inference is retired)`);
  });
  if (Object.keys(requests).length || Object.keys(limits).length) {
    values.resources = { ...(Object.keys(requests).length ? { requests } : {}), ...(Object.keys(limits).length ? { limits } : {}) };
  }
}

function convertPorts(mappings: Field, to: string, values: ContainerValues, pod: PodBuilder): ConvertedPort[] {
  const { report } = pod;
  const ports: ConvertedPort[] = [];
  mappings.items().forEach((m) => {
    const containerPort = m.child('containerPort').number();
    if (containerPort === undefined) {
      report.unsupported(m, m.child('containerPortRange').present ? 'port ranges have no Kubernetes counterpart: list the ports one by one' : 'no containerPort; left out');
      return;
    }
    const protocolText = (m.child('protocol').string() ?? 'tcp').toLowerCase();
    const protocol = CAPITALISED_PROTOCOL[protocolText] ?? 'TCP';
    const appProtocol = m.child('appProtocol').string();
    const name = portName(m.child('name').string(), containerPort, protocol, appProtocol, pod.portNames);
    const at = `${to}.ports[${ports.length}]`;
    ports.push({ name, containerPort, protocol, ...(appProtocol ? { appProtocol } : {}) });
    report.converted(m.child('containerPort'), `${at}.containerPort`);
    if (m.child('protocol').present) {
      if (CAPITALISED_PROTOCOL[protocolText]) report.converted(m.child('protocol'), `${at}.protocol`);
      else report.unsupported(m.child('protocol'), `'${protocolText}' is not tcp or udp; TCP was used`);
    }
    const ecsName = m.child('name');
    if (ecsName.present) {
      if (ecsName.string() === name) report.converted(ecsName, `${at}.name`);
      else report.approximated(ecsName, `${at}.name`, `port names are at most 15 lower-case letters, digits and '-': named '${name}'`, { action: false });
    } else report.note(`Container ports are named in Kubernetes: ${name} for ${containerPort}/${protocol}; Services, Ingress paths and probes use the names.`);
    const hostPort = m.child('hostPort');
    if (hostPort.present) {
      const host = hostPort.number();
      if (host === containerPort) report.converted(hostPort, [], 'the same as containerPort: each pod has its own IP address, as in awsvpc mode');
      else if (host === 0) report.converted(hostPort, [], '0 (a dynamic host port for bridge mode): not needed, each pod has its own IP address');
      else report.approximated(hostPort, [], `a fixed host port ${host}: pods have their own IP addresses and the chart binds no host ports; clients reach port ${containerPort} through the Service`);
    }
    if (appProtocol) report.approximated(m.child('appProtocol'), 'service.ports[].appProtocol', `Service Connect's application protocol: set as the Service port's appProtocol (${appProtocol})`, { action: false });
    const range = m.child('containerPortRange');
    if (range.present) report.unsupported(range, 'port ranges have no Kubernetes counterpart');
    for (const [key, f] of m.entries()) {
      if (!['containerPort', 'hostPort', 'protocol', 'name', 'appProtocol', 'containerPortRange'].includes(key)) report.unsupported(f, 'not a field of an ECS port mapping; left out');
    }
  });
  if (ports.length) values.ports = ports.map(({ name, containerPort, protocol }) => ({ name, containerPort, ...(protocol === 'UDP' ? { protocol } : {}) }));
  return ports;
}

function convertEssential(c: EcsContainer, placement: Placement, pod: PodBuilder): void {
  const essential = c.field.child('essential');
  const written = essential.present ? essential : undefined;
  const { report } = pod;
  if (placement.role === 'init') {
    if (written) report.converted(written, [], 'an init container runs to completion; its exit does not stop the pod');
    return;
  }
  if (!written) return;
  if (c.essential) {
    report.approximated(written, [], placement.role === 'main'
      ? 'the main container; when it exits, Kubernetes restarts it in place (ECS stopped and replaced the whole task)'
      : 'when an essential container exits, Kubernetes restarts that container alone; ECS stopped the whole task', { action: false });
  } else {
    report.approximated(written, [], 'Kubernetes restarts an exited container of a Deployment pod; ECS left a non-essential container stopped', { action: false });
  }
}

function convertEnvironment(c: EcsContainer, to: string, values: ContainerValues, pod: PodBuilder): void {
  const { report } = pod;
  const env: EnvVar[] = [];
  const names = new Set<string>();
  const add = (f: Field, v: EnvVar, note: string, approximated = false) => {
    if (!matches(ENV_NAME, v.name)) {
      report.unsupported(f, `'${v.name}' is not a variable name Kubernetes accepts (${ENV_NAME.what})`);
      return;
    }
    if (names.has(v.name)) {
      const i = env.findIndex((e) => e.name === v.name);
      env.splice(i, 1);
      report.approximated(f, `${to}.env`, `'${v.name}' is set twice; the last wins here as it did in ECS (secrets win over environment in both)`);
    }
    names.add(v.name);
    env.push(v);
    if (approximated) report.approximated(f, `${to}.env`, note);
    else report.converted(f, `${to}.env`, note);
  };
  c.field.child('environment').items().forEach((e) => {
    const name = e.child('name').string();
    const value = e.child('value').value;
    if (!name) {
      report.unsupported(e, 'an environment entry without a name; left out');
      return;
    }
    const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
    add(e, { name, value: text }, typeof value === 'string' ? '' : 'written as a string');
  });
  const secrets: Field[] = c.field.child('secrets').items();
  secrets.forEach((s) => {
    const name = s.child('name').string();
    const valueFrom = s.child('valueFrom').string();
    const source = valueFrom ? parseSecretSource(valueFrom) : undefined;
    if (!name || !valueFrom || !source) {
      report.unsupported(s, `a secret needs a name and a valueFrom that is an SSM parameter or a Secrets Manager ARN${valueFrom ? ` (got '${valueFrom}')` : ''}; left out`);
      return;
    }
    const ref = pod.secrets.add(name, source, valueFrom);
    add(
      s,
      { name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } } },
      `a reference to key '${ref.key}' of the Secret '${ref.secretName}', which External Secrets Operator must sync from ${source.store === 'parameter-store' ? 'SSM parameter' : 'Secrets Manager secret'} ${source.remoteKey}${source.property ? ` (JSON key ${source.property})` : ''}; no value is copied (see "Secrets" in this report)`,
      true,
    );
  });
  c.field.child('environmentFiles').items().forEach((f) => {
    const location = f.child('value').string() ?? '';
    const base = location.split('/').pop()?.replace(/\.env$/i, '') ?? '';
    const key = uniqueName(dnsLabel(`env-${base}`, 40) || 'env', new Set(Object.keys(pod.configMaps)), 40);
    pod.configMaps[key] = { data: {} };
    values.envFrom = [...(values.envFrom ?? []), { configMapRef: { name: `${pod.app}-${key}` } }];
    report.approximated(f, [`configMaps.${key}`, `${to}.envFrom`], `the importer does not read S3: copy the KEY=value lines of ${location} into configMaps.${key}.data (an empty ConfigMap is rendered until then); if the file holds secrets, sync it with External Secrets instead and use envFrom.secretRef`);
  });
  if (env.length) values.env = env;
}

function convertMounts(c: EcsContainer, to: string, values: ContainerValues, pod: PodBuilder): void {
  const { report } = pod;
  const mounts: NonNullable<ContainerValues['volumeMounts']> = [];
  const mountOne = (m: Field, readOnlyOverride?: boolean): string | undefined => {
    const source = m.child('sourceVolume').string();
    const path = m.child('containerPath').string();
    if (!source || !path || !matches(ABSOLUTE_PATH, path)) return `a mount needs sourceVolume and an absolute containerPath`;
    const name = pod.volumes.names.get(source);
    if (!name) return `the volume '${source}' was left out (see its entry under volumes) or does not exist`;
    if (mounts.some((x) => x.mountPath === path)) return `${path} is already mounted`;
    const readOnly = readOnlyOverride ?? m.child('readOnly').value === true;
    mounts.push({ name, mountPath: path, ...(readOnly ? { readOnly: true } : {}) });
    return undefined;
  };
  c.field.child('mountPoints').items().forEach((m) => {
    const problem = mountOne(m);
    if (problem) report.unsupported(m, `${problem}; this mount is left out`);
    else report.converted(m, `${to}.volumeMounts[${mounts.length - 1}]`);
  });
  c.field.child('volumesFrom').items().forEach((v) => {
    const sourceName = v.child('sourceContainer').string();
    const source = pod.containers.find((o) => o.ecsName === sourceName);
    if (!source) {
      report.unsupported(v, `no container is called '${sourceName ?? ''}'`);
      return;
    }
    const readOnly = v.child('readOnly').value === true ? true : undefined;
    const problems = source.field.child('mountPoints').items().map((m) => mountOne(m, readOnly)).filter(Boolean);
    report.approximated(v, `${to}.volumeMounts`, `Kubernetes has no volumesFrom: the mounts of '${source.name}' are repeated here${readOnly ? ', read-only' : ''}${problems.length ? ` (except: ${problems.join('; ')})` : ''}`, { action: problems.length > 0 });
  });
  if (mounts.length) values.volumeMounts = [...(values.volumeMounts ?? []), ...mounts];
}

function convertLinuxParameters(c: EcsContainer, to: string, values: ContainerValues, pod: PodBuilder): void {
  const { report } = pod;
  const lp = c.field.child('linuxParameters');
  if (!lp.present) return;
  const caps = lp.child('capabilities');
  const add = caps.child('add');
  if (add.present) {
    const names = (add.strings() ?? []).map((n) => n.replace(/^CAP_/, '').toUpperCase());
    const valid = names.filter((n) => matches(CAPABILITY, n));
    if (valid.length) {
      values.securityContext = { ...values.securityContext, capabilities: { add: valid } };
      report.converted(add, `${to}.securityContext.capabilities.add`, 'on top of the chart\'s default of dropping ALL others');
    } else report.unsupported(add, 'no capability names');
  }
  const drop = caps.child('drop');
  if (drop.present) report.converted(drop, 'securityContext.capabilities.drop', 'the chart already drops ALL capabilities');
  const init = lp.child('initProcessEnabled');
  if (init.present) {
    if (init.value === true) report.unsupported(init, 'Kubernetes injects no init process: build tini (or dumb-init) into the image as its ENTRYPOINT so zombies are reaped and signals forwarded');
    else report.converted(init, [], 'false: nothing to do');
  }
  const shm = lp.child('sharedMemorySize');
  if (shm.present) {
    const mib = shm.number();
    if (mib && !(values.volumeMounts ?? []).some((m) => m.mountPath === '/dev/shm')) {
      const name = uniqueName(`${c.name}-shm`.slice(0, 63), pod.volumes.taken);
      pod.extraVolumes.push({ name, emptyDir: { medium: 'Memory', sizeLimit: `${mib}Mi` } });
      values.volumeMounts = [...(values.volumeMounts ?? []), { name, mountPath: '/dev/shm' }];
      report.approximated(shm, [`volumes (${name})`, `${to}.volumeMounts`], `a memory-backed emptyDir of ${mib}Mi at /dev/shm; it counts against the container's memory limit`);
    } else report.unsupported(shm, 'not a size in MiB');
  }
  lp.child('tmpfs').items().forEach((t) => {
    const path = t.child('containerPath').string();
    const size = t.child('size').number();
    if (!path || !matches(ABSOLUTE_PATH, path)) {
      report.unsupported(t, 'a tmpfs needs an absolute containerPath');
      return;
    }
    const name = uniqueName(dnsLabel(`${c.name}-tmpfs-${path}`) || 'tmpfs', pod.volumes.taken);
    pod.extraVolumes.push({ name, emptyDir: { medium: 'Memory', ...(size ? { sizeLimit: `${size}Mi` } : {}) } });
    values.volumeMounts = [...(values.volumeMounts ?? []), { name, mountPath: path }];
    report.approximated(t, [`volumes (${name})`, `${to}.volumeMounts`], `a memory-backed emptyDir at ${path}${t.child('mountOptions').present ? '; mountOptions are not carried over' : ''}`);
  });
  const other: Record<string, string> = {
    devices: 'the chart exposes no host devices to pods; use a device plugin',
    maxSwap: 'Kubernetes nodes run without swap for pods by default; no per-container swap',
    swappiness: 'Kubernetes nodes run without swap for pods by default; no per-container swap',
  };
  for (const [key, f] of lp.entries()) {
    if (['capabilities', 'initProcessEnabled', 'sharedMemorySize', 'tmpfs'].includes(key)) {
      if (key === 'capabilities') for (const [k, cf] of f.entries()) if (!['add', 'drop'].includes(k)) report.unsupported(cf, 'not a field of ECS capabilities; left out');
      continue;
    }
    report.unsupported(f, other[key] ?? 'not a field of ECS linuxParameters; left out');
  }
}

function convertSecurity(c: EcsContainer, to: string, values: ContainerValues, pod: PodBuilder): void {
  const { report } = pod;
  const f = (k: string) => c.field.child(k);
  const privileged = f('privileged');
  if (privileged.present) {
    if (privileged.value === true) {
      values.securityContext = { ...values.securityContext, privileged: true, allowPrivilegeEscalation: true };
      report.converted(privileged, [`${to}.securityContext.privileged`, `${to}.securityContext.allowPrivilegeEscalation`], 'a privileged container; most clusters\' Pod Security admission refuses it outside system namespaces');
    } else report.converted(privileged, [], 'false: the chart never runs privileged containers unless told to');
  }
  const readOnly = f('readonlyRootFilesystem');
  if (readOnly.present) {
    values.securityContext = { ...values.securityContext, readOnlyRootFilesystem: readOnly.value === true };
    report.converted(readOnly, `${to}.securityContext.readOnlyRootFilesystem`);
  }
  const user = f('user');
  if (user.present) {
    const m = /^(\d+)(?::(\d+))?$/.exec(user.string() ?? String(user.value));
    if (m) {
      const uid = Number(m[1]);
      values.securityContext = { ...values.securityContext, runAsUser: uid, ...(m[2] !== undefined ? { runAsGroup: Number(m[2]) } : {}), ...(uid === 0 ? { runAsNonRoot: false } : {}) };
      report.converted(user, [`${to}.securityContext.runAsUser`, ...(m[2] !== undefined ? [`${to}.securityContext.runAsGroup`] : [])], uid === 0 ? 'root: runAsNonRoot is turned off for this container, against the chart\'s default' : '');
    } else if (user.string() === 'root') {
      values.securityContext = { ...values.securityContext, runAsUser: 0, runAsNonRoot: false };
      report.converted(user, `${to}.securityContext.runAsUser`, 'root is uid 0; runAsNonRoot is turned off for this container, against the chart\'s default');
    } else {
      report.unsupported(user, `Kubernetes takes a numeric uid (and gid), not the name '${user.string() ?? ''}': look it up in the image (id -u) and set ${to}.securityContext.runAsUser`);
    }
  }
  const dir = f('workingDirectory');
  if (dir.present) {
    if (dir.string() && matches(ABSOLUTE_PATH, dir.string()!)) {
      values.workingDir = dir.string()!;
      report.converted(dir, `${to}.workingDir`);
    } else report.unsupported(dir, 'not an absolute path');
  }
  const labels = f('dockerLabels');
  for (const [key, label] of labels.entries()) {
    const value = label.value;
    if (!matches(QUALIFIED_NAME, key) || typeof value !== 'string') {
      report.unsupported(label, 'not usable as a pod annotation (key or value)');
    } else if (pod.podAnnotations[key] !== undefined && pod.podAnnotations[key] !== value) {
      report.unsupported(label, `another container sets the pod annotation ${key} to '${pod.podAnnotations[key]}'`);
    } else {
      pod.podAnnotations[key] = value;
      report.approximated(label, `podAnnotations["${key}"]`, 'Kubernetes has no container labels: a pod annotation (tools that read Docker labels, like Datadog autodiscovery, read annotations on Kubernetes with their own keys)');
    }
  }
  f('systemControls').items().forEach((s) => {
    const name = s.child('namespace').string();
    const value = s.child('value').string();
    if (!name || value === undefined) {
      report.unsupported(s, 'a system control needs namespace and value');
      return;
    }
    if (!pod.sysctls.some((x) => x.name === name)) pod.sysctls.push({ name, value });
    report.approximated(s, 'podSecurityContext.sysctls', 'sysctls are set for the whole pod; Kubernetes allows only the safe set unless the kubelet allows more (--allowed-unsafe-sysctls)');
  });
}
