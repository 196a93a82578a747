import { InputError } from '../errors/errors.js';
import {
  describeGitHubAnswer,
  GitHubRefusedError,
  GitHubUnavailableError,
  parseGitHubErrorBody,
  safeGitHubText,
  type GitHubErrorBody,
} from './github-error.js';
import { graphqlBaseUrl, parseApiUrl, restBaseUrl } from './api-url.js';
import { loadOctokit, type Octokit } from './load-octokit.js';
import { classifyRateLimit, DEFAULT_RATE_LIMIT_POLICY, formatDuration, rateLimitDelay, type RateLimitPolicy } from './rate-limit.js';

/**
 * Calls to the GitHub REST and GraphQL APIs through @actions/github's octokit,
 * with what octokit leaves to its plugins done here: a bounded wait on rate
 * limits, a few retries on server errors and dropped connections, a timeout per
 * request, and failures turned into messages that say what to change. The
 * token never appears in a message: everything GitHub says is redacted.
 */

/** Where the messages go; a Runtime fits. */
export interface GitHubLog {
  info(message: string): void;
  warning(message: string): void;
  debug?(message: string): void;
}

export interface GitHubConnection {
  /** GITHUB_TOKEN, a GitHub App installation token or a personal access token. */
  token: string;
  /**
   * REST API root, from GITHUB_API_URL: `https://api.github.com`,
   * `https://HOST/api/v3` (GitHub Enterprise Server), `https://api.SUBDOMAIN.ghe.com`.
   * GraphQL is derived from it the way GitHub lays it out.
   */
  apiUrl: string;
  log?: GitHubLog;
  /** Each request, from sending to the whole answer. Default 30 s. */
  timeoutMs?: number;
  rateLimit?: Partial<RateLimitPolicy>;
  /** Injected in tests; the defaults are the real clock. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** What a call is for, so a failure can say it in the user's terms. */
export interface CallPurpose {
  /** `create a pull request in acme/gitops` */
  operation: string;
  /** `acme/gitops`: named when GitHub answers 404. */
  repository: string;
  /** The workflow permission this call needs: `pull-requests: write`. */
  permission: string;
  /** A sentence to add for a specific refusal (e.g. 422 for a branch not pushed yet). */
  explain?: (status: number, body: GitHubErrorBody) => string | undefined;
}

export interface GitHubResponse<T> {
  status: number;
  headers: Readonly<Record<string, string | number | undefined>>;
  data: T;
}

export interface GraphqlError {
  type: string;
  message: string;
}

const API_VERSION = '2022-11-28';
const USER_AGENT = 'gitops-actions';
const DEFAULT_TIMEOUT_MS = 30_000;
const TRANSIENT_ATTEMPTS = 3;
const TRANSIENT_BASE_DELAY_MS = 1_000;

/** What octokit throws (a RequestError), read by shape: its class lives in the lazily loaded chunk. */
interface OctokitFailure {
  status: number;
  message: string;
  response?: { status: number; headers: Record<string, string | number | undefined>; data: unknown };
}

function asOctokitFailure(thrown: unknown): OctokitFailure | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const { status, message, response } = thrown as { status?: unknown; message?: unknown; response?: unknown };
  if (typeof status !== 'number' || typeof message !== 'string') return undefined;
  return { status, message, ...(typeof response === 'object' && response !== null ? { response: response as OctokitFailure['response'] } : {}) };
}

export class GitHubApi {
  private readonly policy: RateLimitPolicy;
  private readonly secrets: readonly string[];
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  private constructor(
    private readonly octokit: Octokit,
    private readonly apiUrl: URL,
    private readonly connection: GitHubConnection,
  ) {
    this.policy = { ...DEFAULT_RATE_LIMIT_POLICY, ...connection.rateLimit };
    this.secrets = [connection.token];
    this.sleep = connection.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = connection.now ?? Date.now;
  }

  /** Loads @actions/github (the first call pays for it) and returns a client for `apiUrl`. */
  static async connect(connection: GitHubConnection): Promise<GitHubApi> {
    if (!connection.token) {
      throw new InputError('a GitHub token is needed to open a pull request: pass the workflow token (${{ github.token }}) or a GitHub App or personal access token');
    }
    const apiUrl = parseApiUrl(connection.apiUrl);
    const log = connection.log;
    const safe = (message: string) => safeGitHubText(message, [connection.token]);
    const { octokit, loadMs } = await loadOctokit({
      token: connection.token,
      baseUrl: restBaseUrl(apiUrl),
      userAgent: USER_AGENT,
      log: {
        debug: (m) => log?.debug?.(safe(m)),
        info: (m) => log?.debug?.(safe(m)),
        // Octokit warns about deprecated endpoints; worth a reader's eye.
        warn: (m) => log?.warning(safe(m)),
        error: (m) => log?.warning(safe(m)),
      },
    });
    log?.debug?.(`loaded the GitHub client (@actions/github) in ${Math.round(loadMs)} ms`);
    return new GitHubApi(octokit, apiUrl, connection);
  }

  get host(): string {
    return this.apiUrl.host;
  }

  /** A REST call: `GET /repos/{owner}/{repo}/pulls` with its parameters. */
  async rest<T>(purpose: CallPurpose, route: string, params: Record<string, unknown> = {}): Promise<GitHubResponse<T>> {
    return this.send<T>(purpose, route, { ...params, headers: { 'x-github-api-version': API_VERSION } });
  }

  /**
   * A GraphQL call. GraphQL answers 200 with `errors` for refusals (a
   * repository that does not allow auto-merge, a token without permission);
   * they are returned, not thrown, because what they mean depends on the call.
   */
  async graphql<T>(purpose: CallPurpose, query: string, variables: Record<string, unknown>): Promise<{ data: T | null; errors: GraphqlError[] }> {
    const response = await this.send<{ data?: T | null; errors?: unknown }>(purpose, 'POST /graphql', {
      baseUrl: graphqlBaseUrl(this.apiUrl),
      query,
      variables,
    });
    const body = response.data ?? {};
    const errors = (Array.isArray(body.errors) ? body.errors : []).map((e: unknown): GraphqlError => {
      const { type, message } = (typeof e === 'object' && e !== null ? e : {}) as { type?: unknown; message?: unknown };
      return {
        type: typeof type === 'string' ? type : '',
        message: typeof message === 'string' ? safeGitHubText(message, this.secrets) : 'GraphQL error without a message',
      };
    });
    return { data: body.data ?? null, errors };
  }

  private async send<T>(purpose: CallPurpose, route: string, params: Record<string, unknown>): Promise<GitHubResponse<T>> {
    const log = this.connection.log;
    let waitedMs = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.octokit.request(route, {
          ...params,
          request: { signal: AbortSignal.timeout(this.connection.timeoutMs ?? DEFAULT_TIMEOUT_MS) },
        });
        return { status: response.status, headers: response.headers, data: response.data as T };
      } catch (thrown) {
        const failure = asOctokitFailure(thrown);
        if (!failure) throw thrown;
        const answer = failure.response;
        const body = parseGitHubErrorBody(answer?.data, this.secrets);

        const limited = answer ? classifyRateLimit(answer.status, answer.headers, body.message) : undefined;
        if (limited && answer) {
          const decision = rateLimitDelay(limited, { attempt, waitedMs, now: this.now(), policy: this.policy });
          if (!decision.wait) {
            throw new GitHubUnavailableError(
              this.host,
              `could not ${purpose.operation}: ${describeGitHubAnswer(answer.status, body)}; ${decision.reason}. Try again later, or use a token with its own quota (a GitHub App installation token)`,
              purpose.operation,
              answer.status,
              body.message,
              body.details,
            );
          }
          log?.warning(
            `GitHub API rate limit (${answer.status}${body.message ? ` ${body.message}` : ''}) while trying to ${purpose.operation}: waiting ${formatDuration(decision.delayMs)} before attempt ${attempt + 1}`,
          );
          await this.sleep(decision.delayMs);
          waitedMs += decision.delayMs;
          continue;
        }

        // No answer (connection refused or dropped, timeout) or a server error: worth a few more tries.
        // Every call here is safe to repeat: creating a pull request twice is refused with 422, which the caller handles.
        const transient = !answer || (answer.status >= 500 && answer.status !== 501);
        if (transient && attempt < TRANSIENT_ATTEMPTS) {
          const delayMs = TRANSIENT_BASE_DELAY_MS * 2 ** (attempt - 1);
          const what = answer ? describeGitHubAnswer(answer.status, body) : safeGitHubText(failure.message, this.secrets);
          log?.info(`GitHub API: ${what} while trying to ${purpose.operation}; attempt ${attempt + 1} in ${formatDuration(delayMs)}`);
          await this.sleep(delayMs);
          waitedMs += delayMs;
          continue;
        }
        throw this.failure(purpose, failure, body, attempt);
      }
    }
  }

  private failure(purpose: CallPurpose, failure: OctokitFailure, body: GitHubErrorBody, attempts: number): Error {
    const answer = failure.response;
    if (!answer) {
      const reason = safeGitHubText(failure.message, this.secrets);
      return new GitHubUnavailableError(
        this.host,
        `could not ${purpose.operation}: ${reason} (${attempts} attempt${attempts === 1 ? '' : 's'}; is ${this.apiUrl.origin} reachable from the runner?)`,
        purpose.operation,
        undefined,
      );
    }
    const status = answer.status;
    const said = describeGitHubAnswer(status, body);
    const docs = body.documentationUrl ? ` (${body.documentationUrl})` : '';
    const extra = purpose.explain?.(status, body);
    const refuse = (message: string) =>
      new GitHubRefusedError(extra ? `${message}\n${extra}` : message, purpose.operation, status, body.message, body.details);

    if (status === 401) {
      return refuse(
        `GitHub rejected the token while trying to ${purpose.operation} (${said}). ` +
          `It is wrong, expired or revoked, or it belongs to another GitHub server than ${this.apiUrl.origin}.`,
      );
    }
    if (status === 403 && /not permitted to create or approve pull requests/i.test(body.message)) {
      return refuse(
        `GitHub refused to ${purpose.operation} (${said}). The workflow token may not open pull requests in this repository: ` +
          `enable "Allow GitHub Actions to create and approve pull requests" (repository or organisation Settings → Actions → General → Workflow permissions), ` +
          `or pass a GitHub App or personal access token.`,
      );
    }
    if (status === 403 && /not accessible by (integration|personal access token)/i.test(body.message)) {
      return refuse(
        `GitHub refused to ${purpose.operation} (${said}): the token lacks the \`${purpose.permission}\` permission. ` +
          `For the workflow token, add it to the job:\n  permissions:\n    contents: write\n    ${purpose.permission}\n` +
          `A GitHub App or fine-grained token needs the same permission on ${purpose.repository}.`,
      );
    }
    if (status === 404) {
      return refuse(
        `GitHub answered ${said} while trying to ${purpose.operation}: the repository ${purpose.repository} does not exist on ${this.apiUrl.origin}, ` +
          `or the token cannot see it (the workflow token reaches only the repository the workflow runs in; for another one use a GitHub App or personal access token with access to it).`,
      );
    }
    if (status >= 400 && status < 500) {
      return refuse(`GitHub refused to ${purpose.operation}: ${said}${docs}`);
    }
    return new GitHubUnavailableError(
      this.host,
      `could not ${purpose.operation}: ${said} (${attempts} attempt${attempts === 1 ? '' : 's'})`,
      purpose.operation,
      status,
      body.message,
      body.details,
    );
  }
}
