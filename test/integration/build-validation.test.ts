import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildAndPush, type BuildAndPushOptions } from '#core/build/build-and-push.js';

/** A context with a Dockerfile; the step must fail on its inputs before probing builders or registries. */
function options(overrides: Partial<BuildAndPushOptions> = {}): BuildAndPushOptions {
  const context = mkdtempSync(join(tmpdir(), 'ctx-'));
  writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nCOPY a /a\n');
  writeFileSync(join(context, 'a'), 'a');
  return {
    image: '127.0.0.1:5000/acme/api',
    tags: ['1.0.0'],
    context,
    file: '',
    builder: 'buildah',
    platforms: [],
    buildArgs: {},
    secrets: {},
    labels: {},
    target: '',
    push: true,
    cache: 'none',
    username: '',
    password: '',
    skipExisting: true,
    insecure: true,
    revision: 'a'.repeat(40),
    sourceUrl: 'https://github.com/acme/api',
    actionsCacheAvailable: false,
    tempDir: tmpdir(),
    dockerConfigDir: join(tmpdir(), 'no-docker-config'),
    buildahIsolation: 'chroot',
    removeLocalImage: true,
    ...overrides,
  };
}

const untouched = {
  log: () => {},
  probe: {
    docker: async () => { throw new Error('no builder may be probed before the inputs are valid'); },
    buildah: async () => { throw new Error('no builder may be probed before the inputs are valid'); },
  },
  registry: () => { throw new Error('no registry may be contacted before the inputs are valid'); },
  now: () => new Date(0),
};

describe('build-and-push rejects bad input before any build starts', () => {
  test.each([
    [{ image: 'not a ref' }, "input 'image' must not contain whitespace"],
    [{ image: 'Registry.example.com/Acme/API' }, "input 'image': repository 'Acme/API' must be lower-case: use 'registry.example.com/acme/api'"],
    [{ image: 'ghcr.io/acme/api:1.0' }, "input 'image' must name the repository only, without tag or digest (got 'ghcr.io/acme/api:1.0'); tags go in input 'tags'"],
    [{ image: 'https://ghcr.io/acme/api' }, "input 'image' must be an image reference without a URL scheme"],
    [{ tags: ['-bad'] }, "input 'tags': '-bad' must be a valid image tag"],
    [{ tags: ['ghcr.io/other/app:1.0'] }, "input 'tags': 'ghcr.io/other/app:1.0' is not a tag of input 'image' (127.0.0.1:5000/acme/api)"],
    [{ tags: ['127.0.0.1:5000/acme/api@sha256:' + 'a'.repeat(64)] }, "must end in a tag (':1.4.0'), without a digest"],
    [{ tags: [], revision: '' }, "input 'tags' is empty and there is no commit to derive sha-<short sha> from"],
    [{ context: '/nonexistent/ctx' }, "input 'context': /nonexistent/ctx is not a directory"],
    [{ file: '/nonexistent/Dockerfile' }, "input 'file': /nonexistent/Dockerfile does not exist"],
    [{ platforms: ['linux'] }, "input 'platforms': 'linux' must look like linux/amd64 or linux/arm64/v8"],
    [{ secrets: { 'bad id': 'x' } }, "input 'secrets': id 'bad id' may only use letters, digits"],
    [{ labels: { 'bad key': 'x' } }, "input 'labels': key 'bad key' may only use"],
    [{ username: 'u' }, "inputs 'username' and 'password' go together: give both or neither"],
  ])('%j', async (overrides, message) => {
    await expect(buildAndPush(options(overrides as Partial<BuildAndPushOptions>), untouched)).rejects.toThrow(message);
  });

  test('a context without a Dockerfile says where it looked', async () => {
    const context = mkdtempSync(join(tmpdir(), 'ctx-empty-'));
    mkdirSync(join(context, 'sub'));
    await expect(buildAndPush(options({ context }), untouched)).rejects.toThrow(
      `no Dockerfile in the build context ${context}: add one, or point input 'file' at it`,
    );
  });

  test('ghcr.io owners are lower-cased with a log line, as GHCR requires', async () => {
    const lines: string[] = [];
    await expect(
      buildAndPush(options({ image: 'ghcr.io/Acme/API', tags: ['ghcr.io/Acme/API:1.0.0'] }), { ...untouched, log: (l: string) => lines.push(l) }),
    ).rejects.toThrow('no registry may be contacted');
    expect(lines.join('\n')).toContain('ghcr.io stores repositories in lower case, using ghcr.io/acme/api for ghcr.io/Acme/API');
  });
});
