import { describe, expect, test } from 'vitest';
import { runTool } from '#core/exec/run-tool.js';
import { ToolError } from '#core/errors/errors.js';

const node = process.execPath;

describe('runTool', () => {
  test('runs argv without a shell: metacharacters arrive verbatim', async () => {
    const arg = '$(echo pwned); `id` && echo "x" | cat > /tmp/nope';
    const r = await runTool([node, '-e', 'process.stdout.write(process.argv[1])', arg]);
    expect(r.stdout).toBe(arg);
  });

  test('stdin carries input', async () => {
    const r = await runTool([node, '-e', 'process.stdin.pipe(process.stdout)'], { input: 'secret-through-stdin' });
    expect(r.stdout).toBe('secret-through-stdin');
  });

  test('a failure is a ToolError with command, exit code and the tail of stderr, secrets redacted', async () => {
    const script = 'for (let i = 0; i < 50; i++) console.error("line " + i); console.error("token=" + process.argv[1]); process.exit(3)';
    const error = await runTool([node, '-e', script, 'hunter2-secret'], { secrets: ['hunter2-secret'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    const e = error as ToolError;
    expect(e.exitCode).toBe(3);
    expect(e.message).toContain('(exit code 3)');
    expect(e.message).not.toContain('hunter2-secret');
    expect(e.message).toContain('token=***');
    expect(e.command).toContain('***');
    expect(e.stderrTail.split('\n')).toHaveLength(20);
    expect(e.stderrTail).not.toContain('line 10\n');
  });

  test('okExitCodes are answers, not failures', async () => {
    const r = await runTool([node, '-e', 'process.exit(1)'], { okExitCodes: [1] });
    expect(r.exitCode).toBe(1);
  });

  test('a timeout kills the tool and says so', async () => {
    const e = await runTool([node, '-e', 'setTimeout(() => {}, 60000)'], { timeoutMs: 200 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ToolError);
    expect((e as ToolError).message).toMatch(/timed out after 0s/);
  });

  test('a missing command says what to install', async () => {
    await expect(runTool(['definitely-not-installed-tool-xyz'])).rejects.toThrow(
      'definitely-not-installed-tool-xyz: command not found: is definitely-not-installed-tool-xyz installed and on PATH?',
    );
  });

  test('a missing working directory is named as such', async () => {
    await expect(runTool([node, '-e', '0'], { cwd: '/no/such/dir' })).rejects.toThrow('working directory /no/such/dir does not exist');
  });

  test('env entries can be set and removed', async () => {
    process.env.GHA_TEST_REMOVE_ME = 'x';
    const r = await runTool([node, '-e', 'process.stdout.write(JSON.stringify([process.env.A, process.env.GHA_TEST_REMOVE_ME ?? null]))'], {
      env: { A: 'set', GHA_TEST_REMOVE_ME: undefined },
    });
    expect(JSON.parse(r.stdout)).toEqual(['set', null]);
  });

  test('stdout beyond the bound is an error, not unbounded memory', async () => {
    await expect(runTool([node, '-e', 'process.stdout.write("x".repeat(1e6))'], { maxStdoutBytes: 1000 })).rejects.toThrow(/printed more than 1000 bytes/);
  });
});
