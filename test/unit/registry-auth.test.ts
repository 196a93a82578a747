import { describe, expect, test } from 'vitest';
import { repositoryScope, tokenUrl } from '#core/registry/auth.js';
import { HttpTransport } from '#core/registry/http.js';
import { describeStatus, parseDistributionErrors } from '#core/registry/registry-error.js';
import { parseWwwAuthenticate, pickChallenge } from '#core/registry/www-authenticate.js';

describe('WWW-Authenticate', () => {
  test('a registry Bearer challenge, commas inside the scope', () => {
    const header =
      'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:acme/app:pull,push",error="insufficient_scope"';
    expect(parseWwwAuthenticate(header)).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.example.com/token',
          service: 'registry.example.com',
          scope: 'repository:acme/app:pull,push',
          error: 'insufficient_scope',
        },
      },
    ]);
  });

  test('Basic with a realm', () => {
    expect(parseWwwAuthenticate('Basic realm="Registry Realm"')).toEqual([{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
  });

  test('several challenges in one header, as Node joins repeated headers', () => {
    const challenges = parseWwwAuthenticate('Basic realm="basic, with comma", Bearer realm="https://a/token", service=reg , scope="x:y:pull"');
    expect(challenges.map((c) => c.scheme)).toEqual(['basic', 'bearer']);
    expect(challenges[0]!.params).toEqual({ realm: 'basic, with comma' });
    expect(challenges[1]!.params).toEqual({ realm: 'https://a/token', service: 'reg', scope: 'x:y:pull' });
    expect(pickChallenge(challenges)?.scheme).toBe('bearer');
  });

  test('escaped quotes, = inside values, odd spacing and case', () => {
    const [c] = parseWwwAuthenticate('BEARER  Realm = "https://a/t?x=1&y=\\"q\\"" ,, SERVICE="s"');
    expect(c).toEqual({ scheme: 'bearer', params: { realm: 'https://a/t?x=1&y="q"', service: 's' } });
  });

  test('token68 and bare schemes', () => {
    expect(parseWwwAuthenticate('Negotiate abc+/def==, Basic')).toEqual([
      { scheme: 'negotiate', params: {}, token68: 'abc+/def==' },
      { scheme: 'basic', params: {} },
    ]);
  });

  test('the first of a repeated parameter wins; __proto__ is just a name', () => {
    const [c] = parseWwwAuthenticate('Bearer realm="https://first/",realm="https://second/",__proto__="x"');
    expect(c!.params.realm).toBe('https://first/');
    expect(Object.getPrototypeOf({})).not.toHaveProperty('x');
  });

  test('garbage yields nothing to act on, quickly', () => {
    expect(pickChallenge(parseWwwAuthenticate(''))).toBeUndefined();
    expect(pickChallenge(parseWwwAuthenticate('"unterminated, ,,,'))).toBeUndefined();
    const huge = `Bearer realm="${'x,'.repeat(200_000)}`;
    expect(pickChallenge(parseWwwAuthenticate(huge))?.scheme).toBe('bearer');
  });
});

describe('scopes and token URLs', () => {
  test('one scope parameter per scope, as docker sends them (a mount reads the source too)', () => {
    const url = tokenUrl('https://auth.example.com/token?client=x', 'registry.example.com', [
      repositoryScope('b/app', ['pull', 'push']),
      repositoryScope('a/app', ['pull']),
      repositoryScope('a/app', ['pull']),
    ]);
    expect(url.searchParams.get('client')).toBe('x');
    expect(url.searchParams.get('service')).toBe('registry.example.com');
    expect(url.searchParams.getAll('scope')).toEqual(['repository:a/app:pull', 'repository:b/app:pull,push']);
  });
});

describe('distribution error bodies', () => {
  test('codes and messages', () => {
    const body = JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: [{ Type: 'repository' }] }] });
    expect(parseDistributionErrors(body)).toEqual([{ code: 'UNAUTHORIZED', message: 'authentication required' }]);
    expect(describeStatus(401, body)).toBe('401 UNAUTHORIZED: authentication required');
  });

  test('OAuth-style token server errors, plain text and HTML', () => {
    expect(describeStatus(401, '{"error":"invalid_grant","error_description":"bad password"}')).toBe('401 invalid_grant: bad password');
    expect(describeStatus(503, 'upstream unavailable\nmore')).toBe('503 upstream unavailable');
    expect(describeStatus(502, '<html><body>Bad gateway</body></html>')).toBe('502 Bad Gateway');
    expect(describeStatus(401, '')).toBe('401 Unauthorized');
    expect(describeStatus(500, 'x'.repeat(10_000)).length).toBeLessThanOrEqual(300);
  });
});

describe('plain http', () => {
  test('a token realm (or a redirect) on plain http is refused unless the registry is insecure', () => {
    const realm = new URL('http://auth.example.com/token');
    expect(() => new HttpTransport().assertSchemeAllowed(realm, 'token realm of registry.example.com')).toThrow(
      'registry auth.example.com: token realm of registry.example.com http://auth.example.com is plain http; set the registry as insecure to allow it (only for a registry on loopback or a trusted network)',
    );
    expect(() => new HttpTransport({ insecure: true }).assertSchemeAllowed(realm, 'token realm')).not.toThrow();
    expect(() => new HttpTransport().assertSchemeAllowed(new URL('https://auth.example.com/token'), 'token realm')).not.toThrow();
    expect(() => new HttpTransport({ insecure: true }).assertSchemeAllowed(new URL('file:///etc/passwd'), 'redirect to')).toThrow(/is not an http\(s\) URL/);
  });
});
