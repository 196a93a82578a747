import { describe, expect, test } from 'vitest';
import type { EnvironmentCheck } from '#core/verify/check-environment.js';
import { driftCounts, verifySummary } from '#core/verify/verify-summary.js';

function check(overrides: Partial<EnvironmentCheck>): EnvironmentCheck {
  return {
    target: {
      config: 'gitops.yaml',
      app: 'verity-api',
      environment: 'staging',
      remote: { url: 'file:///srv/gitops.git', transport: 'file', httpOrigin: '' },
      branch: 'main',
      path: 'verity-api--staging',
      image: 'ghcr.io/acme/verity-api',
      owned: undefined,
    },
    status: 'in-sync',
    commit: 'a'.repeat(40),
    version: '1.4.0',
    image: '',
    sourceCommit: '',
    added: [],
    changed: [],
    removed: [],
    diffs: [],
    unowned: [],
    handEdits: undefined,
    notes: [],
    reason: '',
    ...overrides,
  };
}

describe('verifySummary', () => {
  test('in sync: one table row each', () => {
    const md = verifySummary([check({}), check({ target: { ...check({}).target, environment: 'production' } })], { failOnDrift: true });
    expect(md).toMatch(/^## gitops-actions verify: no drift in 2 environments\n/);
    expect(md).toContain('| verity-api | staging | `file:///srv/gitops.git main:verity-api--staging` | ✅ in sync (1.4.0) |');
  });

  test('drift: counts, a folded diff per file in a fence no diff can close, the unowned directories', () => {
    const patch = 'diff --git a/x b/x\n-a ```` b\n+c';
    const md = verifySummary(
      [check({ status: 'drifted', changed: ['verity-api--staging/x'], unowned: ['verity-api--qa'], diffs: [{ path: 'verity-api--staging/x', change: 'changed', patch }] })],
      { failOnDrift: false },
    );
    expect(md).toContain('## gitops-actions verify: drift in 1 of 1 environment');
    expect(md).toContain('❌ drifted: 1 changed, 1 unowned');
    expect(md).toContain('`fail-on-drift: false`');
    expect(md).toContain('`````diff\n' + patch + '\n`````');
    expect(md).toContain('- `main:verity-api--qa`');
  });

  test('errors: the reason, in full', () => {
    const md = verifySummary([check({ status: 'error', reason: 'cannot read | it\nsecond line' })], { failOnDrift: true });
    expect(md).toContain('⚠️ not checked: cannot read \\| it |');
    expect(md).toContain('```text\ncannot read | it\nsecond line\n```');
  });

  test('driftCounts leaves out what is zero', () => {
    expect(driftCounts({ added: ['a'], changed: [], removed: ['b', 'c'], unowned: [] })).toBe('1 added, 2 removed');
  });
});
