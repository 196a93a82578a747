import type { ConversionReport } from './conversion-report.js';
import { convertContainer, type ConvertedContainer, type PodBuilder } from './container-conversion.js';
import { placeContainers, type EcsContainer, type Placement } from './container-roles.js';
import type { ContainerValues, ConvertedPort } from './container-values.js';
import { reportUnknownFields, TASK_DEFINITION_FIELDS } from './ecs-fields.js';
import { cpuQuantity, memoryQuantity, taskCpuUnits, taskMemoryMib } from './ecs-resources.js';
import { dnsLabel, uniqueName } from './kube-names.js';
import type { SecretReferences } from './secret-references.js';
import type { Field } from './source-field.js';
import { convertVolumes } from './volume-conversion.js';

/** The monochart values an import writes, in the order VALUES.md documents them. */
export type ImportedValues = Record<string, unknown> & {
  containers: ContainerValues[];
  initContainers?: ContainerValues[];
};

export interface TaskConversion {
  values: ImportedValues;
  /** The main container's image as the task definition had it. */
  mainImage: string;
  mainName: string;
  /** Container ports by ECS container name, for load balancers and service discovery. */
  ports: Map<string, { name: string; ports: ConvertedPort[] }>;
  networkMode: string;
  taskDefinitionArn?: string;
}

export interface TaskOptions {
  app: string;
  report: ConversionReport;
  secrets: SecretReferences;
  keepImage: boolean;
  /** The container a load balancer sends to: the main one. */
  mainHint?: string;
}

const BOOKKEEPING: Record<string, string> = {
  taskDefinitionArn: 'the revision\'s ARN: git history is the revision history now',
  revision: 'git history is the revision history now',
  status: 'the revision\'s state in ECS',
  requiresAttributes: 'what ECS derived for placement; nothing to carry over',
  compatibilities: 'what ECS derived from requiresCompatibilities',
  registeredAt: 'when the revision was registered',
  registeredBy: 'who registered the revision; git commits record who changed what',
  deregisteredAt: 'when the revision was deregistered',
  enableFaultInjection: 'fault injection endpoints of ECS; use a chaos tool for Kubernetes',
  tags: 'AWS resource tags of the task definition; Kubernetes objects carry the chart\'s labels (add podLabels for cost allocation by label)',
};

/** A task definition (the map with containerDefinitions) as monochart values; every field reported. */
export function convertTaskDefinition(td: Field, options: TaskOptions): TaskConversion {
  const { report, app } = options;
  reportUnknownFields(td, TASK_DEFINITION_FIELDS, 'an ECS task definition', report);
  for (const [key, why] of Object.entries(BOOKKEEPING)) {
    if (td.child(key).present) report.unsupported(td.child(key), why, { action: false });
  }
  const family = td.child('family');
  if (family.present) report.converted(family, [], family.string() && dnsLabel(family.string()!) === app ? `the app name '${app}'` : `the app is '${app}'`);

  const taken = new Set<string>();
  const leftOut = new Map<string, string>();
  const containers: EcsContainer[] = [];
  for (const c of td.child('containerDefinitions').items()) {
    const ecsName = c.child('name').string()!;
    if (c.child('firelensConfiguration').present) {
      report.unsupported(c, 'a FireLens log router: on Kubernetes the cluster\'s log agent (a Fluent Bit DaemonSet) collects every container\'s stdout and stderr, so this container is left out; configure that agent to route the logs as this one did', { action: false });
      leftOut.set(ecsName, 'a FireLens log router');
      continue;
    }
    containers.push({ field: c, ecsName, name: uniqueName(dnsLabel(ecsName) || 'container', taken), essential: c.child('essential').value !== false });
  }
  if (containers.length === 0) {
    report.note('Every container was left out; the main container is the chart default (app, port 8080).');
  }
  const placements = placeContainers(containers, options.mainHint, report, leftOut);
  const volumes = convertVolumes(td.child('volumes'), app, report);

  const pod: PodBuilder = {
    app,
    report,
    volumes,
    secrets: options.secrets,
    portNames: new Set(),
    containers,
    keepImage: options.keepImage,
    configMaps: {},
    podAnnotations: {},
    sysctls: [],
    extraVolumes: [],
    imagePullSecrets: new Set(),
  };
  const converted = new Map<string, ConvertedContainer>();
  // Main first, so it gets the plain port names (http).
  const byRole = [...containers].sort((a, b) => rank(placements.get(a.ecsName)!) - rank(placements.get(b.ecsName)!));
  for (const c of byRole) converted.set(c.ecsName, convertContainer(c, placements.get(c.ecsName)!, pod));

  const main = containers.find((c) => placements.get(c.ecsName)!.role === 'main');
  const list = (prefix: string) =>
    containers
      .filter((c) => placements.get(c.ecsName)!.to.startsWith(prefix))
      .sort((a, b) => index(placements.get(a.ecsName)!) - index(placements.get(b.ecsName)!))
      .map((c) => {
        const v = converted.get(c.ecsName)!.values;
        return placements.get(c.ecsName)!.role === 'sidecar' ? { ...v, restartPolicy: 'Always' as const } : v;
      });
  const values: ImportedValues = { containers: list('containers[') };
  const initContainers = list('initContainers[');
  if (initContainers.length) values.initContainers = initContainers;

  if (main) distributeTaskSize(td, main, containers, converted, report);

  const allVolumes = [...volumes.volumes, ...pod.extraVolumes];
  if (allVolumes.length) values.volumes = allVolumes;
  if (Object.keys(pod.configMaps).length) values.configMaps = pod.configMaps;
  if (pod.imagePullSecrets.size) values.imagePullSecrets = [...pod.imagePullSecrets];
  if (Object.keys(pod.podAnnotations).length) values.podAnnotations = pod.podAnnotations;
  if (pod.sysctls.length) values.podSecurityContext = { sysctls: pod.sysctls };

  convertTaskRole(td, values, report);
  const executionRole = td.child('executionRoleArn');
  if (executionRole.present) {
    report.unsupported(executionRole, 'nodes pull images from ECR with their own role, and External Secrets Operator reads secrets with its own: give its role the ssm:GetParameters / secretsmanager:GetSecretValue (and kms:Decrypt) permissions this role had', { action: false });
  }
  const networkMode = convertNetworkMode(td, report);
  convertPlatform(td, values, report);
  convertStopTimeouts(containers, converted, values, report);
  hardeningNotes(containers, converted, values, report);

  const unsupported: Record<string, [string, boolean]> = {
    placementConstraints: ['placement constraints become nodeSelector or affinity rules on node labels (e.g. node.kubernetes.io/instance-type, topology.kubernetes.io/zone); write them by hand', true],
    inferenceAccelerators: ['Elastic Inference is retired; use GPU nodes', true],
    pidMode: ['the chart shares no process namespace (host or task); a debugging sidecar can use kubectl debug instead', true],
    ipcMode: ['the chart shares no IPC namespace with the host; containers of a pod share one IPC namespace already', true],
    proxyConfiguration: ['App Mesh proxy configuration: a service mesh on Kubernetes injects its own proxy (e.g. Istio or Linkerd annotations)', true],
  };
  for (const [key, [why, action]] of Object.entries(unsupported)) {
    if (td.child(key).present) report.unsupported(td.child(key), why, { action });
  }
  const compat = td.child('requiresCompatibilities');
  if (compat.present) {
    const kinds = compat.strings() ?? [];
    report.approximated(compat, [], kinds.includes('FARGATE')
      ? 'pods run on the cluster\'s nodes; to run them on EKS Fargate, a Fargate profile must select their namespace (and labels); Fargate then sizes each pod from its requests'
      : 'pods run on the cluster\'s nodes (managed node groups or Karpenter), as EC2 tasks ran on the cluster\'s instances');
  }
  const ephemeral = td.child('ephemeralStorage');
  if (ephemeral.present && main) {
    const gib = ephemeral.child('sizeInGiB').number();
    const target = converted.get(main.ecsName)!.values;
    if (gib) {
      target.resources = { ...target.resources, requests: { ...target.resources?.requests, 'ephemeral-storage': `${gib}Gi` } };
      report.approximated(ephemeral, 'containers[0].resources.requests.ephemeral-storage', `the task's ${gib} GiB of ephemeral storage became the main container's request; nodes need that much free disk`);
    } else report.unsupported(ephemeral, 'no sizeInGiB');
  }

  const ports = new Map<string, { name: string; ports: ConvertedPort[] }>();
  for (const c of containers) ports.set(c.ecsName, { name: c.name, ports: converted.get(c.ecsName)!.ports });
  const arn = td.child('taskDefinitionArn').string();
  return {
    values,
    mainImage: main ? converted.get(main.ecsName)!.image : '',
    mainName: main?.ecsName ?? '',
    ports,
    networkMode,
    ...(arn ? { taskDefinitionArn: arn } : {}),
  };
}

function rank(p: Placement): number {
  return p.role === 'main' ? 0 : p.role === 'container' ? 1 : 2;
}

function index(p: Placement): number {
  return Number(/\[(\d+)\]/.exec(p.to)?.[1] ?? 0);
}

function convertTaskRole(td: Field, values: ImportedValues, report: ConversionReport): void {
  const role = td.child('taskRoleArn');
  if (!role.present) return;
  const arn = role.string() ?? '';
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(arn)) {
    report.unsupported(role, `'${arn}' is not an IAM role ARN`);
    return;
  }
  values.serviceAccount = { annotations: { 'eks.amazonaws.com/role-arn': arn } };
  report.approximated(role, 'serviceAccount.annotations["eks.amazonaws.com/role-arn"]', `the app's ServiceAccount assumes the same role through IRSA: add the cluster's OIDC provider to the role's trust policy, for system:serviceaccount:<namespace>:<app> (ecs-tasks.amazonaws.com can stay while both run)`);
}

function convertNetworkMode(td: Field, report: ConversionReport): string {
  const mode = td.child('networkMode');
  const text = mode.string() ?? 'bridge';
  if (!mode.present) return text;
  if (text === 'awsvpc') report.converted(mode, [], 'each pod has its own VPC IP address (the VPC CNI), as each awsvpc task had');
  else if (text === 'bridge' || text === 'default') report.approximated(mode, [], 'each pod gets its own IP address instead of sharing the instance\'s through Docker\'s bridge; host ports are not needed');
  else if (text === 'host') report.unsupported(mode, 'the chart runs no pods in the host network; ports are the pod\'s own');
  else report.unsupported(mode, `'${text}': every pod has a network`, { action: false });
  return text;
}

function convertPlatform(td: Field, values: ImportedValues, report: ConversionReport): void {
  const platform = td.child('runtimePlatform');
  const selector: Record<string, string> = {};
  const arch = platform.child('cpuArchitecture');
  if (arch.present) {
    const value = { X86_64: 'amd64', ARM64: 'arm64' }[arch.string() ?? ''];
    if (value) {
      selector['kubernetes.io/arch'] = value;
      report.converted(arch, 'nodeSelector["kubernetes.io/arch"]', value);
    } else report.unsupported(arch, `'${arch.string() ?? ''}' is not X86_64 or ARM64`);
  }
  const os = platform.child('operatingSystemFamily');
  if (os.present) {
    const family = os.string() ?? '';
    if (family === 'LINUX') {
      selector['kubernetes.io/os'] = 'linux';
      report.converted(os, 'nodeSelector["kubernetes.io/os"]', 'linux');
    } else if (family.startsWith('WINDOWS')) {
      selector['kubernetes.io/os'] = 'windows';
      report.approximated(os, 'nodeSelector["kubernetes.io/os"]', `windows: the cluster needs Windows nodes of the same version (${family}), and the chart's Linux security defaults do not apply there`);
    } else report.unsupported(os, `unknown operating system family '${family}'`);
  }
  for (const [key, f] of platform.entries()) if (!['cpuArchitecture', 'operatingSystemFamily'].includes(key)) report.unsupported(f, 'not a field of an ECS runtimePlatform; left out');
  if (Object.keys(selector).length) values.nodeSelector = selector;
}

/**
 * Kubernetes has no task-level size (pod-level resources are alpha): the
 * task's cpu and memory go to the main container, less what the other
 * containers reserve for themselves, where the main container sets none.
 */
function distributeTaskSize(td: Field, main: EcsContainer, containers: readonly EcsContainer[], converted: Map<string, ConvertedContainer>, report: ConversionReport): void {
  const target = converted.get(main.ecsName)!.values;
  const others = containers.filter((c) => c !== main);
  const cpu = td.child('cpu');
  if (cpu.present) {
    const units = taskCpuUnits(cpu.value);
    const own = main.field.child('cpu').number();
    if (units === undefined) report.unsupported(cpu, `'${String(cpu.value)}' is not a CPU size (units or vCPU)`);
    else if (own) report.approximated(cpu, [], `the task's ${units} units are the sum Fargate reserved; every container requests its own CPU, so it is not needed (EKS Fargate sizes a pod from the sum of its requests)`);
    else {
      const rest = Math.max(units - others.reduce((sum, c) => sum + (c.field.child('cpu').number() ?? 0), 0), 0);
      if (rest > 0) {
        target.resources = { ...target.resources, requests: { ...target.resources?.requests, cpu: cpuQuantity(rest) } };
        report.approximated(cpu, 'containers[0].resources.requests.cpu', `Kubernetes has no task-level size: the task's ${units} units${rest !== units ? ` less the other containers' ${units - rest}` : ''} became the main container's request (${cpuQuantity(rest)}); no CPU limit`);
      } else report.unsupported(cpu, 'the other containers reserve all of the task\'s CPU; the main container requests none');
    }
  }
  const memory = td.child('memory');
  if (memory.present) {
    const mib = taskMemoryMib(memory.value);
    const own = main.field.child('memory').number() ?? main.field.child('memoryReservation').number();
    if (mib === undefined) report.unsupported(memory, `'${String(memory.value)}' is not a memory size (MiB or GB)`);
    else if (own) report.approximated(memory, [], `the task's ${mib} MiB capped all its containers together; each container now has its own request and limit`);
    else {
      const rest = Math.max(mib - others.reduce((sum, c) => sum + (c.field.child('memory').number() ?? c.field.child('memoryReservation').number() ?? 0), 0), 0);
      if (rest > 0) {
        const q = memoryQuantity(rest);
        target.resources = { requests: { ...target.resources?.requests, memory: q }, limits: { ...target.resources?.limits, memory: q } };
        report.approximated(memory, ['containers[0].resources.requests.memory', 'containers[0].resources.limits.memory'], `Kubernetes has no task-level size: the task's ${mib} MiB${rest !== mib ? ` less the other containers' ${mib - rest}` : ''} became the main container's request and limit (${q})`);
      } else report.unsupported(memory, 'the other containers reserve all of the task\'s memory; the main container has no memory request');
    }
  }
}

function convertStopTimeouts(containers: readonly EcsContainer[], converted: Map<string, ConvertedContainer>, values: ImportedValues, report: ConversionReport): void {
  const timeouts = containers.map((c) => converted.get(c.ecsName)!.stopTimeout).filter((f): f is Field => f !== undefined);
  if (!timeouts.length) return;
  const seconds = Math.max(...timeouts.map((f) => f.number() ?? 30));
  values.terminationGracePeriodSeconds = seconds;
  for (const f of timeouts) {
    if ((f.number() ?? 30) === seconds && timeouts.length === 1) report.converted(f, 'terminationGracePeriodSeconds', 'seconds between SIGTERM and SIGKILL');
    else report.approximated(f, 'terminationGracePeriodSeconds', `the grace period is the pod's: the longest stop timeout (${seconds}s) applies to every container`);
  }
}

/**
 * The chart hardens pods by default (read-only root filesystem, non-root,
 * no capabilities); ECS did none of that. What a container did not declare
 * stays as ECS ran it where the app would otherwise break, and the report
 * says which defaults remain.
 */
function hardeningNotes(containers: readonly EcsContainer[], converted: Map<string, ConvertedContainer>, values: ImportedValues, report: ConversionReport): void {
  const undeclared = containers.filter((c) => !converted.get(c.ecsName)!.readOnlyRootDeclared);
  if (undeclared.length) {
    values.securityContext = { readOnlyRootFilesystem: false };
    report.note(`Root filesystems stay writable (securityContext.readOnlyRootFilesystem: false) because ECS did not make ${undeclared.map((c) => `'${c.name}'`).join(', ')} read-only; the chart's default is read-only: mount an emptyDir where the app writes and remove that line.`);
  }
  report.note('The chart runs pods as non-root (podSecurityContext.runAsNonRoot: true) with all capabilities dropped, no privilege escalation and the RuntimeDefault seccomp profile. ECS ran the image\'s USER: if an image runs as root, the kubelet refuses to start it; set a numeric USER in the image, or containers[].securityContext.runAsUser.');
}
