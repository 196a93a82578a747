import { describe, expect, test } from 'vitest';
import { parseApplicationName, resolveApplicationName } from '#core/argocd/application-name.js';
import { applicationUrl, parseArgoCdUrl } from '#core/argocd/argocd-url.js';
import { formatDuration, parseDuration } from '#core/argocd/duration.js';
import { isRevision, parseRevision } from '#core/argocd/git-revision.js';

describe('argocd-url', () => {
  test('https, with an optional path prefix; the application path is built below it', () => {
    const server = parseArgoCdUrl('https://argocd.example.com/argo-cd/', false);
    expect(server.base.href).toBe('https://argocd.example.com/argo-cd');
    expect(applicationUrl(server, 'verity-api--staging', { refresh: 'normal' }).href).toBe(
      'https://argocd.example.com/argo-cd/api/v1/applications/verity-api--staging?refresh=normal',
    );
    expect(applicationUrl(parseArgoCdUrl('https://argocd.example.com', false), 'a').href).toBe('https://argocd.example.com/api/v1/applications/a');
  });

  test('plain http only with insecure; credentials, queries and other schemes never', () => {
    expect(() => parseArgoCdUrl('http://argocd.test', false)).toThrow(
      "input 'argocd-url' is plain http (argocd.test): the token would cross the network unencrypted. Use https://, or set 'insecure: true' for a test cluster",
    );
    expect(parseArgoCdUrl('http://argocd.test', true).insecure).toBe(true);
    expect(() => parseArgoCdUrl('https://admin:pw@argocd.test', false)).toThrow("must not carry credentials; pass the token as 'argocd-token'");
    expect(() => parseArgoCdUrl('https://argocd.test/?token=x', false)).toThrow('must not have a query or fragment');
    expect(() => parseArgoCdUrl('grpc://argocd.test', true)).toThrow("input 'argocd-url' must be an https:// URL (got grpc://…)");
    expect(() => parseArgoCdUrl('argocd.test', false)).toThrow("input 'argocd-url' must be the Argo CD server's URL");
  });
});

describe('application name', () => {
  test('a DNS label', () => {
    expect(parseApplicationName('verity-api--staging')).toBe('verity-api--staging');
    for (const bad of ['Verity', 'a_b', '-a', 'a-', 'a/b', '..', '', 'a'.repeat(64), 'ns/app']) expect(() => parseApplicationName(bad)).toThrow('DNS label');
  });

  test('<app>--<environment> by default, the app being the repository name', () => {
    const base = { application: '', app: '', environment: 'staging', repository: 'acme/verity-api' };
    expect(resolveApplicationName(base)).toBe('verity-api--staging');
    expect(resolveApplicationName({ ...base, app: 'billing' })).toBe('billing--staging');
    expect(resolveApplicationName({ ...base, application: 'custom' })).toBe('custom');
    expect(() => resolveApplicationName({ ...base, environment: '' })).toThrow("input 'application' is required unless 'environment' is given");
    expect(() => resolveApplicationName({ ...base, environment: 'Prod' })).toThrow("input 'environment' must be a DNS label");
  });
});

describe('duration', () => {
  test('seconds, units and combinations, within bounds', () => {
    const bounds = { minMs: 1000, maxMs: 6 * 3_600_000 };
    expect(parseDuration('10m', 'timeout', bounds)).toBe(600_000);
    expect(parseDuration('90', 'timeout', bounds)).toBe(90_000);
    expect(parseDuration('1h30m', 'timeout', bounds)).toBe(5_400_000);
    expect(parseDuration(' 45S ', 'timeout', bounds)).toBe(45_000);
    expect(() => parseDuration('0s', 'timeout', bounds)).toThrow("input 'timeout' must be from 1s to 6h (got '0s')");
    expect(() => parseDuration('7h', 'timeout', bounds)).toThrow('from 1s to 6h');
    for (const bad of ['', '10 minutes', '1.5m', '-5', 'm']) expect(() => parseDuration(bad, 'timeout', bounds)).toThrow('must be a duration');
  });

  test('formatting', () => {
    expect([500, 1000, 1500, 90_000, 600_000, 3_661_000].map(formatDuration)).toEqual(['500 ms', '1s', '1.5s', '1m30s', '10m', '1h1m1s']);
  });
});

describe('revision', () => {
  test('a hex SHA, full or abbreviated; branches and tags are refused', () => {
    expect(parseRevision(' 84B53F0D ')).toBe('84b53f0d');
    for (const bad of ['main', 'v1.4.0', 'abc123', 'g'.repeat(40), 'a'.repeat(65)]) expect(() => parseRevision(bad)).toThrow("input 'revision' must be the GitOps commit SHA");
  });

  test('matching', () => {
    const full = '84b53f0d599c1e2a3b4c5d6e7f8091a2b3c4d5e6';
    expect(isRevision(full, full)).toBe(true);
    expect(isRevision(full.toUpperCase(), '84b53f0')).toBe(true);
    expect(isRevision('84b53f0', full)).toBe(false);
    expect(isRevision('', '84b53f0')).toBe(false);
  });
});
