import { describe, expect, test } from 'vitest';
import { InputError } from '#core/errors/errors.js';
import { DEFAULT_YAML_LIMITS, loadYaml, loadYamlDocuments } from '#core/yaml/load-yaml.js';
import { YamlError } from '#core/yaml/yaml-error.js';

const source = { file: 'deploy/values.yaml' };

function errorOf(fn: () => unknown): YamlError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(YamlError);
    expect(error).toBeInstanceOf(InputError);
    return error as YamlError;
  }
  throw new Error('expected a YamlError');
}

/** Each level a list of nine aliases to the one below: 9^levels strings once expanded. */
function aliasBomb(levels: number): string {
  const lines = ['l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < levels; i += 1) lines.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

function nestedLists(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

describe('loadYaml: one document', () => {
  test('a values file', () => {
    expect(loadYaml('image:\n  repository: ghcr.io/acme/api\n  tag: "1.4.0"\nreplicas: 3\nenv: [a, b]\n', source)).toEqual({
      image: { repository: 'ghcr.io/acme/api', tag: '1.4.0' },
      replicas: 3,
      env: ['a', 'b'],
    });
  });

  test('YAML 1.2 core schema: no/on/yes are strings, 0644 is decimal, no timestamps (Kubernetes reads these differently)', () => {
    const text = 'a: no\nb: on\nc: yes\nd: y\ne: 0644\nf: 0o644\ng: 0x1F\nh: 1.10\ni: ~\nj: 2024-01-02\nk: 1:30\nl: 1_000\nm: NULL\nn: TRUE\no: .inf\n';
    expect(loadYaml(text, source)).toEqual({
      a: 'no', b: 'on', c: 'yes', d: 'y', e: 644, f: 420, g: 31, h: 1.1, i: null, j: '2024-01-02', k: '1:30', l: '1_000', m: null, n: true, o: Infinity,
    });
  });

  test('explicit core tags are fine', () => {
    expect(loadYaml('a: !!str 0644\nb: !!int "7"\nc: !!null ""\n', source)).toEqual({ a: '0644', b: 7, c: null });
  });

  test.each([
    ['', 'nothing'],
    ['# only a comment\n', 'a comment'],
    ['\n\n   \n', 'blank lines'],
  ])('an empty file (%j: %s) is undefined, for callers to treat as {}', (text) => {
    expect(loadYaml(text, source)).toBeUndefined();
  });

  test.each([
    ['---\n', 'a bare ---'],
    ['---\n# nothing\n---\n', 'two empty documents'],
    ['null\n', 'an explicit null'],
  ])('an empty document (%j: %s) is null', (text) => {
    expect(loadYaml(text, source)).toBeNull();
  });

  test('empty documents around the one document are ignored', () => {
    expect(loadYaml('---\na: 1\n---\n# nothing here\n', source)).toEqual({ a: 1 });
  });

  test('a second document is an error at its --- line', () => {
    const error = errorOf(() => loadYaml('a: 1\n---\n# second\nb: 2\n', source));
    expect(error.message).toMatch(/^deploy\/values\.yaml:2:1: expected a single YAML document, found 2/);
    expect([error.file, error.line, error.column]).toEqual(['deploy/values.yaml', 2, 1]);
  });

  test('merge keys work as in helm and Kubernetes; explicit keys win', () => {
    const text = 'defaults: &defaults\n  cpu: 100m\n  memory: 128Mi\napi:\n  <<: *defaults\n  memory: 256Mi\n';
    expect(loadYaml(text, source)).toEqual({
      defaults: { cpu: '100m', memory: '128Mi' },
      api: { cpu: '100m', memory: '256Mi' },
    });
  });

  test('__proto__ is an ordinary key, never the prototype', () => {
    const loaded = loadYaml('__proto__:\n  polluted: true\n', source) as Record<string, unknown>;
    expect(Object.keys(loaded)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(loaded)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('loadYamlDocuments: a stream', () => {
  test('documents in order, empty ones skipped as helm does', () => {
    const text = '---\n# Source: chart/templates/a.yaml\nkind: A\n---\n---\n# Source: empty.yaml\n---\nkind: B\n...\n';
    expect(loadYamlDocuments(text, { file: 'helm output' })).toEqual([{ kind: 'A' }, { kind: 'B' }]);
  });

  test('nothing at all is no documents', () => {
    expect(loadYamlDocuments('', source)).toEqual([]);
  });

  test('locations count lines across the whole stream', () => {
    const error = errorOf(() => loadYamlDocuments('kind: A\n---\nkind: B\nkind: C\n', { file: 'out.yaml' }));
    expect(error.message.split('\n')[0]).toBe("out.yaml:4:1: duplicate key 'kind'");
  });
});

describe('errors say file:line:column and quote the line', () => {
  test('a syntax error, with js-yaml position made 1-based and a caret', () => {
    const error = errorOf(() => loadYaml('image:\n  tag: 1.0\n repository: x\n', source));
    expect(error.message).toBe(
      ['deploy/values.yaml:3:2: bad indentation of a mapping entry', '    3 |  repository: x', '      |  ^'].join('\n'),
    );
    expect([error.line, error.column]).toEqual([3, 2]);
  });

  test('tabs in the quoted line are shown as → so the caret stays aligned', () => {
    expect(errorOf(() => loadYaml('a:\n\tb: 1\n', source)).message).toBe(
      ['deploy/values.yaml:2:1: tab characters must not be used in indentation', '    2 | →b: 1', '      | ^'].join('\n'),
    );
  });

  test('a very long line is cut around the column', () => {
    const error = errorOf(() => loadYaml(`a: 1\nb: ${'x'.repeat(5000)} c: 2\n`, source));
    expect(error.line).toBe(2);
    const quoted = error.message.split('\n')[1] as string;
    expect(quoted.length).toBeLessThan(120);
    expect(quoted).toMatch(/^ {4}2 \| …x+ c: 2$/);
  });
});

describe('duplicate keys', () => {
  test('named, at the second occurrence', () => {
    const error = errorOf(() => loadYaml('a: 1\nresources:\n  limits: {}\n  limits: {}\n', source));
    expect(error.message).toBe(["deploy/values.yaml:4:3: duplicate key 'limits'", '    4 |   limits: {}', '      |   ^'].join('\n'));
  });

  test('at the top level', () => {
    expect(errorOf(() => loadYaml('replicas: 1\nimage: x\nreplicas: 2\n', source)).message).toMatch(
      /^deploy\/values\.yaml:3:1: duplicate key 'replicas'\n/,
    );
  });

  test('in a flow map', () => {
    expect(errorOf(() => loadYaml('x: {a: 1, a: 2}\n', source)).message).toMatch(/^deploy\/values\.yaml:1:11: duplicate key 'a'\n/);
  });

  test('spelled differently but equal: the column is the opening quote', () => {
    const error = errorOf(() => loadYaml('"a b": 1\n\'a b\': 2\n', source));
    expect(error.message).toMatch(/^deploy\/values\.yaml:2:1: duplicate key 'a b'\n/);
  });
});

describe('no custom tags, no code', () => {
  test.each([
    ['a: !!js/function "function () { return 1 }"\n', '!!js/function'],
    ['a: !!js/undefined ""\n', '!!js/undefined'],
    ['a: !foo bar\n', '!foo'],
    ['a: !!binary aGVsbG8=\n', '!!binary'],
    ['a: !!timestamp 2024-01-02\n', '!!timestamp'],
    ['a: !!set {x}\n', '!!set'],
    ['a: !<tag:example.com,2000:app> x\n', '!<tag:example.com,2000:app>'],
  ])('%j is refused with its location', (text, tag) => {
    const error = errorOf(() => loadYaml(text, source));
    expect(error.message.split('\n')[0]).toBe(
      `deploy/values.yaml:1:4: unknown tag '${tag}': only the YAML core schema's plain maps, lists, strings, numbers, booleans and null are accepted`,
    );
  });
});

describe('limits', () => {
  test('the defaults', () => {
    expect(DEFAULT_YAML_LIMITS).toEqual({ maxBytes: 16 * 1024 * 1024, maxDepth: 100, maxNodes: 1_000_000 });
  });

  test('size is counted in UTF-8 bytes', () => {
    const text = `a: ${'é'.repeat(1000)}\n`; // 1004 characters, 2004 bytes
    expect(loadYaml(text, source, { maxBytes: 2004 })).toEqual({ a: 'é'.repeat(1000) });
    expect(errorOf(() => loadYaml(text, source, { maxBytes: 2003 })).message).toBe('deploy/values.yaml: too large: 2004 bytes (limit 2003 bytes)');
    expect(errorOf(() => loadYaml(text, source, { maxBytes: 1000 })).message).toBe('deploy/values.yaml: too large: at least 1004 bytes (limit 1000 bytes)');
  });

  test('the default size cap', () => {
    const text = `a: "${'x'.repeat(16 * 1024 * 1024)}"\n`;
    expect(errorOf(() => loadYaml(text, source)).message).toBe('deploy/values.yaml: too large: at least 16777222 bytes (limit 16777216 bytes)');
  });

  test('nesting: 100 levels by default, counted exactly', () => {
    expect(loadYaml(nestedLists(100), source)).toBeDefined();
    expect(loadYaml(`a:\n${' - '.repeat(99)}x\n`, source)).toBeDefined();
    expect(errorOf(() => loadYaml(nestedLists(101), source)).message).toMatch(/^deploy\/values\.yaml: nesting deeper than 100 levels/);
    expect(errorOf(() => loadYaml(`a:\n${' - '.repeat(100)}x\n`, source)).message).toMatch(/nesting deeper than 100 levels/);
  });

  test('nesting far past the limit stops in the parser, with a location', () => {
    const error = errorOf(() => loadYaml(`a: ${nestedLists(100_000)}\n`, source));
    expect(error.message).toMatch(/^deploy\/values\.yaml:1:\d+: nesting deeper than 100 levels of maps and lists\n/);
  });

  test('nesting is measured with aliases expanded', () => {
    // Each part is 60 deep; the alias hangs one under the other.
    const text = `a: &a ${nestedLists(60)}\nb: ${'['.repeat(60)}*a${']'.repeat(60)}\n`;
    expect(errorOf(() => loadYaml(text, source)).message).toBe(
      'deploy/values.yaml: nesting deeper than 100 levels of maps and lists (aliases expanded)',
    );
    expect(loadYaml(text, source, { maxDepth: 200 })).toBeDefined();
  });

  test('a custom depth', () => {
    expect(loadYaml('a: {b: {c: 1}}\n', source, { maxDepth: 3 })).toEqual({ a: { b: { c: 1 } } });
    expect(errorOf(() => loadYaml('a: {b: {c: 1}}\n', source, { maxDepth: 2 })).message).toMatch(/nesting deeper than 2 levels/);
  });
});

describe('alias expansion is bounded', () => {
  test('ordinary aliases load', () => {
    const loaded = loadYaml('base: &base {cpu: 1}\na: *base\nb: *base\n', source);
    expect(loaded).toEqual({ base: { cpu: 1 }, a: { cpu: 1 }, b: { cpu: 1 } });
  });

  test('a small bomb within the limit loads (9^5 = 59049 strings)', () => {
    expect(loadYaml(aliasBomb(5), source)).toBeDefined();
  });

  test('the same bomb with a lower node limit fails', () => {
    expect(errorOf(() => loadYaml(aliasBomb(5), source, { maxNodes: 50_000 })).message).toBe(
      'deploy/values.yaml: alias expansion too large: with its aliases (*name) expanded the YAML holds more than 50000 values (an alias bomb?)',
    );
  });

  test('a 9-level bomb (387 million strings) fails on the node count', () => {
    const error = errorOf(() => loadYaml(aliasBomb(9), source));
    expect(error.message).toMatch(/^deploy\/values\.yaml: alias expansion too large: .* more than 1000000 values \(an alias bomb\?\)$/);
    expect([error.line, error.column]).toEqual([undefined, undefined]);
  });

  test('a 14-level bomb (2.3e13 strings) fails the same way: the walk stops at the limit, it never expands', () => {
    // If the count did not stop early this test could not finish.
    expect(errorOf(() => loadYaml(aliasBomb(14), source)).message).toMatch(/alias expansion too large/);
  });

  test('in a stream the count covers all documents', () => {
    const text = `${aliasBomb(5)}---\n${aliasBomb(5)}`;
    expect(loadYamlDocuments(text, source)).toHaveLength(2);
    expect(errorOf(() => loadYamlDocuments(text, source, { maxNodes: 100_000 })).message).toMatch(/alias expansion too large/);
  });

  test('a large file without aliases is not mistaken for a bomb: the default rises with the input', () => {
    const text = `[${'0,'.repeat(1_100_000)}0]`;
    expect((loadYaml(text, source) as unknown[]).length).toBe(1_100_001);
  });

  test.each([
    ['a: &x [1, *x]\n', 'a list'],
    ['a: &x\n  self: *x\n', 'a map'],
    ['a: &x\n  b:\n    - c: *x\n', 'a deeper one'],
  ])('cycles are refused (%j, %s)', (text) => {
    expect(errorOf(() => loadYaml(text, source)).message).toBe(
      'deploy/values.yaml: an alias (*name) refers to a map or list that contains it; such a cycle cannot be expanded',
    );
  });
});
