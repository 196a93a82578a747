import { load, YAML11_SCHEMA } from 'js-yaml';
import { describe, expect, test } from 'vitest';
import { dumpYaml, dumpYamlDocuments } from '#core/yaml/dump-yaml.js';
import { loadYaml, loadYamlDocuments } from '#core/yaml/load-yaml.js';

const roundTrip = (value: unknown) => loadYaml(dumpYaml(value), { file: 'dumped.yaml' });

/**
 * How a YAML 1.1 reader sees our output. There is no go-yaml here; js-yaml's
 * YAML 1.1 schema resolves bools, ints (octal, sexagesimal), floats, nulls and
 * timestamps the way the 1.1 spec does, which is what Kubernetes inherits.
 * (Checked once by hand against PyYAML 6 as well: every case below reads back
 * unchanged.) The go-yaml-only forms are covered by asserting the exact text.
 */
const readAsYaml11 = (text: string) => load(text, { schema: YAML11_SCHEMA });

describe('strings another reader would take for something else are quoted', () => {
  // Quoted by js-yaml 5's DUMP_SCHEMA already; kept here so a change in js-yaml cannot slip through.
  const quotedByJsYaml = [
    'yes', 'Yes', 'YES', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'y', 'Y', 'n', 'N',
    'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '~', 'null', 'Null', 'NULL', '<<', '=',
    '0644', '0o644', '0x1F', '0b101', '08', '1.10', '1.0', '1.', '.5', '-.5', '1e3', '1E3', '1e-3', '+1', '-1', '0', '12',
    '1_000', '1_000.5', '.inf', '-.inf', '+.INF', '.nan', '.NaN',
    '1:30', '-1:30', '190:20:30', '1:30.5',
    '2024-01-02', '2024-01-02T10:00:00Z', '2001-12-14 21:59:43.10 -5',
    '123456789012345678901234567890',
    '@handle', '`cmd`', 'a: b', 'a #b', '#c', '- x', '? x', '!x', '&a', '*a', '%x', '|x', '>x', '{x', '[x', '"x', 'trail ', ' lead',
  ];
  // Plain in js-yaml 5's output; go-yaml v2 (Kubernetes, helm) or a case-insensitive reader would not read them as strings.
  const quotedByUs = [
    'yEs', 'nO', 'oN', 'tRUE', 'nULL', 'NuLL', // keywords in any case
    '0X1F', '0B101', '0O17', '+0X1F', // Go's strconv.ParseInt(s, 0, 64) takes upper-case prefixes
    '0_x1F', '-_1', '1_e3', '0o1_7', // go-yaml v2 drops every '_' before parsing a number
    '2024-1-2', '2024-1-2T3:4:5Z', // go-yaml v2's "2006-1-2" timestamp layouts
    '--- x', '... x', // as a top-level key js-yaml wrote `--- x: 1`, a document marker
  ];

  test.each([...quotedByJsYaml, ...quotedByUs])('%j is single-quoted, as a value and as a key, and reads back as itself', (text) => {
    const quoted = `'${text}'`;
    expect(dumpYaml({ k: text })).toBe(`k: ${quoted}\n`);
    expect(dumpYaml({ [text]: 1 })).toBe(`${quoted}: 1\n`);
    expect(dumpYaml([text])).toBe(`- ${quoted}\n`);
    expect(roundTrip({ k: text, [text]: text })).toEqual({ k: text, [text]: text });
    expect(readAsYaml11(dumpYaml({ k: text, [text]: text }))).toEqual({ k: text, [text]: text });
  });

  test.each([
    ['', "''"],
    [' ', '" "'],
    ['\t', '"\\t"'],
    ["it's", "it's"],
    ["'x", "'''x'"],
    ['x\u00a0y', '"x\\_y"'],
    ['\ufeffx', '"\\uFEFFx"'],
    ['x\r\ny', '"x\\r\\ny"'],
  ])('%j is written %s', (text, written) => {
    expect(dumpYaml({ k: text })).toBe(`k: ${written}\n`);
    expect(roundTrip({ k: text })).toEqual({ k: text });
    expect(readAsYaml11(dumpYaml({ k: text }))).toEqual({ k: text });
  });

  test.each(['plain', '1.2.3', 'v1.0', '0.1.0', 'a#b', 'x,y', 'http://x:8080/y', 'key=value', 'Inf', 'NaN', '.infinity', '_1', 'é', '1e', '0x', 'ghcr.io/acme/api@sha256:abc'])(
    '%j needs no quotes and gets none',
    (text) => {
      expect(dumpYaml({ k: text })).toBe(`k: ${text}\n`);
      expect(readAsYaml11(dumpYaml({ k: text }))).toEqual({ k: text });
    },
  );

  test('numbers, booleans and null stay unquoted', () => {
    expect(dumpYaml({ a: 1, b: 1.5, c: true, d: null, e: -3, f: 1e21, g: 0.1 })).toBe('a: 1\nb: 1.5\nc: true\nd: null\ne: -3\nf: 1.e+21\ng: 0.1\n');
    expect(roundTrip({ a: 1, b: 1.5, c: true, d: null, e: -3, f: 1e21, g: 0.1, inf: -Infinity })).toEqual({
      a: 1, b: 1.5, c: true, d: null, e: -3, f: 1e21, g: 0.1, inf: -Infinity,
    });
  });
});

describe('deterministic bytes', () => {
  test('the same data with keys inserted in any order gives identical output', () => {
    const one = { metadata: { name: 'api', labels: { tier: 'web', app: 'api' } }, kind: 'Deployment', spec: { replicas: 2, template: { spec: { containers: [{ name: 'api', image: 'x', env: [{ value: '1', name: 'A' }] }] } } } };
    const two = { spec: { template: { spec: { containers: [{ env: [{ name: 'A', value: '1' }], image: 'x', name: 'api' }] } }, replicas: 2 }, kind: 'Deployment', metadata: { labels: { app: 'api', tier: 'web' }, name: 'api' } };
    expect(dumpYaml(one)).toBe(dumpYaml(two));
    expect(dumpYaml(one)).toBe(
      [
        'kind: Deployment',
        'metadata:',
        '  labels:',
        '    app: api',
        '    tier: web',
        '  name: api',
        'spec:',
        '  replicas: 2',
        '  template:',
        '    spec:',
        '      containers:',
        '        - env:',
        '            - name: A',
        "              value: '1'",
        '          image: x',
        '          name: api',
        '',
      ].join('\n'),
    );
  });

  test('keys are sorted by UTF-16 code unit, not by locale', () => {
    const value = { b: 1, B: 1, a: 1, _: 1, 10: 1, 9: 1, é: 1, Z: 1, aa: 1, '\ufffd': 1, '😀': 1 };
    const keys = dumpYaml(value).trimEnd().split('\n').map((line) => line.slice(0, line.lastIndexOf(':')));
    expect(keys).toEqual(["'10'", "'9'", 'B', 'Z', '_', 'a', 'aa', 'b', 'é', '😀', '\ufffd']);
  });

  test('sortKeys: false keeps insertion order', () => {
    expect(dumpYaml({ b: 1, a: { d: 1, c: 2 } }, { sortKeys: false })).toBe('b: 1\na:\n  d: 1\n  c: 2\n');
  });

  test('LF only, 2-space indent, block style, empty collections as {} and []', () => {
    expect(dumpYaml({ a: [[1, 2], { b: [] }], c: {} })).toBe('a:\n  - - 1\n    - 2\n  - b: []\nc: {}\n');
  });

  test('no anchors or aliases: a shared object is written out each time', () => {
    const shared = { cpu: '100m' };
    expect(dumpYaml({ a: shared, b: shared })).toBe('a:\n  cpu: 100m\nb:\n  cpu: 100m\n');
  });

  test('no line folding however long the line', () => {
    const long = Array(200).fill('word').join(' ');
    expect(dumpYaml({ k: long })).toBe(`k: ${long}\n`);
  });

  test('undefined map entries are left out and undefined list items become null, as in JSON', () => {
    expect(dumpYaml({ a: undefined, b: [undefined, 1] })).toBe('b:\n  - null\n  - 1\n');
  });
});

describe('multi-line strings are literal blocks that round-trip exactly', () => {
  test('ConfigMap data stays readable', () => {
    const conf = 'server {\n  listen 80;\n\n  location / {\n    root /srv;\n  }\n}\n';
    expect(dumpYaml({ data: { 'nginx.conf': conf } })).toBe(
      'data:\n  nginx.conf: |\n    server {\n      listen 80;\n\n      location / {\n        root /srv;\n      }\n    }\n',
    );
  });

  test.each([
    ['a\nb', 'k: |-\n  a\n  b\n'],
    ['a\nb\n', 'k: |\n  a\n  b\n'],
    ['a\nb\n\n', 'k: |+\n  a\n  b\n\n...\n'],
    ['\na', 'k: |-\n\n  a\n'],
    ['  indented\nnot\n', 'k: |2\n    indented\n  not\n'],
    ['trailing space \nnext', 'k: |-\n  trailing space \n  next\n'],
    ['a\n---\nb\n', 'k: |\n  a\n  ---\n  b\n'],
    ['all:\n\tbuild\n', 'k: |\n  all:\n  \tbuild\n'],
  ])('%j', (text, written) => {
    expect(dumpYaml({ k: text })).toBe(written);
    expect(roundTrip({ k: text })).toEqual({ k: text });
    expect(roundTrip([{ deeper: [text] }])).toEqual([{ deeper: [text] }]);
    expect(readAsYaml11(written)).toEqual({ k: text });
  });

  test.each([
    // A tab on the first content line breaks libyaml's (and go-yaml's) indentation detection.
    ['\tfirst\nsecond', '"\\tfirst\\nsecond"'],
    // A block cannot hold a CR.
    ['a\r\nb\r\n', '"a\\r\\nb\\r\\n"'],
  ])('%j falls back to double quotes', (text, written) => {
    expect(dumpYaml({ k: text })).toBe(`k: ${written}\n`);
    expect(roundTrip({ k: text })).toEqual({ k: text });
  });

  test('a top-level string starting with spaces is double-quoted: YAML 1.2 and libyaml disagree on `|3` there', () => {
    expect(dumpYaml('  x\n  y\n')).toBe('"  x\\n  y\\n"\n');
    expect(roundTrip('  x\n  y\n')).toBe('  x\n  y\n');
    expect(dumpYaml('\n a\n\tb')).toBe('"\\n a\\n\\tb"\n');
    expect(dumpYaml({ k: '\n a\n\tb' })).toBe('k: |2-\n\n   a\n  \tb\n');
  });

  test('multi-line keys are double-quoted', () => {
    expect(dumpYaml({ 'a\nb': 1 })).toBe('? "a\\nb"\n: 1\n');
    expect(roundTrip({ 'a\nb': 1 })).toEqual({ 'a\nb': 1 });
  });
});

describe('dumpYamlDocuments', () => {
  test('a --- separated stream, each document sorted, one final LF', () => {
    const text = dumpYamlDocuments([{ kind: 'Service', apiVersion: 'v1' }, { kind: 'ConfigMap', data: { 'a.txt': 'x\n' } }]);
    expect(text).toBe('apiVersion: v1\nkind: Service\n---\ndata:\n  a.txt: |\n    x\nkind: ConfigMap\n');
    expect(loadYamlDocuments(text, { file: 'stream.yaml' })).toEqual([{ kind: 'Service', apiVersion: 'v1' }, { kind: 'ConfigMap', data: { 'a.txt': 'x\n' } }]);
  });

  test('a document ending in a kept-newlines block is closed with ... before the next', () => {
    const text = dumpYamlDocuments([{ k: 'x\n\n' }, { k: 'z' }]);
    expect(text).toBe('k: |+\n  x\n\n...\n---\nk: z\n');
    expect(loadYamlDocuments(text, { file: 'stream.yaml' })).toEqual([{ k: 'x\n\n' }, { k: 'z' }]);
  });

  test('no documents, no text', () => {
    expect(dumpYamlDocuments([])).toBe('');
  });
});

describe('only plain data', () => {
  class Thing {
    x = 1;
  }
  const cycle: Record<string, unknown> = { a: 1 };
  cycle.self = { back: cycle };

  test.each([
    [{ at: new Date(0) }, /cannot dump a Date at at:/],
    [{ m: new Map([['a', 1]]) }, /cannot dump a Map at m:/],
    [{ list: [1, new Thing()] }, /cannot dump a Thing at list\[1\]:/],
    [{ f: () => 1 }, /cannot dump a function at f$/],
    [{ n: 10n }, /cannot dump a bigint at n$/],
    [{ s: Symbol('s') }, /cannot dump a symbol at s$/],
    [cycle, /self\.back contains itself \(a cycle\)/],
    [undefined, /cannot dump undefined/],
  ])('%# is a bug in the caller: TypeError with the path', (value, message) => {
    expect(() => dumpYaml(value)).toThrow(TypeError);
    expect(() => dumpYaml(value)).toThrow(message);
  });

  test('objects without a prototype are plain', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: 2 });
    expect(dumpYaml(bare)).toBe('a: 2\nb: 1\n');
  });
});
