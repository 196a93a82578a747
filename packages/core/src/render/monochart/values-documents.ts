import { toJsonSchema } from '../../schema/json-schema.js';
import { referenceMarkdown } from '../../schema/reference-markdown.js';
import { monochartValuesDescription } from './values-description.js';

/** Where the generated documents live, relative to the repository root; a test keeps them current. */
export const MONOCHART_SCHEMA_FILE = 'schemas/monochart.values.schema.json';
export const MONOCHART_REFERENCE_FILE = 'packages/core/src/render/monochart/VALUES.md';

const SUMMARY =
  "Values of the builtin monochart (chart: builtin:monochart): per-environment values files, layered like helm's (maps merge, lists replace, null unsets), turned into a Deployment or StatefulSet, its Service and what else they enable.";

/** schemas/monochart.values.schema.json, for editors: `# yaml-language-server: $schema=<url of that file>`. */
export function monochartValuesJsonSchema(): Record<string, unknown> {
  return toJsonSchema(monochartValuesDescription, { title: 'monochart values', description: SUMMARY });
}

export function monochartValuesJsonSchemaText(): string {
  return `${JSON.stringify(monochartValuesJsonSchema(), null, 2)}\n`;
}

/** The values reference as markdown (key, type, default, description), for the README. */
export function monochartValuesReference(): string {
  return referenceMarkdown(
    monochartValuesDescription,
    `# monochart values

${SUMMARY}

Generated from \`values-description.ts\`; do not edit by hand. The same description drives the validator and \`${MONOCHART_SCHEMA_FILE}\`.

- \`{}\` plus the app image renders a Deployment (one container \`app\` listening on port 8080 as \`http\`) and its ClusterIP Service, with a ServiceAccount.
- Pods run hardened by default: non-root, RuntimeDefault seccomp, no privilege escalation, all capabilities dropped, read-only root filesystem. Turn each off explicitly (e.g. \`securityContext.readOnlyRootFilesystem: false\`).
- Objects are named \`<app>\` (ServiceAccount, Service, workload, HPA, PDB, Ingress, ServiceMonitor) and \`<app>-<key>\` (ConfigMaps, CronJobs).
- Selectors and pod templates carry \`app.kubernetes.io/name: <app>\` and \`app.kubernetes.io/instance: <app>-<environment>\` only; no version, so a release changes only what it must.
- Unknown keys are errors with a suggestion; \`null\` (or an empty value) unsets a key set by an earlier values file, and the default applies again.
- Keys under \`<key>\` are map keys you choose; \`[]\` marks list entries.`,
  );
}
