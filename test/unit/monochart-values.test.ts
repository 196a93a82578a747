import { describe, expect, test } from 'vitest';
import { InputError } from '#core/errors/errors.js';
import { MonochartValuesError, renderMonochart, validateMonochartValues, type MonochartContext } from '#core/render/monochart/index.js';

const CONTEXT: MonochartContext = { app: 'verity-api', environment: 'staging', image: { repository: 'ghcr.io/acme/verity-api', tag: '1.4.0' } };

/** The problems, as `path: message` lines. */
function problemsOf(values: unknown, context: MonochartContext = CONTEXT): string[] {
  try {
    renderMonochart(values, context);
  } catch (e) {
    if (!(e instanceof MonochartValuesError)) throw e;
    return e.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
  }
  throw new Error('expected the values to be refused');
}

const app = (extra: Record<string, unknown> = {}) => ({ name: 'app', ports: [{ name: 'http', containerPort: 8080 }], ...extra });

describe('accepted as they are', () => {
  test.each([[{}], [null], [undefined], [{ replicas: null, containers: null }]])('%j', (values) => {
    expect(() => validateMonochartValues(values)).not.toThrow();
  });
});

describe('unknown keys: an error each, with the closest known key', () => {
  test.each([
    [{ containers: [app({ readinesProbe: {} })] }, "containers[0].readinesProbe: unknown key, did you mean 'readinessProbe'?"],
    [{ containers: [app({ livenessprobe: {} })] }, "containers[0].livenessprobe: unknown key, did you mean 'livenessProbe'?"],
    [{ replica: 2 }, "replica: unknown key, did you mean 'replicas'?"],
    [{ replicaCount: 2 }, "replicaCount: unknown key, did you mean 'replicas'?"],
    [{ service: { tpye: 'NodePort' } }, "service.tpye: unknown key, did you mean 'type'?"],
    [{ resources: {} }, 'resources: unknown key: resources belong to each container: containers[].resources'],
    [{ image: { repository: 'x' } }, "image: unknown key: the image comes from render's inputs (image, image-tag, image-digest); to run another image set containers[].image"],
    [{ schedule: '0 3 * * *' }, "schedule: unknown key here; 'schedule' belongs in cronJobs.<name>.schedule"],
    [{ ingress: { host: 'a.example.com' } }, "ingress.host: unknown key, did you mean 'hosts'?"],
    [{ containers: [app({ resources: { requests: { memmory: '1Gi' } } })] }, "containers[0].resources.requests.memmory: key 'memmory' is not a resource name (cpu, memory, ephemeral-storage, hugepages-<size> or <domain>/<name>), e.g. 'memory' (did you mean 'memory'?)"],
    [{ containers: [app({ restartPolicy: 'Always' })] }, 'containers[0].restartPolicy: unknown key: only initContainers take restartPolicy (Always makes a native sidecar)'],
    [{ zzz: 1 }, 'zzz: unknown key; expected one of kind, replicas,'],
  ])('%j', (values, message) => {
    expect(() => validateMonochartValues(values)).toThrow(message);
  });
});

describe('types, with the path to the value', () => {
  test.each([
    [{ replicas: '3' }, 'monochart values: replicas: expected integer, got string'],
    [{ replicas: 2.5 }, 'replicas: expected integer, got number'],
    [{ replicas: -1 }, 'replicas: expected an integer of at least 0, got -1'],
    [{ containers: [app({ ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: '9464' }] })] }, 'containers[0].ports[1].containerPort: expected integer, got string'],
    [{ containers: [app({ ports: [{ name: 'http', containerPort: 70000 }] })] }, 'containers[0].ports[0].containerPort: expected an integer from 1 to 65535, got 70000'],
    [{ containers: [app({ env: [{ name: 'PORT', value: 8080 }] })] }, "containers[0].env[0].value: expected string, got number (env values are strings: quote numbers and booleans, e.g. '8080')"],
    [{ containers: {} }, 'containers: expected list, got object'],
    [{ containers: [] }, 'containers: needs at least 1 entry'],
    [{ service: { type: 'Loadbalancer' } }, "service.type: expected one of ClusterIP, NodePort, LoadBalancer, got 'Loadbalancer' (did you mean 'LoadBalancer'?)"],
    [{ service: { enabled: 'yes' } }, 'service.enabled: expected boolean, got string'],
    [{ podAnnotations: { 'prometheus.io/port': 9464 } }, 'podAnnotations["prometheus.io/port"]: expected string, got number (annotation values are strings: quote numbers and booleans)'],
    [{ configMaps: { settings: { data: { PORT: 8080 } } } }, 'configMaps.settings.data.PORT: expected string, got number (ConfigMap data values are strings: quote numbers and booleans)'],
    [{ volumes: [{ name: 'c', configMap: { name: 'c', defaultMode: 644 } }] }, 'volumes[0].configMap.defaultMode: expected an integer from 0 to 511, got 644'],
    [{ containers: [app({ resources: { limits: { memory: '1GB' } } })] }, "containers[0].resources.limits.memory: '1GB' is not a quantity like 250m, 0.5, 512Mi or 2Gi"],
    [{ strategy: { maxSurge: '25' } }, "strategy.maxSurge: '25' is not a percentage like 25%"],
    [{ cronJobs: { report: { schedule: 'TZ=UTC 0 3 * * *', containers: [app()] } } }, "cronJobs.report.schedule: 'TZ=UTC 0 3 * * *' is not a cron schedule"],
    [{ containers: [app({ securityContext: { capabilities: { add: ['CAP_NET_ADMIN'] } } })] }, "'CAP_NET_ADMIN' is not a Linux capability in upper case without the CAP_ prefix"],
    [[], 'monochart values: values: expected object, got list'],
  ])('%j', (values, message) => {
    expect(() => validateMonochartValues(values)).toThrow(message);
  });

  test('required keys, and handlers that need exactly one choice', () => {
    expect(problemsOf({ containers: [{ ports: [{ containerPort: 8080 }] }] })).toEqual(['containers[0].ports[0].name: is required', 'containers[0].name: is required']);
    expect(problemsOf({ containers: [app({ readinessProbe: { periodSeconds: 5 } })] })).toEqual([
      'containers[0].readinessProbe: set exactly one of httpGet, tcpSocket, exec, grpc (found none)',
    ]);
    expect(problemsOf({ containers: [app({ readinessProbe: { httpGet: { port: 'http' }, exec: { command: ['true'] } } })] })).toEqual([
      'containers[0].readinessProbe: set exactly one of httpGet, tcpSocket, exec, grpc (found httpGet and exec)',
    ]);
    expect(problemsOf({ containers: [app({ env: [{ name: 'A', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] })] })).toEqual([
      'containers[0].env[0]: set at most one of value, valueFrom (found value and valueFrom)',
    ]);
    expect(problemsOf({ volumes: [{ name: 'v', emptyDir: {}, secret: { secretName: 's' } }] })).toEqual([
      'volumes[0]: set exactly one of configMap, secret, emptyDir, persistentVolumeClaim, projected, csi (found secret and emptyDir)',
    ]);
  });

  test('every problem is reported at once, as an InputError the user can act on', () => {
    let thrown: unknown;
    try {
      validateMonochartValues({ replicas: '3', kindd: 'Deployment', service: { type: 'Loadbalancer' }, containers: [app({ name: 'API' })] });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as Error).message).toBe(
      [
        'monochart values have 4 problems:',
        '- replicas: expected integer, got string',
        "- kindd: unknown key, did you mean 'kind'?",
        "- service.type: expected one of ClusterIP, NodePort, LoadBalancer, got 'Loadbalancer' (did you mean 'LoadBalancer'?)",
        "- containers[0].name: 'API' is not a DNS-1123 label (at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit), e.g. 'verity-api'",
      ].join('\n'),
    );
    expect((thrown as MonochartValuesError).problems.map((p) => p.path)).toEqual(['replicas', 'kindd', 'service.type', 'containers[0].name']);
  });
});

describe('names', () => {
  test.each([
    [{ containers: [app({ ports: [{ name: 'http-metrics-port', containerPort: 9464 }] })] }, "containers[0].ports[0].name: 'http-metrics-port' is not a port name (at most 15 lower-case letters, digits and single '-', with at least one letter)"],
    [{ containers: [app({ ports: [{ name: '8080', containerPort: 8080 }] })] }, "containers[0].ports[0].name: '8080' is not a port name"],
    [{ configMaps: { Settings: { data: {} } } }, "configMaps.Settings: key 'Settings' is not a DNS-1123 label"],
    [{ podLabels: { team: 'core platform' } }, "podLabels.team: 'core platform' is not a label value"],
    [{ podLabels: { 'bad key!': 'x' } }, `podLabels["bad key!"]: key 'bad key!' is not a label or annotation key`],
    [{ ingress: { enabled: true, hosts: [{ host: 'API.example.com' }] } }, "ingress.hosts[0].host: 'API.example.com' is not a host name"],
  ])('%j', (values, message) => {
    expect(() => validateMonochartValues(values)).toThrow(message);
  });

  test.each([
    [{ app: 'Verity', environment: 'staging' }, "app 'Verity' is not a DNS-1123 label"],
    [{ app: 'verity-api', environment: 'prod/eu' }, "environment 'prod/eu' is not a DNS-1123 label"],
    [{ app: 'verity-api', environment: 'staging', namespace: 'Team_A' }, "namespace 'Team_A' is not a DNS-1123 label"],
    [{ app: 'a'.repeat(40), environment: 'e'.repeat(30) }, 'app and environment make the label app.kubernetes.io/instance: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-eeeeeeeeeeeeeeeeeeeeeeeeeeeeee (71 characters), at most 63 are allowed'],
    [{ app: '3d-api', environment: 'staging' }, "app '3d-api' names a Service, and Service names must start with a letter"],
  ])('context %j', (context, message) => {
    expect(() => renderMonochart({}, { ...CONTEXT, ...context })).toThrow(message);
  });

  test("a StatefulSet's headless Service cannot take the app Service's name", () => {
    expect(problemsOf({ kind: 'StatefulSet', statefulSet: { serviceName: 'verity-api' } })).toEqual([
      "statefulSet.serviceName: 'verity-api' is already the app's Service; name the headless Service differently or leave this out (verity-api-headless)",
    ]);
  });

  test('length limits that come from what Kubernetes derives from a name', () => {
    expect(problemsOf({ cronJobs: { 'a-very-long-nightly-report-name': { schedule: '@daily', containers: [app()] } } }, { ...CONTEXT, app: 'verity-api-backend-service' })).toEqual([
      'cronJobs.a-very-long-nightly-report-name: names the CronJob verity-api-backend-service-a-very-long-nightly-report-name (58 characters); at most 52 are allowed, its Jobs append a suffix',
    ]);
    expect(problemsOf({ kind: 'StatefulSet' }, { ...CONTEXT, app: 'a'.repeat(53) })).toEqual([
      `app '${'a'.repeat(53)}' has 53 characters; a StatefulSet name may have at most 52 (its pods get a controller-revision-hash label of <name>-<hash>)`,
    ]);
  });
});

describe('keys that must agree with each other', () => {
  test.each([
    [{ containers: [app({ volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] })] }, "containers[0].volumeMounts[0].name: no volume is called 'tmp': declare it under volumes"],
    [{ containers: [app({ readinessProbe: { httpGet: { path: '/ready', port: 'htp' } } })] }, "containers[0].readinessProbe.httpGet.port: 'htp' is not a port of this container (ports: http)"],
    [{ containers: [app({ livenessProbe: { tcpSocket: { port: 8080 }, successThreshold: 2 } })] }, 'containers[0].livenessProbe.successThreshold: must be 1 for a livenessProbe'],
    [{ initContainers: [{ name: 'migrate', readinessProbe: { exec: { command: ['true'] } } }] }, 'initContainers[0].readinessProbe: init containers run to completion and take no probes'],
    [{ containers: [app(), { name: 'app' }] }, "containers[1].name: 'app' is used twice"],
    [{ containers: [app(), { name: 'envoy', ports: [{ name: 'http', containerPort: 9901 }] }] }, "containers[1].ports[0].name: 'http' is used twice in the pod"],
    [{ containers: [app({ env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] })] }, "containers[0].env[1].name: 'A' is set twice; the last one would win silently"],
    [{ containers: [app({ resources: { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } } })] }, 'containers[0].resources.requests.memory: 2Gi is more than the limit 1Gi'],
    [{ containers: [app({ securityContext: { privileged: true } })] }, 'containers[0].securityContext: privileged or SYS_ADMIN needs allowPrivilegeEscalation: true (the default is false)'],
    [{ containers: [app({ image: 'Nginx:latest' })] }, "containers[0].image: the image: repository 'library/Nginx' must be lower-case"],
    [{ statefulSet: { volumeClaimTemplates: [{ name: 'data', size: '1Gi' }] } }, 'statefulSet.volumeClaimTemplates: only applies with kind: StatefulSet'],
    [{ kind: 'StatefulSet', strategy: { maxSurge: 1 } }, 'strategy.maxSurge: a StatefulSet replaces pods in place and has no surge'],
    [{ strategy: { type: 'OnDelete' } }, 'strategy.type: OnDelete is for a StatefulSet; a Deployment takes RollingUpdate or Recreate'],
    [{ autoscaling: { enabled: true } }, "autoscaling.targetCPUUtilizationPercentage: utilisation is measured against requests, and 'app' has no resources.requests.cpu"],
    [{ autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 3 }, containers: [app({ resources: { requests: { cpu: '1' } } })] }, 'autoscaling.minReplicas: 5 is more than maxReplicas 3'],
    [{ podDisruptionBudget: { enabled: true, minAvailable: 1 } }, 'podDisruptionBudget.minAvailable: 1 with 1 replica would block every node drain'],
    [{ podDisruptionBudget: { minAvailable: 1, maxUnavailable: 1 } }, 'podDisruptionBudget: set at most one of minAvailable, maxUnavailable (found minAvailable and maxUnavailable)'],
    [{ ingress: { enabled: true } }, 'ingress.hosts: needs at least one entry when the ingress is enabled'],
    [{ ingress: { enabled: true, hosts: [{ host: 'a.example.com', paths: [{ port: 'grpc' }] }] } }, 'ingress.hosts[0].paths[0].port: grpc is not a Service port (http: 8080)'],
    [{ ingress: { enabled: true, hosts: [{ host: 'a.example.com' }] }, service: { enabled: false } }, 'ingress.hosts[0].paths[0]: goes to the app Service, which is not rendered'],
    [{ service: { ports: [{ name: 'web', port: 80 }] } }, "service.ports[0].name: no container port is called 'web' (targetPort defaults to the name); ports: http"],
    [{ service: { ports: [{ name: 'http', port: 80, nodePort: 30080 }] } }, 'service.ports[0].nodePort: only applies to type NodePort or LoadBalancer'],
    [{ service: { loadBalancerClass: 'service.k8s.aws/nlb' } }, 'service.loadBalancerClass: only applies to type LoadBalancer'],
    [{ serviceMonitor: { enabled: true, port: 'metrics' } }, "serviceMonitor.port: 'metrics' is not a Service port name (http)"],
    [{ serviceMonitor: { enabled: true }, service: { enabled: false } }, 'serviceMonitor.enabled: a ServiceMonitor scrapes through the Service, which is not rendered'],
    [{ configMaps: { settings: { data: {}, mountPath: '/etc/x', mountInto: ['api'] } } }, "configMaps.settings.mountInto[0]: no container is called 'api' (containers: app)"],
    [{ configMaps: { settings: { data: {}, mountInto: ['app'] } } }, 'configMaps.settings.mountInto: needs mountPath'],
    [{ podLabels: { 'app.kubernetes.io/name': 'x' } }, 'podLabels["app.kubernetes.io/name"]: is a selector label, set by the chart'],
    [{ podLabels: { 'app.kubernetes.io/version': '1.4.0' } }, 'a version on the pod template restarts every pod on each release for nothing'],
    [{ podAnnotations: { 'gitops-actions.io/source-commit': 'abc' } }, 'provenance belongs on the objects'],
    [{ serviceAccount: { create: false, annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x' } } }, 'serviceAccount.annotations: need serviceAccount.create'],
    [{ cronJobs: { report: { schedule: '@daily', containers: [{ name: 'r', volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] }] } } }, "cronJobs.report.containers[0].volumeMounts[0].name: no volume is called 'tmp'"],
    [{ cronJobs: { report: { schedule: '@daily', containers: [{ name: 'r' }], podLabels: { 'app.kubernetes.io/instance': 'x' } } } }, 'cronJobs.report.podLabels["app.kubernetes.io/instance"]: is set by the chart'],
    [{ podSecurityContext: { seccompProfile: { type: 'Localhost' } } }, 'podSecurityContext.seccompProfile.localhostProfile: is required with type Localhost'],
  ])('%j', (values, message) => {
    expect(() => validateMonochartValues(values)).toThrow(message);
  });
});
