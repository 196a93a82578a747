import { describe, expect, test } from 'vitest';
import { resolveSlackTarget, type TargetInputs } from '#core/notify/slack-target.js';

const HOOK = 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX';
const TOKEN = 'xoxb-1234-5678-abcdefABCDEF';
const base: TargetInputs = { webhookUrl: '', botToken: '', channel: '', updateTs: '', thread: false, apiUrl: 'https://slack.com/api', dryRun: false };

function problem(inputs: Partial<TargetInputs>): string {
  try {
    resolveSlackTarget({ ...base, ...inputs });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an input error');
}

describe('choosing the transport', () => {
  test('a webhook, or a bot token with a channel', () => {
    expect(resolveSlackTarget({ ...base, webhookUrl: HOOK })).toEqual({ kind: 'webhook', url: new URL(HOOK) });
    expect(resolveSlackTarget({ ...base, botToken: TOKEN, channel: '#deploys', thread: true })).toMatchObject({
      kind: 'web-api',
      channel: '#deploys',
      thread: true,
      apiUrl: new URL('https://slack.com/api'),
    });
    expect(resolveSlackTarget({ ...base, botToken: TOKEN, channel: 'C0123ABCD', updateTs: '1712345678.123456' })).toMatchObject({
      kind: 'web-api',
      updateTs: '1712345678.123456',
    });
  });

  test('neither: an input error that names both ways, unless it is a dry run', () => {
    expect(problem({})).toBe(
      "no way to reach Slack: set 'webhook-url' (an incoming webhook) or 'bot-token' and 'channel' (the Web API); if they come from secrets, those are empty here (forks and Dependabot runs get no secrets)",
    );
    expect(resolveSlackTarget({ ...base, dryRun: true })).toEqual({ kind: 'none' });
  });

  test('both: an error, not a silent preference', () => {
    expect(problem({ webhookUrl: HOOK, botToken: TOKEN, channel: 'C0123ABCD' })).toBe(
      "give either 'webhook-url' (incoming webhook) or 'bot-token' with 'channel' (Web API), not both",
    );
  });

  test('what a webhook cannot do is an error, all problems at once', () => {
    expect(problem({ webhookUrl: HOOK, updateTs: '1712345678.123456', thread: true, channel: '#x' })).toBe(
      [
        '3 inputs are wrong:',
        "- input 'channel' works only with 'bot-token': an incoming webhook always posts to the channel it was created for",
        "- input 'update-ts' needs 'bot-token' and 'channel': an incoming webhook cannot edit a message",
        "- input 'thread' needs 'bot-token' and 'channel': an incoming webhook cannot reply in a thread",
      ].join('\n'),
    );
  });

  test('bot token without channel; update by channel name; a bad ts', () => {
    expect(problem({ botToken: TOKEN })).toBe("input 'channel' is required with 'bot-token' (a channel ID like C0123ABCD, or a name like #deploys)");
    expect(problem({ botToken: TOKEN, channel: '#deploys', updateTs: '1712345678.123456' })).toMatch(
      /^with 'update-ts', input 'channel' must be the channel's ID \(chat.update does not take names\): pass the 'channel' output of the step that posted \(got '#deploys'\)$/,
    );
    expect(problem({ botToken: TOKEN, channel: 'C0123ABCD', updateTs: 'yesterday' })).toMatch(/^input 'update-ts' must be a Slack message ts like 1712345678.123456/);
    expect(problem({ updateTs: '1712345678.123456' })).toMatch(/'channel' and 'update-ts' need 'bot-token' as well/);
  });

  test('URLs: https, or http to loopback only; a secret URL is never repeated', () => {
    for (const bad of ['http://hooks.slack.com/services/T/B/SECRETSECRET', 'not a url SECRETSECRET', 'ftp://x/SECRETSECRET', 'https://user:SECRETSECRET@hooks.slack.com/x']) {
      const message = problem({ webhookUrl: bad });
      expect(message).toMatch(/^input 'webhook-url' must .*\(the value is not shown: it is a secret\)$/);
      expect(message).not.toContain('SECRETSECRET');
    }
    expect(resolveSlackTarget({ ...base, webhookUrl: 'http://127.0.0.1:8080/services/x' }).kind).toBe('webhook');
    expect(problem({ botToken: TOKEN, channel: 'C0123ABCD', apiUrl: 'http://slack.example.com/api' })).toBe(
      "input 'api-url' must use https (plain http only to a loopback address) (got 'http://slack.example.com/api')",
    );
  });

  test('a token that is not a token: said without showing it', () => {
    expect(problem({ botToken: 'https://hooks.slack.com/services/T/B/SECRETSECRET', channel: 'C0123ABCD' })).toBe(
      "input 'bot-token' holds a URL; an incoming webhook URL goes in 'webhook-url' (the value is not shown: it is a secret)",
    );
    expect(problem({ botToken: 'xoxb-SECRET SECRET', channel: 'C0123ABCD' })).toBe(
      "input 'bot-token' contains spaces or control characters (the value is not shown: it is a secret)",
    );
  });
});
