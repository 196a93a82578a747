import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { PrivateDir } from '../exec/private-temp-dir.js';

export interface RegistryLogin {
  registry: string;
  username: string;
  password: string;
}

/** Docker's config.json `auths` entry: base64 of `user:password`. */
function authsFor(login: RegistryLogin): Record<string, { auth: string }> {
  return { [login.registry]: { auth: Buffer.from(`${login.username}:${login.password}`).toString('base64') } };
}

/** An auth file in docker's format for tools that take a path (`buildah --authfile`, `skopeo --authfile`). */
export function writeAuthFile(dir: PrivateDir, login: RegistryLogin): string {
  return dir.write('auth.json', JSON.stringify({ auths: authsFor(login) }));
}

/**
 * A DOCKER_CONFIG directory for one docker invocation: the user's config with
 * our login added, and the user's buildx builders and contexts linked in so
 * the builder set up earlier in the job (docker/setup-buildx-action) is still
 * used. ~/.docker itself is never written.
 */
export function writeDockerConfigDir(dir: PrivateDir, login: RegistryLogin | undefined, userConfigDir: string): string {
  let user: { auths?: Record<string, unknown> } & Record<string, unknown> = {};
  const userConfig = join(userConfigDir, 'config.json');
  if (existsSync(userConfig)) {
    try {
      user = JSON.parse(readFileSync(userConfig, 'utf8')) as typeof user;
    } catch {
      user = {};
    }
  }
  const config = { ...user, auths: { ...(user.auths ?? {}), ...(login ? authsFor(login) : {}) } };
  dir.write('config.json', JSON.stringify(config));
  for (const sub of ['buildx', 'contexts', 'cli-plugins']) {
    const from = join(userConfigDir, sub);
    if (existsSync(from)) symlinkSync(from, join(dir.path, sub));
  }
  return dir.path;
}
