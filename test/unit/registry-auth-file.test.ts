import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { withPrivateTempDir } from '#core/exec/private-temp-dir.js';
import { writeAuthFile, writeDockerConfigDir } from '#core/build/registry-auth-file.js';

const login = { registry: 'ghcr.io', username: 'octocat', password: 'ghp_secret' };

describe('private files for credentials', () => {
  test('the directory is private and removed afterwards, also when the work fails', async () => {
    let seen = '';
    await expect(
      withPrivateTempDir(tmpdir(), async (dir) => {
        seen = dir.path;
        expect(statSync(dir.path).mode & 0o777).toBe(0o700);
        const file = writeAuthFile(dir, login);
        expect(statSync(file).mode & 0o777).toBe(0o600);
        expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ auths: { 'ghcr.io': { auth: Buffer.from('octocat:ghp_secret').toString('base64') } } });
        throw new Error('build failed');
      }),
    ).rejects.toThrow('build failed');
    expect(() => statSync(seen)).toThrow();
  });

  test("docker gets the user's config with our login added, and keeps the user's buildx builders", async () => {
    const user = mkdtempSync(join(tmpdir(), 'docker-user-'));
    writeFileSync(join(user, 'config.json'), JSON.stringify({ auths: { 'quay.io': { auth: 'eA==' } }, credsStore: 'desktop', experimental: 'enabled' }));
    mkdirSync(join(user, 'buildx'));
    await withPrivateTempDir(tmpdir(), async (dir) => {
      const configDir = writeDockerConfigDir(dir, login, user);
      const config = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8'));
      expect(config.auths).toEqual({ 'quay.io': { auth: 'eA==' }, 'ghcr.io': { auth: Buffer.from('octocat:ghp_secret').toString('base64') } });
      expect(config.experimental).toBe('enabled');
      expect(lstatSync(join(configDir, 'buildx')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(configDir, 'buildx'))).toBe(join(user, 'buildx'));
    });
    // The user's own config is never written.
    expect(JSON.parse(readFileSync(join(user, 'config.json'), 'utf8')).auths).toEqual({ 'quay.io': { auth: 'eA==' } });
  });

  test('no user config and no login: an empty config', async () => {
    await withPrivateTempDir(tmpdir(), async (dir) => {
      const configDir = writeDockerConfigDir(dir, undefined, join(tmpdir(), 'no-such-docker-dir'));
      expect(JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8'))).toEqual({ auths: {} });
    });
  });
});
