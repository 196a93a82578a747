import { describe, expect, test } from 'vitest';
import { applicationStatus, assess } from '#core/argocd/application-status.js';

const NEW = '84b53f0d599c1e2a3b4c5d6e7f8091a2b3c4d5e6';
const OLD = '1111111111111111111111111111111111111111';

function app(status: Record<string, unknown>) {
  return applicationStatus({ metadata: { name: 'verity-api--staging' }, status });
}

describe('applicationStatus', () => {
  test('reads sync, health, the last operation and conditions', () => {
    const s = app({
      sync: { status: 'Synced', revision: NEW },
      health: { status: 'Progressing', message: 'Waiting for rollout' },
      operationState: { phase: 'Succeeded', message: 'successfully synced', syncResult: { revision: NEW }, operation: { sync: { revision: OLD } } },
      conditions: [{ type: 'SyncError', message: 'boom' }],
    });
    expect(s).toEqual({
      syncStatus: 'Synced',
      revision: NEW,
      revisions: [],
      healthStatus: 'Progressing',
      healthMessage: 'Waiting for rollout',
      operation: { phase: 'Succeeded', message: 'successfully synced', revision: NEW },
      conditions: ['SyncError: boom'],
    });
  });

  test('a running operation has its revision in operation.sync; anything missing or odd is Unknown or empty', () => {
    expect(app({ operationState: { phase: 'Running', operation: { sync: { revision: NEW } } } }).operation).toEqual({ phase: 'Running', message: '', revision: NEW });
    expect(applicationStatus(null)).toEqual({ syncStatus: 'Unknown', revision: '', revisions: [], healthStatus: 'Unknown', healthMessage: '', conditions: [] });
    expect(app({ sync: { status: 42, revision: ['x'] }, health: 'Healthy' })).toMatchObject({ syncStatus: 'Unknown', revision: '', healthStatus: 'Unknown' });
  });

  test('multi-source applications report revisions', () => {
    const s = app({ sync: { status: 'Synced', revisions: [OLD, NEW] }, health: { status: 'Healthy' } });
    expect(assess(s, NEW, true)).toEqual({ state: 'done' });
  });
});

describe('assess', () => {
  test('the happy progression', () => {
    const steps = [
      app({ sync: { status: 'Synced', revision: OLD }, health: { status: 'Healthy' } }),
      app({ sync: { status: 'OutOfSync', revision: NEW }, health: { status: 'Healthy' } }),
      app({ sync: { status: 'OutOfSync', revision: NEW }, health: { status: 'Healthy' }, operationState: { phase: 'Running', operation: { sync: { revision: NEW } } } }),
      app({ sync: { status: 'Synced', revision: NEW }, health: { status: 'Progressing', message: '1 of 2 updated' }, operationState: { phase: 'Succeeded', syncResult: { revision: NEW } } }),
      app({ sync: { status: 'Synced', revision: NEW }, health: { status: 'Healthy' }, operationState: { phase: 'Succeeded', syncResult: { revision: NEW } } }),
    ];
    expect(steps.map((s) => assess(s, NEW, true))).toEqual([
      { state: 'waiting', reason: 'Argo CD is at 111111111111, not yet at 84b53f0d599c' },
      { state: 'waiting', reason: 'sync status is OutOfSync at 84b53f0d599c' },
      { state: 'waiting', reason: 'syncing 84b53f0d599c (operation Running)' },
      { state: 'waiting', reason: 'synced at 84b53f0d599c, health is Progressing (1 of 2 updated)' },
      { state: 'done' },
    ]);
    expect(assess(steps[3]!, NEW, false)).toEqual({ state: 'done' });
  });

  test('an abbreviated revision matches as a prefix, in any case', () => {
    const s = app({ sync: { status: 'Synced', revision: NEW }, health: { status: 'Healthy' } });
    expect(assess(s, NEW.slice(0, 7), true)).toEqual({ state: 'done' });
    expect(assess(s, '84b53f0e', true).state).toBe('waiting');
  });

  test('Degraded or a failed sync at the commit fail; at an older revision they are what this deploy may fix', () => {
    const degraded = (revision: string) => app({ sync: { status: 'Synced', revision }, health: { status: 'Degraded', message: 'progress deadline exceeded' } });
    expect(assess(degraded(NEW), NEW, true)).toEqual({
      state: 'failed',
      kind: 'degraded',
      reason: '84b53f0d599c is synced but the application is Degraded: progress deadline exceeded',
    });
    expect(assess(degraded(OLD), NEW, true).state).toBe('waiting');
    expect(assess(degraded(NEW), NEW, false)).toEqual({ state: 'done' });

    const failed = (revision: string, phase = 'Failed') =>
      app({ sync: { status: 'OutOfSync', revision: NEW }, health: { status: 'Healthy' }, operationState: { phase, message: 'apply failed', syncResult: { revision } } });
    expect(assess(failed(NEW), NEW, true)).toEqual({ state: 'failed', kind: 'sync-failed', reason: 'the sync operation for 84b53f0d599c ended in phase Failed: apply failed' });
    expect(assess(failed(NEW, 'Error'), NEW, false).state).toBe('failed');
    expect(assess(failed(OLD), NEW, true).state).toBe('waiting');
  });

  test('Degraded while the sync operation still runs is not the verdict yet', () => {
    const s = app({ sync: { status: 'Synced', revision: NEW }, health: { status: 'Degraded' }, operationState: { phase: 'Running', operation: { sync: { revision: NEW } } } });
    expect(assess(s, NEW, true)).toEqual({ state: 'waiting', reason: 'syncing 84b53f0d599c (operation Running)' });
  });
});
