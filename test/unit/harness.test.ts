import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { parseOutputFile, repoRoot, runBundle } from '../harness/run-bundle.js';

const actionDir = join(repoRoot, 'test', 'fixtures', 'actions', 'probe');

afterEach(() => {
  delete process.env.HARNESS_SENTINEL;
});

describe('runBundle is faithful to the runner', () => {
  test('inputs with defaults and resolved github expressions, runner variables, a clean environment', async () => {
    process.env.HARNESS_SENTINEL = 'must not leak';
    const run = await runBundle('probe', {
      actionDir,
      inputs: { 'multi word': 'given' },
      context: { repository: 'acme/api', eventName: 'pull_request', ref: 'refs/pull/9/merge', headRef: 'topic', payload: { number: 9 } },
    });
    expect(run.exitCode).toBe(0);
    const seen = JSON.parse(run.outputs.seen!);
    expect(seen.inputs).toEqual({
      INPUT_TOKEN: 'ghs_harnessTokenNotARealOne0000000000',
      INPUT_REPOSITORY: 'acme/api',
      INPUT_PLAIN: 'plain-default',
      INPUT_MULTI_WORD: 'given',
      'INPUT_EXIT-CODE': '0',
    });
    expect(seen.leaked).toBeNull();
    expect(seen.cwd).toBe(run.workspace);
    expect(seen.event).toEqual({ number: 9 });
    expect(seen.github).toMatchObject({
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_REF: 'refs/pull/9/merge',
      GITHUB_HEAD_REF: 'topic',
      GITHUB_REPOSITORY: 'acme/api',
      GITHUB_WORKSPACE: run.workspace,
    });
    for (const v of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_STATE', 'RUNNER_TEMP', 'RUNNER_TOOL_CACHE', 'GITHUB_SHA']) {
      expect(seen.github[v], v).toBeTruthy();
    }
    expect(run.outputs.multiline).toBe('line 1\nEOF_1\nDELIM_X_not_the_end');
    expect(run.summary).toBe('## probe\n');
    expect(run.errors).toEqual(['probe says \ntwo lines']);
  });

  test('the exit code is the process exit code', async () => {
    expect((await runBundle('probe', { actionDir, inputs: { 'exit-code': '3' } })).exitCode).toBe(3);
  });

  test('an input the action does not declare is a harness error, as the runner warns', async () => {
    await expect(runBundle('probe', { actionDir, inputs: { nope: 'x' } })).rejects.toThrow("input 'nope' is not declared");
  });

  test('an unclosed heredoc in GITHUB_OUTPUT is reported, not silently truncated', () => {
    expect(() => parseOutputFile('a<<X\nvalue\n')).toThrow('output a: heredoc delimiter X never closed');
    expect(parseOutputFile('a=1\nb<<X\n\nX\n')).toEqual({ a: '1', b: '' });
  });
});
