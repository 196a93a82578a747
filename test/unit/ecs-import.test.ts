import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { importEcs, leafPaths, type ImportEcsOptions, type ImportEcsResult } from '#core/ecs-import/index.js';
import { UNREAD_NOTE } from '#core/ecs-import/conversion-report.js';
import { validateObject } from '#core/render/kube-schema/index.js';
import { renderMonochart, validateMonochartValues } from '#core/render/monochart/index.js';
import { pathOf } from '#core/schema/value-path.js';
import { loadYaml } from '#core/yaml/load-yaml.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'ecs');
const source = (file: string) => ({ file, text: readFileSync(join(FIXTURES, file), 'utf8') });

const CASES: Record<string, Omit<ImportEcsOptions, 'environment'>> = {
  'web service behind an ALB on Fargate': { taskDefinition: source('web-alb-fargate/task-definition.json'), service: source('web-alb-fargate/service.json') },
  'worker with SSM and Secrets Manager secrets on EC2': { taskDefinition: source('worker-secrets-ec2/task-definition.json') },
  'multi-container task with sidecars and dependsOn': { taskDefinition: source('multi-container-sidecar/task-definition.json') },
  'ecs-cli compose project': { compose: source('compose-project/docker-compose.yml'), ecsParams: source('compose-project/ecs-params.yml'), app: 'catalog' },
};

/** Fields the fixtures carry on purpose that no ECS API has (reported as unknown, not fatal). */
const DELIBERATELY_UNKNOWN = ['containerDefinitions[0].cpuShares'];

const imported = new Map<string, ImportEcsResult>();
const run = (name: string) => {
  if (!imported.has(name)) imported.set(name, importEcs({ ...CASES[name]!, environment: 'staging' }));
  return imported.get(name)!;
};

describe.each(Object.keys(CASES))('import-ecs: %s', (name) => {
  test('the values pass the monochart validation and render objects the Kubernetes API accepts', () => {
    const result = run(name);
    const fromFile = loadYaml(result.valuesYaml, { file: 'values.yaml' });
    expect(fromFile).toEqual(result.values);
    expect(() => validateMonochartValues(fromFile)).not.toThrow();
    const objects = renderMonochart(fromFile, { app: result.app, environment: 'staging', image: result.image ?? { repository: 'unused.example/app' } });
    expect(objects.map((o) => o.kind)).toContain('Deployment');
    for (const o of objects) expect(validateObject(o, '1.32').problems, `${o.kind} ${o.metadata.name}`).toEqual([]);
  });

  test('the report accounts for every leaf of every input file, and says so in the Markdown', () => {
    const result = run(name);
    const options = CASES[name]!;
    const files = [options.taskDefinition, options.service, options.compose, options.ecsParams].filter((f) => f !== undefined);
    let leaves = 0;
    for (const f of files) {
      const value = f.file.endsWith('.json') ? JSON.parse(f.text) : loadYaml(f.text, { file: f.file });
      for (const leaf of leafPaths(value)) {
        leaves += 1;
        const entry = result.report.accountFor(f.file, leaf.path);
        expect(entry, `${f.file}: ${pathOf(leaf.path)}`).toBeDefined();
        expect(['converted', 'approximated', 'unsupported']).toContain(entry!.status);
        const path = pathOf(entry!.path);
        // The importer read every field it was given, except the ones no ECS API has.
        if (entry!.note === UNREAD_NOTE) expect(DELIBERATELY_UNKNOWN.some((u) => path.endsWith(u)), `${f.file}: ${path} was not read`).toBe(true);
        expect(result.reportMarkdown, `${f.file}: ${path}`).toContain(`\`${path.replace(/\|/g, '\\|')}\``);
      }
    }
    expect(leaves).toBeGreaterThan(20);
  });

  test('no secret reference (ARN or parameter path) reaches the values, only Secret names and keys', () => {
    const result = run(name);
    for (const s of result.secrets) {
      expect(result.valuesYaml).not.toContain(s.valueFrom);
      expect(result.valuesYaml).not.toContain(s.remoteKey);
    }
    expect(result.valuesYaml).not.toMatch(/arn:aws:(ssm|secretsmanager)/);
  });
});

describe('import-ecs: what the fixtures convert to', () => {
  test('the web service: replicas, rollout, probes, IRSA, ALB Ingress, task size and the secret reference', () => {
    const { values, image, app, externalSecrets, report } = run('web service behind an ALB on Fargate');
    expect(app).toBe('verity-api');
    expect(image).toEqual({ repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/verity-api', tag: '1.4.2' });
    expect(values.replicas).toBe(3);
    expect(values.strategy).toEqual({ maxSurge: '100%', maxUnavailable: '0%' });
    const main = values.containers[0]!;
    expect(main.image).toBeUndefined();
    expect(main.resources).toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '2Gi' } });
    expect(main.readinessProbe).toEqual({ httpGet: { path: '/actuator/health', port: 'verity-api-8080' }, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 3 });
    expect(main.startupProbe?.failureThreshold).toBe(7);
    expect(main.env).toContainEqual({ name: 'DATABASE_PASSWORD', valueFrom: { secretKeyRef: { name: 'verity-api-secrets-manager', key: 'DATABASE_PASSWORD' } } });
    expect(values.serviceAccount).toEqual({ annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/verity-api-task' } });
    expect(values.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64', 'kubernetes.io/os': 'linux' });
    expect(values.terminationGracePeriodSeconds).toBe(45);
    expect(values.ingress).toMatchObject({ enabled: true, className: 'alb', hosts: [{ paths: [{ path: '/', pathType: 'Prefix', port: 'verity-api-8080' }] }] });
    expect(values.service).toEqual({ ports: [{ name: 'verity-api-8080', port: 8080, targetPort: 'verity-api-8080', appProtocol: 'http' }] });
    expect(externalSecrets).toEqual([
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'verity-api-secrets-manager' },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
          target: { name: 'verity-api-secrets-manager', creationPolicy: 'Owner' },
          data: [{ secretKey: 'DATABASE_PASSWORD', remoteRef: { key: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:verity-api/staging/db-Xy12Ab', property: 'password' } }],
        },
      },
    ]);
    const ulimits = report.entries.find((e) => pathOf(e.path) === 'taskDefinition.containerDefinitions[0].ulimits')!;
    expect(ulimits).toMatchObject({ status: 'unsupported', action: true, line: 33 });
    expect(ulimits.note).toMatch(/^Kubernetes has no per-pod or per-container ulimits \(nofile=65536\/65536\)/);
  });

  test('the worker: two stores, an env file, EFS, a host bind mount left out, a numeric user', () => {
    const { values, secrets, report, reportMarkdown } = run('worker with SSM and Secrets Manager secrets on EC2');
    const main = values.containers[0]!;
    expect(main.name).toBe('ledger-worker');
    expect(main.command).toEqual(['java', '-jar', '/app/ledger-worker.jar']);
    expect(main.args).toEqual(['--queue', 'ledger-events']);
    expect(main.resources).toEqual({ requests: { cpu: '500m', memory: '768Mi' }, limits: { memory: '1Gi' } });
    expect(main.securityContext).toEqual({ readOnlyRootFilesystem: true, runAsUser: 1000, runAsGroup: 1000 });
    expect(secrets.map((s) => [s.secretName, s.key, s.remoteKey, s.property])).toEqual([
      ['ledger-worker-parameter-store', 'DB_PASSWORD', '/production/ledger/db_password', undefined],
      ['ledger-worker-parameter-store', 'DB_USER', '/production/ledger/db_user', undefined],
      ['ledger-worker-secrets-manager', 'STRIPE_API_KEY', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:production/ledger/stripe-AbC123', undefined],
      ['ledger-worker-secrets-manager', 'SIGNING_KEY', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:production/ledger/keys-QwE456', 'signing'],
    ]);
    expect(main.envFrom).toEqual([{ configMapRef: { name: 'ledger-worker-env-production' } }]);
    expect(values.configMaps).toEqual({ 'env-production': { data: {} } });
    expect(values.volumes).toEqual([
      { name: 'scratch', emptyDir: {} },
      { name: 'ledger-archive', persistentVolumeClaim: { claimName: 'ledger-worker-ledger-archive' } },
      { name: 'ledger-worker-shm', emptyDir: { medium: 'Memory', sizeLimit: '128Mi' } },
    ]);
    expect(main.volumeMounts).toEqual([{ name: 'scratch', mountPath: '/tmp' }, { name: 'ledger-worker-shm', mountPath: '/dev/shm' }]);
    expect(values.service).toBeUndefined();
    expect(values.podAnnotations).toEqual({ 'com.datadoghq.ad.logs': '[{"source": "java"}]' });
    const unknown = report.entries.find((e) => pathOf(e.path) === 'containerDefinitions[0].cpuShares')!;
    expect(unknown).toMatchObject({ status: 'unsupported', note: 'not a field of an ECS container definition; left out of the values' });
    expect(reportMarkdown).toContain('| `volumes[1]` (worker-secrets-ec2/task-definition.json:65) | unsupported |  | a bind mount of the host\'s /var/run/docker.sock');
  });

  test('the multi-container task: init container, native sidecar, main container, log router left out', () => {
    const { values, report } = run('multi-container task with sidecars and dependsOn');
    expect(values.containers.map((c) => c.name)).toEqual(['web', 'assets-sync']);
    expect(values.initContainers!.map((c) => [c.name, c.restartPolicy])).toEqual([
      ['migrate', undefined],
      ['envoy', 'Always'],
    ]);
    const envoy = values.initContainers![1]!;
    expect(envoy.image).toBe('public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod');
    expect(envoy.startupProbe).toBeDefined();
    expect(envoy.readinessProbe).toBeUndefined();
    expect(values.containers[1]!.volumeMounts).toEqual([
      { name: 'assets', mountPath: '/assets' },
      { name: 'assets', mountPath: '/rails/public/assets', readOnly: true },
    ]);
    expect(values.containers[0]!.resources!.requests!['ephemeral-storage']).toBe('30Gi');
    const deps = report.entries.filter((e) => pathOf(e.path).includes('dependsOn'));
    expect(deps.map((e) => [e.status, e.note])).toEqual([
      ['converted', "'migrate' became an init container: it runs to success before 'web' starts"],
      ['converted', "'envoy' became a native sidecar whose startup probe (from its healthCheck) must pass before 'web' starts (Kubernetes 1.29+)"],
    ]);
    expect(JSON.stringify(values)).not.toContain('log_router');
  });

  test('the compose project: reported against its own keys, redis as a sidecar the web container waits for', () => {
    const { values, report } = run('ecs-cli compose project');
    expect(values.containers[0]).toMatchObject({ name: 'web', args: ['node', 'server.js'], ports: [{ name: 'http', containerPort: 8080 }] });
    expect(values.initContainers).toMatchObject([{ name: 'redis', restartPolicy: 'Always', args: ['redis-server', '--save', '', '--appendonly', 'no'] }]);
    const files = new Set(report.entries.map((e) => e.file));
    expect(files).toEqual(new Set(['compose-project/docker-compose.yml', 'compose-project/ecs-params.yml']));
    expect(report.entries.find((e) => pathOf(e.path) === 'services.web.restart')).toMatchObject({ status: 'unsupported', note: 'Kubernetes restarts containers of a Deployment pod always' });
  });
});
