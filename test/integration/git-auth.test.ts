import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Git } from '#core/git/git.js';
import { ToolError } from '#core/errors/errors.js';
import { gitIn, TestRepo } from '../harness/git-repo.js';
import { startGitHttpServer, type GitHttpServer } from '../harness/git-http-server.js';

const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
let server: GitHttpServer;
let root: string;

/** A `git` first on PATH that records its argv and environment, then runs the real git. */
function recordingGit(): { dir: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'git-shim-'));
  const log = join(dir, 'calls.log');
  writeFileSync(
    join(dir, 'git'),
    `#!/bin/sh\nprintf '%s\\n' "ARGV $*" >> "${log}"\nenv | sed 's/^/ENV /' >> "${log}"\nexec /usr/bin/git "$@"\n`,
  );
  chmodSync(join(dir, 'git'), 0o755);
  return { dir, log };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'git-http-root-'));
  const source = TestRepo.create();
  source.commit('chore: init');
  gitIn(root, ['clone', '--quiet', '--bare', source.dir, 'app.git']);
  gitIn(join(root, 'app.git'), ['config', 'http.receivepack', 'true']);
  server = await startGitHttpServer({ root, token: TOKEN });
});

afterAll(async () => {
  await server?.close();
});

describe('git auth per command', () => {
  test('fetch and push with a token that never reaches argv, a URL or .git/config', async () => {
    const clone = mkdtempSync(join(tmpdir(), 'git-auth-clone-'));
    gitIn(clone, ['init', '--quiet']);
    gitIn(clone, ['remote', 'add', 'origin', `${server.url}/app.git`]);
    const shim = recordingGit();
    const git = new Git({ cwd: clone, token: TOKEN });
    const originalPath = process.env.PATH;
    process.env.PATH = `${shim.dir}:${originalPath}`;
    try {
      await git.run(['fetch', '--quiet', 'origin', 'refs/heads/main:refs/remotes/origin/main']);
      gitIn(clone, ['checkout', '--quiet', '-b', 'main', 'origin/main']);
      gitIn(clone, ['commit', '--quiet', '--allow-empty', '-m', 'feat: pushed over http']);
      await git.run(['push', '--quiet', 'origin', 'HEAD:refs/heads/main']);
    } finally {
      process.env.PATH = originalPath;
    }
    expect(gitIn(join(root, 'app.git'), ['log', '-1', '--format=%s', 'main'])).toBe('feat: pushed over http');

    const calls = readFileSync(shim.log, 'utf8');
    const argvLines = calls.split('\n').filter((l) => l.startsWith('ARGV'));
    // Git runs helpers of its own through PATH too; none of them may see the token in argv.
    expect(argvLines[0]).toBe('ARGV fetch --quiet origin refs/heads/main:refs/remotes/origin/main');
    for (const l of argvLines) expect(l).not.toContain(TOKEN);
    // The credential travels in the environment of that one process only.
    expect(calls).toContain('ENV GIT_CONFIG_KEY_0=http.extraheader');
    const gitFiles = readdirSync(join(clone, '.git')).filter((f) => !['objects', 'refs', 'logs', 'hooks'].includes(f));
    for (const f of gitFiles) {
      try {
        expect(readFileSync(join(clone, '.git', f), 'utf8')).not.toContain(TOKEN);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EISDIR') throw e;
      }
    }
    expect(server.requests.every((r) => !r.path.includes(TOKEN))).toBe(true);
  });

  test('a wrong token fails with a clear error that does not contain the token', async () => {
    const clone = mkdtempSync(join(tmpdir(), 'git-auth-bad-'));
    gitIn(clone, ['init', '--quiet']);
    const wrong = 'ghs_wrongTokenValue0000000000000000000';
    const git = new Git({ cwd: clone, token: wrong });
    const error = await git.run(['fetch', `${server.url}/app.git`, 'main']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    const message = (error as ToolError).message;
    expect(message).toMatch(/git fetch .* failed \(exit code 128\)/);
    expect(message).toMatch(/Authentication failed|could not read Username|401/i);
    expect(message).not.toContain(wrong);
    expect(message).not.toContain(Buffer.from(`x-access-token:${wrong}`).toString('base64'));
  });

  test('without a token the server refuses and git does not prompt', async () => {
    const clone = mkdtempSync(join(tmpdir(), 'git-auth-none-'));
    gitIn(clone, ['init', '--quiet']);
    await expect(new Git({ cwd: clone }).run(['fetch', `${server.url}/app.git`, 'main'], { timeoutMs: 30_000 })).rejects.toThrow(
      /terminal prompts disabled|could not read Username|Authentication failed/,
    );
  });
});
