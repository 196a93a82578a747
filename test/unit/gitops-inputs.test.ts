import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { InputError } from '#core/errors/errors.js';
import { commitMessage, defaultSubject } from '#core/gitops/commit-message.js';
import { commitUrl, resolveRepository } from '#core/gitops/repository-url.js';
import { scanSource } from '#core/gitops/source-tree.js';
import { appAndEnvironment, validateTargetPath } from '#core/gitops/target-path.js';

const GITHUB = { serverUrl: 'https://github.com', sshKey: false, token: true };

describe('repository input', () => {
  test('owner/name is a repository on the workflow\'s GitHub server', () => {
    expect(resolveRepository('acme/gitops', GITHUB)).toEqual({
      url: 'https://github.com/acme/gitops.git',
      transport: 'https',
      httpOrigin: 'https://github.com/',
      github: { owner: 'acme', repo: 'gitops', webUrl: 'https://github.com/acme/gitops' },
    });
    expect(resolveRepository('acme/gitops.git', { ...GITHUB, serverUrl: 'https://ghe.example.com' }).url).toBe(
      'https://ghe.example.com/acme/gitops.git',
    );
  });

  test('owner/name with an ssh key goes over ssh to the same server', () => {
    const r = resolveRepository('acme/gitops', { serverUrl: 'https://ghe.example.com', sshKey: true, token: false });
    expect(r.url).toBe('git@ghe.example.com:acme/gitops.git');
    expect(r.transport).toBe('ssh');
    expect(r.github?.webUrl).toBe('https://ghe.example.com/acme/gitops');
  });

  test('URLs on the GitHub server are recognised for links; others are not', () => {
    expect(resolveRepository('https://github.com/acme/gitops.git', GITHUB).github?.repo).toBe('gitops');
    expect(resolveRepository('git@github.com:acme/gitops.git', { ...GITHUB, token: false }).github?.owner).toBe('acme');
    expect(resolveRepository('https://gitlab.example.com/acme/gitops.git', GITHUB).github).toBeUndefined();
    expect(resolveRepository('file:///srv/git/gitops.git', { ...GITHUB, token: false })).toEqual({
      url: 'file:///srv/git/gitops.git',
      transport: 'file',
      httpOrigin: '',
    });
  });

  test('the token header is scoped to the repository origin', () => {
    expect(resolveRepository('http://127.0.0.1:8080/acme/gitops.git', GITHUB).httpOrigin).toBe('http://127.0.0.1:8080/');
  });

  test.each([
    ['https://x-access-token:ghs_secret@github.com/acme/gitops.git', /must not carry credentials in the URL/],
    ['https://bot@github.com/acme/gitops.git', /must not carry credentials in the URL/],
    ['http://git.example.com/acme/gitops.git', /refusing to send the token to http:\/\/git\.example\.com\/acme\/gitops\.git over plain http/],
    ['ext::sh -c touch% /tmp/pwned', /must be owner\/name, or a git URL/],
    ['git://example.com/gitops.git', /the git:\/\/ transport is not supported/],
    ['/srv/git/gitops.git', /must be owner\/name, or a git URL starting with https:\/\/, ssh:\/\/ or file:\/\//],
    ['--upload-pack=touch /tmp/pwned', /must be owner\/name/],
    ['acme', /must be owner\/name/],
  ])('refuses %s', (repository, message) => {
    expect(() => resolveRepository(repository, GITHUB)).toThrow(message);
  });

  test('token and ssh-key each need their transport', () => {
    expect(() => resolveRepository('ssh://git@example.com/acme/gitops.git', GITHUB)).toThrow(/input 'token' is for https repositories/);
    expect(() => resolveRepository('https://example.com/acme/gitops.git', { ...GITHUB, token: false, sshKey: true })).toThrow(
      /input 'ssh-key' needs an ssh repository/,
    );
  });

  test('commit links only for repositories on the GitHub server', () => {
    expect(commitUrl(resolveRepository('acme/gitops', GITHUB), 'abc')).toBe('https://github.com/acme/gitops/commit/abc');
    expect(commitUrl(resolveRepository('file:///srv/x.git', { ...GITHUB, token: false }), 'abc')).toBe('');
  });
});

describe('path input', () => {
  test('canonical and nested layouts', () => {
    expect(validateTargetPath('verity-api--staging')).toBe('verity-api--staging');
    expect(validateTargetPath('clusters/prod-eu/verity-api--production/')).toBe('clusters/prod-eu/verity-api--production');
  });

  test.each([
    ['', /not its root/],
    ['.', /not its root/],
    ['/etc/argocd', /must be relative to the GitOps repository root \(got the absolute path '\/etc\/argocd'\)/],
    ['../other-repo', /must stay inside the GitOps repository: it contains '\.\.'/],
    ['apps/../../x', /contains '\.\.'/],
    ['apps//x', /empty or '\.' segment/],
    ['.git/hooks', /must start with a letter or digit/],
    ['apps/*', /must start with a letter or digit/],
    ['a\\b', /must use '\/'/],
  ])('refuses %j', (path, message) => {
    expect(() => validateTargetPath(path)).toThrow(InputError);
    expect(() => validateTargetPath(path)).toThrow(message);
  });

  test('app and environment come from <app>--<environment>', () => {
    expect(appAndEnvironment('verity-api--staging')).toEqual({ app: 'verity-api', environment: 'staging' });
    expect(appAndEnvironment('clusters/eu/verity-api--prod')).toEqual({ app: 'verity-api', environment: 'prod' });
    expect(appAndEnvironment('monitoring')).toEqual({ app: 'monitoring', environment: '' });
  });
});

describe('source directory', () => {
  const make = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'gitops-source-'));
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return dir;
  };

  test('files in path order, executable bit kept', () => {
    const dir = make({ 'monochart/templates/service.yaml': 's', 'monochart/templates/deployment.yaml': 'd', 'hooks/run.sh': '#!/bin/sh' });
    chmodSync(join(dir, 'hooks/run.sh'), 0o755);
    expect(scanSource(dir).map((f) => [f.path, f.executable])).toEqual([
      ['hooks/run.sh', true],
      ['monochart/templates/deployment.yaml', false],
      ['monochart/templates/service.yaml', false],
    ]);
  });

  test('missing, not a directory, empty: refused with what to do', () => {
    expect(() => scanSource('/nonexistent/rendered', 'rendered')).toThrow(
      "input 'source': rendered does not exist (give the rendered directory, e.g. the render step's 'path' output)",
    );
    const dir = make({ 'file.yaml': 'x' });
    expect(() => scanSource(join(dir, 'file.yaml'), 'file.yaml')).toThrow("input 'source': file.yaml is not a directory");
    const empty = make({});
    mkdirSync(join(empty, 'monochart/templates'), { recursive: true });
    expect(() => scanSource(empty, 'out/app--staging')).toThrow(
      /input 'source': out\/app--staging has no files; refusing to commit an empty desired state, which would delete the app/,
    );
  });

  test('a symbolic link or a .git inside is refused', () => {
    const linked = make({ 'a.yaml': 'x' });
    symlinkSync('/etc/passwd', join(linked, 'passwd.yaml'));
    expect(() => scanSource(linked, 'src')).toThrow(/src\/passwd\.yaml is a symbolic link; refusing/);
    const odd = make({ 'a.yaml': 'x', 'b\nc.yaml': 'y' });
    expect(() => scanSource(odd, 'src')).toThrow("input 'source': src/b\\nc.yaml has a control character in its name");
    const nested = make({ 'a.yaml': 'x', 'sub/.git/config': '[core]' });
    expect(() => scanSource(nested, 'src')).toThrow(/src\/sub\/\.git is a git repository or link/);
  });
});

describe('commit message', () => {
  const provenance = {
    sourceRepository: 'https://github.com/acme/verity-api',
    sourceCommit: 'e'.repeat(40),
    version: '1.4.0',
    environment: 'staging',
    workflowRun: 'https://github.com/acme/verity-api/actions/runs/42',
  };

  test('subject, blank line, the five trailers', () => {
    expect(commitMessage(defaultSubject('verity-api', 'staging', '1.4.0'), provenance)).toBe(
      'deploy(verity-api): staging 1.4.0\n\n' +
        'Source-Repository: https://github.com/acme/verity-api\n' +
        `Source-Commit: ${'e'.repeat(40)}\n` +
        'Version: 1.4.0\n' +
        'Environment: staging\n' +
        'Workflow-Run: https://github.com/acme/verity-api/actions/runs/42\n',
    );
  });

  test('empty values leave their trailer out; a user body is kept above the trailers', () => {
    expect(commitMessage('chore: bump\r\n\r\nwhy it matters', { ...provenance, sourceCommit: '', workflowRun: '', version: '' })).toBe(
      'chore: bump\n\nwhy it matters\n\nSource-Repository: https://github.com/acme/verity-api\nEnvironment: staging\n',
    );
    expect(defaultSubject('monitoring', '', '')).toBe('deploy(monitoring)');
  });

  test('a trailer value cannot forge another trailer', () => {
    expect(() => commitMessage('x', { ...provenance, version: '1.0.0\nSigned-off-by: mallory' })).toThrow(/Version trailer cannot contain a line break/);
  });
});
