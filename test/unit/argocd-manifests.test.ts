import { describe, expect, test } from 'vitest';
import { canonicalJson, ManifestAnswerError, manifestDifferences, manifestSet, sameManifests } from '#core/argocd/manifest-equivalence.js';

const REV = '84b53f0d599c1e2a3b4c5d6e7f8091a2b3c4d5e6';

function answer(objects: unknown[], revision = REV): unknown {
  return { manifests: objects.map((o) => (typeof o === 'string' ? o : JSON.stringify(o))), namespace: 'web--staging', server: 'https://kubernetes.default.svc', revision, sourceType: 'Directory' };
}

const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { a: '1', b: '2' } }, spec: { replicas: 2 } };
const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'edge' }, spec: { ports: [{ port: 80 }, { port: 443 }] } };

describe('manifest sets', () => {
  test('key order, object order and JSON formatting make no difference', () => {
    const ours = manifestSet(answer([deployment, service]), REV);
    const spaced = JSON.stringify({ spec: service.spec, metadata: { namespace: 'edge', name: 'web' }, kind: 'Service', apiVersion: 'v1' }, null, 2);
    const theirs = manifestSet(answer([spaced, { spec: { replicas: 2 }, metadata: { labels: { b: '2', a: '1' }, name: 'web' }, kind: 'Deployment', apiVersion: 'apps/v1' }]), REV);
    expect(sameManifests(ours, theirs)).toBe(true);
    expect(manifestDifferences(ours, theirs, 'theirs')).toEqual([]);
  });

  test('a changed value, list order, an added or a removed object are differences, named', () => {
    const ours = manifestSet(answer([deployment, service]), REV);
    const ports = manifestSet(answer([deployment, { ...service, spec: { ports: [{ port: 443 }, { port: 80 }] } }]), REV);
    expect(sameManifests(ours, ports)).toBe(false);
    expect(manifestDifferences(ours, ports, '222222222222')).toEqual(['Service edge/web (changed)']);
    const added = manifestSet(answer([deployment, service, { kind: 'ConfigMap', metadata: { name: 'x' } }]), REV);
    expect(manifestDifferences(ours, added, '222222222222')).toEqual(['ConfigMap x (only at 222222222222)']);
    const removed = manifestSet(answer([deployment]), REV);
    expect(sameManifests(ours, removed)).toBe(false);
    expect(manifestDifferences(ours, removed, '222222222222')).toEqual(['Service edge/web (not at 222222222222)']);
    const replicas = manifestSet(answer([{ ...deployment, spec: { replicas: '2' } }, service]), REV);
    expect(sameManifests(ours, replicas)).toBe(false);
  });

  test('at most five differences are named, the rest counted', () => {
    const many = (suffix: string) => Array.from({ length: 8 }, (_, i) => ({ kind: 'ConfigMap', metadata: { name: `c${i}` }, data: { v: suffix } }));
    const diff = manifestDifferences(manifestSet(answer(many('a')), REV), manifestSet(answer(many('b')), REV), 'x');
    expect(diff).toEqual(['ConfigMap c0 (changed)', 'ConfigMap c1 (changed)', 'ConfigMap c2 (changed)', 'ConfigMap c3 (changed)', 'ConfigMap c4 (changed)', '3 more']);
  });

  test('an Application without objects: Argo CD leaves the list out', () => {
    expect(manifestSet({ revision: REV, sourceType: 'Directory' }, REV)).toEqual([]);
  });

  test('an abbreviated revision asked for is answered with the full SHA', () => {
    expect(manifestSet(answer([service]), REV.slice(0, 10))).toHaveLength(1);
  });

  test('answers that are not the documented shape are refused, not guessed at', () => {
    expect(() => manifestSet(answer([service], '1'.repeat(40)), REV)).toThrow("Argo CD answered the manifests of '1111111111111111111111111111111111111111' when asked for 84b53f0d599c");
    expect(() => manifestSet({ manifests: [] }, REV)).toThrow('answered the manifests of no revision');
    expect(() => manifestSet({ manifests: 'x', revision: REV }, REV)).toThrow("'manifests' is not a list");
    expect(() => manifestSet({ manifests: [{ kind: 'Service' }], revision: REV }, REV)).toThrow('manifest 1 of the answer is not a JSON string');
    expect(() => manifestSet({ manifests: ['{"kind":'], revision: REV }, REV)).toThrow('manifest 1 of the answer is not valid JSON');
    expect(() => manifestSet(null, REV)).toThrow(ManifestAnswerError);
  });

  test('nesting is bounded', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 300; i++) deep = { d: deep };
    expect(() => canonicalJson(deep)).toThrow('nested deeper than 200 levels');
    let fine: unknown = 'leaf';
    for (let i = 0; i < 150; i++) fine = [fine];
    expect(canonicalJson(fine)).toMatch(/^\[+"leaf"\]+$/);
  });
});
