import { describe, expect, test } from 'vitest';
import type { FetchOutcome } from '#core/argocd/argocd-client.js';
import { ArgoCdError, ArgoCdRefusedError } from '#core/argocd/argocd-error.js';
import { parseArgoCdUrl } from '#core/argocd/argocd-url.js';
import { waitForSync, type WaitClock, type WaitForSyncOptions, type WaitOutputs } from '#core/argocd/wait-for-sync.js';
import { localRuntime } from '#core/runtime/local-runtime.js';

const NEW = '84b53f0d599c1e2a3b4c5d6e7f8091a2b3c4d5e6';
const OLD = '1111111111111111111111111111111111111111';
const TOKEN = 'argocd-secret-token-value';

function state(sync: string, revision: string, health: string, extra: Record<string, unknown> = {}): FetchOutcome {
  return { ok: true, body: { status: { sync: { status: sync, revision }, health: { status: health }, ...extra } } };
}

/** Argo CD's manifests answer at a commit: one JSON string per object. */
function manifests(revision: string, objects: Record<string, unknown>[]): FetchOutcome {
  return { ok: true, body: { manifests: objects.map((o) => JSON.stringify(o)), namespace: 'verity-api--staging', server: 'https://kubernetes.default.svc', revision, sourceType: 'Directory' } };
}

const NOT_HERE: FetchOutcome = { ok: false, transient: true, problem: 'Argo CD answered HTTP 500: Unable to resolve the revision to a commit SHA' };

type ManifestAnswers = Record<string, (FetchOutcome | Error)[]>;

/**
 * A clock that advances only when the loop sleeps, and a client that plays
 * answers in order (the last one repeats): the Application's, and per
 * revision the manifests' (none given: Argo CD cannot resolve it).
 */
function fakes(answers: (FetchOutcome | Error)[], manifestAnswers: ManifestAnswers = {}) {
  let t = 0;
  const sleeps: number[] = [];
  const calls: { refresh?: string; project?: string }[] = [];
  const manifestCalls: { revision: string; project?: string }[] = [];
  /** When each getApplication was asked, on the fake clock. */
  const askedAt: number[] = [];
  const clock: WaitClock = {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
  const client = {
    getApplication: async (_name: string, query: { refresh?: 'normal' | 'hard'; project?: string } = {}) => {
      calls.push(query);
      askedAt.push(t);
      t += 10; // a request takes a little time
      const next = answers.length > 1 ? answers.shift()! : answers[0]!;
      if (next instanceof Error) throw next;
      return next;
    },
    getManifests: async (_name: string, query: { revision: string; project?: string }) => {
      manifestCalls.push(query);
      t += 10;
      const queue = manifestAnswers[query.revision] ?? [NOT_HERE];
      const next = queue.length > 1 ? queue.shift()! : queue[0]!;
      if (next instanceof Error) throw next;
      return next;
    },
  };
  return { clock, client, sleeps, calls, manifestCalls, askedAt };
}

function options(extra: Partial<WaitForSyncOptions> = {}): WaitForSyncOptions {
  return {
    server: parseArgoCdUrl('https://argocd.example.com', false),
    token: TOKEN,
    application: 'verity-api--staging',
    revision: NEW,
    timeoutMs: 60_000,
    requireHealthy: true,
    refresh: true,
    pollIntervalMs: 1000,
    ...extra,
  };
}

async function run(answers: (FetchOutcome | Error)[], extra: Partial<WaitForSyncOptions> = {}, manifestAnswers: ManifestAnswers = {}) {
  const lines: string[] = [];
  const runtime = localRuntime({}, (l) => lines.push(l));
  runtime.setSecret(TOKEN);
  const f = fakes(answers, manifestAnswers);
  const published: Partial<WaitOutputs>[] = [];
  let result: WaitOutputs | undefined;
  let error: unknown;
  try {
    result = await waitForSync(options(extra), runtime, (o) => published.push(o), { clock: f.clock, client: f.client });
  } catch (e) {
    error = e;
  }
  return { ...f, lines, runtime, published, result, error };
}

describe('waitForSync', () => {
  test('polls through the progression, looking again soon after each change', async () => {
    const r = await run([
      state('OutOfSync', NEW, 'Healthy'),
      state('OutOfSync', NEW, 'Healthy', { operationState: { phase: 'Running', operation: { sync: { revision: NEW } } } }),
      state('Synced', NEW, 'Progressing'),
      state('Synced', NEW, 'Healthy'),
    ]);
    expect(r.error).toBeUndefined();
    expect(r.result).toMatchObject({ synced: true, healthy: true, 'sync-status': 'Synced', 'health-status': 'Healthy', revision: NEW });
    expect(r.sleeps).toEqual([1000, 1000, 1000]);
    expect(r.published).toHaveLength(1);
    expect(r.runtime.summaries[0]).toContain('✅');
  });

  test('backs off while nothing changes, up to six poll intervals, and stops at the deadline with the last state', async () => {
    const r = await run([state('Synced', OLD, 'Healthy')], { timeoutMs: 30_000 });
    expect(r.sleeps.slice(0, 6)).toEqual([1000, 1500, 2250, 3375, 5063, 6000]);
    expect(r.sleeps.every((ms) => ms <= 6000)).toBe(true);
    expect(r.error).toBeInstanceOf(ArgoCdError);
    expect((r.error as ArgoCdError).kind).toBe('timeout');
    expect((r.error as Error).message).toBe(
      'Argo CD: verity-api--staging was not synced and healthy at 84b53f0d599c within 30s; last seen: Synced/Healthy at 111111111111 (Argo CD is at 111111111111, not yet at 84b53f0d599c)',
    );
    // The last sleep is cut to the deadline, and one more look is taken there.
    expect(r.clock.now()).toBeGreaterThanOrEqual(30_000);
    expect(r.result).toBeUndefined();
    expect(r.published[0]).toMatchObject({ synced: false, healthy: false, 'sync-status': 'Synced', revision: OLD });
    expect(r.published[0]!.message).toContain('within 30s');
    expect(r.runtime.summaries[0]).toContain('⏱️');
    // Unchanged states are not logged again.
    expect(r.lines.filter((l) => l.includes('not yet at'))).toHaveLength(1);
  });

  test('refreshes while the commit is not there, at most every 30 s, and not once it is', async () => {
    const r = await run([...Array<FetchOutcome>(30).fill(state('Synced', OLD, 'Healthy')), state('OutOfSync', NEW, 'Healthy'), state('Synced', NEW, 'Healthy')], {
      timeoutMs: 600_000,
    });
    expect(r.error).toBeUndefined();
    const refreshedAt = r.askedAt.filter((_, i) => r.calls[i]!.refresh);
    expect(refreshedAt[0]).toBe(0);
    for (let i = 1; i < refreshedAt.length; i++) expect(refreshedAt[i]! - refreshedAt[i - 1]!).toBeGreaterThanOrEqual(30_000);
    expect(r.calls.at(-1)!.refresh).toBeUndefined();
    expect(r.calls.every((c) => c.refresh === undefined || c.refresh === 'normal')).toBe(true);
  });

  test('refresh false never refreshes; project is passed on', async () => {
    const r = await run([state('Synced', NEW, 'Healthy')], { refresh: false, project: 'payments' });
    expect(r.calls).toEqual([{ project: 'payments' }]);
  });

  test('transient problems are logged and tried again; a refresh that failed is asked for again', async () => {
    const r = await run([{ ok: false, transient: true, problem: `Argo CD answered HTTP 503 (token ${TOKEN})` }, state('Synced', NEW, 'Healthy')]);
    expect(r.error).toBeUndefined();
    expect(r.calls.map((c) => c.refresh)).toEqual(['normal', 'normal']);
    expect(r.lines.join('\n')).toContain('Argo CD answered HTTP 503 (token ***); trying again');
    expect(r.lines.join('\n')).not.toContain(TOKEN);
  });

  test('a refusal stops at once, with every output published and the summary written', async () => {
    const refused = new ArgoCdRefusedError("Argo CD at argocd.example.com answered 'permission denied'", 403);
    const r = await run([refused]);
    expect(r.error).toBe(refused);
    expect(r.calls).toHaveLength(1);
    expect(r.published).toEqual([
      { synced: false, healthy: false, 'sync-status': '', 'health-status': '', revision: '', 'duration-seconds': 0, message: "Argo CD at argocd.example.com answered 'permission denied'" },
    ]);
    expect(r.runtime.summaries[0]).toContain('no answer');
  });

  test('Degraded at the commit and a failed sync fail with their kind', async () => {
    const degraded = await run([state('Synced', NEW, 'Degraded')]);
    expect((degraded.error as ArgoCdError).kind).toBe('degraded');
    expect(degraded.published[0]).toMatchObject({ synced: true, healthy: false, 'health-status': 'Degraded' });
    const failed = await run([state('OutOfSync', NEW, 'Healthy', { operationState: { phase: 'Error', message: 'hook failed', syncResult: { revision: NEW } } })]);
    expect((failed.error as ArgoCdError).kind).toBe('sync-failed');
    expect((failed.error as Error).message).toContain('ended in phase Error: hook failed');
  });

  test('Argo CD text is logged as one harmless line', async () => {
    const r = await run([state('Synced', NEW, 'Progressing', {}), state('Synced', NEW, 'Healthy')].map((s, i) =>
      i === 0 && s.ok ? { ok: true as const, body: { status: { sync: { status: 'Synced', revision: NEW }, health: { status: 'Progressing', message: 'x\n::error::forged' } } } } : s,
    ));
    expect(r.error).toBeUndefined();
    expect(r.lines.some((l) => l.split('\n').some((part) => part.startsWith('::error::')))).toBe(false);
    expect(r.lines.join('\n')).toContain('⏎');
  });
});

describe('waitForSync: a later commit with the same manifests counts as ours', () => {
  const AFTER = '2222222222222222222222222222222222222222';
  const deployment = (image: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'verity-api', annotations: { 'gitops.example/version': '1.4.0' } },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image }] } } },
  });
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'verity-api' }, spec: { ports: [{ port: 80 }] } };
  /** The same objects as Argo CD might write them at another commit: other key order, other object order. */
  const reordered = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).reverse());

  test('Argo CD at another commit with the same manifests: waits for it as for ours, and reports where Argo CD is', async () => {
    const r = await run([state('OutOfSync', AFTER, 'Healthy'), state('Synced', AFTER, 'Progressing'), state('Synced', AFTER, 'Healthy')], {}, {
      [NEW]: [manifests(NEW, [deployment('registry.example/verity-api@sha256:aa'), service])],
      [AFTER]: [manifests(AFTER, [reordered(service), reordered(deployment('registry.example/verity-api@sha256:aa'))])],
    });
    expect(r.error).toBeUndefined();
    expect(r.result).toMatchObject({
      synced: true,
      healthy: true,
      'sync-status': 'Synced',
      revision: AFTER,
      message: 'verity-api--staging is synced and healthy at 222222222222, a commit with the same manifests for it as 84b53f0d599c',
    });
    const told = r.lines.filter((l) => l.includes('with the same manifests for verity-api--staging as 84b53f0d599c'));
    expect(told).toEqual([
      'Argo CD is at 222222222222, another commit of the branch with the same manifests for verity-api--staging as 84b53f0d599c: 84b53f0d599c is live once it is',
    ]);
    expect(r.lines.join('\n')).toContain('OutOfSync/Healthy at 222222222222: sync status is OutOfSync at 222222222222');
    // Each commit's manifests are asked for once, however many polls look at the commit.
    expect(r.manifestCalls).toEqual([{ revision: NEW }, { revision: AFTER }]);
    // Once Argo CD is at an equivalent commit there is nothing to refresh for.
    expect(r.calls.map((c) => c.refresh)).toEqual(['normal', undefined, undefined]);
    expect(r.runtime.summaries[0]).toContain('a commit with the same manifests for the application');
  });

  test('a commit whose manifests differ is waited past: timeout naming the objects that differ', async () => {
    const r = await run([state('Synced', AFTER, 'Healthy')], { timeoutMs: 20_000, project: 'payments' }, {
      [NEW]: [manifests(NEW, [deployment('registry.example/verity-api@sha256:aa'), service])],
      [AFTER]: [manifests(AFTER, [deployment('registry.example/verity-api@sha256:bb'), service, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra', namespace: 'other' } }])],
    });
    expect((r.error as ArgoCdError).kind).toBe('timeout');
    expect((r.error as Error).message).toBe(
      'Argo CD: verity-api--staging was not synced and healthy at 84b53f0d599c within 20s; last seen: Synced/Healthy at 222222222222 ' +
        '(Argo CD is at 222222222222, whose manifests for this application differ from 84b53f0d599c in ConfigMap other/extra (only at 222222222222), ' +
        'Deployment verity-api (changed): an older commit, or a newer one that replaces ours)',
    );
    expect(r.published[0]).toMatchObject({ synced: false, healthy: false, revision: AFTER });
    expect(r.calls.length).toBeGreaterThan(3);
    expect(r.manifestCalls).toEqual([
      { revision: NEW, project: 'payments' },
      { revision: AFTER, project: 'payments' },
    ]);
  });

  test('a manifests request that fails is not an answer: the wait goes on and asks again on the next poll', async () => {
    const r = await run([state('Synced', AFTER, 'Healthy')], {}, {
      [NEW]: [NOT_HERE, { ok: false, transient: true, problem: 'could not reach Argo CD at argocd.example.com: socket hang up' }, manifests(NEW, [service])],
      [AFTER]: [manifests(AFTER, [service])],
    });
    expect(r.error).toBeUndefined();
    expect(r.result).toMatchObject({ synced: true, healthy: true, revision: AFTER });
    expect(r.manifestCalls.map((c) => c.revision)).toEqual([NEW, NEW, NEW, AFTER]);
    const problems = r.lines.filter((l) => l.startsWith("could not compare Argo CD's manifests at 222222222222 with 84b53f0d599c yet"));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('the manifests at 84b53f0d599c: Argo CD answered HTTP 500');
    expect(r.calls).toHaveLength(3);
  });

  test("an answer for another commit than the one asked for is not trusted (a server that ignored ?revision= would make every commit look alike)", async () => {
    const r = await run([state('Synced', AFTER, 'Healthy')], { timeoutMs: 5000 }, {
      [NEW]: [manifests(OLD, [service])],
      [AFTER]: [manifests(OLD, [service])],
    });
    expect((r.error as ArgoCdError).kind).toBe('timeout');
    expect((r.error as Error).message).toContain('(Argo CD is at 222222222222, not yet at 84b53f0d599c)');
    expect(r.lines.join('\n')).toContain("Argo CD answered the manifests of '1111111111111111111111111111111111111111' when asked for 84b53f0d599c");
    expect(r.result).toBeUndefined();
  });

  test('a token refused on the manifests request ends the wait, as it does for the Application', async () => {
    const refused = new ArgoCdRefusedError("Argo CD at argocd.example.com answered 'permission denied'", 403);
    const r = await run([state('Synced', AFTER, 'Healthy')], {}, { [NEW]: [refused] });
    expect(r.error).toBe(refused);
    expect(r.calls).toHaveLength(1);
    expect(r.published[0]).toMatchObject({ synced: false, revision: AFTER, message: "Argo CD at argocd.example.com answered 'permission denied'" });
  });

  test('a failed sync of our commit still fails, whatever commit Argo CD compares at', async () => {
    const r = await run(
      [state('OutOfSync', AFTER, 'Healthy', { operationState: { phase: 'Failed', message: 'hook failed', syncResult: { revision: NEW } } })],
      {},
      { [NEW]: [manifests(NEW, [service])], [AFTER]: [manifests(AFTER, [service])] },
    );
    expect((r.error as ArgoCdError).kind).toBe('sync-failed');
    expect(r.manifestCalls).toEqual([]);
  });
});
