import { typeWords, type Node, type ObjectNode } from './schema-dsl.js';

export interface ReferenceRow {
  key: string;
  type: string;
  default: string;
  description: string;
}

/**
 * One row per key, in the description's order. Structures used in several
 * places (a container in containers, initContainers and each CronJob) are
 * listed in full the first time and referred to after; Kubernetes types
 * taken over as they are (affinity, tolerations) get one row.
 */
export function referenceRows(root: ObjectNode): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  const expanded = new Map<string, string>();

  const visit = (node: Node, path: string, required: boolean) => {
    const target = node.type === 'array' ? node.items : node.type === 'map' ? node.values : node;
    const description = [required ? 'Required.' : '', node.description, target !== node ? target.description : '']
      .filter(Boolean)
      .join(' ');
    const row = (type: string) => rows.push({ key: path, type, default: defaultOf(node), description });
    if (target.type !== 'object') return row(typeWords(node));

    const suffix = node.type === 'array' ? '[]' : node.type === 'map' ? '.<key>' : '';
    const name = target.definition;
    const seenAt = name ? expanded.get(name) : undefined;
    const kube = target.kubernetesType ? `Kubernetes ${target.kubernetesType}` : '';
    const shape = kube || (seenAt ? `${name} (see ${seenAt})` : (name ?? 'object'));
    row(node.type === 'array' ? `list of ${shape}` : node.type === 'map' ? `map of ${shape}` : shape);
    if (kube || seenAt) return;
    if (name) expanded.set(name, `${path}${suffix}`);
    for (const [key, child] of Object.entries(target.properties)) visit(child, `${path}${suffix}.${key}`, target.required?.includes(key) ?? false);
  };

  for (const [key, child] of Object.entries(root.properties)) visit(child, key, root.required?.includes(key) ?? false);
  return rows;
}

function defaultOf(node: Node): string {
  if (node.default === undefined) return node.defaultText ?? '';
  return `\`${typeof node.default === 'string' ? node.default : JSON.stringify(node.default)}\``;
}

export function referenceMarkdown(root: ObjectNode, intro: string): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  // Outside code spans `<app>` would be read as an HTML tag and vanish; inside them an entity would show as written.
  const prose = (text: string) =>
    cell(text)
      .split(/(`[^`]*`)/)
      .map((part) => (part.startsWith('`') ? part : part.replace(/</g, '&lt;').replace(/>/g, '&gt;')))
      .join('');
  const lines = [
    intro.trimEnd(),
    '',
    '| key | type | default | description |',
    '|---|---|---|---|',
    ...referenceRows(root).map((r) => `| \`${cell(r.key)}\` | ${prose(r.type)} | ${r.default.startsWith('`') ? cell(r.default) : prose(r.default)} | ${prose(r.description)} |`),
  ];
  return `${lines.join('\n')}\n`;
}
