import type SemVer from 'semver/classes/semver.js';
import { isMergeCommit, parseConventionalCommit, type Commit } from './conventional-commit.js';

export type Bump = 'major' | 'minor' | 'patch' | 'none';

const RANK: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

export interface BumpDecision {
  bump: Bump;
  /** The newest commit with the deciding type; undefined when the default applied. */
  decidedBy?: Commit;
  reason: string;
}

export interface BumpRules {
  defaultBump: Bump;
  majorOnZero: boolean;
}

function bumpOf(commit: Commit): Bump {
  const cc = parseConventionalCommit(commit.message);
  if (cc.breaking) return 'major';
  if (cc.type === 'feat') return 'minor';
  if (cc.type === 'fix' || cc.type === 'perf') return 'patch';
  return 'none';
}

/**
 * The bump conventional commits call for. Merge commits are listed alongside
 * the commits they bring in, so their own (usually generated) message adds
 * nothing; the commits they bring in decide.
 */
export function decideBump(commits: readonly Commit[], base: SemVer | undefined, rules: BumpRules): BumpDecision {
  if (commits.length === 0) return { bump: 'none', reason: 'no commits since the base tag' };
  let decision: BumpDecision | undefined;
  for (const commit of commits) {
    if (isMergeCommit(commit) && parseConventionalCommit(commit.message).type === '') continue;
    const bump = bumpOf(commit);
    if (bump !== 'none' && (!decision || RANK[bump] > RANK[decision.bump])) {
      const kind = bump === 'major' ? 'breaking change' : `${parseConventionalCommit(commit.message).type} commit`;
      decision = { bump, decidedBy: commit, reason: `${bump} bump from ${kind} ${commit.shortSha}` };
    }
  }
  if (!decision) {
    return {
      bump: rules.defaultBump,
      reason: `no feat, fix, perf or breaking commit among ${commits.length}: default bump '${rules.defaultBump}'`,
    };
  }
  if (decision.bump === 'major' && base && base.major === 0 && !rules.majorOnZero) {
    return { ...decision, bump: 'minor', reason: `${decision.reason}, minor below 1.0.0 (major-on-zero is false)` };
  }
  return decision;
}

/** How far `next` is from `previous`, in bump terms. */
export function bumpBetween(previous: SemVer | undefined, next: SemVer): Bump {
  const from = previous ?? { major: 0, minor: 0, patch: 0 };
  if (next.major !== from.major) return next.major > from.major ? 'major' : 'none';
  if (next.minor !== from.minor) return next.minor > from.minor ? 'minor' : 'none';
  if (next.patch !== from.patch) return next.patch > from.patch ? 'patch' : 'none';
  return 'none';
}
