import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InputError, ToolError } from '#core/errors/errors.js';
import { apiUrlForServer, graphqlBaseUrl, parseApiUrl, restBaseUrl } from '#core/github/api-url.js';
import type { GitHubConnection } from '#core/github/github-api.js';
import { GitHubRefusedError, GitHubUnavailableError } from '#core/github/github-error.js';
import { openOrUpdatePullRequest, type PullRequestOptions } from '#core/github/open-or-update-pull-request.js';
import { startGitHubApiServer, type GitHubApiServer } from '../harness/github-api-server.js';
import { TestRepo } from '../harness/git-repo.js';

/**
 * Pull-request mode against the GitHub API stand-in (test/harness/github-api-server.ts),
 * which enforces GitHub's auth, permissions and validation and takes its
 * branches and commits from a real git repository. The real @actions/github
 * client talks to it over loopback. Waits go through an injected sleep that
 * records them, so rate-limit tests assert the waits chosen without spending them.
 */

const WRITE_TOKEN = 'ghs_writeTokenForTests0123456789abcdef';
const READ_TOKEN = 'ghs_readOnlyTokenForTests0123456789abc';
const PAT = 'github_pat_personalTokenForTests0123456789';

let server: GitHubApiServer;
let gitops: TestRepo;
/** Every log line of every run in this file, for the check that no token ever reaches the log. */
const everyLine: string[] = [];

/** Branches: main, and one gitops/<path> per app directory with one commit on top of main. */
function pushBranch(branch: string): void {
  gitops.git('checkout', '--quiet', '-B', branch, 'main');
  gitops.commit(`deploy ${branch}`, { [`${branch.replace(/^gitops\//, '')}/deployment.yaml`]: `kind: Deployment # ${branch}\n` });
  gitops.git('checkout', '--quiet', 'main');
}

beforeAll(async () => {
  gitops = TestRepo.create({ branch: 'main' });
  gitops.commit('initial', { 'README.md': 'gitops\n' });
  for (const path of ['api--staging', 'api--prod', 'web--prod', 'race--prod', 'race--staging', 'flaky--prod', 'limited--prod', 'closed--prod', 'shown--prod']) {
    pushBranch(`gitops/${path}`);
  }
  gitops.git('branch', 'gitops/empty--prod', 'main'); // no commits between main and it
  server = await startGitHubApiServer({
    tokens: {
      [WRITE_TOKEN]: { permission: 'write' },
      [READ_TOKEN]: { permission: 'read' },
      [PAT]: { permission: 'write', githubActions: false },
    },
    repos: {
      'acme/gitops': { gitDir: gitops.dir, allowAutoMerge: true },
      'acme/no-auto-merge': { gitDir: gitops.dir, allowAutoMerge: false },
      'acme/unprotected': { gitDir: gitops.dir, allowAutoMerge: true, mergeState: 'clean' },
      'acme/no-actions-prs': { gitDir: gitops.dir, allowAutoMerge: true, actionsCanCreatePullRequests: false },
    },
  });
});

afterAll(async () => {
  await server?.close();
});

interface Watched {
  connection: GitHubConnection;
  waits: number[];
  lines: string[];
}

function connect(token = WRITE_TOKEN, extra: Partial<GitHubConnection> = {}): Watched {
  const waits: number[] = [];
  const lines: string[] = [];
  const push = (line: string) => {
    lines.push(line);
    everyLine.push(line);
  };
  return {
    waits,
    lines,
    connection: {
      token,
      apiUrl: server.url,
      log: {
        info: (m) => push(`info: ${m}`),
        warning: (m) => push(`warning: ${m}`),
        debug: (m) => push(`debug: ${m}`),
      },
      sleep: async (ms) => {
        waits.push(ms);
      },
      ...extra,
    },
  };
}

function options(path: string, extra: Partial<PullRequestOptions> = {}): PullRequestOptions {
  return {
    owner: 'acme',
    repo: 'gitops',
    head: `gitops/${path}`,
    base: 'main',
    title: `deploy(${path}): 1.0.0`,
    body: `Desired state for ${path}.`,
    labels: ['gitops', 'env:prod'],
    autoMerge: true,
    ...extra,
  };
}

/** Requests since `since`, as `METHOD path`. */
function calls(since: number): string[] {
  return server.requests.slice(since).map((r) => `${r.method} ${r.path}`);
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  const thrown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(thrown).toBeInstanceOf(Error);
  return thrown as Error;
}

describe('open or update', () => {
  test('opens a pull request with labels and auto-merge, through the calls GitHub expects', async () => {
    const { connection, lines } = connect();
    const since = server.requests.length;
    const outcome = await openOrUpdatePullRequest(options('api--staging'), connection);

    expect(outcome).toEqual({
      number: 1,
      url: 'https://github.com/acme/gitops/pull/1',
      created: true,
      updated: false,
      labels: ['gitops', 'env:prod'],
      autoMerge: 'enabled',
      autoMergeReason: '',
    });
    expect(calls(since)).toEqual(['GET /repos/acme/gitops/pulls', 'POST /repos/acme/gitops/pulls', 'POST /repos/acme/gitops/issues/1/labels', 'POST /graphql']);
    const [list, create, , graphql] = server.requests.slice(since);
    expect(list?.query).toMatchObject({ head: 'acme:gitops/api--staging', base: 'main', state: 'open' });
    expect(create?.body).toEqual({ head: 'gitops/api--staging', base: 'main', title: 'deploy(api--staging): 1.0.0', body: 'Desired state for api--staging.' });
    expect((graphql?.body as { variables: unknown }).variables).toEqual({ pullRequestId: server.pullRequests('acme/gitops')[0]?.nodeId, mergeMethod: 'SQUASH' });
    for (const r of server.requests.slice(since)) {
      expect(r.headers.authorization).toBe(`token ${WRITE_TOKEN}`);
      expect(r.headers['user-agent']).toMatch(/^gitops-actions /);
    }
    expect(list?.headers['x-github-api-version']).toBe('2022-11-28');

    expect(server.pullRequests('acme/gitops')).toEqual([
      expect.objectContaining({ number: 1, state: 'open', head: 'gitops/api--staging', base: 'main', labels: ['gitops', 'env:prod'], autoMerge: { mergeMethod: 'squash' } }),
    ]);
    expect(server.labels('acme/gitops')).toEqual(['gitops', 'env:prod']);
    expect(lines.join('\n')).toContain('opened pull request #1 "deploy(api--staging): 1.0.0" (https://github.com/acme/gitops/pull/1)');
    expect(lines.join('\n')).not.toContain(WRITE_TOKEN);
  });

  test('a second run updates the same pull request instead of opening another', async () => {
    const { connection } = connect();
    const since = server.requests.length;
    const outcome = await openOrUpdatePullRequest(
      options('api--staging', { title: 'deploy(api--staging): 1.1.0', body: 'Now 1.1.0.', labels: ['gitops', 'release'] }),
      connection,
    );

    expect(outcome).toMatchObject({ number: 1, created: false, updated: true, autoMerge: 'enabled', labels: ['gitops', 'env:prod', 'release'] });
    // Only the new label is sent, and auto-merge is already on with this method: no GraphQL call.
    expect(calls(since)).toEqual(['GET /repos/acme/gitops/pulls', 'PATCH /repos/acme/gitops/pulls/1', 'POST /repos/acme/gitops/issues/1/labels']);
    expect(server.requests.at(-1)?.body).toEqual({ labels: ['release'] });
    const open = server.pullRequests('acme/gitops').filter((p) => p.head === 'gitops/api--staging');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ title: 'deploy(api--staging): 1.1.0', body: 'Now 1.1.0.' });
  });

  test('a re-run with nothing new only looks', async () => {
    const { connection, lines } = connect();
    const since = server.requests.length;
    const outcome = await openOrUpdatePullRequest(
      options('api--staging', { title: 'deploy(api--staging): 1.1.0', body: 'Now 1.1.0.', labels: ['GITOPS'] }),
      connection,
    );
    expect(outcome).toMatchObject({ number: 1, created: false, updated: false, autoMerge: 'enabled' });
    expect(calls(since)).toEqual(['GET /repos/acme/gitops/pulls']);
    expect(lines.join('\n')).toContain('already has this title and body');
  });

  test('a closed pull request for the branch is not reused', async () => {
    const { connection } = connect();
    const first = await openOrUpdatePullRequest(options('closed--prod', { autoMerge: false }), connection);
    server.closePullRequest('acme/gitops', first.number);
    const second = await openOrUpdatePullRequest(options('closed--prod', { autoMerge: false }), connection);
    expect(second.created).toBe(true);
    expect(second.number).not.toBe(first.number);
    expect(second.autoMerge).toBe('not-requested');
  });

  test('two runs racing for the same branch end with one pull request', async () => {
    const [a, b] = await Promise.all([
      openOrUpdatePullRequest(options('race--prod', { title: 'deploy(race--prod): 2.0.0' }), connect().connection),
      openOrUpdatePullRequest(options('race--prod', { title: 'deploy(race--prod): 2.0.1' }), connect().connection),
    ]);
    expect(a.number).toBe(b.number);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(server.pullRequests('acme/gitops').filter((p) => p.head === 'gitops/race--prod' && p.state === 'open')).toHaveLength(1);
  });

  test('a pull request opened by another run between our look and our create is updated, not duplicated', async () => {
    const { connection, lines } = connect();
    const since = server.requests.length;
    let theirs = 0;
    server.inject(
      {
        kind: 'meanwhile',
        run: async () => {
          theirs = (await openOrUpdatePullRequest(options('race--staging', { title: 'theirs', autoMerge: false }), connect().connection)).number;
        },
      },
      { method: 'POST', path: /\/pulls$/ },
    );
    const ours = await openOrUpdatePullRequest(options('race--staging', { title: 'ours', autoMerge: false }), connection);
    expect(ours).toMatchObject({ number: theirs, created: false, updated: true });
    expect(server.requests.slice(since).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /repos/acme/gitops/pulls 200', // ours: nothing yet
      'POST /repos/acme/gitops/pulls 422', // ours, answered after theirs: "A pull request already exists"
      'GET /repos/acme/gitops/pulls 200', // theirs
      'POST /repos/acme/gitops/pulls 201', // theirs
      'POST /repos/acme/gitops/issues/' + theirs + '/labels 200', // theirs
      'GET /repos/acme/gitops/pulls 200',
      'PATCH /repos/acme/gitops/pulls/' + theirs + ' 200',
    ]);
    expect(server.pullRequests('acme/gitops').filter((p) => p.head === 'gitops/race--staging')).toEqual([
      expect.objectContaining({ number: theirs, title: 'ours', state: 'open' }),
    ]);
    expect(lines.join('\n')).toContain(`pull request #${theirs} "theirs"`);
  });

  test('a personal access token and a named merge method', async () => {
    const { connection } = connect(PAT);
    const outcome = await openOrUpdatePullRequest(options('web--prod', { autoMerge: 'rebase', labels: [] }), connection);
    expect(outcome).toMatchObject({ created: true, autoMerge: 'enabled', labels: [] });
    expect(server.pullRequests('acme/gitops').find((p) => p.number === outcome.number)?.autoMerge).toEqual({ mergeMethod: 'rebase' });
  });
});

describe('auto-merge that GitHub will not do is reported, not failed', () => {
  test('the repository does not allow auto-merge', async () => {
    const { connection, lines } = connect();
    const outcome = await openOrUpdatePullRequest(options('api--prod', { repo: 'no-auto-merge' }), connection);
    expect(outcome).toMatchObject({ created: true, autoMerge: 'unavailable' });
    expect(outcome.autoMergeReason).toContain('Auto merge is not allowed for this repository');
    expect(outcome.autoMergeReason).toContain('Allow auto-merge');
    expect(lines.some((l) => l.startsWith('warning: auto-merge is unavailable for pull request #'))).toBe(true);
    expect(server.pullRequests('acme/no-auto-merge')[0]?.autoMerge).toBeNull();
  });

  test('the pull request could be merged right now (clean status)', async () => {
    const { connection } = connect();
    const outcome = await openOrUpdatePullRequest(options('api--prod', { repo: 'unprotected' }), connection);
    expect(outcome.autoMerge).toBe('unavailable');
    expect(outcome.autoMergeReason).toMatch(/is in clean status/);
    expect(outcome.autoMergeReason).toMatch(/required checks/);
  });
});

describe('refusals say what to change and never show the token', () => {
  test('a bad token: 401 Bad credentials, one request, no retry', async () => {
    const wrong = 'ghs_notAValidToken000000000000000000000';
    const { connection, waits } = connect(wrong);
    const since = server.requests.length;
    const error = await refusal(openOrUpdatePullRequest(options('api--prod'), connection));
    expect(error).toBeInstanceOf(GitHubRefusedError);
    expect(error).toBeInstanceOf(InputError);
    expect((error as GitHubRefusedError).status).toBe(401);
    expect(error.message).toContain('401 Bad credentials');
    expect(error.message).toContain('GitHub rejected the token');
    expect(error.message).not.toContain(wrong);
    expect(server.requests.length - since).toBe(1);
    expect(waits).toEqual([]);
  });

  test('a read-only token: finds, but may not open, and is told which permission to add', async () => {
    const { connection } = connect(READ_TOKEN);
    const since = server.requests.length;
    const error = await refusal(openOrUpdatePullRequest(options('api--prod'), connection));
    expect(error).toBeInstanceOf(GitHubRefusedError);
    expect((error as GitHubRefusedError).status).toBe(403);
    expect(error.message).toContain('403 Resource not accessible by integration');
    expect(error.message).toContain('`pull-requests: write`');
    expect(error.message).toMatch(/permissions:\n\s+contents: write\n\s+pull-requests: write/);
    expect(error.message).not.toContain(READ_TOKEN);
    expect(server.requests.slice(since).map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'POST 403']);
  });

  test('the workflow token in a repository that does not let Actions open pull requests', async () => {
    const error = await refusal(openOrUpdatePullRequest(options('api--prod', { repo: 'no-actions-prs' }), connect().connection));
    expect(error.message).toContain('GitHub Actions is not permitted to create or approve pull requests');
    expect(error.message).toContain('Allow GitHub Actions to create and approve pull requests');
    // The same repository accepts a personal access token.
    const outcome = await openOrUpdatePullRequest(options('api--prod', { repo: 'no-actions-prs', autoMerge: false }), connect(PAT).connection);
    expect(outcome.created).toBe(true);
  });

  test('an unknown repository: 404 names it and the usual cause', async () => {
    const error = await refusal(openOrUpdatePullRequest(options('api--prod', { repo: 'nope' }), connect().connection));
    expect((error as GitHubRefusedError).status).toBe(404);
    expect(error.message).toContain('404 Not Found');
    expect(error.message).toContain('the repository acme/nope does not exist');
  });

  test("422: GitHub's message and errors[].message are shown", async () => {
    const noCommits = await refusal(openOrUpdatePullRequest(options('empty--prod'), connect().connection));
    expect(noCommits).toBeInstanceOf(GitHubRefusedError);
    expect(noCommits.message).toContain('422 Validation Failed: No commits between main and gitops/empty--prod');

    const notPushed = await refusal(openOrUpdatePullRequest(options('never-pushed--prod'), connect().connection));
    expect(notPushed.message).toContain('422 Validation Failed: PullRequest.head: invalid');
    expect(notPushed.message).toContain('gitops/never-pushed--prod must exist in acme/gitops');

    const noBase = await refusal(openOrUpdatePullRequest(options('api--prod', { base: 'production' }), connect().connection));
    expect(noBase.message).toContain('PullRequest.base: invalid');
    expect(noBase.message).toContain('The base branch production does not exist');
  });

  test('bad options are refused before anything is loaded or sent', async () => {
    const since = server.requests.length;
    await expect(openOrUpdatePullRequest(options('api--prod', { head: 'acme:gitops/x' }), connect().connection)).rejects.toThrow(
      /pull request branch 'acme:gitops\/x' is not a branch name/,
    );
    await expect(openOrUpdatePullRequest(options('api--prod', { autoMerge: 'fast' as never }), connect().connection)).rejects.toThrow(
      "auto-merge must be true, false, merge, squash or rebase (got 'fast')",
    );
    await expect(openOrUpdatePullRequest(options('api--prod', { title: '  ' }), connect().connection)).rejects.toBeInstanceOf(InputError);
    await expect(openOrUpdatePullRequest(options('api--prod', { labels: ['x'.repeat(51)] }), connect().connection)).rejects.toThrow(
      /longer than GitHub's 50 characters/,
    );
    await expect(openOrUpdatePullRequest(options('api--prod'), { ...connect().connection, apiUrl: 'http://api.example.com' })).rejects.toThrow(
      /must use https/,
    );
    await expect(openOrUpdatePullRequest(options('api--prod'), { ...connect().connection, token: '' })).rejects.toThrow(/a GitHub token is needed/);
    expect(server.requests.length).toBe(since);
  });
});

describe('rate limits are waited out within a bound', () => {
  test("primary limit (403, x-ratelimit-remaining: 0): waits until x-ratelimit-reset by GitHub's clock", async () => {
    const { connection, waits, lines } = connect();
    const since = server.requests.length;
    server.inject({ kind: 'primary-rate-limit', resetInSeconds: 30 }, { method: 'GET' });
    const outcome = await openOrUpdatePullRequest(options('limited--prod', { autoMerge: false }), connection);
    expect(outcome.created).toBe(true);
    // 30 s to the reset, measured from the answer's Date header, plus a second for the header's granularity.
    expect(waits).toEqual([31_000]);
    expect(server.requests.slice(since, since + 2).map((r) => `${r.method} ${r.status}`)).toEqual(['GET 403', 'GET 200']);
    expect(lines.join('\n')).toMatch(/warning: GitHub API rate limit \(403 API rate limit exceeded.*waiting 31 s before attempt 2/);
  });

  test('secondary limit (429 + retry-after) on a write: waits what GitHub asks', async () => {
    const { connection, waits } = connect();
    server.inject({ kind: 'secondary-rate-limit', status: 429, retryAfterSeconds: 7 }, { method: 'PATCH' });
    const outcome = await openOrUpdatePullRequest(options('limited--prod', { title: 'deploy(limited--prod): 1.0.1', autoMerge: false }), connection);
    expect(outcome).toMatchObject({ created: false, updated: true });
    expect(waits).toEqual([7_000]);
  });

  test('secondary limit without retry-after: waits a minute, as GitHub asks', async () => {
    const { connection, waits } = connect();
    server.inject({ kind: 'secondary-rate-limit' }, { path: /^\/graphql$/ });
    const outcome = await openOrUpdatePullRequest(options('limited--prod', { title: 'deploy(limited--prod): 1.0.1', autoMerge: 'squash' }), connection);
    expect(outcome.autoMerge).toBe('enabled');
    expect(waits).toEqual([60_000]);
  });

  test('a reset further away than the bound fails at once, saying when the quota returns', async () => {
    const { connection, waits } = connect();
    const since = server.requests.length;
    server.inject({ kind: 'primary-rate-limit', resetInSeconds: 3600 }, { method: 'GET' });
    const error = await refusal(openOrUpdatePullRequest(options('limited--prod'), connection));
    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(error).toBeInstanceOf(ToolError);
    expect(error.message).toMatch(/the API rate limit is spent \(the quota resets at \d{4}-\d\d-\d\dT[\d:.]+Z\); waiting 61 min is longer than the 2 min this action waits/);
    expect(waits).toEqual([]);
    expect(server.requests.length - since).toBe(1);
  });

  test('a limit that does not lift gives up after the attempts allowed', async () => {
    const { connection, waits } = connect(WRITE_TOKEN, { rateLimit: { maxAttempts: 3 } });
    server.inject({ kind: 'secondary-rate-limit', retryAfterSeconds: 1 }, { method: 'GET', times: 3 });
    const error = await refusal(openOrUpdatePullRequest(options('limited--prod'), connection));
    expect(error.message).toContain('a secondary rate limit was hit, and 3 attempts were made');
    expect(waits).toEqual([1_000, 1_000]);
  });
});

describe('server failures and dropped connections are retried a few times', () => {
  test('502 once, then a dropped connection: both retried, one pull request', async () => {
    const { connection, waits } = connect();
    server.inject({ kind: 'status', status: 502, message: 'Server Error' }, { method: 'POST', path: /\/pulls$/ });
    server.inject({ kind: 'drop' }, { method: 'POST', path: /\/labels$/ });
    const outcome = await openOrUpdatePullRequest(options('flaky--prod'), connection);
    expect(outcome).toMatchObject({ created: true, labels: ['gitops', 'env:prod'] });
    expect(waits).toEqual([1_000, 1_000]);
    expect(server.pullRequests('acme/gitops').filter((p) => p.head === 'gitops/flaky--prod')).toHaveLength(1);
  });

  test('a request that gets no answer times out and is retried', async () => {
    const { connection, waits } = connect(WRITE_TOKEN, { timeoutMs: 300 });
    server.inject({ kind: 'silent' }, { method: 'GET' });
    const outcome = await openOrUpdatePullRequest(options('flaky--prod'), connection);
    expect(outcome).toMatchObject({ created: false, updated: false });
    expect(waits).toEqual([1_000]);
  });

  test('an API that does not answer: a ToolError naming the host', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    const { port } = probe.address() as AddressInfo;
    await new Promise((done) => probe.close(done));
    const { connection, waits } = connect(WRITE_TOKEN, { apiUrl: `http://127.0.0.1:${port}` });
    const error = await refusal(openOrUpdatePullRequest(options('flaky--prod'), connection));
    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(error.message).toContain(`GitHub API 127.0.0.1:${port}: could not look for an open pull request`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('3 attempts');
    expect(waits).toEqual([1_000, 2_000]);
  });
});

test('titles and labels from users are neutralised before they reach the log', async () => {
  const { connection, lines } = connect();
  const title = 'deploy\n::error::pwned ##[warning]x';
  const outcome = await openOrUpdatePullRequest(options('shown--prod', { title, labels: ['::set-env name=X::1'], autoMerge: false }), connection);
  expect(outcome.created).toBe(true);
  for (const line of lines.join('\n').split('\n')) {
    expect(line.trimStart().startsWith('::')).toBe(false);
    expect(line).not.toContain('##[');
    expect(line).not.toMatch(/::(error|set-env)/);
  }
  // GitHub gets the title as given (less surrounding space): only the log is defused.
  expect(server.pullRequests('acme/gitops').find((p) => p.number === outcome.number)?.title).toBe(title);
});

describe('the stand-in enforces what GitHub enforces', () => {
  /** A raw request, so every header (User-Agent included) is ours to set or leave out. */
  function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; json: unknown }> {
    return new Promise((resolveAnswer, reject) => {
      const req = request(`${server.url}${path}`, { method, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  const UA = { 'User-Agent': 'test' };

  test('authentication: Bearer or token, nothing else; a User-Agent is required', async () => {
    const path = '/repos/acme/gitops/pulls';
    expect(await raw('GET', path, { ...UA, Authorization: `Bearer ${READ_TOKEN}` })).toMatchObject({ status: 200 });
    expect(await raw('GET', path, { ...UA, Authorization: `token ${READ_TOKEN}` })).toMatchObject({ status: 200 });
    expect(await raw('GET', path, { ...UA, Authorization: `Bearer ${READ_TOKEN}x` })).toMatchObject({ status: 401, json: { message: 'Bad credentials' } });
    expect(await raw('GET', path, { ...UA, Authorization: `Basic ${Buffer.from(`x:${READ_TOKEN}`).toString('base64')}` })).toMatchObject({ status: 401 });
    expect(await raw('GET', path, UA)).toMatchObject({ status: 401, json: { message: 'Requires authentication' } });
    expect(await raw('GET', path, { Authorization: `Bearer ${READ_TOKEN}` })).toMatchObject({ status: 403 });
    expect(await raw('POST', '/graphql', { ...UA }, '{}')).toMatchObject({ status: 401 });
    expect(await raw('GET', path, { ...UA, Authorization: `Bearer ${READ_TOKEN}`, 'X-GitHub-Api-Version': '1999-01-01' })).toMatchObject({ status: 400 });
  });

  test('bodies: JSON, with the fields GitHub requires', async () => {
    const auth = { ...UA, Authorization: `Bearer ${WRITE_TOKEN}`, 'Content-Type': 'application/json' };
    expect(await raw('POST', '/repos/acme/gitops/pulls', auth, '{"title":')).toMatchObject({ status: 400, json: { message: 'Problems parsing JSON' } });
    expect(await raw('POST', '/repos/acme/gitops/pulls', auth, '{}')).toMatchObject({
      status: 422,
      json: {
        message: 'Validation Failed',
        errors: ['title', 'head', 'base'].map((field) => ({ resource: 'PullRequest', field, code: 'missing_field' })),
      },
    });
    expect(await raw('POST', '/repos/acme/gitops/pulls', auth, JSON.stringify({ title: 5, head: 'x', base: 'main' }))).toMatchObject({ status: 422 });
    const tooLong = JSON.stringify({ title: 't', head: 'gitops/api--prod', base: 'main', body: 'x'.repeat(65_537) });
    expect(await raw('POST', '/repos/acme/gitops/pulls', auth, tooLong)).toMatchObject({
      status: 422,
      json: { errors: [{ message: 'body is too long (maximum is 65536 characters)' }] },
    });
  });

  test('the head filter needs owner:branch; a bare branch name filters nothing', async () => {
    const auth = { ...UA, Authorization: `Bearer ${READ_TOKEN}` };
    const open = server.pullRequests('acme/gitops').filter((p) => p.state === 'open').length;
    expect(open).toBeGreaterThan(1);
    const qualified = await raw('GET', '/repos/acme/gitops/pulls?head=acme:gitops/api--staging&per_page=100', auth);
    expect(qualified.json).toHaveLength(1);
    const bare = await raw('GET', '/repos/acme/gitops/pulls?head=gitops/api--staging&per_page=100', auth);
    expect(bare.json).toHaveLength(open);
  });
});

test('API URLs: REST and GraphQL roots for github.com, GHE.com and GitHub Enterprise Server', () => {
  expect(apiUrlForServer('https://github.com')).toBe('https://api.github.com');
  expect(apiUrlForServer('https://acme.ghe.com')).toBe('https://api.acme.ghe.com');
  expect(apiUrlForServer('https://git.example.com/')).toBe('https://git.example.com/api/v3');
  for (const [api, rest, graphql] of [
    ['https://api.github.com', 'https://api.github.com', 'https://api.github.com'],
    ['https://api.github.com/', 'https://api.github.com', 'https://api.github.com'],
    ['https://git.example.com/api/v3', 'https://git.example.com/api/v3', 'https://git.example.com/api'],
    ['https://git.example.com/api/v3/', 'https://git.example.com/api/v3', 'https://git.example.com/api'],
  ] as const) {
    expect(restBaseUrl(parseApiUrl(api))).toBe(rest);
    expect(graphqlBaseUrl(parseApiUrl(api))).toBe(graphql);
  }
  expect(() => parseApiUrl('https://user:pw@api.github.com')).toThrow(InputError);
  expect(() => parseApiUrl('api.github.com')).toThrow(/is not a URL/);
});

test('no log line of any run above carries a token', () => {
  expect(everyLine.length).toBeGreaterThan(50);
  for (const token of [WRITE_TOKEN, READ_TOKEN, PAT]) expect(everyLine.filter((l) => l.includes(token))).toEqual([]);
});

/**
 * Push mode must not pay for @actions/github. The static import graph (type-only
 * imports erased, dynamic import() not followed) of every bundle entry must not
 * reach it; the pull-request module reaches it only through import().
 */
describe('module graph', () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const GITHUB_CLIENT = /^(@actions\/github|@octokit\/)/;

  function importsOf(file: string): { static: string[]; dynamic: string[] } {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const found = { static: [] as string[], dynamic: [] as string[] };
    const visit = (node: ts.Node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) {
        found.static.push(node.moduleSpecifier.text);
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
        found.static.push(node.moduleSpecifier.text);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [arg] = node.arguments;
        found.dynamic.push(arg && ts.isStringLiteral(arg) ? arg.text : '<computed>');
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
  }

  /** A specifier as a source file of ours, or undefined for a package. */
  function sourceFile(specifier: string, from: string): string | undefined {
    let path: string;
    if (specifier.startsWith('#core/')) path = join(root, 'packages/core/src', specifier.slice('#core/'.length));
    else if (specifier.startsWith('.')) path = resolve(dirname(from), specifier);
    else return undefined;
    const file = path.replace(/\.js$/, '.ts');
    if (existsSync(file)) return file;
    throw new Error(`${relative(root, from)}: cannot resolve ${specifier}`);
  }

  /** Packages reached from `entry`, following static imports only (or dynamic ones too). */
  function packagesReached(entry: string, followDynamic: boolean): Set<string> {
    const packages = new Set<string>();
    const seen = new Set<string>();
    const queue = [entry];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const { static: statics, dynamic } = importsOf(file);
      for (const specifier of followDynamic ? [...statics, ...dynamic] : statics) {
        const next = sourceFile(specifier, file);
        if (next) queue.push(next);
        else packages.add(specifier);
      }
    }
    return packages;
  }

  const entries = [
    ...readdirSync(join(root, 'actions'))
      .map((name) => join(root, 'actions', name, 'src', 'main.ts'))
      .filter((file) => existsSync(file)),
    join(root, 'packages/cli/src/main.ts'),
  ];

  test.each(entries.map((e) => [relative(root, e), e]))('%s does not load @actions/github statically', (_name, entry) => {
    expect([...packagesReached(entry, false)].filter((p) => GITHUB_CLIENT.test(p))).toEqual([]);
  });

  test('the pull-request module reaches @actions/github only through import()', () => {
    const entry = join(root, 'packages/core/src/github/open-or-update-pull-request.ts');
    expect([...packagesReached(entry, false)].filter((p) => GITHUB_CLIENT.test(p))).toEqual([]);
    expect(packagesReached(entry, true).has('@actions/github')).toBe(true);
  });
});
