import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { repoRoot } from '../harness/run-bundle.js';

/** A parsed `uses:` value of a step or a job. */
export type UsesReference =
  | { kind: 'local'; path: string }
  | { kind: 'repository'; repository: string; path: string; ref: string }
  | { kind: 'docker'; image: string };

export function parseUses(uses: string): UsesReference | undefined {
  if (uses.startsWith('docker://')) return { kind: 'docker', image: uses.slice('docker://'.length) };
  if (uses === '.' || uses.startsWith('./')) return { kind: 'local', path: uses === '.' ? '' : uses.slice(2).replace(/\/+$/, '') };
  const match = /^([^/@\s]+)\/([^/@\s]+)((?:\/[^@\s]+)?)@([^@\s]+)$/.exec(uses);
  if (!match) return undefined;
  const [, owner, repo, path, ref] = match;
  return { kind: 'repository', repository: `${owner}/${repo}`.toLowerCase(), path: path!.replace(/^\//, ''), ref: ref! };
}

/**
 * Where `uses:` references resolve on this machine.
 *
 * `root` is the checked-out workspace as GitHub sees it: a step's `uses: ./x` resolves
 * against it, also inside reusable workflows and composite actions that come from
 * another repository. `repositories` maps `owner/repo` to a local directory whose
 * working tree stands in for every ref of that repository.
 */
export interface Sources {
  root: string;
  repositories: Record<string, string>;
}

/** This repository answers for itself under its GitHub name, so examples run our actions. */
export const selfRepository = 'gitops-actions/gitops-actions';

export function defaultRepositories(): Record<string, string> {
  return { [selfRepository]: repoRoot };
}

export function repositoryDir(repositories: Record<string, string>, repository: string): string | undefined {
  const wanted = repository.toLowerCase();
  for (const [name, dir] of Object.entries(repositories)) if (name.toLowerCase() === wanted) return dir;
  return undefined;
}

/**
 * The repository a workflow file belongs to: the directory holding its `.github/workflows`,
 * or this repository for a workflow kept elsewhere (test fixtures).
 */
export function repositoryOf(workflowPath: string): string {
  const dir = dirname(resolve(workflowPath));
  const marker = `${sep}.github${sep}workflows`;
  return dir.endsWith(marker) ? dir.slice(0, -marker.length) : repoRoot;
}

/** Reusable workflows live in `.github/workflows/` of their repository; GitHub refuses any other path. */
export function reusableWorkflowPath(ref: UsesReference, repoDir: string, repositories: Record<string, string>): string | { error: string } {
  if (ref.kind === 'docker') return { error: 'a reusable workflow cannot be a docker image' };
  if (!/^\.github\/workflows\/[^/]+\.ya?ml$/.test(ref.path)) {
    return { error: `reusable workflows must be files directly in .github/workflows/ (got '${ref.path}')` };
  }
  if (ref.kind === 'local') return join(repoDir, ref.path);
  const dir = repositoryDir(repositories, ref.repository);
  if (!dir) return { error: `no local copy of ${ref.repository}: the local runner cannot fetch it (known: ${Object.keys(repositories).join(', ') || 'none'})` };
  return join(dir, ref.path);
}

export function actionFileIn(dir: string): string | undefined {
  for (const name of ['action.yml', 'action.yaml']) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

/** Paths in messages: relative to this repository when inside it. */
export function displayPath(path: string): string {
  const rel = relative(repoRoot, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
