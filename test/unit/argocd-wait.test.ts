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

/** A clock that advances only when the loop sleeps, and a client that plays answers in order (the last one repeats). */
function fakes(answers: (FetchOutcome | Error)[]) {
  let t = 0;
  const sleeps: number[] = [];
  const calls: { refresh?: string; project?: string }[] = [];
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
      t += 10; // a request takes a little time
      const next = answers.length > 1 ? answers.shift()! : answers[0]!;
      if (next instanceof Error) throw next;
      return next;
    },
  };
  return { clock, client, sleeps, calls };
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

async function run(answers: (FetchOutcome | Error)[], extra: Partial<WaitForSyncOptions> = {}) {
  const lines: string[] = [];
  const runtime = localRuntime({}, (l) => lines.push(l));
  runtime.setSecret(TOKEN);
  const f = fakes(answers);
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
    const total = r.sleeps.reduce((a, b) => a + b, 0) + r.calls.length * 10;
    expect(total).toBeGreaterThanOrEqual(30_000);
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
    const refreshedAt: number[] = [];
    let t = 0;
    r.calls.forEach((call, i) => {
      if (call.refresh) refreshedAt.push(t);
      t += 10 + (r.sleeps[i] ?? 0);
    });
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
