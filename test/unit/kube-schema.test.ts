import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { InputError } from '#core/errors/errors.js';
import {
  formatObjectProblem,
  parseKubeVersion,
  STRUCTURE_KUBERNETES_VERSION,
  STRUCTURE_SOURCE,
  validateObject,
  type ObjectValidation,
} from '#core/render/kube-schema/index.js';
import { renderMonochart, type K8sObject, type MonochartContext } from '#core/render/monochart/index.js';
import { withProvenance } from '#core/render/provenance.js';
import { loadYaml, loadYamlDocuments } from '#core/yaml/load-yaml.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CONTEXT: MonochartContext = {
  app: 'ledger',
  environment: 'production',
  namespace: 'payments',
  image: { repository: '210987654321.dkr.ecr.us-east-1.amazonaws.com/ledger', tag: '3.2.1', digest: `sha256:${'c4'.repeat(32)}` },
  version: '3.2.1',
};
const PROVENANCE = {
  app: CONTEXT.app,
  environment: CONTEXT.environment,
  version: '3.2.1+build.7',
  sourceRepository: 'https://github.com/acme/ledger',
  sourceCommit: '9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d',
};

/** Every part of the chart switched on at least once, written the way a team would. */
const RICH_DEPLOYMENT = `
replicas: 4
revisionHistoryLimit: 5
minReadySeconds: 10
strategy: {type: RollingUpdate, maxSurge: 2, maxUnavailable: 10%}
imagePullPolicy: Always
imagePullSecrets: [ghcr-pull]
priorityClassName: business-critical
terminationGracePeriodSeconds: 60
containers:
  - name: ledger
    command: [/app/ledger]
    args: [serve, --listen=:8443]
    workingDir: /app
    ports:
      - {name: https, containerPort: 8443}
      - {name: grpc, containerPort: 9090, protocol: TCP}
      - {name: statsd, containerPort: 8125, protocol: UDP}
      - {name: metrics, containerPort: 9102}
    env:
      - {name: LOG_LEVEL, value: info}
      - {name: WORKERS, value: '8'}
      - {name: FEATURE_X, value: 'true'}
      - name: DB_PASSWORD
        valueFrom: {secretKeyRef: {name: ledger-db, key: password, optional: false}}
      - name: LIMITS
        valueFrom: {configMapKeyRef: {name: ledger-tuning, key: limits, optional: true}}
      - name: NODE_IP
        valueFrom: {fieldRef: {fieldPath: status.hostIP, apiVersion: v1}}
      - name: MEMORY_LIMIT_MB
        valueFrom: {resourceFieldRef: {resource: limits.memory, containerName: ledger, divisor: 1Mi}}
    envFrom:
      - {prefix: APP_, configMapRef: {name: ledger-flags, optional: true}}
      - secretRef: {name: ledger-env}
    resources:
      requests: {cpu: 1, memory: 1Gi, ephemeral-storage: 2Gi}
      limits: {cpu: 2500m, memory: 1.5Gi}
    volumeMounts:
      - {name: scratch, mountPath: /scratch}
      - {name: certs, mountPath: /etc/tls, readOnly: true}
      - {name: tuning, mountPath: /etc/ledger/tuning.yaml, subPath: tuning.yaml}
    startupProbe:
      exec: {command: [/app/ledger, health, --startup]}
      failureThreshold: 60
      periodSeconds: 2
    readinessProbe:
      httpGet: {path: /ready, port: https, scheme: HTTPS, httpHeaders: [{name: X-Probe, value: kubelet}]}
      initialDelaySeconds: 3
      successThreshold: 2
    livenessProbe:
      grpc: {port: 9090, service: ledger.health}
      timeoutSeconds: 3
      terminationGracePeriodSeconds: 20
    lifecycle:
      postStart: {httpGet: {path: /warm, port: 8443, scheme: HTTPS, host: 127.0.0.1}}
      preStop: {exec: {command: [sh, -c, sleep 20]}}
    securityContext:
      runAsUser: 10001
      runAsGroup: 10001
      capabilities: {add: [NET_BIND_SERVICE]}
      seccompProfile: {type: RuntimeDefault}
  - name: statsd-exporter
    image: prom/statsd-exporter:v0.27.1
    imagePullPolicy: IfNotPresent
    ports: [{name: exporter, containerPort: 9125}]
    livenessProbe: {tcpSocket: {port: exporter}, periodSeconds: 30}
    resources: {requests: {cpu: 20m, memory: 32Mi}, limits: {memory: 64Mi}}
initContainers:
  - name: schema-migrate
    command: [/app/ledger, migrate]
    envFrom: [{secretRef: {name: ledger-env}}]
    resources: {requests: {cpu: 200m, memory: 256Mi}}
  - name: log-shipper
    image: fluent/fluent-bit:3.1
    restartPolicy: Always
    lifecycle: {preStop: {sleep: {seconds: 5}}}
    readinessProbe: {httpGet: {path: /api/v1/health, port: 2020}}
volumes:
  - {name: scratch, emptyDir: {medium: Memory, sizeLimit: 256Mi}}
  - name: certs
    projected:
      defaultMode: 288
      sources:
        - secret: {name: ledger-tls, items: [{key: tls.crt, path: tls.crt}, {key: tls.key, path: tls.key, mode: 256}]}
        - configMap: {name: ledger-ca, optional: true}
        - serviceAccountToken: {path: token, audience: vault, expirationSeconds: 3600}
        - downwardAPI:
            items:
              - {path: labels, fieldRef: {fieldPath: metadata.labels}}
              - {path: cpu-limit, resourceFieldRef: {resource: limits.cpu, containerName: ledger, divisor: 1m}}
  - {name: tuning, configMap: {name: ledger-tuning, defaultMode: 420, items: [{key: tuning.yaml, path: tuning.yaml}]}}
  - {name: legacy-secret, secret: {secretName: ledger-legacy, defaultMode: 256, optional: true}}
  - {name: archive, persistentVolumeClaim: {claimName: ledger-archive, readOnly: true}}
  - name: vault
    csi:
      driver: secrets-store.csi.k8s.io
      readOnly: true
      volumeAttributes: {secretProviderClass: ledger}
      nodePublishSecretRef: {name: ledger-csi}
podAnnotations:
  vault.hashicorp.com/agent-inject: 'true'
  ad.datadoghq.com/ledger.checks: '{"openmetrics": {}}'
podLabels: {tier: backend, team: payments}
nodeSelector: {kubernetes.io/arch: arm64, node.kubernetes.io/instance-type: m7g.xlarge}
tolerations:
  - {key: dedicated, operator: Equal, value: payments, effect: NoSchedule}
  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 60}
affinity:
  nodeAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      nodeSelectorTerms:
        - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [us-east-1a, us-east-1b]}]
    preferredDuringSchedulingIgnoredDuringExecution:
      - {weight: 50, preference: {matchExpressions: [{key: karpenter.sh/capacity-type, operator: NotIn, values: [spot]}]}}
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - {topologyKey: kubernetes.io/hostname}
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: topology.kubernetes.io/zone
          labelSelector: {matchExpressions: [{key: tier, operator: In, values: [backend]}]}
          matchLabelKeys: [pod-template-hash]
topologySpreadConstraints:
  - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, minDomains: 2, nodeTaintsPolicy: Honor, matchLabelKeys: [pod-template-hash]}
serviceAccount:
  annotations: {eks.amazonaws.com/role-arn: 'arn:aws:iam::210987654321:role/ledger'}
  automountServiceAccountToken: true
podSecurityContext:
  runAsUser: 10001
  runAsGroup: 10001
  fsGroup: 10001
  fsGroupChangePolicy: OnRootMismatch
  supplementalGroups: [2000, 3000]
  sysctls: [{name: net.ipv4.tcp_keepalive_time, value: '60'}]
securityContext:
  readOnlyRootFilesystem: true
  capabilities: {drop: [ALL]}
service:
  type: LoadBalancer
  annotations: {service.beta.kubernetes.io/aws-load-balancer-type: external}
  externalTrafficPolicy: Local
  loadBalancerClass: service.k8s.aws/nlb
  loadBalancerSourceRanges: [10.0.0.0/8]
  ports:
    - {name: https, port: 443, targetPort: https, appProtocol: https}
    - {name: grpc, port: 9090, targetPort: 9090, protocol: TCP, nodePort: 30090, appProtocol: kubernetes.io/h2c}
    - {name: metrics, port: 9102}
ingress:
  enabled: true
  className: nginx
  annotations: {nginx.ingress.kubernetes.io/backend-protocol: HTTPS}
  hosts:
    - host: ledger.example.com
      paths:
        - {path: /, pathType: Prefix}
        - {path: /v1/stream, pathType: Exact, port: grpc}
        - {path: /admin, pathType: ImplementationSpecific, service: ledger-admin, port: 8080}
    - paths: [{path: /healthz}]
  tls:
    - {hosts: [ledger.example.com], secretName: ledger-example-com-tls}
autoscaling:
  enabled: true
  minReplicas: 4
  maxReplicas: 40
  targetCPUUtilizationPercentage: 65
  targetMemoryUtilizationPercentage: 80
  behavior:
    scaleUp:
      stabilizationWindowSeconds: 0
      selectPolicy: Max
      policies: [{type: Percent, value: 100, periodSeconds: 15}, {type: Pods, value: 4, periodSeconds: 15}]
    scaleDown: {stabilizationWindowSeconds: 600, selectPolicy: Min}
podDisruptionBudget:
  enabled: true
  maxUnavailable: 25%
  unhealthyPodEvictionPolicy: AlwaysAllow
configMaps:
  tuning:
    data: {tuning.yaml: "pool: 16\\n", limits: '100'}
    mountPath: /etc/ledger/conf
    mountInto: [ledger, statsd-exporter]
  flags:
    data: {NEW_LEDGER: 'on'}
cronJobs:
  reconcile:
    schedule: '*/15 * * * *'
    timeZone: America/New_York
    concurrencyPolicy: Replace
    suspend: false
    startingDeadlineSeconds: 120
    successfulJobsHistoryLimit: 5
    failedJobsHistoryLimit: 2
    backoffLimit: 2
    activeDeadlineSeconds: 900
    ttlSecondsAfterFinished: 3600
    restartPolicy: Never
    containers:
      - name: reconcile
        args: [reconcile, --since=15m]
        env: [{name: DRY_RUN, value: 'false'}]
        resources: {requests: {cpu: 500m, memory: 512Mi}, limits: {memory: 1Gi}}
        volumeMounts: [{name: work, mountPath: /work}]
    initContainers:
      - {name: wait-db, image: busybox:1.36, command: [sh, -c, 'until nc -z db 5432; do sleep 1; done']}
    volumes: [{name: work, emptyDir: {}}]
    podAnnotations: {sidecar.istio.io/inject: 'false'}
    podLabels: {job: reconcile}
    nodeSelector: {kubernetes.io/os: linux}
    tolerations: [{key: batch, operator: Exists}]
    terminationGracePeriodSeconds: 30
    priorityClassName: batch-low
  purge:
    schedule: '@daily'
    containers: [{name: purge, args: [purge]}]
serviceMonitor:
  enabled: true
  port: metrics
  path: /metrics
  interval: 15s
  scrapeTimeout: 10s
  scheme: http
  honorLabels: true
  labels: {release: kube-prometheus-stack}
`;

const RICH_STATEFULSET = `
kind: StatefulSet
replicas: 3
strategy: {type: RollingUpdate, partition: 1}
statefulSet:
  podManagementPolicy: Parallel
  volumeClaimTemplates:
    - {name: data, size: 50Gi, storageClassName: gp3, accessModes: [ReadWriteOnce], annotations: {backup.velero.io/backup-volumes: data}}
    - {name: wal, size: 5Gi, accessModes: [ReadWriteOncePod]}
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Retain, whenScaled: Delete}
containers:
  - name: ledger
    ports: [{name: peer, containerPort: 7000}, {name: client, containerPort: 7001}]
    volumeMounts: [{name: data, mountPath: /var/lib/ledger}, {name: wal, mountPath: /var/lib/wal}]
    readinessProbe: {tcpSocket: {port: client}}
    resources: {requests: {cpu: '0.5', memory: 2Gi}, limits: {memory: 2Gi}}
podDisruptionBudget: {enabled: true, minAvailable: 2}
`;

const rendered = (valuesYaml: string, file: string): K8sObject[] =>
  renderMonochart(loadYaml(valuesYaml, { file }), CONTEXT).map((o) => withProvenance(o, PROVENANCE));

/** Shortest way to see every problem of an object in a failure message. */
const problemsOf = (obj: unknown, kubeVersion = '1.32'): string[] =>
  validateObject(obj, kubeVersion).problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));

const deployment = (podSpec: Record<string, unknown>, meta: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'ledger', ...meta },
  spec: {
    selector: { matchLabels: { app: 'ledger' } },
    template: { metadata: { labels: { app: 'ledger' } }, spec: podSpec },
  },
});
const container = (extra: Record<string, unknown> = {}) => ({ name: 'app', image: 'nginx:1.27', ...extra });

describe('everything the builtin monochart renders is valid Kubernetes', () => {
  const deploymentObjects = rendered(RICH_DEPLOYMENT, 'values-production.yaml');
  const statefulObjects = rendered(RICH_STATEFULSET, 'values-statefulset.yaml');
  const defaults = rendered('{}', 'values.yaml');

  test('the rich values render every kind the chart has', () => {
    const kinds = new Set([...deploymentObjects, ...statefulObjects].map((o) => `${o.apiVersion} ${o.kind}`));
    expect([...kinds].sort()).toEqual([
      'apps/v1 Deployment',
      'apps/v1 StatefulSet',
      'autoscaling/v2 HorizontalPodAutoscaler',
      'batch/v1 CronJob',
      'monitoring.coreos.com/v1 ServiceMonitor',
      'networking.k8s.io/v1 Ingress',
      'policy/v1 PodDisruptionBudget',
      'v1 ConfigMap',
      'v1 Service',
      'v1 ServiceAccount',
    ]);
  });

  test.each(['1.23', '1.29', '1.32', '1.36'])('zero problems for Kubernetes %s', (kubeVersion) => {
    for (const o of [...deploymentObjects, ...statefulObjects, ...defaults]) {
      const result = validateObject(o, kubeVersion);
      expect(result.problems.map((p) => formatObjectProblem(o, p))).toEqual([]);
      expect(result.validated).toBe(o.kind !== 'ServiceMonitor');
    }
  });

  test('the ServiceMonitor is a custom resource: skipped, and the caller is told so', () => {
    const monitor = deploymentObjects.find((o) => o.kind === 'ServiceMonitor');
    expect(validateObject(monitor, '1.32')).toEqual({ validated: false, skipped: 'custom resource', problems: [] });
  });

  test('Kubernetes 1.22 does not serve the chart HorizontalPodAutoscaler API', () => {
    const hpa = deploymentObjects.find((o) => o.kind === 'HorizontalPodAutoscaler');
    expect(problemsOf(hpa, '1.22')).toEqual(['autoscaling/v2 HorizontalPodAutoscaler is not served by Kubernetes 1.22 (available from 1.23): use autoscaling/v2beta2']);
  });
});

/** What kubectl, kustomize and helm charts commonly emit, beyond the monochart's kinds. */
const OTHER_MANIFESTS = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com, creationTimestamp: null}
spec:
  group: example.com
  names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget, shortNames: [wd]}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      subresources: {status: {}}
      additionalPrinterColumns: [{name: Size, type: integer, jsonPath: .spec.size}]
      schema:
        openAPIV3Schema:
          type: object
          additionalProperties: false
          properties:
            spec:
              type: object
              required: [size]
              x-kubernetes-validations: [{rule: self.size <= 10, message: too big}]
              properties:
                size: {type: integer, minimum: 1, default: 1}
                mode: {type: string, enum: [fast, safe]}
                extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
status:
  acceptedNames: {kind: '', plural: ''}
  conditions: []
  storedVersions: []
---
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: payments}
type: Opaque
data: {password: aHVudGVyMg==}
stringData: {username: ledger}
---
apiVersion: v1
kind: Service
metadata: {name: db, creationTimestamp: null}
spec:
  clusterIP: None
  ports: [{port: 5432, targetPort: postgres}]
  selector: {app: db}
status: {loadBalancer: {}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
rules: [{apiGroups: [''], resources: [configmaps], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: ledger, namespace: payments}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, annotations: {argocd.argoproj.io/hook: PreSync}}
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: ledger:3.2.1, args: [migrate]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ledger}
spec:
  podSelector: {matchLabels: {app: ledger}}
  policyTypes: [Ingress]
  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}], ports: [{port: 8443, protocol: TCP}]}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: archive}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 100Gi}}, storageClassName: gp3}
`;

test('manifests other tools write are valid too', () => {
  const docs = loadYamlDocuments(OTHER_MANIFESTS, { file: 'manifests.yaml' });
  expect(docs).toHaveLength(8);
  for (const doc of docs) expect({ doc: (doc as K8sObject).kind, problems: problemsOf(doc) }).toEqual({ doc: (doc as K8sObject).kind, problems: [] });
});

describe('types, as the API server decodes them', () => {
  test('an integer given as a string', () => {
    const obj = deployment({ containers: [container({ ports: [{ containerPort: '8080' }] })] });
    expect(validateObject(obj, '1.32').problems).toEqual([
      { path: 'spec.template.spec.containers[0].ports[0].containerPort', message: "expected integer, got string '8080'" },
    ]);
  });

  test('integers: fractions and numbers beyond 32 bits are refused where the API has int32', () => {
    const obj = deployment({ containers: [container()], terminationGracePeriodSeconds: 2 ** 40 });
    (obj.spec as Record<string, unknown>).replicas = 2 ** 31;
    (obj.spec as Record<string, unknown>).minReadySeconds = 1.5;
    expect(problemsOf(obj)).toEqual([
      'spec.replicas: expected a 32-bit integer, got integer 2147483648',
      'spec.minReadySeconds: expected integer, got number 1.5',
    ]);
  });

  test('int-or-string takes either, and nothing else', () => {
    const ok = deployment({ containers: [container({ readinessProbe: { httpGet: { port: 'http' } }, livenessProbe: { tcpSocket: { port: 8080 } } })] });
    (ok.spec as Record<string, unknown>).strategy = { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } };
    expect(problemsOf(ok)).toEqual([]);
    const bad = deployment({ containers: [container({ readinessProbe: { httpGet: { port: true } } })] });
    (bad.spec as Record<string, unknown>).strategy = { rollingUpdate: { maxSurge: 1.5 } };
    // In the order of the object's own fields, as a reader meets them in the file.
    expect(problemsOf(bad)).toEqual([
      'spec.template.spec.containers[0].readinessProbe.httpGet.port: expected integer or string, got boolean true',
      'spec.strategy.rollingUpdate.maxSurge: expected integer or string, got number 1.5',
    ]);
  });

  test('quantities are strings or numbers in Kubernetes quantity syntax', () => {
    const ok = deployment({ containers: [container({ resources: { requests: { cpu: 0.5, memory: '512Mi' }, limits: { cpu: 2, memory: '1e9' } } })] });
    expect(problemsOf(ok)).toEqual([]);
    const bad = deployment({ containers: [container({ resources: { requests: { cpu: true, memory: '1 Gi' }, limits: { memory: '2GB' } } })] });
    expect(problemsOf(bad)).toEqual([
      'spec.template.spec.containers[0].resources.requests.cpu: expected a quantity like 250m, 0.5, 512Mi or 2Gi, got boolean true',
      "spec.template.spec.containers[0].resources.requests.memory: expected a quantity like 250m, 0.5, 512Mi or 2Gi, got string '1 Gi'",
      "spec.template.spec.containers[0].resources.limits.memory: expected a quantity like 250m, 0.5, 512Mi or 2Gi, got string '2GB'",
    ]);
  });

  test('date-times are RFC 3339 strings; null is "not set"', () => {
    expect(problemsOf(deployment({ containers: [container()] }, { creationTimestamp: null }))).toEqual([]);
    expect(problemsOf(deployment({ containers: [container()] }, { creationTimestamp: '2025-01-31T12:00:00Z' }))).toEqual([]);
    expect(problemsOf(deployment({ containers: [container()] }, { creationTimestamp: '2025-01-31 12:00' }))).toEqual([
      "metadata.creationTimestamp: expected an RFC 3339 date-time like '2025-01-31T12:00:00Z', got string '2025-01-31 12:00'",
    ]);
  });

  test('string maps need strings: the classic unquoted "true" in labels, annotations and env values', () => {
    const obj = deployment({ containers: [container({ env: [{ name: 'DEBUG', value: true }, { name: 'PORT', value: 8080 }] })] }, {
      labels: { canary: true },
      annotations: { 'prometheus.io/port': 9102 },
    });
    expect(problemsOf(obj)).toEqual([
      'metadata.labels.canary: expected string, got boolean true (quote it: "true")',
      'metadata.annotations["prometheus.io/port"]: expected string, got integer 9102 (quote it: "9102")',
      'spec.template.spec.containers[0].env[0].value: expected string, got boolean true (quote it: "true")',
      'spec.template.spec.containers[0].env[1].value: expected string, got integer 8080 (quote it: "8080")',
    ]);
  });

  test('lists, maps and objects where the API has them', () => {
    const obj = deployment({ containers: [container({ args: '--verbose', securityContext: 'restricted' })], nodeSelector: ['arm64'] });
    expect(problemsOf(obj)).toEqual([
      'spec.template.spec.containers[0].args: expected a list, got string',
      'spec.template.spec.containers[0].securityContext: expected an object, got string',
      'spec.template.spec.nodeSelector: expected a map, got a list',
    ]);
  });

  test("a Secret's values never appear in a message", () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: 'hunter2', ok: 'aHVudGVyMg==' }, stringData: { pin: 1234 } };
    const problems = problemsOf(secret);
    expect(problems).toEqual([
      'data.password: expected base64-encoded data, got text that is not base64 (value not shown)',
      'stringData.pin: expected string, got integer (value not shown)',
    ]);
    expect(problems.join('\n')).not.toMatch(/hunter2|1234/);
  });
});

describe('fields', () => {
  test('an unknown field, with a suggestion', () => {
    const obj = deployment({ containers: [container({ imagePullPolicyy: 'Always' })] });
    expect(validateObject(obj, '1.32').problems).toEqual([
      { path: 'spec.template.spec.containers[0]', message: "unknown field 'imagePullPolicyy' (did you mean 'imagePullPolicy'?)" },
    ]);
  });

  test('an unknown field with nothing close, and one at the top', () => {
    const obj = { ...deployment({ containers: [container({ debugMode: true })] }), spce: {} };
    expect(problemsOf(obj)).toEqual(["spec.template.spec.containers[0]: unknown field 'debugMode'", "unknown field 'spce' (did you mean 'spec'?)"]);
  });

  test('a missing required field, also when it is null', () => {
    expect(validateObject(deployment({}), '1.32').problems).toEqual([{ path: 'spec.template.spec', message: "missing required field 'containers'" }]);
    expect(problemsOf(deployment({ containers: null }))).toEqual(["spec.template.spec: missing required field 'containers'"]);
    expect(problemsOf(deployment({ containers: [{ image: 'nginx' }] }))).toEqual(["spec.template.spec.containers[0]: missing required field 'name'"]);
  });

  test('metadata: its fields, label and annotation keys, label values', () => {
    const obj = deployment({ containers: [container()] }, { label: { a: 'b' }, labels: { team: 'platform team', 'bad key!': 'x' }, annotations: { '-bad': 'ok' } });
    expect(problemsOf(obj)).toEqual([
      "metadata: unknown field 'label' (did you mean 'labels'?)",
      "metadata.labels.team: 'platform team' is not a label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)",
      "metadata.labels: key 'bad key!' is not a label or annotation key ([prefix/]name, the name at most 63 letters, digits, '-', '_' or '.')",
      "metadata.annotations: key '-bad' is not a label or annotation key ([prefix/]name, the name at most 63 letters, digits, '-', '_' or '.')",
    ]);
  });

  test('status is checked like the rest when present', () => {
    const obj = { ...deployment({ containers: [container()] }), status: { replicas: 'three', observedGeneration: 2 } };
    expect(problemsOf(obj)).toEqual(["status.replicas: expected integer, got string 'three'"]);
  });

  test('formatObjectProblem names the object for the log', () => {
    const obj = deployment({});
    const [problem] = validateObject(obj, '1.32').problems;
    expect(formatObjectProblem(obj, problem!)).toBe("Deployment ledger: spec.template.spec: missing required field 'containers'");
    expect(formatObjectProblem({ kind: 'Ingress', metadata: { name: 'web' } }, { path: '', message: 'x' })).toBe('Ingress web: x');
  });
});

describe('which apiVersions a Kubernetes release serves', () => {
  const pdb = (apiVersion: string) => ({ apiVersion, kind: 'PodDisruptionBudget', metadata: { name: 'ledger' }, spec: { maxUnavailable: 1 } });
  const typed = (apiVersion: string, kind: string) => ({ apiVersion, kind, metadata: { name: 'x' } });

  test('a removed API names its replacement', () => {
    expect(problemsOf(pdb('policy/v1beta1'))).toEqual(['policy/v1beta1 PodDisruptionBudget is not served by Kubernetes 1.32 (removed in 1.25): use policy/v1']);
    expect(problemsOf(typed('extensions/v1beta1', 'Ingress'))).toEqual(['extensions/v1beta1 Ingress is not served by Kubernetes 1.32 (removed in 1.22): use networking.k8s.io/v1']);
    expect(problemsOf(typed('networking.k8s.io/v1beta1', 'Ingress'), '1.22')).toEqual([
      'networking.k8s.io/v1beta1 Ingress is not served by Kubernetes 1.22 (removed in 1.22): use networking.k8s.io/v1',
    ]);
    expect(problemsOf(typed('batch/v1beta1', 'CronJob'), '1.25')).toEqual(['batch/v1beta1 CronJob is not served by Kubernetes 1.25 (removed in 1.25): use batch/v1']);
    expect(problemsOf(typed('autoscaling/v2beta2', 'HorizontalPodAutoscaler'), 'v1.26.4')).toEqual([
      'autoscaling/v2beta2 HorizontalPodAutoscaler is not served by Kubernetes 1.26 (removed in 1.26): use autoscaling/v2',
    ]);
    expect(problemsOf(typed('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema'))).toEqual([
      'flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is not served by Kubernetes 1.32 (removed in 1.32): use flowcontrol.apiserver.k8s.io/v1',
    ]);
  });

  test('the replacement is one the release serves', () => {
    expect(problemsOf(typed('flowcontrol.apiserver.k8s.io/v1beta1', 'PriorityLevelConfiguration'), '1.27')).toEqual([
      'flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration is not served by Kubernetes 1.27 (removed in 1.26): use flowcontrol.apiserver.k8s.io/v1beta3',
    ]);
    expect(problemsOf(typed('events.k8s.io/v1beta1', 'Event'))).toEqual(['events.k8s.io/v1beta1 Event is not served by Kubernetes 1.32 (removed in 1.25): use events.k8s.io/v1']);
  });

  test('a removed API with no replacement says what to do instead', () => {
    expect(problemsOf(typed('policy/v1beta1', 'PodSecurityPolicy'))).toEqual([
      'policy/v1beta1 PodSecurityPolicy is not served by Kubernetes 1.32 (removed in 1.25); PodSecurityPolicy has no replacement API: enforce pod security with Pod Security Admission (pod-security.kubernetes.io/* namespace labels)',
    ]);
  });

  test('an API newer than the release', () => {
    expect(problemsOf(pdb('policy/v1'), '1.20')).toEqual(['policy/v1 PodDisruptionBudget is not served by Kubernetes 1.20 (available from 1.21): use policy/v1beta1']);
    expect(problemsOf(typed('batch/v1', 'CronJob'), '1.20')).toEqual(['batch/v1 CronJob is not served by Kubernetes 1.20 (available from 1.21): use batch/v1beta1']);
    expect(problemsOf(typed('resource.k8s.io/v1', 'DeviceClass'), '1.32')).toEqual([
      'resource.k8s.io/v1 DeviceClass is not served by Kubernetes 1.32 (available from 1.34): use resource.k8s.io/v1beta1',
    ]);
  });

  test('an API the release serves but the structure no longer has is let through, and said to be unchecked', () => {
    expect(validateObject(pdb('policy/v1beta1'), '1.24')).toEqual({
      validated: false,
      skipped: `policy/v1beta1 is older than the Kubernetes ${STRUCTURE_KUBERNETES_VERSION} structure`,
      problems: [],
    });
  });

  test('kinds and versions that never existed in a built-in group', () => {
    expect(problemsOf(typed('apps/v1', 'Deploymnet'))).toEqual(["apps/v1 has no kind 'Deploymnet' (did you mean 'Deployment'?)"]);
    expect(problemsOf(typed('v1', 'Sevice'))).toEqual(["v1 has no kind 'Sevice' (did you mean 'Service'?)"]);
    expect(problemsOf(typed('apps/v1beta3', 'Deployment'))).toEqual(['apps/v1beta3 Deployment is not a Kubernetes API: use apps/v1']);
  });

  test('custom resources are not validated', () => {
    const expected: ObjectValidation = { validated: false, skipped: 'custom resource', problems: [] };
    expect(validateObject({ ...typed('monitoring.coreos.com/v1', 'ServiceMonitor'), spec: { anything: ['goes'] } }, '1.32')).toEqual(expected);
    expect(validateObject({ ...typed('argoproj.io/v1alpha1', 'Rollout'), spec: { replicas: 'three' } }, '1.32')).toEqual(expected);
    expect(validateObject(typed('gateway.networking.k8s.io/v1', 'HTTPRoute'), '1.32')).toEqual(expected);
  });

  test('an object without apiVersion or kind', () => {
    expect(problemsOf({ metadata: { name: 'x' } })).toEqual(["missing required field 'apiVersion'", "missing required field 'kind'"]);
    expect(problemsOf(['not', 'an', 'object'])).toEqual(['not a Kubernetes object (expected a map with apiVersion and kind)']);
  });
});

describe('kube-version', () => {
  test.each([
    ['1.32', 32],
    ['v1.32', 32],
    ['1.32.3', 32],
    [' v1.29.10-eks-bc803b4 ', 29],
    ['1.16', 16],
  ])('%s is Kubernetes 1.%i', (text, minor) => {
    expect(parseKubeVersion(text)).toEqual({ major: 1, minor, text: `1.${minor}` });
  });

  test.each([
    ['latest', "input 'kube-version' must be a Kubernetes version such as 1.32, v1.32 or 1.32.3 (got 'latest')"],
    ['', "input 'kube-version' must be a Kubernetes version such as 1.32, v1.32 or 1.32.3 (got '')"],
    ['1', "input 'kube-version' must be a Kubernetes version such as 1.32, v1.32 or 1.32.3 (got '1')"],
    ['1.32.x', "input 'kube-version' must be a Kubernetes version such as 1.32, v1.32 or 1.32.3 (got '1.32.x')"],
    ['2.0', "input 'kube-version' must be a Kubernetes version such as 1.32, v1.32 or 1.32.3: every Kubernetes release so far is 1.x (got '2.0')"],
    ['1.15', "input 'kube-version' must be a Kubernetes version such as 1.32, v1.32 or 1.32.3, 1.16 or later (got '1.15')"],
    ['1.032', "input 'kube-version' must be a Kubernetes version such as 1.32, v1.32 or 1.32.3, 1.16 or later (got '1.032')"],
  ])('%j is refused', (text, message) => {
    expect(() => parseKubeVersion(text)).toThrow(new InputError(message));
    expect(() => validateObject(deployment({}), text)).toThrow(InputError);
  });

  test('the input name in the message can be changed', () => {
    expect(() => parseKubeVersion('x', "gitops.yaml: kubeVersion")).toThrow("gitops.yaml: kubeVersion must be a Kubernetes version");
  });
});

describe('kube-schema.json', () => {
  const script = join(ROOT, 'scripts', 'generate-kube-schema.mjs');
  const committed = join(ROOT, 'packages', 'core', 'src', 'render', 'kube-schema', 'kube-schema.json');
  const dir = mkdtempSync(join(tmpdir(), 'kube-schema-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

  test('the committed JSON is what the installed client gives (npm run generate:kube-schema)', () => {
    const result = run('--check');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('the check fails on a stale copy and says how to fix it', () => {
    const stale = join(dir, 'kube-schema.json');
    copyFileSync(committed, stale);
    writeFileSync(stale, readFileSync(stale, 'utf8').replace('"V1EnvVar":{"name":"!s"', '"V1EnvVar":{"name":"s"'));
    const result = run('--check', '--file', stale);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('is stale');
    expect(result.stderr).toContain('npm run generate:kube-schema');
  });

  test('it says which Kubernetes release the structure is from', () => {
    const file = JSON.parse(readFileSync(committed, 'utf8')) as { generatedFrom: { kubernetes: string; version: string } };
    const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@kubernetes', 'client-node', 'package.json'), 'utf8')) as { version: string };
    expect(file.generatedFrom).toEqual({ package: '@kubernetes/client-node', version: pkg.version, kubernetes: STRUCTURE_KUBERNETES_VERSION });
    expect(STRUCTURE_SOURCE).toBe(`@kubernetes/client-node ${pkg.version}`);
    expect(STRUCTURE_KUBERNETES_VERSION).toMatch(/^1\.\d+$/);
  });
});
