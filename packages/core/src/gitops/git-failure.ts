/**
 * What a failed git command against the GitOps remote means, read from what
 * git prints (its exit codes do not tell these apart). Only two kinds are
 * ever tried again: losing a race for the branch, and a connection that broke
 * after the remote had answered before. Credentials, permissions and policy
 * are answers; asking again only locks accounts and hides the problem.
 */
export type GitFailureKind =
  /** The remote did not accept the credentials (or none were given). */
  | 'auth'
  /** The credentials are fine but may not do this (read-only token, deploy key without write). */
  | 'permission'
  /** The repository does not exist, or the credentials cannot see it. */
  | 'not-found'
  /** The branch (or another ref we asked for) does not exist on the remote. */
  | 'missing-ref'
  /** No connection at all: wrong host, nothing listening, no route. */
  | 'unreachable'
  /** The connection broke, timed out or the server failed mid-way. */
  | 'transient'
  | 'other';

const PATTERNS: ReadonlyArray<readonly [GitFailureKind, RegExp]> = [
  ['missing-ref', /couldn't find remote ref|Remote branch .* not found/i],
  ['permission', /returned error: 403|HTTP 403|Permission to .* denied|Write access to repository not granted|denied to deploy key|not allowed to push|You are not allowed/i],
  ['auth', /Authentication failed|could not read (Username|Password)|terminal prompts disabled|returned error: 401|HTTP 401|Invalid username or (password|token)|Permission denied \(publickey|Host key verification failed|invalid format|Load key .*: /i],
  ['not-found', /returned error: 404|HTTP 404|Repository not found|does not appear to be a git repository|repository '.*' not found/i],
  ['unreachable', /Could not resolve host|Could not resolve hostname|Failed to connect|Connection refused|Network is unreachable|No route to host|Name or service not known|connect to host .* port/i],
  [
    'transient',
    /RPC failed|remote end hung up|Empty reply from server|Connection reset|connection was reset|transfer closed|early EOF|unexpected disconnect|returned error: 5\d\d|HTTP 5\d\d|timed out|Operation too slow|SSL_read|SSL_ERROR|gnutls|index-pack failed|the remote end hung|protocol error|unexpected flush|Recv failure|Send failure|broken pipe|killed by/i,
  ],
];

export function classifyGitFailure(text: string): GitFailureKind {
  for (const [kind, pattern] of PATTERNS) if (pattern.test(text)) return kind;
  return 'other';
}

/** The outcome of one `git push --porcelain` of one ref. */
export type PushOutcome =
  | { kind: 'pushed' }
  /** Somebody else moved the ref first: fetch, rebuild and try again. */
  | { kind: 'lost-race'; reason: string }
  /** The remote refused the update for a reason that another try will not change (protection, hooks, rules). */
  | { kind: 'refused'; reason: string; remoteLines: string[] }
  /** No answer about the ref: the connection failed, so the push may or may not have landed. */
  | { kind: 'failed'; failure: GitFailureKind; text: string };

/** Reasons a ref update is refused because the ref moved first (git push's and receive-pack's words). */
export const LOST_RACE = /non-fast-forward|fetch first|cannot lock ref|incorrect old value|stale info|failed to (update|lock) ref|already exists|failed to update/i;

/**
 * Reads `git push --porcelain` for `ref`: its status line on stdout
 * (`!\t<src>:<dst>\t[rejected] (fetch first)`), otherwise the failure on stderr.
 */
export function pushOutcome(ref: string, exitCode: number, stdout: string, stderr: string): PushOutcome {
  const line = stdout.split('\n').find((l) => /^[ +\-*!=]\t/.test(l) && l.split('\t')[1]?.endsWith(`:${ref}`));
  if (line) {
    const flag = line[0];
    const summary = line.split('\t')[2] ?? '';
    if (flag !== '!') return { kind: 'pushed' };
    const reason = /\((.*)\)\s*$/.exec(summary)?.[1] ?? summary;
    if (LOST_RACE.test(reason)) return { kind: 'lost-race', reason };
    const remoteLines = stderr
      .split('\n')
      .filter((l) => l.startsWith('remote:'))
      .map((l) => l.replace(/^remote:\s?/, '').trimEnd())
      .filter((l) => l.trim() !== '');
    return { kind: 'refused', reason: `${summary}`.trim(), remoteLines };
  }
  const text = `${stderr}\n${stdout}`;
  if (exitCode === 0) return { kind: 'pushed' };
  return { kind: 'failed', failure: classifyGitFailure(text), text: text.trim() };
}
