import { chmodSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assertRefName, Git } from '../git/git.js';
import { cloneArgs, cloneEnv, cloneFilter } from './clone-command.js';
import { remoteAccess } from './remote-access.js';
import { resolveRepository } from './repository-url.js';
import { targetPathFor } from './target-path.js';
import { PrivateDir } from '../exec/private-temp-dir.js';

/** What a head start was begun for: it is used only by a run that arrives at exactly this. */
export interface HeadStartKey {
  url: string;
  branch: string;
  token: string;
  filter: string;
}

/** A clone that started before the action had read its inputs; see startCloneHeadStart. */
export interface CloneHeadStart {
  /** The clone and its outcome, once: undefined when the key differs or it was taken already. */
  claim(key: HeadStartKey): { dir: string; started: Promise<unknown> } | undefined;
  /** Stops the clone if nobody took it (a clone taken must be done with), and removes its directory; safe to call more than once. */
  discard(): Promise<void>;
}

/**
 * Starts the GitOps clone from the raw inputs, before the action's own code
 * (YAML, semver, the commit logic) has even loaded: the clone is the first
 * thing every run needs and its round trip to the server is the longest
 * wait, so loading and checking everything else happens while it runs.
 * Nothing is decided here: the action checks every input as it always does
 * and uses this clone only if it arrives at the same repository, branch and
 * token, with the same filter (HeadStartKey); otherwise it is stopped and removed. Only the
 * plainest case is started early: push mode, https/http/file with a token
 * or none, no gitops.yaml (which could name another branch), no ssh key (it
 * needs a key file). A value that does not even parse starts nothing; the
 * action reports it.
 */
export function startCloneHeadStart(input: (name: string) => string, env: NodeJS.ProcessEnv = process.env): CloneHeadStart | undefined {
  if (input('config').trim() || input('ssh-key').trim() || !['', 'push'].includes(input('mode').trim())) return undefined;
  const repository = input('repository').trim();
  const branch = input('branch').trim() || 'main';
  const token = input('token');
  const source = input('source').trim();
  if (!repository || !source) return undefined;
  let remote;
  let filter;
  try {
    assertRefName(`refs/heads/${branch}`, 'branch');
    remote = resolveRepository(repository, { serverUrl: env.GITHUB_SERVER_URL ?? '', sshKey: false, token: token !== '' });
    const path = targetPathFor(input('path').trim(), resolve(env.GITHUB_WORKSPACE || process.cwd(), source));
    filter = cloneFilter(remote, path, { pushMode: true, extraFiles: false });
  } catch {
    return undefined;
  }
  if (remote.transport === 'ssh') return undefined;

  const home = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), 'gitops-actions-'));
  chmodSync(home, 0o700);
  const dir = join(home, 'clone');
  const access = remoteAccess(remote, token ? { kind: 'token', token, scheme: 'basic' } : { kind: 'none' }, { dir: new PrivateDir(home), homeDir: '' });
  const controller = new AbortController();
  const started = new Git({ cwd: home }).run(cloneArgs(remote.url, dir, branch, filter), {
    env: cloneEnv(access),
    secrets: access.secrets,
    timeoutMs: 5 * 60_000,
    signal: controller.signal,
  });
  started.catch(() => {}); // its outcome goes to whoever claims it
  let claimed = false;
  let removed: Promise<void> | undefined;
  return {
    claim(key) {
      if (claimed || key.url !== remote.url || key.branch !== branch || key.token !== token || key.filter !== filter) return undefined;
      claimed = true;
      return { dir, started };
    },
    discard() {
      if (!claimed) controller.abort();
      claimed = true;
      // Removed off the main thread, while the action writes its outputs; every caller waits for the same removal.
      removed ??= started.catch(() => {}).then(() => rm(home, { recursive: true, force: true }));
      return removed;
    },
  };
}
