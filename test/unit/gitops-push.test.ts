import { describe, expect, test } from 'vitest';
import { classifyGitFailure, pushOutcome } from '#core/gitops/git-failure.js';
import { backoffDelayMs, DEFAULT_PUSH_BACKOFF } from '#core/gitops/push-backoff.js';

const REF = 'refs/heads/main';
const line = (flag: string, summary: string) => `To https://github.com/acme/gitops.git\n${flag}\tabc123:${REF}\t${summary}\nDone\n`;

describe('push outcome from git push --porcelain', () => {
  test('landed', () => {
    expect(pushOutcome(REF, 0, line(' ', '1111111..2222222'), '')).toEqual({ kind: 'pushed' });
    expect(pushOutcome(REF, 0, line('*', '[new branch]'), '')).toEqual({ kind: 'pushed' });
  });

  test.each([
    '[rejected] (non-fast-forward)',
    '[rejected] (fetch first)',
    '[rejected] (stale info)',
    "[remote rejected] (cannot lock ref 'refs/heads/main': is at 3f2a1c9 but expected 1b2c3d4)",
    '[remote rejected] (incorrect old value provided)',
    '[remote rejected] (failed to update ref)',
  ])('lost the race: %s', (summary) => {
    expect(pushOutcome(REF, 1, line('!', summary), '').kind).toBe('lost-race');
  });

  test('policy refusals are not retried and keep the remote\'s words', () => {
    const outcome = pushOutcome(
      REF,
      1,
      line('!', '[remote rejected] (protected branch hook declined)'),
      'remote: error: GH006: Protected branch update failed for refs/heads/main.\nremote: error: Changes must be made through a pull request.\n',
    );
    expect(outcome).toEqual({
      kind: 'refused',
      reason: '[remote rejected] (protected branch hook declined)',
      remoteLines: ['error: GH006: Protected branch update failed for refs/heads/main.', 'error: Changes must be made through a pull request.'],
    });
  });

  test('another ref\'s line does not count for ours', () => {
    const stdout = `To x\n!\tabc:refs/heads/other\t[rejected] (fetch first)\nDone\n`;
    expect(pushOutcome(REF, 128, stdout, 'fatal: the remote end hung up unexpectedly').kind).toBe('failed');
  });

  test('no status line: the failure is read from stderr', () => {
    expect(pushOutcome(REF, 128, '', "fatal: unable to access 'https://x/': The requested URL returned error: 403")).toMatchObject({
      kind: 'failed',
      failure: 'permission',
    });
    expect(pushOutcome(REF, 128, '', 'error: RPC failed; HTTP 502 curl 22 The requested URL returned error: 502')).toMatchObject({
      kind: 'failed',
      failure: 'transient',
    });
  });
});

describe('git failures', () => {
  test.each([
    ["fatal: Authentication failed for 'https://github.com/acme/gitops.git/'", 'auth'],
    ["fatal: could not read Username for 'https://github.com': terminal prompts disabled", 'auth'],
    ['git@github.com: Permission denied (publickey).', 'auth'],
    ['Host key verification failed.', 'auth'],
    ["remote: Permission to acme/gitops.git denied to bot.\nfatal: unable to access 'https://github.com/acme/gitops.git/': The requested URL returned error: 403", 'permission'],
    ['ERROR: The key you are authenticating with has been marked as read only.\nWrite access to repository not granted.', 'permission'],
    ['remote: Repository not found.\nfatal: repository \'https://github.com/acme/nope.git/\' not found', 'not-found'],
    ["fatal: '/srv/nope.git' does not appear to be a git repository", 'not-found'],
    ['fatal: couldn\'t find remote ref refs/heads/nope', 'missing-ref'],
    ["fatal: unable to access 'https://nope.invalid/x.git/': Could not resolve host: nope.invalid", 'unreachable'],
    ["fatal: unable to access 'http://127.0.0.1:9/x.git/': Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server", 'unreachable'],
    ['error: RPC failed; curl 18 transfer closed with outstanding read data remaining\nfatal: early EOF', 'transient'],
    ["fatal: unable to access 'http://127.0.0.1:1/x.git/': Empty reply from server", 'transient'],
    ['fatal: the remote end hung up unexpectedly', 'transient'],
    ['fatal: bad object HEAD', 'other'],
  ])('%s → %s', (text, kind) => {
    expect(classifyGitFailure(text)).toBe(kind);
  });
});

describe('backoff between push attempts', () => {
  test('the window doubles per attempt up to the cap; never zero', () => {
    const windows = [1000, 2000, 4000, 8000, 16000, 30000, 30000];
    windows.forEach((window, i) => {
      expect(backoffDelayMs(i + 1, 0.999999)).toBeLessThanOrEqual(window);
      expect(backoffDelayMs(i + 1, 0.999999)).toBeGreaterThan(window * 0.99);
      expect(backoffDelayMs(i + 1, 0)).toBe(Math.round(window * 0.1));
    });
  });

  test('spread: writers that failed together wait differently', () => {
    const waits = Array.from({ length: 20 }, (_, i) => backoffDelayMs(4, i / 20));
    expect(new Set(waits).size).toBe(20);
    expect(Math.max(...waits) - Math.min(...waits)).toBeGreaterThan(DEFAULT_PUSH_BACKOFF.baseMs * 4 * 0.8);
  });
});
