import { describe, expect, it } from 'vitest';
import {
  codeSpan,
  endMarker,
  inputsTable,
  outputsTable,
  parseActionYaml,
  startMarker,
  textCell,
  updateReadme,
} from '../../scripts/lib/readme-tables.mjs';

const sampleActionYml = `
name: sample
description: A sample action.
inputs:
  image:
    description: The image to push.
    required: true
  tag-prefix:
    description: >-
      Version tags are \`<prefix>X.Y.Z\`;
      a monorepo uses e.g. \`app/v\`.
    default: v
  release-branches:
    description: |
      Multiline list
      of branch globs.
    default: |
      main
      master
  separator:
    description: 'Joins fields: a|b or \`x|y\`.'
    default: '|'
  dry-run:
    description: Do nothing.
    default: false
  paths:
    description: Only these paths.
    default: ''
outputs:
  version:
    description: The version, e.g. \`1.4.0\`.
  json:
    description: All of the above.
runs:
  using: node24
  main: ../../dist/sample/index.js
`;

const sample = parseActionYaml(sampleActionYml, 'actions/sample/action.yml');

function readmeWith(inputs: string, outputs: string): string {
  return [
    '# title',
    '',
    startMarker('inputs', 'sample'),
    inputs,
    endMarker('inputs', 'sample'),
    '',
    'prose between',
    '',
    startMarker('outputs', 'sample'),
    outputs,
    endMarker('outputs', 'sample'),
    '',
  ].join('\n');
}

describe('readme tables', () => {
  it('generates the inputs table from action.yml in declaration order', () => {
    expect(inputsTable(sample)).toBe(
      [
        '| name | default | description |',
        '| --- | --- | --- |',
        '| `image` | _required_ | The image to push. |',
        '| `tag-prefix` | `v` | Version tags are `<prefix>X.Y.Z`; a monorepo uses e.g. `app/v`. |',
        '| `release-branches` | `main`<br>`master` | Multiline list of branch globs. |',
        '| `separator` | `\\|` | Joins fields: a\\|b or `x\\|y`. |',
        '| `dry-run` | `false` | Do nothing. |',
        '| `paths` |  | Only these paths. |',
      ].join('\n'),
    );
  });

  it('generates the outputs table', () => {
    expect(outputsTable(sample)).toBe(
      [
        '| name | description |',
        '| --- | --- |',
        '| `version` | The version, e.g. `1.4.0`. |',
        '| `json` | All of the above. |',
      ].join('\n'),
    );
  });

  it('fills empty markers and leaves the rest of the README alone', () => {
    const readme = readmeWith('', '');
    const { content, stale, errors } = updateReadme(readme, new Map([['sample', sample]]));
    expect(errors).toEqual([]);
    expect(stale).toEqual(['inputs:sample', 'outputs:sample']);
    expect(content).toBe(readmeWith(inputsTable(sample), outputsTable(sample)));
    expect(content.startsWith('# title\n')).toBe(true);
    expect(content).toContain('\nprose between\n');
  });

  it('reports nothing stale when the README is up to date', () => {
    const readme = readmeWith(inputsTable(sample), outputsTable(sample));
    const result = updateReadme(readme, new Map([['sample', sample]]));
    expect(result).toEqual({ content: readme, stale: [], errors: [] });
  });

  it('detects a stale table after action.yml changed', () => {
    const readme = readmeWith(inputsTable(sample), outputsTable(sample));
    const changed = parseActionYaml(
      sampleActionYml.replace('The image to push.', 'The image to build and push.'),
      'actions/sample/action.yml',
    );
    const { content, stale, errors } = updateReadme(readme, new Map([['sample', changed]]));
    expect(errors).toEqual([]);
    expect(stale).toEqual(['inputs:sample']);
    expect(content).toContain('| `image` | _required_ | The image to build and push. |');
  });

  it('detects a table edited by hand', () => {
    const edited = inputsTable(sample).replace('Do nothing.', 'Do nothing at all.');
    const { stale } = updateReadme(readmeWith(edited, outputsTable(sample)), new Map([['sample', sample]]));
    expect(stale).toEqual(['inputs:sample']);
  });

  it('fails clearly when markers are missing or name an unknown action', () => {
    const { errors } = updateReadme(
      `# title\n${startMarker('inputs', 'gone')}\n${endMarker('inputs', 'gone')}\n`,
      new Map([['sample', sample]]),
    );
    expect(errors).toContain('README.md has <!-- inputs:gone:start --> but there is no actions/gone/action.yml');
    expect(errors.some((e) => e.includes('<!-- inputs:sample:start -->'))).toBe(true);
    expect(errors.some((e) => e.includes('<!-- outputs:sample:end -->'))).toBe(true);
  });

  it('escapes pipes everywhere and keeps stray angle brackets from turning into HTML', () => {
    expect(textCell('a | b')).toBe('a \\| b');
    expect(textCell('use `a|b` here')).toBe('use `a\\|b` here');
    expect(textCell('full references <image>:<tag>')).toBe('full references &lt;image>:&lt;tag>');
    expect(textCell('code `<image>` stays')).toBe('code `<image>` stays');
    expect(textCell('one\n\n  two\tthree ')).toBe('one two three');
    expect(textCell('an unmatched ` backtick <x>')).toBe('an unmatched ` backtick &lt;x>');
    expect(codeSpan('a|b')).toBe('`a\\|b`');
    expect(codeSpan('a`b')).toBe('`` a`b ``');
  });

  it('rejects an action.yml that is not a mapping', () => {
    expect(() => parseActionYaml('- a\n- b\n', 'actions/x/action.yml')).toThrow(/actions\/x\/action.yml/);
    expect(() => parseActionYaml('inputs: [a]\n', 'actions/x/action.yml')).toThrow(/'inputs' must be a mapping/);
  });
});
