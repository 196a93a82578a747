import { InputError } from '../errors/errors.js';
import { isPlainObject } from '../schema/check-values.js';
import { pathOf, type PathSegment } from '../schema/value-path.js';
import type { ConversionReport } from './conversion-report.js';
import { dockerSizeMib, durationSeconds } from './ecs-resources.js';
import type { InputDocument } from './input-document.js';
import { Field, type FieldRef } from './source-field.js';

/**
 * An ecs-cli compose project (docker-compose.yml and ecs-params.yml) as the
 * task definition (and service settings) ecs-cli would have registered from
 * it, with each field remembering the compose key it came from, so the
 * report speaks of the user's files. Compose keys ECS never supported are
 * reported here; the rest is converted like any task definition.
 */
export function convertCompose(compose: InputDocument, params: InputDocument | undefined, report: ConversionReport): { td: Field; service?: Field } {
  const c = Field.root(compose.value, compose.file);
  const p = Field.root(params?.value ?? {}, params?.file ?? 'ecs-params.yml');
  if (!isPlainObject(compose.value)) throw new InputError(`${compose.file}: expected a docker-compose file (a map with 'services'), got ${Array.isArray(compose.value) ? 'a list' : String(compose.value)}`);
  if (params && !isPlainObject(params.value)) throw new InputError(`${params.file}: expected an ecs-params file (a map with 'version' and 'task_definition')`);
  const services = c.child('services');
  if (!isPlainObject(services.value) || Object.keys(services.value).length === 0) {
    throw new InputError(`${compose.file}: services: the compose project has no services (containers); ecs-cli registers one container per service`);
  }

  const td: Record<string, unknown> = {};
  const service: Record<string, unknown> = {};
  const origins = new Map<string, FieldRef>();
  const serviceOrigins = new Map<string, FieldRef>();
  const put = (target: Record<string, unknown>, map: Map<string, FieldRef>, path: PathSegment[], value: unknown, from: Field) => {
    let node: Record<string, unknown> | unknown[] = target;
    path.forEach((segment, i) => {
      const last = i === path.length - 1;
      const container = node as Record<string | number, unknown>;
      if (last) container[segment] = value;
      else {
        container[segment] ??= typeof path[i + 1] === 'number' ? [] : {};
        node = container[segment] as Record<string, unknown>;
      }
    });
    map.set(pathOf(path), from.ref);
  };
  const set: Setter = (path, value, from) => put(td, origins, path, value, from);
  set.mark = (path, from) => origins.set(pathOf(path), from.ref);

  const version = c.child('version');
  if (version.present) report.converted(version, [], 'the compose file format; ecs-cli reads versions 1, 2 and 3');
  const paramsVersion = p.child('version');
  if (paramsVersion.present) report.converted(paramsVersion, [], 'the ecs-params format');
  for (const [key, f] of c.entries()) {
    if (!['version', 'services', 'volumes'].includes(key)) report.unsupported(f, `ecs-cli ignores top-level '${key}'; left out`);
  }

  const taskParams = p.child('task_definition');
  const serviceParams = taskParams.child('services');
  services.entries().forEach(([name, s], i) => {
    const at: PathSegment[] = ['containerDefinitions', i];
    if (typeof s.child('image').value !== 'string' || s.child('image').value === '') {
      throw new InputError(`${compose.file}: ${s.child('image').text}: every service needs an image (ecs-cli does not build)`);
    }
    put(td, origins, [...at, 'name'], name, s);
    origins.set(pathOf([...at, 'name']), { ...s.ref, keyOnly: true });
    convertComposeService(s, at, set as Setter, report);
    const own = serviceParams.child(name);
    convertContainerParams(own, at, set as Setter, report);
  });
  for (const [name, f] of serviceParams.entries()) {
    if (!services.entries().some(([n]) => n === name)) report.unsupported(f, `no service '${name}' in ${compose.file}; left out`);
  }

  // Volumes: compose's named volumes and ecs-params' docker_volumes and efs_volumes.
  const volumeNames: string[] = [];
  const addVolume = (name: string, from: Field, extra: Record<string, unknown> = {}) => {
    const i = volumeNames.indexOf(name) >= 0 ? volumeNames.indexOf(name) : volumeNames.push(name) - 1;
    set(['volumes', i, 'name'], name, from);
    set.mark(['volumes', i], from);
    for (const [k, v] of Object.entries(extra)) set(['volumes', i, k], v, from);
    return i;
  };
  for (const [name, v] of c.child('volumes').entries()) {
    addVolume(name, v);
    if (v.present && !(isPlainObject(v.value) && Object.keys(v.value).length === 0)) report.approximated(v, [], 'compose volume options are not read by ecs-cli; settings come from ecs-params docker_volumes');
  }
  taskParams.child('docker_volumes').items().forEach((v) => {
    const name = v.child('name').string();
    if (!name) return report.unsupported(v, 'a docker volume without a name');
    addVolume(name, v, { dockerVolumeConfiguration: { scope: v.child('scope').string() ?? 'task', driver: v.child('driver').string() ?? 'local' } });
  });
  taskParams.child('efs_volumes').items().forEach((v) => {
    const name = v.child('name').string();
    if (!name) return report.unsupported(v, 'an EFS volume without a name');
    addVolume(name, v, {
      efsVolumeConfiguration: {
        fileSystemId: v.child('filesystem_id').string(),
        ...(v.child('root_directory').present ? { rootDirectory: v.child('root_directory').string() } : {}),
        ...(v.child('transit_encryption').present ? { transitEncryption: v.child('transit_encryption').string() } : {}),
        ...(v.child('access_point').present || v.child('iam').present ? { authorizationConfig: { accessPointId: v.child('access_point').string(), iam: v.child('iam').string() } } : {}),
      },
    });
  });
  // Mount sources that name no declared volume are host paths, as ecs-cli reads them.
  const tdContainers = (td.containerDefinitions as Record<string, unknown>[] | undefined) ?? [];
  tdContainers.forEach((container) => {
    for (const mount of (container.mountPoints as { sourceVolume: string }[] | undefined) ?? []) {
      if (mount.sourceVolume.startsWith('/') || mount.sourceVolume.startsWith('.')) {
        const from = origins.get(pathOf(['containerDefinitions', tdContainers.indexOf(container), 'mountPoints', (container.mountPoints as unknown[]).indexOf(mount)]));
        const path = mount.sourceVolume;
        const name = `host${volumeNames.length}`;
        const i = volumeNames.push(name) - 1;
        td.volumes = [...((td.volumes as unknown[]) ?? [])];
        (td.volumes as unknown[])[i] = { name, host: { sourcePath: path } };
        if (from) origins.set(pathOf(['volumes', i]), from);
        mount.sourceVolume = name;
      }
    }
  });

  const simple: [string, string][] = [
    ['task_role_arn', 'taskRoleArn'],
    ['task_execution_role', 'executionRoleArn'],
    ['ecs_network_mode', 'networkMode'],
    ['pid_mode', 'pidMode'],
    ['ipc_mode', 'ipcMode'],
    ['placement_constraints', 'placementConstraints'],
  ];
  for (const [from, to] of simple) if (taskParams.child(from).present) set([to], taskParams.child(from).value, taskParams.child(from));
  const size = taskParams.child('task_size');
  if (size.child('cpu_limit').present) set(['cpu'], String(size.child('cpu_limit').value), size.child('cpu_limit'));
  if (size.child('mem_limit').present) set(['memory'], String(size.child('mem_limit').value), size.child('mem_limit'));
  for (const [key, f] of size.entries()) if (!['cpu_limit', 'mem_limit'].includes(key)) report.unsupported(f, 'not a field of ecs-params task_size; left out');
  for (const [key, f] of taskParams.entries()) {
    if (['services', 'docker_volumes', 'efs_volumes', 'task_size', ...simple.map(([k]) => k)].includes(key)) continue;
    report.unsupported(f, key === 'init_process_enabled' ? 'Kubernetes injects no init process: build tini into the image' : 'not read by the importer; left out');
  }

  // run_params: the service settings ecs-cli compose service up used.
  const run = p.child('run_params');
  const network = run.child('network_configuration').child('awsvpc_configuration');
  const svc = (path: PathSegment[], value: unknown, from: Field) => put(service, serviceOrigins, path, value, from);
  if (network.child('subnets').present) svc(['networkConfiguration', 'awsvpcConfiguration', 'subnets'], network.child('subnets').value, network.child('subnets'));
  if (network.child('security_groups').present) svc(['networkConfiguration', 'awsvpcConfiguration', 'securityGroups'], network.child('security_groups').value, network.child('security_groups'));
  if (network.child('assign_public_ip').present) svc(['networkConfiguration', 'awsvpcConfiguration', 'assignPublicIp'], network.child('assign_public_ip').value, network.child('assign_public_ip'));
  for (const [key, f] of network.entries()) if (!['subnets', 'security_groups', 'assign_public_ip'].includes(key)) report.unsupported(f, 'not a field of awsvpc_configuration; left out');
  const placement = run.child('task_placement');
  if (placement.child('strategy').present) {
    placement.child('strategy').items().forEach((s, i) => {
      serviceOrigins.set(pathOf(['placementStrategy', i]), s.ref);
      svc(['placementStrategy', i, 'type'], s.child('type').value, s);
      svc(['placementStrategy', i, 'field'], s.child('field').value, s);
    });
  }
  if (placement.child('constraints').present) svc(['placementConstraints'], placement.child('constraints').value, placement.child('constraints'));
  const discovery = run.child('service_discovery');
  if (discovery.present) {
    serviceOrigins.set(pathOf(['serviceRegistries', 0]), discovery.ref);
    svc(['serviceRegistries', 0, 'registryArn'], `Cloud Map namespace ${discovery.child('private_dns_namespace').child('name').string() ?? '(from ecs-params)'}`, discovery);
    if (discovery.child('container_name').present) svc(['serviceRegistries', 0, 'containerName'], discovery.child('container_name').value, discovery.child('container_name'));
    if (discovery.child('container_port').present) svc(['serviceRegistries', 0, 'containerPort'], discovery.child('container_port').value, discovery.child('container_port'));
  }
  for (const [key, f] of run.entries()) if (!['network_configuration', 'task_placement', 'service_discovery'].includes(key)) report.unsupported(f, 'not read by the importer; left out');
  for (const [key, f] of p.entries()) if (!['version', 'task_definition', 'run_params'].includes(key)) report.unsupported(f, 'not a field of ecs-params.yml; left out');

  if (isPlainObject(compose.value) && typeof compose.value.name === 'string') set(['family'], compose.value.name, c.child('name'));
  const tdField = Field.root(td, compose.file, [], origins);
  return Object.keys(service).length ? { td: tdField, service: Field.root(service, params?.file ?? compose.file, [], serviceOrigins) } : { td: tdField };
}

interface Setter {
  (path: PathSegment[], value: unknown, from: Field): void;
  /** Says where a node came from without setting it (a list item whose parts were set one by one). */
  mark: (path: PathSegment[], from: Field) => void;
}

const UNSUPPORTED_COMPOSE: Record<string, string> = {
  build: 'ecs-cli never built images: build-and-push builds and render pins the image',
  depends_on: 'ecs-cli ignored depends_on; container order comes from ecs-params depends_on',
  networks: 'pods have one network; Services and NetworkPolicies replace compose networks',
  restart: 'Kubernetes restarts containers of a Deployment pod always',
  container_name: 'Kubernetes names pods itself',
  expose: 'containers of a pod share one network; list ports under ports',
  env_file: 'ecs-cli read these files from your machine at deploy time; the importer does not: copy their KEY=value lines into environment (or a ConfigMap), or into External Secrets for secret values',
  deploy: 'ecs-cli ignored compose deploy settings',
  security_opt: 'the chart sets seccomp RuntimeDefault and no per-container SELinux or AppArmor options',
  devices: 'the chart exposes no host devices; use a device plugin',
  pid: 'the chart shares no process namespace with the host',
  ipc: 'containers of a pod share one IPC namespace; the host\'s is not offered',
  stdin_open: 'a long-running service needs no stdin',
  tty: 'a long-running service needs no TTY',
  domainname: 'pods use the cluster DNS domain',
};

/** One compose service's keys as the container definition ecs-cli made of them. */
function convertComposeService(s: Field, at: PathSegment[], set: Setter, report: ConversionReport): void {
  const path = (...rest: PathSegment[]) => [...at, ...rest];
  for (const [key, f] of s.entries()) {
    switch (key) {
      case 'image':
      case 'hostname':
      case 'privileged':
      case 'user':
        set(path({ image: 'image', hostname: 'hostname', privileged: 'privileged', user: 'user' }[key]), f.value, f);
        break;
      case 'working_dir':
        set(path('workingDirectory'), f.value, f);
        break;
      case 'read_only':
        set(path('readonlyRootFilesystem'), f.value, f);
        break;
      case 'command':
      case 'entrypoint': {
        const to = key === 'command' ? 'command' : 'entryPoint';
        const list = typeof f.value === 'string' ? shellWords(f.value) : f.strings();
        if (list) set(path(to), list, f);
        else report.unsupported(f, 'not a string or a list of strings');
        break;
      }
      case 'environment':
        set(path('environment'), envEntries(f).map(([name, value]) => ({ name, value })), f);
        envEntries(f).forEach(([, , from], i) => set.mark(path('environment', i), from));
        break;
      case 'ports':
        f.items().forEach((port, i) => {
          const parsed = /^(?:(?:[\d.]+:)?(\d+):)?(\d+)(?:\/(tcp|udp))?$/.exec(String(port.value));
          if (!parsed) return report.unsupported(port, 'not a port mapping like "80:8080" or "8080/udp" (ranges and long syntax are not read)');
          set.mark(path('portMappings', i), port);
          set(path('portMappings', i, 'containerPort'), Number(parsed[2]), port);
          if (parsed[1]) set(path('portMappings', i, 'hostPort'), Number(parsed[1]), port);
          if (parsed[3]) set(path('portMappings', i, 'protocol'), parsed[3], port);
        });
        break;
      case 'links':
      case 'dns':
      case 'dns_search':
      case 'extra_hosts': {
        const to = { links: 'links', dns: 'dnsServers', dns_search: 'dnsSearchDomains', extra_hosts: 'extraHosts' }[key];
        set(path(to), typeof f.value === 'string' ? [f.value] : f.value, f);
        break;
      }
      case 'cap_add':
      case 'cap_drop':
        set(path('linuxParameters', 'capabilities', key === 'cap_add' ? 'add' : 'drop'), f.value, f);
        break;
      case 'init':
        set(path('linuxParameters', 'initProcessEnabled'), f.value, f);
        break;
      case 'shm_size': {
        const mib = dockerSizeMib(f.value);
        if (mib) set(path('linuxParameters', 'sharedMemorySize'), Math.round(mib), f);
        else report.unsupported(f, 'not a size like 64m');
        break;
      }
      case 'tmpfs':
        (typeof f.value === 'string' ? [f] : f.items()).forEach((t, i) => {
          const [containerPath] = String(t.value).split(':');
          set(path('linuxParameters', 'tmpfs', i), { containerPath }, t);
        });
        break;
      case 'mem_limit':
      case 'mem_reservation':
      case 'cpu_shares':
        setResource(key, f, at, set, report);
        break;
      case 'labels':
        envEntries(f).forEach(([name, value, from]) => set(path('dockerLabels', name), value, from));
        break;
      case 'logging':
        set(path('logConfiguration'), { logDriver: f.child('driver').value, options: f.child('options').value }, f);
        break;
      case 'ulimits':
        set(
          path('ulimits'),
          f.entries().map(([name, u]) => ({ name, softLimit: typeof u.value === 'number' ? u.value : u.child('soft').value, hardLimit: typeof u.value === 'number' ? u.value : u.child('hard').value })),
          f,
        );
        break;
      case 'volumes':
        f.items().forEach((v, i) => {
          const [source, target, mode] = String(v.value).split(':');
          if (!target) return report.unsupported(v, 'an anonymous volume (no source): use a named volume');
          set(path('mountPoints', i), { sourceVolume: source, containerPath: target, ...(mode === 'ro' ? { readOnly: true } : {}) }, v);
        });
        break;
      case 'volumes_from':
        f.items().forEach((v, i) => {
          const [source, mode] = String(v.value).split(':');
          set(path('volumesFrom', i), { sourceContainer: source, ...(mode === 'ro' ? { readOnly: true } : {}) }, v);
        });
        break;
      case 'healthcheck':
        composeHealthCheck(f, path('healthCheck'), set, report);
        break;
      case 'stop_grace_period': {
        const seconds = durationSeconds(f.value);
        if (seconds) set(path('stopTimeout'), seconds, f);
        else report.unsupported(f, 'not a duration like 30s');
        break;
      }
      default:
        report.unsupported(f, UNSUPPORTED_COMPOSE[key] ?? `ecs-cli does not read '${key}'; left out`);
    }
  }
}

/** ecs-params task_definition.services.<name>: what compose cannot say. */
function convertContainerParams(own: Field, at: PathSegment[], set: Setter, report: ConversionReport): void {
  const path = (...rest: PathSegment[]) => [...at, ...rest];
  for (const [key, f] of own.entries()) {
    switch (key) {
      case 'essential':
        set(path('essential'), f.value, f);
        break;
      case 'mem_limit':
      case 'mem_reservation':
      case 'cpu_shares':
        setResource(key, f, at, set, report);
        break;
      case 'secrets':
        f.items().forEach((s, i) => {
          set(path('secrets', i), { name: s.child('name').value, valueFrom: s.child('value_from').value }, s);
        });
        break;
      case 'depends_on':
        f.items().forEach((d, i) => set(path('dependsOn', i), { containerName: d.child('container_name').value, condition: d.child('condition').value }, d));
        break;
      case 'healthcheck':
        composeHealthCheck(f, path('healthCheck'), set, report);
        break;
      case 'init_process_enabled':
        set(path('linuxParameters', 'initProcessEnabled'), f.value, f);
        break;
      case 'repository_credentials':
        set(path('repositoryCredentials'), { credentialsParameter: f.child('credentials_parameter').value }, f);
        break;
      case 'gpu':
        set(path('resourceRequirements', 0), { type: 'GPU', value: String(f.value) }, f);
        break;
      case 'logging':
        if (f.child('secret_options').present) set(path('logConfiguration', 'secretOptions'), f.child('secret_options').value, f.child('secret_options'));
        for (const [k, g] of f.entries()) if (k !== 'secret_options') report.unsupported(g, 'not read by the importer; left out');
        break;
      default:
        report.unsupported(f, `not an ecs-params container setting the importer knows ('${key}'); left out`);
    }
  }
}

/** cpu_shares, mem_limit and mem_reservation: the same in docker-compose.yml and ecs-params.yml. */
function setResource(key: 'cpu_shares' | 'mem_limit' | 'mem_reservation', f: Field, at: PathSegment[], set: Setter, report: ConversionReport): void {
  if (key === 'cpu_shares') return set([...at, 'cpu'], f.value, f);
  const mib = dockerSizeMib(f.value);
  if (mib) set([...at, key === 'mem_limit' ? 'memory' : 'memoryReservation'], Math.round(mib), f);
  else report.unsupported(f, 'not a size like 512m');
}

function composeHealthCheck(f: Field, at: PathSegment[], set: Setter, report: ConversionReport): void {
  set.mark(at, f);
  for (const [key, g] of f.entries()) {
    if (key === 'test') {
      const test = typeof g.value === 'string' ? ['CMD-SHELL', g.value] : g.strings();
      if (test) set([...at, 'command'], test, g);
      else report.unsupported(g, 'not a string or a list of strings');
    } else if (['interval', 'timeout', 'start_period'].includes(key)) {
      const seconds = durationSeconds(g.value);
      if (seconds) set([...at, key === 'start_period' ? 'startPeriod' : key], seconds, g);
      else report.unsupported(g, 'not a duration like 30s');
    } else if (key === 'retries') set([...at, 'retries'], g.value, g);
    else report.unsupported(g, `not read by ecs-cli ('${key}'); left out`);
  }
}

/** Compose's two ways of writing a map: `{A: b}` and `["A=b"]`. */
function envEntries(f: Field): [string, string, Field][] {
  if (Array.isArray(f.value)) {
    return f.items().map((item) => {
      const text = String(item.value);
      const eq = text.indexOf('=');
      return eq < 0 ? [text, '', item] : [text.slice(0, eq), text.slice(eq + 1), item];
    });
  }
  return f.entries().map(([name, v]) => [name, v.value === null || v.value === undefined ? '' : String(v.value), v]);
}

/** `command: npm start --port 80` split as ecs-cli does: on spaces, with simple quotes. */
function shellWords(text: string): string[] {
  const words: string[] = [];
  for (const m of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}
