import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SlackMessage } from '#core/notify/block-kit.js';
import { SlackError } from '#core/notify/slack-error.js';
import type { SlackHttpOptions } from '#core/notify/slack-http.js';
import { callWebApi } from '#core/notify/web-api-transport.js';
import { sendWebhook } from '#core/notify/webhook-transport.js';
import { startSlackServer, type SlackServer } from '../harness/slack-server.js';

let slack: SlackServer;
beforeAll(async () => {
  slack = await startSlackServer();
});
afterAll(async () => {
  await slack?.close();
});

const message: SlackMessage = {
  text: 'hello',
  blocks: [{ type: 'header', text: { type: 'plain_text', text: 'hello', emoji: true } }],
  unfurl_links: false,
  unfurl_media: false,
};

/** No real waiting: the waits asked for are recorded instead. */
function clock(): SlackHttpOptions & { waits: number[]; logs: string[] } {
  const waits: number[] = [];
  const logs: string[] = [];
  return { waits, logs, sleep: async (ms) => void waits.push(ms), random: () => 0.5, log: (m) => logs.push(m) };
}

async function failure(promise: Promise<unknown>): Promise<SlackError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof SlackError) return e;
    throw e;
  }
  throw new Error('expected a SlackError');
}

function requestsTo(url: string) {
  const path = new URL(url).pathname;
  return slack.requests.filter((r) => r.path === path);
}

describe('incoming webhook', () => {
  test('200 ok; JSON with a charset', async () => {
    const url = slack.webhook();
    await sendWebhook(new URL(url), message, clock());
    const [request] = requestsTo(url);
    expect(request?.contentType).toBe('application/json; charset=utf-8');
    expect(request?.body).toEqual(message);
  });

  test.each([
    ['action_prohibited', 403, 'a workspace policy stops this webhook from posting to its channel'],
    ['channel_not_found', 404, "the webhook's channel no longer exists: create a new incoming webhook and update the secret"],
    ['channel_is_archived', 410, "the webhook's channel is archived: unarchive it, or create a webhook for another channel and update the secret"],
  ] as const)('%s: HTTP %d, reported with what to do, not retried', async (behaviour, status, hint) => {
    const url = slack.webhook(behaviour);
    const http = clock();
    const error = await failure(sendWebhook(new URL(url), message, http));
    expect(error.message).toBe(`Slack incoming webhook: HTTP ${status} ${behaviour}: ${hint}`);
    expect(error.httpStatus).toBe(status);
    expect(error.message).not.toContain(new URL(url).pathname);
    expect(requestsTo(url)).toHaveLength(1);
    expect(http.waits).toEqual([]);
  });

  test('an unknown or revoked webhook', async () => {
    const url = `${slack.url}/services/T0HARNESS/B0GONE/${'f'.repeat(24)}`;
    const error = await failure(sendWebhook(new URL(url), message, clock()));
    expect(error.message).toBe(
      'Slack incoming webhook: HTTP 404 no_service: the webhook URL is not valid (revoked, or the app was removed): create a new incoming webhook and update the secret',
    );
  });

  test('a payload over the limits: 400 invalid_payload', async () => {
    const url = slack.webhook();
    const tooMany: SlackMessage = { ...message, blocks: Array.from({ length: 51 }, () => ({ type: 'divider' as const })) };
    const error = await failure(sendWebhook(new URL(url), tooMany, clock()));
    expect(error.message).toBe("Slack incoming webhook: HTTP 400 invalid_payload: Slack could not read the payload; please report this as a bug with the 'payload' output");
  });

  test('429 honours Retry-After, then succeeds', async () => {
    const url = slack.webhook();
    slack.fault('webhook', { status: 429, retryAfter: '2' });
    const http = clock();
    await sendWebhook(new URL(url), message, http);
    expect(http.waits).toEqual([2000]);
    expect(requestsTo(url).map((r) => r.status)).toEqual([429, 200]);
    expect(http.logs).toEqual([`incoming webhook: the incoming webhook on ${new URL(url).host} answered rate-limited (HTTP 429, Retry-After 2); trying again in 2.0 s (attempt 2)`]);
  });

  test('429 asking for too long a wait gives up at once', async () => {
    const url = slack.webhook();
    slack.fault('webhook', { status: 429, retryAfter: '600' });
    const http = clock();
    const error = await failure(sendWebhook(new URL(url), message, http));
    expect(error.message).toBe(
      'Slack incoming webhook: HTTP 429 rate_limited: Slack rate-limited the webhook (Slack asked to wait 600 s (Retry-After), longer than the 30 s this step waits)',
    );
    expect(http.waits).toEqual([]);
  });

  test('5xx backs off exponentially, then gives up', async () => {
    const url = slack.webhook();
    slack.fault('webhook', { status: 500 }, { status: 502 }, { status: 503 }, { status: 500 });
    const http = clock();
    const error = await failure(sendWebhook(new URL(url), message, http));
    expect(http.waits).toEqual([375, 750, 1500]);
    expect(requestsTo(url)).toHaveLength(4);
    expect(error.message).toBe('Slack incoming webhook: HTTP 500 rollup_error: Slack is having trouble (gave up after 4 attempts)');
  });

  test('nobody listening: retried, then reported without the URL', async () => {
    const gone = await startSlackServer();
    const url = gone.webhook();
    await gone.close();
    const http = clock();
    const error = await failure(sendWebhook(new URL(url), message, { ...http, secrets: [url] }));
    expect(error.code).toBe('network');
    expect(http.waits).toHaveLength(3);
    expect(error.message).toMatch(/^Slack incoming webhook: could not reach the incoming webhook on 127\.0\.0\.1:\d+: connect ECONNREFUSED 127\.0\.0\.1:\d+ \(gave up after 4 attempts\)$/);
    expect(error.message).not.toContain(new URL(url).pathname);
  });
});

describe('Web API', () => {
  const api = () => ({ apiUrl: new URL(slack.apiUrl), token: slack.botToken });

  test('chat.postMessage then chat.update: the same ts, Bearer auth, JSON body', async () => {
    const posted = await callWebApi('chat.postMessage', { channel: '#deploys', ...message }, api(), clock());
    expect(posted.channel).toBe(slack.channel.id);
    const updated = await callWebApi('chat.update', { channel: posted.channel, ts: posted.ts, ...message, text: 'done' }, api(), clock());
    expect(updated).toEqual(posted);
    expect(slack.messages.get(posted.ts)?.updates).toBe(1);
    const last = slack.requests.at(-1)!;
    expect(last.authorization).toBe(`Bearer ${slack.botToken}`);
    expect(last.contentType).toBe('application/json; charset=utf-8');
  });

  test.each([
    [{ channel: '#nope' }, 'chat.postMessage', 'channel_not_found: Slack cannot find \'#nope\': check the name or ID; a private channel is invisible to the app until it is invited (/invite @your-app in the channel)'],
    [{ channel: 'C0OTHERS1' }, 'chat.postMessage', "not_in_channel: the app is not a member of 'C0OTHERS1': invite it there (/invite @your-app), or grant it the chat:write.public scope for public channels"],
    [{ channel: 'C0DEPLOYS1', text: 'x'.repeat(40_001) }, 'chat.postMessage', "msg_too_long: Slack found the message text too long; the text is limited before sending, so please report this as a bug with the 'payload' output"],
    [{ channel: 'C0DEPLOYS1', ts: '1.000001' }, 'chat.update', "message_not_found: there is no message with that update-ts in 'C0DEPLOYS1'"],
  ] as const)('ok:false %#: reported with what to do, not retried', async (args, method, expected) => {
    const before = slack.requests.length;
    const error = await failure(callWebApi(method, { ...message, ...args }, api(), clock()));
    expect(error.message).toBe(`Slack ${method}: ${expected}`);
    expect(slack.requests.length - before).toBe(1);
  });

  test('a wrong token: invalid_auth, and the token is in no message', async () => {
    const token = 'xoxb-wrong-token-0000';
    const error = await failure(callWebApi('chat.postMessage', { channel: 'C0DEPLOYS1', ...message }, { apiUrl: new URL(slack.apiUrl), token }, clock()));
    expect(error.message).toBe(
      'Slack chat.postMessage: invalid_auth: Slack rejected the bot-token: check that the secret holds the current bot token (xoxb-…) of an app installed in the workspace',
    );
  });

  test('429 with Retry-After, then ok', async () => {
    slack.fault('chat.postMessage', { status: 429, retryAfter: '1' });
    const http = clock();
    const posted = await callWebApi('chat.postMessage', { channel: 'C0DEPLOYS1', ...message }, api(), http);
    expect(posted.ts).toMatch(/^\d+\.\d+$/);
    expect(http.waits).toEqual([1000]);
  });

  test('an api-url that is not Slack', async () => {
    const error = await failure(callWebApi('chat.postMessage', { channel: 'C0DEPLOYS1', ...message }, { apiUrl: new URL(`${slack.url}/nothing`), token: slack.botToken }, clock()));
    expect(error.message).toBe(`Slack chat.postMessage: ${new URL(slack.url).host} answered HTTP 404 with something other than a Slack API answer; check 'api-url'`);
  });

  test('a rejected layout asks for a bug report with the payload', async () => {
    slack.fault('chat.postMessage', { error: 'invalid_blocks' });
    const error = await failure(callWebApi('chat.postMessage', { channel: 'C0DEPLOYS1', ...message }, api(), clock()));
    expect(error.code).toBe('invalid_blocks');
    expect(error.message).toBe("Slack chat.postMessage: invalid_blocks: Slack rejected the message layout; please report this as a bug with the 'payload' output");
  });
});
