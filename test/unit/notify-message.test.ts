import { describe, expect, test } from 'vitest';
import { allBlocks, limitViolations, SLACK_LIMITS, textLength, type SlackMessage } from '#core/notify/block-kit.js';
import { buildDeployMessages } from '#core/notify/deploy-message.js';
import { deployNotice, type DeployNotice } from '#core/notify/deploy-notice.js';
import type { RunContext } from '#core/runtime/runtime.js';
import { payloadProblem } from '../harness/slack-server.js';

const SHA = '3f2a1c9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39';
const COMMIT_MESSAGE = [
  'fix(api): don\'t "double-quote" C:\\path\\to\\thing 🚀',
  '',
  'Pinging <!channel> and <!here> and <@U0123ABC> should do nothing.',
  'A forged link: <https://evil.example|https://github.com/acme/verity-api>',
  'Entities typed out: &lt;!channel&gt; &amp;',
  "Backslashes \\n \\t \\\\ and 'single' quotes",
  '::warning::not a workflow command',
  'Emoji: 🎉 ✅ 👩‍💻 :tada:',
  '*bold* _italic_ ~strike~ `code`',
  '> not a quote',
  'Refs: #42',
  'Signed-off-by: Dev <dev@example.com>',
].join('\n');

function context(payload: Record<string, unknown> = {}): RunContext {
  return {
    eventName: 'push',
    ref: 'refs/heads/main',
    headRef: '',
    sha: SHA,
    repository: 'acme/verity-api',
    workspace: '/tmp',
    runnerTemp: '/tmp',
    toolCache: '',
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    actor: 'octocat',
    runId: '4242',
    payload: { sender: { login: 'octocat' }, head_commit: { message: COMMIT_MESSAGE }, ...payload },
  };
}

function notice(overrides: Partial<Parameters<typeof deployNotice>[0]> = {}, payload: Record<string, unknown> = {}): DeployNotice {
  return deployNotice(
    {
      status: 'success',
      title: '',
      app: 'verity-api',
      environment: 'production',
      version: '1.4.0',
      image: `ghcr.io/acme/verity-api@sha256:${'ab'.repeat(32)}`,
      commitUrl: '',
      gitopsCommitUrl: 'https://github.com/acme/gitops/commit/abc',
      pullRequestUrl: '',
      changelog: '### Features\n\n- **api:** a thing (abc1234)',
      fields: {},
      mentions: [],
      ...overrides,
    },
    context(payload),
  );
}

/** Every mrkdwn text in a message, joined. */
function mrkdwn(message: SlackMessage): string {
  return [message.text, ...allBlocks(message).flatMap((b) => JSON.stringify(b))].join('\n');
}

function expectWithinLimits(message: SlackMessage) {
  expect(limitViolations(message)).toEqual([]);
  expect(payloadProblem(message as unknown as Record<string, unknown>)).toBeUndefined();
}

describe('the notice from the run', () => {
  test('actor, commit, links from the context; the app defaults to the repository name', () => {
    const n = notice({ app: '' });
    expect(n.actor).toBe('octocat');
    expect(n.app).toBe('verity-api');
    expect(n.commitUrl).toBe(`https://github.com/acme/verity-api/commit/${SHA}`);
    expect(n.runUrl).toBe('https://github.com/acme/verity-api/actions/runs/4242');
    expect(n.commitMessage).toBe(COMMIT_MESSAGE);
  });

  test('a pull request: its head commit and title', () => {
    const n = notice({}, { head_commit: undefined, pull_request: { title: 'Add <b>', head: { sha: 'c'.repeat(40) } } });
    expect(n.sha).toBe('c'.repeat(40));
    expect(n.commitMessage).toBe('Add <b>');
  });
});

describe('the message', () => {
  test('header with the status emoji, colour bar, facts, links; fallback text for notifications', () => {
    const { main, details, mentionReply } = buildDeployMessages(notice(), { thread: false });
    expectWithinLimits(main);
    expect(details).toBeUndefined();
    expect(mentionReply).toBeUndefined();
    expect(main.text).toBe(':white_check_mark: verity-api 1.4.0 deployed to production');
    expect(main.blocks).toEqual([{ type: 'header', text: { type: 'plain_text', text: ':white_check_mark: verity-api 1.4.0 deployed to production', emoji: true } }]);
    expect(main.attachments?.[0]?.color).toBe('#2EB67D');
    const text = mrkdwn(main);
    expect(text).toContain('*Image*\\n`ghcr.io/acme/verity-api@sha256:abab');
    expect(text).toContain(`<https://github.com/acme/verity-api/commit/${SHA}|3f2a1c9>`);
    expect(text).toContain('<https://github.com/acme/verity-api/actions/runs/4242|Workflow run>');
    expect(text).toContain('<https://github.com/acme/gitops/commit/abc|GitOps commit>');
    expect(text).toContain('*Changelog*\\n*Features*');
    expect(main.unfurl_links).toBe(false);
  });

  test('a hostile commit message pings nobody and forges no link; quotes, backslashes and emoji survive', () => {
    const { main } = buildDeployMessages(notice(), { thread: false });
    expectWithinLimits(main);
    const section = main.attachments![0]!.blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('>fix(api)'));
    expect(section).toBeDefined();
    const text = section!.type === 'section' ? section!.text!.text : '';
    // No raw control character from the commit survives: every < and > left is ours (the quote markers).
    expect(text.replace(/^>/gm, '')).not.toMatch(/[<>]/);
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('&lt;https://evil.example|https://github.com/acme/verity-api&gt;');
    expect(text).toContain('&amp;lt;!channel&amp;gt;');
    expect(text).toContain('don\'t "double-quote" C:\\path\\to\\thing 🚀');
    expect(text).toContain('👩‍💻');
    expect(text.split('\n')).toHaveLength(12);
    // mrkdwn fields that carry user text are verbatim: no auto-linking of bare names.
    expect(section!.type === 'section' && section!.text!.verbatim).toBe(true);
  });

  test('a failure mentions, in the text and in the message; other statuses never do', () => {
    const failed = buildDeployMessages(notice({ status: 'failure', mentions: ['<!subteam^S0123>', '<@U0123ABC>'] }), { thread: false });
    expectWithinLimits(failed.main);
    expect(failed.main.text).toBe(':x: Deploy of verity-api 1.4.0 to production failed <!subteam^S0123> <@U0123ABC>');
    expect(mrkdwn(failed.main)).toContain('<!subteam^S0123> <@U0123ABC> the deploy failed: <https://github.com/acme/verity-api/actions/runs/4242|see the run>');
    expect(failed.mentionReply?.text).toMatch(/^<!subteam\^S0123> <@U0123ABC> :x: Deploy of verity-api/);
    expect(failed.main.attachments?.[0]?.color).toBe('#E01E5A');
    for (const status of ['started', 'success', 'cancelled'] as const) {
      const m = buildDeployMessages(notice({ status, mentions: ['<!subteam^S0123>'] }), { thread: false });
      expect(mrkdwn(m.main)).not.toContain('subteam');
      expect(m.mentionReply).toBeUndefined();
    }
  });

  test('a title overrides the headline and is cut to the header limit', () => {
    const long = `Release ${'<x> & '.repeat(60)}`;
    const { main, notes } = buildDeployMessages(notice({ title: long }), { thread: false });
    expectWithinLimits(main);
    const headerBlock = main.blocks[0]!;
    expect(headerBlock.type === 'header' && headerBlock.text.text.length).toBe(SLACK_LIMITS.headerText);
    // plain_text is shown as typed: nothing to escape there.
    expect(headerBlock.type === 'header' && headerBlock.text.text).toMatch(/^:white_check_mark: Release <x> & /);
    expect(notes).toContain('headline shortened to 150 characters');
  });

  test('user fields as Label=value, escaped, ten to a section', () => {
    const fields = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`Field ${i} <b>`, `value & ${i}`]));
    const { main } = buildDeployMessages(notice({ fields }), { thread: false });
    expectWithinLimits(main);
    const sections = main.attachments![0]!.blocks.filter((b) => b.type === 'section' && b.fields);
    expect(sections.map((s) => (s.type === 'section' ? s.fields!.length : 0))).toEqual([10, 10, 2]);
    expect(mrkdwn(main)).toContain('*Field 0 &lt;b&gt;*\\nvalue &amp; 0');
  });

  test('too many or too long fields are cut to a budget, and the notes say so', () => {
    const fields = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`F${i}`, 'v'.repeat(3000)]));
    const { main, notes } = buildDeployMessages(notice({ fields }), { thread: false });
    expectWithinLimits(main);
    expect(notes.some((n) => /field\(s\) left out/.test(n))).toBe(true);
    expect(notes.some((n) => /field 'F0' shortened/.test(n))).toBe(true);
  });

  test('a 40 KB changelog is cut within every limit, ending with a link to the run', () => {
    const changelog = Array.from({ length: 800 }, (_, i) => `- **scope${i}:** change number ${i} with <html> & more text (abc${i})`).join('\n');
    expect(changelog.length).toBeGreaterThan(40_000);
    const { main, notes } = buildDeployMessages(notice({ changelog }), { thread: false });
    expectWithinLimits(main);
    const blocks = allBlocks(main);
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(textLength(blocks) + main.text.length).toBeLessThan(SLACK_LIMITS.totalText);
    // The budget is used, not wasted: most of 12,000 characters carry changelog.
    expect(textLength(blocks)).toBeGreaterThan(10_000);
    const last = main.attachments![0]!.blocks.at(-2)!;
    expect(last.type).toBe('context');
    expect(JSON.stringify(last)).toMatch(/more lines of the changelog are not shown here: <https:\/\/github.com\/acme\/verity-api\/actions\/runs\/4242\|the full changelog is in the run summary>/);
    expect(notes.some((n) => /^changelog cut to \d+ of 800 lines/.test(n))).toBe(true);
  });

  test('one changelog line longer than a section is cut inside the section', () => {
    const { main } = buildDeployMessages(notice({ changelog: `- ${'&'.repeat(5000)}` }), { thread: false });
    expectWithinLimits(main);
    expect(mrkdwn(main)).not.toMatch(/&(?!amp;|lt;|gt;)/);
    // The title shares the section with the (cut) line.
    expect(mrkdwn(main)).toContain('*Changelog*\\n• &amp;&amp;');
  });

  test('many short lines: never more than 50 blocks', () => {
    const changelog = Array.from({ length: 3000 }, (_, i) => `${i}\n`).join('\n');
    const { main } = buildDeployMessages(notice({ changelog, fields: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, 'x'])) }), { thread: false });
    expectWithinLimits(main);
  });

  test('with a thread, the changelog goes to the reply and the message says so', () => {
    const changelog = Array.from({ length: 800 }, (_, i) => `- change ${i} ${'x'.repeat(40)}`).join('\n');
    const { main, details } = buildDeployMessages(notice({ changelog }), { thread: true });
    expectWithinLimits(main);
    expect(mrkdwn(main)).not.toContain('Changelog*');
    expect(mrkdwn(main)).toContain('changelog in the thread');
    expect(details).toBeDefined();
    expectWithinLimits(details!);
    expect(details!.text).toBe('Changelog of verity-api 1.4.0');
    expect(JSON.stringify(details!.blocks.at(-1))).toContain('the full changelog is in the run summary');
  });

  test('a thread without a changelog is just the message', () => {
    const { main, details } = buildDeployMessages(notice({ changelog: '' }), { thread: true });
    expect(details).toBeUndefined();
    expect(mrkdwn(main)).not.toContain('thread');
  });

  test('a huge commit message is cut to its first lines', () => {
    const message = Array.from({ length: 500 }, (_, i) => `line ${i} <!channel>`).join('\n');
    const { main, notes } = buildDeployMessages(notice({}, { head_commit: { message } }), { thread: false });
    expectWithinLimits(main);
    expect(notes).toContain('commit message shortened to its first 20 of 500 lines');
  });

  test('everything long at once still fits', () => {
    const big = 'é<&>🚀'.repeat(5000);
    const n = notice(
      {
        status: 'failure',
        title: big,
        app: big,
        environment: big,
        version: big,
        image: big,
        changelog: big,
        fields: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${big.slice(0, 200)}${i}`, big])),
        mentions: ['<!here>'],
        gitopsCommitUrl: `https://example.com/${'a'.repeat(5000)}`,
      },
      { head_commit: { message: big }, sender: { login: big } },
    );
    for (const thread of [false, true]) {
      const built = buildDeployMessages(n, { thread });
      expectWithinLimits(built.main);
      if (built.details) expectWithinLimits(built.details);
      if (built.mentionReply) expectWithinLimits(built.mentionReply);
    }
  });
});

describe("Argo CD's end state (the wait-for-sync outputs)", () => {
  const headlineOf = (overrides: Partial<Parameters<typeof deployNotice>[0]>) => buildDeployMessages(notice(overrides), { thread: false }).main.text;

  test('success, Synced and Healthy: live and healthy; the state is a fact of the message', () => {
    const built = buildDeployMessages(notice({ syncStatus: 'Synced', healthStatus: 'Healthy' }), { thread: false });
    expect(built.main.text).toBe(':white_check_mark: verity-api 1.4.0 is live and healthy in production');
    expect(mrkdwn(built.main)).toContain('*Argo CD*\\nSynced · Healthy');
  });

  test.each([
    [{ status: 'success', syncStatus: 'Synced', healthStatus: 'Progressing' }, ':white_check_mark: verity-api 1.4.0 is synced to production (Progressing)'],
    [{ status: 'success', syncStatus: 'OutOfSync', healthStatus: 'Healthy' }, ':white_check_mark: verity-api 1.4.0 deployed to production'],
    [{ status: 'failure', syncStatus: 'Synced', healthStatus: 'Degraded' }, ':x: verity-api 1.4.0 did not become healthy in production (Degraded)'],
    [{ status: 'failure', syncStatus: 'OutOfSync', healthStatus: 'Healthy' }, ':x: verity-api 1.4.0 was not synced to production (OutOfSync)'],
    [{ status: 'failure', syncStatus: '', healthStatus: '' }, ':x: Deploy of verity-api 1.4.0 to production failed'],
    [{ status: 'started', syncStatus: 'Synced', healthStatus: 'Healthy' }, ':rocket: Deploying verity-api 1.4.0 to production'],
    [{ status: 'success', syncStatus: 'Synced', healthStatus: 'Healthy', title: 'Custom' }, ':white_check_mark: Custom'],
  ] as const)('%j → %s', (overrides, text) => {
    expect(headlineOf(overrides)).toBe(text);
  });

  test('without them the message has no Argo CD fact', () => {
    expect(mrkdwn(buildDeployMessages(notice(), { thread: false }).main)).not.toContain('Argo CD');
  });
});
