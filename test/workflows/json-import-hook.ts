import { register } from 'node:module';

/**
 * @actions/workflow-parser imports its schema JSON files without `with { type: 'json' }`.
 * Vitest hands packages in node_modules to Node's own loader, which refuses that ("needs an
 * import attribute of type json"). This load hook supplies the attribute for that package's
 * JSON files only. (Equivalent: `test.server.deps.inline: ['@actions/workflow-parser']` in
 * vitest.config.ts, which makes vite transform the package instead.)
 */
const hook = `
export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && url.endsWith('.json') && url.includes('/node_modules/@actions/workflow-parser/') && !context.importAttributes?.type) {
    return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
  }
  return nextLoad(url, context);
}`;

const registered = Symbol.for('gitops-actions.workflow-parser-json-hook');
const scope = globalThis as Record<symbol, unknown>;
if (!scope[registered]) {
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  scope[registered] = true;
}
