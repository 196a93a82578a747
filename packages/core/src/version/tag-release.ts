import { InputError, ToolError } from '../errors/errors.js';
import type { Git } from '../git/git.js';

const BOT_NAME = 'github-actions[bot]';
const BOT_EMAIL = '41898282+github-actions[bot]@users.noreply.github.com';

/**
 * Creates the annotated version tag on `sha` and pushes it to origin.
 * Idempotent: the tag already on that commit (locally or on origin) is
 * success; the same tag on another commit is an error, never moved.
 * Returns false when there was nothing to create.
 */
export async function createVersionTag(git: Git, options: { tag: string; sha: string; message: string }): Promise<boolean> {
  const ref = `refs/tags/${options.tag}`;
  const existing = await git.text(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { okExitCodes: [1] });
  if (existing && existing !== options.sha) {
    throw new InputError(`tag ${options.tag} already exists on commit ${existing.slice(0, 7)}, not on HEAD ${options.sha.slice(0, 7)}; tags are never moved`);
  }
  let created = false;
  if (!existing) {
    // The runner has no git identity; the tagger defaults to the Actions bot unless the user configured one.
    const identity = await git.text(['config', '--get', 'user.email'], { okExitCodes: [1] });
    const env = identity ? {} : { GIT_COMMITTER_NAME: BOT_NAME, GIT_COMMITTER_EMAIL: BOT_EMAIL };
    await git.run(['tag', '--annotate', '--cleanup=verbatim', '--file=-', '--end-of-options', options.tag, options.sha], {
      input: options.message,
      env,
    });
    created = true;
  }
  try {
    await git.run(['push', '--quiet', '--no-verify', 'origin', `${ref}:${ref}`], { timeoutMs: 5 * 60_000 });
  } catch (e) {
    if (e instanceof ToolError && /already exists|rejected/i.test(e.stderrTail)) {
      const remote = await git.text(['ls-remote', '--end-of-options', 'origin', `${ref}^{}`, ref]);
      const remoteCommit = remote.split('\n').find((l) => l.endsWith('^{}'))?.split('\t')[0] ?? remote.split('\t')[0] ?? '';
      if (remoteCommit === options.sha) return created;
      if (created) await git.run(['tag', '--delete', options.tag]);
      throw new InputError(
        `tag ${options.tag} already exists on origin at commit ${remoteCommit.slice(0, 7)}, not on HEAD ${options.sha.slice(0, 7)}; ` +
          'another run released this version from a different commit. Re-run on the latest commit.',
      );
    }
    throw e;
  }
  return created;
}
