import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors/errors.js';
import { DOCKER_HUB, normaliseRegistry } from './reference.js';

/**
 * Registry credentials, looked up the way `docker login` stores them, from
 * files and values the caller names: steps never read process.env or the home
 * directory themselves.
 *
 * Credential helpers (`credsStore`, `credHelpers`) are not supported: running
 * them means executing a binary named by a config file, and on CI runners
 * credentials come from inputs or a `docker login` that writes `auths`. When a
 * config sends a registry to a helper we say so instead of failing silently.
 */

export interface RegistryCredentials {
  username: string;
  password: string;
  /**
   * The OAuth refresh token some registries issue at `docker login`
   * (`identitytoken` in the config); exchanged at the token endpoint instead
   * of the password.
   */
  identityToken?: string;
}

export interface CredentialSources {
  /** Given directly, e.g. from inputs; wins over every file. Both empty means "not given". */
  explicit?: { username: string; password: string };
  /** A docker-config-format file written for this step (e.g. in RUNNER_TEMP); must exist when named. */
  authFile?: string;
  /** The standard docker config; see dockerConfigFile(). A missing file is fine. */
  dockerConfig?: string;
}

export interface CredentialLookup {
  credentials?: RegistryCredentials;
  /** Where they came from, for the log: "explicit username/password", "/home/u/.docker/config.json (auths["ghcr.io"])", or "none". */
  source: string;
  /** Things the user may want to know (a credential helper we skipped). */
  notes: string[];
}

const MAX_CONFIG_BYTES = 1024 * 1024;
/** The key docker uses for Docker Hub in `auths`. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

/** `$DOCKER_CONFIG/config.json`, else `$HOME/.docker/config.json`; undefined when neither is known. */
export function dockerConfigFile(env: { DOCKER_CONFIG?: string | undefined; HOME?: string | undefined }): string | undefined {
  if (env.DOCKER_CONFIG) return join(env.DOCKER_CONFIG, 'config.json');
  if (env.HOME) return join(env.HOME, '.docker', 'config.json');
  return undefined;
}

/**
 * The host an `auths` key stands for, as docker's ConvertToHostname reads it:
 * scheme and path dropped, so `https://ghcr.io/v2/` and `ghcr.io` match alike.
 */
export function authKeyHost(key: string): string {
  let host = key.replace(/^https?:\/\//i, '');
  const slash = host.indexOf('/');
  if (slash >= 0) host = host.slice(0, slash);
  return normaliseRegistry(host);
}

/** Credentials for `registry` (as in a reference: `docker.io`, `ghcr.io`, `localhost:5000`). */
export function findRegistryCredentials(registry: string, sources: CredentialSources): CredentialLookup {
  const notes: string[] = [];
  const explicit = sources.explicit;
  if (explicit && (explicit.username !== '' || explicit.password !== '')) {
    if (explicit.username === '') throw new InputError(`registry credentials for ${registry}: a password was given without a username`);
    if (explicit.password === '') throw new InputError(`registry credentials for ${registry}: a username was given without a password`);
    return { credentials: { username: explicit.username, password: explicit.password }, source: 'explicit username/password', notes };
  }
  const target = normaliseRegistry(registry);
  const files: { path: string; required: boolean }[] = [];
  if (sources.authFile) files.push({ path: sources.authFile, required: true });
  if (sources.dockerConfig) files.push({ path: sources.dockerConfig, required: false });
  for (const file of files) {
    const config = readDockerConfig(file.path, file.required);
    if (!config) continue;
    const found = lookupInConfig(config, target, file.path);
    if (found) return { ...found, notes };
    const helper = helperFor(config, target);
    if (helper) {
      notes.push(
        `${file.path} sends ${target} to the credential helper 'docker-credential-${helper}'; credential helpers are not supported, pass a username and password instead`,
      );
    }
  }
  return { source: 'none', notes };
}

interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

function readDockerConfig(path: string, required: boolean): DockerConfig | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(`cannot read the registry auth file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let text: string;
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_CONFIG_BYTES) throw new InputError(`registry auth file ${path} is larger than ${MAX_CONFIG_BYTES} bytes; it should be a small docker config.json`);
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    text = buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message can quote the file, and the file holds secrets.
    throw new InputError(`registry auth file ${path} is not valid JSON; it must be in docker's config.json format ({"auths": {"<registry>": {"auth": "<base64 user:password>"}}})`);
  }
  if (!isObject(parsed)) throw new InputError(`registry auth file ${path} must hold a JSON object in docker's config.json format`);
  const config: DockerConfig = {};
  if (isObject(parsed.auths)) config.auths = parsed.auths as Record<string, AuthEntry>;
  if (typeof parsed.credsStore === 'string') config.credsStore = parsed.credsStore;
  if (isObject(parsed.credHelpers)) config.credHelpers = parsed.credHelpers as Record<string, string>;
  return config;
}

function lookupInConfig(config: DockerConfig, target: string, path: string): { credentials: RegistryCredentials; source: string } | undefined {
  const auths = config.auths ?? {};
  const keys = Object.keys(auths);
  // An exact key beats one that only matches after dropping scheme and path.
  const exact = target === DOCKER_HUB ? [DOCKER_HUB_AUTH_KEY, target] : [target];
  const ordered = [...keys.filter((k) => exact.includes(k)), ...keys.filter((k) => !exact.includes(k) && authKeyHost(k) === target)];
  for (const key of ordered) {
    const entry = auths[key];
    if (!isObject(entry)) continue;
    const credentials = entryCredentials(entry as AuthEntry, `${path} (auths["${key}"])`);
    if (credentials) return { credentials, source: `${path} (auths["${key}"])` };
  }
  return undefined;
}

function entryCredentials(entry: AuthEntry, where: string): RegistryCredentials | undefined {
  let username = typeof entry.username === 'string' ? entry.username : '';
  let password = typeof entry.password === 'string' ? entry.password : '';
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0 || !/^[A-Za-z0-9+/=\s]+$/.test(entry.auth)) {
      throw new InputError(`${where}: "auth" must be base64 of username:password`);
    }
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1).replace(/[\r\n]+$/, '');
  }
  const identityToken = typeof entry.identitytoken === 'string' && entry.identitytoken !== '' ? entry.identitytoken : undefined;
  // Docker writes an empty entry per registry when a credential store holds the secret.
  if (!identityToken && username === '' && password === '') return undefined;
  return { username, password, ...(identityToken ? { identityToken } : {}) };
}

function helperFor(config: DockerConfig, target: string): string | undefined {
  for (const [key, helper] of Object.entries(config.credHelpers ?? {})) {
    if (typeof helper === 'string' && authKeyHost(key) === target) return helper;
  }
  return config.credsStore || undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
