import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { MONOCHART_DEFAULTS, renderMonochart, type K8sObject, type MonochartContext } from '#core/render/monochart/index.js';
import { dumpYaml } from '#core/yaml/dump-yaml.js';
import { loadYaml, loadYamlDocuments } from '#core/yaml/load-yaml.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const CONTEXT: MonochartContext = {
  app: 'verity-api',
  environment: 'staging',
  namespace: 'verity',
  image: { repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/verity-api', tag: '1.4.0' },
  version: '1.4.0',
};
const SELECTOR = { 'app.kubernetes.io/name': 'verity-api', 'app.kubernetes.io/instance': 'verity-api-staging' };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- rendered objects are read by path in assertions

function byKind(objects: K8sObject[], kind: string, name = 'verity-api'): Json {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found as Json;
}

const ids = (objects: K8sObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

describe('the defaults', () => {
  const objects = renderMonochart({}, CONTEXT);

  test('{} plus an image renders a ServiceAccount, a Service and a Deployment', () => {
    expect(ids(objects)).toEqual(['ServiceAccount/verity-api', 'Service/verity-api', 'Deployment/verity-api']);
    for (const o of objects) {
      expect(o.metadata.namespace).toBe('verity');
      expect(o.metadata.labels).toEqual(SELECTOR);
    }
  });

  test('the Deployment runs the app image hardened, with stable selectors', () => {
    const d = byKind(objects, 'Deployment');
    expect(d.apiVersion).toBe('apps/v1');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.revisionHistoryLimit).toBe(3);
    expect(d.spec.selector).toEqual({ matchLabels: SELECTOR });
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    expect(d.spec.template.metadata).toEqual({ labels: SELECTOR });
    const pod = d.spec.template.spec;
    expect(pod.serviceAccountName).toBe('verity-api');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers).toEqual([
      {
        name: 'app',
        image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/verity-api:1.4.0',
        imagePullPolicy: 'IfNotPresent',
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      },
    ]);
  });

  test('the Service exposes the first container\'s ports by name', () => {
    const s = byKind(objects, 'Service');
    expect(s.spec).toEqual({
      type: 'ClusterIP',
      selector: SELECTOR,
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  test('the ServiceAccount mounts no API token', () => {
    expect(byKind(objects, 'ServiceAccount')).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'verity-api', namespace: 'verity', labels: SELECTOR },
      automountServiceAccountToken: false,
    });
  });

  test('nothing version-dependent anywhere: the version is the caller\'s to put on metadata', () => {
    const text = JSON.stringify(renderMonochart({}, { ...CONTEXT, image: { repository: 'ghcr.io/acme/verity-api', tag: 'main-3f2a1c9' }, version: '9.9.9' }));
    expect(text).not.toContain('9.9.9');
    expect(text).not.toContain('app.kubernetes.io/version');
  });

  test('MONOCHART_DEFAULTS is what {} means, and cannot be changed by accident', () => {
    expect(MONOCHART_DEFAULTS).toMatchObject({
      kind: 'Deployment',
      replicas: 1,
      imagePullPolicy: 'IfNotPresent',
      containers: [{ name: 'app', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }],
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      service: { enabled: true, type: 'ClusterIP' },
      ingress: { enabled: false },
      autoscaling: { enabled: false, minReplicas: 2, maxReplicas: 10 },
      podDisruptionBudget: { enabled: false },
      serviceAccount: { create: true, automountServiceAccountToken: false },
      serviceMonitor: { enabled: false, path: '/metrics', interval: '30s' },
    });
    expect(Object.isFrozen(MONOCHART_DEFAULTS.containers[0])).toBe(true);
    expect(renderMonochart(MONOCHART_DEFAULTS, CONTEXT)).toEqual(objects);
  });

  test('without a namespace, objects carry none (Argo CD applies them to the Application\'s)', () => {
    const { namespace: _, ...context } = CONTEXT;
    for (const o of renderMonochart({}, context)) expect(o.metadata).not.toHaveProperty('namespace');
  });
});

describe('images', () => {
  const imageOf = (context: MonochartContext, values: unknown = {}) => byKind(renderMonochart(values, context), 'Deployment').spec.template.spec.containers[0].image;

  test('a digest pins the image and wins over the tag', () => {
    expect(imageOf({ ...CONTEXT, image: { repository: 'ghcr.io/acme/verity-api', tag: '1.4.0', digest: DIGEST } })).toBe(`ghcr.io/acme/verity-api@${DIGEST}`);
    expect(imageOf({ ...CONTEXT, image: { repository: 'ghcr.io/acme/verity-api', digest: DIGEST } })).toBe(`ghcr.io/acme/verity-api@${DIGEST}`);
    expect(imageOf({ ...CONTEXT, image: { repository: 'ghcr.io/acme/verity-api', tag: '1.4.0' } })).toBe('ghcr.io/acme/verity-api:1.4.0');
  });

  test('a container may run its own image; without any image the error says what to do', () => {
    const values = { containers: [{ name: 'app', image: 'nginx:1.27' }] };
    expect(imageOf({ ...CONTEXT, image: undefined }, values)).toBe('nginx:1.27');
    expect(() => renderMonochart({}, { ...CONTEXT, image: undefined })).toThrow(
      "monochart values: containers[0].image: container 'app' has no image: give render the app image (input 'image') or set this key",
    );
  });
});

/** What a team moving verity-api off ECS writes for staging. */
const ECS_MIGRATION = `
strategy: {maxSurge: 1, maxUnavailable: 0}
terminationGracePeriodSeconds: 45
containers:
  - name: api
    command: [node, dist/server.js]
    ports:
      - {name: http, containerPort: 8080}
      - {name: metrics, containerPort: 9464}
    env:
      - {name: NODE_ENV, value: production}
      - {name: PORT, value: '8080'}
      - name: DATABASE_PASSWORD
        valueFrom: {secretKeyRef: {name: verity-api-db, key: password}}
      - name: FEATURE_FLAGS
        valueFrom: {configMapKeyRef: {name: verity-api-settings, key: flags}}
      - name: POD_NAME
        valueFrom: {fieldRef: {fieldPath: metadata.name}}
    envFrom:
      - secretRef: {name: verity-api-env}
    resources:
      requests: {cpu: 250m, memory: 512Mi}
      limits: {memory: 1Gi}
    startupProbe:
      httpGet: {path: /healthz/live, port: http}
      periodSeconds: 2
      failureThreshold: 30
    readinessProbe:
      httpGet: {path: /healthz/ready, port: http}
      periodSeconds: 5
    livenessProbe:
      httpGet: {path: /healthz/live, port: http}
      timeoutSeconds: 2
    lifecycle:
      preStop: {sleep: {seconds: 15}}
    volumeMounts:
      - {name: tmp, mountPath: /tmp}
  - name: envoy
    image: public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod
    ports: [{name: envoy-admin, containerPort: 9901}]
    readinessProbe: {tcpSocket: {port: envoy-admin}}
    resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 128Mi}}
    securityContext: {runAsUser: 1337}
initContainers:
  - name: migrate
    command: [node, dist/migrate.js]
    envFrom: [{secretRef: {name: verity-api-env}}]
  - name: otel-collector
    image: public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0
    restartPolicy: Always
    args: [--config=/etc/otel/config.yaml]
    resources: {requests: {cpu: 50m, memory: 128Mi}, limits: {memory: 256Mi}}
volumes:
  - {name: tmp, emptyDir: {sizeLimit: 1Gi}}
configMaps:
  settings:
    data:
      flags: beta-search,new-billing
      application.yaml: |
        server:
          port: 8080
    mountPath: /etc/verity
  otel:
    data: {config.yaml: "receivers: {otlp: {protocols: {grpc: {}}}}\\n"}
    mountPath: /etc/otel
    mountInto: [otel-collector]
podAnnotations:
  ad.datadoghq.com/api.logs: '[{"source":"nodejs"}]'
topologySpreadConstraints:
  - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}
serviceAccount:
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/verity-api-staging
service:
  ports:
    - {name: http, port: 80}
    - {name: metrics, port: 9464}
ingress:
  enabled: true
  className: alb
  annotations:
    alb.ingress.kubernetes.io/scheme: internet-facing
    alb.ingress.kubernetes.io/target-type: ip
    alb.ingress.kubernetes.io/listen-ports: '[{"HTTPS":443}]'
    alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c
    alb.ingress.kubernetes.io/healthcheck-path: /healthz/ready
  hosts:
    - host: api.staging.verity.example.com
  tls:
    - hosts: [api.staging.verity.example.com]
autoscaling:
  enabled: true
  minReplicas: 3
  maxReplicas: 12
  targetCPUUtilizationPercentage: 70
  behavior:
    scaleDown: {stabilizationWindowSeconds: 300}
podDisruptionBudget:
  enabled: true
  minAvailable: 2
cronJobs:
  nightly-report:
    schedule: '0 3 * * *'
    timeZone: Europe/Berlin
    containers:
      - name: report
        command: [node, dist/report.js]
        envFrom: [{secretRef: {name: verity-api-env}}]
        resources: {requests: {cpu: 100m, memory: 256Mi}, limits: {memory: 512Mi}}
serviceMonitor:
  enabled: true
  port: metrics
  labels: {release: kube-prometheus-stack}
`;

describe('an ECS migration: several containers, a sidecar, secrets, ALB ingress, HPA, PDB, IRSA, a CronJob, a ServiceMonitor', () => {
  const values = loadYaml(ECS_MIGRATION, { file: 'values-staging.yaml' });
  const objects = renderMonochart(values, { ...CONTEXT, image: { repository: 'ghcr.io/acme/verity-api', tag: '1.4.0', digest: DIGEST } });
  const image = `ghcr.io/acme/verity-api@${DIGEST}`;

  test('the objects, in order', () => {
    expect(ids(objects)).toEqual([
      'ServiceAccount/verity-api',
      'ConfigMap/verity-api-otel',
      'ConfigMap/verity-api-settings',
      'Service/verity-api',
      'Deployment/verity-api',
      'HorizontalPodAutoscaler/verity-api',
      'PodDisruptionBudget/verity-api',
      'Ingress/verity-api',
      'CronJob/verity-api-nightly-report',
      'ServiceMonitor/verity-api',
    ]);
    for (const o of objects) expect(o.metadata.namespace).toBe('verity');
  });

  test('the IRSA ServiceAccount', () => {
    const sa = byKind(objects, 'ServiceAccount');
    expect(sa.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/verity-api-staging' });
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  test('ConfigMaps named after the app', () => {
    expect(byKind(objects, 'ConfigMap', 'verity-api-settings').data).toEqual({
      'application.yaml': 'server:\n  port: 8080\n',
      flags: 'beta-search,new-billing',
    });
  });

  test('the Deployment: HPA owns replicas, the pod is complete', () => {
    const d = byKind(objects, 'Deployment');
    expect(d.spec).not.toHaveProperty('replicas');
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const template = d.spec.template;
    expect(template.metadata.labels).toEqual(SELECTOR);
    expect(Object.keys(template.metadata.annotations).sort()).toEqual(['ad.datadoghq.com/api.logs', 'checksum/config', 'kubectl.kubernetes.io/default-container']);
    expect(template.metadata.annotations['kubectl.kubernetes.io/default-container']).toBe('api');
    expect(template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);

    const pod = template.spec;
    expect(pod.serviceAccountName).toBe('verity-api');
    expect(pod.terminationGracePeriodSeconds).toBe(45);
    expect(pod.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: SELECTOR } },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
      { name: 'configmap-otel', configMap: { name: 'verity-api-otel' } },
      { name: 'configmap-settings', configMap: { name: 'verity-api-settings' } },
    ]);
    expect(pod.containers.map((c: Json) => c.name)).toEqual(['api', 'envoy']);
    expect(pod.initContainers.map((c: Json) => c.name)).toEqual(['migrate', 'otel-collector']);
  });

  test('the main container', () => {
    const api = byKind(objects, 'Deployment').spec.template.spec.containers[0];
    expect(api).toEqual({
      name: 'api',
      image,
      imagePullPolicy: 'IfNotPresent',
      command: ['node', 'dist/server.js'],
      ports: [
        { name: 'http', containerPort: 8080, protocol: 'TCP' },
        { name: 'metrics', containerPort: 9464, protocol: 'TCP' },
      ],
      env: [
        { name: 'NODE_ENV', value: 'production' },
        { name: 'PORT', value: '8080' },
        { name: 'DATABASE_PASSWORD', valueFrom: { secretKeyRef: { name: 'verity-api-db', key: 'password' } } },
        { name: 'FEATURE_FLAGS', valueFrom: { configMapKeyRef: { name: 'verity-api-settings', key: 'flags' } } },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
      envFrom: [{ secretRef: { name: 'verity-api-env' } }],
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } },
      volumeMounts: [
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'configmap-settings', mountPath: '/etc/verity', readOnly: true },
      ],
      livenessProbe: { httpGet: { path: '/healthz/live', port: 'http' }, timeoutSeconds: 2 },
      readinessProbe: { httpGet: { path: '/healthz/ready', port: 'http' }, periodSeconds: 5 },
      startupProbe: { httpGet: { path: '/healthz/live', port: 'http' }, periodSeconds: 2, failureThreshold: 30 },
      lifecycle: { preStop: { sleep: { seconds: 15 } } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    });
  });

  test('the sidecars: their own images, security overrides merged over the safe defaults', () => {
    const pod = byKind(objects, 'Deployment').spec.template.spec;
    const envoy = pod.containers[1];
    expect(envoy.image).toBe('public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod');
    expect(envoy.readinessProbe).toEqual({ tcpSocket: { port: 'envoy-admin' } });
    expect(envoy.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsUser: 1337, capabilities: { drop: ['ALL'] } });
    const [migrate, otel] = pod.initContainers;
    expect(migrate).toMatchObject({ image, command: ['node', 'dist/migrate.js'], envFrom: [{ secretRef: { name: 'verity-api-env' } }] });
    expect(migrate).not.toHaveProperty('restartPolicy');
    expect(otel).toMatchObject({
      image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0',
      restartPolicy: 'Always',
      volumeMounts: [{ name: 'configmap-otel', mountPath: '/etc/otel', readOnly: true }],
    });
  });

  test('the Service and the ALB Ingress', () => {
    expect(byKind(objects, 'Service').spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: 'metrics', port: 9464, targetPort: 'metrics', protocol: 'TCP' },
    ]);
    const ingress = byKind(objects, 'Ingress');
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
    });
    expect(ingress.spec).toEqual({
      ingressClassName: 'alb',
      tls: [{ hosts: ['api.staging.verity.example.com'] }],
      rules: [
        {
          host: 'api.staging.verity.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'verity-api', port: { name: 'http' } } } }] },
        },
      ],
    });
  });

  test('the HPA and the PDB', () => {
    expect(byKind(objects, 'HorizontalPodAutoscaler')).toMatchObject({
      apiVersion: 'autoscaling/v2',
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'verity-api' },
        minReplicas: 3,
        maxReplicas: 12,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
      },
    });
    expect(byKind(objects, 'PodDisruptionBudget')).toMatchObject({
      apiVersion: 'policy/v1',
      spec: { minAvailable: 2, selector: { matchLabels: SELECTOR } },
    });
  });

  test('the CronJob shares the app image and security, but never its instance label', () => {
    const cron = byKind(objects, 'CronJob', 'verity-api-nightly-report');
    expect(cron.apiVersion).toBe('batch/v1');
    expect(cron.spec).toMatchObject({
      schedule: '0 3 * * *',
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Forbid',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    const template = cron.spec.jobTemplate.spec.template;
    expect(template.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'verity-api', 'app.kubernetes.io/component': 'nightly-report' });
    expect(template.spec).toMatchObject({
      serviceAccountName: 'verity-api',
      restartPolicy: 'OnFailure',
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'report', image, command: ['node', 'dist/report.js'], securityContext: { allowPrivilegeEscalation: false } }],
    });
  });

  test('the ServiceMonitor scrapes the metrics port', () => {
    expect(byKind(objects, 'ServiceMonitor')).toMatchObject({
      apiVersion: 'monitoring.coreos.com/v1',
      metadata: { labels: { ...SELECTOR, release: 'kube-prometheus-stack' } },
      spec: { selector: { matchLabels: SELECTOR }, endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }] },
    });
  });

  test('a changed ConfigMap rolls the pods; an unrelated change does not touch the template', () => {
    const checksum = (v: unknown) => byKind(renderMonochart(v, CONTEXT), 'Deployment').spec.template.metadata.annotations['checksum/config'];
    const base = values as Json;
    const changed = { ...base, configMaps: { ...base.configMaps, settings: { ...base.configMaps.settings, data: { flags: 'beta-search' } } } };
    expect(checksum(changed)).not.toBe(checksum(base));
    const template = (v: unknown) => byKind(renderMonochart(v, CONTEXT), 'Deployment').spec.template;
    expect(template({ ...base, podDisruptionBudget: { enabled: false }, serviceMonitor: { enabled: false } })).toEqual(template(base));
  });
});

describe('workload variants', () => {
  test('HPA enabled: the workload leaves replicas to it', () => {
    const withHpa = renderMonochart({ replicas: 4, autoscaling: { enabled: true }, containers: [{ name: 'app', resources: { requests: { cpu: '100m' } } }] }, CONTEXT);
    expect(byKind(withHpa, 'Deployment').spec).not.toHaveProperty('replicas');
    expect(byKind(withHpa, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 2, maxReplicas: 10, metrics: [{ resource: { name: 'cpu' } }] });
    expect(byKind(renderMonochart({ replicas: 4 }, CONTEXT), 'Deployment').spec.replicas).toBe(4);
  });

  test('a memory-only HPA gets no CPU target', () => {
    const hpa = byKind(
      renderMonochart({ autoscaling: { enabled: true, targetMemoryUtilizationPercentage: 75 }, containers: [{ name: 'app', resources: { requests: { memory: '1Gi' } } }] }, CONTEXT),
      'HorizontalPodAutoscaler',
    );
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 75 } } }]);
  });

  test('Recreate strategy and a PDB with the default budget', () => {
    const objects = renderMonochart({ replicas: 3, strategy: { type: 'Recreate' }, podDisruptionBudget: { enabled: true } }, CONTEXT);
    expect(byKind(objects, 'Deployment').spec.strategy).toEqual({ type: 'Recreate' });
    expect(byKind(objects, 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: SELECTOR } });
  });

  test('a StatefulSet with its headless Service and volume claims', () => {
    const objects = renderMonochart(
      {
        kind: 'StatefulSet',
        replicas: 3,
        strategy: { partition: 2 },
        statefulSet: { podManagementPolicy: 'Parallel', volumeClaimTemplates: [{ name: 'data', size: '10Gi', storageClassName: 'gp3' }] },
        containers: [{ name: 'app', ports: [{ name: 'http', containerPort: 8080 }], volumeMounts: [{ name: 'data', mountPath: '/var/lib/verity' }] }],
        serviceMonitor: { enabled: true },
      },
      CONTEXT,
    );
    expect(ids(objects)).toEqual(['ServiceAccount/verity-api', 'Service/verity-api', 'Service/verity-api-headless', 'StatefulSet/verity-api', 'ServiceMonitor/verity-api']);
    const set = byKind(objects, 'StatefulSet');
    expect(set.spec).toMatchObject({
      replicas: 3,
      serviceName: 'verity-api-headless',
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: SELECTOR },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '10Gi' } } },
        },
      ],
    });
    expect(set.spec).not.toHaveProperty('strategy');
    expect(byKind(objects, 'Service', 'verity-api-headless').spec).toEqual({
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: SELECTOR,
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
    });
    // Each pod is scraped once, through the main Service.
    expect(byKind(objects, 'ServiceMonitor').spec.selector).toEqual({
      matchLabels: SELECTOR,
      matchExpressions: [{ key: 'monochart.gitops-actions.io/headless', operator: 'DoesNotExist' }],
    });
  });

  test('no ports, no Service; a LoadBalancer Service for an NLB', () => {
    expect(ids(renderMonochart({ containers: [{ name: 'worker', command: ['worker'] }] }, CONTEXT))).toEqual(['ServiceAccount/verity-api', 'Deployment/verity-api']);
    expect(ids(renderMonochart({ service: { enabled: false } }, CONTEXT))).toEqual(['ServiceAccount/verity-api', 'Deployment/verity-api']);
    const nlb = byKind(
      renderMonochart(
        {
          service: {
            type: 'LoadBalancer',
            loadBalancerClass: 'service.k8s.aws/nlb',
            externalTrafficPolicy: 'Local',
            annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal', 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' },
            ports: [{ name: 'http', port: 443, targetPort: 8080, appProtocol: 'https' }],
          },
        },
        CONTEXT,
      ),
      'Service',
    );
    expect(nlb.metadata.annotations['service.beta.kubernetes.io/aws-load-balancer-scheme']).toBe('internal');
    expect(nlb.spec).toEqual({
      type: 'LoadBalancer',
      selector: SELECTOR,
      ports: [{ name: 'http', port: 443, targetPort: 8080, protocol: 'TCP', appProtocol: 'https' }],
      externalTrafficPolicy: 'Local',
      loadBalancerClass: 'service.k8s.aws/nlb',
    });
  });

  test('an existing ServiceAccount, safe defaults overridden one by one', () => {
    const objects = renderMonochart(
      {
        serviceAccount: { create: false, name: 'shared' },
        podSecurityContext: { runAsNonRoot: false, seccompProfile: { type: 'Unconfined' } },
        securityContext: { readOnlyRootFilesystem: false, capabilities: { drop: [] } },
        containers: [{ name: 'app', securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] } } }],
        affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } }] } },
      },
      CONTEXT,
    );
    expect(ids(objects)).toEqual(['Deployment/verity-api']);
    const pod = byKind(objects, 'Deployment').spec.template.spec;
    expect(pod.serviceAccountName).toBe('shared');
    expect(pod.securityContext).toEqual({ runAsNonRoot: false, seccompProfile: { type: 'Unconfined' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, capabilities: { add: ['NET_BIND_SERVICE'] } });
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm).toEqual({
      labelSelector: { matchLabels: SELECTOR },
      topologyKey: 'kubernetes.io/hostname',
    });
  });
});

describe('stable output', () => {
  const values = loadYaml(ECS_MIGRATION, { file: 'values-staging.yaml' });

  test('the same input gives the same output, byte for byte', () => {
    expect(JSON.stringify(renderMonochart(values, CONTEXT))).toBe(JSON.stringify(renderMonochart(structuredClone(values), CONTEXT)));
  });

  test('the order keys are written in does not matter; list order does', () => {
    const reversed = reverseKeys(values);
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(values));
    expect(JSON.stringify(renderMonochart(reversed, CONTEXT))).toBe(JSON.stringify(renderMonochart(values, CONTEXT)));
    const swapped = { ...(values as Json), containers: [...(values as Json).containers].reverse() };
    const pod = byKind(renderMonochart(swapped, CONTEXT), 'Deployment').spec.template.spec;
    expect(pod.containers.map((c: Json) => c.name)).toEqual(['envoy', 'api']);
  });

  test('rendering never changes the values it was given', () => {
    const before = structuredClone(values);
    renderMonochart(values, CONTEXT);
    expect(values).toEqual(before);
  });

  test('no object shares structure with another (the YAML has no aliases)', () => {
    const seen = new Set<object>();
    const walk = (v: unknown) => {
      if (typeof v !== 'object' || v === null) return;
      expect(seen.has(v)).toBe(false);
      seen.add(v);
      Object.values(v).forEach(walk);
    };
    renderMonochart(values, CONTEXT).forEach(walk);
  });
});

describe('kubectl reads what the chart writes', () => {
  test('kubectl kustomize (offline) accepts every object and reads back the same data', () => {
    const values = loadYaml(ECS_MIGRATION, { file: 'values-staging.yaml' }) as Json;
    const objects = [
      ...renderMonochart(values, CONTEXT),
      ...renderMonochart(
        { kind: 'StatefulSet', statefulSet: { volumeClaimTemplates: [{ name: 'data', size: '1Gi' }] }, containers: [{ name: 'db', ports: [{ name: 'pg', containerPort: 5432 }] }] },
        { ...CONTEXT, app: 'verity-db' },
      ),
    ];
    const dir = mkdtempSync(join(tmpdir(), 'monochart-'));
    try {
      const files = objects.map((o, i) => {
        const file = `${String(i).padStart(2, '0')}-${o.kind.toLowerCase()}.yaml`;
        writeFileSync(join(dir, file), dumpYaml(o));
        return file;
      });
      writeFileSync(join(dir, 'kustomization.yaml'), dumpYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: files }));
      const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 });
      const read = loadYamlDocuments(out, { file: 'kubectl kustomize output' }) as K8sObject[];
      const key = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
      expect(read.map(key).sort()).toEqual(objects.map(key).sort());
      for (const o of objects) expect(read.find((r) => key(r) === key(o))).toEqual(o);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}
