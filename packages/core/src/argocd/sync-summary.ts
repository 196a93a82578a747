import { markdownText } from '../log/markdown.js';
import type { ApplicationStatus } from './application-status.js';

/**
 * The job summary of a wait: what was awaited, what Argo CD said last, and
 * how it ended. Text from Argo CD (messages, statuses) cannot become HTML,
 * links or table structure here.
 */

export interface WaitReport {
  application: string;
  host: string;
  wanted: string;
  requireHealthy: boolean;
  /** The commit Argo CD is at instead of `wanted`, with the same manifests for the Application. */
  sameManifestsAt?: string;
  /** The last state Argo CD reported; undefined when it never answered. */
  status: ApplicationStatus | undefined;
  outcome: 'live' | 'failed' | 'timeout';
  /** Why it ended (already free of secrets). */
  message: string;
  durationSeconds: number;
  polls: number;
}


function code(text: string): string {
  return `\`${text.replace(/[`|\r\n]/g, '')}\``;
}

const HEADLINE = { live: '✅', failed: '❌', timeout: '⏱️' } as const;

export function syncSummaryMarkdown(report: WaitReport): string {
  const { status } = report;
  const goal = report.requireHealthy ? 'synced and healthy' : 'synced';
  const ended =
    report.outcome === 'live' ? `${goal} at ${code(report.wanted.slice(0, 12))}` : report.outcome === 'timeout' ? 'timed out' : 'failed';
  const same = report.sameManifestsAt
    ? ` (Argo CD is at ${code(report.sameManifestsAt.slice(0, 12))}, a commit with the same manifests for the application)`
    : '';
  const rows: [string, string][] = [
    ['Application', code(report.application)],
    ['Argo CD', markdownText(report.host)],
    ['Waited for', `${code(report.wanted)} to be ${goal}${same}`],
    ['Sync', status ? `${markdownText(status.syncStatus)} at ${code(status.revision || status.revisions.join(',') || '-')}` : 'no answer'],
    ['Health', status ? markdownText(status.healthStatus) + (status.healthMessage ? `: ${markdownText(status.healthMessage)}` : '') : 'no answer'],
  ];
  if (status?.operation) {
    const op = status.operation;
    rows.push(['Last sync operation', `${markdownText(op.phase)}${op.revision ? ` at ${code(op.revision.slice(0, 12))}` : ''}${op.message ? `: ${markdownText(op.message)}` : ''}`]);
  }
  for (const condition of status?.conditions ?? []) rows.push(['Condition', markdownText(condition)]);
  rows.push(['Time', `${report.durationSeconds} s, ${report.polls} ${report.polls === 1 ? 'poll' : 'polls'}`]);
  const lines = [
    `### ${HEADLINE[report.outcome]} Argo CD: ${code(report.application)} ${ended}`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
  ];
  if (report.outcome !== 'live') lines.push('', markdownText(report.message));
  return `${lines.join('\n')}\n`;
}
