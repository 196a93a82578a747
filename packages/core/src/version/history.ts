import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, ToolError } from '../errors/errors.js';
import { isNotARepository, type Git } from '../git/git.js';
import type { Commit } from './conventional-commit.js';
import SemVer from 'semver/classes/semver.js';
import {
  compareReleaseKeysDescending,
  highest,
  releaseTagName,
  releaseVersionOfTag,
  type ReleaseTagName,
  type VersionTag,
} from './semver-tag.js';

export interface HeadState {
  toplevel: string;
  gitDir: string;
  shallow: boolean;
  sha: string;
  shortSha: string;
  /** `git rev-parse --abbrev-ref HEAD`: a branch name, or 'HEAD' when detached. */
  branch: string;
}

/** Everything about HEAD in one process. */
export async function readHead(git: Git): Promise<HeadState> {
  let out: string;
  try {
    out = await git.text([
      'rev-parse',
      '--show-toplevel',
      '--absolute-git-dir',
      '--is-shallow-repository',
      'HEAD',
      '--abbrev-ref',
      'HEAD',
    ]);
  } catch (e) {
    if (isNotARepository(e)) throw new InputError(`input 'path': ${git.cwd} is not a git repository (run actions/checkout first)`);
    if (e instanceof ToolError && /Needed a single revision|unknown revision|ambiguous argument 'HEAD'/i.test(e.stderrTail)) {
      throw new InputError(`input 'path': the repository at ${git.cwd} has no commits yet`);
    }
    throw e;
  }
  const [toplevel = '', gitDir = '', shallow = '', sha = '', branch = ''] = out.split('\n');
  // Seven characters, as GitHub shows commits and docker/metadata-action tags them.
  const shortSha = sha.slice(0, 7);
  return { toplevel, gitDir, shallow: shallow === 'true', sha, shortSha, branch };
}

function tagPattern(prefix: string): string {
  return `refs/tags/${prefix}*`;
}

/** Release tags under `prefix` from `name commit` pairs; everything else is ignored. */
function releaseTags(pairs: Iterable<[string, string]>, prefix: string): VersionTag[] {
  const tags: VersionTag[] = [];
  for (const [name, commit] of pairs) {
    const version = releaseVersionOfTag(name, prefix);
    if (version) tags.push({ name, version, commit });
  }
  return tags;
}

/** The version tags that matter: the base below HEAD and the version HEAD already carries. */
export interface TagSearch {
  base?: VersionTag;
  onHead?: VersionTag;
  /** Release tags under the prefix that exist (reachable or not). */
  candidates: number;
}

function searchResult(reachable: readonly VersionTag[], headSha: string, candidates: number): TagSearch {
  const base = highest(reachable.filter((t) => t.commit !== headSha));
  const onHead = highest(reachable.filter((t) => t.commit === headSha));
  return { ...(base ? { base } : {}), ...(onHead ? { onHead } : {}), candidates };
}

/** Release tag names in the local repository, unpeeled and unparsed: one cheap pass over every tag. */
export async function localReleaseTagNames(git: Git, prefix: string): Promise<ReleaseTagName[]> {
  const out = await git.text(['for-each-ref', '--format=%(refname:lstrip=2)%00%(objectname)', tagPattern(prefix)]);
  const tags: ReleaseTagName[] = [];
  for (const line of out.split('\n')) {
    const nul = line.indexOf('\0');
    const tag = nul > 0 ? releaseTagName(line.slice(0, nul), line.slice(nul + 1), prefix) : undefined;
    if (tag) tags.push(tag);
  }
  return tags;
}

/** Release tags reachable from HEAD, peeled to commits; one walk of the whole history. */
async function allReachableTags(git: Git, prefix: string): Promise<VersionTag[]> {
  const out = await git.text([
    'for-each-ref',
    '--merged=HEAD',
    '--format=%(refname:lstrip=2)%00%(objectname)%00%(*objectname)',
    tagPattern(prefix),
  ]);
  const pairs: [string, string][] = [];
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [name = '', object = '', peeled = ''] = line.split('\0');
    pairs.push([name, peeled || object]);
  }
  return releaseTags(pairs, prefix);
}

/** How many of the highest tags are tested for reachability one by one before one full walk answers instead. */
const TOP_CANDIDATES = 8;

/**
 * The base in a repository with full history. Listing every tag with
 * `--merged` walks all of history and peels every annotated tag (0.6 s on
 * 50,000 commits and 10,000 tags); instead we list the names, take the
 * highest few, and ask git whether each is an ancestor of HEAD, which stops
 * as soon as the histories meet. Nearly always the highest tag is reachable
 * and one check answers. Only when none of the top few is reachable does one
 * full walk decide, so the number of git processes stays bounded.
 */
async function searchFullHistory(git: Git, headSha: string, prefix: string, all: ReleaseTagName[]): Promise<TagSearch> {
  const sorted = [...all].sort(compareReleaseKeysDescending);
  const top = sorted.slice(0, TOP_CANDIDATES);
  if (top.length === 0) return { candidates: 0 };
  const isAncestor = async (rev: string) =>
    (await git.run(['merge-base', '--is-ancestor', rev, headSha], { okExitCodes: [1] })).exitCode === 0;
  // Peeling and the first ancestry check (the answer in nearly every repository) run at once.
  const [peeledText, firstReachable] = await Promise.all([
    git.text(['rev-parse', ...top.map((t) => `refs/tags/${t.name}^{commit}`)]),
    isAncestor(`refs/tags/${top[0]!.name}`),
  ]);
  const peeled = peeledText.split('\n');
  const resolved: VersionTag[] = top.map((t, i) => ({
    name: t.name,
    version: new SemVer(t.name.slice(prefix.length)),
    commit: peeled[i] ?? t.object,
  }));
  const onHead = resolved.filter((t) => t.commit === headSha);
  for (const [i, tag] of resolved.entries()) {
    if (tag.commit === headSha) continue;
    if (i === 0 ? firstReachable : await isAncestor(tag.commit)) return searchResult([tag, ...onHead], headSha, all.length);
  }
  if (sorted.length <= top.length) return searchResult(onHead, headSha, all.length);
  return searchResult(await allReachableTags(git, prefix), headSha, all.length);
}

/** Release tags the remote has, without fetching anything; undefined when there is no such remote. */
export async function remoteTags(git: Git, remote: string, prefix: string): Promise<VersionTag[] | undefined> {
  let out: string;
  try {
    out = await git.text(['ls-remote', '--tags', '--end-of-options', remote, tagPattern(prefix)], { timeoutMs: 120_000 });
  } catch (e) {
    // Git says the *name* is not a repository when no such remote is configured.
    if (e instanceof ToolError && e.stderrTail.includes(`'${remote}' does not appear to be a git repository`)) return undefined;
    throw e;
  }
  const commits = new Map<string, string>();
  for (const line of out.split('\n')) {
    const [oid = '', ref = ''] = line.split('\t');
    if (!ref.startsWith('refs/tags/')) continue;
    const peeled = ref.endsWith('^{}');
    const name = ref.slice('refs/tags/'.length, peeled ? -3 : undefined);
    // The peeled line (annotated tags) names the commit; it wins over the tag object id.
    if (peeled || !commits.has(name)) commits.set(name, oid);
  }
  return releaseTags(commits, prefix);
}

/** Commit ids listed in the shallow file: the boundary past which we have no parents. */
async function shallowBoundary(gitDir: string): Promise<Set<string>> {
  try {
    return new Set((await readFile(join(gitDir, 'shallow'), 'utf8')).split('\n').filter(Boolean));
  } catch {
    return new Set();
  }
}

async function revList(git: Git, args: readonly string[]): Promise<string[]> {
  return (await git.text(['rev-list', ...args])).split('\n').filter(Boolean);
}

const DEPTHS = [50, 250, 1000, 5000];

/**
 * A shallow checkout (actions/checkout's default depth 1) has no tags and no
 * history. We ask the remote which version tags exist, then deepen HEAD's
 * history step by step until the answer cannot change: the highest reachable
 * candidate is found, no higher candidate can still be hiding further back,
 * and no commit between it and HEAD lost its parents to the shallow cut.
 * When that cannot be shown, the whole history is fetched: a wrong version is
 * worse than a slow one.
 */
export async function findTagsInShallowClone(
  git: Git,
  head: HeadState,
  prefix: string,
  log: (message: string) => void,
): Promise<TagSearch> {
  const remote = 'origin';
  const candidates = await remoteTags(git, remote, prefix).catch((e: unknown) => {
    throw shallowFailure(e);
  });
  if (candidates === undefined) {
    throw new InputError(
      `the checkout at ${git.cwd} is shallow and has no remote 'origin' to deepen from; ` +
        'check out the full history (actions/checkout with fetch-depth: 0)',
    );
  }
  log(`shallow checkout: origin has ${candidates.length} release tags matching '${prefix}*'`);

  const fetch = async (args: string[]) => {
    try {
      await git.run(['fetch', '--no-tags', '--quiet', ...args, remote, head.sha], { timeoutMs: 15 * 60_000 });
    } catch (e) {
      throw shallowFailure(e);
    }
  };

  const steps: (number | 'all')[] = candidates.length === 0 ? ['all'] : [0, ...DEPTHS, 'all'];
  for (const step of steps) {
    if (step === 'all') await fetch(['--unshallow']);
    else if (step > 0) await fetch([`--depth=${step}`]);
    const boundary = await shallowBoundary(head.gitDir);
    const reachable = new Set(await revList(git, ['HEAD']));
    const found = candidates.filter((t) => reachable.has(t.commit));
    if (boundary.size === 0) {
      log(`fetched the whole history (${reachable.size} commits)`);
      return searchResult(found, head.sha, candidates.length);
    }
    // Tags on HEAD itself are the current version, not the base: the base must be found below HEAD.
    const best = highest(found.filter((t) => t.commit !== head.sha));
    if (!best) continue;
    const higherUnseen = candidates.some((t) => t.version.compare(best.version) > 0 && !reachable.has(t.commit));
    if (higherUnseen) continue;
    const sinceBest = new Set(await revList(git, ['HEAD', `^${best.commit}`]));
    if ([...boundary].some((sha) => sinceBest.has(sha))) continue;
    log(`history deepened to ${reachable.size} commits: enough to reach ${best.name}`);
    return searchResult(found, head.sha, candidates.length);
  }
  return { candidates: candidates.length };
}

function shallowFailure(e: unknown): unknown {
  if (!(e instanceof ToolError)) return e;
  return new ToolError(
    e.command,
    e.exitCode,
    e.stderrTail,
    'the checkout is shallow and its history could not be read from origin, so no version can be computed safely ' +
      '(give the job read access to the repository, or check out with fetch-depth: 0)',
  );
}

/**
 * The base when the repo has full history. `local` is the tag listing,
 * started by the caller alongside reading HEAD. When the checkout has no
 * such tags but origin does (a clone made with --no-tags), they are fetched once.
 */
export async function findTagsInFullClone(
  git: Git,
  headSha: string,
  prefix: string,
  local: ReleaseTagName[],
  log: (message: string) => void,
): Promise<TagSearch> {
  let all = local;
  if (all.length === 0) {
    const remote = await remoteTags(git, 'origin', prefix).catch((e: unknown) => {
      log(`could not list tags on origin (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); using local tags`);
      return undefined;
    });
    if (remote && remote.length > 0) {
      log(`no '${prefix}*' tags in the checkout but origin has ${remote.length}: fetching them`);
      await git.run(['fetch', '--no-tags', '--quiet', 'origin', `${tagPattern(prefix)}:${tagPattern(prefix)}`], {
        timeoutMs: 15 * 60_000,
      });
      all = await localReleaseTagNames(git, prefix);
    }
  }
  return searchFullHistory(git, headSha, prefix, all);
}

const LOG_FORMAT = '--format=%H%x00%h%x00%P%x00%B';

/** Commits in base..HEAD (all of HEAD's history without a base), newest first. */
export async function commitsSince(git: Git, baseCommit: string | undefined, paths: readonly string[]): Promise<Commit[]> {
  const range = baseCommit ? [`${baseCommit}..HEAD`] : ['HEAD'];
  // With paths, default history simplification can hide side-branch commits; list every commit that touched them.
  const pathArgs = paths.length ? ['--full-history', '--no-merges', '--', ...paths] : [];
  const out = await git.text(['log', '-z', LOG_FORMAT, ...range, ...pathArgs]);
  const commits: Commit[] = [];
  if (!out) return commits;
  const fields = out.split('\0');
  for (let i = 0; i + 3 < fields.length; i += 4) {
    commits.push({
      sha: fields[i]!,
      shortSha: fields[i + 1]!,
      parents: fields[i + 2] ? fields[i + 2]!.split(' ') : [],
      message: fields[i + 3]!.replace(/\n+$/, ''),
    });
  }
  return commits;
}

export async function countCommits(git: Git, baseCommit: string | undefined): Promise<number> {
  const range = baseCommit ? [`${baseCommit}..HEAD`] : ['HEAD'];
  return Number(await git.text(['rev-list', '--count', ...range]));
}
