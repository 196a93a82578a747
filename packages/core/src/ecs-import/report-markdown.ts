import { tableCell } from '../log/markdown.js';
import { pathOf } from '../schema/value-path.js';
import { dumpYamlDocuments } from '../yaml/dump-yaml.js';
import { EMPTY_NOTE, type ConversionReport, type ReportEntry } from './conversion-report.js';
import type { SecretReference } from './secret-references.js';

export interface ReportContext {
  app: string;
  environment: string;
  files: string[];
  /** The main container's image, for render's 'image' input. */
  image: string;
  secrets: readonly SecretReference[];
  externalSecrets: readonly Record<string, unknown>[];
}

/**
 * The conversion report as Markdown: what to do before deploying first, the
 * secrets to sync, then every field of the input with what became of it.
 */
export function reportMarkdown(report: ConversionReport, context: ReportContext): string {
  const lines: string[] = [];
  const attention = report.entries.filter((e) => e.action && e.status !== 'converted');
  lines.push(`# ECS import: ${context.app} (${context.environment})`, '');
  lines.push(`Imported from ${context.files.map((f) => `\`${f}\``).join(', ')} by \`gitops-actions import-ecs\`.`, '');
  lines.push(summaryLine(report), '');
  if (context.image) lines.push(`The app image is left to render's \`image\` input (the pipeline's build, pinned by digest); this task ran \`${context.image}\`.`, '');

  lines.push('## Before you deploy', '');
  if (attention.length === 0) lines.push('Nothing: every field converted or needs no action.', '');
  else {
    lines.push('Fields that were approximated or could not be converted, and need a decision:', '');
    for (const e of attention) lines.push(`- ${where(e)} — **${e.status}**${e.to.length ? ` → ${e.to.map((t) => `\`${t}\``).join(', ')}` : ''}: ${e.note}`);
    lines.push('');
  }

  if (context.secrets.length) {
    lines.push('## Secrets (External Secrets Operator required)', '');
    lines.push(
      'The task definition injected these secrets by reference; the values hold the same references, never a value: each variable reads a key of a Kubernetes Secret. ' +
        'Nothing in the chart creates those Secrets. Install External Secrets Operator in the cluster, with ClusterSecretStores for SSM Parameter Store and Secrets Manager whose IAM role may read these paths, ' +
        'and apply the ExternalSecrets below next to the app (the platform repository, or a second source of its Argo CD Application). Until they exist, the pods stay in CreateContainerConfigError.',
      '',
    );
    lines.push('| variable (key) | Kubernetes Secret | synced from |', '| --- | --- | --- |');
    for (const s of context.secrets) lines.push(`| \`${s.key}\` | \`${s.secretName}\` | ${s.store === 'parameter-store' ? 'SSM parameter' : 'Secrets Manager'} \`${tableCell(s.remoteKey)}\`${s.property ? ` (JSON key \`${tableCell(s.property)}\`)` : ''}${s.version ? ` version \`${tableCell(s.version)}\`` : ''} |`);
    lines.push('', '```yaml', dumpYamlDocuments(context.externalSecrets, { sortKeys: false }).trimEnd(), '```', '');
  }

  if (report.notes.length) {
    lines.push('## Notes', '');
    for (const n of report.notes) lines.push(`- ${n}`);
    lines.push('');
  }

  lines.push('## Every field', '');
  lines.push('| field | status | values | how / why |', '| --- | --- | --- | --- |');
  const empty = report.entries.filter((e) => e.note === EMPTY_NOTE);
  for (const e of report.entries) {
    if (e.note === EMPTY_NOTE) continue;
    lines.push(`| ${where(e)} | ${e.status}${e.status === 'unsupported' && !e.action ? ' (no action)' : ''} | ${e.to.map((t) => `\`${tableCell(t)}\``).join('<br>')} | ${tableCell(e.note)} |`);
  }
  lines.push('');
  if (empty.length) lines.push(`Empty in the input, nothing to convert: ${empty.map((e) => `\`${tableCell(pathOf(e.path))}\``).join(', ')}.`, '');
  return lines.join('\n');
}

export function summaryLine(report: ConversionReport): string {
  const unsupported = report.entries.filter((e) => e.status === 'unsupported');
  const needAction = unsupported.filter((e) => e.action).length;
  return `${report.entries.length} fields: ${report.count('converted')} converted, ${report.count('approximated')} approximated, ${unsupported.length} unsupported (${needAction} need action).`;
}

function where(e: ReportEntry): string {
  return `\`${tableCell(pathOf(e.path) || '(whole file)')}\` (${tableCell(e.file)}${e.line !== undefined ? `:${e.line}` : ''})`;
}

