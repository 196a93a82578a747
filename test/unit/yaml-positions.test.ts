import { describe, expect, test } from 'vitest';
import { childPath, pathOf, pathSegments } from '#core/schema/value-path.js';
import { loadYaml, loadYamlWithPositions } from '#core/yaml/load-yaml.js';
import { YamlError } from '#core/yaml/yaml-error.js';
import { YamlPositions } from '#core/yaml/yaml-positions.js';

const source = { file: 'gitops.yaml' };

/** `line:column` of the place a reader looks at for `path`. */
function at(text: string, path: (string | number)[]): string | undefined {
  const location = new YamlPositions(text).locationOf(path);
  return location ? `${location.line}:${location.column}` : undefined;
}

describe('YamlPositions: where each value was written', () => {
  const text = [
    'app: verity-api', // 1
    'environments:', // 2
    '  staging:', // 3
    '    values: [deploy/a.yaml, "deploy/b.yaml"]', // 4
    '    gitops:', // 5
    '      repository: acme/x', // 6
    '  production:', // 7
    '    deploy-on:', // 8
    '      - main', // 9
    '      -', // 10
    '        - nested', // 11
    '    empty:', // 12
    '',
  ].join('\n');

  test('a map entry is found at its key, a list entry at its value', () => {
    expect(at(text, ['app'])).toBe('1:1');
    expect(at(text, ['environments', 'staging'])).toBe('3:3');
    expect(at(text, ['environments', 'staging', 'gitops', 'repository'])).toBe('6:7');
    expect(at(text, ['environments', 'staging', 'values', 0])).toBe('4:14');
    expect(at(text, ['environments', 'staging', 'values', 1])).toBe('4:29'); // the opening quote
    expect(at(text, ['environments', 'production', 'deploy-on', 0])).toBe('9:9');
    expect(at(text, ['environments', 'production', 'deploy-on', 1, 0])).toBe('11:11');
  });

  test('both places of a map entry, and an empty value stands at its key', () => {
    const positions = new YamlPositions(text);
    expect(positions.find(['environments', 'staging', 'gitops', 'repository'])).toEqual({
      place: { key: { line: 6, column: 7 }, value: { line: 6, column: 19 } },
      exact: true,
    });
    expect(positions.find(['environments', 'production', 'empty'])?.place).toEqual({ key: { line: 12, column: 5 }, value: { line: 12, column: 5 } });
  });

  test('a path that was not written falls back to the closest ancestor that was', () => {
    const positions = new YamlPositions(text);
    expect(positions.find(['environments', 'staging', 'gitops', 'branch'])).toEqual({
      place: { key: { line: 5, column: 5 }, value: { line: 6, column: 7 } },
      exact: false,
    });
    expect(at(text, ['nothing', 'here'])).toBe('1:1'); // the document itself
  });

  test('values reached through an alias or a merge key are placed at the alias', () => {
    const yaml = 'base: &base\n  branch: main\nstaging:\n  <<: *base\n  mode: push\nprod: *base\n';
    expect(at(yaml, ['staging', 'mode'])).toBe('5:3');
    expect(at(yaml, ['staging', 'branch'])).toBe('3:1'); // merged: no place of its own under staging
    expect(at(yaml, ['prod', 'branch'])).toBe('6:1');
    expect(new YamlPositions(yaml).find(['prod'])?.place.value).toEqual({ line: 6, column: 7 }); // the '*'
  });

  test('anchors, tags and complex keys', () => {
    const yaml = 'a: &x\n  b: 1\nc: !!str 5\n? [k]\n: v\nd: 2\n';
    expect(new YamlPositions(yaml).find(['a'])?.place.value).toEqual({ line: 1, column: 4 });
    expect(new YamlPositions(yaml).find(['c'])?.place.value).toEqual({ line: 3, column: 4 });
    expect(at(yaml, ['d'])).toBe('6:1');
  });

  test('keys that are not plain words, and CRLF line ends', () => {
    const yaml = 'set:\r\n  "image.tag": "1"\r\n  \'a b\': x\r\n';
    expect(at(yaml, ['set', 'image.tag'])).toBe('2:3');
    expect(at(yaml, ['set', 'a b'])).toBe('3:3');
  });

  test('only the chosen document of a stream', () => {
    const yaml = '---\na: 1\n---\nb: 2\n';
    expect(new YamlPositions(yaml, { document: 1 }).locationOf(['b'])).toEqual({ line: 4, column: 1 });
    expect(new YamlPositions(yaml, { document: 1 }).find(['a'])?.exact).toBe(false);
  });

  test('a text that does not parse has no places', () => {
    expect(new YamlPositions('a: [').locationOf(['a'])).toBeUndefined();
  });
});

describe('loadYamlWithPositions', () => {
  test('loads exactly what loadYaml loads, and finds places in the document that was loaded', () => {
    const text = '# comment\n---\n---\nimage: ghcr.io/acme/api\nreplicas: 3\n';
    const loaded = loadYamlWithPositions(text, source);
    expect(loaded.value).toEqual(loadYaml(text, source));
    expect(loaded.positions().locationOf(['replicas'])).toEqual({ line: 5, column: 1 });
    expect(loaded.positions()).toBe(loaded.positions()); // parsed once
  });

  test('refuses what loadYaml refuses, with the same message', () => {
    for (const text of ['a: 1\na: 2\n', 'a: 1\n---\nb: 2\n', 'a: !!binary x\n']) {
      expect(() => loadYamlWithPositions(text, source)).toThrow(YamlError);
      let expected = '';
      try {
        loadYaml(text, source);
      } catch (error) {
        expected = (error as Error).message;
      }
      expect(() => loadYamlWithPositions(text, source)).toThrow(expected);
    }
  });
});

describe('value paths: what problems are reported at, read back into segments', () => {
  test.each([
    [['environments', 'staging', 'gitops', 'mode'], 'environments.staging.gitops.mode'],
    [['containers', 0, 'ports', 1, 'name'], 'containers[0].ports[1].name'],
    [['labels', 'app.kubernetes.io/name'], 'labels["app.kubernetes.io/name"]'],
    [['set', 'a"b\\c'], 'set["a\\"b\\\\c"]'],
    [['environments', '1st'], 'environments["1st"]'],
    [['m', '0'], 'm["0"]'],
    [[], ''],
  ] as [(string | number)[], string][])('%j ⇄ %s', (segments, path) => {
    expect(pathOf(segments)).toBe(path);
    expect(pathSegments(path)).toEqual(segments);
  });

  test('childPath as the validators use it', () => {
    expect(childPath('', 'app')).toBe('app');
    expect(childPath('values', 2)).toBe('values[2]');
  });

  test('text childPath cannot have written has no segments', () => {
    expect(pathSegments('a..b')).toBeUndefined();
    expect(pathSegments('a[x]')).toBeUndefined();
    expect(pathSegments('a b')).toBeUndefined();
  });
});
