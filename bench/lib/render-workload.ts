/**
 * Generates the render benchmark's workspace: N apps × 3 environments, each app described twice
 * with the same objects, once as builtin monochart values and once as a kustomize base with
 * one overlay per environment. Deterministic (seeded PRNG), written as plain YAML text.
 *
 * Layout under `<workspace>/apps/<app>/`:
 *   values.yaml, values-<env>.yaml          monochart values (base, then the environment's)
 *   kustomize/base/*.yaml                   ServiceAccount, Deployment, Service (+ Ingress, HPA, PDB, ConfigMap)
 *   kustomize/overlays/<env>/*.yaml         namespace, replicas, images, patches for env/host/HPA
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mulberry32 } from './seeded-random.js';

export const ENVIRONMENTS = ['staging', 'qa', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface AppSpec {
  name: string;
  team: string;
  main: string;
  port: number;
  metrics: boolean;
  sidecar: boolean;
  ingress: boolean;
  hpa: boolean;
  pdb: boolean;
  configMap: boolean;
  /** Environment variables common to every environment. */
  env: readonly (readonly [string, string])[];
  secretEnv: boolean;
}

export interface Workload {
  workspace: string;
  apps: AppSpec[];
  /** Objects each (app, environment) pair must render to, by kind. */
  kinds(app: AppSpec): string[];
  valuesFiles(app: AppSpec, env: Environment): string[];
  overlay(app: AppSpec, env: Environment): string;
  namespace(app: AppSpec, env: Environment): string;
  image(app: AppSpec): string;
  tag: string;
}


const DOMAINS = ['orders', 'billing', 'catalog', 'search', 'users', 'payments', 'shipping', 'inventory', 'reviews', 'notify'];
const ROLES = ['api', 'web', 'worker', 'gateway', 'sync'];
const TEAMS = ['checkout', 'platform', 'growth', 'core'];
const TAG = '1.4.0';

const REPLICAS: Record<Environment, number> = { staging: 1, qa: 2, production: 4 };
const LOG_LEVEL: Record<Environment, string> = { staging: 'debug', qa: 'info', production: 'warn' };
const HPA_RANGE: Record<Environment, [number, number]> = { staging: [1, 2], qa: [2, 4], production: [3, 12] };
const RESOURCES: Record<Environment, { cpu: string; memory: string; limit: string }> = {
  staging: { cpu: '100m', memory: '128Mi', limit: '256Mi' },
  qa: { cpu: '100m', memory: '128Mi', limit: '256Mi' },
  production: { cpu: '500m', memory: '512Mi', limit: '1Gi' },
};

function host(app: AppSpec, env: Environment): string {
  return env === 'production' ? `${app.name}.example.com` : `${app.name}.${env}.example.com`;
}

export function makeApps(count: number, seed = 42): AppSpec[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const apps: AppSpec[] = [];
  for (let i = 0; i < count; i++) {
    const role = pick(ROLES);
    const name = `${pick(DOMAINS)}-${role}-${String(i).padStart(3, '0')}`;
    const env: [string, string][] = [
      ['LOG_FORMAT', 'json'],
      ['HTTP_PORT', '8080'],
      ['OTEL_SERVICE_NAME', name],
    ];
    const extra = Math.floor(random() * 4);
    for (let e = 0; e < extra; e++) env.push([`FEATURE_${e}_ENABLED`, random() < 0.5 ? 'true' : 'false']);
    apps.push({
      name,
      team: pick(TEAMS),
      main: role === 'worker' ? 'worker' : 'app',
      port: 8080,
      metrics: random() < 0.5,
      sidecar: i % 4 === 1,
      ingress: role !== 'worker' && i % 3 === 0,
      hpa: i % 4 === 0,
      pdb: i % 5 === 0,
      configMap: i % 3 === 1,
      env,
      secretEnv: random() < 0.6,
    });
  }
  return apps;
}

/** A YAML list of env entries, indented by `pad`. */
function envYaml(app: AppSpec, env: Environment | undefined, pad: string): string {
  const lines: string[] = [];
  for (const [k, v] of app.env) lines.push(`${pad}- name: ${k}`, `${pad}  value: "${v}"`);
  if (env) lines.push(`${pad}- name: ENVIRONMENT`, `${pad}  value: ${env}`, `${pad}- name: LOG_LEVEL`, `${pad}  value: ${LOG_LEVEL[env]}`);
  if (app.secretEnv) {
    lines.push(`${pad}- name: DATABASE_PASSWORD`, `${pad}  valueFrom:`, `${pad}    secretKeyRef:`, `${pad}      name: ${app.name}-db`, `${pad}      key: password`);
  }
  return lines.join('\n');
}

/** The monochart `containers:` list for one environment (lists replace, so each environment restates it). */
function valuesContainers(app: AppSpec, env: Environment): string {
  const r = RESOURCES[env];
  const out = [
    'containers:',
    `  - name: ${app.main}`,
    '    ports:',
    '      - name: http',
    `        containerPort: ${app.port}`,
    ...(app.metrics ? ['      - name: metrics', '        containerPort: 9090'] : []),
    '    env:',
    envYaml(app, env, '      '),
    '    readinessProbe:',
    '      httpGet:',
    '        path: /healthz/ready',
    '        port: http',
    '      periodSeconds: 5',
    '    livenessProbe:',
    '      httpGet:',
    '        path: /healthz/live',
    '        port: http',
    '      initialDelaySeconds: 10',
    '      failureThreshold: 3',
    '    resources:',
    `      requests: {cpu: ${r.cpu}, memory: ${r.memory}}`,
    `      limits: {memory: ${r.limit}}`,
  ];
  if (app.sidecar) {
    out.push(
      '  - name: proxy',
      '    image: docker.io/envoyproxy/envoy:v1.31.2',
      '    args: ["--config-path", "/etc/envoy/envoy.yaml"]',
      '    ports:',
      '      - name: admin',
      '        containerPort: 9901',
      '    readinessProbe:',
      '      tcpSocket: {port: admin}',
      '    resources:',
      '      requests: {cpu: 50m, memory: 64Mi}',
      '      limits: {memory: 128Mi}',
    );
  }
  return out.join('\n');
}

function baseValues(app: AppSpec): string {
  const out = [`# ${app.name}: values shared by every environment`, valuesContainers(app, 'staging'), 'podAnnotations:', `  team: ${app.team}`];
  if (app.ingress) {
    out.push(
      'ingress:',
      '  enabled: true',
      '  className: alb',
      '  annotations:',
      '    alb.ingress.kubernetes.io/scheme: internet-facing',
      '    alb.ingress.kubernetes.io/target-type: ip',
      '  hosts:',
      `    - host: ${host(app, 'staging')}`,
    );
  }
  if (app.hpa) out.push('autoscaling:', '  enabled: true', '  minReplicas: 2', '  maxReplicas: 6', '  targetCPUUtilizationPercentage: 75');
  if (app.pdb) out.push('podDisruptionBudget:', '  enabled: true', '  maxUnavailable: 1');
  if (app.configMap) {
    out.push('configMaps:', '  config:', '    mountPath: /etc/app', '    data:', '      app.yaml: |', '        cache:', '          ttl: 60s', `        upstream: http://${app.name}-backend:8080`);
  }
  return `${out.join('\n')}\n`;
}

function envValues(app: AppSpec, env: Environment): string {
  const out = [`# ${app.name} in ${env}`];
  if (!app.hpa) out.push(`replicas: ${REPLICAS[env]}`);
  out.push(valuesContainers(app, env));
  if (app.ingress) out.push('ingress:', '  hosts:', `    - host: ${host(app, env)}`);
  if (app.hpa) out.push('autoscaling:', `  minReplicas: ${HPA_RANGE[env][0]}`, `  maxReplicas: ${HPA_RANGE[env][1]}`);
  return `${out.join('\n')}\n`;
}

function labels(app: AppSpec, pad: string): string {
  return [`${pad}app.kubernetes.io/name: ${app.name}`, `${pad}app.kubernetes.io/part-of: ${app.team}`].join('\n');
}

function kustomizeBase(app: AppSpec): Record<string, string> {
  const files: Record<string, string> = {};
  const resources = ['service-account.yaml', 'deployment.yaml', 'service.yaml'];
  files['service-account.yaml'] = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${app.name}\n  labels:\n${labels(app, '    ')}\nautomountServiceAccountToken: false\n`;
  const sidecar = app.sidecar
    ? `
        - name: proxy
          image: docker.io/envoyproxy/envoy:v1.31.2
          args: ["--config-path", "/etc/envoy/envoy.yaml"]
          ports:
            - name: admin
              containerPort: 9901
          readinessProbe:
            tcpSocket: {port: admin}
          resources:
            requests: {cpu: 50m, memory: 64Mi}
            limits: {memory: 128Mi}
          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}`
    : '';
  const configMount = app.configMap
    ? `
          volumeMounts:
            - name: config
              mountPath: /etc/app
              readOnly: true`
    : '';
  const configVolume = app.configMap
    ? `
      volumes:
        - name: config
          configMap:
            name: ${app.name}-config`
    : '';
  files['deployment.yaml'] = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app.name}
  labels:
${labels(app, '    ')}
spec:
  replicas: 1
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app.name}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${app.name}
      annotations:
        team: ${app.team}
    spec:
      serviceAccountName: ${app.name}
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: ${app.main}
          image: ghcr.io/acme/${app.name}
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: ${app.port}${app.metrics ? '\n            - name: metrics\n              containerPort: 9090' : ''}
          env:
${envYaml(app, undefined, '            ')}
          readinessProbe:
            httpGet: {path: /healthz/ready, port: http}
            periodSeconds: 5
          livenessProbe:
            httpGet: {path: /healthz/live, port: http}
            initialDelaySeconds: 10
            failureThreshold: 3
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}
          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}${configMount}${sidecar}${configVolume}
`;
  files['service.yaml'] = `apiVersion: v1
kind: Service
metadata:
  name: ${app.name}
  labels:
${labels(app, '    ')}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: ${app.name}
  ports:
    - name: http
      port: ${app.port}
      targetPort: http${app.metrics ? '\n    - name: metrics\n      port: 9090\n      targetPort: metrics' : ''}
`;
  if (app.ingress) {
    resources.push('ingress.yaml');
    files['ingress.yaml'] = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${app.name}
  labels:
${labels(app, '    ')}
  annotations:
    alb.ingress.kubernetes.io/scheme: internet-facing
    alb.ingress.kubernetes.io/target-type: ip
spec:
  ingressClassName: alb
  rules:
    - host: ${host(app, 'staging')}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: ${app.name}, port: {name: http}}
`;
  }
  if (app.hpa) {
    resources.push('hpa.yaml');
    files['hpa.yaml'] = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${app.name}
  labels:
${labels(app, '    ')}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${app.name}}
  minReplicas: 2
  maxReplicas: 6
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 75}
`;
  }
  if (app.pdb) {
    resources.push('pdb.yaml');
    files['pdb.yaml'] = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${app.name}
  labels:
${labels(app, '    ')}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app.name}
`;
  }
  if (app.configMap) {
    resources.push('configmap.yaml');
    files['configmap.yaml'] = `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app.name}-config
  labels:
${labels(app, '    ')}
data:
  app.yaml: |
    cache:
      ttl: 60s
    upstream: http://${app.name}-backend:8080
`;
  }
  files['kustomization.yaml'] = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
${resources.map((r) => `  - ${r}`).join('\n')}
`;
  return files;
}

function kustomizeOverlay(app: AppSpec, env: Environment): Record<string, string> {
  const r = RESOURCES[env];
  const files: Record<string, string> = {};
  const patches = ['deployment-patch.yaml'];
  files['deployment-patch.yaml'] = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app.name}
spec:
  template:
    spec:
      containers:
        - name: ${app.main}
          env:
            - name: ENVIRONMENT
              value: ${env}
            - name: LOG_LEVEL
              value: ${LOG_LEVEL[env]}
          resources:
            requests: {cpu: ${r.cpu}, memory: ${r.memory}}
            limits: {memory: ${r.limit}}
`;
  if (app.ingress) {
    patches.push('ingress-patch.yaml');
    files['ingress-patch.yaml'] = `- op: replace\n  path: /spec/rules/0/host\n  value: ${host(app, env)}\n`;
  }
  if (app.hpa) {
    patches.push('hpa-patch.yaml');
    files['hpa-patch.yaml'] = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${app.name}
spec:
  minReplicas: ${HPA_RANGE[env][0]}
  maxReplicas: ${HPA_RANGE[env][1]}
`;
  }
  const patchEntries = patches
    .map((p) => (p === 'ingress-patch.yaml' ? `  - path: ${p}\n    target: {group: networking.k8s.io, version: v1, kind: Ingress, name: ${app.name}}` : `  - path: ${p}`))
    .join('\n');
  files['kustomization.yaml'] = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${app.team}-${env}
resources:
  - ../../base
labels:
  - pairs:
      app.kubernetes.io/instance: ${app.name}-${env}
    includeSelectors: true
${app.hpa ? '' : `replicas:\n  - name: ${app.name}\n    count: ${REPLICAS[env]}\n`}images:
  - name: ghcr.io/acme/${app.name}
    newTag: "${TAG}"
patches:
${patchEntries}
`;
  return files;
}

function writeAll(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
}

/** Writes the whole workspace; returns how to address it. */
export function generateRenderWorkload(workspace: string, count: number): Workload {
  const apps = makeApps(count);
  for (const app of apps) {
    const dir = path.join(workspace, 'apps', app.name);
    const values: Record<string, string> = { 'values.yaml': baseValues(app) };
    for (const env of ENVIRONMENTS) values[`values-${env}.yaml`] = envValues(app, env);
    writeAll(dir, values);
    writeAll(path.join(dir, 'kustomize', 'base'), kustomizeBase(app));
    for (const env of ENVIRONMENTS) writeAll(path.join(dir, 'kustomize', 'overlays', env), kustomizeOverlay(app, env));
  }
  return {
    workspace,
    apps,
    tag: TAG,
    kinds: (app) =>
      [
        'ServiceAccount',
        'Deployment',
        'Service',
        ...(app.ingress ? ['Ingress'] : []),
        ...(app.hpa ? ['HorizontalPodAutoscaler'] : []),
        ...(app.pdb ? ['PodDisruptionBudget'] : []),
        ...(app.configMap ? ['ConfigMap'] : []),
      ].sort(),
    valuesFiles: (app, env) => [`apps/${app.name}/values.yaml`, `apps/${app.name}/values-${env}.yaml`],
    overlay: (app, env) => path.join(workspace, 'apps', app.name, 'kustomize', 'overlays', env),
    namespace: (app, env) => `${app.team}-${env}`,
    image: (app) => `ghcr.io/acme/${app.name}`,
  };
}
