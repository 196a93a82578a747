import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { renderApp, type RenderOptions } from '#core/render/render-app.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** A checkout with a kustomize base and a staging overlay, as teams keep them. */
function checkout(): string {
  const ws = mkdtempSync(join(tmpdir(), 'ws-'));
  mkdirSync(join(ws, 'deploy/base'), { recursive: true });
  mkdirSync(join(ws, 'deploy/overlays/staging'), { recursive: true });
  writeFileSync(join(ws, 'deploy/base/kustomization.yaml'), 'resources: [deployment.yaml, service.yaml]\n');
  writeFileSync(
    join(ws, 'deploy/base/deployment.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: verity-api}
spec:
  selector: {matchLabels: {app: verity-api}}
  template:
    metadata: {labels: {app: verity-api}}
    spec:
      containers:
      - name: api
        image: verity-api
        env: [{name: FEATURE, value: "no"}, {name: MODE, value: "0644"}]
`,
  );
  writeFileSync(join(ws, 'deploy/base/service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: verity-api}\nspec: {ports: [{port: 80}]}\n');
  writeFileSync(join(ws, 'deploy/overlays/staging/kustomization.yaml'), 'resources: [../../base]\ncommonLabels: {tier: backend}\n');
  return ws;
}

function options(ws: string, overrides: Partial<RenderOptions> = {}): RenderOptions {
  return {
    app: 'verity-api',
    environment: 'staging',
    values: [],
    chart: 'deploy/overlays/staging',
    engine: 'auto',
    version: '',
    image: 'ghcr.io/acme/verity-api',
    imageTag: '1.4.0',
    imageDigest: DIGEST,
    namespace: 'verity',
    set: [],
    output: join(ws, 'out'),
    timeoutSeconds: 90,
    kubeVersion: '1.32',
    helmVersion: '3.19.0',
    toolCache: '/nonexistent-tool-cache',
    validate: true,
    workspace: ws,
    tempDir: tmpdir(),
    sourceRepository: 'https://github.com/acme/verity-api',
    sourceCommit: 'c'.repeat(40),
    ...overrides,
  };
}

describe('render with kustomize (real kubectl kustomize)', () => {
  test('one file per object in the canonical layout, image pinned by digest, provenance on metadata only', async () => {
    const ws = checkout();
    const before = readFileSync(join(ws, 'deploy/overlays/staging/kustomization.yaml'), 'utf8');
    const r = await renderApp(options(ws), () => {});
    expect(r.engine).toBe('kustomize');
    expect(r.files).toEqual(['verity-api--staging/staging/templates/deployment.yaml', 'verity-api--staging/staging/templates/service.yaml']);
    expect(r.resources).toEqual([
      { kind: 'Deployment', namespace: 'verity', name: 'verity-api' },
      { kind: 'Service', namespace: 'verity', name: 'verity-api' },
    ]);
    expect(r.image).toBe(`ghcr.io/acme/verity-api@${DIGEST}`);
    const deployment = readFileSync(join(r.path, 'staging/templates/deployment.yaml'), 'utf8');
    expect(deployment).toContain(`image: ghcr.io/acme/verity-api@${DIGEST}`);
    expect(deployment).toContain("value: 'no'");
    expect(deployment).toContain("value: '0644'");
    expect(deployment).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n {2}annotations:\n {4}gitops-actions.io\/source-commit: c{40}\n/);
    expect(deployment).toContain('app.kubernetes.io/version: 1.4.0');
    // The pod template carries no version or commit: a new commit alone must not restart pods.
    const template = deployment.slice(deployment.indexOf('  template:'));
    expect(template).not.toContain('gitops-actions.io');
    expect(template).not.toContain('app.kubernetes.io/version');
    // The user's files are never edited.
    expect(readFileSync(join(ws, 'deploy/overlays/staging/kustomization.yaml'), 'utf8')).toBe(before);
  });

  test('identical inputs give identical bytes and digest; a removed object leaves no stale file', async () => {
    const ws = checkout();
    const a = await renderApp(options(ws), () => {});
    const b = await renderApp(options(ws), () => {});
    expect(b.digest).toBe(a.digest);
    writeFileSync(join(ws, 'deploy/base/kustomization.yaml'), 'resources: [deployment.yaml]\n');
    const c = await renderApp(options(ws), () => {});
    expect(c.digest).not.toBe(a.digest);
    expect(readdirSync(join(c.path, 'staging/templates'))).toEqual(['deployment.yaml']);
  });

  test('a kustomize failure surfaces its stderr and leaves the previous tree in place', async () => {
    const ws = checkout();
    const good = await renderApp(options(ws), () => {});
    writeFileSync(join(ws, 'deploy/base/kustomization.yaml'), 'resources: [missing.yaml]\n');
    await expect(renderApp(options(ws), () => {})).rejects.toThrow(/kubectl kustomize .* failed \(exit code 1\)\n.*missing\.yaml/s);
    expect(readdirSync(join(good.path, 'staging/templates')).sort()).toEqual(['deployment.yaml', 'service.yaml']);
  });
});

describe('render rejects bad input before writing anything', () => {
  test.each([
    [{ app: '../etc' }, "input 'app' must be a DNS-1123 label like verity-api (got '../etc'): it contains '/' or '..'"],
    [{ app: 'Verity' }, "it has upper-case letters (use 'verity')"],
    [{ environment: 'a'.repeat(64) }, 'it has 64 characters, at most 63 are allowed'],
    [{ environment: 'prod/eu' }, "input 'environment' must be a DNS-1123 label"],
    [{ chart: 'builtin:superchart' }, "input 'chart': unknown builtin chart 'builtin:superchart' (available: builtin:monochart)"],
    [{ chart: 'nope/dir' }, "input 'chart': nope/dir is not a directory, an oci:// reference or a builtin: chart"],
    [{ engine: 'helm' as const }, "input 'engine' is 'helm' but input 'chart' deploy/overlays/staging is a kustomize chart"],
    [{ values: ['values.yaml'] }, "inputs 'values' and 'set' do not apply to kustomize"],
    [{ imageDigest: 'sha256:short' }, "input 'image-digest' must be sha256: followed by 64 lower-case hex digits"],
  ])('%j', async (overrides, message) => {
    const ws = checkout();
    await expect(renderApp(options(ws, overrides as Partial<RenderOptions>), () => {})).rejects.toThrow(message);
    expect(() => readdirSync(join(ws, 'out'))).toThrow();
  });
});
