import { InputError } from '../errors/errors.js';

/**
 * Where the notice goes, decided once from the inputs: an incoming webhook,
 * the Web API with a bot token and channel, or nowhere (dry-run only). The
 * rules, with every problem reported at once:
 *
 * - exactly one transport: `webhook-url`, or `bot-token` + `channel`; both is an
 *   error rather than a silent preference, since they may post to different channels;
 * - `update-ts` and `thread` need the Web API (a webhook can neither edit nor reply),
 *   and `update-ts` needs the channel's ID, which chat.update requires;
 * - URLs are https; plain http only to a loopback address (a local proxy, tests);
 *   `api-url` is checked only when the Web API is used;
 * - secret values are never repeated in a message.
 */

export type SlackTarget =
  | { kind: 'webhook'; url: URL }
  | { kind: 'web-api'; apiUrl: URL; token: string; channel: string; updateTs: string; thread: boolean }
  | { kind: 'none' };

export interface TargetInputs {
  webhookUrl: string;
  botToken: string;
  channel: string;
  updateTs: string;
  thread: boolean;
  apiUrl: string;
  dryRun: boolean;
}

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;
const CHANNEL = /^(?:#?[a-z0-9][a-z0-9._-]{0,79}|[CGDUW][A-Z0-9]{6,})$/;
const TS = /^\d{6,}\.\d{1,9}$/;

function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(url.hostname);
}

/** An http(s) URL or a problem; `secret` keeps the value out of the problem. */
function checkUrl(name: string, raw: string, secret: boolean, problems: string[]): URL | undefined {
  const shown = secret ? '(the value is not shown: it is a secret)' : `(got '${raw.length > 80 ? `${raw.slice(0, 77)}...` : raw}')`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`input '${name}' must be an https:// URL ${shown}`);
    return undefined;
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url))) {
    if (url.username || url.password) {
      problems.push(`input '${name}' must not carry a user or password ${shown}`);
      return undefined;
    }
    return url;
  }
  problems.push(
    url.protocol === 'http:'
      ? `input '${name}' must use https (plain http only to a loopback address) ${shown}`
      : `input '${name}' must be an https:// URL ${shown}`,
  );
  return undefined;
}

export function resolveSlackTarget(inputs: TargetInputs): SlackTarget {
  const problems: string[] = [];
  const { webhookUrl, botToken, channel, updateTs, thread } = inputs;
  let target: SlackTarget = { kind: 'none' };

  if (webhookUrl && botToken) {
    problems.push(`give either 'webhook-url' (incoming webhook) or 'bot-token' with 'channel' (Web API), not both`);
  } else if (webhookUrl) {
    const url = checkUrl('webhook-url', webhookUrl, true, problems);
    if (channel) problems.push(`input 'channel' works only with 'bot-token': an incoming webhook always posts to the channel it was created for`);
    if (updateTs) problems.push(`input 'update-ts' needs 'bot-token' and 'channel': an incoming webhook cannot edit a message`);
    if (thread) problems.push(`input 'thread' needs 'bot-token' and 'channel': an incoming webhook cannot reply in a thread`);
    if (url) target = { kind: 'webhook', url };
  } else if (botToken) {
    if (/^https?:\/\//i.test(botToken)) problems.push(`input 'bot-token' holds a URL; an incoming webhook URL goes in 'webhook-url' (the value is not shown: it is a secret)`);
    else if (!/^[\x21-\x7e]+$/.test(botToken)) problems.push(`input 'bot-token' contains spaces or control characters (the value is not shown: it is a secret)`);
    if (!channel) problems.push(`input 'channel' is required with 'bot-token' (a channel ID like C0123ABCD, or a name like #deploys)`);
    else if (!CHANNEL.test(channel)) problems.push(`input 'channel' must be a channel ID like C0123ABCD or a name like #deploys (got '${channel.slice(0, 80)}')`);
    else if (updateTs && !CHANNEL_ID.test(channel)) {
      problems.push(
        `with 'update-ts', input 'channel' must be the channel's ID (chat.update does not take names): pass the 'channel' output of the step that posted (got '${channel.slice(0, 80)}')`,
      );
    }
    const apiUrl = checkUrl('api-url', inputs.apiUrl, false, problems);
    if (apiUrl) target = { kind: 'web-api', apiUrl, token: botToken, channel, updateTs, thread };
  } else {
    if (channel || updateTs) problems.push(`'channel' and 'update-ts' need 'bot-token' as well`);
    if (!inputs.dryRun) {
      problems.push(
        `no way to reach Slack: set 'webhook-url' (an incoming webhook) or 'bot-token' and 'channel' (the Web API); ` +
          `if they come from secrets, those are empty here (forks and Dependabot runs get no secrets)`,
      );
    }
  }
  if (updateTs && !TS.test(updateTs)) {
    problems.push(`input 'update-ts' must be a Slack message ts like 1712345678.123456, the 'ts' output of the step that posted (got '${updateTs.slice(0, 40)}')`);
  }
  if (problems.length === 1) throw new InputError(problems[0]!);
  if (problems.length > 1) throw new InputError(`${problems.length} inputs are wrong:\n- ${problems.join('\n- ')}`);
  return target;
}
