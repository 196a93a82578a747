import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Slack on loopback that enforces what Slack enforces, so the
 * notify tests talk to something that can say no:
 *
 * - incoming webhooks at `/services/T…/B…/<secret>`: `200 ok`, or the status and
 *   short body Slack documents (`400 invalid_payload`, `403 action_prohibited`,
 *   `404 channel_not_found`, `404 no_service` for an unknown hook,
 *   `410 channel_is_archived`, `500 rollup_error`);
 * - the Web API at `/api/chat.postMessage` and `/api/chat.update`: `Authorization:
 *   Bearer <token>` required (`not_authed`, `invalid_auth`), JSON bodies, HTTP 200
 *   with `ok: true` and the message's `channel` and `ts`, or `ok: false` with
 *   `channel_not_found`, `not_in_channel`, `message_not_found`, `msg_too_long`,
 *   `invalid_blocks`, …;
 * - Block Kit limits checked on every payload: 50 blocks (attachments included),
 *   header plain_text of 150, section text of 3,000, 10 fields of 2,000,
 *   10 context elements, top-level text of 40,000;
 * - faults queued per endpoint: `429` with Retry-After, `5xx`, or a forced
 *   `ok: false` error, answered before the normal behaviour.
 *
 * Every request is recorded, headers and parsed body included.
 */

export type WebhookBehaviour =
  | 'ok'
  | 'invalid_payload'
  | 'action_prohibited'
  | 'channel_not_found'
  | 'channel_is_archived'
  | 'rollup_error';

export type Endpoint = 'webhook' | 'chat.postMessage' | 'chat.update';

export type Fault =
  | { status: 429; retryAfter?: string }
  | { status: 500 | 502 | 503 | 504; body?: string }
  /** An `ok: false` answer (Web API) or the matching webhook status. */
  | { error: string };

export interface RecordedRequest {
  endpoint: Endpoint | 'unknown';
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** What the server answered: the HTTP status, and the Slack error code if any. */
  status: number;
  error?: string;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  payload: Record<string, unknown>;
  /** How many times chat.update changed it. */
  updates: number;
}

export interface SlackServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The Web API base, as the `api-url` input takes it. */
  apiUrl: string;
  /** The bot token the Web API accepts. */
  botToken: string;
  /** A channel the app is a member of. */
  channel: { id: string; name: string };
  /** A public channel the app was never invited to. */
  otherChannel: { id: string; name: string };
  /** A fresh incoming webhook URL answering as `behaviour` says. */
  webhook(behaviour?: WebhookBehaviour): string;
  /** Queues answers for the next requests to an endpoint, in order. */
  fault(endpoint: Endpoint, ...faults: Fault[]): void;
  requests: RecordedRequest[];
  /** Messages posted through the Web API, by ts. */
  messages: Map<string, StoredMessage>;
  /** Payloads accepted by webhooks, in order. */
  webhookPosts: Record<string, unknown>[];
  close(): Promise<void>;
}

const LIMITS = { blocks: 50, header: 150, section: 3000, fields: 10, field: 2000, contextElements: 10, text: 40_000 };

const WEBHOOK_STATUS: Record<string, number> = {
  invalid_payload: 400,
  no_text: 400,
  user_not_found: 400,
  action_prohibited: 403,
  invalid_token: 403,
  channel_not_found: 404,
  no_service: 404,
  channel_is_archived: 410,
  rollup_error: 500,
};

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function textObject(v: unknown, types: readonly string[], max: number): boolean {
  return isObject(v) && types.includes(v.type as string) && typeof v.text === 'string' && v.text.length > 0 && v.text.length <= max;
}

/** Slack's verdict on a block, or undefined when it is fine. */
function blockProblem(block: unknown): string | undefined {
  if (!isObject(block)) return 'a block is not an object';
  switch (block.type) {
    case 'header':
      return textObject(block.text, ['plain_text'], LIMITS.header) ? undefined : `header text must be plain_text of 1 to ${LIMITS.header}`;
    case 'section': {
      if (block.text === undefined && block.fields === undefined) return 'section without text or fields';
      if (block.text !== undefined && !textObject(block.text, ['mrkdwn', 'plain_text'], LIMITS.section)) return `section text must be 1 to ${LIMITS.section}`;
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length === 0 || block.fields.length > LIMITS.fields) return `section fields must be 1 to ${LIMITS.fields}`;
        if (!block.fields.every((f) => textObject(f, ['mrkdwn', 'plain_text'], LIMITS.field))) return `each field must be 1 to ${LIMITS.field}`;
      }
      return undefined;
    }
    case 'context':
      if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > LIMITS.contextElements) {
        return `context elements must be 1 to ${LIMITS.contextElements}`;
      }
      return block.elements.every((e) => textObject(e, ['mrkdwn', 'plain_text'], LIMITS.section)) ? undefined : 'bad context element';
    case 'divider':
      return undefined;
    default:
      return `unknown block type ${String(block.type)}`;
  }
}

/** The error code Slack would answer for this message payload, or undefined when it would take it. */
export function payloadProblem(payload: Json): { code: string; why: string } | undefined {
  const blocks: unknown[] = [];
  if (payload.blocks !== undefined) {
    if (!Array.isArray(payload.blocks)) return { code: 'invalid_blocks_format', why: 'blocks is not an array' };
    blocks.push(...payload.blocks);
  }
  if (payload.attachments !== undefined) {
    if (!Array.isArray(payload.attachments)) return { code: 'invalid_attachments', why: 'attachments is not an array' };
    for (const a of payload.attachments) {
      if (!isObject(a)) return { code: 'invalid_attachments', why: 'an attachment is not an object' };
      if (a.blocks !== undefined) {
        if (!Array.isArray(a.blocks)) return { code: 'invalid_attachments', why: 'attachment blocks is not an array' };
        blocks.push(...a.blocks);
      }
    }
  }
  const text = payload.text;
  if (text !== undefined && typeof text !== 'string') return { code: 'invalid_arguments', why: 'text is not a string' };
  if (!text && blocks.length === 0) return { code: 'no_text', why: 'neither text nor blocks' };
  if (typeof text === 'string' && text.length > LIMITS.text) return { code: 'msg_too_long', why: `text of ${text.length}` };
  if (blocks.length > LIMITS.blocks) return { code: 'invalid_blocks', why: `${blocks.length} blocks` };
  for (const [i, b] of blocks.entries()) {
    const problem = blockProblem(b);
    if (problem) return { code: 'invalid_blocks', why: `block ${i}: ${problem}` };
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSlackServer(): Promise<SlackServer> {
  const botToken = `xoxb-0000000000-${randomBytes(12).toString('hex')}`;
  const channel = { id: 'C0DEPLOYS1', name: 'deploys' };
  const otherChannel = { id: 'C0OTHERS1', name: 'random' };
  const hooks = new Map<string, WebhookBehaviour>();
  const faults: Record<Endpoint, Fault[]> = { webhook: [], 'chat.postMessage': [], 'chat.update': [] };
  const requests: RecordedRequest[] = [];
  const messages = new Map<string, StoredMessage>();
  const webhookPosts: Json[] = [];
  let clock = 1_712_000_000;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {}
    const endpoint: Endpoint | 'unknown' = url.pathname.startsWith('/services/')
      ? 'webhook'
      : url.pathname === '/api/chat.postMessage'
        ? 'chat.postMessage'
        : url.pathname === '/api/chat.update'
          ? 'chat.update'
          : 'unknown';
    const record: RecordedRequest = {
      endpoint,
      method: req.method ?? '',
      path: url.pathname,
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body,
      status: 0,
    };
    requests.push(record);

    const text = (status: number, answer: string, headers: Record<string, string> = {}) => {
      record.status = status;
      if (answer !== 'ok') record.error = answer;
      res.writeHead(status, { 'Content-Type': 'text/html', ...headers });
      res.end(answer);
    };
    const json = (answer: Json, status = 200, headers: Record<string, string> = {}) => {
      record.status = status;
      if (answer.ok !== true && typeof answer.error === 'string') record.error = answer.error;
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(answer));
    };

    if (endpoint === 'unknown') return text(404, 'not_found');
    if (req.method !== 'POST') return text(405, 'method_not_allowed');

    const fault = faults[endpoint].shift();
    if (fault && 'status' in fault) {
      if (fault.status === 429) {
        const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'Retry-After': fault.retryAfter };
        return endpoint === 'webhook' ? text(429, 'rate_limited', headers) : json({ ok: false, error: 'ratelimited' }, 429, headers);
      }
      return endpoint === 'webhook' ? text(fault.status, fault.body ?? 'rollup_error') : text(fault.status, fault.body ?? '<html>Service Unavailable</html>');
    }

    if (endpoint === 'webhook') {
      const behaviour = hooks.get(url.pathname);
      if (behaviour === undefined) return text(404, 'no_service');
      if (fault && 'error' in fault) return text(WEBHOOK_STATUS[fault.error] ?? 400, fault.error);
      if (behaviour !== 'ok') return text(WEBHOOK_STATUS[behaviour]!, behaviour);
      if (!(req.headers['content-type'] ?? '').startsWith('application/json') || !isObject(body)) return text(400, 'invalid_payload');
      if (body.channel !== undefined || body.ts !== undefined) return text(400, 'invalid_payload');
      const problem = payloadProblem(body);
      if (problem) return text(400, problem.code === 'no_text' ? 'no_text' : 'invalid_payload');
      webhookPosts.push(body);
      return text(200, 'ok');
    }

    // The Web API: auth first, as Slack checks it before anything else.
    const auth = req.headers.authorization;
    if (!auth) return json({ ok: false, error: 'not_authed' });
    if (auth !== `Bearer ${botToken}`) return json({ ok: false, error: 'invalid_auth' });
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('application/json')) return json({ ok: false, error: 'invalid_arguments' });
    if (!isObject(body)) return json({ ok: false, error: 'invalid_json' });
    const warning = /charset=utf-8/i.test(contentType) ? {} : { warning: 'missing_charset', response_metadata: { warnings: ['missing_charset'] } };
    if (fault && 'error' in fault) return json({ ok: false, error: fault.error, ...warning });

    const target = typeof body.channel === 'string' ? body.channel : '';
    if (!target) return json({ ok: false, error: 'channel_not_found' });
    const byName = (c: { id: string; name: string }) => target === c.id || (endpoint === 'chat.postMessage' && (target === c.name || target === `#${c.name}`));
    if (byName(otherChannel)) return json({ ok: false, error: 'not_in_channel' });
    if (!byName(channel)) return json({ ok: false, error: 'channel_not_found' });
    const problem = payloadProblem(body);
    if (problem) return json({ ok: false, error: problem.code, ...warning });

    if (endpoint === 'chat.postMessage') {
      const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
      if (threadTs !== undefined && !messages.has(threadTs)) return json({ ok: false, error: 'thread_not_found' });
      clock++;
      const ts = `${clock}.${String(requests.length).padStart(6, '0')}`;
      messages.set(ts, { channel: channel.id, ts, ...(threadTs ? { threadTs } : {}), payload: body, updates: 0 });
      return json({ ok: true, channel: channel.id, ts, message: { type: 'message', text: body.text, ts }, ...warning });
    }
    const ts = typeof body.ts === 'string' ? body.ts : '';
    const stored = messages.get(ts);
    if (!stored || stored.channel !== channel.id) return json({ ok: false, error: 'message_not_found' });
    stored.payload = body;
    stored.updates++;
    return json({ ok: true, channel: channel.id, ts, text: body.text, message: { text: body.text }, ...warning });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    apiUrl: `${base}/api`,
    botToken,
    channel,
    otherChannel,
    webhook(behaviour = 'ok') {
      const path = `/services/T0HARNESS/B0${randomBytes(4).toString('hex').toUpperCase()}/${randomBytes(12).toString('hex')}`;
      hooks.set(path, behaviour);
      return `${base}${path}`;
    },
    fault(endpoint, ...list) {
      faults[endpoint].push(...list);
    },
    requests,
    messages,
    webhookPosts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
