import { readFileSync } from 'node:fs';
import { ToolError } from '../errors/errors.js';
import { runTool } from '../exec/run-tool.js';
import type { BuildResult, BuildSpec } from './build-spec.js';

export interface DockerOptions {
  metadataFile: string;
  /** DOCKER_CONFIG for this invocation only (our login + the user's builders). */
  configDir: string;
}

/** `docker buildx build` argv; the daemon and buildx do the pushing. */
export function dockerBuildxArgv(spec: BuildSpec, options: Pick<DockerOptions, 'metadataFile'>): string[] {
  const argv = ['docker', 'buildx', 'build', '--file', spec.file, '--metadata-file', options.metadataFile];
  if (spec.platforms.length) argv.push('--platform', spec.platforms.join(','));
  for (const [k, v] of Object.entries(spec.buildArgs)) argv.push('--build-arg', `${k}=${v}`);
  for (const [id, path] of Object.entries(spec.secretFiles)) argv.push('--secret', `id=${id},src=${path}`);
  for (const [k, v] of Object.entries(spec.labels)) argv.push('--label', `${k}=${v}`);
  if (spec.target) argv.push('--target', spec.target);
  for (const ref of spec.refs) argv.push('--tag', ref);
  if (spec.cache === 'gha') argv.push('--cache-from', 'type=gha', '--cache-to', 'type=gha,mode=max');
  if (spec.cache === 'registry') {
    const ref = `${spec.image}:buildcache`;
    argv.push('--cache-from', `type=registry,ref=${ref}`, '--cache-to', `type=registry,ref=${ref},mode=max`);
  }
  if (spec.cache === 'none') argv.push('--no-cache');
  if (spec.push) argv.push('--output', `type=image,push=true${spec.insecure ? ',registry.insecure=true' : ''}`);
  else if (spec.platforms.length <= 1) argv.push('--load');
  argv.push(spec.context);
  return argv;
}

/** Builds and pushes with buildx; the digest comes from buildx's metadata file. */
export async function buildWithDocker(spec: BuildSpec, options: DockerOptions, log: (line: string) => void): Promise<BuildResult> {
  const started = performance.now();
  await runTool(dockerBuildxArgv(spec, options), {
    timeoutMs: 6 * 60 * 60_000,
    cwd: spec.context,
    env: { DOCKER_CONFIG: options.configDir },
  });
  const builderSeconds = (performance.now() - started) / 1000;
  log(`docker buildx built in ${builderSeconds.toFixed(1)}s`);
  if (!spec.push) return { digest: '', builderSeconds };
  const metadata = JSON.parse(readFileSync(options.metadataFile, 'utf8')) as Record<string, unknown>;
  const digest = String(metadata['containerimage.digest'] ?? '');
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw new ToolError('docker buildx build', 0, '', `pushed, but its metadata file names no image digest (got '${digest}')`);
  }
  return { digest, builderSeconds };
}
