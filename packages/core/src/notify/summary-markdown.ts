import { markdownText } from '../log/markdown.js';
import type { DeployNotice } from './deploy-notice.js';
import { headline } from './deploy-message.js';
import { liveStateText } from './live-state.js';
import { statusLook } from './deploy-status.js';

/**
 * The notice as GitHub markdown for the job summary, so a run shows it even
 * when Slack is not configured, down, or only dry-run. Text from commits and
 * inputs cannot become HTML, links or table structure here.
 */

export type DeliveryState = 'posted' | 'updated' | 'dry-run' | 'failed';

export interface DeliveryReport {
  state: DeliveryState;
  /** Where: the transport, and for the Web API the channel and ts. */
  where: string;
  /** Why it failed (already free of secrets). */
  error?: string;
  /** With dry-run: the payload that would have been sent. */
  payload?: string;
}


function code(text: string): string {
  const clean = text.replace(/\r\n?|\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${longest > 0 ? ' ' : ''}${clean}${longest > 0 ? ' ' : ''}${fence}`;
}

function link(url: string, label: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return markdownText(label);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return markdownText(label);
  return `[${markdownText(label)}](${parsed.href.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`;
}

function fenced(text: string, info = ''): string {
  const longest = Math.max(2, ...(text.match(/`{3,}/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text}\n${fence}`;
}

/** Markdown stays markdown; a `<` that markdown has not already escaped (`\\<`) becomes `&lt;`, so no HTML or comment can start. */
function withoutHtml(markdown: string): string {
  return markdown.replace(/(\\*)</g, (match, slashes: string) => (slashes.length % 2 === 1 ? match : `${slashes}&lt;`));
}

function deliveryLine(report: DeliveryReport): string {
  switch (report.state) {
    case 'posted':
      return `Slack: posted ${markdownText(report.where)}.`;
    case 'updated':
      return `Slack: updated the message ${markdownText(report.where)}.`;
    case 'dry-run':
      return `Slack: dry run, nothing sent (${markdownText(report.where)}).`;
    case 'failed':
      return `Slack: **not sent**. ${markdownText(report.error ?? `sending through ${report.where} failed`)}`;
  }
}

export function summaryMarkdown(notice: DeployNotice, report: DeliveryReport): string {
  const look = statusLook(notice.status);
  const rows: [string, string][] = [];
  if (notice.app) rows.push(['App', markdownText(notice.app)]);
  if (notice.environment) rows.push(['Environment', markdownText(notice.environment)]);
  if (notice.version) rows.push(['Version', markdownText(notice.version)]);
  rows.push(['Status', `${look.symbol} ${look.label}`]);
  if (liveStateText(notice.live)) rows.push(['Argo CD', markdownText(liveStateText(notice.live))]);
  if (notice.image) rows.push(['Image', code(notice.image)]);
  if (notice.actor) rows.push(['By', markdownText(notice.actor)]);
  if (notice.sha) rows.push(['Commit', notice.commitUrl ? link(notice.commitUrl, notice.sha.slice(0, 7)) : code(notice.sha.slice(0, 7))]);
  for (const { label, value } of notice.fields) rows.push([markdownText(label), markdownText(value)]);

  const parts = [`### ${look.symbol} ${markdownText(headline(notice))}`, `| | |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}`];
  const message = notice.commitMessage.replace(/\r\n?/g, '\n').trim();
  if (message) parts.push(message.split('\n').map((l) => `> ${markdownText(l)}`).join('\n'));
  const links = [
    notice.runUrl && link(notice.runUrl, 'Workflow run'),
    notice.gitopsCommitUrl && link(notice.gitopsCommitUrl, 'GitOps commit'),
    notice.pullRequestUrl && link(notice.pullRequestUrl, 'GitOps pull request'),
  ].filter(Boolean);
  if (links.length > 0) parts.push(links.join(' · '));
  if (notice.changelog.trim()) {
    parts.push(`<details><summary>Changelog</summary>\n\n${withoutHtml(notice.changelog.trim())}\n\n</details>`);
  }
  parts.push(deliveryLine(report));
  if (report.payload) parts.push(`<details><summary>Slack payload</summary>\n\n${fenced(report.payload, 'json')}\n\n</details>`);
  return `${parts.join('\n\n')}\n`;
}
