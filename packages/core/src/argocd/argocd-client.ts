import { redact } from '../exec/redact.js';
import { oneRequest, type HttpAnswer } from '../http/one-request.js';
import { isRetryableNetworkError } from '../registry/retry.js';
import { ArgoCdError, ArgoCdRefusedError } from './argocd-error.js';
import { applicationManifestsUrl, applicationUrl, type ArgoCdServer } from './argocd-url.js';

/**
 * One `GET /api/v1/applications/{name}` against the Argo CD API server, with
 * the token as a Bearer header (never in the URL), TLS verified unless the
 * server was marked insecure, no redirects followed (the token would go
 * along), and the answer bounded in size and time.
 *
 * `refresh: 'normal'` is how the API triggers a refresh: the server asks the
 * controller to compare against Git now instead of at its next poll
 * (3 minutes by default), and answers once that refresh is done.
 *
 * Argo CD's gateway answers gRPC errors as JSON `{error, code, message}`:
 * code 16 (Unauthenticated) as 401, 7 (PermissionDenied) as 403, 5
 * (NotFound) as 404. Since v2.6.7/v2.7 (GHSA-2q5c-qw9c-fmvq) an Application
 * that does not exist is answered with 403 `permission denied`, exactly as
 * one the token may not see, unless the request names the `project` and the
 * token may read that project's Applications: then it is 404.
 */

export interface ArgoCdClientOptions {
  server: ArgoCdServer;
  token: string;
  /** One request, from connecting to the end of the answer. A refresh waits for the controller, so this is generous. */
  requestTimeoutMs?: number;
  /** Extra values that must never reach a message. */
  secrets?: readonly string[];
}

export type FetchOutcome =
  | { ok: true; body: unknown }
  /** Worth another try later: 5xx, 429, a dropped connection, a timeout. */
  | { ok: false; transient: true; problem: string };

/** What the caller explains: a refusal (3xx, 4xx, 501, 505) with Argo CD's message. */
type JsonOutcome = FetchOutcome | { ok: false; transient: false; status: number; detail: string };

const MAX_ANSWER_BYTES = 32 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 60_000;

export class ArgoCdClient {
  constructor(private readonly options: ArgoCdClientOptions) {}

  /**
   * The Application, or a transient problem. Throws ArgoCdRefusedError on
   * 401, 403 and 404 (answers, not accidents) and on other 4xx, and
   * ArgoCdError when the server cannot be reached for a reason time will not
   * fix (an unknown host, an untrusted certificate).
   */
  async getApplication(name: string, query: { refresh?: 'normal' | 'hard'; project?: string } = {}): Promise<FetchOutcome> {
    const params: Record<string, string> = {};
    if (query.refresh) params.refresh = query.refresh;
    if (query.project) params.project = query.project;
    const outcome = await this.getJson(applicationUrl(this.options.server, name, params));
    if (outcome.ok || outcome.transient) return outcome;
    throw this.refused(outcome.status, name, query.project, outcome.detail);
  }

  /**
   * `GET /api/v1/applications/{name}/manifests?revision=`: the manifests Argo
   * CD generates for the Application at a commit (`{manifests: [one object as
   * a JSON string, ...], revision, namespace, server, sourceType}`), with the
   * same RBAC as a get (`applications, get`). Only a token or Application
   * Argo CD refuses (401, 403) ends the wait; anything else, an unknown
   * revision (Argo CD answers 500 for it) or a server that cannot be
   * reached, is a problem to try again later.
   */
  async getManifests(name: string, query: { revision: string; project?: string }): Promise<FetchOutcome> {
    const params: Record<string, string> = { revision: query.revision };
    if (query.project) params.project = query.project;
    let outcome: JsonOutcome;
    try {
      outcome = await this.getJson(applicationManifestsUrl(this.options.server, name, params));
    } catch (error) {
      if (error instanceof ArgoCdError) return { ok: false, transient: true, problem: error.detail };
      throw error;
    }
    if (outcome.ok || outcome.transient) return outcome;
    if (outcome.status === 401 || outcome.status === 403) throw this.refused(outcome.status, name, query.project, outcome.detail);
    return { ok: false, transient: true, problem: `Argo CD answered HTTP ${outcome.status}${outcome.detail ? `: ${outcome.detail}` : ''}` };
  }

  /** A JSON answer, a transient problem, or the status of a refusal for the caller to explain. */
  private async getJson(url: URL): Promise<JsonOutcome> {
    let answer: HttpAnswer;
    try {
      answer = await this.request(url);
    } catch (error) {
      const code = errorCode(error);
      // A wrong host or an untrusted certificate will be just as wrong in a minute: stop now.
      if (!isRetryableNetworkError(code)) throw new ArgoCdError('unreachable', this.describeNetworkError(error));
      return { ok: false, transient: true, problem: this.describeNetworkError(error) };
    }
    if (answer.status === 200) {
      try {
        return { ok: true, body: JSON.parse(answer.body) as unknown };
      } catch {
        return { ok: false, transient: true, problem: `Argo CD answered HTTP 200 with a body that is not JSON (${answer.body.length} bytes): is argocd-url the API server?` };
      }
    }
    const detail = errorMessage(answer.body);
    if (answer.status === 408 || answer.status === 429 || (answer.status >= 500 && answer.status !== 501 && answer.status !== 505)) {
      return { ok: false, transient: true, problem: `Argo CD answered HTTP ${answer.status}${detail ? `: ${detail}` : ''}` };
    }
    return { ok: false, transient: false, status: answer.status, detail };
  }

  private refused(status: number, name: string, project: string | undefined, detail: string): ArgoCdRefusedError {
    const host = this.options.server.base.host;
    const said = detail ? ` (${detail})` : '';
    switch (status) {
      case 401:
        return new ArgoCdRefusedError(
          `Argo CD at ${host} rejected the token (HTTP 401${said}): check that the argocd-token secret holds a current API token (argocd account generate-token) of an account that exists`,
          401,
        );
      case 403:
        return new ArgoCdRefusedError(
          `Argo CD at ${host} answered 'permission denied' for application '${name}' (HTTP 403${said}). Argo CD gives the same answer for an Application that does not exist ` +
            `and for one the token's account may not read: check the name, and that the account's RBAC policy allows 'applications, get' on it` +
            (project ? '' : `; set 'project' to have Argo CD answer 404 for a missing Application`),
          403,
        );
      case 404:
        return new ArgoCdRefusedError(
          `Argo CD at ${host} has no application '${name}'${project ? ` in project '${project}'` : ''} (HTTP 404${said}): check the name; the pipeline names it <app>--<environment>`,
          404,
        );
      default:
        if (status >= 300 && status < 400) {
          return new ArgoCdRefusedError(
            `Argo CD at ${host} answered a redirect (HTTP ${status}); the token is not sent after redirects: set argocd-url to the API server's own URL`,
            status,
          );
        }
        return new ArgoCdRefusedError(`Argo CD at ${host} refused GET application '${name}' (HTTP ${status}${said})`, status);
    }
  }

  private request(url: URL): Promise<HttpAnswer> {
    const { server, token } = this.options;
    return oneRequest(url, {
      method: 'GET',
      headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, 'User-Agent': 'gitops-actions-wait-for-sync' },
      timeoutMs: this.options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxBytes: MAX_ANSWER_BYTES,
      tooLarge: 'fail',
      verifyTls: !server.insecure,
    });
  }

  /** A network or TLS failure as one line naming the host at most, with a hint for certificate problems. */
  private describeNetworkError(error: unknown): string {
    const host = this.options.server.base.host;
    const code = errorCode(error);
    const message = error instanceof Error ? error.message : String(error);
    const safe = redact(message, [this.options.token, ...(this.options.secrets ?? [])])
      .replace(/https?:\/\/\S+/g, '<url>')
      .slice(0, 300);
    const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME/.test(code)
      ? `; the server's TLS certificate is not trusted: install its CA (NODE_EXTRA_CA_CERTS), or set 'insecure: true' for a test cluster`
      : '';
    return `could not reach Argo CD at ${host}: ${safe || code || 'request failed'}${tls}`;
  }
}

function errorCode(error: unknown): string {
  return typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
}

/** Argo CD's `{error, code, message}` answer as one short line; '' when the body is something else. */
function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
    const text = typeof parsed.message === 'string' ? parsed.message : typeof parsed.error === 'string' ? parsed.error : '';
    return text.slice(0, 300);
  } catch {
    return '';
  }
}
