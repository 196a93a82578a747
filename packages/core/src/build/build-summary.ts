import type { BuildAndPushResult } from './build-and-push.js';

/** The job summary: what was built, its identity, and how long it took. */
export function buildSummary(result: BuildAndPushResult, totalSeconds: number): string {
  const image = String(result.metadata.image ?? '');
  const rows: [string, string][] = [
    ['image', `\`${image}\``],
    ['digest', result.digest ? `\`${result.digest}\`` : 'not pushed'],
    ['tags', result.tags.map((t) => `\`${t}\``).join('<br>') || '—'],
    ['builder', result.skipped ? 'skipped: this commit is already in the registry' : result.builder],
    ['build time', result.skipped ? '—' : `${result.buildSeconds.toFixed(1)} s (step ${totalSeconds.toFixed(1)} s)`],
  ];
  return `## Image ${image}\n\n| | |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`;
}
