import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeLayeredImage } from '../harness/images.js';
import { gitIn, TestRepo } from '../harness/git-repo.js';
import { startRegistry, type TestRegistry } from '../harness/registry-server.js';
import { repoRoot, runBundle, type BundleRun } from '../harness/run-bundle.js';
import { filesAt, gitopsOrigin } from '../integration/gitops-fixtures.js';

const EXAMPLE = join(repoRoot, 'examples', 'verity-api');
const OUTPUTS = ['changed', 'commit-sha', 'commit-url', 'digest', 'pull-request-url', 'version'];

let registry: TestRegistry;
let sites = 0;

beforeAll(async () => {
  registry = await startRegistry();
});

afterAll(async () => {
  await registry?.stop();
});

interface Site {
  app: TestRepo;
  staging: string;
  production: string;
  image: string;
  repo: string;
  /** Digest of each version pushed by "the build". */
  digests: Record<string, string>;
}

/**
 * examples/verity-api as a team's repository: its gitops.yaml pointed at the local registry
 * and two file:// GitOps repositories (production in push mode: a pull request needs GitHub).
 * Versions 1.4.0 and 1.5.0 are built and pushed; each is deployed to staging the way
 * the pipeline deploys (render + commit, pinned to the digest).
 */
async function site(edit: (y: string) => string = (y) => y): Promise<Site> {
  const staging = gitopsOrigin({ 'README.md': '# staging\n' });
  const production = gitopsOrigin({ 'README.md': '# production\n' });
  const repo = `acme/promote-${++sites}/verity-api`;
  const image = `${registry.host}/${repo}`;
  const app = TestRepo.create();
  cpSync(EXAMPLE, app.dir, { recursive: true, filter: (src) => !src.includes(`${EXAMPLE}/.github`) });
  const config = join(app.dir, 'gitops.yaml');
  writeFileSync(
    config,
    edit(
      readFileSync(config, 'utf8')
        .replace('image: ghcr.io/acme/verity-api', `image: ${image}`)
        .replace('repository: acme/va-verity-eks-stage-gitops', `repository: ${staging.url}`)
        .replace('repository: acme/va-verity-eks-prod-gitops, branch: main, mode: pull-request', `repository: ${production.url}, branch: main`),
    ),
  );
  app.commit('chore: import verity-api');
  const digests: Record<string, string> = {};
  for (const version of ['1.4.0', '1.5.0']) {
    digests[version] = (await makeLayeredImage(registry.url, repo, version, { layers: 1, layerBytes: 2048 })).manifestDigest;
  }
  return { app, staging: staging.dir, production: production.dir, image, repo, digests };
}

function deployStaging(s: Site, version: string): Promise<BundleRun> {
  return runBundle('pipeline', {
    actionDir: repoRoot,
    workspace: s.app.dir,
    inputs: { environment: 'staging', steps: 'render, commit', version, 'image-digest': s.digests[version]! },
    context: { sha: s.app.head(), ref: 'refs/heads/main', repository: 'acme/verity-api' },
  });
}

function promote(s: Site, inputs: Record<string, string> = {}): Promise<BundleRun> {
  return runBundle('promote', {
    workspace: s.app.dir,
    inputs: { to: 'production', 'registry-insecure': 'true', ...inputs },
    context: { sha: s.app.head(), ref: 'refs/heads/main', repository: 'acme/verity-api', eventName: 'workflow_dispatch' },
  });
}

async function tagDigest(s: Site, tag: string): Promise<string | null> {
  const r = await fetch(`${registry.url}/v2/${s.repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
  });
  return r.status === 200 ? r.headers.get('docker-content-digest') : null;
}

function productionRuns(s: Site): { version: string; image: string } {
  const deployment = filesAt(s.production, 'verity-api--production')['monochart/templates/deployment.yaml'] ?? '';
  return {
    version: /gitops-actions\.io\/version: "?([^"\n]+)"?/.exec(deployment)?.[1] ?? '',
    image: /image: "?([^"\n]+)"?/.exec(deployment)?.[1] ?? '',
  };
}

function subjects(bare: string): string[] {
  return gitIn(bare, ['log', '--format=%s', 'main']).split('\n');
}

describe('promote bundle', () => {
  test('no inputs: our own input error, every output set', async () => {
    const r = await runBundle('promote');
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual(["input 'to' is required"]);
    expect(Object.keys(r.outputs).sort()).toEqual(OUTPUTS);
  });

  test('two versions deployed to staging: the second promoted to production by digest, then production rolled back to the first', async () => {
    const s = await site();
    for (const version of ['1.4.0', '1.5.0']) {
      const deployed = await deployStaging(s, version);
      expect(deployed.errors).toEqual([]);
    }

    // What staging runs now, by default.
    const promoted = await promote(s);
    expect(promoted.errors).toEqual([]);
    expect(promoted.exitCode).toBe(0);
    expect(promoted.outputs).toMatchObject({ version: '1.5.0', digest: s.digests['1.5.0'], changed: 'true', 'commit-sha': gitIn(s.production, ['rev-parse', 'main']) });
    expect(productionRuns(s)).toEqual({ version: '1.5.0', image: `${s.image}@${s.digests['1.5.0']}` });
    expect(subjects(s.production)[0]).toBe('promote(verity-api): production 1.5.0 from staging');
    expect(await tagDigest(s, 'production')).toBe(s.digests['1.5.0']);
    expect(await tagDigest(s, '1.5.0')).toBe(s.digests['1.5.0']);
    expect(promoted.summary).toContain('### promote `verity-api`: 1.5.0 from staging to production');
    expect(promoted.summary).toMatch(/\| staging ran 1\.5\.0 \| since \d{4}-\d\d-\d\d/);
    expect(promoted.summary).toContain('| 1.4.0 |');
    expect(promoted.summary).toContain('Diff of the desired state');

    // An older version without allow-downgrade: refused by production's version check; no tag moves.
    const refused = await promote(s, { version: '1.4.0' });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors[0]).toContain('refusing to replace version 1.5.0');
    expect(productionRuns(s).version).toBe('1.5.0');
    expect(await tagDigest(s, 'production')).toBe(s.digests['1.5.0']);

    // The rollback: 1.4.0 at the digest staging ran it at.
    const rolledBack = await promote(s, { version: '1.4.0', 'allow-downgrade': 'true' });
    expect(rolledBack.errors).toEqual([]);
    expect(rolledBack.outputs).toMatchObject({ version: '1.4.0', digest: s.digests['1.4.0'], changed: 'true' });
    expect(productionRuns(s)).toEqual({ version: '1.4.0', image: `${s.image}@${s.digests['1.4.0']}` });
    expect(subjects(s.production).slice(0, 2)).toEqual(['promote(verity-api): production 1.4.0 from staging', 'promote(verity-api): production 1.5.0 from staging']);
    expect(await tagDigest(s, 'production')).toBe(s.digests['1.4.0']);
  });

  test('dry run: read, checked and rendered, the diff shown; nothing committed, tagged or sent', async () => {
    const s = await site();
    expect((await deployStaging(s, '1.5.0')).errors).toEqual([]);
    const before = gitIn(s.production, ['rev-parse', 'main']);
    const r = await promote(s, { 'dry-run': 'true' });
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ version: '1.5.0', digest: s.digests['1.5.0'], changed: 'true', 'commit-sha': before });
    expect(r.stdout).toContain(`dry run: ${s.image}@${s.digests['1.5.0']} is not retagged production and 1.5.0`);
    expect(r.summary).toContain('dry run: nothing retagged, committed or sent');
    expect(r.summary).toContain(`+          image: ${s.image}@${s.digests['1.5.0']}`);
    expect(gitIn(s.production, ['rev-parse', 'main'])).toBe(before);
    expect(await tagDigest(s, 'production')).toBeNull();
  });

  test('a version staging never ran: refused, unless allow-untested takes the registry tag’s digest', async () => {
    const s = await site();
    expect((await deployStaging(s, '1.5.0')).errors).toEqual([]);
    const refused = await promote(s, { version: '1.4.0' });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors[0]).toMatch(/^staging never ran 1\.4\.0/);

    const untested = await promote(s, { version: '1.4.0', 'allow-untested': 'true' });
    expect(untested.errors).toEqual([]);
    expect(untested.stdout).toContain("::warning::staging never ran 1.4.0 (allow-untested): promoting the image the registry's 1.4.0 tag names, untested in staging");
    expect(untested.outputs).toMatchObject({ version: '1.4.0', digest: s.digests['1.4.0'], changed: 'true' });
    expect(productionRuns(s)).toEqual({ version: '1.4.0', image: `${s.image}@${s.digests['1.4.0']}` });
    expect(await tagDigest(s, 'production')).toBe(s.digests['1.4.0']);

    const missing = await promote(s, { version: '9.9.9', 'allow-untested': 'true' });
    expect(missing.errors).toEqual([`the registry has no ${s.image}:9.9.9: there is no image of 9.9.9 to promote`]);
  });

  test('bad requests: a clear error, nothing committed, no tag moved', async () => {
    const s = await site();
    const before = gitIn(s.production, ['rev-parse', 'main']);

    const neverDeployed = await promote(s);
    expect(neverDeployed.exitCode).toBe(1);
    expect(neverDeployed.errors[0]).toMatch(/^staging has never been deployed: .* main has no directory verity-api--staging$/);

    expect((await deployStaging(s, '1.5.0')).errors).toEqual([]);
    const neverRan = await promote(s, { version: '1.4.0' });
    expect(neverRan.errors[0]).toMatch(/^staging never ran 1\.4\.0: it is not among the versions its GitOps repository shows in the last 1000 commits of main \(1\.5\.0\)/);

    const denied = await promote(s, { 'deny-versions': '1.2.0\nv1.5.0' });
    expect(denied.errors).toEqual(["version 1.5.0 is in 'deny-versions': it is never promoted (take it off the list if it may be, or promote another version)"]);

    const wrongFrom = await promote(s, { from: 'qa' });
    expect(wrongFrom.errors).toEqual(["environment 'production' is promoted from 'staging' (its promote-from in gitops.yaml), not from 'qa'"]);

    const noPath = await promote(s, { to: 'staging' });
    expect(noPath.errors[0]).toMatch(/^environment 'staging' has no promote-from in gitops\.yaml/);

    await fetch(`${registry.url}/v2/${s.repo}/manifests/${s.digests['1.5.0']}`, { method: 'DELETE' });
    const gone = await promote(s);
    expect(gone.errors[0]).toMatch(/^the registry does not have .*@sha256:[0-9a-f]{64}, the image staging ran as 1\.5\.0/);

    expect(gitIn(s.production, ['rev-parse', 'main'])).toBe(before);
    expect(await tagDigest(s, 'production')).toBeNull();
  });
});
