import type { ConversionReport } from './conversion-report.js';
import type { ConvertedPort } from './container-values.js';
import { reportUnknownFields, SERVICE_FIELDS } from './ecs-fields.js';
import type { Field } from './source-field.js';
import type { TaskConversion } from './task-conversion.js';

const RUNTIME_STATE: Record<string, string> = {
  serviceArn: 'the service\'s ARN in ECS',
  clusterArn: 'the ECS cluster; the GitOps repository of the target cluster takes its place',
  status: 'runtime state, not desired state',
  runningCount: 'runtime state, not desired state',
  pendingCount: 'runtime state, not desired state',
  deployments: 'ECS deployment history; Argo CD shows the sync history, git the changes',
  events: 'ECS service events; Kubernetes events and Argo CD take their place',
  taskSets: 'task sets of an external or CODE_DEPLOY controller: runtime state',
  createdAt: 'when the service was created',
  createdBy: 'who created the service',
  roleArn: 'the service-linked role ECS used for load balancers; the AWS Load Balancer Controller has its own',
  platformVersion: 'the Fargate platform version; EKS Fargate picks its own',
  platformFamily: 'the Fargate platform family',
  tags: 'AWS resource tags of the service',
  enableECSManagedTags: 'ECS-managed tags; Kubernetes objects carry the chart\'s labels',
  propagateTags: 'tag propagation to tasks; pods carry the chart\'s labels',
  enableExecuteCommand: 'ECS Exec: on Kubernetes, kubectl exec, allowed by RBAC',
  currentServiceDeployment: 'runtime state, not desired state',
  currentServiceRevisions: 'runtime state, not desired state',
};

/**
 * An ECS service (one entry of describe-services) as the workload's replicas,
 * rollout, Service and Ingress. The task definition was converted first; its
 * container ports are what load balancers and service discovery point at.
 */
export function convertService(service: Field, task: TaskConversion, report: ConversionReport): void {
  const { values } = task;
  reportUnknownFields(service, SERVICE_FIELDS, 'an ECS service', report);
  for (const [key, why] of Object.entries(RUNTIME_STATE)) {
    if (service.child(key).present) report.unsupported(service.child(key), why, { action: false });
  }
  const name = service.child('serviceName');
  if (name.present) report.converted(name, [], 'names the app unless --app is given');

  const taskDefinition = service.child('taskDefinition');
  if (taskDefinition.present) {
    const arn = taskDefinition.string() ?? '';
    if (task.taskDefinitionArn && arn !== task.taskDefinitionArn) {
      report.approximated(taskDefinition, [], `the service runs ${arn}, but the imported task definition is ${task.taskDefinitionArn}: import the revision the service runs`);
    } else report.converted(taskDefinition, [], 'the imported task definition');
  }

  const scheduling = service.child('schedulingStrategy');
  const daemon = scheduling.string() === 'DAEMON';
  if (scheduling.present) {
    if (daemon) report.unsupported(scheduling, 'DAEMON runs one task per instance: a DaemonSet, which the chart does not render; the values describe a Deployment');
    else report.converted(scheduling, 'kind', 'REPLICA: a Deployment');
  }
  const desired = service.child('desiredCount');
  if (desired.present && !daemon) {
    const n = desired.number();
    if (n === undefined || !Number.isInteger(n)) report.unsupported(desired, 'not a whole number');
    else {
      values.replicas = n;
      report.converted(desired, 'replicas', n === 0 ? '0: the service was scaled to zero' : '');
    }
  } else if (desired.present) report.unsupported(desired, 'a DAEMON service has one task per instance', { action: false });

  convertDeploymentConfiguration(service, task, report);
  const controller = service.child('deploymentController');
  if (controller.present) {
    const type = controller.child('type').string() ?? 'ECS';
    if (type === 'ECS') report.converted(controller, 'strategy.type', 'RollingUpdate');
    else if (type === 'CODE_DEPLOY') report.approximated(controller, 'strategy.type', 'CodeDeploy blue/green became a rolling update; for blue/green or canaries use Argo Rollouts');
    else report.unsupported(controller, `an ${type} deployment controller: the Deployment controller rolls pods out now`);
  }

  const ports = new Map<string, ConvertedPort>();
  const mainPorts = task.ports.get(task.mainName)?.ports ?? [];
  for (const p of mainPorts) ports.set(p.name, p);
  const portOf = (f: Field): ConvertedPort | undefined => {
    const container = task.ports.get(f.child('containerName').string() ?? task.mainName);
    const number = f.child('containerPort').number();
    const port = container?.ports.find((p) => p.containerPort === number) ?? (number === undefined ? container?.ports[0] : undefined);
    if (port) ports.set(port.name, port);
    return port;
  };

  convertLoadBalancers(service, task, portOf, report);
  service.child('serviceRegistries').items().forEach((r) => {
    const port = portOf(r) ?? mainPorts[0];
    if (!port) {
      report.unsupported(r, 'service discovery for a container without ports: a headless Service would be needed, which the chart renders only for a StatefulSet');
      return;
    }
    report.approximated(r, 'service', `Cloud Map service discovery became the Service '<app>': clients find it at <app>.<namespace>.svc.cluster.local:${port.containerPort} instead of the Cloud Map name (${r.child('registryArn').string() ?? 'registry'}); change the host name clients use, or bridge with an ExternalName Service or a CoreDNS rewrite`);
  });
  const connect = service.child('serviceConnectConfiguration');
  if (connect.present) report.approximated(connect, 'service', 'Service Connect: the Service gives the app a cluster DNS name; its proxy features (retries, outlier detection) need a service mesh');

  // The Service: the main container's ports plus any other a load balancer or registry points at.
  if (ports.size && ([...ports.values()].some((p) => p.appProtocol) || [...ports.keys()].some((n) => !mainPorts.some((p) => p.name === n)))) {
    values.service = {
      ...(values.service as object | undefined),
      ports: [...ports.values()].map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, ...(p.protocol === 'UDP' ? { protocol: 'UDP' } : {}), ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })),
    };
  }

  const network = service.child('networkConfiguration').child('awsvpcConfiguration');
  const networkNotes: Record<string, [string, boolean]> = {
    subnets: ['pods take addresses from the subnets of their nodes (the VPC CNI; custom networking for other subnets)', false],
    securityGroups: ['security groups of the task: use Security Groups for Pods (a SecurityGroupPolicy, outside this chart) or NetworkPolicies, and allow the nodes\' (or pods\') group where these groups were referenced', true],
    assignPublicIp: ['pods get private addresses; traffic from outside comes through the load balancer', false],
  };
  for (const [key, f] of network.entries()) report.unsupported(f, networkNotes[key]?.[0] ?? 'not a field of an awsvpcConfiguration; left out', { action: networkNotes[key]?.[1] ?? true });
  for (const [key, f] of service.child('networkConfiguration').entries()) if (key !== 'awsvpcConfiguration') report.unsupported(f, 'not a field of an ECS networkConfiguration; left out');

  const launch = service.child('launchType');
  if (launch.present) report.approximated(launch, [], launch.string() === 'FARGATE' ? 'pods run on EKS Fargate only when a Fargate profile selects their namespace (and labels); otherwise on the cluster\'s nodes' : 'pods run on the cluster\'s nodes');
  const capacity = service.child('capacityProviderStrategy');
  if (capacity.present) report.unsupported(capacity, 'capacity providers: the cluster\'s node groups or Karpenter NodePools provide capacity; Spot versus on-demand is chosen with a nodeSelector (e.g. karpenter.sh/capacity-type)', { action: (capacity.items().length ?? 0) > 1 });
  const grace = service.child('healthCheckGracePeriodSeconds');
  if (grace.present) report.unsupported(grace, 'not needed: Kubernetes never replaces a pod for failing the load balancer\'s health check; only liveness probes restart containers (and startup probes give slow starts time)', { action: false });
  convertPlacement(service, values, report);
  const volumeConfigurations = service.child('volumeConfigurations');
  if (volumeConfigurations.present) report.unsupported(volumeConfigurations, 'EBS volumes managed by the service: kind: StatefulSet with statefulSet.volumeClaimTemplates (the EBS CSI driver) gives each pod its own volume');
  const az = service.child('availabilityZoneRebalancing');
  if (az.present) report.unsupported(az, 'Kubernetes does not rebalance running pods; topologySpreadConstraints spread new ones (the descheduler rebalances)', { action: false });
}

function convertDeploymentConfiguration(service: Field, task: TaskConversion, report: ConversionReport): void {
  const config = service.child('deploymentConfiguration');
  if (!config.present) return;
  const { values } = task;
  const strategy: Record<string, string | number> = {};
  const max = config.child('maximumPercent');
  const min = config.child('minimumHealthyPercent');
  const maxN = max.number();
  const minN = min.number();
  if (max.present) {
    if (maxN === undefined || maxN < 100) report.unsupported(max, 'not a percentage of at least 100');
    else {
      strategy.maxSurge = `${maxN - 100}%`;
      report.converted(max, 'strategy.maxSurge', `${maxN}% running during a rollout: up to ${maxN - 100}% more pods than replicas`);
    }
  }
  if (min.present) {
    if (minN === undefined || minN < 0 || minN > 100) report.unsupported(min, 'not a percentage between 0 and 100');
    else {
      strategy.maxUnavailable = `${100 - minN}%`;
      report.converted(min, 'strategy.maxUnavailable', `${minN}% must stay healthy: up to ${100 - minN}% of the pods may be unavailable`);
    }
  }
  if (strategy.maxSurge === '0%' && strategy.maxUnavailable === '0%') {
    strategy.maxSurge = 1;
    report.approximated(max, 'strategy.maxSurge', 'Kubernetes refuses a rollout that may neither add nor remove a pod: one extra pod is allowed');
  }
  if (Object.keys(strategy).length) values.strategy = strategy;
  const breaker = config.child('deploymentCircuitBreaker');
  if (breaker.present) {
    const rollback = breaker.child('rollback').value === true && breaker.child('enable').value === true;
    report.unsupported(
      breaker,
      `a rollout that does not progress in 10 minutes (progressDeadlineSeconds) shows as Degraded in Argo CD${rollback ? '; nothing rolls back by itself: revert the commit in the GitOps repository (or use Argo Rollouts for automatic rollback)' : ''}`,
      { action: rollback },
    );
  }
  const alarms = config.child('alarms');
  if (alarms.present) {
    const enabled = alarms.child('enable').value === true;
    report.unsupported(alarms, enabled ? 'CloudWatch alarms no longer watch rollouts: use Argo Rollouts analysis, or alert from Argo CD notifications' : 'alarms were not enabled', { action: enabled });
  }
  for (const [key, f] of config.entries()) {
    if (!['maximumPercent', 'minimumHealthyPercent', 'deploymentCircuitBreaker', 'alarms'].includes(key)) report.unsupported(f, 'not carried over (ECS deployment options such as bake time and lifecycle hooks have no Deployment counterpart)');
  }
}

function convertLoadBalancers(service: Field, task: TaskConversion, portOf: (f: Field) => ConvertedPort | undefined, report: ConversionReport): void {
  const { values } = task;
  service.child('loadBalancers').items().forEach((lb, i) => {
    const port = portOf(lb);
    if (!port) {
      report.unsupported(lb, `container '${lb.child('containerName').string() ?? ''}' has no port ${lb.child('containerPort').number() ?? ''}; no Service port or Ingress path was made`);
      return;
    }
    const classic = lb.child('loadBalancerName').present && !lb.child('targetGroupArn').present;
    if (classic || port.protocol === 'UDP') {
      values.service = { ...(values.service as object | undefined), type: 'LoadBalancer', loadBalancerClass: 'service.k8s.aws/nlb', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip', 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' } };
      report.approximated(lb, ['service.type', 'service.loadBalancerClass', 'service.annotations'], `${classic ? 'a Classic Load Balancer' : 'a UDP target'} became a Network Load Balancer made by the AWS Load Balancer Controller for the Service (internal: set the scheme annotation to internet-facing if the old one was)`);
      return;
    }
    if (i > 0 || (values.ingress as { enabled?: boolean } | undefined)?.enabled) {
      report.approximated(lb, 'service.ports', `a further target group: the Service exposes port ${port.name}, but which requests go there is in the ALB's listener rules, which describe-services does not show: add an ingress.hosts path with port: ${port.name}`);
      return;
    }
    const probe = (task.values.containers[0]?.readinessProbe as { httpGet?: { path: string } } | undefined)?.httpGet;
    values.ingress = {
      enabled: true,
      className: 'alb',
      annotations: {
        'alb.ingress.kubernetes.io/scheme': 'internal',
        'alb.ingress.kubernetes.io/target-type': 'ip',
        ...(probe ? { 'alb.ingress.kubernetes.io/healthcheck-path': probe.path } : {}),
      },
      hosts: [{ paths: [{ path: '/', pathType: 'Prefix', port: port.name }] }],
    };
    report.approximated(
      lb,
      ['ingress', 'service.ports'],
      `the target group ${lb.child('targetGroupArn').string() ?? ''} became an Ingress for the AWS Load Balancer Controller (class alb, IP targets) sending every path to Service port ${port.name} (${port.containerPort})${probe ? `, health-checked on ${probe.path}` : ''}. describe-services does not show the ALB's listeners, rules, certificate or scheme: set ingress.hosts[].host and paths from the listener rules, alb.ingress.kubernetes.io/scheme (internal here; internet-facing if the old ALB was) and certificate-arn/listen-ports for HTTPS. To move traffic without a new ALB, a TargetGroupBinding (outside this chart) can register the pods in the existing target group`,
    );
  });
}

function convertPlacement(service: Field, values: TaskConversion['values'], report: ConversionReport): void {
  const spread: Record<string, string>[] = [];
  service.child('placementStrategy').items().forEach((s) => {
    const type = s.child('type').string();
    const field = s.child('field').string() ?? '';
    if (type === 'spread' && /availability-zone$/.test(field)) {
      spread.push({ topologyKey: 'topology.kubernetes.io/zone' });
      report.approximated(s, 'topologySpreadConstraints', 'spread across zones: a topology spread constraint on topology.kubernetes.io/zone (maxSkew 1, ScheduleAnyway, as ECS spread is best effort)');
    } else if (type === 'spread' && /instanceId$|host$/.test(field)) {
      spread.push({ topologyKey: 'kubernetes.io/hostname' });
      report.approximated(s, 'topologySpreadConstraints', 'spread across instances: a topology spread constraint on kubernetes.io/hostname (maxSkew 1, ScheduleAnyway)');
    } else report.unsupported(s, `${type ?? 'this'} placement: the Kubernetes scheduler places pods, and Karpenter or the cluster autoscaler pack nodes`, { action: false });
  });
  if (spread.length) values.topologySpreadConstraints = spread.map((s) => ({ maxSkew: 1, topologyKey: s.topologyKey, whenUnsatisfiable: 'ScheduleAnyway' }));
  const constraints = service.child('placementConstraints');
  if (constraints.present) {
    if (constraints.items().length === 0) report.converted(constraints, [], 'empty: nothing to convert');
    else report.unsupported(constraints, 'placement constraints become nodeSelector or affinity rules on node labels (node.kubernetes.io/instance-type, topology.kubernetes.io/zone); write them by hand');
  }
}
