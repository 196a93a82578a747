import { describe, expect, test } from 'vitest';
import { InputError } from '#core/errors/errors.js';
import { loadYaml } from '#core/yaml/load-yaml.js';
import { MAX_LIST_INDEX, mergeValues, parseSetValue, parseValuePath, setValue, type Values } from '#core/yaml/merge-values.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

function values(text: string): Values {
  return loadYaml(text, { file: 'values.yaml' }) as Values;
}

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('mergeValues: helm layering', () => {
  test('maps merge recursively, lists and scalars replace', () => {
    const base = values('image:\n  repository: api\n  tag: "1.0"\nargs: [--a, --b]\nreplicas: 1\nresources:\n  limits: {cpu: 1, memory: 1Gi}\n');
    const overlay = values('image:\n  tag: "1.1"\nargs: [--c]\nreplicas: 3\nresources:\n  limits: {memory: 2Gi}\n');
    expect(mergeValues(base, overlay)).toEqual({
      image: { repository: 'api', tag: '1.1' },
      args: ['--c'],
      replicas: 3,
      resources: { limits: { cpu: 1, memory: '2Gi' } },
    });
  });

  test('a map replaces a scalar and a scalar replaces a map', () => {
    expect(mergeValues({ a: 'x', b: { c: 1 } }, { a: { y: 1 }, b: 'z' })).toEqual({ a: { y: 1 }, b: 'z' });
  });

  test('a list never merges with a map or a list', () => {
    expect(mergeValues({ a: { x: 1 }, b: [1, 2, 3] }, { a: [1], b: [{ y: 2 }] })).toEqual({ a: [1], b: [{ y: 2 }] });
  });

  test('null in the overlay deletes the key, at any depth', () => {
    const base = { ingress: { enabled: true, tls: [{ hosts: ['a'] }] }, probes: { liveness: { path: '/' } }, keep: 1 };
    expect(mergeValues(base, { ingress: { tls: null }, probes: null })).toEqual({ ingress: { enabled: true }, keep: 1 });
  });

  test("an overlay's nulls never reach the result, even where the base has nothing", () => {
    expect(mergeValues({}, { a: null, b: { c: null, d: 1, e: { f: null } } })).toEqual({ b: { d: 1, e: {} } });
  });

  test("the base's own nulls and nulls inside lists are data and stay", () => {
    expect(mergeValues({ a: null, l: [1] }, { l: [null, 2] })).toEqual({ a: null, l: [null, 2] });
  });

  test('files layer in order', () => {
    const layered = [values('a: 1\nb: {x: 1}\n'), values('b: {y: 2}\nc: 3\n'), values('a: 10\nb: {x: null}\n')].reduce(mergeValues, {});
    expect(layered).toEqual({ a: 10, b: { y: 2 }, c: 3 });
  });

  test('inputs are never modified', () => {
    const base = deepFreeze({ a: { b: 1, c: [1, 2] }, d: 'x', gone: 1 });
    const overlay = deepFreeze({ a: { b: 2, e: { f: null, g: 1 } }, d: null, gone: null, h: [3] });
    const copies = [structuredClone(base), structuredClone(overlay)];
    const merged = mergeValues(base, overlay);
    expect(merged).toEqual({ a: { b: 2, c: [1, 2], e: { g: 1 } }, h: [3] });
    expect([base, overlay]).toEqual(copies);
  });

  test('__proto__, constructor and prototype are ordinary keys', () => {
    const merged = mergeValues({ constructor: { a: 1 } }, values('__proto__:\n  polluted: true\nconstructor:\n  b: 2\nprototype: 1\n'));
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged).sort()).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(merged.constructor).toEqual({ a: 1, b: 2 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('setValue: --set paths', () => {
  test.each([
    ['image.tag', { image: { repository: 'api', tag: '1.1' }, list: [{ name: 'a' }] }],
    ['new.deeply.nested', { image: { repository: 'api', tag: '1.0' }, list: [{ name: 'a' }], new: { deeply: { nested: '1.1' } } }],
    ['list[0].name', { image: { repository: 'api', tag: '1.0' }, list: [{ name: '1.1' }] }],
    ['list[2]', { image: { repository: 'api', tag: '1.0' }, list: [{ name: 'a' }, null, '1.1'] }],
    ['image', { image: '1.1', list: [{ name: 'a' }] }],
    ['image.tag.more', { image: { repository: 'api', tag: { more: '1.1' } }, list: [{ name: 'a' }] }],
    ['list.name', { image: { repository: 'api', tag: '1.0' }, list: { name: '1.1' } }],
    ['image[1]', { image: [null, '1.1'], list: [{ name: 'a' }] }],
  ])('%s', (path, expected) => {
    const original = deepFreeze({ image: { repository: 'api', tag: '1.0' }, list: [{ name: 'a' }] });
    expect(setValue(original, path, '1.1')).toEqual(expected);
  });

  test('escaped dots and brackets belong to the key', () => {
    expect(setValue({}, 'podAnnotations.prometheus\\.io/scrape', 'true')).toEqual({ podAnnotations: { 'prometheus.io/scrape': 'true' } });
    expect(setValue({}, 'a\\[0\\]', 'x')).toEqual({ 'a[0]': 'x' });
    expect(setValue({}, 'back\\\\slash', 'x')).toEqual({ 'back\\slash': 'x' });
  });

  test('nested list indexes', () => {
    expect(setValue({ m: [[1, 2], [3]] }, 'm[1][2]', 9)).toEqual({ m: [[1, 2], [3, null, 9]] });
    expect(setValue({}, 'containers[0].ports[1].port', 80)).toEqual({ containers: [{ ports: [null, { port: 80 }] }] });
  });

  test('null deletes the key, like helm; in a list it is just null', () => {
    expect(setValue({ a: { b: 1, c: 2 } }, 'a.b', null)).toEqual({ a: { c: 2 } });
    expect(setValue({ l: [1, 2] }, 'l[0]', null)).toEqual({ l: [null, 2] });
  });

  test('the input is never modified', () => {
    const original = deepFreeze({ a: { b: [1, { c: 1 }] } });
    const copy = structuredClone(original);
    expect(setValue(original, 'a.b[1].c', 2)).toEqual({ a: { b: [1, { c: 2 }] } });
    expect(original).toEqual(copy);
  });

  test('__proto__ in a path is a key, never the prototype', () => {
    const result = setValue({}, '__proto__.polluted', 'yes');
    expect(Object.keys(result)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(setValue({}, 'constructor.prototype.polluted', 'yes')).toEqual({ constructor: { prototype: { polluted: 'yes' } } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('parsed paths', () => {
    expect(parseValuePath('a.b\\.c[0][12].d')).toEqual([{ key: 'a' }, { key: 'b.c' }, { index: 0 }, { index: 12 }, { key: 'd' }]);
  });

  test.each([
    ['', "path '': a key is missing at the end at column 1"],
    ['a..b', "path 'a..b': a key is missing before '.' at column 3"],
    ['.a', "path '.a': a key is missing before '.' at column 1"],
    ['a.', "path 'a.': a key is missing at the end at column 3"],
    ['[0]', "path '[0]': a key is missing before '[' at column 1"],
    ['a.[0]', "path 'a.[0]': a key is missing before '[' at column 3"],
    ['a[0', "path 'a[0': '[' is never closed at column 2"],
    ['a[x]', `path 'a[x]': list index must be a number from 0 to ${MAX_LIST_INDEX} (got 'x') at column 3`],
    ['a[-1]', `path 'a[-1]': list index must be a number from 0 to ${MAX_LIST_INDEX} (got '-1') at column 3`],
    ['a[]', `path 'a[]': list index must be a number from 0 to ${MAX_LIST_INDEX} (got '') at column 3`],
    ['a[99999999]', `path 'a[99999999]': list index 99999999 is over the maximum ${MAX_LIST_INDEX} at column 3`],
    ['a[0]b', "path 'a[0]b': expected '.' or '[' after ']' (got 'b') at column 5"],
    ['a]', "path 'a]': unexpected ']' (escape it as '\\]' if it is part of the key) at column 2"],
    ['a\\', "path 'a\\': '\\' at the end escapes nothing at column 2"],
  ])('%j is refused: %s', (path, message) => {
    expect(errorOf(() => setValue({}, path, 1)).message).toBe(message);
  });
});

describe('parseSetValue', () => {
  test.each(['true', '3', 'null', '[a, b]', '{a: 1}', '', '0644', ' spaced ', 'a: b', '#fff'])('--set-string semantics keep %j a string', (text) => {
    expect(parseSetValue(text, { strings: true })).toBe(text);
  });

  test.each([
    ['true', true],
    ['false', false],
    ['3', 3],
    ['1.5', 1.5],
    ['null', null],
    ['~', null],
    ['[a, b]', ['a', 'b']],
    ['{a: 1, b: [x]}', { a: 1, b: ['x'] }],
    ['"quoted: yes"', 'quoted: yes'],
    ['no', 'no'],
    ['0644', 644],
    ['plain text', 'plain text'],
    ['', ''],
    ['#fff', '#fff'],
  ])('typed: %j is %j (YAML 1.2)', (text, expected) => {
    expect(parseSetValue(text, { strings: false })).toEqual(expected);
  });

  test('typed null through setValue deletes the key', () => {
    expect(setValue({ a: 1, b: 2 }, 'a', parseSetValue('null', { strings: false }))).toEqual({ b: 2 });
  });

  test('invalid YAML names the value and the column', () => {
    expect(errorOf(() => parseSetValue('[1, 2', { strings: false })).message).toMatch(/^value '\[1, 2' is not a valid YAML value: .+ \(line 1, column \d+\)$/);
    expect(errorOf(() => parseSetValue('{a: 1, a: 2}', { strings: false, label: "input 'set' line 3" })).message).toBe(
      "input 'set' line 3 is not a valid YAML value: duplicate key 'a' (line 1, column 8)",
    );
    expect(errorOf(() => parseSetValue('!!js/function x', { strings: false })).message).toMatch(/unknown tag '!!js\/function'/);
  });

  test('typed values are bounded like any YAML: a one-line alias bomb fails', () => {
    const levels = ['&l0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i += 1) levels.push(`&l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
    expect(errorOf(() => parseSetValue(`[${levels.join(', ')}]`, { strings: false })).message).toMatch(/alias expansion too large/);
  });
});
