import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAndPush, type BuildAndPushResult } from '#core/build/build-and-push.js';
import { registryAccess } from '#core/build/registry-access.js';
import { systemProbe } from '#core/build/select-builder.js';
import { buildSummary } from '#core/build/build-summary.js';
import { dockerConfigFile } from '#core/registry/credentials.js';
import { input } from '#core/runtime/inputs.js';
import { defineAction } from '#core/runtime/run-action.js';

export const buildAndPushAction = defineAction({
  name: 'build-and-push',
  inputs: {
    config: input.config('build'),
    image: input.string({ required: 'or-config' }),
    tags: input.list(),
    context: input.string({ fallback: '.' }),
    file: input.string(),
    builder: input.oneOf(['auto', 'docker', 'buildah'], { fallback: 'auto' }),
    platforms: input.list(),
    'build-args': input.keyValues(),
    secrets: input.keyValues({ secret: true }),
    labels: input.keyValues(),
    target: input.string(),
    push: input.boolean({ default: 'true' }),
    cache: input.oneOf(['auto', 'registry', 'none'], { fallback: 'auto' }),
    username: input.string(),
    password: input.string({ secret: true }),
    'skip-existing': input.boolean({ fallback: 'true' }),
    insecure: input.boolean({ default: 'false' }),
  },
  outputs: ['digest', 'image-ref', 'tags', 'skipped', 'builder', 'metadata'],
  async run({ inputs, runtime, context, publish }) {
    // Each value on its own too: a build that echoes a secret prints the value, not the `id=value` line.
    for (const value of Object.values(inputs.secrets)) runtime.setSecret(value);
    const env = process.env;
    const started = performance.now();
    const result: BuildAndPushResult = await runtime.group('Build and push', () =>
      buildAndPush(
        {
          image: inputs.image,
          tags: inputs.tags,
          context: inputs.context,
          file: inputs.file,
          builder: inputs.builder,
          platforms: inputs.platforms.flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean),
          buildArgs: inputs['build-args'],
          secrets: inputs.secrets,
          labels: inputs.labels,
          target: inputs.target,
          push: inputs.push,
          cache: inputs.cache,
          username: inputs.username,
          password: inputs.password,
          skipExisting: inputs['skip-existing'],
          insecure: inputs.insecure,
          revision: context.sha,
          sourceUrl: context.repository ? `${context.serverUrl}/${context.repository}` : '',
          actionsCacheAvailable: Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL)),
          tempDir: context.runnerTemp || tmpdir(),
          dockerConfigDir: env.DOCKER_CONFIG || join(homedir(), '.docker'),
          buildahIsolation: env.BUILDAH_ISOLATION ? '' : 'chroot',
          removeLocalImage: env.RUNNER_ENVIRONMENT !== 'github-hosted',
        },
        {
          log: (line) => runtime.info(line),
          probe: systemProbe({ PATH: env.PATH, DOCKER_HOST: env.DOCKER_HOST }),
          registry: (login, insecure) =>
            registryAccess({
              login,
              insecure,
              dockerConfig: dockerConfigFile({ DOCKER_CONFIG: env.DOCKER_CONFIG, HOME: env.HOME }),
              log: (line) => runtime.info(line),
              onSecret: (token) => runtime.setSecret(token),
            }),
          now: () => new Date(),
        },
      ),
    );
    publish({
      digest: result.digest,
      'image-ref': result.imageRef,
      tags: result.tags,
      skipped: result.skipped,
      builder: result.builder,
      metadata: result.metadata,
    });
    await runtime.summary(buildSummary(result, (performance.now() - started) / 1000));
  },
});
