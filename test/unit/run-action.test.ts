import { describe, expect, test, afterEach } from 'vitest';
import { defineAction, runAction } from '#core/runtime/run-action.js';
import { input } from '#core/runtime/inputs.js';
import { localRuntime } from '#core/runtime/local-runtime.js';
import { InputError, ToolError } from '#core/errors/errors.js';
import type { RunContext } from '#core/runtime/runtime.js';

const context: RunContext = {
  eventName: 'push', ref: 'refs/heads/main', headRef: '', sha: '', repository: 'a/b',
  workspace: '/tmp', runnerTemp: '/tmp', toolCache: '', serverUrl: 'https://github.com', apiUrl: 'https://api.github.com', actor: 'octocat', runId: '1', payload: {},
};

function action(body: (publish: (o: Record<string, string>) => void) => Promise<void>) {
  return defineAction({
    name: 'probe',
    inputs: { token: input.string({ secret: true }) },
    outputs: ['first', 'second'],
    async run({ publish }) {
      await body(publish);
    },
  });
}

afterEach(() => {
  process.exitCode = 0;
});

describe('runAction', () => {
  test.each([
    ['a string', 'boom', 'a non-Error value was thrown: boom'],
    ['undefined', undefined, 'a non-Error value was thrown: undefined'],
    ['null', null, 'a non-Error value was thrown: null'],
    ['an object', { code: 7 }, 'a non-Error value was thrown: {"code":7}'],
    ['a number', 42, 'a non-Error value was thrown: 42'],
  ])('throwing %s fails the step with exit code 1', async (_, thrown, message) => {
    const rt = localRuntime({}, () => {});
    const ok = await runAction(action(async () => { throw thrown; }), rt, context);
    expect(ok).toBe(false);
    expect(process.exitCode).toBe(1);
    expect(rt.failures[0]).toContain(message);
    expect(rt.outputs).toEqual({ first: '', second: '' });
  });

  test('outputs published before a failure are still written; the rest are empty', async () => {
    const rt = localRuntime({}, () => {});
    await runAction(action(async (publish) => {
      publish({ first: 'kept' });
      throw new InputError('the user must fix this');
    }), rt, context);
    expect(rt.outputs).toEqual({ first: 'kept', second: '' });
    expect(rt.failures).toEqual(['the user must fix this']);
  });

  test('input errors show the message only; bugs log a stack; tool errors show the command', async () => {
    const lines: string[] = [];
    const rt = localRuntime({}, (l) => lines.push(l));
    await runAction(action(async () => { throw new TypeError('x is undefined'); }), rt, context);
    expect(rt.failures[0]).toBe('unexpected error, please report it as a bug in gitops-actions: x is undefined');
    expect(lines.join('\n')).toMatch(/TypeError: x is undefined\n\s+at /);

    const rt2 = localRuntime({}, () => {});
    await runAction(action(async () => { throw new ToolError('git push origin', 128, 'fatal: denied', 'failed'); }), rt2, context);
    expect(rt2.failures[0]).toBe('git push origin: failed (exit code 128)\nfatal: denied');
  });

  test('error messages are neutralised before they reach the log', async () => {
    const rt = localRuntime({}, () => {});
    await runAction(action(async () => { throw new InputError('bad branch ::set-output name=x::y'); }), rt, context);
    expect(rt.failures[0]).not.toContain('::set-output');
  });

  test('secret inputs are masked before anything prints them', async () => {
    const lines: string[] = [];
    const rt = localRuntime({ token: 'tok-123-secret' }, (l) => lines.push(l));
    await runAction(action(async () => { throw new InputError('token tok-123-secret rejected'); }), rt, context);
    expect(lines.join('\n')).not.toContain('tok-123-secret');
    expect(lines.join('\n')).toContain('token *** rejected');
  });

  test('publishing an undeclared output is a bug caught at once', async () => {
    const rt = localRuntime({}, () => {});
    await runAction(action(async (publish) => publish({ third: 'x' } as never)), rt, context);
    expect(rt.failures[0]).toContain("action probe has no output 'third'");
  });
});
