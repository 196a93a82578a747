import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { refusingEndpoint } from '../harness/fault-proxy.js';
import { makeLayeredImage, uploadMultiPlatformIndex, writeAuthFile } from '../harness/images.js';
import { startRegistry, type TestRegistry } from '../harness/registry-server.js';
import { mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { repoRoot } from '../harness/run-bundle.js';

const CLI = join(repoRoot, 'dist', 'cli', 'index.js');
let one: TestRegistry;
let two: TestRegistry;
let locked: TestRegistry;
let sourceDigest: string;

beforeAll(async () => {
  [one, two, locked] = await Promise.all([startRegistry(), startRegistry(), startRegistry({ auth: 'token' })]);
  sourceDigest = (await makeLayeredImage(one.url, 'acme/api', '1.0.0', { layers: 3, layerBytes: 64 * 1024 })).manifestDigest;
});

afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop(), locked?.stop()]);
});

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', HOME: mkdtempSync(join(tmpdir(), 'cli-home-')), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function digestOf(registry: TestRegistry, repo: string, ref: string): Promise<string | null> {
  const r = await fetch(`${registry.url}/v2/${repo}/manifests/${ref}`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
  });
  return r.status === 200 ? r.headers.get('docker-content-digest') : null;
}

describe('gitops-actions retag', () => {
  test('a new tag in the same repository keeps the digest', async () => {
    const r = await cli(['retag', '--insecure', `${one.host}/acme/api:1.0.0`, 'staging', 'production']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      `${one.host}/acme/api:staging@${sourceDigest}`,
      `${one.host}/acme/api:production@${sourceDigest}`,
    ]);
    expect(await digestOf(one, 'acme/api', 'production')).toBe(sourceDigest);
  });

  test('another repository of the same registry: blobs mounted, none copied', async () => {
    const r = await cli(['retag', '--insecure', '--json', `${one.host}/acme/api:1.0.0`, `${one.host}/prod/api:1.0.0`]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ digest: sourceDigest, mounted: 4, copied: 0 });
    expect(await digestOf(one, 'prod/api', '1.0.0')).toBe(sourceDigest);
  });

  test('another registry: blobs streamed across, digest unchanged', async () => {
    const r = await cli(['retag', '--insecure', '--json', `${one.host}/acme/api:1.0.0`, `${two.host}/acme/api:1.0.0`]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ digest: sourceDigest, copied: 4, mounted: 0 });
    expect(await digestOf(two, 'acme/api', '1.0.0')).toBe(sourceDigest);
  });

  test('a multi-platform index keeps its digest and platforms', async () => {
    const index = await uploadMultiPlatformIndex(one.url, 'acme/multi', '2.0.0');
    const r = await cli(['retag', '--insecure', `${one.host}/acme/multi:2.0.0`, 'stable', `${two.host}/acme/multi:2.0.0`]);
    expect(r.code).toBe(0);
    expect(await digestOf(one, 'acme/multi', 'stable')).toBe(index.indexDigest);
    expect(await digestOf(two, 'acme/multi', '2.0.0')).toBe(index.indexDigest);
    for (const digest of Object.values(index.manifestDigests)) expect(await digestOf(two, 'acme/multi', digest)).toBe(digest);
  });

  test('credentials come from the docker config, never argv', async () => {
    const config = mkdtempSync(join(tmpdir(), 'docker-config-'));
    renameSync(writeAuthFile(config, { [locked.host]: { username: 'tester', password: 'pa55word' } }), join(config, 'config.json'));
    await cli(['retag', '--insecure', `${one.host}/acme/api:1.0.0`, `${locked.host}/acme/api:1.0.0`], { DOCKER_CONFIG: config }).then((r) => {
      expect(r.stderr).not.toContain('pa55word');
      expect(r.code).toBe(0);
    });
    const denied = await cli(['retag', '--insecure', `${one.host}/acme/api:1.0.0`, `${locked.host}/acme/api:1.0.1`]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/gitops-actions: .*401|unauthorized|credentials/i);
  });

  test('usage errors exit 2; bad references and a dead registry exit 1 with a clear line', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['retag', 'only-source'])).code).toBe(2);
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("gitops-actions: unknown command 'frobnicate'");
    const bad = await cli(['retag', 'Registry.example.com/Acme/App:1', 'x']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("repository 'Acme/App' must be lower-case");
    const dead = await refusingEndpoint();
    const started = Date.now();
    const down = await cli(['retag', '--insecure', `${dead.host}/acme/api:1.0.0`, 'x']);
    await dead.close();
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(new RegExp(`gitops-actions: .*${dead.host.replace(/[.]/g, '\\.')}`));
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
