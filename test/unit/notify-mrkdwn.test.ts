import { describe, expect, test } from 'vitest';
import { markdownToMrkdwn } from '#core/notify/markdown-to-mrkdwn.js';
import { escapeMrkdwn, linkTarget, mrkdwnLink, truncateMrkdwn, truncatePlain } from '#core/notify/mrkdwn.js';
import { parseMentions } from '#core/notify/mentions.js';
import { parseDeployStatus, statusLook } from '#core/notify/deploy-status.js';

describe('mrkdwn escaping', () => {
  test('exactly &, < and > become entities; the rest is left alone', () => {
    expect(escapeMrkdwn(`a & b <!channel> <@U123> <https://evil|click> "q" 'q' \\ *b* _i_ 🚀`)).toBe(
      `a &amp; b &lt;!channel&gt; &lt;@U123&gt; &lt;https://evil|click&gt; "q" 'q' \\ *b* _i_ 🚀`,
    );
  });

  test('entities already in the text are shown as typed, not decoded into control characters', () => {
    expect(escapeMrkdwn('&lt;!here&gt;')).toBe('&amp;lt;!here&amp;gt;');
  });
});

describe('links', () => {
  test('only http(s); nothing in the URL can end the link or start another token', () => {
    expect(linkTarget('javascript:alert(1)')).toBeUndefined();
    expect(linkTarget('not a url')).toBeUndefined();
    expect(linkTarget('https://example.com/a|b>c<d e')).toBe('https://example.com/a%7Cb%3Ec%3Cd%20e');
    expect(mrkdwnLink('https://github.com/acme/app/pull/1', 'PR <!channel> & co')).toBe(
      '<https://github.com/acme/app/pull/1|PR &lt;!channel&gt; &amp; co>',
    );
    expect(mrkdwnLink('ftp://x', 'label <b>')).toBe('label &lt;b&gt;');
  });
});

describe('truncation', () => {
  test('never splits an entity', () => {
    const text = escapeMrkdwn('aaaa&bbbb');
    expect(text).toBe('aaaa&amp;bbbb');
    for (let max = 1; max < text.length; max++) {
      const cut = truncateMrkdwn(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).toMatch(/^(aaaa?|a{0,4}|aaaa&amp;b{0,3})…$/);
    }
  });

  test('never splits a surrogate pair', () => {
    const text = '🚀'.repeat(10);
    for (let max = 2; max < 20; max++) {
      const cut = truncatePlain(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut.replace(/…$/, '')).toMatch(/^(🚀)*$/u);
    }
  });

  test('short text is kept whole', () => {
    expect(truncateMrkdwn('abc', 3)).toBe('abc');
  });
});

describe('markdown changelog to mrkdwn', () => {
  test('headings, bold, bullets, backslash escapes and links take their mrkdwn form; the rest is escaped', () => {
    const md = [
      '### Features',
      '',
      '- **api:** add \\<thing\\> and \\*stars\\* (abc1234)',
      '* fix & stuff <!channel>',
      'see [the PR](https://github.com/acme/app/pull/7) or [bad](javascript:x)',
    ].join('\n');
    expect(markdownToMrkdwn(md)).toEqual([
      '*Features*',
      '',
      '• *api:* add &lt;thing&gt; and *stars* (abc1234)',
      '• fix &amp; stuff &lt;!channel&gt;',
      'see <https://github.com/acme/app/pull/7|the PR> or [bad](javascript:x)',
    ]);
  });
});

describe('mentions', () => {
  test('user groups, users, here and channel; several at once', () => {
    expect(parseMentions('<!subteam^S0123ABC> <@U0123ABC>\n<!here>')).toEqual(['<!subteam^S0123ABC>', '<@U0123ABC>', '<!here>']);
    expect(parseMentions('<!subteam^S0123ABC|@oncall> <@W0123ABC> <!channel>')).toHaveLength(3);
    expect(parseMentions('')).toEqual([]);
  });

  test('anything else is an input error that says which forms work', () => {
    for (const bad of ['@oncall', '<@U0123|x>', '<!everyone>', '<https://evil|click>', '<!subteam^S01> text', '<@u0123>']) {
      expect(() => parseMentions(bad)).toThrow(/input 'mention-on-failure' takes Slack mentions only: a user group <!subteam\^S0123>/);
    }
  });
});

describe('status', () => {
  test('job.status values as they come, any case, usual spellings', () => {
    expect(parseDeployStatus('success')).toBe('success');
    expect(parseDeployStatus('Failure')).toBe('failure');
    expect(parseDeployStatus('CANCELLED')).toBe('cancelled');
    expect(parseDeployStatus('canceled')).toBe('cancelled');
    expect(parseDeployStatus(' started ')).toBe('started');
    expect(() => parseDeployStatus('done')).toThrow(
      "input 'status' must be one of started, success, failure, cancelled, skipped (any case; ${{ job.status }} works as it is) (got 'done')",
    );
  });

  test('each status has its own emoji and colour', () => {
    const looks = (['started', 'success', 'failure', 'cancelled'] as const).map(statusLook);
    expect(new Set(looks.map((l) => l.emoji)).size).toBe(4);
    expect(new Set(looks.map((l) => l.color)).size).toBe(4);
  });
});
