import { statSync } from 'node:fs';
import { isAbsolute, normalize } from 'node:path';
import SemVer from 'semver/classes/semver.js';
import { InputError } from '../errors/errors.js';
import { assertRefName, Git } from '../git/git.js';
import { neutraliseLine } from '../log/neutralise.js';
import { assertImageName, assertImageTag } from '../registry/reference.js';
import { branchFromRef, branchSlug, matchesAnyGlob } from './branch.js';
import { bumpBetween, decideBump, type Bump } from './bump.js';
import { renderChangelog } from './changelog.js';
import { type Commit } from './conventional-commit.js';
import {
  commitsSince,
  countCommits,
  findTagsInFullClone,
  findTagsInShallowClone,
  localReleaseTagNames,
  readHead,
} from './history.js';
import { imageTags } from './image-tags.js';
import { parseStrictSemver } from './semver-tag.js';
import { createVersionTag } from './tag-release.js';

export interface ComputeVersionOptions {
  path: string;
  tagPrefix: string;
  paths: readonly string[];
  releaseBranches: readonly string[];
  bump: 'auto' | 'major' | 'minor' | 'patch';
  defaultBump: Bump;
  majorOnZero: boolean;
  initialVersion: string;
  version: string;
  createTag: boolean;
  image: string;
  movingTags: readonly string[];
  /** The runner's ref (GITHUB_REF) and pull-request head (GITHUB_HEAD_REF); '' outside a runner. */
  ref: string;
  headRef: string;
  /** Auth for pushing the tag; '' uses whatever the checkout configured. */
  token?: string;
}

export interface VersionResult {
  version: string;
  tag: string;
  previousVersion: string;
  previousTag: string;
  bump: Bump;
  isRelease: boolean;
  changed: boolean;
  sha: string;
  shortSha: string;
  changelog: string;
  imageTags: string[];
  /** Why, in sentences for the log and summary. */
  reasons: string[];
  /** Commits considered for the bump. */
  commitCount: number;
  tagCreated: boolean;
}

export interface ComputeVersionDeps {
  log: (message: string) => void;
  /** Sees each git argv; the benchmark and tests count processes with it. */
  onGitCommand?: (args: readonly string[]) => void;
}

function validate(options: ComputeVersionOptions): { initial: SemVer; explicit?: SemVer } {
  if (!statSync(options.path, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError(`input 'path': ${options.path} does not exist or is not a directory`);
  }
  assertRefName(`${options.tagPrefix}0.0.0`, `input 'tag-prefix' ('${options.tagPrefix}')`);
  const initial = parseStrictSemver(options.initialVersion);
  if (!initial) {
    throw new InputError(`input 'initial-version' must be a semantic version like 0.1.0 (got '${options.initialVersion}')`);
  }
  let explicit: SemVer | undefined;
  if (options.version) {
    explicit = parseStrictSemver(options.version);
    if (!explicit) {
      const hint = /^[vV=]/.test(options.version) ? `; leave out the prefix, tags get 'tag-prefix' ('${options.tagPrefix}')` : '';
      throw new InputError(`input 'version' must be a semantic version like 1.2.3 or 1.2.3-rc.1 (got '${options.version}')${hint}`);
    }
  }
  for (const p of options.paths) {
    if (isAbsolute(p) || normalize(p).split(/[\\/]/).includes('..')) {
      throw new InputError(`input 'paths': '${p}' must be a path inside the repository, relative to 'path'`);
    }
  }
  if (options.image) assertImageName(options.image, `input 'image'`);
  for (const t of options.movingTags) assertImageTag(t, `input 'moving-tags': '${t}'`);
  return explicit ? { initial, explicit } : { initial };
}

/**
 * The version step: reads tags and commits, decides the next version, and
 * optionally tags HEAD. Everything it decides is explained in `reasons`.
 */
export async function computeVersion(options: ComputeVersionOptions, deps: ComputeVersionDeps): Promise<VersionResult> {
  const { initial, explicit } = validate(options);
  const git = new Git({ cwd: options.path, ...(options.token ? { token: options.token } : {}), ...(deps.onGitCommand ? { onCommand: deps.onGitCommand } : {}) });
  const reasons: string[] = [];
  // Reasons quote commit subjects and branch names: untrusted, so defused once here.
  const say = (m: string) => {
    const safe = neutraliseLine(m);
    reasons.push(safe);
    deps.log(safe);
  };

  // Listing tags does not depend on HEAD: both git processes run at once.
  const [headRead, tagsListed] = await Promise.allSettled([readHead(git), localReleaseTagNames(git, options.tagPrefix)]);
  if (headRead.status === 'rejected') throw headRead.reason;
  const head = headRead.value;
  const branch = branchFromRef(options.ref, options.headRef, head.branch);
  const releaseBranch = !branch.pullRequest && branch.name !== '' && matchesAnyGlob(branch.name, options.releaseBranches);

  const { base, onHead, candidates } = head.shallow
    ? await findTagsInShallowClone(git, head, options.tagPrefix, deps.log)
    : await findTagsInFullClone(git, head.sha, options.tagPrefix, settled(tagsListed), deps.log);

  const commits: Commit[] = await commitsSince(git, base?.commit, options.paths);
  const where = options.paths.length ? ` touching ${options.paths.join(', ')}` : '';
  say(
    base
      ? `base tag ${base.name} (${base.commit.slice(0, 7)}), the highest of ${candidates} '${options.tagPrefix}X.Y.Z' release tags that is reachable from HEAD; ${commits.length} commits since${where}`
      : `no '${options.tagPrefix}X.Y.Z' release tag is reachable from HEAD (${candidates} exist); ${commits.length} commits in history${where}`,
  );

  let version: SemVer;
  let bump: Bump;
  let changed = true;
  let isReleaseVersion = releaseBranch;

  if (onHead && !explicit) {
    version = onHead.version;
    bump = bumpBetween(base?.version, version);
    changed = false;
    isReleaseVersion = true;
    say(`HEAD already carries ${onHead.name}: keeping ${version.version}`);
  } else if (explicit) {
    version = explicit;
    bump = bumpBetween(base?.version, version);
    changed = onHead?.version.compare(explicit) !== 0;
    isReleaseVersion = releaseBranch || (onHead !== undefined && !changed);
    say(`version ${version.version} given explicitly`);
  } else {
    const decision =
      options.bump === 'auto'
        ? decideBump(commits, base?.version, { defaultBump: options.defaultBump, majorOnZero: options.majorOnZero })
        : { bump: options.bump as Bump, reason: `bump '${options.bump}' forced by input` };
    if (!base) {
      version = initial;
      bump = bumpBetween(undefined, initial);
      say(`first version ${initial.version} (initial-version)`);
    } else if (decision.bump === 'none') {
      version = base.version;
      bump = 'none';
      changed = false;
      say(`no new version: ${decision.reason}`);
    } else {
      version = new SemVer(base.version.version).inc(decision.bump);
      bump = decision.bump;
      const subject = decision.decidedBy ? ` "${firstLine(decision.decidedBy.message)}"` : '';
      say(`${version.version}: ${decision.reason}${subject}, base tag ${base.name}`);
    }
    if (changed && !releaseBranch) {
      const n = options.paths.length ? await countCommits(git, base?.commit) : commits.length;
      const slug = branchSlug(branch.name);
      version = new SemVer(`${version.version}-${slug}.${n}`);
      const why = branch.pullRequest ? `pull request from ${branch.name}` : branch.name ? `branch ${branch.name} is not a release branch` : 'HEAD is not on a branch';
      say(`pre-release ${version.version}: ${why} (${n} commits since ${base ? base.name : 'the first commit'})`);
    }
  }

  const versionText = version.version + (version.build.length ? `+${version.build.join('.')}` : '');
  const tag = `${options.tagPrefix}${versionText}`;
  let tagCreated = false;
  if (options.createTag) {
    if (!releaseBranch) say(`not creating ${tag}: ${branch.name ? `branch ${branch.name}` : 'HEAD'} is not a release branch`);
    else if (!changed && onHead?.name !== tag) say(`not creating a tag: no new version`);
    else {
      tagCreated = await createVersionTag(git, { tag, sha: head.sha, message: `${tag}\n\n${renderChangelog(commits)}\n` });
      // A tag already on HEAD is pushed again: a previous run may have died between tag and push.
      say(tagCreated ? `created and pushed ${tag}` : `${tag} already on HEAD, and on origin`);
    }
  }

  return {
    version: versionText,
    tag,
    previousVersion: base?.version.version ?? '',
    previousTag: base?.name ?? '',
    bump,
    isRelease: isReleaseVersion,
    changed,
    sha: head.sha,
    shortSha: head.shortSha,
    changelog: renderChangelog(commits),
    imageTags: imageTags({ version: versionText, shortSha: head.shortSha, movingTags: options.movingTags, image: options.image }),
    reasons,
    commitCount: commits.length,
    tagCreated,
  };
}

function settled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? '';
}

