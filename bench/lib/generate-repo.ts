/**
 * Generates a large, deterministic git history for benchmarks with `git fast-import`,
 * then fetches it the way actions/checkout does with `fetch-depth: 0`, so the
 * benchmark reads a repository shaped like the one a real job sees.
 *
 * Layout of a generated repository, cached under bench/.work/<name>-<commits>-<tags>/:
 *   origin.git/   the bare "remote" written by fast-import
 *   checkout/     the job's checkout: all branches as origin/*, all tags, main checked out
 *   meta.json     what was generated (and what a correct version computation must find);
 *                 written last, so its presence marks a complete repository
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mulberry32 } from './seeded-random.js';

/** Bump when the generated history changes, so stale caches are rebuilt. */
const GENERATOR_VERSION = 3;

/** Untagged commits between the last version tag and HEAD (the work the action has to do). */
const TAIL_MESSAGES: readonly string[] = [
  'fix(api): handle an empty pagination cursor',
  'chore(deps): bump semver from 7.8.5 to 7.8.6',
  'feat(web): add a dark mode toggle',
  'docs: describe the release process',
  'Update CODEOWNERS',
  'feat(api): expose /healthz/ready',
  'fix: correct an off-by-one in the retry backoff',
  'refactor(web): extract the layout component',
];

/** A short side branch merged back every this many commits. */
const MERGE_EVERY = 500;
/** Roles of the five commits of a side-branch block, starting at an offset into each MERGE_EVERY. */
const BLOCK: readonly Role[] = ['side', 'side', 'main', 'side', 'merge'];
const BLOCK_OFFSET = 250;
/** Where side-branch commits are made; deleted after the import, so only the merges remember them. */
const SIDE_REF = 'refs/bench/side';

const BASE_TIME = 1_600_000_000; // 2020-09-13, fixed so every generation is byte-identical
const COMMIT_INTERVAL = 900;

const AUTHORS: readonly string[] = [
  'Ada Lovelace <ada@example.com>',
  'Grace Hopper <grace@example.com>',
  'Linus Torvalds <linus@example.com>',
  'Margaret Hamilton <margaret@example.com>',
  'Ken Thompson <ken@example.com>',
  'dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>',
];
const TAGGER = 'Release Bot <release-bot@example.com>';

type Role = 'main' | 'side' | 'merge';

export interface RepoSpec {
  /** Used in the cache directory name, e.g. `large`. */
  name: string;
  /** Commits reachable from HEAD (main), side-branch and merge commits included. */
  commits: number;
  /** Version tags `vX.Y.Z` (a few `-rc.N`) along main; other tags come on top. */
  tags: number;
}

export interface RepoMeta {
  generatorVersion: number;
  commits: number;
  mergeCommits: number;
  versionTags: number;
  annotatedVersionTags: number;
  lightweightVersionTags: number;
  /** Tags that are not reachable `v` version tags: other prefixes, non-semver, unreachable. */
  otherTags: string[];
  /** The highest version tag reachable from HEAD. */
  lastTag: string;
  lastVersion: string;
  /** What a conventional-commit computation must produce: the tail has feats, no breaking change. */
  expectedNextVersion: string;
  commitsSinceLastTag: number;
  headSha: string;
  /** A higher version tag on a branch that is not merged into main. */
  unreachableTag: string;
  generationSeconds: number;
}

export interface GeneratedRepo {
  dir: string;
  bare: string;
  checkout: string;
  meta: RepoMeta;
  /** False when this call generated the repository, true when a cached one was reused. */
  reused: boolean;
}

/** Returns the cached repository for `spec` under `workRoot`, generating it first if needed. */
export function ensureRepo(spec: RepoSpec, workRoot: string): GeneratedRepo {
  if (spec.commits < TAIL_MESSAGES.length + 2 * spec.tags + 1 || spec.tags < 1) {
    throw new Error(`repo ${spec.name}: need tags >= 1 and commits >= 2 * tags + ${TAIL_MESSAGES.length + 1}`);
  }
  const dir = path.join(workRoot, `${spec.name}-${spec.commits}-${spec.tags}`);
  const metaFile = path.join(dir, 'meta.json');
  if (existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as RepoMeta;
    if (meta.generatorVersion === GENERATOR_VERSION) {
      return { dir, bare: path.join(dir, 'origin.git'), checkout: path.join(dir, 'checkout'), meta, reused: true };
    }
  }
  rmSync(dir, { recursive: true, force: true });

  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const started = process.hrtime.bigint();

  const bare = path.join(tmp, 'origin.git');
  git(['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  const plan = planHistory(spec);
  git(['-C', bare, 'fast-import', '--quiet', '--done'], Buffer.from(plan.stream, 'utf8'));
  git(['-C', bare, 'update-ref', '-d', SIDE_REF]);
  // fast-import leaves one loose ref per tag; a maintained remote has them packed.
  git(['-C', bare, 'pack-refs', '--all']);

  // What actions/checkout runs for fetch-depth: 0 (init, remote add, fetch all heads and tags, checkout -B).
  const checkout = path.join(tmp, 'checkout');
  git(['init', '--quiet', '--initial-branch=main', checkout]);
  git(['-C', checkout, 'remote', 'add', 'origin', path.resolve(dir, 'origin.git')]);
  git(['-C', checkout, 'config', '--local', 'gc.auto', '0']);
  // The remote URL names the final location; fetch from the temporary one by URL instead.
  git([
    '-C', checkout, '-c', 'protocol.version=2', 'fetch', '--quiet', '--prune', '--no-recurse-submodules',
    bare, '+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*',
  ]);
  git(['-C', checkout, 'checkout', '--quiet', '--force', '-B', 'main', 'refs/remotes/origin/main']);

  const headSha = git(['-C', checkout, 'rev-parse', 'HEAD']).trim();
  const generationSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const meta: RepoMeta = { ...plan.meta, headSha, generationSeconds };
  writeFileSync(path.join(tmp, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  renameSync(tmp, dir);
  return { dir, bare: path.join(dir, 'origin.git'), checkout: path.join(dir, 'checkout'), meta, reused: false };
}

/** Environment for git without anything inherited that would redirect it (GIT_DIR and friends). */
export function cleanGitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('GIT_')) env[key] = value;
  }
  return { ...env, LC_ALL: 'C', ...extra };
}

/**
 * For generation only (never for timed commands): fast-import's delta search frees and
 * re-allocates large buffers, and glibc's default heap trimming turned that into ~100k `brk`
 * calls per 5,000 commits (14 s instead of 0.7 s on a VM).
 */
const GENERATION_MALLOC = 'glibc.malloc.top_pad=67108864:glibc.malloc.trim_threshold=134217728';

function git(args: string[], input?: Buffer): string {
  const result = spawnSync('git', args, {
    input,
    env: cleanGitEnv({ GLIBC_TUNABLES: GENERATION_MALLOC }),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`git ${args.join(' ')} exited with ${result.status}\n${result.stderr}`);
  }
  return result.stdout;
}

interface Plan {
  stream: string;
  meta: Omit<RepoMeta, 'headSha' | 'generationSeconds'>;
}

/** Plans the whole history and renders it as one fast-import stream. */
function planHistory(spec: RepoSpec): Plan {
  const n = spec.commits;
  const tailStart = n - TAIL_MESSAGES.length;
  const random = mulberry32(0x5eed + n * 31 + spec.tags);

  const roles: Role[] = new Array<Role>(n).fill('main');
  for (let start = BLOCK_OFFSET; start + BLOCK.length <= tailStart - 1; start += MERGE_EVERY) {
    BLOCK.forEach((role, offset) => (roles[start + offset] = role));
  }

  // Version tags spread evenly over [0, tailStart), always on a main-line commit.
  const tagAt = new Map<number, number>(); // commit index -> tag number
  let previous = -1;
  for (let k = 0; k < spec.tags; k++) {
    let pos = Math.max(previous + 1, Math.floor(((k + 1) * tailStart) / spec.tags) - 1);
    while (pos < tailStart && roles[pos] === 'side') pos++;
    if (pos >= tailStart) throw new Error(`repo ${spec.name}: too many tags for ${n} commits`);
    tagAt.set(pos, k);
    previous = pos;
  }
  const versions = versionNames(spec.tags);

  const out: string[] = [];
  const marks: number[] = []; // commit index -> mark
  let mainTip = 0; // mark of main's tip, 0 before the first commit
  let forkTip = 0; // mark of the side branch's tip within a block
  let sideChanges: string[] = [];
  let mergeCommits = 0;
  let pr = 1000;

  for (let i = 0; i < n; i++) {
    const mark = i + 1;
    marks.push(mark);
    const role = roles[i] ?? 'main';
    const when = BASE_TIME + i * COMMIT_INTERVAL;
    const author = AUTHORS[i % AUTHORS.length] ?? AUTHORS[0];
    let message: string;
    let changes: string[];
    let parents: string[];
    // `from` only where a branch does not simply continue: fast-import reloads the parent's tree
    // for every `from`, which made generation several times slower.
    if (role === 'merge') {
      pr++;
      message = `Merge pull request #${pr} from acme/topic-${pr}\n\n${commitMessage(random, pr).split('\n')[0]}`;
      changes = sideChanges;
      parents = [`merge :${forkTip}`];
      sideChanges = [];
      mergeCommits++;
    } else {
      const subject = i >= tailStart ? (TAIL_MESSAGES[i - tailStart] ?? 'chore: tail') : commitMessage(random, ++pr);
      message = subject;
      const file = fileFor(subject, random, i);
      const change = `M 100644 inline ${file}\n${data(`// ${file}\nexport const revision = ${i};\n`)}`;
      changes = [change];
      if (role === 'side') {
        parents = sideChanges.length === 0 ? [`from :${mainTip}`] : [];
        sideChanges.push(change);
      } else {
        parents = [];
      }
    }
    out.push(
      `commit ${role === 'side' ? SIDE_REF : 'refs/heads/main'}\nmark :${mark}\n` +
        `author ${author} ${when} +0000\ncommitter ${author} ${when} +0000\n` +
        data(`${message}\n`) +
        parents.map((p) => `${p}\n`).join('') +
        changes.join('') +
        '\n',
    );
    if (role === 'side') forkTip = mark;
    else mainTip = mark;
  }

  let annotated = 0;
  let lastTag = '';
  let lastMark = 0;
  for (const [index, k] of tagAt) {
    const name = `v${versions[k] ?? '0.0.0'}`;
    const mark = marks[index] ?? 1;
    // Two in three tags annotated (what release tooling makes), the rest lightweight.
    if (k % 3 !== 2) {
      out.push(tagCommand(name, mark, BASE_TIME + index * COMMIT_INTERVAL + 60, `Release ${name}`));
      annotated++;
    } else {
      out.push(`reset refs/tags/${name}\nfrom :${mark}\n\n`);
    }
    lastTag = name;
    lastMark = mark;
  }
  const lastVersion = lastTag.slice(1);
  const [major, minor] = lastVersion.split('.').map(Number) as [number, number];

  // Decoys: other prefixes, non-semver tags matching `v*`, and a higher version that HEAD cannot reach.
  const otherTags: string[] = [];
  const decoy = (name: string, index: number, annotate: boolean): void => {
    const mark = marks[Math.min(Math.max(index, 0), n - 1)] ?? 1;
    out.push(
      annotate
        ? tagCommand(name, mark, BASE_TIME + index * COMMIT_INTERVAL + 30, name)
        : `reset refs/tags/${name}\nfrom :${mark}\n\n`,
    );
    otherTags.push(name);
  };
  decoy('vendor-import', 0, false);
  decoy('deploy-prod-2020-09-14', Math.floor(n * 0.1), false);
  decoy('api/v1.0.0', Math.floor(n * 0.3), true);
  decoy('web/v1.2.3', Math.floor(n * 0.6), true);
  decoy('latest-staging', n - 4, false);
  decoy(`web/v${major + 5}.0.0`, n - 3, true);
  // Non-semver names under `v*` stay far from HEAD, so `git describe --match 'v*'` still finds a release.
  decoy('v-next-preview', Math.floor(n * 0.5), false);

  const unreachableTag = `v${major + 1}.0.0`;
  const nextMark = n + 1;
  const nextWhen = BASE_TIME + tailStart * COMMIT_INTERVAL;
  out.push(
    `commit refs/heads/next\nmark :${nextMark}\n` +
      `author ${AUTHORS[0]} ${nextWhen} +0000\ncommitter ${AUTHORS[0]} ${nextWhen} +0000\n` +
      data('feat!: the next major, not merged yet\n\nBREAKING CHANGE: drops the v1 API\n') +
      `from :${lastMark}\n` +
      `M 100644 inline NEXT.md\n${data('next\n')}\n`,
  );
  out.push(tagCommand(unreachableTag, nextMark, nextWhen + 60, `Release ${unreachableTag}`));
  otherTags.push(unreachableTag);
  out.push('done\n');

  return {
    stream: out.join(''),
    meta: {
      generatorVersion: GENERATOR_VERSION,
      commits: n,
      mergeCommits,
      versionTags: spec.tags,
      annotatedVersionTags: annotated,
      lightweightVersionTags: spec.tags - annotated,
      otherTags,
      lastTag,
      lastVersion,
      expectedNextVersion: `${major}.${minor + 1}.0`,
      commitsSinceLastTag: TAIL_MESSAGES.length,
      unreachableTag,
    },
  };
}

/**
 * Increasing versions from 0.1.0: mostly patches, a minor every 10th, a major every 100th;
 * the tag before every 50th is the `-rc.1` of the release that the next tag makes.
 */
function versionNames(count: number): string[] {
  const names: string[] = [];
  let cur: [number, number, number] = [0, 1, 0];
  const bump = (v: [number, number, number], k: number): [number, number, number] =>
    k % 100 === 99 ? [v[0] + 1, 0, 0] : k % 10 === 9 ? [v[0], v[1] + 1, 0] : [v[0], v[1], v[2] + 1];
  for (let k = 0; k < count; k++) {
    if (k === 0) {
      names.push(cur.join('.'));
    } else if (k % 50 === 48 && k < count - 1) {
      names.push(`${bump(cur, k + 1).join('.')}-rc.1`);
    } else {
      cur = bump(cur, k);
      names.push(cur.join('.'));
    }
  }
  return names;
}

function tagCommand(name: string, mark: number, when: number, message: string): string {
  return `tag ${name}\nfrom :${mark}\ntagger ${TAGGER} ${when} +0000\n${data(`${message}\n`)}\n`;
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text, 'utf8')}\n${text}`;
}

const TYPES: ReadonlyArray<readonly [string, number]> = [
  ['feat', 14], ['fix', 22], ['chore', 14], ['docs', 9], ['refactor', 6], ['test', 5],
  ['ci', 3], ['perf', 2], ['build', 3], ['style', 2], ['', 20],
];
const SCOPES: readonly string[] = ['api', 'web', 'docs', 'deps', 'ci', 'auth', 'db'];
const VERBS: readonly string[] = ['add', 'handle', 'remove', 'rename', 'validate', 'cache', 'log', 'retry', 'document', 'simplify'];
const NOUNS: readonly string[] = [
  'pagination cursor', 'login form', 'order export', 'health check', 'rate limiter', 'session token',
  'invoice totals', 'search index', 'image upload', 'feature flags', 'webhook signature', 'timezone offsets',
];
const NON_CONVENTIONAL: readonly string[] = [
  'Update README.md', 'WIP', 'Fix typo', 'Bump lodash from 4.17.20 to 4.17.21', "Merge branch 'main' into topic",
  'Revert "feat(web): add image upload"', 'Small cleanups', 'Initial import of the billing module',
];

function commitMessage(random: () => number, pr: number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  let roll = random() * TYPES.reduce((sum, [, w]) => sum + w, 0);
  let type = '';
  for (const [name, weight] of TYPES) {
    if ((roll -= weight) < 0) {
      type = name;
      break;
    }
  }
  if (type === '') return pick(NON_CONVENTIONAL);
  const scope = random() < 0.6 ? `(${pick(SCOPES)})` : '';
  const breakingRoll = random();
  const bang = (type === 'feat' || type === 'fix' || type === 'refactor') && breakingRoll < 0.005 ? '!' : '';
  let message = `${type}${scope}${bang}: ${pick(VERBS)} ${pick(NOUNS)} (#${pr})`;
  if (random() < 0.3) message += `\n\nThe ${pick(NOUNS)} now goes through the ${pick(NOUNS)} path.`;
  if (type === 'feat' && breakingRoll > 0.995) message += '\n\nBREAKING CHANGE: the v1 response shape is gone';
  if (random() < 0.1) message += `\n\nRefs: #${pr - 7}`;
  return message;
}

function fileFor(subject: string, random: () => number, i: number): string {
  const n = i % 10;
  if (/^docs|\(docs\)/.test(subject)) return `docs/page-${n}.md`;
  if (/\((api|auth|db)\)/.test(subject)) return `services/api/src/module-${n}.ts`;
  if (/\(web\)/.test(subject)) return `services/web/src/component-${n}.ts`;
  const r = random();
  if (r < 0.4) return `services/api/src/module-${n}.ts`;
  if (r < 0.8) return `services/web/src/component-${n}.ts`;
  if (r < 0.95) return `docs/page-${n}.md`;
  return 'README.md';
}

