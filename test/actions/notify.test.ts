import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runBundle, type BundleRun } from '../harness/run-bundle.js';
import { startSlackServer, type SlackServer } from '../harness/slack-server.js';

const SHA = '3f2a1c9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39';
const RUN_URL = 'https://github.com/acme/verity-api/actions/runs/4242';
const COMMIT_MESSAGE = [
  'fix(api): don\'t "double-quote" C:\\path\\to\\thing 🚀',
  '',
  'Pinging <!channel> and <!here> should do nothing.',
  'A forged link: <https://evil.example|https://github.com/acme/verity-api>',
  "Backslashes \\n \\t \\\\ and 'single' quotes",
  '::warning::not a workflow command',
  '##[error]not one either',
  'Emoji: 🎉 ✅ 👩‍💻 :tada:',
  '*bold* _italic_ ~strike~ `code` {"json": true}',
  '> not a quote & not an entity &amp;',
  'Refs: #42',
  'Signed-off-by: Dev <dev@example.com>',
].join('\n');

let slack: SlackServer;
beforeAll(async () => {
  slack = await startSlackServer();
});
afterAll(async () => {
  await slack?.close();
});

function run(inputs: Record<string, string>, payload: Record<string, unknown> = {}): Promise<BundleRun> {
  return runBundle('notify', {
    inputs: { app: 'verity-api', environment: 'production', version: '1.4.0', 'api-url': slack.apiUrl, ...inputs },
    context: { sha: SHA, repository: 'acme/verity-api', payload: { sender: { login: 'octocat' }, head_commit: { message: COMMIT_MESSAGE }, ...payload } },
  });
}

function warnings(r: BundleRun): string[] {
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('::warning::'))
    .map((l) => l.slice('::warning::'.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'));
}

function requestsSince(before: number) {
  return slack.requests.slice(before);
}

/** Everything the step left where people or later steps can read it, add-mask commands aside (the runner swallows those). */
function visible(r: BundleRun): string {
  const stdout = r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  return [stdout, r.stderr, r.summary, JSON.stringify(r.outputs), r.envFile, r.stateFile].join('\n');
}

function payloadText(body: unknown): string {
  return JSON.stringify(body);
}

describe('notify bundle: Web API', () => {
  test('post when started, then update the same message with the result', async () => {
    const before = slack.requests.length;
    const started = await run({ status: 'started', 'bot-token': slack.botToken, channel: '#deploys' });
    expect(started.errors).toEqual([]);
    expect(started.exitCode).toBe(0);
    expect(started.outputs.sent).toBe('true');
    expect(started.outputs.channel).toBe(slack.channel.id);
    expect(started.outputs.ts).toMatch(/^\d+\.\d+$/);
    expect(started.stdout).toContain(`Posted message ${started.outputs.ts} in ${slack.channel.id}`);

    const done = await run({ status: 'Success', 'bot-token': slack.botToken, channel: started.outputs.channel!, 'update-ts': started.outputs.ts! });
    expect(done.errors).toEqual([]);
    expect(done.exitCode).toBe(0);
    expect(done.outputs).toMatchObject({ sent: 'true', ts: started.outputs.ts, channel: slack.channel.id });
    expect(requestsSince(before).map((r) => [r.path, r.status])).toEqual([
      ['/api/chat.postMessage', 200],
      ['/api/chat.update', 200],
    ]);
    const message = slack.messages.get(started.outputs.ts!)!;
    expect(message.updates).toBe(1);
    expect(message.payload.text).toBe(':white_check_mark: verity-api 1.4.0 deployed to production');
    expect(JSON.parse(done.outputs.payload!)).toEqual(message.payload);
    expect(done.summary).toContain('### ✅ verity-api 1.4.0 deployed to production');
    expect(done.summary).toContain(`Slack: updated the message in ${slack.channel.id} (ts ${started.outputs.ts}).`);
  });

  test('thread: the changelog goes to a reply in the message thread', async () => {
    const before = slack.requests.length;
    const r = await run({ status: 'started', 'bot-token': slack.botToken, channel: slack.channel.id, thread: 'true', changelog: '### Features\n\n- **api:** faster <things> (abc1234)' });
    expect(r.exitCode).toBe(0);
    const [main, reply] = requestsSince(before);
    expect(payloadText(main?.body)).not.toContain('faster');
    expect(reply?.body).toMatchObject({ channel: slack.channel.id, thread_ts: r.outputs.ts, text: 'Changelog of verity-api 1.4.0' });
    expect(payloadText(reply?.body)).toContain('• *api:* faster &lt;things&gt; (abc1234)');
  });

  test('failure on update: mention in the message, and in a thread reply because edits notify nobody', async () => {
    const started = await run({ status: 'started', 'bot-token': slack.botToken, channel: slack.channel.id });
    const before = slack.requests.length;
    const r = await run({
      status: 'failure',
      'bot-token': slack.botToken,
      channel: slack.channel.id,
      'update-ts': started.outputs.ts!,
      'mention-on-failure': '<!subteam^S0123ABC> <@U0123ABC>',
    });
    expect(r.exitCode).toBe(0);
    const [update, reply] = requestsSince(before);
    expect(update?.path).toBe('/api/chat.update');
    expect(payloadText(update?.body)).toContain('<!subteam^S0123ABC> <@U0123ABC> the deploy failed');
    expect(reply?.body).toMatchObject({ thread_ts: started.outputs.ts });
    expect((reply?.body as { text: string }).text).toMatch(/^<!subteam\^S0123ABC> <@U0123ABC> :x: Deploy of verity-api 1.4.0 to production failed/);
  });

  test('a message that can no longer be updated: a warning, and a new message instead', async () => {
    const r = await run({ status: 'success', 'bot-token': slack.botToken, channel: slack.channel.id, 'update-ts': '1600000000.000001' });
    expect(r.exitCode).toBe(0);
    expect(warnings(r)).toEqual([`Slack chat.update: message_not_found: there is no message with that update-ts in '${slack.channel.id}'\nPosting a new message instead.`]);
    expect(r.outputs.sent).toBe('true');
    expect(r.outputs.ts).not.toBe('1600000000.000001');
  });

  test.each([
    ['#nowhere', "Slack chat.postMessage: channel_not_found: Slack cannot find '#nowhere': check the name or ID; a private channel is invisible to the app until it is invited (/invite @your-app in the channel)"],
    ['#random', "Slack chat.postMessage: not_in_channel: the app is not a member of '#random': invite it there (/invite @your-app), or grant it the chat:write.public scope for public channels"],
  ])('channel %s: a warning that says what to do; the step succeeds', async (channel, message) => {
    const r = await run({ status: 'success', 'bot-token': slack.botToken, channel });
    expect(r.exitCode).toBe(0);
    expect(r.errors).toEqual([]);
    expect(warnings(r)).toEqual([`${message}\nThe notice was not sent; the step goes on because fail-on-error is false.`]);
    expect(r.outputs).toMatchObject({ sent: 'false', ts: '', channel: '' });
    expect(JSON.parse(r.outputs.payload!).channel).toBe(channel);
    expect(r.summary).toContain('Slack: **not sent**');
  });

  test('a wrong token with fail-on-error: the step fails, and the token is nowhere', async () => {
    const token = 'xoxb-9999-wrong-token-do-not-print';
    const r = await run({ status: 'success', 'bot-token': token, channel: slack.channel.id, 'fail-on-error': 'true' });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual([
      'Slack chat.postMessage: invalid_auth: Slack rejected the bot-token: check that the secret holds the current bot token (xoxb-…) of an app installed in the workspace',
    ]);
    expect(r.stdout).toContain(`::add-mask::${token}`);
    expect(visible(r)).not.toContain(token);
    expect(slack.requests.at(-1)?.authorization).toBe(`Bearer ${token}`);
  });
});

describe('notify bundle: incoming webhook', () => {
  test('a 12-line commit message with quotes, backslashes, emoji and <!channel> arrives intact and harmless', async () => {
    const webhook = slack.webhook();
    const r = await run({ status: 'success', 'webhook-url': webhook, 'mention-on-failure': '<!here>' });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ sent: 'true', ts: '', channel: '' });
    const sent = slack.webhookPosts.at(-1)!;
    expect(JSON.parse(r.outputs.payload!)).toEqual(sent);
    const commit = JSON.stringify(sent).match(/"text":"(>fix\(api\)[^]*?)","verbatim"/)?.[1];
    expect(commit).toBeDefined();
    const lines = (JSON.parse(`"${commit}"`) as string).split('\n');
    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe('>fix(api): don\'t "double-quote" C:\\path\\to\\thing 🚀');
    expect(lines[2]).toBe('>Pinging &lt;!channel&gt; and &lt;!here&gt; should do nothing.');
    expect(lines[3]).toBe('>A forged link: &lt;https://evil.example|https://github.com/acme/verity-api&gt;');
    expect(lines[4]).toBe(">Backslashes \\n \\t \\\\ and 'single' quotes");
    expect(lines[7]).toBe('>Emoji: 🎉 ✅ 👩‍💻 :tada:');
    expect(lines[9]).toBe('>&gt; not a quote &amp; not an entity &amp;amp;');
    // No mention anywhere: success never mentions, and the commit's mentions are text.
    expect(JSON.stringify(sent)).not.toMatch(/<!(channel|here)>/);
    // The commit cannot speak to the runner through the log.
    expect(r.stdout.split('\n').filter((l) => /^::(warning|error)::|##\[error\]/.test(l))).toEqual([]);
    expect(r.summary).toContain('> Pinging &lt;\\!channel&gt; and &lt;\\!here&gt; should do nothing.');
  });

  test('a 40 KB changelog: cut within Slack limits with a link to the run; the summary has all of it', async () => {
    const lines = Array.from({ length: 700 }, (_, i) => `- **scope${i}:** change number ${i} with <html> & more words here (abc${String(i).padStart(4, '0')})`);
    const changelog = `### Features\n\n${lines.join('\n')}`;
    expect(changelog.length).toBeGreaterThan(40_000);
    const webhook = slack.webhook();
    const r = await run({ status: 'success', 'webhook-url': webhook, changelog });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    const sent = JSON.stringify(slack.webhookPosts.at(-1));
    expect(sent).toContain('*Changelog*\\n*Features*');
    expect(sent).toMatch(new RegExp(`more lines of the changelog are not shown here: <${RUN_URL}\\|the full changelog is in the run summary>`));
    expect(sent.length).toBeLessThan(20_000);
    expect(r.stdout).toMatch(/changelog cut to \d+ of 702 lines to stay within Slack's limits; the job summary has all of it/);
    expect(r.summary).toContain('- **scope699:** change number 699 with &lt;html> & more words here (abc0699)');
  });

  test('429 with Retry-After: waits and sends once', async () => {
    const webhook = slack.webhook();
    const before = slack.requests.length;
    slack.fault('webhook', { status: 429, retryAfter: '1' });
    const r = await run({ status: 'success', 'webhook-url': webhook });
    expect(r.exitCode).toBe(0);
    expect(requestsSince(before).map((q) => q.status)).toEqual([429, 200]);
    expect(r.stdout).toMatch(/answered rate-limited \(HTTP 429, Retry-After 1\); trying again in 1\.0 s \(attempt 2\)/);
  });

  test.each([
    ['channel_is_archived', 'HTTP 410 channel_is_archived: the webhook\'s channel is archived: unarchive it, or create a webhook for another channel and update the secret'],
    ['action_prohibited', 'HTTP 403 action_prohibited: a workspace policy stops this webhook from posting to its channel'],
    ['channel_not_found', 'HTTP 404 channel_not_found: the webhook\'s channel no longer exists: create a new incoming webhook and update the secret'],
    ['invalid_payload', "HTTP 400 invalid_payload: Slack could not read the payload; please report this as a bug with the 'payload' output"],
  ] as const)('%s: a warning the user can act on, never the URL', async (behaviour, message) => {
    const webhook = slack.webhook(behaviour);
    const r = await run({ status: 'success', 'webhook-url': webhook });
    expect(r.exitCode).toBe(0);
    expect(warnings(r)).toEqual([`Slack incoming webhook: ${message}\nThe notice was not sent; the step goes on because fail-on-error is false.`]);
    expect(visible(r)).not.toContain(new URL(webhook).pathname);
  });

  describe('Slack down', () => {
    test('fail-on-error false: retried with backoff, then a warning; the step succeeds', async () => {
      const webhook = slack.webhook();
      slack.fault('webhook', { status: 500 }, { status: 503 }, { status: 500 }, { status: 500 });
      const r = await run({ status: 'failure', 'webhook-url': webhook });
      expect(r.exitCode).toBe(0);
      expect(r.errors).toEqual([]);
      expect(warnings(r)).toEqual([
        'Slack incoming webhook: HTTP 500 rollup_error: Slack is having trouble (gave up after 4 attempts)\nThe notice was not sent; the step goes on because fail-on-error is false.',
      ]);
      expect(r.stdout.match(/trying again in/g)).toHaveLength(3);
      expect(r.outputs.sent).toBe('false');
      expect(JSON.parse(r.outputs.payload!).text).toBe(':x: Deploy of verity-api 1.4.0 to production failed');
      expect(r.summary).toContain('### ❌ Deploy of verity-api 1.4.0 to production failed');
    });

    test('fail-on-error true: the step fails with the reason', async () => {
      const webhook = slack.webhook();
      slack.fault('webhook', { status: 500 }, { status: 500 }, { status: 502 }, { status: 503, body: 'upstream down' });
      const r = await run({ status: 'success', 'webhook-url': webhook, 'fail-on-error': 'true' });
      expect(r.exitCode).toBe(1);
      expect(r.errors).toEqual(['Slack incoming webhook: HTTP 503: Slack is having trouble (gave up after 4 attempts)']);
      expect(r.outputs.sent).toBe('false');
      expect(r.summary).toContain('Slack: **not sent**');
      expect(visible(r)).not.toContain(new URL(webhook).pathname);
    });
  });
});

describe('notify bundle: dry run', () => {
  test('builds and shows the payload, sends nothing, needs no transport', async () => {
    const before = slack.requests.length;
    const r = await run({ status: 'cancelled', 'dry-run': 'true', fields: 'Region=eu-west-1\nOwner=team <platform>' });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(slack.requests.length).toBe(before);
    expect(r.outputs.sent).toBe('false');
    const payload = JSON.parse(r.outputs.payload!);
    expect(payload.text).toBe(':no_entry_sign: Deploy of verity-api 1.4.0 to production was cancelled');
    expect(JSON.stringify(payload)).toContain('*Owner*\\nteam &lt;platform&gt;');
    expect(JSON.stringify(payload)).toContain('*By*\\noctocat');
    expect(r.stdout).toContain('::group::Slack payload (dry run, not sent)');
    expect(r.stdout).toContain('"text": ":no_entry_sign: Deploy of verity-api 1.4.0 to production was cancelled"');
    expect(r.summary).toContain('Slack: dry run, nothing sent (no Slack transport configured).');
    expect(r.summary).toContain('<details><summary>Slack payload</summary>');
  });

  test('with a webhook and a token given, neither is shown anywhere', async () => {
    const webhook = slack.webhook();
    const hook = await run({ status: 'success', 'dry-run': 'true', 'webhook-url': webhook });
    expect(hook.exitCode).toBe(0);
    expect(hook.stdout).toContain(`::add-mask::${webhook}`);
    for (const secret of [webhook, new URL(webhook).pathname]) expect(visible(hook)).not.toContain(secret);
    expect(hook.stdout).toContain(`sending through the incoming webhook on ${new URL(webhook).host} (dry run: nothing is sent)`);

    const api = await run({ status: 'success', 'dry-run': 'true', 'bot-token': slack.botToken, channel: slack.channel.id });
    expect(api.exitCode).toBe(0);
    expect(visible(api)).not.toContain(slack.botToken);
    expect(JSON.parse(api.outputs.payload!).channel).toBe(slack.channel.id);
  });
});

describe('notify bundle: inputs a user gets wrong', () => {
  test.each([
    [{}, "input 'status' is required"],
    [{ status: 'done', 'webhook-url': 'WEBHOOK' }, "input 'status' must be one of started, success, failure, cancelled, skipped (any case; ${{ job.status }} works as it is) (got 'done')"],
    [{ status: 'success' }, "no way to reach Slack: set 'webhook-url' (an incoming webhook) or 'bot-token' and 'channel' (the Web API); if they come from secrets, those are empty here (forks and Dependabot runs get no secrets)"],
    [{ status: 'success', 'webhook-url': 'WEBHOOK', 'bot-token': 'TOKEN', channel: 'C0DEPLOYS1' }, "give either 'webhook-url' (incoming webhook) or 'bot-token' with 'channel' (Web API), not both"],
    [{ status: 'success', 'webhook-url': 'WEBHOOK', 'update-ts': '1712000001.000001' }, "input 'update-ts' needs 'bot-token' and 'channel': an incoming webhook cannot edit a message"],
    [{ status: 'success', 'bot-token': 'TOKEN' }, "input 'channel' is required with 'bot-token' (a channel ID like C0123ABCD, or a name like #deploys)"],
    [{ status: 'failure', 'webhook-url': 'WEBHOOK', 'mention-on-failure': '@oncall' }, "input 'mention-on-failure' takes Slack mentions only: a user group <!subteam^S0123>, a user <@U0123>, <!here> or <!channel> (IDs, not names: find a group's ID in its profile, a user's under \"Copy member ID\") (got '@oncall')"],
    [{ status: 'success', 'webhook-url': 'WEBHOOK', fields: 'Region=eu\nOwner' }, "input 'fields': each line must be KEY=VALUE (got 'Owner')"],
    [{ status: 'success', 'webhook-url': 'WEBHOOK', 'commit-url': 'javascript:alert(1)' }, "input 'commit-url' must be an http(s) URL (got 'javascript:alert(1)')"],
    [{ status: 'success', 'webhook-url': 'http://hooks.example.com/services/T0/B0/s3cr3t-webhook-path' }, "input 'webhook-url' must use https (plain http only to a loopback address) (the value is not shown: it is a secret)"],
    [{ status: 'success', 'webhook-url': 'WEBHOOK', 'fail-on-error': 'yes' }, "input 'fail-on-error' must be true or false (got 'yes')"],
    [
      { status: 'success', 'webhook-url': 'WEBHOOK', 'health-status': 'Green' },
      "input 'health-status' must be one of Argo CD's Healthy, Progressing, Degraded, Suspended, Missing, Unknown (e.g. the wait-for-sync action's 'health-status' output) (got 'Green')",
    ],
    [
      { status: 'success', 'webhook-url': 'WEBHOOK', 'sync-status': 'InSync' },
      "input 'sync-status' must be one of Argo CD's Synced, OutOfSync, Unknown (e.g. the wait-for-sync action's 'sync-status' output) (got 'InSync')",
    ],
  ])('%j', async (given, message) => {
    const inputs = Object.fromEntries(
      Object.entries(given).map(([k, v]) => [k, v === 'WEBHOOK' ? slack.webhook() : v === 'TOKEN' ? slack.botToken : v]),
    );
    const before = slack.requests.length;
    const r = await runBundle('notify', { inputs: { 'api-url': slack.apiUrl, ...inputs }, context: { repository: 'acme/verity-api' } });
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual([message]);
    expect(Object.keys(r.outputs).sort()).toEqual(['channel', 'payload', 'sent', 'ts']);
    expect(slack.requests.length).toBe(before);
    for (const secret of [inputs['webhook-url'], inputs['bot-token']]) if (secret) expect(visible(r)).not.toContain(secret);
  });
});

describe('notify bundle with config (gitops.yaml)', () => {
  const CONFIG = `app: verity-api
notify: { slack: { channel: '#random', mention-on-failure: ['<!here>'] } }
environments:
  staging: {}
  production:
    notify: { slack: { channel: C0DEPLOYS1, mention-on-failure: ['<!subteam^S0123ABC>'] } }
`;

  function workspace(config = CONFIG): string {
    const dir = mkdtempSync(join(tmpdir(), 'notify-config-'));
    writeFileSync(join(dir, 'gitops.yaml'), config);
    return dir;
  }

  function configured(inputs: Record<string, string>, config = CONFIG): Promise<BundleRun> {
    return runBundle('notify', {
      workspace: workspace(config),
      inputs: { config: 'gitops.yaml', 'api-url': slack.apiUrl, 'bot-token': slack.botToken, version: '1.4.0', ...inputs },
      context: { sha: SHA, repository: 'acme/verity-api' },
    });
  }

  test("only config, environment and the token: the environment's channel and mentions, the file's app", async () => {
    const before = slack.requests.length;
    const r = await configured({ status: 'failure', environment: 'production' });
    expect(r.errors).toEqual([]);
    expect(r.stdout).toContain('gitops.yaml for production: channel, app, mention-on-failure');
    expect(r.outputs).toMatchObject({ sent: 'true', channel: slack.channel.id });
    const [post] = requestsSince(before);
    expect(post?.body).toMatchObject({ channel: 'C0DEPLOYS1' });
    expect(payloadText(post?.body)).toContain('<!subteam^S0123ABC> the deploy failed');
    expect(payloadText(post?.body)).toContain('verity-api 1.4.0');
  });

  test('an explicit input beats the file', async () => {
    const before = slack.requests.length;
    const r = await configured({ status: 'success', environment: 'staging', channel: slack.channel.id });
    expect(r.errors).toEqual([]);
    expect(r.outputs.sent).toBe('true');
    expect(requestsSince(before)[0]?.body).toMatchObject({ channel: slack.channel.id });
    expect(r.stdout).toContain('(given as inputs, so not from the file: channel)');
  });

  test.each([
    ['an unknown environment', { environment: 'producton' }, CONFIG, "gitops.yaml has no environment 'producton', did you mean 'production'? (environments: production, staging)"],
    ['no environment', {}, CONFIG, "input 'environment' is required with 'config': which environment of gitops.yaml (production, staging)?"],
    ['a broken gitops.yaml', { environment: 'staging' }, CONFIG.replace("channel: '#random'", 'webhook-url: https://hooks.slack.com/services/T0/B0/x'), /^gitops\.yaml:2:20: notify\.slack\.webhook-url: unknown key: a secret does not belong in gitops\.yaml/],
  ])('%s: a clear error, nothing sent', async (_name, inputs, config, message) => {
    const before = slack.requests.length;
    const r = await configured({ status: 'success', ...inputs }, config);
    expect(r.exitCode).toBe(1);
    expect(r.errors).toHaveLength(1);
    if (typeof message === 'string') expect(r.errors[0]).toBe(message);
    else expect(r.errors[0]).toMatch(message);
    expect(slack.requests.length).toBe(before);
  });
});
