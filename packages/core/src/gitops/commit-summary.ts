import type { CommitToGitopsResult } from './commit-to-gitops.js';
import { fenceFor, inlineCode } from '../log/markdown.js';

/** The job summary keeps well under GitHub's 1 MiB per step; a larger diff is cut. */
const MAX_SUMMARY_PATCH = 60_000;
const MAX_LISTED_FILES = 200;

function link(text: string, url: string): string {
  return url ? `[${text}](${url})` : text;
}

function fileList(title: string, files: readonly string[]): string[] {
  if (files.length === 0) return [];
  const shown = files.slice(0, MAX_LISTED_FILES).map((f) => `- ${inlineCode(f)}`);
  if (files.length > MAX_LISTED_FILES) shown.push(`- … and ${files.length - MAX_LISTED_FILES} more`);
  return [`**${title}** (${files.length})`, '', ...shown, ''];
}

/** What a reviewer wants to see of one run: what happened, to which version, and the diff of the desired state. */
export function commitSummary(r: CommitToGitopsResult): string {
  const short = r.commitSha.slice(0, 12);
  let outcome: string;
  if (r.dryRun) outcome = r.changed ? 'dry run: would commit the changes below' : 'dry run: nothing to change';
  else if (r.mode === 'pull-request') {
    const pr = r.pullRequestNumber ? link(`#${r.pullRequestNumber}`, r.pullRequestUrl) : '';
    outcome = r.changed
      ? `proposed in ${pr || 'a pull request'} (${link(short, r.commitUrl)} on \`${r.branch}\`)`
      : pr
        ? `already proposed in ${pr}`
        : `no change: \`${r.baseBranch}\` already holds this desired state`;
  } else {
    outcome = r.changed ? `committed ${link(short, r.commitUrl)}` : `no change: already in place at ${link(short, r.commitUrl)}`;
  }
  const version = r.version
    ? r.previousVersion && r.previousVersion !== r.version
      ? `${r.previousVersion} → **${r.version}**`
      : `**${r.version}**`
    : '(none given)';
  const lines = [
    `### commit-to-gitops: ${inlineCode(r.path)}`,
    '',
    '| | |',
    '|---|---|',
    `| repository | ${inlineCode(r.repository)} |`,
    `| branch | ${inlineCode(r.baseBranch)}${r.branch !== r.baseBranch ? ` (via ${inlineCode(r.branch)})` : ''} |`,
    `| result | ${outcome} |`,
    `| version | ${version} |`,
    `| files | ${r.diff.added.length} added, ${r.diff.changed.length} changed, ${r.diff.removed.length} removed |`,
    `| push attempts | ${r.attempts} |`,
    '',
  ];
  for (const note of r.notes) lines.push(`> ${note.replace(/\n/g, ' ')}`, '');
  lines.push(...fileList('Added', r.diff.added), ...fileList('Changed', r.diff.changed), ...fileList('Removed', r.diff.removed));
  if (r.patch) {
    const cut = r.patch.length > MAX_SUMMARY_PATCH;
    const patch = cut ? r.patch.slice(0, MAX_SUMMARY_PATCH) : r.patch;
    const fence = fenceFor(patch);
    lines.push('<details><summary>Diff of the desired state</summary>', '', `${fence}diff`, patch.trimEnd(), fence, '');
    if (cut) lines.push(`(cut at ${MAX_SUMMARY_PATCH.toLocaleString('en-US')} characters of ${r.patch.length.toLocaleString('en-US')})`, '');
    lines.push('</details>', '');
  }
  return lines.join('\n');
}
