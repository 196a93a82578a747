import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../errors/errors.js';
import { withPrivateTempDir } from '../exec/private-temp-dir.js';
import type { BuildResult, BuilderName, BuildSpec } from './build-spec.js';
import { buildWithBuildah } from './buildah-builder.js';
import { buildWithDocker } from './docker-builder.js';
import { imageLabels } from './oci-labels.js';
import { writeAuthFile, writeDockerConfigDir, type RegistryLogin } from './registry-auth-file.js';
import { selectBuilder, type BuilderProbe } from './select-builder.js';
import { resolveImage, resolveTags } from './image-refs.js';

export interface BuildAndPushOptions {
  image: string;
  tags: readonly string[];
  context: string;
  file: string;
  builder: 'auto' | BuilderName;
  platforms: readonly string[];
  buildArgs: Record<string, string>;
  secrets: Record<string, string>;
  labels: Record<string, string>;
  target: string;
  push: boolean;
  cache: 'auto' | 'registry' | 'none';
  username: string;
  password: string;
  skipExisting: boolean;
  insecure: boolean;
  /** The commit being built (GITHUB_SHA); '' outside a runner. */
  revision: string;
  /** e.g. https://github.com/acme/verity-api; '' outside a runner. */
  sourceUrl: string;
  /** The runner exposes the Actions cache service (docker builds then cache there by default). */
  actionsCacheAvailable: boolean;
  /** Where private files go (RUNNER_TEMP); removed after the step. */
  tempDir: string;
  /** The user's docker config directory, whose builders docker builds keep using. */
  dockerConfigDir: string;
  /** BUILDAH_ISOLATION when the user set it; otherwise chroot, which needs no runc. */
  buildahIsolation: string;
  /** False on GitHub-hosted runners, whose machine is discarded after the job. */
  removeLocalImage: boolean;
}

/** What an existing image in the registry tells us, for skip-existing. */
export interface ExistingImage {
  digest: string;
  revision: string;
}

/** Registry operations the step needs; the real implementation is the core registry client. */
export interface RegistryAccess {
  existing(ref: string): Promise<ExistingImage | undefined>;
  /** Points `refs` at the manifest `digest` of the same repository, without moving layers. */
  retag(image: string, digest: string, refs: readonly string[]): Promise<void>;
}

export interface BuildAndPushDeps {
  log: (line: string) => void;
  probe: BuilderProbe;
  registry: (login: RegistryLogin | undefined, insecure: boolean) => RegistryAccess;
  now: () => Date;
}

export interface BuildAndPushResult {
  digest: string;
  imageRef: string;
  tags: string[];
  skipped: boolean;
  builder: BuilderName | '';
  buildSeconds: number;
  metadata: Record<string, unknown>;
}

const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;

interface Validated {
  image: ReturnType<typeof resolveImage>;
  refs: string[];
  context: string;
  file: string;
}

/** Every input checked before anything is built or pushed. */
function validate(options: BuildAndPushOptions, log: (line: string) => void): Validated {
  const image = resolveImage(options.image, "input 'image'", log);
  const shortSha = options.revision.slice(0, 7);
  if (options.tags.length === 0 && !shortSha) {
    throw new InputError("input 'tags' is empty and there is no commit to derive sha-<short sha> from; give at least one tag");
  }
  const refs = resolveTags(image, options.tags.length ? options.tags : [`sha-${shortSha}`], "input 'tags'", log);

  const context = resolve(options.context);
  if (!statSync(context, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError(`input 'context': ${options.context} is not a directory`);
  }
  // join, not resolve: ncc treats resolve(<dir>, '<literal file>') as an asset and rewrites it into the bundle.
  const file = options.file ? (isAbsolute(options.file) ? options.file : resolve(options.file)) : join(context, 'Dockerfile');
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new InputError(
      options.file
        ? `input 'file': ${options.file} does not exist`
        : `no Dockerfile in the build context ${options.context}: add one, or point input 'file' at it`,
    );
  }
  for (const p of options.platforms) {
    if (!PLATFORM.test(p)) throw new InputError(`input 'platforms': '${p}' must look like linux/amd64 or linux/arm64/v8`);
  }
  for (const id of Object.keys(options.secrets)) {
    if (!SECRET_ID.test(id)) throw new InputError(`input 'secrets': id '${id}' may only use letters, digits, '_', '.' and '-'`);
  }
  for (const k of Object.keys(options.labels)) {
    if (!/^[A-Za-z0-9._/-]+$/.test(k)) throw new InputError(`input 'labels': key '${k}' may only use letters, digits, '.', '_', '/' and '-'`);
  }
  if (Boolean(options.username) !== Boolean(options.password)) {
    throw new InputError("inputs 'username' and 'password' go together: give both or neither");
  }
  return { image, refs, context, file };
}

/**
 * The build-and-push step: validate, decide the builder, skip when the
 * registry already holds this commit's image, otherwise build and push every
 * tag, and report the digest that identifies the image from here on.
 */
export async function buildAndPush(options: BuildAndPushOptions, deps: BuildAndPushDeps): Promise<BuildAndPushResult> {
  const { image, refs, context, file } = validate(options, deps.log);
  const login: RegistryLogin | undefined = options.username
    ? { registry: image.registry, username: options.username, password: options.password }
    : undefined;
  const registry = deps.registry(login, options.insecure);

  if (options.push && options.skipExisting && options.revision) {
    const existing = await registry.existing(refs[0]!);
    if (existing && existing.revision === options.revision) {
      deps.log(`skipping the build: ${refs[0]} already holds ${existing.digest}, built from this commit (${options.revision.slice(0, 7)})`);
      await registry.retag(image.name, existing.digest, refs.slice(1));
      return result(image.name, existing.digest, refs, true, '', 0, options);
    }
    if (existing) deps.log(`${refs[0]} exists but was built from ${existing.revision.slice(0, 7) || 'an unknown commit'}: building`);
  }

  const { builder, reason } = await selectBuilder(options.builder, deps.probe);
  deps.log(`builder: ${builder} (${reason})`);
  const cache =
    options.cache === 'auto' ? (builder === 'docker' && options.actionsCacheAvailable ? 'gha' : builder === 'buildah' ? 'local' : 'none') : options.cache;
  const labels = imageLabels(
    {
      sourceUrl: options.sourceUrl,
      revision: options.revision,
      version: refs[0]!.slice(refs[0]!.lastIndexOf(':') + 1),
      title: basename(image.name),
      created: deps.now(),
    },
    options.labels,
  );

  const built: BuildResult = await withPrivateTempDir(options.tempDir, async (dir) => {
    const secretFiles: Record<string, string> = {};
    for (const [id, value] of Object.entries(options.secrets)) secretFiles[id] = dir.write(`secret-${id}`, value);
    const spec: BuildSpec = {
      context,
      file,
      platforms: [...options.platforms],
      buildArgs: options.buildArgs,
      secretFiles,
      labels,
      target: options.target,
      refs,
      push: options.push,
      cache,
      image: image.name,
      insecure: options.insecure,
    };
    if (builder === 'docker') {
      const configDir = writeDockerConfigDir(dir, login, options.dockerConfigDir);
      return buildWithDocker(spec, { metadataFile: `${dir.path}/metadata.json`, configDir }, deps.log);
    }
    const localName = `localhost/gitops-actions-build-${process.pid}-${Date.now()}`;
    return buildWithBuildah(
      spec,
      {
        localName,
        isolation: options.buildahIsolation,
        removeLocalImage: options.removeLocalImage,
        ...(login ? { authFile: writeAuthFile(dir, login) } : {}),
      },
      dir,
      deps.log,
    );
  });
  return result(image.name, built.digest, options.push ? refs : [], false, builder, built.builderSeconds, options, labels);
}

function result(
  image: string,
  digest: string,
  tags: string[],
  skipped: boolean,
  builder: BuilderName | '',
  buildSeconds: number,
  options: BuildAndPushOptions,
  labels: Record<string, string> = {},
): BuildAndPushResult {
  const imageRef = digest ? `${image}@${digest}` : '';
  return {
    digest,
    imageRef,
    tags,
    skipped,
    builder,
    buildSeconds,
    metadata: { image, digest, imageRef, tags, skipped, builder, platforms: options.platforms, labels, revision: options.revision, buildSeconds },
  };
}
