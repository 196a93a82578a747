import { describe, expect, test } from 'vitest';
import { InputError } from '#core/errors/errors.js';
import {
  formatImageReference,
  isLoopbackRegistry,
  lowerCaseForGhcr,
  manifestReference,
  parseImageReference,
  registryApiHost,
  registryHostname,
} from '#core/registry/reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function parse(text: string) {
  return parseImageReference(text, "input 'image'");
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('parsing like docker', () => {
  test.each([
    ['alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    ['alpine:3.20', { registry: 'docker.io', repository: 'library/alpine', tag: '3.20' }],
    ['acme/app', { registry: 'docker.io', repository: 'acme/app' }],
    ['docker.io/alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    ['index.docker.io/library/alpine:edge', { registry: 'docker.io', repository: 'library/alpine', tag: 'edge' }],
    ['ghcr.io/acme/app:1.2.3', { registry: 'ghcr.io', repository: 'acme/app', tag: '1.2.3' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['localhost:5000/team/app:v1', { registry: 'localhost:5000', repository: 'team/app', tag: 'v1' }],
    ['127.0.0.1:5000/app', { registry: '127.0.0.1:5000', repository: 'app' }],
    ['[::1]:5000/app:x', { registry: '[::1]:5000', repository: 'app', tag: 'x' }],
    ['registry.example.com/a/b/c', { registry: 'registry.example.com', repository: 'a/b/c' }],
    [`ghcr.io/acme/app@${DIGEST}`, { registry: 'ghcr.io', repository: 'acme/app', digest: DIGEST }],
    [`ghcr.io/acme/app:1.0@${DIGEST}`, { registry: 'ghcr.io', repository: 'acme/app', tag: '1.0', digest: DIGEST }],
    ['Registry.Example.COM:443/app', { registry: 'registry.example.com:443', repository: 'app' }],
    ['a.b-c/e__f.g-h', { registry: 'a.b-c', repository: 'e__f.g-h' }],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  test('a name with a port but no path is a repository and tag, as docker reads it', () => {
    expect(parse('localhost:5000')).toEqual({ registry: 'docker.io', repository: 'library/localhost', tag: '5000' });
  });

  test('formatting is fully qualified and round-trips', () => {
    for (const text of ['docker.io/library/alpine:3', `ghcr.io/acme/app:1@${DIGEST}`, '[::1]:5000/a/b']) {
      expect(formatImageReference(parse(text))).toBe(text);
    }
    expect(formatImageReference(parse('alpine'))).toBe('docker.io/library/alpine');
  });

  test('the manifest to ask for: digest, else tag, else latest', () => {
    expect(manifestReference(parse(`app:1@${DIGEST}`))).toBe(DIGEST);
    expect(manifestReference(parse('app:1'))).toBe('1');
    expect(manifestReference(parse('app'))).toBe('latest');
  });

  test('Docker Hub is served from registry-1.docker.io', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('index.docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('ghcr.io')).toBe('ghcr.io');
    expect(registryApiHost('localhost:5000')).toBe('localhost:5000');
  });

  test('loopback detection', () => {
    for (const r of ['localhost', 'localhost:5000', '127.0.0.1:5000', '127.1.2.3', '[::1]:5000', 'registry.localhost']) expect(isLoopbackRegistry(r)).toBe(true);
    for (const r of ['ghcr.io', '10.0.0.1:5000', '[fe80::1]:5000', 'localhost.example.com']) expect(isLoopbackRegistry(r)).toBe(false);
    expect(registryHostname('[::1]:5000')).toBe('::1');
    expect(registryHostname('example.com:5000')).toBe('example.com');
  });
});

describe('errors name the input and say what to do', () => {
  test('upper-case repository: must be lower-case, with the lower-case form offered', () => {
    const e = errorOf(() => parse('registry.example.com/Acme/App:1'));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe(
      "input 'image': repository 'Acme/App' must be lower-case: use 'registry.example.com/acme/app:1' (got 'registry.example.com/Acme/App:1')",
    );
    expect(errorOf(() => parse('Acme/app')).message).toContain("use 'docker.io/acme/app'");
  });

  test('ghcr.io is lower-cased for the user, with a log line', () => {
    const logs: string[] = [];
    const ref = parseImageReference('ghcr.io/Acme/My-App:1.0', "input 'image'", { log: (m) => logs.push(m) });
    expect(ref).toEqual({ registry: 'ghcr.io', repository: 'acme/my-app', tag: '1.0' });
    expect(logs).toEqual(["input 'image': ghcr.io stores repositories in lower case, using ghcr.io/acme/my-app:1.0 for ghcr.io/Acme/My-App:1.0"]);
    expect(lowerCaseForGhcr('ghcr.io/Acme/App:Tag-1')).toBe('ghcr.io/acme/app:Tag-1');
    expect(lowerCaseForGhcr('quay.io/Acme/App')).toBe('quay.io/Acme/App');
  });

  test('a tag keeps its case: tags are case-sensitive', () => {
    expect(parse('ghcr.io/acme/app:RC1').tag).toBe('RC1');
  });

  test.each([
    ['app:-bad', "input 'image': tag '-bad' must be a valid image tag"],
    [`app:${'x'.repeat(129)}`, 'must be a valid image tag'],
    ['app@sha256:abc', "input 'image': digest 'sha256:abc' must be sha256: followed by 64 lower-case hex digits"],
    [`app@sha256:${'A'.repeat(64)}`, 'must be sha256: followed by 64 lower-case hex digits'],
    [`app@md5:${'a'.repeat(32)}`, 'must be sha256:'],
    ['https://ghcr.io/acme/app', "without a URL scheme: leave out 'https://'"],
    ['', "input 'image' must be an image reference like"],
    ['ghcr.io/acme//app', 'must be lower-case path components'],
    ['ghcr.io/acme/app name', 'must not contain whitespace'],
    ['-bad.example.com/app', "registry '-bad.example.com' is not a valid host[:port]"],
    // Docker reads a first component with a dot as a registry, and '_' is not allowed in host names.
    ['a.b-c_d/e', "registry 'a.b-c_d' is not a valid host[:port]"],
    [`example.com/${'a'.repeat(250)}`, 'longer than 255 characters'],
  ])('%j', (text, message) => {
    const e = errorOf(() => parse(text));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toContain(message);
  });
});
