import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { importEcsCommand } from '../../packages/cli/src/import-ecs-command.js';
import { UsageError } from '../../packages/cli/src/usage-error.js';
import { InputError } from '#core/errors/errors.js';
import { validateMonochartValues } from '#core/render/monochart/index.js';
import { loadYaml, loadYamlDocuments } from '#core/yaml/load-yaml.js';

const dir = mkdtempSync(join(tmpdir(), 'import-ecs-cli-'));
cpSync(join(import.meta.dirname, '..', 'fixtures', 'ecs'), dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  await importEcsCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd: dir });
  return { out, err };
}

describe('gitops-actions import-ecs', () => {
  test('writes values, report and ExternalSecrets, and summarises on stderr', async () => {
    const { out, err } = await run([
      '--environment', 'staging',
      '--task-definition', 'web-alb-fargate/task-definition.json',
      '--service', 'web-alb-fargate/service.json',
      '--out', 'values.yaml', '--report', 'report.md', '--external-secrets', 'external-secrets.yaml',
    ]);
    expect(out).toEqual([]);
    expect(err).toEqual([
      'import-ecs: verity-api (staging): 80 fields: 33 converted, 12 approximated, 35 unsupported (5 need action).',
      "import-ecs: the app image is left to render's 'image' input: --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/verity-api --image-tag 1.4.2",
      'import-ecs: 1 secret reference(s) need External Secrets Operator and 1 ExternalSecret(s) (written to external-secrets.yaml)',
      'import-ecs: values written to values.yaml',
      'import-ecs: report written to report.md',
    ]);
    const values = loadYaml(readFileSync(join(dir, 'values.yaml'), 'utf8'), { file: 'values.yaml' });
    expect(() => validateMonochartValues(values)).not.toThrow();
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/^# ECS import: verity-api \(staging\)\n/);
    expect(loadYamlDocuments(readFileSync(join(dir, 'external-secrets.yaml'), 'utf8'), { file: 'es.yaml' })).toMatchObject([{ kind: 'ExternalSecret', metadata: { name: 'verity-api-secrets-manager' } }]);
  });

  test('values on stdout without --out; --json prints one object', async () => {
    const plain = await run(['--environment', 'production', '--compose', 'compose-project/docker-compose.yml', '--ecs-params', 'compose-project/ecs-params.yml', '--app', 'catalog']);
    expect(plain.out.join('\n')).toMatch(/^# builtin:monochart values for catalog in production/);
    expect(plain.err.at(-1)).toBe('import-ecs: 12 field(s) need a decision; write the full report with --report <file>');
    const json = await run(['--environment', 'production', '--task-definition', 'worker-secrets-ec2/task-definition.json', '--json']);
    const parsed = JSON.parse(json.out.join('\n')) as { app: string; values: unknown; report: { entries: unknown[] } };
    expect(parsed.app).toBe('ledger-worker');
    expect(parsed.report.entries.length).toBeGreaterThan(30);
  });

  test('usage errors (exit code 2) and input errors (exit code 1)', async () => {
    await expect(run(['--task-definition', 'td.json'])).rejects.toThrow(UsageError);
    await expect(run(['--environment', 'staging'])).rejects.toThrow(/^import-ecs needs --task-definition \(or --compose\)/);
    await expect(run(['--environment', 'staging', '--task-definition', 'a.json', '--compose', 'b.yml'])).rejects.toThrow('give --task-definition or --compose, not both');
    await expect(run(['--environment', 'staging', '--task-defnition', 'a.json'])).rejects.toThrow(UsageError);
    const missing = run(['--environment', 'staging', '--task-definition', 'nope.json']);
    await expect(missing).rejects.toThrow(InputError);
    await expect(missing).rejects.toThrow('cannot read nope.json: no such file');
  });
});
