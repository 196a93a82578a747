import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';

/**
 * A loopback stand-in for api.github.com, for exactly what pull-request mode
 * uses: list, create and update pull requests, add labels, and the GraphQL
 * mutation enablePullRequestAutoMerge. It enforces what GitHub enforces on
 * them: a User-Agent, a token (`Authorization: Bearer …` or `token …`),
 * write permission for writes, GitHub's validation (missing fields, a head or
 * base branch that does not exist, no commits between them, a second open pull
 * request for the same head and base, body and label-name limits), the
 * `owner:branch` form of the `head` filter (a bare branch name filters nothing,
 * as on GitHub), the repository's auto-merge setting and merge state, and the
 * "Allow GitHub Actions to create and approve pull requests" setting. Branches
 * and commits come from a real git repository per GitHub repository, asked with
 * `git rev-parse` and `git rev-list`. Rate limits, server failures, dropped
 * or silent connections and concurrent changes are injected on demand. Every request is recorded for assertions.
 *
 * Not modelled: forks, drafts, pagination beyond one page of 100, GraphQL
 * selection sets (the mutation answers `pullRequest { number autoMergeRequest
 * { mergeMethod } }` whatever was selected).
 */

const run = promisify(execFile);

export interface TokenGrant {
  /** Pull requests and issues: `read` may list, `write` may also create, update, label and enable auto-merge. */
  permission: 'read' | 'write';
  /** A workflow's GITHUB_TOKEN (default): subject to `actionsCanCreatePullRequests`. */
  githubActions?: boolean;
}

export interface RepoSettings {
  /** A git repository (bare or not) whose `refs/heads/*` are this repository's branches. */
  gitDir: string;
  /** "Allow auto-merge" in the repository settings; GitHub's default is off. */
  allowAutoMerge?: boolean;
  /**
   * What GitHub computes from branch protection for a new pull request:
   * `blocked` (required checks or reviews pending; the default, as for a
   * protected environment) or `clean`/`unstable` (mergeable now, so GitHub
   * refuses to queue auto-merge).
   */
  mergeState?: 'blocked' | 'clean' | 'unstable';
  /** "Allow GitHub Actions to create and approve pull requests"; default on. */
  actionsCanCreatePullRequests?: boolean;
}

export interface GitHubApiServerOptions {
  /** Token → what it may do. A token not listed is `Bad credentials`. */
  tokens: Record<string, TokenGrant>;
  /** `owner/name` → settings. Any other repository is 404 Not Found. */
  repos: Record<string, RepoSettings>;
  /** The server's clock (Date header, rate-limit reset); default the real one. */
  now?: () => number;
  /** Where `html_url` points; default https://github.com. */
  htmlUrl?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or the raw text when it was not JSON; undefined without a body. */
  body: unknown;
  /** The status answered; 0 for a dropped connection. */
  status: number;
}

export type Fault =
  /** The hourly quota spent: 403 (or 429) with `x-ratelimit-remaining: 0` and `x-ratelimit-reset`. */
  | { kind: 'primary-rate-limit'; resetInSeconds: number; status?: 403 | 429 }
  /** A secondary limit: 403 (or 429), with `retry-after` when given. */
  | { kind: 'secondary-rate-limit'; retryAfterSeconds?: number; status?: 403 | 429 }
  /** A server error such as 502. */
  | { kind: 'status'; status: number; message?: string }
  /** The connection closed without an answer. */
  | { kind: 'drop' }
  /** No answer at all, until the client gives up or the server closes. */
  | { kind: 'silent' }
  /** Something else happens on GitHub first (e.g. a concurrent run opens the pull request); then the request is answered normally. */
  | { kind: 'meanwhile'; run: () => Promise<void> };

export interface FaultFilter {
  /** How many matching requests get the fault; default 1. */
  times?: number;
  method?: string;
  path?: RegExp;
}

export interface ServerPullRequest {
  number: number;
  nodeId: string;
  state: 'open' | 'closed';
  title: string;
  body: string | null;
  head: string;
  base: string;
  labels: string[];
  autoMerge: { mergeMethod: 'merge' | 'squash' | 'rebase' } | null;
}

export interface GitHubApiServer {
  /** REST root, what GITHUB_API_URL would be; GraphQL is at `${url}/graphql`. */
  url: string;
  requests: RecordedRequest[];
  /** The repository's pull requests, oldest first. */
  pullRequests(repo: string): ServerPullRequest[];
  /** The repository's labels (created on first use, as GitHub does). */
  labels(repo: string): string[];
  /** Closes a pull request, as someone merging or closing it on GitHub would. */
  closePullRequest(repo: string, number: number): void;
  updateRepo(repo: string, settings: Partial<Omit<RepoSettings, 'gitDir'>>): void;
  /** The next matching request(s), after authentication, get `fault` instead of an answer. */
  inject(fault: Fault, filter?: FaultFilter): void;
  close(): Promise<void>;
}

const SUPPORTED_API_VERSIONS = new Set(['2022-11-28', '2026-03-10']);
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_PR_BODY = 65_536;
const MAX_LABEL_NAME = 50;
const DOCS = 'https://docs.github.com/rest';

class Answer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

function error(status: number, message: string, extra: Record<string, unknown> = {}, docs = DOCS): Answer {
  return new Answer(status, { message, ...extra, documentation_url: docs, status: String(status) });
}

function validationFailed(errors: Record<string, unknown>[], docs: string): Answer {
  return error(422, 'Validation Failed', { errors }, docs);
}

interface PullState extends ServerPullRequest {
  id: number;
  createdAt: string;
  updatedAt: string;
}

interface RepoState {
  owner: string;
  name: string;
  settings: RepoSettings;
  labels: Map<string, { id: number; name: string }>;
  pulls: PullState[];
  nextNumber: number;
}

async function branchSha(gitDir: string, branch: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['-C', gitDir, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

async function commitsBetween(gitDir: string, baseSha: string, headSha: string): Promise<number> {
  const { stdout } = await run('git', ['-C', gitDir, 'rev-list', '--count', `${baseSha}..${headSha}`]);
  return Number(stdout.trim());
}

function readBody(req: IncomingMessage): Promise<string | Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? error(413, 'Payload too large') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startGitHubApiServer(options: GitHubApiServerOptions): Promise<GitHubApiServer> {
  const now = options.now ?? Date.now;
  const htmlUrl = options.htmlUrl ?? 'https://github.com';
  const requests: RecordedRequest[] = [];
  const faults: { fault: Fault; filter: FaultFilter; left: number }[] = [];
  const repos = new Map<string, RepoState>();
  let nextId = 1000;
  for (const [fullName, settings] of Object.entries(options.repos)) {
    const [owner = '', name = ''] = fullName.split('/');
    repos.set(fullName.toLowerCase(), { owner, name, settings: { ...settings }, labels: new Map(), pulls: [], nextNumber: 1 });
  }
  let baseUrl = '';
  let used = 0;

  const repoOf = (owner: string, name: string) => repos.get(`${owner}/${name}`.toLowerCase());
  const iso = () => new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z');

  function pullJson(repo: RepoState, pr: PullState): Record<string, unknown> {
    const repoJson = { full_name: `${repo.owner}/${repo.name}`, name: repo.name, owner: { login: repo.owner } };
    return {
      url: `${baseUrl}/repos/${repo.owner}/${repo.name}/pulls/${pr.number}`,
      id: pr.id,
      node_id: pr.nodeId,
      html_url: `${htmlUrl}/${repo.owner}/${repo.name}/pull/${pr.number}`,
      number: pr.number,
      state: pr.state,
      locked: false,
      title: pr.title,
      body: pr.body,
      user: { login: 'github-actions[bot]', type: 'Bot' },
      labels: pr.labels.map((name) => {
        const label = repo.labels.get(name.toLowerCase());
        return { id: label?.id ?? 0, name, color: 'ededed', default: false, description: null };
      }),
      created_at: pr.createdAt,
      updated_at: pr.updatedAt,
      closed_at: pr.state === 'closed' ? pr.updatedAt : null,
      merged_at: null,
      draft: false,
      head: { label: `${repo.owner}:${pr.head}`, ref: pr.head, repo: repoJson },
      base: { label: `${repo.owner}:${pr.base}`, ref: pr.base, repo: repoJson },
      auto_merge: pr.autoMerge
        ? { enabled_by: { login: 'github-actions[bot]' }, merge_method: pr.autoMerge.mergeMethod, commit_title: null, commit_message: null }
        : null,
    };
  }

  /** `Bearer <token>` or `token <token>` → the grant, or the 401 GitHub gives. */
  function authenticate(req: IncomingMessage, graphql: boolean): TokenGrant | Answer {
    const docs = graphql ? 'https://docs.github.com/graphql' : DOCS;
    const header = req.headers.authorization;
    if (!header) {
      return graphql ? error(401, 'This endpoint requires you to be authenticated.', {}, docs) : error(401, 'Requires authentication', {}, docs);
    }
    const match = /^(?:bearer|token)\s+(\S+)$/i.exec(header.trim());
    const grant = match ? options.tokens[match[1] ?? ''] : undefined;
    return grant ?? error(401, 'Bad credentials', {}, docs);
  }

  function notAccessible(docs: string): Answer {
    return error(403, 'Resource not accessible by integration', {}, docs);
  }

  function typeProblem(body: Record<string, unknown>, field: string, type: 'string' | 'boolean'): Answer | undefined {
    const value = body[field];
    if (value === undefined || value === null || typeof value === type) return undefined;
    return error(422, `Invalid request.\n\nFor 'properties/${field}', ${JSON.stringify(value)} is not a ${type}.`);
  }

  async function listPulls(repo: RepoState, query: Record<string, string>): Promise<Answer> {
    const state = query.state ?? 'open';
    if (!['open', 'closed', 'all'].includes(state)) {
      return validationFailed([{ value: state, resource: 'Issue', field: 'state', code: 'invalid' }], `${DOCS}/pulls/pulls#list-pull-requests`);
    }
    let pulls = repo.pulls.filter((p) => state === 'all' || p.state === state);
    // GitHub filters by head only in the `user:ref` form; anything else is ignored.
    const head = query.head ?? '';
    const colon = head.indexOf(':');
    if (colon > 0) {
      const [owner, ref] = [head.slice(0, colon), head.slice(colon + 1)];
      pulls = pulls.filter((p) => owner.toLowerCase() === repo.owner.toLowerCase() && p.head === ref);
    }
    if (query.base) pulls = pulls.filter((p) => p.base === query.base);
    const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 30) || 30));
    const newestFirst = [...pulls].sort((a, b) => b.number - a.number).slice(0, perPage);
    return new Answer(200, newestFirst.map((p) => pullJson(repo, p)));
  }

  async function createPull(repo: RepoState, grant: TokenGrant, body: Record<string, unknown>): Promise<Answer> {
    const docs = `${DOCS}/pulls/pulls#create-a-pull-request`;
    if (grant.permission !== 'write') return notAccessible(docs);
    if ((grant.githubActions ?? true) && repo.settings.actionsCanCreatePullRequests === false) {
      return error(403, 'GitHub Actions is not permitted to create or approve pull requests.', {}, docs);
    }
    for (const field of ['title', 'head', 'base', 'body']) {
      const problem = typeProblem(body, field, 'string');
      if (problem) return problem;
    }
    const missing = ['title', 'head', 'base'].filter((f) => typeof body[f] !== 'string' || (body[f] as string) === '');
    if (missing.length > 0) {
      return validationFailed(missing.map((field) => ({ resource: 'PullRequest', field, code: 'missing_field' })), docs);
    }
    const title = body.title as string;
    const text = typeof body.body === 'string' ? body.body : null;
    if (text !== null && text.length > MAX_PR_BODY) {
      return validationFailed(
        [{ resource: 'PullRequest', field: 'body', code: 'custom', message: `body is too long (maximum is ${MAX_PR_BODY} characters)` }],
        docs,
      );
    }
    let head = body.head as string;
    const colon = head.indexOf(':');
    if (colon >= 0) {
      // Forks are not modelled: only this repository's owner is a valid qualifier.
      if (head.slice(0, colon).toLowerCase() !== repo.owner.toLowerCase()) {
        return validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }], docs);
      }
      head = head.slice(colon + 1);
    }
    const base = body.base as string;
    const [headSha, baseSha] = await Promise.all([branchSha(repo.settings.gitDir, head), branchSha(repo.settings.gitDir, base)]);
    const invalid = [
      ...(baseSha ? [] : [{ resource: 'PullRequest', field: 'base', code: 'invalid' }]),
      ...(headSha ? [] : [{ resource: 'PullRequest', field: 'head', code: 'invalid' }]),
    ];
    if (invalid.length > 0 || !headSha || !baseSha) return validationFailed(invalid, docs);
    const ahead = await commitsBetween(repo.settings.gitDir, baseSha, headSha);
    // From here to the push nothing awaits: two concurrent creates cannot both pass the check, as on GitHub.
    if (repo.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base)) {
      return validationFailed([{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.owner}:${head}.` }], docs);
    }
    if (ahead === 0) {
      return validationFailed([{ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` }], docs);
    }
    const number = repo.nextNumber++;
    const pr: PullState = {
      id: nextId++,
      number,
      nodeId: `PR_kw${randomBytes(12).toString('base64url')}`,
      state: 'open',
      title,
      body: text,
      head,
      base,
      labels: [],
      autoMerge: null,
      createdAt: iso(),
      updatedAt: iso(),
    };
    repo.pulls.push(pr);
    return new Answer(201, pullJson(repo, pr), { Location: `${baseUrl}/repos/${repo.owner}/${repo.name}/pulls/${number}` });
  }

  async function updatePull(repo: RepoState, grant: TokenGrant, number: number, body: Record<string, unknown>): Promise<Answer> {
    const docs = `${DOCS}/pulls/pulls#update-a-pull-request`;
    const pr = repo.pulls.find((p) => p.number === number);
    if (!pr) return error(404, 'Not Found', {}, docs);
    if (grant.permission !== 'write') return notAccessible(docs);
    for (const field of ['title', 'body', 'state', 'base']) {
      const problem = typeProblem(body, field, 'string');
      if (problem) return problem;
    }
    if (body.title === '') return validationFailed([{ resource: 'PullRequest', field: 'title', code: 'missing_field' }], docs);
    if (typeof body.body === 'string' && body.body.length > MAX_PR_BODY) {
      return validationFailed(
        [{ resource: 'PullRequest', field: 'body', code: 'custom', message: `body is too long (maximum is ${MAX_PR_BODY} characters)` }],
        docs,
      );
    }
    if (body.state !== undefined && body.state !== 'open' && body.state !== 'closed') {
      return error(422, `Invalid request.\n\nFor 'properties/state', ${JSON.stringify(body.state)} is not one of ["open", "closed"].`, {}, docs);
    }
    const base = typeof body.base === 'string' ? body.base : pr.base;
    if (base !== pr.base && !(await branchSha(repo.settings.gitDir, base))) {
      return validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }], docs);
    }
    const state = (body.state as 'open' | 'closed' | undefined) ?? pr.state;
    if (state === 'open' && repo.pulls.some((p) => p !== pr && p.state === 'open' && p.head === pr.head && p.base === base)) {
      return validationFailed([{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.owner}:${pr.head}.` }], docs);
    }
    if (typeof body.title === 'string') pr.title = body.title;
    if ('body' in body) pr.body = typeof body.body === 'string' ? body.body : null;
    pr.base = base;
    pr.state = state;
    pr.updatedAt = iso();
    return new Answer(200, pullJson(repo, pr));
  }

  function addLabels(repo: RepoState, grant: TokenGrant, number: number, body: unknown): Answer {
    const docs = `${DOCS}/issues/labels#add-labels-to-an-issue`;
    const pr = repo.pulls.find((p) => p.number === number);
    if (!pr) return error(404, 'Not Found', {}, docs);
    if (grant.permission !== 'write') return notAccessible(docs);
    const list = Array.isArray(body) ? body : typeof body === 'object' && body !== null ? (body as { labels?: unknown }).labels : undefined;
    if (!Array.isArray(list)) return error(422, "Invalid request.\n\nFor 'properties/labels', nil is not an array.", {}, docs);
    const names: string[] = [];
    for (const entry of list) {
      const name = typeof entry === 'string' ? entry : typeof entry === 'object' && entry !== null ? (entry as { name?: unknown }).name : undefined;
      if (typeof name !== 'string') return error(422, `Invalid request.\n\n${JSON.stringify(entry)} is not a string.`, {}, docs);
      if (name.trim() === '' || [...name].length > MAX_LABEL_NAME) {
        return validationFailed([{ value: name, resource: 'Label', field: 'name', code: 'invalid' }], docs);
      }
      names.push(name);
    }
    for (const name of names) {
      const key = name.toLowerCase();
      let label = repo.labels.get(key);
      if (!label) {
        label = { id: nextId++, name };
        repo.labels.set(key, label);
      }
      if (!pr.labels.some((l) => l.toLowerCase() === key)) pr.labels.push(label.name);
    }
    pr.updatedAt = iso();
    return new Answer(
      200,
      pr.labels.map((name) => ({ id: repo.labels.get(name.toLowerCase())?.id ?? 0, name, color: 'ededed', default: false, description: null })),
    );
  }

  /** The argument of enablePullRequestAutoMerge, from `input: $var` or an inline object of variables and literals. */
  function autoMergeInput(query: string, variables: Record<string, unknown>): Record<string, unknown> | string {
    const call = /enablePullRequestAutoMerge\s*\(\s*input\s*:\s*(\$\w+|\{[^}]*\})\s*\)/.exec(query);
    if (!call?.[1]) return "Field 'enablePullRequestAutoMerge' is missing required arguments: input";
    const arg = call[1];
    if (arg.startsWith('$')) {
      const value = variables[arg.slice(1)];
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : `Variable ${arg} of type EnablePullRequestAutoMergeInput! was provided invalid value`;
    }
    const input: Record<string, unknown> = {};
    for (const field of arg.slice(1, -1).matchAll(/(\w+)\s*:\s*(\$\w+|"(?:[^"\\]|\\.)*"|\w+)/g)) {
      const [, name = '', value = ''] = field;
      if (value.startsWith('$')) {
        if (!(value.slice(1) in variables)) return `Variable ${value} is used by anonymous mutation but not declared`;
        input[name] = variables[value.slice(1)];
      } else input[name] = value.startsWith('"') ? JSON.parse(value) : value;
    }
    return input;
  }

  function graphql(grant: TokenGrant, body: unknown): Answer {
    const { query, variables } = (typeof body === 'object' && body !== null ? body : {}) as { query?: unknown; variables?: unknown };
    if (typeof query !== 'string') return new Answer(200, { errors: [{ message: 'A query attribute must be specified and must be a string.' }] });
    if (!/^\s*mutation\b/.test(query) || !query.includes('enablePullRequestAutoMerge')) {
      return new Answer(200, { errors: [{ message: 'this stand-in answers only the enablePullRequestAutoMerge mutation' }] });
    }
    const vars = typeof variables === 'object' && variables !== null ? (variables as Record<string, unknown>) : {};
    const input = autoMergeInput(query, vars);
    if (typeof input === 'string') return new Answer(200, { errors: [{ message: input }] });
    const refuse = (type: string, message: string) =>
      new Answer(200, { data: { enablePullRequestAutoMerge: null }, errors: [{ type, path: ['enablePullRequestAutoMerge'], message }] });
    const method = input.mergeMethod ?? 'MERGE';
    if (method !== 'MERGE' && method !== 'SQUASH' && method !== 'REBASE') {
      return new Answer(200, {
        errors: [{ message: `Argument 'mergeMethod' on InputObject 'EnablePullRequestAutoMergeInput' has an invalid value (${String(method)}). Expected type 'PullRequestMergeMethod'.` }],
      });
    }
    const id = input.pullRequestId;
    let found: { repo: RepoState; pr: PullState } | undefined;
    for (const repo of repos.values()) {
      const pr = repo.pulls.find((p) => p.nodeId === id);
      if (pr) found = { repo, pr };
    }
    if (!found) return refuse('NOT_FOUND', `Could not resolve to a node with the global id of '${String(id)}'`);
    if (grant.permission !== 'write') return refuse('FORBIDDEN', 'Resource not accessible by integration');
    const { repo, pr } = found;
    if (!repo.settings.allowAutoMerge) return refuse('UNPROCESSABLE', 'Auto merge is not allowed for this repository');
    const state = repo.settings.mergeState ?? 'blocked';
    // GitHub's message repeats "Pull request" exactly like this.
    if (state !== 'blocked') return refuse('UNPROCESSABLE', `Pull request Pull request is in ${state} status`);
    pr.autoMerge = { mergeMethod: method.toLowerCase() as 'merge' | 'squash' | 'rebase' };
    pr.updatedAt = iso();
    return new Answer(200, { data: { enablePullRequestAutoMerge: { pullRequest: { number: pr.number, autoMergeRequest: { mergeMethod: method } } } } });
  }

  function faultAnswer(fault: Exclude<Fault, { kind: 'drop' | 'silent' | 'meanwhile' }>, graphqlCall: boolean): Answer {
    const status = fault.kind === 'status' ? fault.status : (fault.status ?? 403);
    if (fault.kind === 'primary-rate-limit') {
      const answer = error(status, 'API rate limit exceeded for installation ID 1.', {}, 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api');
      Object.assign(answer.headers, {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '5000',
        'x-ratelimit-reset': String(Math.floor(now() / 1000) + fault.resetInSeconds),
        'x-ratelimit-resource': graphqlCall ? 'graphql' : 'core',
      });
      return answer;
    }
    if (fault.kind === 'secondary-rate-limit') {
      const answer = error(
        status,
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        {},
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      );
      if (fault.retryAfterSeconds !== undefined) answer.headers['retry-after'] = String(fault.retryAfterSeconds);
      return answer;
    }
    return error(status, fault.message ?? 'Server Error');
  }

  function takeFault(method: string, path: string): Fault | undefined {
    const index = faults.findIndex((f) => (!f.filter.method || f.filter.method === method) && (!f.filter.path || f.filter.path.test(path)));
    if (index < 0) return undefined;
    const entry = faults[index]!;
    if (--entry.left <= 0) faults.splice(index, 1);
    return entry.fault;
  }

  async function route(req: IncomingMessage, record: RecordedRequest, raw: string): Promise<Answer | 'drop' | 'silent'> {
    const { method, path } = record;
    if (!req.headers['user-agent']) {
      return error(403, 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).');
    }
    const version = req.headers['x-github-api-version'];
    if (typeof version === 'string' && !SUPPORTED_API_VERSIONS.has(version)) {
      return error(400, `API version ${version} is not supported.`, {}, `${DOCS}/overview/api-versions`);
    }
    const graphqlCall = path === '/graphql';
    const grant = authenticate(req, graphqlCall);
    if (grant instanceof Answer) return grant;
    const fault = takeFault(method, path);
    if (fault?.kind === 'drop' || fault?.kind === 'silent') return fault.kind;
    if (fault?.kind === 'meanwhile') await fault.run();
    else if (fault) return faultAnswer(fault, graphqlCall);

    let body: unknown = undefined;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        return error(400, 'Problems parsing JSON');
      }
    }
    record.body = body;
    if (graphqlCall) return method === 'POST' ? graphql(grant, body) : error(404, 'Not Found');

    const match = /^\/repos\/([^/]+)\/([^/]+)\/(pulls|issues)(?:\/(\d+))?(\/labels)?$/.exec(path);
    if (!match) return error(404, 'Not Found');
    const [, owner = '', name = '', kind, num, labels] = match;
    const repo = repoOf(decodeURIComponent(owner), decodeURIComponent(name));
    if (!repo) return error(404, 'Not Found');
    const object = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    if (kind === 'pulls' && num === undefined && !labels) {
      if (method === 'GET') return listPulls(repo, record.query);
      if (method === 'POST') return createPull(repo, grant, object);
    }
    if (kind === 'pulls' && num !== undefined && !labels) {
      if (method === 'GET') {
        const pr = repo.pulls.find((p) => p.number === Number(num));
        return pr ? new Answer(200, pullJson(repo, pr)) : error(404, 'Not Found');
      }
      if (method === 'PATCH') return updatePull(repo, grant, Number(num), object);
    }
    if (kind === 'issues' && num !== undefined && labels && method === 'POST') return addLabels(repo, grant, Number(num), body);
    return error(404, 'Not Found');
  }

  const server = createServer((req, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: undefined,
      status: 0,
    };
    requests.push(record);
    readBody(req)
      .then(async (raw) => (raw instanceof Answer ? raw : route(req, record, raw)))
      .catch((e: unknown) => error(500, `stand-in failure: ${e instanceof Error ? e.message : String(e)}`))
      .then((answer) => {
        if (answer === 'drop') {
          req.socket.destroy();
          return;
        }
        if (answer === 'silent') return;
        used++;
        record.status = answer.status;
        const text = JSON.stringify(answer.body);
        res.writeHead(answer.status, {
          'Content-Type': 'application/json; charset=utf-8',
          Date: new Date(now()).toUTCString(),
          'X-GitHub-Media-Type': 'github.v3; format=json',
          'X-GitHub-Request-Id': randomBytes(8).toString('hex').toUpperCase(),
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': String(Math.max(0, 5000 - used)),
          'x-ratelimit-reset': String(Math.floor(now() / 1000) + 3600),
          'x-ratelimit-used': String(used),
          'x-ratelimit-resource': url.pathname === '/graphql' ? 'graphql' : 'core',
          ...answer.headers,
        });
        res.end(text);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const repoState = (repo: string) => {
    const state = repos.get(repo.toLowerCase());
    if (!state) throw new Error(`github-api-server: no repository ${repo}`);
    return state;
  };

  return {
    url: baseUrl,
    requests,
    pullRequests: (repo) =>
      repoState(repo).pulls.map(({ number, nodeId, state, title, body, head, base, labels, autoMerge }) => ({
        number,
        nodeId,
        state,
        title,
        body,
        head,
        base,
        labels: [...labels],
        autoMerge: autoMerge ? { ...autoMerge } : null,
      })),
    labels: (repo) => [...repoState(repo).labels.values()].map((l) => l.name),
    closePullRequest: (repo, number) => {
      const pr = repoState(repo).pulls.find((p) => p.number === number);
      if (!pr) throw new Error(`github-api-server: no pull request #${number} in ${repo}`);
      pr.state = 'closed';
    },
    updateRepo: (repo, settings) => {
      Object.assign(repoState(repo).settings, settings);
    },
    inject: (fault, filter = {}) => {
      faults.push({ fault, filter, left: filter.times ?? 1 });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
