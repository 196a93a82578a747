import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readActionYml, repoRoot } from '../harness/run-bundle.js';
import type { ActionDefinition } from '#core/runtime/run-action.js';
import type { InputSpecs } from '#core/runtime/inputs.js';
import { versionAction } from '../../actions/version/src/action.js';
import { buildAndPushAction } from '../../actions/build-and-push/src/action.js';
import { renderAction } from '../../actions/render/src/action.js';
import { notifyAction } from '../../actions/notify/src/action.js';

// Every action folder must appear here, so a new action cannot skip the check.
const definitions: Record<string, ActionDefinition<InputSpecs, string>> = {
  version: versionAction as unknown as ActionDefinition<InputSpecs, string>,
  'build-and-push': buildAndPushAction as unknown as ActionDefinition<InputSpecs, string>,
  render: renderAction as unknown as ActionDefinition<InputSpecs, string>,
  notify: notifyAction as unknown as ActionDefinition<InputSpecs, string>,
};

test('every action folder has a definition under test', () => {
  const folders = readdirSync(join(repoRoot, 'actions'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  expect(folders).toEqual(Object.keys(definitions).sort());
});

describe.each(Object.entries(definitions))('actions/%s/action.yml', (name, definition) => {
  const yml = readActionYml(name);

  test('runs on node24 from its committed bundle', () => {
    expect(yml.runs).toEqual({ using: 'node24', main: `../../dist/${name}/index.js` });
  });

  test('declares exactly the inputs of the definition, with the same defaults', () => {
    const declared = Object.fromEntries(
      Object.entries(yml.inputs ?? {}).map(([k, v]) => [k, v.default === undefined ? '' : String(v.default)]),
    );
    const specified = Object.fromEntries(Object.entries(definition.inputs).map(([k, v]) => [k, v.default ?? '']));
    expect(declared).toEqual(specified);
  });

  test('required inputs agree', () => {
    const declared = Object.entries(yml.inputs ?? {}).filter(([, v]) => v.required === true).map(([k]) => k);
    const specified = Object.entries(definition.inputs).filter(([, v]) => v.required).map(([k]) => k);
    expect(declared.sort()).toEqual(specified.sort());
  });

  test('declares exactly the outputs of the definition', () => {
    expect(Object.keys(yml.outputs ?? {}).sort()).toEqual([...definition.outputs].sort());
  });

  test('every input and output has a description', () => {
    for (const [k, v] of Object.entries({ ...yml.inputs, ...yml.outputs })) {
      expect((v as { description?: string }).description, k).toBeTruthy();
    }
  });
});
