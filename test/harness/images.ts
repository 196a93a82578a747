import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';

/**
 * Test images, made two ways: with real `buildah` in a storage root of the test's own
 * (scratch images, a busybox base for RUN steps, pushes), and straight over the
 * distribution HTTP API from Node for shapes buildah does not produce on demand
 * (multi-platform indexes, large many-layer images).
 */

// ---------------------------------------------------------------------------------------------
// Running the container tools

export interface CommandResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a tool from an argv array (never a shell) and throws with the stderr tail when it
 * fails. Asynchronous on purpose: the token server and fault proxy the tool talks to live
 * in this same process and must keep serving while it runs.
 */
export function runCommand(
  argv: readonly string[],
  options: { env?: Record<string, string | undefined>; timeoutMs?: number; cwd?: string } = {},
): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('runCommand needs a command');
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${file} could not run: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else {
        const tail = stderr.trimEnd().split('\n').slice(-15).join('\n');
        reject(Object.assign(new Error(`${argv.join(' ')} exited with ${code ?? signal}:\n${tail}`), { stdout, stderr }));
      }
    });
  });
}

export interface RegistryCredentials {
  username: string;
  password: string;
}

/**
 * A containers-auth.json (docker config format) readable only by this user, for
 * `--authfile`: the way credentials reach buildah and skopeo without ever being in argv.
 */
export function writeAuthFile(dir: string, auths: Record<string, RegistryCredentials>): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `auth-${randomBytes(4).toString('hex')}.json`);
  const entries = Object.fromEntries(
    Object.entries(auths).map(([host, c]) => [host, { auth: Buffer.from(`${c.username}:${c.password}`).toString('base64') }]),
  );
  writeFileSync(path, JSON.stringify({ auths: entries }), { mode: 0o600 });
  return path;
}

// ---------------------------------------------------------------------------------------------
// buildah, in a storage root of the test's own

/** The applets the busybox base links into /bin: enough for ordinary RUN steps. */
const BUSYBOX_APPLETS = [
  'sh', 'echo', 'cat', 'ls', 'mkdir', 'cp', 'mv', 'rm', 'touch', 'env', 'printf',
  'true', 'false', 'test', '[', 'grep', 'sed', 'wc', 'id', 'chmod', 'ln', 'head', 'tr',
];

export interface BuildImageOptions {
  /** Containerfile text; it is written outside the context, so `COPY . /` copies only `files`. */
  containerfile: string;
  /** Context files: relative path → content. */
  files?: Record<string, string | Buffer>;
  /** Image name to tag; a fresh `localhost/gha-test-N:latest` by default. */
  tag?: string;
  labels?: Record<string, string>;
  buildArgs?: Record<string, string>;
  /** Image format buildah writes: 'oci' (buildah's default) or 'docker' (v2 schema 2 media types). */
  format?: 'oci' | 'docker';
}

export interface PushOptions {
  /** Plain HTTP to the loopback registry; default false (i.e. `--tls-verify=false`). */
  tlsVerify?: boolean;
  /** Written to a private auth file for the reference's registry host; none → an empty auth file. */
  creds?: RegistryCredentials;
}

export interface BuildahStore {
  /** The temp directory holding everything below; removed by cleanup(). */
  dir: string;
  root: string;
  runroot: string;
  /**
   * Environment that points any buildah/podman/skopeo child (e.g. the code under test) at
   * this storage root through a storage.conf, without it passing --root itself.
   */
  env: Record<string, string>;
  /** `buildah --root … --runroot … <args>` */
  buildah(args: readonly string[]): Promise<CommandResult>;
  /** `buildah build --isolation chroot`; returns the tag and image ID. */
  buildImage(options: BuildImageOptions): Promise<{ image: string; id: string }>;
  /** An image `FROM scratch` with exactly `files` in it (and `labels`). */
  buildScratchImage(options: {
    files: Record<string, string | Buffer>;
    labels?: Record<string, string>;
    tag?: string;
    format?: 'oci' | 'docker';
  }): Promise<{ image: string; id: string }>;
  /** A tiny base with Debian's static busybox as /bin/sh and friends, for Containerfiles with RUN steps. */
  makeBusyboxBase(tag?: string): Promise<string>;
  /** `buildah push` to `docker://<ref>`; returns the manifest digest the registry stored. */
  pushImage(image: string, ref: string, options?: PushOptions): Promise<{ digest: string }>;
  /** Removes working containers and the whole storage root. */
  cleanup(): Promise<void>;
}

/**
 * A private buildah storage (graph root + run root in a temp dir), so tests never share
 * images or locks with each other or with the machine's /var/lib/containers. Uses buildah's
 * default storage driver (overlay on this machine's ext4 /tmp, as root).
 */
export function createBuildahStore(): BuildahStore {
  const dir = mkdtempSync(join(tmpdir(), 'gha-buildah-'));
  chmodSync(dir, 0o700);
  const root = join(dir, 'root');
  const runroot = join(dir, 'runroot');
  const storageConf = join(dir, 'storage.conf');
  writeFileSync(storageConf, `[storage]\ngraphroot = ${JSON.stringify(root)}\nrunroot = ${JSON.stringify(runroot)}\n`);
  let counter = 0;
  const scratch = (prefix: string) => {
    const path = join(dir, `${prefix}-${++counter}`);
    mkdirSync(path);
    return path;
  };

  const buildah = (args: readonly string[]) =>
    runCommand(['buildah', '--root', root, '--runroot', runroot, ...args], { env: { CONTAINERS_STORAGE_CONF: storageConf } });

  const buildImage = async (options: BuildImageOptions) => {
    const context = scratch('context');
    writeFiles(context, options.files ?? {});
    const containerfile = join(scratch('containerfile'), 'Containerfile');
    writeFileSync(containerfile, options.containerfile);
    const tag = options.tag ?? `localhost/gha-test-${counter}:latest`;
    const idFile = join(dir, `iid-${counter}`);
    await buildah([
      'build',
      '--isolation', 'chroot',
      '--iidfile', idFile,
      '--file', containerfile,
      '--tag', tag,
      ...(options.format ? ['--format', options.format] : []),
      ...Object.entries(options.labels ?? {}).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
      ...Object.entries(options.buildArgs ?? {}).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
      context,
    ]);
    return { image: tag, id: readFileSync(idFile, 'utf8').trim().replace(/^sha256:/, '') };
  };

  return {
    dir,
    root,
    runroot,
    env: { CONTAINERS_STORAGE_CONF: storageConf },
    buildah,
    buildImage,
    buildScratchImage: ({ files, ...rest }) => buildImage({ containerfile: 'FROM scratch\nCOPY . /\n', files, ...rest }),

    async makeBusyboxBase(tag = 'localhost/gha-busybox-base:latest') {
      // Debian's busybox-static: a busybox with no libc to find inside a scratch image.
      const rootfs = scratch('busybox-rootfs');
      mkdirSync(join(rootfs, 'bin'));
      mkdirSync(join(rootfs, 'tmp'), { mode: 0o1777 });
      writeFileSync(join(rootfs, 'bin', 'busybox'), readFileSync('/bin/busybox'), { mode: 0o755 });
      for (const applet of BUSYBOX_APPLETS) symlinkSync('busybox', join(rootfs, 'bin', applet));
      const container = (await buildah(['from', 'scratch'])).stdout.trim();
      try {
        await buildah(['copy', container, `${rootfs}/`, '/']);
        await buildah(['config', '--env', 'PATH=/bin', '--cmd', '/bin/sh', container]);
        await buildah(['commit', '--quiet', container, tag]);
      } finally {
        await buildah(['rm', container]);
      }
      return tag;
    },

    async pushImage(image, ref, options = {}) {
      const host = ref.split('/')[0] ?? '';
      const authFile = writeAuthFile(join(dir, 'auth'), options.creds ? { [host]: options.creds } : {});
      const digestFile = join(dir, `digest-${++counter}`);
      try {
        await buildah([
          'push',
          `--tls-verify=${options.tlsVerify ?? false}`,
          '--authfile', authFile,
          '--digestfile', digestFile,
          image,
          `docker://${ref}`,
        ]);
        return { digest: readFileSync(digestFile, 'utf8').trim() };
      } finally {
        rmSync(authFile, { force: true });
      }
    },

    async cleanup() {
      if (!existsSync(dir)) return;
      try {
        await buildah(['rm', '--all']);
      } catch {
        // An empty or half-created store has nothing to remove.
      }
      // A crashed build can leave overlay mounts under the root; rm -rf cannot cross them.
      for (const mount of mountsUnder(dir).reverse()) {
        await runCommand(['umount', '--lazy', mount]).catch(() => undefined);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function writeFiles(base: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    const clean = normalize(path);
    if (isAbsolute(clean) || clean.startsWith('..')) throw new Error(`context file path must be relative and inside: ${path}`);
    mkdirSync(dirname(join(base, clean)), { recursive: true });
    writeFileSync(join(base, clean), content);
  }
}

function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .map((field) => field.replace(/\\040/g, ' '))
    .filter((mountPoint) => mountPoint.startsWith(`${dir}/`));
}

// ---------------------------------------------------------------------------------------------
// Images over the distribution HTTP API, from Node

export const MEDIA_TYPES = {
  oci: {
    index: 'application/vnd.oci.image.index.v1+json',
    manifest: 'application/vnd.oci.image.manifest.v1+json',
    config: 'application/vnd.oci.image.config.v1+json',
    layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  },
  docker: {
    index: 'application/vnd.docker.distribution.manifest.list.v2+json',
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
} as const;

export type ManifestFormat = keyof typeof MEDIA_TYPES;

export interface HttpUploadOptions {
  /** For htpasswd (Basic) or token (Bearer via the realm) registries; anonymous when omitted. */
  credentials?: RegistryCredentials;
  /** OCI (default) or Docker v2 schema 2 media types. */
  format?: ManifestFormat;
}

export interface MultiPlatformIndex {
  indexDigest: string;
  indexMediaType: string;
  /** The exact bytes stored, so tests can compare what they read back. */
  indexBytes: Buffer;
  manifestDigests: { 'linux/amd64': string; 'linux/arm64': string };
}

/**
 * Pushes an image index with a linux/amd64 and a linux/arm64 image (tiny config and layer
 * blobs built in memory), the way a multi-platform `buildx --push` leaves it in a registry:
 * blobs first, then each manifest by digest, then the index under `tag`.
 */
export async function uploadMultiPlatformIndex(
  registryUrl: string,
  repo: string,
  tag: string,
  options: HttpUploadOptions = {},
): Promise<MultiPlatformIndex> {
  const types = MEDIA_TYPES[options.format ?? 'oci'];
  const session = await RegistrySession.open(registryUrl, repo, options.credentials);
  const platforms = [
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm64' },
  ] as const;
  const entries = [];
  for (const platform of platforms) {
    const tar = tarArchive([{ name: 'platform.txt', content: Buffer.from(`${platform.os}/${platform.architecture}\n`) }]);
    // zlib writes mtime 0 in the gzip header, so these digests are the same on every run.
    const layer = gzipSync(tar, { level: 9 });
    const config = jsonBytes({
      created: '2024-01-01T00:00:00Z',
      ...platform,
      config: { Cmd: ['/platform.txt'] },
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
    });
    await session.uploadBlob(layer);
    await session.uploadBlob(config);
    const manifest = jsonBytes({
      schemaVersion: 2,
      mediaType: types.manifest,
      config: { mediaType: types.config, digest: sha256(config), size: config.length },
      layers: [{ mediaType: types.layer, digest: sha256(layer), size: layer.length }],
    });
    const digest = sha256(manifest);
    await session.putManifest(digest, manifest, types.manifest);
    entries.push({ mediaType: types.manifest, digest, size: manifest.length, platform });
  }
  const index = jsonBytes({ schemaVersion: 2, mediaType: types.index, manifests: entries });
  await session.putManifest(tag, index, types.index);
  return {
    indexDigest: sha256(index),
    indexMediaType: types.index,
    indexBytes: index,
    manifestDigests: { 'linux/amd64': entries[0]!.digest, 'linux/arm64': entries[1]!.digest },
  };
}

export interface LayeredImageOptions extends HttpUploadOptions {
  layers: number;
  /** Random (incompressible) payload bytes per layer. */
  layerBytes: number;
  /** Layers uploaded at once; default 2 (the machine has 2 cores). */
  concurrency?: number;
}

export interface LayeredImage {
  manifestDigest: string;
  manifestMediaType: string;
  configDigest: string;
  layers: { digest: string; size: number }[];
  /** Sum of the compressed layer sizes: what a copy has to move. */
  totalBytes: number;
}

/**
 * A linux/amd64 image with `layers` gzipped tar layers of random bytes, for retag and copy
 * benchmarks. Each layer is generated, hashed and uploaded as a stream (POST, chunked PATCH,
 * PUT ?digest=), so 20 × 10 MB never sits in memory at once.
 */
export async function makeLayeredImage(
  registryUrl: string,
  repo: string,
  tag: string,
  options: LayeredImageOptions,
): Promise<LayeredImage> {
  const types = MEDIA_TYPES[options.format ?? 'oci'];
  const session = await RegistrySession.open(registryUrl, repo, options.credentials);
  const results: { digest: string; size: number; diffId: string }[] = new Array(options.layers);
  let next = 0;
  const worker = async () => {
    while (next < options.layers) {
      const index = next++;
      const layer = randomLayer(`layer-${index}.bin`, options.layerBytes);
      const uploaded = await session.uploadStream(layer.stream);
      results[index] = { ...uploaded, diffId: layer.diffId() };
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 2, options.layers) }, worker));
  const config = jsonBytes({
    created: new Date().toISOString(),
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/bin'] },
    rootfs: { type: 'layers', diff_ids: results.map((r) => r.diffId) },
    history: results.map((_, i) => ({ created_by: `generated layer ${i}` })),
  });
  await session.uploadBlob(config);
  const manifest = jsonBytes({
    schemaVersion: 2,
    mediaType: types.manifest,
    config: { mediaType: types.config, digest: sha256(config), size: config.length },
    layers: results.map((r) => ({ mediaType: types.layer, digest: r.digest, size: r.size })),
  });
  await session.putManifest(tag, manifest, types.manifest);
  return {
    manifestDigest: sha256(manifest),
    manifestMediaType: types.manifest,
    configDigest: sha256(config),
    layers: results.map(({ digest, size }) => ({ digest, size })),
    totalBytes: results.reduce((sum, r) => sum + r.size, 0),
  };
}

/**
 * A gzipped tar holding one file of random bytes, as a stream. Random data does not
 * compress, so deflate stores it either way; level 0 says so up front and is ~3× faster
 * than level 1 while producing the same kind of stream (stored deflate blocks).
 */
function randomLayer(name: string, bytes: number): { stream: Readable; diffId(): string } {
  const diffIdHash = createHash('sha256');
  async function* tar() {
    const emit = (chunk: Buffer) => {
      diffIdHash.update(chunk);
      return chunk;
    };
    yield emit(tarHeader(name, bytes));
    const chunk = 1024 * 1024;
    for (let left = bytes; left > 0; left -= chunk) yield emit(randomBytes(Math.min(chunk, left)));
    yield emit(Buffer.alloc((512 - (bytes % 512)) % 512));
    yield emit(Buffer.alloc(1024));
  }
  const stream = Readable.from(tar()).pipe(createGzip({ level: 0 }));
  // The uncompressed tar's digest (the config's diff_id), known once the stream has ended.
  return { stream, diffId: () => `sha256:${diffIdHash.copy().digest('hex')}` };
}

/** A minimal POSIX ustar archive of regular files, enough for a layer a registry and runtimes accept. */
function tarArchive(files: { name: string; content: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(tarHeader(file.name, file.content.length), file.content, Buffer.alloc((512 - (file.content.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

function tarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0') + '\0';
  header.write(name, 0, 100, 'utf8');
  header.write(octal(0o644, 8), 100);
  header.write(octal(0, 8), 108);
  header.write(octal(0, 8), 116);
  header.write(octal(size, 12), 124);
  header.write(octal(1_704_067_200, 12), 136); // 2024-01-01: fixed, so layers are reproducible
  header.write('        ', 148); // checksum field counts as spaces while summing
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return header;
}

function jsonBytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Just enough of a registry client to upload test data: answers the `/v2/` challenge once
 * (Basic, or Bearer with a push+pull token for `repo`) and sends that on every request.
 * Deliberately separate from the product's registry client, so the harness does not test
 * the code under test with itself.
 */
class RegistrySession {
  private constructor(
    private readonly base: URL,
    private readonly repo: string,
    private readonly authorization: string | undefined,
  ) {}

  static async open(registryUrl: string, repo: string, credentials?: RegistryCredentials): Promise<RegistrySession> {
    const base = new URL(registryUrl);
    const ping = await send('GET', new URL('/v2/', base), {});
    if (ping.status === 200) return new RegistrySession(base, repo, undefined);
    const challenge = ping.headers['www-authenticate'] ?? '';
    if (ping.status !== 401 || !challenge) throw new Error(`GET /v2/ answered ${ping.status}: ${ping.body.toString('utf8')}`);
    const basic = credentials
      ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
      : undefined;
    if (/^basic\b/i.test(challenge)) {
      if (!basic) throw new Error('the registry wants Basic credentials and none were given');
      return new RegistrySession(base, repo, basic);
    }
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!/^bearer\b/i.test(challenge) || !params.realm) throw new Error(`unsupported challenge: ${challenge}`);
    const tokenUrl = new URL(params.realm);
    if (params.service) tokenUrl.searchParams.set('service', params.service);
    tokenUrl.searchParams.set('scope', `repository:${repo}:pull,push`);
    const reply = await send('GET', tokenUrl, basic ? { authorization: basic } : {});
    if (reply.status !== 200) throw new Error(`token request answered ${reply.status}: ${reply.body.toString('utf8')}`);
    const body = JSON.parse(reply.body.toString('utf8')) as { token?: string; access_token?: string };
    return new RegistrySession(base, repo, `Bearer ${body.token ?? body.access_token}`);
  }

  private headers(extra: Record<string, string | number> = {}): Record<string, string | number> {
    return { ...(this.authorization ? { authorization: this.authorization } : {}), ...extra };
  }

  private async startUpload(): Promise<URL> {
    const reply = await send('POST', new URL(`/v2/${this.repo}/blobs/uploads/`, this.base), this.headers({ 'content-length': 0 }));
    expectStatus(reply, 202, 'start upload');
    return new URL(String(reply.headers.location), this.base);
  }

  /** Monolithic upload (POST, then PUT with the whole body), skipped when the blob is there. */
  async uploadBlob(data: Buffer): Promise<void> {
    const digest = sha256(data);
    const head = await send('HEAD', new URL(`/v2/${this.repo}/blobs/${digest}`, this.base), this.headers());
    if (head.status === 200) return;
    const location = await this.startUpload();
    location.searchParams.set('digest', digest);
    const reply = await send(
      'PUT',
      location,
      this.headers({ 'content-type': 'application/octet-stream', 'content-length': data.length }),
      data,
    );
    expectStatus(reply, 201, `upload ${digest}`);
  }

  /**
   * Streamed upload: the body goes out in one chunked PATCH while it is hashed, and the PUT
   * that closes the upload names the digest that only then is known.
   */
  async uploadStream(data: Readable): Promise<{ digest: string; size: number }> {
    const location = await this.startUpload();
    const digestHash = createHash('sha256');
    let size = 0;
    const counted = data.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          digestHash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      }),
    );
    data.on('error', (error) => counted.destroy(error));
    const patch = await send('PATCH', location, this.headers({ 'content-type': 'application/octet-stream' }), counted);
    expectStatus(patch, 202, 'upload layer data');
    const digest = `sha256:${digestHash.digest('hex')}`;
    const finish = new URL(String(patch.headers.location), this.base);
    finish.searchParams.set('digest', digest);
    expectStatus(await send('PUT', finish, this.headers({ 'content-length': 0 })), 201, `finish ${digest}`);
    return { digest, size };
  }

  async putManifest(reference: string, body: Buffer, mediaType: string): Promise<void> {
    const reply = await send(
      'PUT',
      new URL(`/v2/${this.repo}/manifests/${reference}`, this.base),
      this.headers({ 'content-type': mediaType, 'content-length': body.length }),
      body,
    );
    expectStatus(reply, 201, `put manifest ${reference}`);
  }
}

function expectStatus(reply: HttpReply, status: number, what: string): void {
  if (reply.status !== status) throw new Error(`${what}: registry answered ${reply.status}: ${reply.body.toString('utf8')}`);
}

/** One HTTP request with node:http, which streams request bodies without fetch's `duplex` caveats. */
function send(
  method: string,
  url: URL,
  headers: Record<string, string | number>,
  body?: Buffer | Readable,
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body instanceof Readable) pipeline(body, req).catch(reject);
    else req.end(body);
  });
}
