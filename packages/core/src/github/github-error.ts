import { InputError, ToolError } from '../errors/errors.js';
import { redact } from '../exec/redact.js';
import { neutraliseLine } from '../log/neutralise.js';

/**
 * How GitHub API failures reach the user. A refusal the user can fix (bad
 * token, missing permission, unknown repository, a request GitHub validates
 * away) is an InputError that says what to change; GitHub failing or being
 * unreachable is a ToolError named by the API host. Every text that comes from
 * GitHub is redacted and made one harmless log line first.
 */

/** GitHub's error body: `{"message", "errors": [...], "documentation_url"}`. */
export interface GitHubErrorBody {
  message: string;
  /** Each `errors[]` entry as one phrase: its `message`, or `Resource.field: code`. */
  details: string[];
  documentationUrl: string;
}

const MAX_DETAILS = 5;
const MAX_TEXT = 300;

/** Text from GitHub, made safe to show: no secrets, one line, bounded. */
export function safeGitHubText(text: string, secrets: readonly string[]): string {
  return neutraliseLine(redact(text, secrets)).slice(0, MAX_TEXT);
}

export function parseGitHubErrorBody(data: unknown, secrets: readonly string[]): GitHubErrorBody {
  let parsed = data;
  if (typeof data === 'string') {
    try {
      parsed = JSON.parse(data);
    } catch {
      return { message: data.trim() ? safeGitHubText(data.trim().split('\n')[0] ?? '', secrets) : '', details: [], documentationUrl: '' };
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return { message: '', details: [], documentationUrl: '' };
  const { message, errors, documentation_url: docs } = parsed as { message?: unknown; errors?: unknown; documentation_url?: unknown };
  const details = (Array.isArray(errors) ? errors : []).slice(0, MAX_DETAILS).flatMap((entry: unknown): string[] => {
    if (typeof entry === 'string') return [entry];
    if (typeof entry !== 'object' || entry === null) return [];
    const e = entry as { message?: unknown; resource?: unknown; field?: unknown; code?: unknown };
    if (typeof e.message === 'string' && e.message) return [e.message];
    const where = [e.resource, e.field].filter((v) => typeof v === 'string' && v).join('.');
    const code = typeof e.code === 'string' ? e.code : '';
    return where || code ? [[where, code].filter(Boolean).join(': ')] : [];
  });
  return {
    // GitHub's schema errors put a blank line and the detail into `message`; one line keeps it readable.
    message: typeof message === 'string' ? safeGitHubText(message.replace(/\s*\n+\s*/g, ' '), secrets) : '',
    details: details.map((d) => safeGitHubText(d, secrets)),
    documentationUrl: typeof docs === 'string' ? safeGitHubText(docs, secrets) : '',
  };
}

/** `422 Validation Failed: No commits between main and gitops/x` */
export function describeGitHubAnswer(status: number, body: GitHubErrorBody): string {
  const head = body.message ? `${status} ${body.message}` : String(status);
  return body.details.length > 0 ? `${head}: ${body.details.join('; ')}` : head;
}

export interface GitHubFailure {
  /** What we were doing, for the message: `create a pull request in acme/gitops`. */
  operation: string;
  /** HTTP status; undefined when GitHub could not be reached. */
  status: number | undefined;
  /** GitHub's `message`, safe to show; '' when there was none. */
  githubMessage: string;
  /** GitHub's `errors[]`, one phrase each, safe to show. */
  details: readonly string[];
}

/** GitHub refused the request for a reason the user can fix (credentials, permissions, names, validation). */
export class GitHubRefusedError extends InputError implements GitHubFailure {
  constructor(
    message: string,
    readonly operation: string,
    readonly status: number,
    readonly githubMessage: string,
    readonly details: readonly string[],
  ) {
    super(message);
  }
}

/** GitHub failed, could not be reached, or kept us rate limited past the bound. */
export class GitHubUnavailableError extends ToolError implements GitHubFailure {
  constructor(
    apiHost: string,
    reason: string,
    readonly operation: string,
    readonly status: number | undefined,
    readonly githubMessage: string = '',
    readonly details: readonly string[] = [],
  ) {
    super(`GitHub API ${apiHost}`, null, '', reason);
  }
}
