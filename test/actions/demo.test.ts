import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from '../harness/run-bundle.js';

/** `npm run demo`, as a newcomer runs it: tsx on scripts/demo.ts, which drives the committed CLI bundle. */
async function demo(): Promise<{ code: number; stdout: string; stderr: string }> {
  // GITHUB_* of a CI job running this test must not reach the demo (it clears them itself too).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GITHUB_')));
  const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(repoRoot, 'scripts', 'demo.ts')], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code: number = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? -1));
  });
  return { code, stdout, stderr };
}

/** The lines after a heading, up to the next one. */
function section(stdout: string, title: string): string {
  const start = stdout.indexOf(`━━ ${title} `);
  expect(start, `no section '${title}' in:\n${stdout}`).toBeGreaterThanOrEqual(0);
  const end = stdout.indexOf('\n━━ ', start + 1);
  return stdout.slice(start, end === -1 ? undefined : end);
}

test('npm run demo: the whole pipeline on examples/verity-api, then the GitOps trees and commits', { timeout: 120_000 }, async () => {
  const r = await demo();
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);

  // buildah and docker-registry are installed here (npm test makes sure), so the image is built and pinned.
  expect(r.stdout).not.toContain('build: skipped');
  expect(r.stdout).toMatch(/pushed 127\.0\.0\.1:\d+\/acme\/verity-api:1\.4\.0/);

  const staging = section(r.stdout, 'GitOps repository for staging');
  expect(staging).toContain(
    [
      'va-verity-eks-stage-gitops.git (main)',
      '├── README.md',
      '├── applications/',
      '│   └── verity-api--staging.yaml',
      '├── billing-api--staging/',
      '│   └── monochart/',
      '│       └── templates/',
      '│           └── deployment.yaml',
      '└── verity-api--staging/',
      '    └── monochart/',
      '        └── templates/',
      '            ├── deployment.yaml',
      '            ├── service.yaml',
      '            └── serviceaccount.yaml',
    ].join('\n'),
  );
  expect(staging).toContain('    deploy(verity-api): staging 1.4.0');
  expect(staging).toMatch(/ applications\/verity-api--staging\.yaml +\| 19 \+/);
  expect(staging).toContain(' 4 files changed');
  const digest = /image-ref=(127\.0\.0\.1:\d+\/acme\/verity-api@sha256:[0-9a-f]{64})/.exec(staging)?.[1];
  expect(digest).toBeDefined();

  // Production runs the very image staging got.
  const production = section(r.stdout, 'GitOps repository for production');
  expect(production).toContain('└── verity-api--production/');
  expect(production).toContain('│   └── verity-api--production.yaml');
  expect(production).toContain('    deploy(verity-api): production 1.4.0');
  expect(production).toContain(`image-ref=${digest}`);

  // The Slack message is shown, not sent.
  expect(r.stdout).toContain('"text": ":white_check_mark: verity-api 1.4.0 deployed to staging"');
  expect(r.stdout).toMatch(/━━ done in \d+\.\d s/);
});
