import type { VersionResult } from './compute-version.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ') || '—';
}

/** The job summary a reviewer reads: the decision, why, and what ships. */
export function versionSummary(result: VersionResult): string {
  const rows: [string, string][] = [
    ['version', `\`${result.version}\`${result.changed ? '' : ' (unchanged)'}`],
    ['previous', result.previousTag ? `\`${result.previousTag}\`` : ''],
    ['bump', result.bump],
    ['release', result.isRelease ? 'yes' : 'no (pre-release)'],
    ['commit', `\`${result.shortSha}\``],
    ['image tags', result.imageTags.map((t) => `\`${t}\``).join('<br>')],
  ];
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`)].join('\n');
  const why = result.reasons.map((r) => `- ${r.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'))}`).join('\n');
  const changelog = result.changelog ? `\n\n<details><summary>Changelog</summary>\n\n${result.changelog}\n\n</details>` : '';
  return `## Version ${result.tag}\n\n${table}\n\n${why}${changelog}\n`;
}
