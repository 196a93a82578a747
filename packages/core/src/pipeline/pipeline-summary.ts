import type { PipelineStep } from '../config/environment-settings.js';
import type { SlackDelivery } from './pipeline-plan.js';
import type { FailedStep } from './step-inputs.js';

/** How one step of a run went, for the summary table. */
export interface StepReport {
  step: PipelineStep;
  /** `skipped`: selected, but there was nothing for it to do (the wait after a dry run or a pull request). */
  state: 'succeeded' | 'failed' | 'skipped' | 'not-run' | 'not-selected';
  seconds: number;
  /** One line: what it produced, or why it failed. */
  detail: string;
}

export interface PipelineFacts {
  app: string;
  environment: string;
  version: string;
  dryRun: boolean;
  reports: readonly StepReport[];
  failed: FailedStep | undefined;
  /** The Argo CD Application's path and whether this run created it; undefined without `argocd`. */
  argocd?: { file: string; created: boolean };
  notes: readonly string[];
}

const MARKS: Record<StepReport['state'], string> = { succeeded: '✅', failed: '❌', skipped: '⏭️', 'not-run': '⏭️', 'not-selected': '➖' };

/** Table-cell text: one line, no table breaks, no HTML. */
function cell(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|');
}

function fenced(text: string): string {
  const longest = Math.max(2, ...(text.match(/`{3,}/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

/**
 * The pipeline's part of the job summary: the outcome in one line, a row per
 * step, the failure in full; each step's own summary follows it.
 */
export function pipelineSummary(facts: PipelineFacts): string {
  const what = [facts.app, facts.version].filter(Boolean).join(' ');
  const where = facts.environment ? ` → ${facts.environment}` : '';
  const outcome = facts.failed ? `❌ failed at ${facts.failed.step}` : facts.dryRun ? '🧪 dry run: nothing committed, pushed or sent' : '✅ done';
  const lines = [
    `## gitops-actions pipeline: ${cell(what)}${cell(where)}`,
    '',
    `**${outcome}**`,
    '',
    '| step | result | time |',
    '|---|---|---|',
    ...facts.reports.map(
      (r) => `| ${r.step} | ${MARKS[r.state]} ${cell(r.detail)} | ${r.state === 'succeeded' || r.state === 'failed' ? `${r.seconds.toFixed(1)} s` : ''} |`,
    ),
    '',
  ];
  if (facts.argocd) {
    lines.push(
      `Argo CD Application \`${cell(facts.argocd.file)}\`: ${facts.argocd.created ? (facts.dryRun ? 'would be created with this first deploy' : 'created with this first deploy') : 'already in the GitOps repository, left as it is'}.`,
      '',
    );
  }
  for (const note of facts.notes) lines.push(`> ${cell(note)}`, '');
  if (facts.failed) lines.push(`**The ${facts.failed.step} step failed:**`, '', fenced(facts.failed.reason), '');
  return lines.join('\n');
}

/** One line for a step's row: what it produced, from its outputs. */
export function stepDetail(step: PipelineStep, out: Record<string, string>, dryRun: boolean, built: boolean): string {
  switch (step) {
    case 'version':
      return `${out.version || '(no version)'} (${out.bump === 'none' ? 'no bump' : `${out.bump} bump`}${out['previous-version'] ? ` from ${out['previous-version']}` : ''}${out['is-release'] === 'false' ? ', pre-release' : ''})`;
    case 'build':
      if (out.skipped === 'true') return `already built from this commit: ${out['image-ref']}`;
      return out.digest ? `pushed ${out['image-ref']}` : `built with ${out.builder || 'the builder'}, not pushed${dryRun ? ' (dry run)' : ''}`;
    case 'render': {
      const files = (out.files ?? '').split('\n').filter(Boolean).length;
      // The build's row names the image already.
      return `${files} file${files === 1 ? '' : 's'}${out.image && !built ? `, image ${out.image}` : ''}`;
    }
    case 'commit': {
      const short = (out['commit-sha'] ?? '').slice(0, 12);
      if (dryRun) return out.changed === 'true' ? `would commit on ${short || 'a new branch'} (dry run)` : 'no change (dry run)';
      if (out['pull-request-url']) return `${out.changed === 'true' ? 'proposed in' : 'already proposed in'} ${out['pull-request-url']}`;
      return out.changed === 'true' ? `committed ${short}` : `no change: already in place at ${short}`;
    }
    case 'wait':
      return `${out.message || `${out['sync-status']} · ${out['health-status']}`} (${out['duration-seconds'] ?? '0'} s)`;
    case 'notify':
      return '';
  }
}

/** The notify row: where the message went. */
export function noticeDetail(slack: SlackDelivery, out: Record<string, string>, dryRun: boolean, updated: boolean): string {
  if (slack === 'print') return 'printed to the log and summary (no Slack credentials)';
  if (dryRun) return 'printed to the log and summary (dry run)';
  if (out.sent !== 'true') return 'not sent: Slack could not be reached (see the warning)';
  return updated ? 'Slack message updated with the result' : slack === 'web-api' ? 'Slack message posted' : 'Slack message posted through the webhook';
}
