import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runBundle } from '../harness/run-bundle.js';

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
});
