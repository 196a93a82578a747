import { STATUS_CODES } from 'node:http';
import { InputError, ToolError } from '../errors/errors.js';
import { redact } from '../exec/redact.js';
import { neutraliseLine } from '../log/neutralise.js';

/**
 * How registry failures reach the user. A registry is an external service the
 * way a tool is an external command, so an unexpected answer or an unreachable
 * host is a ToolError (named by the host instead of a command line); refused
 * credentials or a missing permission are the user's to fix, so they are
 * InputErrors. Neither ever carries a secret: every text that could quote one
 * (server messages included) goes through redact().
 */

export interface DistributionErrorEntry {
  code: string;
  message: string;
}

const MAX_ENTRIES = 5;
const MAX_MESSAGE = 300;

/** The distribution spec's error body: `{"errors":[{"code","message","detail"}]}`; [] for anything else. */
export function parseDistributionErrors(body: string): DistributionErrorEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const errors = (parsed as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors.slice(0, MAX_ENTRIES).flatMap((e: unknown) => {
    if (typeof e !== 'object' || e === null) return [];
    const { code, message } = e as { code?: unknown; message?: unknown };
    return [{ code: typeof code === 'string' ? code : '', message: typeof message === 'string' ? message : '' }];
  });
}

/** `401 UNAUTHORIZED: authentication required`, from the status and what the body says. */
export function describeStatus(status: number, body: string): string {
  const entries = parseDistributionErrors(body);
  if (entries.length > 0) {
    const parts = entries.map((e) => [e.code, e.message].filter(Boolean).join(': '));
    return `${status} ${parts.join('; ')}`.slice(0, MAX_MESSAGE);
  }
  const text = body.trim().split('\n')[0]?.trim() ?? '';
  // Token servers answer {"error": "...", "details": "..."} (OAuth style) or plain text.
  let oauth = '';
  try {
    const parsed = JSON.parse(body) as { error?: unknown; details?: unknown; error_description?: unknown };
    oauth = [parsed.error, parsed.error_description ?? parsed.details].filter((v) => typeof v === 'string' && v).join(': ');
  } catch {}
  // A HEAD answer has no body: the reason phrase is all there is.
  const detail = oauth || (text.startsWith('<') ? '' : text) || STATUS_CODES[status] || '';
  return `${status}${detail ? ` ${detail}` : ''}`.slice(0, MAX_MESSAGE);
}

/** A registry failed or was unreachable. */
export class RegistryError extends ToolError {
  constructor(
    readonly host: string,
    reason: string,
    readonly status?: number,
    readonly codes: readonly string[] = [],
  ) {
    super(`registry ${host}`, null, '', reason);
  }
}

/** The registry refused credentials or permission: the user's to fix. */
export class RegistryAuthError extends InputError {
  constructor(
    message: string,
    readonly host: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Text from a server, made safe to show: no secrets, one line, bounded. */
export function safeServerText(text: string, secrets: readonly string[]): string {
  return neutraliseLine(redact(text, secrets)).slice(0, MAX_MESSAGE);
}

/** An index without the platform asked for; `available` lists what it has. */
export class PlatformNotFoundError extends InputError {
  constructor(
    message: string,
    readonly available: readonly string[],
  ) {
    super(message);
  }
}
