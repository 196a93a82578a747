import { postSlackJson, type SlackHttpOptions } from './slack-http.js';
import { SlackError, webApiHint } from './slack-error.js';

/**
 * Slack's Web API: `POST <api-url>/<method>` with a JSON body and the bot token
 * as `Authorization: Bearer`. Slack answers HTTP 200 with `ok: true` and the
 * message's `channel` and `ts`, or `ok: false` with an `error` code; 429 and
 * 5xx are retried below this. The token never leaves the header.
 */

export type WebApiMethod = 'chat.postMessage' | 'chat.update';

export interface WebApiTarget {
  /** e.g. https://slack.com/api */
  apiUrl: URL;
  token: string;
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

interface WebApiAnswer {
  ok?: unknown;
  error?: unknown;
  channel?: unknown;
  ts?: unknown;
  warning?: unknown;
  needed?: unknown;
  response_metadata?: { warnings?: unknown; messages?: unknown };
}

export function methodUrl(apiUrl: URL, method: WebApiMethod): URL {
  return new URL(`${apiUrl.href.replace(/\/+$/, '')}/${method}`);
}

export async function callWebApi(
  method: WebApiMethod,
  args: Record<string, unknown>,
  target: WebApiTarget,
  http: SlackHttpOptions = {},
  warn: (message: string) => void = () => {},
): Promise<PostedMessage> {
  const url = methodUrl(target.apiUrl, method);
  const channel = typeof args.channel === 'string' ? args.channel : '';
  const answer = await postSlackJson(
    url,
    JSON.stringify(args),
    { Authorization: `Bearer ${target.token}` },
    { operation: method, target: `Slack's Web API on ${url.host}` },
    { ...http, secrets: [...(http.secrets ?? []), target.token] },
  );
  let parsed: WebApiAnswer | undefined;
  try {
    const value: unknown = JSON.parse(answer.body);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) parsed = value as WebApiAnswer;
  } catch {
    parsed = undefined;
  }
  const code = typeof parsed?.error === 'string' && /^[a-z_]{2,60}$/.test(parsed.error) ? parsed.error : '';
  const gaveUp = answer.gaveUp ? ` (${answer.gaveUp})` : '';
  if (answer.status === 429) {
    throw new SlackError(method, code || 'ratelimited', `HTTP 429 ${code || 'ratelimited'}: Slack rate-limited the app${gaveUp}`, 429);
  }
  if (answer.status >= 500) {
    throw new SlackError(method, code || `http_${answer.status}`, `HTTP ${answer.status}${code ? ` ${code}` : ''}: Slack is having trouble${gaveUp}`, answer.status);
  }
  if (!parsed) {
    throw new SlackError(method, `http_${answer.status}`, `${url.host} answered HTTP ${answer.status} with something other than a Slack API answer; check 'api-url'`, answer.status);
  }
  if (parsed.ok !== true) {
    const needed = typeof parsed.needed === 'string' ? parsed.needed : undefined;
    const shown = code || 'unknown_error';
    throw new SlackError(method, shown, `${shown}: ${webApiHint(shown, { method, channel, ...(needed ? { needed } : {}) })}`, answer.status);
  }
  const warnings = [
    ...(typeof parsed.warning === 'string' ? parsed.warning.split(',') : []),
    ...(Array.isArray(parsed.response_metadata?.warnings) ? parsed.response_metadata.warnings.filter((w): w is string => typeof w === 'string') : []),
  ];
  for (const w of new Set(warnings)) if (/^[a-z_]{2,60}$/.test(w)) warn(`Slack ${method} warned: ${w}`);
  if (typeof parsed.ts !== 'string' || typeof parsed.channel !== 'string') {
    throw new SlackError(method, 'unexpected_answer', `Slack answered ok without the message's channel and ts`, answer.status);
  }
  return { channel: parsed.channel, ts: parsed.ts };
}
