import { defineAction } from '#core/runtime/run-action.js';
import { input } from '#core/runtime/inputs.js';
import { computeVersion, type VersionResult } from '#core/version/compute-version.js';
import { versionSummary } from '#core/version/version-summary.js';

export const versionAction = defineAction({
  name: 'version',
  inputs: {
    config: input.config('version'),
    path: input.string({ default: '.' }),
    'tag-prefix': input.string({ fallback: 'v' }),
    paths: input.list(),
    'release-branches': input.list({ fallback: 'main\nmaster\n' }),
    bump: input.oneOf(['auto', 'major', 'minor', 'patch'], { default: 'auto' }),
    'default-bump': input.oneOf(['major', 'minor', 'patch', 'none'], { fallback: 'patch' }),
    'major-on-zero': input.boolean({ fallback: 'false' }),
    'initial-version': input.string({ fallback: '0.1.0' }),
    version: input.string(),
    'create-tag': input.boolean({ fallback: 'false' }),
    image: input.string(),
    'moving-tags': input.list(),
  },
  outputs: [
    'version',
    'tag',
    'previous-version',
    'previous-tag',
    'bump',
    'is-release',
    'changed',
    'sha',
    'short-sha',
    'changelog',
    'image-tags',
    'json',
  ],
  async run({ inputs, runtime, context, publish }) {
    const result: VersionResult = await runtime.group('Compute the version', () =>
      computeVersion(
        {
          path: inputs.path,
          tagPrefix: inputs['tag-prefix'],
          paths: inputs.paths,
          releaseBranches: inputs['release-branches'],
          bump: inputs.bump,
          defaultBump: inputs['default-bump'],
          majorOnZero: inputs['major-on-zero'],
          initialVersion: inputs['initial-version'],
          version: inputs.version,
          createTag: inputs['create-tag'],
          image: inputs.image,
          movingTags: inputs['moving-tags'],
          ref: context.ref,
          headRef: context.headRef,
        },
        { log: (m) => runtime.info(m) },
      ),
    );
    const outputs = {
      version: result.version,
      tag: result.tag,
      'previous-version': result.previousVersion,
      'previous-tag': result.previousTag,
      bump: result.bump,
      'is-release': result.isRelease,
      changed: result.changed,
      sha: result.sha,
      'short-sha': result.shortSha,
      changelog: result.changelog,
      'image-tags': result.imageTags,
    };
    publish({ ...outputs, json: outputs });
    await runtime.summary(versionSummary(result));
  },
});
