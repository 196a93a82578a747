import { codeBlock, inlineCode, markdownText, tableCell } from '../log/markdown.js';
import type { CheckStatus, EnvironmentCheck } from './check-environment.js';

/** GitHub shows at most 1 MiB of summary per step; the diffs stop well before. */
const MAX_DIFF_CHARS = 600_000;
const MAX_FILE_DIFF_LINES = 300;

const LOOK: Record<CheckStatus, string> = {
  'in-sync': '✅ in sync',
  drifted: '❌ drifted',
  'not-deployed': '➖ not deployed',
  error: '⚠️ not checked',
};


/** `1 changed, 2 added, 1 unowned, 2 commits by hand`; '' when nothing differs. */
export function driftCounts(check: Pick<EnvironmentCheck, 'added' | 'changed' | 'removed' | 'unowned'> & Partial<Pick<EnvironmentCheck, 'handEdits'>>): string {
  const byHand = check.handEdits?.commits.length ?? 0;
  return [
    [check.changed.length, 'changed'],
    [check.added.length, 'added'],
    [check.removed.length, 'removed'],
    [check.unowned.length, 'unowned'],
    [byHand, byHand === 1 ? 'commit by hand' : 'commits by hand'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, word]) => `${n} ${word}`)
    .join(', ');
}

function resultCell(check: EnvironmentCheck): string {
  const counts = driftCounts(check);
  if (check.status === 'drifted') return `${LOOK.drifted}: ${counts}`;
  if (check.status === 'in-sync') return `${LOOK['in-sync']}${check.version ? ` (${check.version})` : ''}`;
  return `${LOOK[check.status]}: ${check.reason.split('\n')[0]}`;
}

function shortDiff(patch: string): string {
  const lines = patch.split('\n');
  return lines.length <= MAX_FILE_DIFF_LINES ? patch : `${lines.slice(0, MAX_FILE_DIFF_LINES).join('\n')}\n… ${lines.length - MAX_FILE_DIFF_LINES} more lines`;
}

/**
 * The job summary: a table of every environment checked, then for each
 * drifted one what was rendered, what was compared, and a diff per file
 * (folded, so a long report stays readable).
 */
export function verifySummary(checks: readonly EnvironmentCheck[], options: { failOnDrift: boolean }): string {
  const drifted = checks.filter((c) => c.status === 'drifted').length;
  const errors = checks.filter((c) => c.status === 'error').length;
  const headline =
    drifted > 0
      ? `drift in ${drifted} of ${checks.length} environment${checks.length === 1 ? '' : 's'}`
      : errors > 0
        ? `${errors} of ${checks.length} environment${checks.length === 1 ? '' : 's'} could not be checked`
        : `no drift in ${checks.length} environment${checks.length === 1 ? '' : 's'}`;
  const out: string[] = [`## gitops-actions verify: ${headline}`, ''];
  out.push('| app | environment | GitOps repository | result |', '|---|---|---|---|');
  for (const c of checks) {
    out.push(`| ${tableCell(c.target.app)} | ${tableCell(c.target.environment)} | \`${tableCell(`${c.target.remote.url} ${c.target.branch}:${c.target.path}`)}\` | ${tableCell(resultCell(c))} |`);
  }
  out.push('');
  if (drifted > 0) {
    out.push(
      options.failOnDrift ? 'The step fails on drift (`fail-on-drift: true`).' : 'Drift is reported but does not fail the step (`fail-on-drift: false`).',
      'Each environment was rendered again from its source with the version, image and source commit its manifests record; in the diffs, `-` lines are what the render gives and `+` lines what the GitOps repository holds.',
      '',
    );
  }
  let budget = MAX_DIFF_CHARS;
  for (const c of checks.filter((x) => x.status === 'drifted')) {
    out.push(`### ${c.target.app} ${c.target.environment}: ${driftCounts(c)}`, '');
    const rendered = [c.version && `version ${c.version}`, c.image && `image \`${c.image}\``, c.sourceCommit && `source commit \`${c.sourceCommit.slice(0, 12)}\``].filter(Boolean).join(', ');
    if (c.commit) out.push(`Rendered ${c.target.app} for ${c.target.environment}${rendered ? ` (${rendered})` : ''} and compared it with \`${c.target.branch}:${c.target.path}\` at \`${c.commit.slice(0, 12)}\`.`, '');
    for (const note of c.notes) out.push(`- ${note}`);
    if (c.notes.length) out.push('');
    for (const d of c.diffs) {
      const what = d.change === 'added' ? 'in the repository only' : d.change === 'removed' ? 'missing from the repository' : 'changed';
      out.push(`<details><summary><code>${d.path.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</code>: ${what}</summary>`, '');
      const text = shortDiff(d.patch || '(no text diff)');
      if (text.length > budget) {
        out.push('(diff left out: the summary is full; run the check locally with `gitops-actions verify` for all of it)');
      } else {
        out.push(codeBlock(text, 'diff'));
        budget -= text.length;
      }
      out.push('', '</details>', '');
    }
    if (c.handEdits) {
      const { deploy, commits, files } = c.handEdits;
      out.push(
        `Changed by hand since the deploy of ${deploy.version ? markdownText(deploy.version) : 'the app'} (${inlineCode(deploy.commit.slice(0, 12))}): ` +
          `${files.length} file${files.length === 1 ? '' : 's'}, by commits without a deploy's trailers:`,
        '',
        ...commits.map((k) => `- ${inlineCode(k.commit.slice(0, 12))} ${markdownText(k.author)}: ${markdownText(k.subject)}`),
        '',
        `<details><summary>what changed since the deploy (<code>-</code> the deploy, <code>+</code> now)</summary>`,
        '',
      );
      const text = shortDiff(c.handEdits.patch || '(no text diff)');
      if (text.length > budget) out.push('(diff left out: the summary is full)');
      else {
        out.push(codeBlock(text, 'diff'));
        budget -= text.length;
      }
      out.push('', '</details>', '');
    }
    if (c.unowned.length) {
      out.push(
        `Directories of ${c.target.app} that no environment of \`${c.target.config}\` writes (a removed or renamed environment?), still applied by whatever syncs them:`,
        '',
        ...c.unowned.map((u) => `- \`${c.target.branch}:${u}\``),
        '',
      );
    }
  }
  for (const c of checks.filter((x) => x.status === 'error')) {
    out.push(`### ${c.target.app} ${c.target.environment}: not checked`, '', codeBlock(c.reason, 'text'), '');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
