import { describe, expect, test } from 'vitest';
import type { DeployNotice } from '#core/notify/deploy-notice.js';
import { summaryMarkdown } from '#core/notify/summary-markdown.js';

const notice: DeployNotice = {
  status: 'success',
  title: '',
  app: 'verity-api',
  environment: 'production',
  version: '1.4.0',
  image: 'ghcr.io/acme/verity-api@sha256:abcd',
  actor: 'octocat',
  repository: 'acme/verity-api',
  repositoryUrl: 'https://github.com/acme/verity-api',
  sha: '3f2a1c9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39',
  commitUrl: 'https://github.com/acme/verity-api/commit/3f2a1c9',
  commitMessage: 'fix: <img src=x onerror=alert(1)> | [link](javascript:x) **bold**\n\n<!-- hide the rest',
  runUrl: 'https://github.com/acme/verity-api/actions/runs/1',
  gitopsCommitUrl: '',
  pullRequestUrl: 'https://github.com/acme/gitops/pull/9',
  changelog: '### Features\n\n- a <script>thing</script>\n- escaped \\<b\\> and \\\\<i>',
  fields: [{ label: 'Region | <b>', value: 'eu|west' }],
  live: undefined,
  mentions: ['<!here>'],
};

describe('job summary', () => {
  test('the notice as markdown; text from commits and inputs cannot become HTML, links or table cells', () => {
    const md = summaryMarkdown(notice, { state: 'posted', where: 'in C0DEPLOYS1 (ts 1.2)' });
    expect(md).toContain('### ✅ verity-api 1.4.0 deployed to production');
    expect(md).toContain('| Image | `ghcr.io/acme/verity-api@sha256:abcd` |');
    expect(md).toContain('| Commit | [3f2a1c9](https://github.com/acme/verity-api/commit/3f2a1c9) |');
    expect(md).toContain('| Region \\| &lt;b&gt; | eu\\|west |');
    expect(md).toContain('> fix: &lt;img src=x onerror=alert(1)&gt; \\| \\[link\\](javascript:x) \\*\\*bold\\*\\*');
    expect(md).toContain('> &lt;\\!-- hide the rest');
    expect(md).toContain('[Workflow run](https://github.com/acme/verity-api/actions/runs/1) · [GitOps pull request](https://github.com/acme/gitops/pull/9)');
    expect(md).toContain('- a &lt;script>thing&lt;/script>\n- escaped \\<b\\> and \\\\&lt;i>');
    expect(md).toContain('Slack: posted in C0DEPLOYS1 (ts 1.2).');
    expect(md).not.toContain('<!here>');
    expect(md.replace(/<\/?details>|<summary>[^<]*<\/summary>/g, '')).not.toMatch(/(?<!\\)<[a-z!/]/i);
  });

  test('dry run shows the payload; a failure says why', () => {
    const dry = summaryMarkdown(notice, { state: 'dry-run', where: 'no Slack transport configured', payload: '{"text":"```"}' });
    expect(dry).toContain('Slack: dry run, nothing sent (no Slack transport configured).');
    expect(dry).toContain('````json\n{"text":"```"}\n````');
    const failed = summaryMarkdown(notice, { state: 'failed', where: 'through the incoming webhook', error: 'HTTP 410 channel_is_archived' });
    expect(failed).toContain('Slack: **not sent**. HTTP 410 channel\\_is\\_archived');
  });
});
