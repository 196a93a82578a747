import { isMergeCommit, parseConventionalCommit, type Commit } from './conventional-commit.js';

const MAX_ENTRIES = 200;

/** Markdown release notes, grouped the way a reviewer reads them. */
export function renderChangelog(commits: readonly Commit[]): string {
  const sections: Record<'breaking' | 'features' | 'fixes' | 'other', string[]> = {
    breaking: [],
    features: [],
    fixes: [],
    other: [],
  };
  let shown = 0;
  let listed = 0;
  for (const commit of commits) {
    const cc = parseConventionalCommit(commit.message);
    if (isMergeCommit(commit) && cc.type === '') continue;
    listed++;
    if (shown >= MAX_ENTRIES) continue;
    shown++;
    const scope = cc.scope ? `**${escapeMarkdown(cc.scope)}:** ` : '';
    const line = `- ${scope}${escapeMarkdown(cc.subject)} (${commit.shortSha})`;
    if (cc.breaking) sections.breaking.push(line);
    else if (cc.type === 'feat') sections.features.push(line);
    else if (cc.type === 'fix' || cc.type === 'perf') sections.fixes.push(line);
    else sections.other.push(line);
  }
  const parts: string[] = [];
  const add = (title: string, lines: string[]) => {
    if (lines.length) parts.push(`### ${title}\n\n${lines.join('\n')}`);
  };
  add('⚠ Breaking changes', sections.breaking);
  add('Features', sections.features);
  add('Bug fixes', sections.fixes);
  add('Other changes', sections.other);
  if (listed > shown) parts.push(`…and ${listed - shown} more commits.`);
  return parts.join('\n\n');
}

/** Commit text is untrusted: keep it from turning into HTML or links in rendered markdown. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|]/g, '\\$&');
}
