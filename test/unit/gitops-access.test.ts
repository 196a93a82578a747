import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { withPrivateTempDir } from '#core/exec/private-temp-dir.js';
import { gitConfigEnv, remoteAccess, shellQuote } from '#core/gitops/remote-access.js';
import { resolveRepository } from '#core/gitops/repository-url.js';

const TOKEN = 'ghs_0123456789abcdefABCDEF0123456789abcd';
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACBsomethingsomethingsomethingsomethingAAAAEAAAAAAAAAA\n-----END OPENSSH PRIVATE KEY-----';

describe('remote access for one run', () => {
  test('token as Basic auth, in a header scoped to the repository origin', async () => {
    const remote = resolveRepository('acme/gitops', { serverUrl: 'https://github.com', sshKey: false, token: true });
    await withPrivateTempDir(tmpdir(), async (dir) => {
      const access = remoteAccess(remote, { kind: 'token', token: TOKEN, scheme: 'basic' }, { dir, homeDir: '/nonexistent' });
      const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
      expect(access.config).toEqual([
        ['credential.helper', ''],
        ['http.https://github.com/.extraheader', `AUTHORIZATION: basic ${basic}`],
      ]);
      expect(access.env).toEqual({});
      expect(access.secrets).toEqual([TOKEN, basic]);
    });
  });

  test('token as Bearer', async () => {
    const remote = resolveRepository('http://127.0.0.1:3000/acme/gitops.git', { serverUrl: 'https://github.com', sshKey: false, token: true });
    await withPrivateTempDir(tmpdir(), async (dir) => {
      const access = remoteAccess(remote, { kind: 'token', token: TOKEN, scheme: 'bearer' }, { dir, homeDir: '/nonexistent' });
      expect(access.config[1]).toEqual(['http.http://127.0.0.1:3000/.extraheader', `AUTHORIZATION: bearer ${TOKEN}`]);
    });
  });

  test('ssh key: a 0600 file in the private dir, host keys checked, everything gone afterwards', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gitops-home-'));
    mkdirSync(join(home, '.ssh'));
    writeFileSync(join(home, '.ssh', 'known_hosts'), 'git.example.com ssh-ed25519 AAAAuser\n');
    const base = mkdtempSync(join(tmpdir(), 'gitops temp with space '));
    const remote = resolveRepository('ssh://git@git.example.com/acme/gitops.git', { serverUrl: 'https://github.com', sshKey: true, token: false });
    let keyFile = '';
    let privateDir = '';
    await withPrivateTempDir(base, async (dir) => {
      privateDir = dir.path;
      const access = remoteAccess(remote, { kind: 'ssh-key', privateKey: `${KEY.replace(/\n/g, '\r\n')}\r\n`, knownHosts: 'git.example.com ssh-ed25519 AAAAinput' }, { dir, homeDir: home });
      keyFile = join(dir.path, 'ssh-key');
      const knownHosts = join(dir.path, 'known_hosts');
      expect(readFileSync(keyFile, 'utf8')).toBe(`${KEY}\n`);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(statSync(dir.path).mode & 0o777).toBe(0o700);
      expect(readFileSync(knownHosts, 'utf8')).toBe('git.example.com ssh-ed25519 AAAAinput\ngit.example.com ssh-ed25519 AAAAuser\n');
      expect(access.env.GIT_SSH_COMMAND).toBe(
        [
          'ssh',
          '-i',
          keyFile,
          '-o',
          'IdentitiesOnly=yes',
          '-o',
          'BatchMode=yes',
          '-o',
          'StrictHostKeyChecking=yes',
          '-o',
          `UserKnownHostsFile="${knownHosts}"`,
        ]
          .map(shellQuote)
          .join(' '),
      );
      expect(access.config).toEqual([['credential.helper', '']]);
      expect(access.secrets.length).toBeGreaterThan(0);
      for (const secret of access.secrets) expect(access.env.GIT_SSH_COMMAND).not.toContain(secret);
    });
    expect(existsSync(keyFile)).toBe(false);
    expect(existsSync(privateDir)).toBe(false);
  });

  test('an ssh key that is not a private key is refused before anything is written', async () => {
    const remote = resolveRepository('git@github.com:acme/gitops.git', { serverUrl: 'https://github.com', sshKey: true, token: false });
    await withPrivateTempDir(tmpdir(), async (dir) => {
      expect(() => remoteAccess(remote, { kind: 'ssh-key', privateKey: 'ssh-ed25519 AAAA... me@laptop', knownHosts: '' }, { dir, homeDir: '/x' })).toThrow(
        /input 'ssh-key' is not a private key/,
      );
      expect(existsSync(join(dir.path, 'ssh-key'))).toBe(false);
    });
  });

  test('shell quoting survives quotes and spaces', () => {
    expect(shellQuote("/tmp/it's here")).toBe(`'/tmp/it'\\''s here'`);
  });

  test('config entries as GIT_CONFIG_* variables', () => {
    expect(gitConfigEnv([['a.b', '1'], ['c.d', '']])).toEqual({
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'a.b',
      GIT_CONFIG_VALUE_0: '1',
      GIT_CONFIG_KEY_1: 'c.d',
      GIT_CONFIG_VALUE_1: '',
    });
  });
});
