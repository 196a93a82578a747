import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { InputError, ToolError } from '#core/errors/errors.js';
import { renderHelm, resolveHelm, type ResolveHelmOptions } from '#core/render/engines/helm-engine.js';
import { downloadToFile } from '#core/tools/download.js';
import { findOnPath } from '#core/tools/find-on-path.js';
import { createStagingDir, findInToolCache, placeInToolCache } from '#core/tools/tool-cache.js';
import { startFileServer, type FileServer } from '../harness/file-server.js';
import { standInHelm } from '../harness/stand-in-helm.js';

/*
 * helm cannot be installed on these machines (no network but npm), so the
 * install path runs against a loopback server that publishes a release the
 * way get.helm.sh does: `helm-v<ver>-<os>-<arch>.tar.gz` holding
 * `<os>-<arch>/helm`, and `<archive>.sha256sum` holding `<hex>  <archive>`.
 * The `helm` in it is a shell script that answers the two commands we use
 * as helm does, and records the argv it was given.
 */

const ARCHIVE = 'helm-v3.19.0-linux-amd64.tar.gz';
const HELM_IN_CACHE = ['helm', '3.19.0', 'x64', 'linux-amd64', 'helm'];

/** A release archive laid out like helm's, built with the system tar, and its sha256sum line. */
function buildRelease(dir: string, helmScript: string): { archive: Buffer; sha256: string } {
  const src = mkdtempSync(join(dir, 'release-'));
  mkdirSync(join(src, 'linux-amd64'));
  writeFileSync(join(src, 'linux-amd64', 'helm'), helmScript, { mode: 0o755 });
  writeFileSync(join(src, 'linux-amd64', 'LICENSE'), 'Apache License 2.0 (stand-in)\n');
  writeFileSync(join(src, 'linux-amd64', 'README.md'), 'stand-in helm release\n');
  const file = join(dir, `${src.split('/').pop()}.tar.gz`);
  execFileSync('tar', ['-czf', file, '-C', src, 'linux-amd64']);
  const archive = readFileSync(file);
  return { archive, sha256: createHash('sha256').update(archive).digest('hex') };
}

let work: string;
let server: FileServer;
let cache: string;
let temp: string;
let record: string;
let release: { archive: Buffer; sha256: string };
const logs: string[] = [];

function publish(archive: Buffer, sha256: string, name = ARCHIVE): void {
  server.file(`/${name}`, archive);
  server.file(`/${name}.sha256sum`, `${sha256}  ${name}\n`);
}

function options(overrides: Partial<ResolveHelmOptions> = {}): ResolveHelmOptions {
  return {
    version: '3.19.0',
    toolCache: cache,
    tempDir: temp,
    downloadBaseUrl: server.url,
    searchPath: '',
    platform: 'linux',
    arch: 'x64',
    retryDelayMs: 0,
    log: (line) => logs.push(line),
    ...overrides,
  };
}

/** Everything under the helm version directory, to show nothing half-made was left. */
function versionDirEntries(): string[] {
  const dir = join(cache, 'helm', '3.19.0');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tool-install-'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

beforeEach(async () => {
  server = await startFileServer();
  cache = mkdtempSync(join(work, 'cache-'));
  temp = mkdtempSync(join(work, 'temp-'));
  record = join(mkdtempSync(join(work, 'record-')), 'argv');
  release = buildRelease(work, standInHelm({ version: 'v3.19.0', record }));
  publish(release.archive, release.sha256);
  logs.length = 0;
});

afterEach(async () => {
  await server.close();
});

describe('installing helm from its release URL', () => {
  test('downloads the checksum and the archive, verifies, unpacks into the tool-cache layout and marks it complete', async () => {
    const helm = await resolveHelm(options());
    expect(helm).toEqual({ path: join(cache, ...HELM_IN_CACHE), version: 'v3.19.0', source: 'download' });
    expect(server.requests.map((r) => [r.path, r.outcome])).toEqual([
      [`/${ARCHIVE}.sha256sum`, 200],
      [`/${ARCHIVE}`, 200],
    ]);
    // @actions/tool-cache's layout: <cache>/<tool>/<version>/<arch>/ plus <arch>.complete beside it.
    expect(versionDirEntries()).toEqual(['x64', 'x64.complete']);
    expect(readdirSync(join(cache, 'helm', '3.19.0', 'x64', 'linux-amd64')).sort()).toEqual(['LICENSE', 'README.md', 'helm']);
    expect(execFileSync(helm.path, ['version', '--template', '{{.Version}}'], { encoding: 'utf8' })).toBe('v3.19.0');
    expect(logs.join('\n')).toContain(`SHA-256 ${release.sha256} matches`);
    // The downloaded archive went to a private temp dir that is gone again.
    expect(readdirSync(temp)).toEqual([]);
  });

  test('a second resolve is a cache hit: the server sees no request', async () => {
    await resolveHelm(options());
    const before = server.requests.length;
    const again = await resolveHelm(options());
    expect(again.source).toBe('cache');
    expect(again.path).toBe(join(cache, ...HELM_IN_CACHE));
    expect(server.requests.length).toBe(before);
  });

  test('a checksum mismatch names both digests and leaves nothing in the cache', async () => {
    const other = createHash('sha256').update('something else').digest('hex');
    server.file(`/${ARCHIVE}.sha256sum`, `${other}  ${ARCHIVE}\n`);
    const error = await resolveHelm(options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toContain(`expected ${other}`);
    expect((error as Error).message).toContain(`got ${release.sha256}`);
    expect((error as Error).message).toContain(`${server.url}/${ARCHIVE}`);
    expect(versionDirEntries()).toEqual([]);
    expect(findInToolCache(cache, { tool: 'helm', version: '3.19.0', arch: 'x64' }, 'linux-amd64/helm')).toBeUndefined();
    expect(readdirSync(temp)).toEqual([]);
  });

  test('a checksum file that does not name the archive is an error before the archive is fetched', async () => {
    server.file(`/${ARCHIVE}.sha256sum`, `${release.sha256}  helm-v3.19.0-darwin-arm64.tar.gz\n`);
    const error = await resolveHelm(options()).catch((e: unknown) => e);
    expect((error as Error).message).toContain(`holds no SHA-256 for ${ARCHIVE}`);
    expect(server.requests.map((r) => r.path)).toEqual([`/${ARCHIVE}.sha256sum`]);
  });

  test('a missing release (404) is a clear error naming the URL', async () => {
    const error = await resolveHelm(options({ version: '3.99.0' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    const url = `${server.url}/helm-v3.99.0-linux-amd64.tar.gz.sha256sum`;
    expect((error as Error).message).toBe(`download ${url}: HTTP 404 Not Found from ${url}`);
    expect(existsSync(join(cache, 'helm'))).toBe(false);
  });

  test('a download cut short is retried, and reported when it keeps failing; nothing is cached', async () => {
    server.fault({ path: new RegExp(`^/${ARCHIVE}$`), fault: { kind: 'truncate', afterBytes: 100 }, times: Infinity });
    const error = await resolveHelm(options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toMatch(/cut short: .*100 of \d+ bytes/);
    expect((error as Error).message).toContain('after 3 attempts');
    expect(server.requests.filter((r) => r.outcome === 'truncated')).toHaveLength(3);
    expect(versionDirEntries()).toEqual([]);
  });

  test('one cut-short download is retried and the install succeeds', async () => {
    server.fault({ path: new RegExp(`^/${ARCHIVE}$`), fault: { kind: 'truncate', afterBytes: 10 } });
    const helm = await resolveHelm(options());
    expect(helm.source).toBe('download');
    expect(server.requests.map((r) => r.outcome)).toEqual([200, 'truncated', 200]);
    expect(logs.join('\n')).toMatch(/cut short.*trying again/);
  });

  test('a server error is retried; a 404 is not', async () => {
    server.fault({ path: /\.sha256sum$/, fault: { kind: 'status', status: 503 } });
    await resolveHelm(options());
    expect(server.requests.map((r) => r.outcome)).toEqual([503, 200, 200]);
  });

  test('two installs at once leave one valid cache entry and both get a working helm', async () => {
    // Both archive requests are held until both are in flight, so both installs download, unpack and race to place.
    server.barrier(new RegExp(`^/${ARCHIVE}$`), 2);
    const [a, b] = await Promise.all([resolveHelm(options()), resolveHelm(options())]);
    expect(a.path).toBe(join(cache, ...HELM_IN_CACHE));
    expect(b.path).toBe(a.path);
    expect(server.requests.filter((r) => r.path === `/${ARCHIVE}`)).toHaveLength(2);
    // Both unpacked a copy; one rename won, the other found the winner's entry and used it.
    expect(logs.filter((l) => /: cached at /.test(l))).toHaveLength(1);
    expect(logs.filter((l) => l.includes('another install cached it'))).toHaveLength(1);
    expect(versionDirEntries()).toEqual(['x64', 'x64.complete']);
    expect(execFileSync(a.path, ['version', '--template', '{{.Version}}'], { encoding: 'utf8' })).toBe('v3.19.0');
  });

  test('two installs in separate processes at once leave one valid cache entry', async () => {
    server.barrier(new RegExp(`^/${ARCHIVE}$`), 2);
    const script = `
      import { resolveHelm } from '#core/render/engines/helm-engine.js';
      const helm = await resolveHelm({ ...JSON.parse(process.env.RESOLVE_HELM_OPTIONS), log: (line) => console.error(line) });
      process.stdout.write(helm.path);
    `;
    const { log: _log, ...plain } = options();
    const run = () =>
      new Promise<{ path: string; log: string }>((resolve, reject) => {
        const env = { ...process.env, RESOLVE_HELM_OPTIONS: JSON.stringify(plain) };
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('close', (code) => (code === 0 ? resolve({ path: out, log: err }) : reject(new Error(`exit ${code}: ${err}`))));
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.path).toBe(join(cache, ...HELM_IN_CACHE));
    expect(b.path).toBe(a.path);
    expect([a.log, b.log].filter((l) => l.includes('another install cached it'))).toHaveLength(1);
    expect(versionDirEntries()).toEqual(['x64', 'x64.complete']);
  });

  test('a same-origin redirect is followed (a mirror that moved its files)', async () => {
    server.file(`/mirror/${ARCHIVE}`, release.archive);
    server.fault({ path: new RegExp(`^/${ARCHIVE}$`), fault: { kind: 'redirect', to: `/mirror/${ARCHIVE}` } });
    const helm = await resolveHelm(options());
    expect(helm.source).toBe('download');
    expect(server.requests.map((r) => r.path)).toEqual([`/${ARCHIVE}.sha256sum`, `/${ARCHIVE}`, `/mirror/${ARCHIVE}`]);
  });

  test('a plain-http redirect to another origin is refused', async () => {
    const other = await startFileServer();
    try {
      other.file(`/${ARCHIVE}`, release.archive);
      server.fault({ path: new RegExp(`^/${ARCHIVE}$`), fault: { kind: 'redirect', to: `${other.url}/${ARCHIVE}` } });
      const error = await resolveHelm(options()).catch((e: unknown) => e);
      expect((error as Error).message).toContain(`refused the redirect from ${server.url}/${ARCHIVE} to ${other.url}/${ARCHIVE}`);
      expect(other.requests).toEqual([]);
      expect(versionDirEntries()).toEqual([]);
    } finally {
      await other.close();
    }
  });

  test('an archive without the helm executable is refused and not cached', async () => {
    const src = mkdtempSync(join(work, 'empty-release-'));
    mkdirSync(join(src, 'linux-amd64'));
    writeFileSync(join(src, 'linux-amd64', 'README.md'), 'no binary here\n');
    const file = join(work, 'no-helm.tar.gz');
    execFileSync('tar', ['-czf', file, '-C', src, 'linux-amd64']);
    const archive = readFileSync(file);
    publish(archive, createHash('sha256').update(archive).digest('hex'));
    const error = await resolveHelm(options()).catch((e: unknown) => e);
    expect((error as Error).message).toContain('the archive has no executable linux-amd64/helm');
    expect(versionDirEntries()).toEqual([]);
  });

  test('a body larger than allowed is refused from its Content-Length, before it is read', async () => {
    const error = await downloadToFile(`${server.url}/${ARCHIVE}`, join(temp, 'x'), { maxBytes: 10, retryDelayMs: 0 }).catch((e: unknown) => e);
    expect((error as Error).message).toContain(`the server announced ${release.archive.length} bytes, more than the 10 accepted`);
    expect(server.requests).toHaveLength(1);
  });

  test('a server that stops sending is given up on after the idle timeout, and retried', async () => {
    server.fault({ path: new RegExp(`^/${ARCHIVE}$`), fault: { kind: 'stall', afterBytes: 100 }, times: Infinity });
    const error = await downloadToFile(`${server.url}/${ARCHIVE}`, join(temp, 'x'), { maxBytes: 1 << 30, idleTimeoutMs: 200, attempts: 2, retryDelayMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toMatch(/cut short: the connection failed after 100 of \d+ bytes \(no data for 200 ms\) \(after 2 attempts\)/);
    expect(server.requests.map((r) => r.outcome)).toEqual(['stalled', 'stalled']);
  });

  test('there is no install on Windows: helm must be on PATH there', async () => {
    const error = await resolveHelm(options({ platform: 'win32' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('on Windows put helm v3.19.0 on PATH');
    expect(server.requests).toEqual([]);
  });
});

describe('the tool cache under races and leftovers', () => {
  const key = { tool: 'helm', version: '3.19.0', arch: 'x64' };

  function staged(content: string): string {
    const dir = createStagingDir(cache, key);
    mkdirSync(join(dir, 'linux-amd64'));
    writeFileSync(join(dir, 'linux-amd64', 'helm'), content, { mode: 0o755 });
    return dir;
  }

  test('the second of two placements keeps the first entry and drops its own copy', () => {
    const first = staged('#!/bin/sh\necho first\n');
    const second = staged('#!/bin/sh\necho second\n');
    const { dir: a, placed: firstPlaced } = placeInToolCache(cache, key, first, 'linux-amd64/helm', 'first');
    const { dir: b, placed: secondPlaced } = placeInToolCache(cache, key, second, 'linux-amd64/helm', 'second');
    expect([firstPlaced, secondPlaced]).toEqual([true, false]);
    expect(b).toBe(a);
    expect(existsSync(second)).toBe(false);
    expect(readFileSync(join(a, 'linux-amd64', 'helm'), 'utf8')).toContain('first');
    expect(versionDirEntries()).toEqual(['x64', 'x64.complete']);
  });

  test('a leftover entry that was never completed is replaced, not trusted', () => {
    // What an interrupted copy by another tool leaves: the directory, no .complete marker.
    mkdirSync(join(cache, 'helm', '3.19.0', 'x64', 'linux-amd64'), { recursive: true });
    writeFileSync(join(cache, 'helm', '3.19.0', 'x64', 'linux-amd64', 'helm'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    expect(findInToolCache(cache, key, 'linux-amd64/helm')).toBeUndefined();
    const { dir, placed } = placeInToolCache(cache, key, staged('#!/bin/sh\necho good\n'), 'linux-amd64/helm', 'ours');
    expect(placed).toBe(true);
    expect(readFileSync(join(dir, 'linux-amd64', 'helm'), 'utf8')).toContain('good');
    expect(findInToolCache(cache, key, 'linux-amd64/helm')).toBe(dir);
    expect(versionDirEntries()).toEqual(['x64', 'x64.complete']);
  });

  test('an entry made by @actions/tool-cache (directory + .complete) is used as it is', async () => {
    const dir = join(cache, 'helm', '3.19.0', 'x64');
    mkdirSync(join(dir, 'linux-amd64'), { recursive: true });
    writeFileSync(join(dir, 'linux-amd64', 'helm'), standInHelm({ version: 'v3.19.0', record }), { mode: 0o755 });
    writeFileSync(`${dir}.complete`, '');
    const helm = await resolveHelm(options());
    expect(helm).toEqual({ path: join(dir, 'linux-amd64', 'helm'), version: 'v3.19.0', source: 'cache' });
    expect(server.requests).toEqual([]);
  });

  test('cache keys that could leave the cache directory are refused', () => {
    expect(() => findInToolCache(cache, { ...key, version: '../../etc' }, 'helm')).toThrow(/not a plain name/);
  });
});

describe('helm from PATH', () => {
  function pathWithHelm(version: string, body?: string): string {
    const dir = mkdtempSync(join(work, 'bin-'));
    writeFileSync(join(dir, 'helm'), body ?? standInHelm({ version, record }));
    chmodSync(join(dir, 'helm'), 0o755);
    return dir;
  }

  test('the right version on PATH is used without any download', async () => {
    const bin = pathWithHelm('v3.19.0');
    const helm = await resolveHelm(options({ searchPath: `/nonexistent:relative/bin:${bin}` }));
    expect(helm).toEqual({ path: join(bin, 'helm'), version: 'v3.19.0', source: 'path' });
    expect(server.requests).toEqual([]);
    expect(existsSync(join(cache, 'helm'))).toBe(false);
  });

  test('another version on PATH is not used: the requested release is installed', async () => {
    const bin = pathWithHelm('v3.14.4');
    const helm = await resolveHelm(options({ searchPath: bin }));
    expect(helm.source).toBe('download');
    expect(helm.path).toBe(join(cache, ...HELM_IN_CACHE));
    expect(logs.join('\n')).toContain(`helm on PATH (${join(bin, 'helm')}) is v3.14.4, not v3.19.0`);
  });

  test('a helm on PATH that fails to answer is passed over', async () => {
    const bin = pathWithHelm('', '#!/bin/sh\necho "exec format error" >&2\nexit 126\n');
    const helm = await resolveHelm(options({ searchPath: bin }));
    expect(helm.source).toBe('download');
    expect(logs.join('\n')).toContain("did not answer 'helm version'");
  });

  test("on Windows the helm on PATH is helm.exe, and it is used (there is nothing to install there)", async () => {
    const bin = mkdtempSync(join(work, 'winbin-'));
    writeFileSync(join(bin, 'helm.exe'), standInHelm({ version: 'v3.19.0', record }), { mode: 0o755 });
    const helm = await resolveHelm(options({ platform: 'win32', searchPath: bin }));
    expect(helm).toEqual({ path: join(bin, 'helm.exe'), version: 'v3.19.0', source: 'path' });
  });

  test('an unset tool cache is refused rather than filling the working directory', async () => {
    const error = await resolveHelm(options({ toolCache: '' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe("the tool cache must be an absolute directory (got '')");
    expect(server.requests).toEqual([]);
  });

  test('findOnPath skips relative entries and non-executable files', () => {
    const plain = mkdtempSync(join(work, 'plain-'));
    writeFileSync(join(plain, 'helm'), 'not executable', { mode: 0o644 });
    const bin = pathWithHelm('v3.19.0');
    expect(findOnPath('helm', `.:${plain}:${bin}`)).toBe(join(bin, 'helm'));
    expect(findOnPath('helm', plain)).toBeUndefined();
  });
});

describe('rendering with the installed helm', () => {
  function chart(): string {
    const dir = mkdtempSync(join(work, 'chart-'));
    writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: verity-api\nversion: 0.1.0\n');
    writeFileSync(join(dir, 'values.yaml'), 'replicas: 1\n');
    writeFileSync(join(dir, 'values-staging.yaml'), 'replicas: 2\n');
    return dir;
  }

  function recordedArgv(): string[] {
    return readFileSync(record, 'utf8').split('\0').slice(0, -1);
  }

  test('helm template gets the release, chart, namespace, kube version, values and set flags; the output is parsed', async () => {
    const helm = await resolveHelm(options());
    const dir = chart();
    const result = await renderHelm({
      helm: helm.path,
      chart: dir,
      releaseName: 'verity-api',
      namespace: 'verity',
      valuesFiles: [join(dir, 'values.yaml'), join(dir, 'values-staging.yaml')],
      set: ['image.tag=1.4.0', 'env.ALLOWED=a,b', 'nodeSelector.kubernetes\\.io/os=linux'],
      kubeVersion: '1.32',
      timeoutMs: 30_000,
    });
    expect(recordedArgv()).toEqual([
      'template',
      'verity-api',
      dir,
      '--namespace=verity',
      '--kube-version=1.32',
      `--values=${join(dir, 'values.yaml')}`,
      `--values=${join(dir, 'values-staging.yaml')}`,
      '--set-string=image.tag=1.4.0',
      '--set-string=env.ALLOWED=a\\,b',
      '--set-string=nodeSelector.kubernetes\\.io/os=linux',
      '--include-crds',
      '--skip-tests',
    ]);
    expect(result.chartName).toBe('verity-api');
    expect(result.documents.map((d) => [d.source, (d.content as { kind: string }).kind])).toEqual([
      ['verity-api/crds/widgets.example.com.yaml', 'CustomResourceDefinition'],
      ['verity-api/templates/serviceaccount.yaml', 'ServiceAccount'],
      ['verity-api/templates/service.yaml', 'Service'],
      ['verity-api/templates/deployment.yaml', 'Deployment'],
      ['verity-api/templates/migrate-job.yaml', 'Job'],
    ]);
    // Strings stay strings through our YAML reader, whatever a YAML 1.1 reader would make of them.
    const deployment = result.documents[3]?.content as { spec: { template: { spec: { containers: { env: { value: unknown }[] }[] } } } };
    expect(deployment.spec.template.spec.containers[0]?.env[0]?.value).toBe('no');
  });

  test('an oci:// chart with a version carries it as --version, and its name is the last path segment', async () => {
    const helm = await resolveHelm(options());
    const result = await renderHelm({
      helm: helm.path,
      chart: 'oci://ghcr.io/acme/charts/verity-api:1.2.3',
      releaseName: 'verity-api',
      namespace: '',
      valuesFiles: [],
      set: [],
      kubeVersion: '',
      timeoutMs: 30_000,
    });
    expect(recordedArgv()).toEqual(['template', 'verity-api', 'oci://ghcr.io/acme/charts/verity-api', '--namespace=default', '--version=1.2.3', '--include-crds', '--skip-tests']);
    expect(result.chartName).toBe('verity-api');
  });

  test("a failing helm template is a ToolError carrying helm's stderr", async () => {
    const failing = buildRelease(work, standInHelm({ version: 'v3.19.0', record, fail: true }));
    publish(failing.archive, failing.sha256);
    const helm = await resolveHelm(options());
    const error = await renderHelm({
      helm: helm.path,
      chart: chart(),
      releaseName: 'verity-api',
      namespace: 'verity',
      valuesFiles: [],
      set: [],
      kubeVersion: '1.32',
      timeoutMs: 30_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).exitCode).toBe(1);
    expect((error as Error).message).toContain('nil pointer evaluating interface {}.repository');
    expect((error as Error).message).toContain(`${helm.path} template verity-api`);
  });
});
