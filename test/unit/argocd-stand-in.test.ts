import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ArgoCdClient } from '#core/argocd/argocd-client.js';
import { ArgoCdRefusedError } from '#core/argocd/argocd-error.js';
import { parseArgoCdUrl } from '#core/argocd/argocd-url.js';
import { startArgoCdServer, type ArgoCdServer } from '../harness/argocd-server.js';
import { gitIn } from '../harness/git-repo.js';
import { gitopsOrigin, renderedFiles } from '../integration/gitops-fixtures.js';

/**
 * The Argo CD stand-in itself, where the wait's behaviour depends on it
 * modelling Argo CD faithfully: what a branch head that does not touch an
 * app does to it, and the manifests endpoint (through the real client).
 */

let argocd: ArgoCdServer;
beforeAll(async () => {
  argocd = await startArgoCdServer({ tls: false });
});
afterAll(async () => {
  await argocd?.close();
});

type Origin = ReturnType<typeof gitopsOrigin>;

/** A commit of `files` (paths from the repo root) pushed to the origin's main; its SHA. */
function push(origin: Origin, message: string, files: Record<string, string>): string {
  origin.seed.commit(message, files);
  gitIn(origin.seed.dir, ['push', '--quiet', origin.dir, 'HEAD:main']);
  return gitIn(origin.dir, ['rev-parse', 'main']);
}

function under(dir: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([p, c]) => [`${dir}/${p}`, c]));
}

async function get(name: string, query = '', token = argocd.token): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${argocd.url}/api/v1/applications/${name}${query}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface AppJson {
  status: { sync: { status: string; revision?: string }; health: { status: string }; operationState?: unknown; history: unknown[] };
}

function client(token = argocd.token): ArgoCdClient {
  return new ArgoCdClient({ server: parseArgoCdUrl(argocd.url, true), token });
}

describe('Argo CD stand-in: the branch head moves', () => {
  test("another app's commit: Synced at the new head at once, no sync operation, no history entry", async () => {
    const origin = gitopsOrigin();
    argocd.addApplication({ name: 'web--staging', repo: origin.dir });
    const other = push(origin, 'deploy billing 2.1.0', under('billing--staging', renderedFiles('billing', '2.1.0')));
    const first = (await get('web--staging', '?refresh=normal')).body as unknown as AppJson;
    expect(first.status.sync).toMatchObject({ status: 'Synced', revision: other });
    expect(first.status.health.status).toBe('Healthy');
    expect(first.status.operationState).toBeUndefined();
    expect(first.status.history).toHaveLength(1);
    // Later looks move nothing: there is nothing to sync.
    const later = (await get('web--staging')).body as unknown as AppJson;
    expect(later.status.sync).toMatchObject({ status: 'Synced', revision: other });
    expect(later.status.operationState).toBeUndefined();
  });

  test("a commit that changes the app: OutOfSync at it, then a sync operation", async () => {
    const origin = gitopsOrigin();
    argocd.addApplication({ name: 'web--staging', repo: origin.dir, project: 'web' });
    const mine = push(origin, 'deploy web 2.1.0', under('web--staging', renderedFiles('web', '2.1.0')));
    const first = (await get('web--staging', '?refresh=normal')).body as unknown as AppJson;
    expect(first.status.sync).toMatchObject({ status: 'OutOfSync', revision: mine });
    const next = (await get('web--staging')).body as unknown as AppJson;
    expect(next.status.operationState).toMatchObject({ phase: 'Running', operation: { sync: { revision: mine } } });
  });
});

describe('Argo CD stand-in: GET /api/v1/applications/{name}/manifests', () => {
  let origin: Origin;
  let before: string;
  let after: string;
  beforeAll(() => {
    origin = gitopsOrigin();
    argocd.addApplication({ name: 'billing--staging', repo: origin.dir, project: 'billing' });
    before = gitIn(origin.dir, ['rev-parse', 'main']);
    after = push(origin, 'billing: a config map, notes and an empty document', {
      'billing--staging/extra/config.yml': '---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: billing-config\ndata:\n  enabled: "yes"\n---\n',
      'billing--staging/NOTES.txt': 'not a manifest\n',
      'web--staging/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-billing\n',
    });
  });

  test("each object of the app's directory at the revision, as a JSON string with Argo CD's tracking annotation", async () => {
    const answer = await client().getManifests('billing--staging', { revision: after.slice(0, 10) });
    expect(answer.ok).toBe(true);
    const body = (answer as { body: { manifests: string[]; revision: string; sourceType: string; namespace: string } }).body;
    expect(body).toMatchObject({ revision: after, sourceType: 'Directory', namespace: 'billing--staging', server: 'https://kubernetes.default.svc' });
    const objects = body.manifests.map((m) => JSON.parse(m) as { kind: string; metadata: { name: string; annotations: Record<string, string> }; data?: unknown });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['ConfigMap/billing-config', 'Deployment/billing', 'Service/billing']);
    expect(objects.find((o) => o.kind === 'ConfigMap')!.data).toEqual({ enabled: 'yes' });
    expect(objects.find((o) => o.kind === 'Deployment')!.metadata.annotations).toEqual({
      'gitops-actions.io/version': '2.0.0',
      // The fixtures write apiVersion v1: the core group, empty in the tracking id.
      'argocd.argoproj.io/tracking-id': 'billing--staging:/Deployment:billing--staging/billing',
    });

    const earlier = await client().getManifests('billing--staging', { revision: before });
    expect((earlier as { body: { manifests: string[] } }).body.manifests).toHaveLength(2);
  });

  test('a revision the repository does not have: HTTP 500, gRPC Unknown; the client makes it a problem to try again', async () => {
    const raw = await get('billing--staging/manifests', `?revision=${'d'.repeat(40)}`);
    expect(raw).toEqual({ status: 500, body: { error: `Unable to resolve '${'d'.repeat(40)}' to a commit SHA`, code: 2, message: `Unable to resolve '${'d'.repeat(40)}' to a commit SHA` } });
    const answer = await client().getManifests('billing--staging', { revision: 'd'.repeat(40) });
    expect(answer).toEqual({ ok: false, transient: true, problem: `Argo CD answered HTTP 500: Unable to resolve '${'d'.repeat(40)}' to a commit SHA` });
  });

  test('the same token and project rules as GET: 401 and 403 end the wait, anything else is a problem', async () => {
    await expect(client('not-a-token').getManifests('billing--staging', { revision: after })).rejects.toMatchObject({ httpStatus: 401 });
    const webOnly = argocd.addToken({ projects: ['web'] });
    const refused = client(webOnly).getManifests('billing--staging', { revision: after });
    await expect(refused).rejects.toBeInstanceOf(ArgoCdRefusedError);
    await expect(refused).rejects.toMatchObject({ httpStatus: 403 });
    expect((await get('billing--staging/manifests', `?revision=${after}`, webOnly)).status).toBe(403);
    expect((await get('billing--staging/manifests', `?revision=${after}&project=billing`)).status).toBe(200);
    const wrongProject = await client().getManifests('billing--staging', { revision: after, project: 'web' });
    expect(wrongProject).toMatchObject({ ok: false, transient: true, problem: expect.stringContaining('Argo CD answered HTTP 404') });
  });

  test('faults queued for /manifests are answered to it, not to GET', async () => {
    argocd.faultManifests('billing--staging', { status: 503 }, { drop: true });
    expect((await get('billing--staging')).status).toBe(200);
    expect(await client().getManifests('billing--staging', { revision: after })).toMatchObject({ ok: false, problem: 'Argo CD answered HTTP 503: upstream connect error or disconnect/reset before headers' });
    expect(await client().getManifests('billing--staging', { revision: after })).toMatchObject({ ok: false, problem: expect.stringContaining('socket hang up') });
    expect(await client().getManifests('billing--staging', { revision: after })).toMatchObject({ ok: true });
  });
});
