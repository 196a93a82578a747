import type { RenderResult } from './render-app.js';

/** The job summary: per environment, where the tree went, its digest and what is in it. */
export function renderSummary(app: string, environments: readonly string[], results: readonly RenderResult[]): string {
  const sections = results.map((r, i) => {
    const rows = r.resources.map((res) => `| ${res.kind} | ${res.namespace || '—'} | ${res.name} |`).join('\n');
    return `### ${app}--${environments[i]}\n\n${r.engine} engine, image \`${r.image || 'from values'}\`, digest \`${r.digest}\`\n\n| kind | namespace | name |\n|---|---|---|\n${rows}`;
  });
  return `## Rendered ${app}\n\n${sections.join('\n\n')}\n`;
}
