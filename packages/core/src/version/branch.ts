/** Where HEAD is, as the version rules see it. */
export interface BranchInfo {
  /** Branch name ('' when detached with no ref to go by). */
  name: string;
  pullRequest: boolean;
  /** The run was triggered by a tag push. */
  tag: string;
}

/**
 * Reads the runner's ref. A pull request's ref is refs/pull/N/merge, so its
 * branch is the head ref; outside a runner the checkout's own branch is used.
 */
export function branchFromRef(ref: string, headRef: string, checkoutBranch: string): BranchInfo {
  if (ref.startsWith('refs/pull/')) return { name: headRef || ref.split('/')[2] || '', pullRequest: true, tag: '' };
  if (ref.startsWith('refs/heads/')) return { name: ref.slice('refs/heads/'.length), pullRequest: false, tag: '' };
  if (ref.startsWith('refs/tags/')) return { name: '', pullRequest: false, tag: ref.slice('refs/tags/'.length) };
  return { name: checkoutBranch === 'HEAD' ? '' : checkoutBranch, pullRequest: false, tag: '' };
}

/** `*` matches within a path segment, `**` across segments, `?` one character. */
function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      pattern += '.*';
      i++;
    } else if (c === '*') pattern += '[^/]*';
    else if (c === '?') pattern += '[^/]';
    else pattern += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}

export function matchesAnyGlob(name: string, globs: readonly string[]): boolean {
  return globs.some((g) => globToRegExp(g).test(name));
}

const MAX_SLUG = 40;

/**
 * A branch name as a semver pre-release identifier that is also valid inside a
 * docker tag: lower-case alphanumerics and '-', never purely numeric (semver
 * forbids leading zeros there and numbers would sort oddly).
 */
export function branchSlug(branch: string): string {
  let slug = branch
    .toLowerCase()
    .replace(/^refs\/heads\//, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
  if (slug === '') slug = 'detached';
  if (/^\d+$/.test(slug)) slug = `b${slug}`;
  return slug;
}
