import { gitConfigEnv, type RemoteAccess } from './remote-access.js';
import type { GitopsRemote } from './repository-url.js';

/*
 * How a GitOps clone is made and how every git command on it runs. Kept
 * apart from the clone's other work so the clone can be started by a small
 * entry point before the rest of an action has loaded (clone-head-start.ts).
 */

/**
 * Settings for every command in the clone. A clone lives for one step, so
 * anything that keeps a long-lived repository in shape (gc, maintenance,
 * commit-graph) is off; anything that would make git rewrite bytes
 * (autocrlf) or ask somebody (signing) is too. Sparse checkout in cone mode
 * is configured here, the patterns written to info/sparse-checkout.
 */
const TUNING: ReadonlyArray<readonly [string, string]> = [
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
  ['fetch.writeCommitGraph', 'false'],
  ['fetch.recurseSubmodules', 'false'],
  ['protocol.version', '2'],
  ['core.autocrlf', 'false'],
  ['core.safecrlf', 'false'],
  ['core.quotePath', 'false'],
  ['core.fsmonitor', 'false'],
  ['core.sparseCheckout', 'true'],
  ['core.sparseCheckoutCone', 'true'],
  ['commit.gpgSign', 'false'],
  ['advice.detachedHead', 'false'],
];

/** Variables from a surrounding git process (a hook, a test) that would point our commands at another repository. */
export const ISOLATED_GIT_ENV: Readonly<Record<string, undefined>> = {
  GIT_DIR: undefined,
  GIT_WORK_TREE: undefined,
  GIT_INDEX_FILE: undefined,
  GIT_OBJECT_DIRECTORY: undefined,
  GIT_ALTERNATE_OBJECT_DIRECTORIES: undefined,
  GIT_NAMESPACE: undefined,
  GIT_CEILING_DIRECTORIES: undefined,
};

/** The environment of every git command on a GitOps clone: isolated, tuned, with the remote's access. */
export function cloneEnv(access: RemoteAccess): Record<string, string | undefined> {
  return {
    ...ISOLATED_GIT_ENV,
    ...gitConfigEnv([...TUNING, ...access.config]),
    ...access.env,
    GIT_ALLOW_PROTOCOL: 'https:http:ssh:file',
  };
}

/** Variables that send git through a proxy: our own request would not go the same way. */
const PROXY_ENV = ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY', 'GIT_PROXY_COMMAND'];
/**
 * Variables that change how git checks an https server or proves itself to
 * it (its own CA bundle, a client certificate, checks off): Node would judge
 * the server otherwise, so git does the fetching.
 */
const TLS_ENV = ['GIT_SSL_NO_VERIFY', 'GIT_SSL_CAINFO', 'GIT_SSL_CAPATH', 'GIT_SSL_CERT', 'GIT_SSL_KEY', 'GIT_PROXY_SSL_CERT'];

/** Why objects cannot be fetched in-process (fetch-objects.ts) from this remote; undefined when they can. */
export function inProcessFetchUnavailable(remote: GitopsRemote, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (remote.transport === 'ssh') return 'ssh remotes are reached through git';
  if (remote.transport === 'file') return undefined;
  const set = [...PROXY_ENV, ...(remote.transport === 'https' ? TLS_ENV : [])].find((name) => env[name]);
  return set ? `${set} is set` : undefined;
}

/**
 * What the clone leaves out. `blob:none`: every tree, no file. Where the
 * target directory's contents are fetched in-process (push mode, nothing to
 * place outside it), `tree:<depth>` leaves out even the trees at and below
 * the target's depth: the clone brings the root and the directories on the
 * way, a few objects instead of every app's trees, and the target directory
 * comes whole in the fetch that reads it. A server that refuses a tree
 * filter gets blob:none (GitopsClone.clone).
 */
export function cloneFilter(remote: GitopsRemote, targetPath: string, options: { pushMode: boolean; extraFiles: boolean }): string {
  if (!options.pushMode || options.extraFiles || inProcessFetchUnavailable(remote)) return 'blob:none';
  return `tree:${targetPath.split('/').length}`;
}

/**
 * The cheapest clone that can land one directory: no history (depth 1), no
 * file contents (see cloneFilter), one branch, no tags, no checkout.
 */
export function cloneArgs(url: string, dir: string, branch: string, filter = 'blob:none'): string[] {
  return [
    'clone',
    '--quiet',
    '--no-checkout',
    // No template: no sample hooks and descriptions to write now and delete afterwards.
    '--template=',
    '--depth=1',
    `--filter=${filter}`,
    '--single-branch',
    `--branch=${branch}`,
    '--no-tags',
    '--',
    url,
    dir,
  ];
}
