import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importEcs, summaryLine, type SourceText } from '#core/ecs-import/index.js';
import { InputError } from '#core/errors/errors.js';
import { dumpYamlDocuments } from '#core/yaml/dump-yaml.js';
import { UsageError } from './usage-error.js';

export const IMPORT_ECS_USAGE = `usage: gitops-actions import-ecs --environment <env> --task-definition <td.json> [--service <svc.json>]
                                 [--service-name <name>] [--app <name>] [--keep-image]
                                 [--out <values.yaml>] [--report <report.md>] [--external-secrets <file>] [--json]
       gitops-actions import-ecs --environment <env> --compose <docker-compose.yml> [--ecs-params <ecs-params.yml>] ...

Converts an ECS task definition (the JSON of 'aws ecs describe-task-definition', or the input of
register-task-definition), optionally with its service ('aws ecs describe-services'), or an ecs-cli
compose project, into builtin:monochart values for one environment, and a report of what became of
every field of the input: converted, approximated (and how) or unsupported (and why).

  --task-definition <file>   the task definition JSON
  --service <file>           describe-services output: replicas, rollout, load balancer, service discovery
  --service-name <name>      the service to import when the file holds several
  --compose <file>           an ecs-cli project's docker-compose.yml (instead of --task-definition)
  --ecs-params <file>        its ecs-params.yml
  --environment <env>        the environment the values are for (required; checks the render)
  --app <name>               the app (default: the service name, else the family, else the compose directory)
  --keep-image               write the main container's image into the values (default: left to render's
                             'image' input, which the pipeline's build sets)
  --out <file>               write the values there (default: stdout)
  --report <file>            write the Markdown report there (default: a summary on stderr)
  --external-secrets <file>  write ExternalSecret manifests for the secrets the values refer to
  --json                     print one JSON object (values, image, secrets, report entries) on stdout

The values are checked by the monochart's own validation and rendered, and every rendered object is
checked against the Kubernetes API, before anything is written. Secrets are never copied: the values
refer to Kubernetes Secrets that External Secrets Operator syncs from the same SSM parameters and
Secrets Manager secrets (see the report).

exit codes:
  0  the values were written (the report says what needs attention)
  1  the input could not be imported (the error is the last line on stderr)
  2  the command line is wrong; nothing was read`;

export interface ImportEcsIo {
  out: (line: string) => void;
  err: (line: string) => void;
  cwd: string;
}

export async function importEcsCommand(args: string[], io: ImportEcsIo): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: false,
      options: {
        'task-definition': { type: 'string' },
        service: { type: 'string' },
        'service-name': { type: 'string' },
        compose: { type: 'string' },
        'ecs-params': { type: 'string' },
        environment: { type: 'string' },
        app: { type: 'string' },
        'keep-image': { type: 'boolean' },
        out: { type: 'string' },
        report: { type: 'string' },
        'external-secrets': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${IMPORT_ECS_USAGE}`);
  }
  const v = parsed.values;
  if (v.help) {
    io.out(IMPORT_ECS_USAGE);
    return;
  }
  if (!v.environment) throw new UsageError(`import-ecs needs --environment\n\n${IMPORT_ECS_USAGE}`);
  if (!v['task-definition'] && !v.compose) throw new UsageError(`import-ecs needs --task-definition (or --compose)\n\n${IMPORT_ECS_USAGE}`);
  if (v['task-definition'] && v.compose) throw new UsageError('give --task-definition or --compose, not both');
  if (v['ecs-params'] && !v.compose) throw new UsageError('--ecs-params belongs to --compose');
  if (v.service && v.compose) throw new UsageError('--service goes with --task-definition; a compose project takes its service settings from ecs-params.yml');
  if (v['service-name'] !== undefined && !v.service) throw new UsageError('--service-name picks a service of --service: give that file too');

  const read = (file: string | undefined): SourceText | undefined => {
    if (file === undefined) return undefined;
    try {
      return { file, text: readFileSync(resolve(io.cwd, file), 'utf8') };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`);
    }
  };
  const result = importEcs({
    environment: v.environment,
    ...(v.app !== undefined ? { app: v.app } : {}),
    ...(v['keep-image'] ? { keepImage: true } : {}),
    ...optional('taskDefinition', read(v['task-definition'])),
    ...optional('service', read(v.service)),
    ...optional('serviceName', v['service-name']),
    ...optional('compose', read(v.compose)),
    ...optional('ecsParams', read(v['ecs-params'])),
  });

  const write = (file: string, text: string) => writeFileSync(resolve(io.cwd, file), text);
  if (v.out) write(v.out, result.valuesYaml);
  if (v.report) write(v.report, result.reportMarkdown);
  if (v['external-secrets']) write(v['external-secrets'], result.externalSecrets.length ? dumpYamlDocuments(result.externalSecrets, { sortKeys: false }) : '');

  if (v.json) {
    io.out(JSON.stringify({
      app: result.app,
      environment: result.environment,
      values: result.values,
      image: result.image ?? null,
      secrets: result.secrets,
      externalSecrets: result.externalSecrets,
      report: { notes: result.report.notes, entries: result.report.entries.map((e) => ({ ...e, path: [...e.path] })) },
    }));
  } else if (!v.out) io.out(result.valuesYaml.trimEnd());

  io.err(`import-ecs: ${result.app} (${result.environment}): ${summaryLine(result.report)}`);
  if (result.image) io.err(`import-ecs: the app image is left to render's 'image' input: --image ${result.image.repository}${result.image.tag ? ` --image-tag ${result.image.tag}` : ''}${result.image.digest ? ` --image-digest ${result.image.digest}` : ''}`);
  if (result.secrets.length) io.err(`import-ecs: ${result.secrets.length} secret reference(s) need External Secrets Operator and ${result.externalSecrets.length} ExternalSecret(s)${v['external-secrets'] ? ` (written to ${v['external-secrets']})` : ' (--external-secrets writes them)'}`);
  if (v.out) io.err(`import-ecs: values written to ${v.out}`);
  if (v.report) io.err(`import-ecs: report written to ${v.report}`);
  else {
    const attention = result.report.entries.filter((e) => e.action && e.status !== 'converted');
    if (attention.length) io.err(`import-ecs: ${attention.length} field(s) need a decision; write the full report with --report <file>`);
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
