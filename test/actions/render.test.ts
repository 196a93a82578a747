import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runBundle } from '../harness/run-bundle.js';
import { standInHelm } from '../harness/stand-in-helm.js';

const DIGEST = `sha256:${'cd'.repeat(32)}`;

function appRepo(files: Record<string, string>): string {
  const ws = mkdtempSync(join(tmpdir(), 'render-ws-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(ws, path, '..'), { recursive: true });
    writeFileSync(join(ws, path), content);
  }
  return ws;
}

const VALUES = {
  'deploy/values.yaml': `containers:
  - name: api
    ports:
      - name: http
        containerPort: 8080
    env:
      - name: FEATURE_FLAG
        value: "no"
`,
  'deploy/staging.yaml': 'replicas: 2\n',
  'deploy/production.yaml': 'replicas: 4\n',
};

describe('render bundle', () => {
  test('no inputs: our own input error, exit 1', async () => {
    const r = await runBundle('render');
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual(["2 inputs are wrong:\n- input 'app' is required\n- input 'environment' is required"]);
    expect(Object.keys(r.outputs).sort()).toEqual(['digest', 'files', 'image', 'path', 'resources']);
  });

  test('builtin monochart: canonical layout, digest pinned image, provenance, deterministic digest', async () => {
    const ws = appRepo(VALUES);
    const inputs = {
      app: 'verity-api',
      environment: 'staging',
      values: 'deploy/values.yaml\ndeploy/${environment}.yaml\n?deploy/missing-is-fine.yaml',
      image: 'ghcr.io/acme/verity-api',
      'image-tag': '1.4.0',
      'image-digest': DIGEST,
      namespace: 'verity',
    };
    const r = await runBundle('render', { workspace: ws, inputs, context: { sha: 'e'.repeat(40), repository: 'acme/verity-api' } });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    const out = join(r.env.RUNNER_TEMP!, 'rendered');
    expect(r.outputs.path).toBe(join(out, 'verity-api--staging'));
    expect(r.outputs.image).toBe(`ghcr.io/acme/verity-api@${DIGEST}`);
    const files = r.outputs.files!.split('\n');
    expect(files).toContain('verity-api--staging/monochart/templates/deployment.yaml');
    expect(files).toContain('verity-api--staging/monochart/templates/service.yaml');
    const deployment = readFileSync(join(out, 'verity-api--staging/monochart/templates/deployment.yaml'), 'utf8');
    expect(deployment).toContain(`image: ghcr.io/acme/verity-api@${DIGEST}`);
    expect(deployment).toContain('replicas: 2');
    expect(deployment).toContain("value: 'no'");
    expect(deployment).toContain('gitops-actions.io/version: 1.4.0');
    expect(deployment).toContain(`gitops-actions.io/source-commit: ${'e'.repeat(40)}`);
    expect(deployment.slice(deployment.indexOf('  template:'))).not.toContain('gitops-actions.io/');
    expect(JSON.parse(r.outputs.resources!)).toEqual(
      expect.arrayContaining([
        { environment: 'staging', kind: 'Deployment', namespace: 'verity', name: 'verity-api' },
        { environment: 'staging', kind: 'Service', namespace: 'verity', name: 'verity-api' },
      ]),
    );
    const again = await runBundle('render', { workspace: ws, inputs, context: { sha: 'e'.repeat(40), repository: 'acme/verity-api' } });
    expect(again.outputs.digest).toBe(r.outputs.digest);
    expect(r.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('several environments in one call, rendered side by side', async () => {
    const ws = appRepo(VALUES);
    const r = await runBundle('render', {
      workspace: ws,
      inputs: { app: 'verity-api', environment: 'staging\nproduction', values: 'deploy/values.yaml\ndeploy/${environment}.yaml', image: 'ghcr.io/acme/verity-api', 'image-tag': '1.4.0' },
    });
    expect(r.exitCode).toBe(0);
    const out = join(r.env.RUNNER_TEMP!, 'rendered');
    expect(readdirSync(out).sort()).toEqual(['verity-api--production', 'verity-api--staging']);
    expect(readFileSync(join(out, 'verity-api--production/monochart/templates/deployment.yaml'), 'utf8')).toContain('replicas: 4');
    expect(r.outputs.path!.split('\n')).toHaveLength(2);
  });

  test.each([
    [{ values: 'deploy/nope.yaml' }, "input 'values': deploy/nope.yaml does not exist (start the line with '?' if it may be missing)"],
    [{ values: 'deploy/bad.yaml' }, /^deploy\/bad\.yaml:\d+:\d+: /],
    [{ values: 'deploy/dupe.yaml' }, /deploy\/dupe\.yaml:2:1: duplicate key 'replicas'/],
    [{ values: 'deploy/bomb.yaml' }, /alias expansion too large/],
    [{ values: 'deploy/typo.yaml' }, /did you mean 'replicas'/],
    [{ app: 'Verity_API' }, "input 'app' must be a DNS-1123 label like verity-api (got 'Verity_API'): it has upper-case letters (use 'verity_api')"],
    [{ environment: '../prod' }, "input 'environment' must be a DNS-1123 label like verity-api (got '../prod'): it contains '/' or '..'"],
    [{ set: 'replicas' }, "input 'set': each line must be path.to.key=value (got 'replicas')"],
    [{ timeout: '0' }, "input 'timeout' must be a whole number from 1 to 3600 (got '0')"],
    [{ 'kube-version': 'latest' }, /^input 'kube-version'/],
  ])('bad input %j: clear error, nothing written', async (inputs, message) => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const ws = appRepo({
      ...VALUES,
      'deploy/bad.yaml': 'replicas: 2\ncontainers: [\n',
      'deploy/dupe.yaml': 'replicas: 2\nreplicas: 3\n',
      'deploy/bomb.yaml': `${bomb.join('\n')}\n`,
      'deploy/typo.yaml': 'replica: 2\n',
    });
    const r = await runBundle('render', { workspace: ws, inputs: { app: 'verity-api', environment: 'staging', image: 'ghcr.io/acme/verity-api', ...inputs } });
    expect(r.exitCode).toBe(1);
    if (typeof message === 'string') expect(r.errors[0]).toBe(message);
    else expect(r.errors[0]).toMatch(message);
    expect(readdirSync(r.env.RUNNER_TEMP!)).not.toContain('rendered');
  });

  describe('kustomize objects checked against the Kubernetes API', () => {
    const overlay = (deployment: string) =>
      appRepo({
        'k8s/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - pdb.yaml\n',
        'k8s/deployment.yaml': deployment,
        'k8s/pdb.yaml': 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: verity-api\nspec:\n  minAvailable: 1\n',
      });
    const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: verity-api
spec:
  replicas: "3"
  selector:
    matchLabels: { app: verity-api }
  template:
    metadata:
      labels: { app: verity-api }
    spec:
      containers:
        - name: api
          image: verity-api
          imagePullPolicy: Allways
          env:
            - name: DEBUG
              value: true
`;

    test('every problem listed at once, nothing written', async () => {
      const r = await runBundle('render', { workspace: overlay(DEPLOYMENT), inputs: { app: 'verity-api', environment: 'staging', chart: 'k8s', 'kube-version': '1.32' } });
      expect(r.exitCode).toBe(1);
      expect(r.errors[0]).toContain('problems in objects Kubernetes 1.32 would refuse:');
      expect(r.errors[0]).toContain("Deployment verity-api: spec.replicas: expected integer, got string '3'");
      expect(r.errors[0]).toContain('Deployment verity-api: spec.template.spec.containers[0].env[0].value: expected string, got boolean');
      expect(r.errors[0]).toContain('policy/v1beta1 PodDisruptionBudget is not served by Kubernetes 1.32 (removed in 1.25): use policy/v1');
      expect(readdirSync(r.env.RUNNER_TEMP!)).not.toContain('rendered');
    });

    test("validate: false renders what kustomize built, as it is", async () => {
      const r = await runBundle('render', { workspace: overlay(DEPLOYMENT), inputs: { app: 'verity-api', environment: 'staging', chart: 'k8s', validate: 'false' } });
      expect(r.errors).toEqual([]);
      expect(r.outputs.files!.split('\n').sort()).toEqual(['verity-api--staging/k8s/templates/deployment.yaml', 'verity-api--staging/k8s/templates/poddisruptionbudget.yaml']);
    });

    test('a render that exceeds timeout is stopped with a clear error', async () => {
      // A stand-in kubectl that never answers: the real one is too fast to hit any timeout.
      const bin = mkdtempSync(join(tmpdir(), 'slow-kubectl-'));
      writeFileSync(join(bin, 'kubectl'), '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
      const r = await runBundle('render', {
        workspace: overlay(DEPLOYMENT),
        inputs: { app: 'verity-api', environment: 'staging', chart: 'k8s', timeout: '1' },
        env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` },
      });
      expect(r.exitCode).toBe(1);
      expect(r.errors[0]).toMatch(/kubectl kustomize .* timed out after 1s/);
      expect(readdirSync(r.env.RUNNER_TEMP!)).not.toContain('rendered');
    });
  });

  describe('helm chart (a stand-in helm on PATH: helm cannot be installed here)', () => {
    function helmWorkspace(): { ws: string; bin: string; record: string } {
      const ws = appRepo({
        'chart/Chart.yaml': 'apiVersion: v2\nname: verity-api\nversion: 0.1.0\n',
        'chart/values.yaml': 'replicaCount: 1\n',
        'deploy/staging.yaml': 'replicaCount: 2\n',
      });
      const bin = mkdtempSync(join(tmpdir(), 'helm-bin-'));
      const record = join(bin, 'argv');
      writeFileSync(join(bin, 'helm'), standInHelm({ version: 'v3.19.0', record }), { mode: 0o755 });
      return { ws, bin, record };
    }

    test('helm template output in the canonical layout, image pinned through values, test hooks left out', async () => {
      const { ws, bin, record } = helmWorkspace();
      const r = await runBundle('render', {
        workspace: ws,
        inputs: { app: 'verity-api', environment: 'staging', chart: 'chart', values: 'deploy/${environment}.yaml\n?deploy/missing.yaml', image: 'ghcr.io/acme/verity-api', 'image-tag': '1.4.0', 'image-digest': DIGEST, namespace: 'verity', set: 'ingress.host=a,b.example.com' },
        env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` },
      });
      expect(r.errors).toEqual([]);
      expect(r.stdout).toContain('with helm v3.19.0 (from path)');
      const argv = readFileSync(record, 'utf8').split('\0').filter(Boolean);
      expect(argv.slice(0, 3)).toEqual(['template', 'verity-api', join(ws, 'chart')]);
      expect(argv).toEqual(
        expect.arrayContaining([
          '--namespace=verity',
          '--kube-version=1.32',
          '--include-crds',
          '--skip-tests',
          `--values=${join(ws, 'deploy/staging.yaml')}`,
          '--set-string=image.repository=ghcr.io/acme/verity-api',
          `--set-string=image.tag=1.4.0@${DIGEST}`,
          `--set-string=image.digest=${DIGEST}`,
          '--set-string=ingress.host=a\\,b.example.com',
        ]),
      );
      expect(argv.join(' ')).not.toContain('missing.yaml');
      expect(r.outputs.files!.split('\n').sort()).toEqual([
        'verity-api--staging/verity-api/templates/customresourcedefinition-widgets.example.com.yaml',
        'verity-api--staging/verity-api/templates/deployment.yaml',
        'verity-api--staging/verity-api/templates/job-migrate.yaml',
        'verity-api--staging/verity-api/templates/service.yaml',
        'verity-api--staging/verity-api/templates/serviceaccount.yaml',
      ].sort());
      const deployment = readFileSync(join(r.outputs.path!, 'verity-api/templates/deployment.yaml'), 'utf8');
      expect(deployment).toContain('app.kubernetes.io/managed-by: gitops-actions');
      expect(deployment).toContain("value: 'no'");
    });

    test('a helm failure surfaces its stderr', async () => {
      const { ws, bin, record } = helmWorkspace();
      writeFileSync(join(bin, 'helm'), standInHelm({ version: 'v3.19.0', record, fail: true }), { mode: 0o755 });
      const r = await runBundle('render', { workspace: ws, inputs: { app: 'verity-api', environment: 'staging', chart: 'chart' }, env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` } });
      expect(r.exitCode).toBe(1);
      expect(r.errors[0]).toContain('nil pointer evaluating interface {}.repository');
      expect(readdirSync(r.env.RUNNER_TEMP!)).not.toContain('rendered');
    });
  });
});

describe('render bundle with config (gitops.yaml)', () => {
  const CONFIG = `app: verity-api
image: ghcr.io/acme/verity-api
values: [deploy/values.yaml]
environments:
  staging:
    values: [deploy/staging.yaml]
    namespace: verity
  production:
    values: ['deploy/\${environment}.yaml']
    namespace: verity-prod
    render: { kube-version: '1.31' }
`;

  test('only config and environment: renders what the file says for that environment', async () => {
    const ws = appRepo({ ...VALUES, 'gitops.yaml': CONFIG });
    const r = await runBundle('render', { workspace: ws, inputs: { config: 'gitops.yaml', environment: 'production', 'image-tag': '1.4.0', 'image-digest': DIGEST } });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('gitops.yaml for production: app, values, image, namespace, kube-version');
    expect(r.outputs.path).toBe(join(r.env.RUNNER_TEMP!, 'rendered', 'verity-api--production'));
    expect(r.outputs.image).toBe(`ghcr.io/acme/verity-api@${DIGEST}`);
    const deployment = readFileSync(join(r.outputs.path!, 'monochart/templates/deployment.yaml'), 'utf8');
    expect(deployment).toContain('replicas: 4');
    expect(deployment).toContain('namespace: verity-prod');
    expect(JSON.parse(r.outputs.resources!)).toContainEqual({ environment: 'production', kind: 'Deployment', namespace: 'verity-prod', name: 'verity-api' });
  });

  test('an explicit input beats the file', async () => {
    const ws = appRepo({ ...VALUES, 'gitops.yaml': CONFIG });
    const r = await runBundle('render', { workspace: ws, inputs: { config: 'gitops.yaml', environment: 'staging', namespace: 'elsewhere', values: 'deploy/production.yaml' } });
    expect(r.errors).toEqual([]);
    const deployment = readFileSync(join(r.outputs.path!, 'monochart/templates/deployment.yaml'), 'utf8');
    expect(deployment).toContain('namespace: elsewhere');
    expect(deployment).toContain('replicas: 4');
    expect(r.stdout).toContain('(given as inputs, so not from the file: values, namespace)');
  });

  test.each([
    ['an unknown environment', { environment: 'producton' }, CONFIG, "gitops.yaml has no environment 'producton', did you mean 'production'? (environments: production, staging)"],
    ['no environment', { environment: '' }, CONFIG, "input 'environment' is required with 'config': which environment of gitops.yaml (production, staging)?"],
    ['two environments', { environment: 'staging\nproduction' }, CONFIG, /^input 'environment': with 'config', give one environment per step \(got staging, production\)/],
    ['a broken gitops.yaml', { environment: 'staging' }, CONFIG.replace('namespace: verity\n', 'namespace: Verity\n'), /^gitops\.yaml:7:5: environments\.staging\.namespace: 'Verity' is not a DNS-1123 label/],
    ['a values file the file names but the repository lacks', { environment: 'staging' }, CONFIG.replace('deploy/staging.yaml', 'deploy/stagin.yaml'), /^gitops\.yaml:6:14: environments\.staging\.values\[0\]: deploy\/stagin\.yaml does not exist/],
    ['a missing gitops.yaml', { environment: 'staging', config: 'deploy/gitops.yaml' }, CONFIG, /^deploy\/gitops\.yaml does not exist in the workspace /],
  ])('%s: a clear error, nothing written', async (_name, inputs, config, message) => {
    const ws = appRepo({ ...VALUES, 'gitops.yaml': config });
    const r = await runBundle('render', { workspace: ws, inputs: { config: 'gitops.yaml', ...inputs } });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toHaveLength(1);
    if (typeof message === 'string') expect(r.errors[0]).toBe(message);
    else expect(r.errors[0]).toMatch(message);
    expect(readdirSync(r.env.RUNNER_TEMP!)).not.toContain('rendered');
  });
});
