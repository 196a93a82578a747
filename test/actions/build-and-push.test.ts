import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createBuildahStore, type BuildahStore } from '../harness/images.js';
import { startRegistry, type TestRegistry } from '../harness/registry-server.js';
import { runBundle, type RunBundleOptions } from '../harness/run-bundle.js';

const SHA = '3f2a1c9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39';
const USER = { username: 'tester', password: 'S3cret-registry-pw' };
let anonymous: TestRegistry;
let basic: TestRegistry;
let token: TestRegistry;
let store: BuildahStore;
let busybox: string;

beforeAll(async () => {
  store = createBuildahStore();
  [anonymous, basic, token] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: 'htpasswd', users: { [USER.username]: USER.password } }),
    startRegistry({ auth: 'token', users: { [USER.username]: USER.password } }),
  ]);
  busybox = await store.makeBusyboxBase();
});

afterAll(async () => {
  await Promise.all([anonymous?.stop(), basic?.stop(), token?.stop()]);
  await store?.cleanup();
});

/** An app directory with a Dockerfile, as a checkout would have it. */
function app(dockerfile = 'FROM scratch\nCOPY hello.txt /hello.txt\n', files: Record<string, string> = { 'hello.txt': 'hello\n' }): string {
  const dir = mkdtempSync(join(tmpdir(), 'app-'));
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** A `buildah` first on PATH that records every argv, then runs the real one. */
function recordingBuildah(): { dir: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'buildah-shim-'));
  const log = join(dir, 'argv.log');
  writeFileSync(join(dir, 'buildah'), `#!/bin/sh\nprintf '%s\\n' "$*" >> "${log}"\nexec /usr/bin/buildah "$@"\n`);
  chmodSync(join(dir, 'buildah'), 0o755);
  return { dir, log };
}

function run(workspace: string, inputs: Record<string, string>, extra: Partial<RunBundleOptions> = {}) {
  return runBundle('build-and-push', {
    workspace,
    inputs: { insecure: 'true', ...inputs },
    context: { sha: SHA, repository: 'acme/verity-api' },
    ...extra,
    // No docker daemon, even on machines that have one: these tests are about buildah.
    env: { ...store.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock', ...extra.env },
  });
}

async function registryManifest(registry: TestRegistry, repo: string, ref: string, auth?: string) {
  const response = await fetch(`${registry.url}/v2/${repo}/manifests/${ref}`, {
    headers: {
      Accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json',
      ...(auth ? { Authorization: auth } : {}),
    },
  });
  return { status: response.status, digest: response.headers.get('docker-content-digest'), body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

async function configLabels(registry: TestRegistry, repo: string, manifest: Record<string, unknown>, auth?: string): Promise<Record<string, string>> {
  const config = manifest.config as { digest: string };
  const response = await fetch(`${registry.url}/v2/${repo}/blobs/${config.digest}`, { headers: auth ? { Authorization: auth } : {} });
  return ((await response.json()) as { config: { Labels: Record<string, string> } }).config.Labels;
}

/** stdout as the runner shows it: ::add-mask:: commands are consumed, not printed. */
function visibleLog(stdout: string): string {
  return stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
}

const basicAuth = `Basic ${Buffer.from(`${USER.username}:${USER.password}`).toString('base64')}`;

describe('build-and-push bundle', () => {
  test('no inputs: our own input error, exit 1, every output set', async () => {
    const r = await runBundle('build-and-push');
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual(["input 'image' is required"]);
    expect(Object.keys(r.outputs).sort()).toEqual(['builder', 'digest', 'image-ref', 'metadata', 'skipped', 'tags']);
  });

  test.each([
    [{ 'build-args': 'NODE_ENV' }, "input 'build-args': each line must be KEY=VALUE (got 'NODE_ENV')"],
    [{ builder: 'kaniko' }, "input 'builder' must be one of auto, docker, buildah (got 'kaniko')"],
    [{ image: 'Quay.io/Acme/App' }, "input 'image': repository 'Acme/App' must be lower-case: use 'quay.io/acme/app' (got 'Quay.io/Acme/App')"],
    [{ tags: 'v1.0.0\nlatest!' }, "input 'tags': 'latest!' must be a valid image tag: letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-' (got 'latest!')"],
    [{ file: 'docker/Dockerfile.missing' }, "input 'file': docker/Dockerfile.missing does not exist"],
  ])('bad input %j fails before any build', async (inputs, message) => {
    const shim = recordingBuildah();
    const r = await run(app(), { image: `${anonymous.host}/acme/api`, ...inputs }, { env: { PATH: `${shim.dir}:${process.env.PATH}` } });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual([message]);
    expect(() => readFileSync(shim.log, 'utf8')).toThrow(); // buildah never ran
  });

  test("builder: docker with no daemon here fails clearly, before building", async () => {
    const r = await run(app(), { image: `${anonymous.host}/acme/api`, builder: 'docker' });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual([
      "input 'builder' is 'docker' but no docker daemon with buildx answers here; use builder: buildah or set up docker (docker/setup-buildx-action)",
    ]);
  });

  test('builds FROM scratch with buildah, pushes every tag, and reports what the registry serves', async () => {
    const image = `${anonymous.host}/acme/verity-api`;
    const r = await run(app(), { image, tags: `1.4.0\n${image}:sha-3f2a1c9\nstaging`, labels: 'team=payments' });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const served = await registryManifest(anonymous, 'acme/verity-api', '1.4.0');
    expect(r.outputs).toMatchObject({
      digest: served.digest,
      'image-ref': `${image}@${served.digest}`,
      tags: `${image}:1.4.0\n${image}:sha-3f2a1c9\n${image}:staging`,
      skipped: 'false',
      builder: 'buildah',
    });
    for (const tag of ['sha-3f2a1c9', 'staging']) expect((await registryManifest(anonymous, 'acme/verity-api', tag)).digest).toBe(served.digest);
    const labels = await configLabels(anonymous, 'acme/verity-api', served.body);
    expect(labels).toMatchObject({
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.source': 'https://github.com/acme/verity-api',
      'org.opencontainers.image.version': '1.4.0',
      'org.opencontainers.image.title': 'verity-api',
      team: 'payments',
    });
    expect(JSON.parse(r.outputs.metadata!)).toMatchObject({ digest: served.digest, builder: 'buildah', skipped: false });
    expect(r.summary).toContain(served.digest!);
    expect(r.stdout).toContain('builder: buildah (no docker daemon answers; buildah is installed)');
  });

  test('a re-run of the same commit skips the build and points new tags at the same digest', async () => {
    const image = `${anonymous.host}/acme/skipper`;
    const first = await run(app(), { image, tags: '2.0.0' });
    expect(first.exitCode).toBe(0);
    const shim = recordingBuildah();
    const again = await run(app(), { image, tags: '2.0.0\nproduction' }, { env: { PATH: `${shim.dir}:${process.env.PATH}` } });
    expect(again.exitCode).toBe(0);
    expect(again.outputs).toMatchObject({ skipped: 'true', digest: first.outputs.digest, builder: '' });
    expect((await registryManifest(anonymous, 'acme/skipper', 'production')).digest).toBe(first.outputs.digest);
    expect(again.stdout).toMatch(/skipping the build: .*:2\.0\.0 already holds sha256:[0-9a-f]{64}, built from this commit \(3f2a1c9\)/);
    expect(() => readFileSync(shim.log, 'utf8')).toThrow(); // buildah never ran
  });

  test('an existing tag from another commit is rebuilt', async () => {
    const image = `${anonymous.host}/acme/rebuilt`;
    expect((await run(app(), { image, tags: '3.0.0' })).exitCode).toBe(0);
    const other = await runBundle('build-and-push', {
      workspace: app('FROM scratch\nCOPY hello.txt /other.txt\n'),
      inputs: { image, tags: '3.0.0', insecure: 'true' },
      context: { sha: 'b'.repeat(40), repository: 'acme/verity-api' },
      env: { ...store.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    expect(other.exitCode).toBe(0);
    expect(other.outputs.skipped).toBe('false');
    expect(other.stdout).toContain('exists but was built from 3f2a1c9: building');
  });

  test('htpasswd registry: the password reaches buildah only through a private auth file that is removed', async () => {
    const shim = recordingBuildah();
    const image = `${basic.host}/acme/private`;
    const r = await run(app(), { image, tags: '1.0.0', ...USER }, { env: { PATH: `${shim.dir}:${process.env.PATH}` } });
    expect(r.exitCode).toBe(0);
    expect((await registryManifest(basic, 'acme/private', '1.0.0', basicAuth)).digest).toBe(r.outputs.digest);
    const argv = readFileSync(shim.log, 'utf8');
    expect(argv).toContain('--authfile');
    expect(argv).not.toContain(USER.password);
    // The runner swallows ::add-mask:: lines and masks the value everywhere after them.
    expect(r.stdout).toContain(`::add-mask::${USER.password}`);
    expect(visibleLog(r.stdout)).not.toContain(USER.password);
    const runnerTemp = r.env.RUNNER_TEMP!;
    expect(readdirSync(runnerTemp).filter((f) => f.startsWith('gitops-actions-'))).toEqual([]);
  });

  test('htpasswd registry: a wrong password is a clear error', async () => {
    const r = await run(app(), { image: `${basic.host}/acme/private`, tags: '9.9.9', username: USER.username, password: 'wrong-password' });
    expect(r.exitCode).toBe(1);
    expect(r.errors[0]).toMatch(/refused|unauthorized|authentication/i);
    expect(r.errors[0]).not.toContain('wrong-password');
  });

  test('token-auth registry (the GHCR and Docker Hub flow)', async () => {
    const image = `${token.host}/acme/tokened`;
    const r = await run(app(), { image, tags: '1.0.0', ...USER });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(token.tokenServer!.requests.some((q) => q.user === USER.username && q.status === 200)).toBe(true);
  });

  test('build secrets reach RUN --mount=type=secret and never appear in argv or the log', async () => {
    const secret = 'npm-token-Zx81-very-secret';
    const shim = recordingBuildah();
    const dockerfile = `FROM ${busybox}\nRUN --mount=type=secret,id=npmrc test "$(cat /run/secrets/npmrc)" = "${'$'}EXPECTED" && echo ok > /built\n`;
    const r = await run(
      app(dockerfile, {}),
      { image: `${anonymous.host}/acme/secretive`, tags: '1.0.0', secrets: `npmrc=${secret}`, 'build-args': 'EXPECTED=unused' },
      { env: { PATH: `${shim.dir}:${process.env.PATH}` } },
    );
    // The RUN step compares against an env var the build never sets: it must fail, proving the secret was read.
    expect(r.exitCode).toBe(1);
    const argv = readFileSync(shim.log, 'utf8');
    expect(argv).toMatch(/--secret id=npmrc,src=\S+secret-npmrc/);
    expect(argv).not.toContain(secret);
    expect(r.stdout).toContain(`::add-mask::${secret}`);
    expect(visibleLog(r.stdout)).not.toContain(secret.slice(0, 20));
  });

  test('build secrets: the RUN step sees the value', async () => {
    const secret = 'npm-token-Zx81-very-secret';
    const dockerfile = `FROM ${busybox}\nRUN --mount=type=secret,id=npmrc test "$(cat /run/secrets/npmrc)" = "${secret}"\n`;
    const r = await run(app(dockerfile, {}), { image: `${anonymous.host}/acme/secretive`, tags: '1.0.1', secrets: `npmrc=${secret}` });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
  });

  test('several platforms push one index whose digest is reported', async () => {
    const image = `${anonymous.host}/acme/multi`;
    const r = await run(app(), { image, tags: '1.0.0', platforms: 'linux/amd64,linux/arm64' });
    expect(r.exitCode).toBe(0);
    const served = await registryManifest(anonymous, 'acme/multi', '1.0.0');
    expect(served.digest).toBe(r.outputs.digest);
    const platforms = (served.body.manifests as { platform: { architecture: string } }[]).map((m) => m.platform.architecture).sort();
    expect(platforms).toEqual(['amd64', 'arm64']);
  });

  test('push: false builds without touching the registry', async () => {
    const r = await run(app(), { image: `${anonymous.host}/acme/local-only`, tags: '1.0.0', push: 'false' });
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ digest: '', tags: '', builder: 'buildah' });
    expect((await registryManifest(anonymous, 'acme/local-only', '1.0.0')).status).toBe(404);
  });
});

describe('build-and-push bundle with config (gitops.yaml)', () => {
  /** An app whose gitops.yaml names the image and says how to build it. */
  function configured(image: string, build: string): string {
    const dir = app('FROM scratch\nCOPY hello.txt /hello.txt\n');
    mkdirSync(join(dir, 'docker'));
    writeFileSync(join(dir, 'docker', 'Containerfile'), 'FROM scratch\nCOPY hello.txt /from-config.txt\n');
    writeFileSync(join(dir, 'gitops.yaml'), `app: verity-api\nimage: ${image}\nbuild: ${build}\nenvironments:\n  staging: {}\n`);
    return dir;
  }

  test('only config: the image, Dockerfile and labels the file names', async () => {
    const image = `${anonymous.host}/acme/configured`;
    const shim = recordingBuildah();
    const r = await run(configured(image, '{ file: docker/Containerfile, labels: { team: payments }, builder: buildah }'), { config: 'gitops.yaml', tags: '1.0.0' }, {
      env: { PATH: `${shim.dir}:${process.env.PATH}` },
    });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('gitops.yaml: image, file, builder, labels');
    const served = await registryManifest(anonymous, 'acme/configured', '1.0.0');
    expect(r.outputs['image-ref']).toBe(`${image}@${served.digest}`);
    expect(await configLabels(anonymous, 'acme/configured', served.body)).toMatchObject({ team: 'payments' });
    expect(readFileSync(shim.log, 'utf8')).toMatch(/docker\/Containerfile/);
  });

  test('an explicit input beats the file: builder docker from gitops.yaml, buildah given', async () => {
    const image = `${anonymous.host}/acme/overridden`;
    const ws = configured(image, '{ builder: docker }');
    const fromFile = await run(ws, { config: 'gitops.yaml', tags: '1.0.0' });
    expect(fromFile.exitCode).toBe(1);
    expect(fromFile.errors).toEqual([
      "input 'builder' is 'docker' but no docker daemon with buildx answers here; use builder: buildah or set up docker (docker/setup-buildx-action)",
    ]);
    const explicit = await run(ws, { config: 'gitops.yaml', tags: '1.0.0', builder: 'buildah' });
    expect(explicit.errors).toEqual([]);
    expect(explicit.outputs.builder).toBe('buildah');
    expect(explicit.stdout).toContain('(given as inputs, so not from the file: builder)');
  });

  test('a broken gitops.yaml: file:line, nothing built', async () => {
    const shim = recordingBuildah();
    const r = await run(configured(`${anonymous.host}/acme/broken`, '{ dockerfile: Dockerfile }'), { config: 'gitops.yaml' }, { env: { PATH: `${shim.dir}:${process.env.PATH}` } });
    expect(r.exitCode).toBe(1);
    expect(r.errors[0]).toMatch(/^gitops\.yaml:3:10: build\.dockerfile: .*did you mean 'file'\?/);
    expect(() => readFileSync(shim.log, 'utf8')).toThrow();
  });
});
