import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { InputError } from '#core/errors/errors.js';
import { authKeyHost, dockerConfigFile, findRegistryCredentials } from '#core/registry/credentials.js';

const dir = mkdtempSync(join(tmpdir(), 'registry-credentials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function configFile(content: unknown): string {
  const path = join(dir, `config-${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('where the docker config is', () => {
  test('$DOCKER_CONFIG wins over $HOME', () => {
    expect(dockerConfigFile({ DOCKER_CONFIG: '/cfg', HOME: '/home/u' })).toBe('/cfg/config.json');
    expect(dockerConfigFile({ HOME: '/home/u' })).toBe('/home/u/.docker/config.json');
    expect(dockerConfigFile({})).toBeUndefined();
  });

  test('auths keys are read the way docker reads them', () => {
    expect(authKeyHost('https://index.docker.io/v1/')).toBe('docker.io');
    expect(authKeyHost('ghcr.io')).toBe('ghcr.io');
    expect(authKeyHost('https://GHCR.io/v2/')).toBe('ghcr.io');
    expect(authKeyHost('http://localhost:5000')).toBe('localhost:5000');
  });
});

describe('findRegistryCredentials', () => {
  test('explicit username/password win over every file', () => {
    const file = configFile({ auths: { 'ghcr.io': { auth: b64('file:secret') } } });
    const found = findRegistryCredentials('ghcr.io', { explicit: { username: 'me', password: 'pw' }, authFile: file, dockerConfig: file });
    expect(found).toEqual({ credentials: { username: 'me', password: 'pw' }, source: 'explicit username/password', notes: [] });
  });

  test('half of an explicit pair is an error, not a silent anonymous pull', () => {
    expect(() => findRegistryCredentials('ghcr.io', { explicit: { username: 'me', password: '' } })).toThrow(InputError);
    expect(() => findRegistryCredentials('ghcr.io', { explicit: { username: '', password: 'pw' } })).toThrow(/without a username/);
  });

  test('empty explicit values fall through to the step auth file, then the docker config', () => {
    const step = configFile({ auths: { 'localhost:5000': { auth: b64('step:one') } } });
    const docker = configFile({ auths: { 'localhost:5000': { auth: b64('docker:two') }, 'quay.io': { username: 'q', password: 'three' } } });
    const sources = { explicit: { username: '', password: '' }, authFile: step, dockerConfig: docker };
    expect(findRegistryCredentials('localhost:5000', sources)).toMatchObject({ credentials: { username: 'step', password: 'one' }, source: `${step} (auths["localhost:5000"])` });
    expect(findRegistryCredentials('quay.io', sources)).toMatchObject({ credentials: { username: 'q', password: 'three' } });
    expect(findRegistryCredentials('ghcr.io', sources)).toEqual({ source: 'none', notes: [] });
  });

  test('Docker Hub under its legacy key, and any key form with scheme or path', () => {
    const file = configFile({
      auths: {
        'https://index.docker.io/v1/': { auth: b64('hub:pw') },
        'https://registry.example.com/v2/': { auth: b64('ex:pw') },
      },
    });
    expect(findRegistryCredentials('docker.io', { dockerConfig: file }).credentials).toEqual({ username: 'hub', password: 'pw' });
    expect(findRegistryCredentials('index.docker.io', { dockerConfig: file }).credentials?.username).toBe('hub');
    expect(findRegistryCredentials('registry.example.com', { dockerConfig: file }).credentials?.username).toBe('ex');
  });

  test('an exact key beats one that matches only after normalising', () => {
    const file = configFile({ auths: { 'https://ghcr.io': { auth: b64('loose:1') }, 'ghcr.io': { auth: b64('exact:2') } } });
    expect(findRegistryCredentials('ghcr.io', { dockerConfig: file }).credentials?.username).toBe('exact');
  });

  test('passwords may contain colons; identity tokens are kept', () => {
    const file = configFile({
      auths: {
        'a.example': { auth: b64('user:pa:ss:word') },
        'b.example': { auth: b64('<token>:'), identitytoken: 'refresh-123' },
      },
    });
    expect(findRegistryCredentials('a.example', { dockerConfig: file }).credentials).toEqual({ username: 'user', password: 'pa:ss:word' });
    expect(findRegistryCredentials('b.example', { dockerConfig: file }).credentials).toEqual({ username: '<token>', password: '', identityToken: 'refresh-123' });
  });

  test('credential helpers are named and skipped, not run', () => {
    const file = configFile({ auths: { 'ghcr.io': {} }, credHelpers: { 'ghcr.io': 'gh' }, credsStore: 'desktop' });
    const found = findRegistryCredentials('ghcr.io', { dockerConfig: file });
    expect(found.credentials).toBeUndefined();
    expect(found.notes).toEqual([`${file} sends ghcr.io to the credential helper 'docker-credential-gh'; credential helpers are not supported, pass a username and password instead`]);
    expect(findRegistryCredentials('quay.io', { dockerConfig: file }).notes[0]).toContain("'docker-credential-desktop'");
  });

  test('a missing standard config is fine; a missing step auth file is an error', () => {
    expect(findRegistryCredentials('ghcr.io', { dockerConfig: join(dir, 'nope.json') })).toEqual({ source: 'none', notes: [] });
    expect(() => findRegistryCredentials('ghcr.io', { authFile: join(dir, 'nope.json') })).toThrow(/cannot read the registry auth file .*nope\.json: ENOENT/);
  });

  test('broken files are errors that never quote the file', () => {
    const broken = configFile('{"auths": {"ghcr.io": {"auth": "c2VjcmV0LXZhbHVl"}');
    const e = (() => {
      try {
        findRegistryCredentials('ghcr.io', { dockerConfig: broken });
      } catch (error) {
        return error as Error;
      }
      throw new Error('expected an error');
    })();
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toContain('is not valid JSON');
    expect(e.message).not.toContain('c2VjcmV0');
    const badAuth = configFile({ auths: { 'ghcr.io': { auth: b64('no-colon-here') } } });
    expect(() => findRegistryCredentials('ghcr.io', { dockerConfig: badAuth })).toThrow(/"auth" must be base64 of username:password/);
    expect(() => findRegistryCredentials('ghcr.io', { dockerConfig: configFile('[1]') })).toThrow(/must hold a JSON object/);
  });

  test('an empty file is an empty config', () => {
    expect(findRegistryCredentials('ghcr.io', { authFile: configFile('') })).toEqual({ source: 'none', notes: [] });
  });
});
