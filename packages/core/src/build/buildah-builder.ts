import { readFileSync } from 'node:fs';
import { ToolError } from '../errors/errors.js';
import { runTool } from '../exec/run-tool.js';
import type { PrivateDir } from '../exec/private-temp-dir.js';
import type { BuildResult, BuildSpec } from './build-spec.js';

export interface BuildahOptions {
  /** Local name of the built image (or manifest list for several platforms). */
  localName: string;
  authFile?: string;
  /** '' keeps buildah's own choice (BUILDAH_ISOLATION); `chroot` works without runc. */
  isolation: string;
  /** Remove the local image afterwards: self-hosted runners keep their disks, hosted ones are thrown away. */
  removeLocalImage: boolean;
}

/** `buildah build` argv: one image, or a manifest list when several platforms are asked for. */
export function buildahBuildArgv(spec: BuildSpec, options: BuildahOptions): string[] {
  const argv = ['buildah', 'build', '--file', spec.file];
  if (spec.platforms.length > 1) argv.push('--manifest', options.localName, '--platform', spec.platforms.join(','));
  else {
    argv.push('--tag', options.localName);
    if (spec.platforms.length === 1) argv.push('--platform', spec.platforms[0]!);
  }
  if (options.isolation) argv.push('--isolation', options.isolation);
  for (const [k, v] of Object.entries(spec.buildArgs)) argv.push('--build-arg', `${k}=${v}`);
  for (const [id, path] of Object.entries(spec.secretFiles)) argv.push('--secret', `id=${id},src=${path}`);
  for (const [k, v] of Object.entries(spec.labels)) argv.push('--label', `${k}=${v}`);
  if (spec.target) argv.push('--target', spec.target);
  // With --layers, buildah 1.28 reuses the first platform's cached image for the next one and the
  // manifest list ends up with one entry (measured here); multi-platform builds go without it.
  if (spec.cache !== 'none' && spec.platforms.length <= 1) argv.push('--layers');
  // buildah caches layers in a repository of its own (it names layers by tags it chooses).
  if (spec.cache === 'registry') argv.push('--cache-from', `${spec.image}-buildcache`, '--cache-to', `${spec.image}-buildcache`);
  if (options.authFile) argv.push('--authfile', options.authFile);
  if (spec.insecure) argv.push('--tls-verify=false');
  argv.push(spec.context);
  return argv;
}

/** `buildah push` (or `manifest push --all`) of the local image to one reference. */
export function buildahPushArgv(spec: BuildSpec, options: BuildahOptions, ref: string, digestFile: string): string[] {
  const manifest = spec.platforms.length > 1;
  const argv = manifest ? ['buildah', 'manifest', 'push', '--all'] : ['buildah', 'push'];
  argv.push('--digestfile', digestFile);
  if (options.authFile) argv.push('--authfile', options.authFile);
  if (spec.insecure) argv.push('--tls-verify=false');
  argv.push(options.localName, `docker://${ref}`);
  return argv;
}

/** Builds with buildah, pushes every reference, and checks they all got the same digest. */
export async function buildWithBuildah(
  spec: BuildSpec,
  options: BuildahOptions,
  dir: PrivateDir,
  log: (line: string) => void,
): Promise<BuildResult> {
  const started = performance.now();
  await runTool(buildahBuildArgv(spec, options), { timeoutMs: 6 * 60 * 60_000, cwd: spec.context });
  const builderSeconds = (performance.now() - started) / 1000;
  log(`built ${options.localName} in ${builderSeconds.toFixed(1)}s`);
  try {
    if (!spec.push) return { digest: '', builderSeconds };
    let digest = '';
    for (const [i, ref] of spec.refs.entries()) {
      const digestFile = dir.write(`digest-${i}`, '');
      await runTool(buildahPushArgv(spec, options, ref, digestFile), { timeoutMs: 60 * 60_000 });
      const pushed = readFileSync(digestFile, 'utf8').trim();
      if (digest && pushed !== digest) {
        throw new ToolError('buildah push', 0, '', `pushed ${ref} as ${pushed} but the first tag as ${digest}: the registry changed the manifest`);
      }
      digest = pushed;
      log(`pushed ${ref}`);
    }
    return { digest, builderSeconds };
  } finally {
    if (options.removeLocalImage) await removeLocal(spec, options);
  }
}

/** Leaves no local image behind on self-hosted runners; a failure here is not the build's failure. */
async function removeLocal(spec: BuildSpec, options: BuildahOptions): Promise<void> {
  const rm = spec.platforms.length > 1 ? ['buildah', 'manifest', 'rm', options.localName] : ['buildah', 'rmi', options.localName];
  await runTool(rm).catch(() => undefined);
}
