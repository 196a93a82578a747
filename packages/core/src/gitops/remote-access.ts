import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors/errors.js';
import type { PrivateDir } from '../exec/private-temp-dir.js';
import type { GitopsRemote } from './repository-url.js';

/** How we prove who we are to the GitOps remote. */
export type RemoteCredentials =
  | { kind: 'none' }
  /**
   * A token in an HTTP Authorization header. GitHub takes it as the password
   * of Basic auth (`x-access-token:<token>`); other servers (and GitHub for
   * some token types) take `Bearer <token>`.
   */
  | { kind: 'token'; token: string; scheme: 'basic' | 'bearer' }
  /** An SSH private key, and extra known_hosts lines for the server's host key. */
  | { kind: 'ssh-key'; privateKey: string; knownHosts: string };

/**
 * What each git command that talks to the remote needs. Config goes through
 * GIT_CONFIG_COUNT/KEY/VALUE of that one process: never argv (visible in the
 * process list), never a URL or .git/config (left on disk).
 */
export interface RemoteAccess {
  config: ReadonlyArray<readonly [string, string]>;
  env: Readonly<Record<string, string>>;
  /** Headers for a request of our own to the remote's HTTP endpoint (the same credential git is given). */
  httpHeaders: Readonly<Record<string, string>>;
  /** Values that must never appear in an error message or log. */
  secrets: readonly string[];
}

/** Single quotes for a POSIX shell (git runs GIT_SSH_COMMAND through `sh -c`). */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The access for one run. An SSH key is written, readable by this user only,
 * into `dir`, which the caller removes afterwards whatever happens; host keys
 * are always verified (against the system's and the user's known_hosts plus
 * `knownHosts`), never accepted blindly.
 */
export function remoteAccess(
  remote: GitopsRemote,
  credentials: RemoteCredentials,
  options: { dir: PrivateDir; homeDir: string },
): RemoteAccess {
  // Never ask a credential helper: it could prompt, or store what it is given.
  const base: Array<readonly [string, string]> = [['credential.helper', '']];
  if (credentials.kind === 'token') {
    if (remote.transport !== 'https' && remote.transport !== 'http') return { config: base, env: {}, httpHeaders: {}, secrets: [credentials.token] };
    const value =
      credentials.scheme === 'bearer'
        ? credentials.token
        : Buffer.from(`x-access-token:${credentials.token}`).toString('base64');
    // Scoped to the repository's origin: git sends an unscoped extraheader to any host a redirect leads to.
    return {
      config: [...base, [`http.${remote.httpOrigin}.extraheader`, `AUTHORIZATION: ${credentials.scheme} ${value}`]],
      env: {},
      httpHeaders: { Authorization: `${credentials.scheme} ${value}` },
      secrets: [credentials.token, value],
    };
  }
  if (credentials.kind === 'ssh-key') {
    const key = credentials.privateKey.replace(/\r\n?/g, '\n').trim();
    if (!/^-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----\n[\s\S]+\n-----END [A-Z0-9 ]*PRIVATE KEY-----$/.test(key)) {
      throw new InputError("input 'ssh-key' is not a private key (expected the whole file, from -----BEGIN … PRIVATE KEY----- to -----END … PRIVATE KEY-----)");
    }
    const keyFile = options.dir.write('ssh-key', `${key}\n`);
    let known = credentials.knownHosts.replace(/\r\n?/g, '\n').trim();
    try {
      known += `\n${readFileSync(join(options.homeDir, '.ssh', 'known_hosts'), 'utf8')}`;
    } catch {
      // No known_hosts of the user's own: the system's and the input's remain.
    }
    const knownHostsFile = options.dir.write('known_hosts', `${known.trim()}\n`);
    for (const file of [keyFile, knownHostsFile]) {
      if (/["\n]/.test(file)) throw new InputError(`the temporary directory ${options.dir.path} has a character ssh cannot read in a path`);
    }
    const command = [
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
      // ssh splits this option's value on spaces (it takes a list): quote the path for ssh too.
      `UserKnownHostsFile="${knownHostsFile}"`,
    ];
    return {
      config: base,
      env: { GIT_SSH_COMMAND: command.map(shellQuote).join(' '), GIT_SSH_VARIANT: 'ssh' },
      httpHeaders: {},
      secrets: key.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----')),
    };
  }
  return { config: base, env: {}, httpHeaders: {}, secrets: [] };
}

/** GIT_CONFIG_COUNT/KEY_n/VALUE_n for the entries, as git reads them (git ≥ 2.31). */
export function gitConfigEnv(entries: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}
