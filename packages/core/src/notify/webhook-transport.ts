import type { SlackMessage } from './block-kit.js';
import { postSlackJson, type SlackHttpOptions } from './slack-http.js';
import { SlackError, webhookHint } from './slack-error.js';

/**
 * An incoming webhook: POST the message as JSON; Slack answers `200 ok`, or a
 * status with a short code in the body (`400 invalid_payload`, `403
 * action_prohibited`, `404 channel_not_found`, `410 channel_is_archived`).
 * The URL is the credential, so messages name its host only.
 */
export async function sendWebhook(url: URL, message: SlackMessage, http: SlackHttpOptions = {}): Promise<void> {
  const operation = 'incoming webhook';
  const target = `the incoming webhook on ${url.host}`;
  const answer = await postSlackJson(url, JSON.stringify(message), {}, { operation, target }, http);
  const body = answer.body.trim();
  const code = /^[a-z_]{2,60}$/.test(body) ? body : '';
  if (answer.status >= 200 && answer.status < 300) {
    if (body === 'ok') return;
    throw new SlackError(operation, 'unexpected_answer', `${target} answered HTTP ${answer.status} without 'ok'${code ? ` (${code})` : ''}; is the URL a Slack incoming webhook?`, answer.status);
  }
  const gaveUp = answer.gaveUp ? ` (${answer.gaveUp})` : '';
  if (answer.status === 429) {
    throw new SlackError(operation, code || 'rate_limited', `HTTP 429 ${code || 'rate_limited'}: Slack rate-limited the webhook${gaveUp}`, 429);
  }
  if (answer.status >= 500) {
    throw new SlackError(operation, code || `http_${answer.status}`, `HTTP ${answer.status}${code ? ` ${code}` : ''}: Slack is having trouble${gaveUp}`, answer.status);
  }
  throw new SlackError(operation, code || `http_${answer.status}`, `HTTP ${answer.status}${code ? ` ${code}` : ''}: ${webhookHint(answer.status, code)}`, answer.status);
}
