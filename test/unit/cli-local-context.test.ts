import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { githubRepositoryOf, localContext } from '#core/runtime/local-context.js';
import { TestRepo } from '../harness/git-repo.js';

describe('githubRepositoryOf', () => {
  test.each([
    ['https://github.com/acme/verity-api.git', 'acme/verity-api'],
    ['https://github.com/acme/verity-api', 'acme/verity-api'],
    ['https://x-access-token:ghp_abc@github.com/acme/verity-api.git/', 'acme/verity-api'],
    ['git@github.com:acme/verity-api.git', 'acme/verity-api'],
    ['github.com:acme/verity-api', 'acme/verity-api'],
    ['ssh://git@github.com/acme/verity-api.git', 'acme/verity-api'],
    ['ssh://git@github.com:22/acme/verity-api', 'acme/verity-api'],
    ['https://GitHub.com/Acme/Verity.Api.git', 'Acme/Verity.Api'],
  ])('%s → %s', (remote, expected) => {
    expect(githubRepositoryOf(remote)).toBe(expected);
  });

  test.each([
    'https://gitlab.com/acme/verity-api.git',
    'git@bitbucket.org:acme/verity-api.git',
    'https://github.com/acme/group/verity-api.git',
    'https://github.com/acme',
    'file:///srv/git/verity-api.git',
    '/srv/git/verity-api.git',
    'https://github.com/acme/..',
    '',
  ])('%s is not a GitHub repository', (remote) => {
    expect(githubRepositoryOf(remote)).toBe('');
  });

  test('a GitHub Enterprise server is recognised by its own host', () => {
    expect(githubRepositoryOf('git@ghe.acme.example:platform/gitops.git', 'ghe.acme.example')).toBe('platform/gitops');
    expect(githubRepositoryOf('git@ghe.acme.example:platform/gitops.git')).toBe('');
  });
});

describe('localContext', () => {
  test('from the checkout: HEAD, its branch and the origin remote', async () => {
    const repo = TestRepo.create({ branch: 'main' });
    const sha = repo.commit('feat: first');
    repo.git('remote', 'add', 'origin', 'git@github.com:acme/verity-api.git');
    const home = mkdtempSync(join(tmpdir(), 'ctx-home-'));
    const context = await localContext({ PATH: process.env.PATH, HOME: home }, repo.dir);
    expect(context).toMatchObject({
      sha,
      ref: 'refs/heads/main',
      repository: 'acme/verity-api',
      workspace: repo.dir,
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
      runnerTemp: '',
      toolCache: join(home, '.cache', 'gitops-actions', 'tools'),
      eventName: '',
      payload: {},
    });
  });

  test('GITHUB_* variables win, so another CI can hand over its provenance', async () => {
    const repo = TestRepo.create();
    repo.commit('fix: one');
    repo.git('remote', 'add', 'origin', 'https://github.com/acme/other.git');
    const context = await localContext(
      {
        PATH: process.env.PATH,
        GITHUB_SHA: 'a'.repeat(40),
        GITHUB_REF: 'refs/heads/release',
        GITHUB_REPOSITORY: 'acme/verity-api',
        GITHUB_SERVER_URL: 'https://ghe.acme.example/',
        GITHUB_RUN_ID: '42',
        RUNNER_TOOL_CACHE: '/opt/tools',
        GITHUB_WORKSPACE: '/elsewhere',
      },
      repo.dir,
    );
    expect(context).toMatchObject({
      sha: 'a'.repeat(40),
      ref: 'refs/heads/release',
      repository: 'acme/verity-api',
      serverUrl: 'https://ghe.acme.example',
      apiUrl: 'https://ghe.acme.example/api/v3',
      runId: '42',
      toolCache: '/opt/tools',
      // Paths on the command line are relative to where it was typed.
      workspace: repo.dir,
    });
  });

  test('outside a repository, or detached, the git fields are empty', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'ctx-plain-'));
    expect(await localContext({ PATH: process.env.PATH }, plain)).toMatchObject({ sha: '', ref: '', repository: '' });
    const repo = TestRepo.create();
    const first = repo.commit('feat: a');
    repo.commit('feat: b');
    repo.checkout('--detach', first);
    expect(await localContext({ PATH: process.env.PATH }, repo.dir)).toMatchObject({ sha: first, ref: '', repository: '' });
  });
});
