import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { githubContext, githubRuntime } from '#core/runtime/github-runtime.js';
import { parseOutputFile } from '../harness/run-bundle.js';

function capture(): { lines: () => string[] } {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  return { lines: () => written.join('').split('\n').filter(Boolean) };
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = 0;
});

describe('githubRuntime speaks the runner protocol', () => {
  test('inputs are INPUT_<NAME> with spaces as underscores', () => {
    const rt = githubRuntime({ 'INPUT_TAG-PREFIX': 'v', 'INPUT_MY_INPUT': 'x' });
    expect(rt.getInput('tag-prefix')).toBe('v');
    expect(rt.getInput('my input')).toBe('x');
    expect(rt.getInput('missing')).toBe('');
  });

  test('outputs go to GITHUB_OUTPUT as heredocs that multi-line values cannot break', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'out-')), 'output');
    writeFileSync(file, '');
    const rt = githubRuntime({ GITHUB_OUTPUT: file });
    rt.setOutput('changelog', 'line 1\nEOF\nghadelimiter_x\nline 4');
    rt.setOutput('empty', '');
    expect(parseOutputFile(readFileSync(file, 'utf8'))).toEqual({ changelog: 'line 1\nEOF\nghadelimiter_x\nline 4', empty: '' });
  });

  test('commands escape their data so a message cannot add lines', async () => {
    const out = capture();
    const rt = githubRuntime({});
    rt.setSecret('multi\nline%secret');
    rt.warning('careful\n::error::x');
    await rt.group('Phase', async () => rt.info('inside'));
    rt.setFailed('it broke\r\nbadly');
    expect(out.lines()).toEqual([
      '::add-mask::multi%0Aline%25secret',
      '::warning::careful%0A::error::x',
      '::group::Phase',
      'inside',
      '::endgroup::',
      '::error::it broke%0D%0Abadly',
    ]);
    expect(process.exitCode).toBe(1);
    expect(rt.secrets).toEqual(['multi\nline%secret']);
  });

  test('without GITHUB_OUTPUT it falls back to set-output', () => {
    const out = capture();
    githubRuntime({}).setOutput('v', 'a\nb');
    expect(out.lines()).toEqual(['::set-output name=v::a%0Ab']);
  });

  test('the summary is appended to GITHUB_STEP_SUMMARY', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sum-')), 'summary');
    writeFileSync(file, '# before\n');
    await githubRuntime({ GITHUB_STEP_SUMMARY: file }).summary('## mine');
    expect(readFileSync(file, 'utf8')).toBe('# before\n## mine\n');
  });

  test('context from the environment; an unreadable event payload is {}', () => {
    const ctx = githubContext({ GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_PATH: '/nonexistent', GITHUB_EVENT_NAME: 'push' });
    expect(ctx).toMatchObject({ ref: 'refs/heads/main', eventName: 'push', payload: {}, headRef: '' });
  });
});
