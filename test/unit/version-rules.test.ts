import { describe, expect, test } from 'vitest';
import { parseConventionalCommit } from '#core/version/conventional-commit.js';
import { branchSlug, branchFromRef, matchesAnyGlob } from '#core/version/branch.js';
import { renderChangelog } from '#core/version/changelog.js';
import { parseStrictSemver, releaseVersionOfTag } from '#core/version/semver-tag.js';
import { refNameProblem } from '#core/git/git.js';
import { assertImageName } from '#core/registry/reference.js';

describe('conventional commits', () => {
  test.each([
    ['feat(api): add x', { type: 'feat', scope: 'api', breaking: false, subject: 'add x' }],
    ['fix!: y', { type: 'fix', scope: '', breaking: true, subject: 'y' }],
    ['feat(ui)!: z', { type: 'feat', scope: 'ui', breaking: true, subject: 'z' }],
    ['chore: a\n\nBREAKING CHANGE: b', { type: 'chore', breaking: true }],
    ['chore: a\n\nBREAKING-CHANGE: b', { type: 'chore', breaking: true }],
    ['Update README', { type: '', breaking: false, subject: 'Update README' }],
    ['feat:no space', { type: '', subject: 'feat:no space' }],
    ['feat(a)(b): nested', { type: '' }],
  ])('%j', (message, expected) => {
    expect(parseConventionalCommit(message)).toMatchObject(expected);
  });
});

describe('branches', () => {
  test.each([
    ['feature/Login_Page', 'feature-login-page'],
    ['dependabot/npm_and_yarn/semver-7.6.0', 'dependabot-npm-and-yarn-semver-7-6-0'],
    ['---', 'detached'],
    ['123', 'b123'],
    ['a'.repeat(100), 'a'.repeat(40)],
    ['émoji-🚀-branch', 'moji-branch'],
  ])('slug of %j is %j', (branch, slug) => {
    expect(branchSlug(branch)).toBe(slug);
    expect(parseStrictSemver(`1.0.0-${branchSlug(branch)}.3`)).toBeDefined();
  });

  test('refs', () => {
    expect(branchFromRef('refs/heads/a/b', '', '')).toEqual({ name: 'a/b', pullRequest: false, tag: '' });
    expect(branchFromRef('refs/pull/5/merge', 'topic', '')).toEqual({ name: 'topic', pullRequest: true, tag: '' });
    expect(branchFromRef('', '', 'HEAD')).toEqual({ name: '', pullRequest: false, tag: '' });
  });

  test('globs', () => {
    expect(matchesAnyGlob('release/1.x', ['release/*'])).toBe(true);
    expect(matchesAnyGlob('release/1/x', ['release/*'])).toBe(false);
    expect(matchesAnyGlob('release/1/x', ['release/**'])).toBe(true);
    expect(matchesAnyGlob('mainline', ['main'])).toBe(false);
    expect(matchesAnyGlob('v1.x', ['v?.x'])).toBe(true);
    expect(matchesAnyGlob('v1+x', ['v1.x'])).toBe(false);
  });
});

describe('tags and semver', () => {
  test('strict parsing', () => {
    expect(releaseVersionOfTag('v1.2.3', 'v')?.version).toBe('1.2.3');
    expect(releaseVersionOfTag('v1.2.3+build.7', 'v')?.version).toBe('1.2.3');
    expect(releaseVersionOfTag('vv1.2.3', 'v')).toBeUndefined();
    expect(releaseVersionOfTag('v1.2', 'v')).toBeUndefined();
    expect(releaseVersionOfTag('v01.2.3', 'v')).toBeUndefined();
    expect(releaseVersionOfTag('v1.2.3-rc.1', 'v')).toBeUndefined();
    expect(parseStrictSemver('1.2.3-rc.01')).toBeUndefined();
    expect(parseStrictSemver('2.0.0-rc.1+b5')?.prerelease).toEqual(['rc', 1]);
  });

  test('ref names', () => {
    expect(refNameProblem('v')).toBeUndefined();
    expect(refNameProblem('team/app/v')).toBeUndefined();
    expect(refNameProblem('a..b')).toMatch(/\.\./);
    expect(refNameProblem('.hidden/v')).toMatch(/starts with '\.'/);
    expect(refNameProblem('x@{y')).toMatch(/@\{/);
  });

  test('image names', () => {
    for (const ok of ['app', 'ghcr.io/acme/app', 'localhost:5000/a/b', 'a.b-c_d/e__f', '[::1]:5000/x']) expect(() => assertImageName(ok, 'x')).not.toThrow();
    for (const bad of ['App', 'ghcr.io/acme/app:1', 'a@sha256:00', '/a', 'a//b', '']) expect(() => assertImageName(bad, 'x')).toThrow();
  });
});

describe('changelog', () => {
  const c = (message: string, parents = ['p']) => ({ sha: 'f'.repeat(40), shortSha: 'fffffff', parents, message });

  test('groups, scopes and escapes markdown from commit text', () => {
    const md = renderChangelog([
      c('feat(api)!: drop v1'),
      c('feat: <img src=x onerror=alert(1)> [link](javascript:x)'),
      c('fix(db): pool'),
      c('perf: faster'),
      c('docs: words'),
      c('Merge branch x', ['a', 'b']),
    ]);
    expect(md).toBe(
      [
        '### ⚠ Breaking changes', '', '- **api:** drop v1 (fffffff)', '',
        '### Features', '', '- \\<img src=x onerror=alert(1)\\> \\[link\\](javascript:x) (fffffff)', '',
        '### Bug fixes', '', '- **db:** pool (fffffff)', '- faster (fffffff)', '',
        '### Other changes', '', '- words (fffffff)',
      ].join('\n'),
    );
  });

  test('is bounded for huge histories', () => {
    const md = renderChangelog(Array.from({ length: 1000 }, (_, i) => c(`fix: ${i}`)));
    expect(md.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(200);
    expect(md).toMatch(/…and 800 more commits\.$/);
  });
});
