import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readActionYml, repoRoot } from '../harness/run-bundle.js';
import { configInputs, ENVIRONMENT_STEPS, STEP_ACTIONS } from '#core/config/config-inputs.js';
import { PIPELINE_STEPS, type PipelineStep } from '#core/config/environment-settings.js';
import { loadGitopsConfig } from '#core/config/load-gitops-config.js';
import type { ActionDefinition } from '#core/runtime/run-action.js';
import type { InputSpecs } from '#core/runtime/inputs.js';
import { versionAction } from '../../actions/version/src/action.js';
import { buildAndPushAction } from '../../actions/build-and-push/src/action.js';
import { renderAction } from '../../actions/render/src/action.js';
import { commitToGitopsAction } from '../../actions/commit-to-gitops/src/action.js';
import { notifyAction } from '../../actions/notify/src/action.js';
import { pipelineAction } from '../../actions/pipeline/src/action.js';
import { promoteAction } from '../../actions/promote/src/action.js';
import { verifyAction } from '../../actions/verify/src/action.js';
import { waitForSyncAction } from '../../actions/wait-for-sync/src/action.js';

// Every action folder must appear here, so a new action cannot skip the check.
const definitions: Record<string, ActionDefinition<InputSpecs, string>> = {
  version: versionAction as unknown as ActionDefinition<InputSpecs, string>,
  'build-and-push': buildAndPushAction as unknown as ActionDefinition<InputSpecs, string>,
  render: renderAction as unknown as ActionDefinition<InputSpecs, string>,
  'commit-to-gitops': commitToGitopsAction as unknown as ActionDefinition<InputSpecs, string>,
  notify: notifyAction as unknown as ActionDefinition<InputSpecs, string>,
  pipeline: pipelineAction as unknown as ActionDefinition<InputSpecs, string>,
  promote: promoteAction as unknown as ActionDefinition<InputSpecs, string>,
  verify: verifyAction as unknown as ActionDefinition<InputSpecs, string>,
  'wait-for-sync': waitForSyncAction as unknown as ActionDefinition<InputSpecs, string>,
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
    // 'or-config' inputs may come from gitops.yaml instead: not required of the workflow.
    const specified = Object.entries(definition.inputs).filter(([, v]) => v.required === true).map(([k]) => k);
    expect(declared.sort()).toEqual(specified.sort());
  });

  test('an input gitops.yaml can give has no action.yml default; its description says the built-in one, or that config can give it', () => {
    for (const [name, spec] of Object.entries(definition.inputs)) {
      const description = String((yml.inputs?.[name] as { description?: string } | undefined)?.description ?? '');
      if (spec.fallback !== undefined) {
        expect(spec.default ?? '', `${name}: a fallback and a default`).toBe('');
        for (const line of spec.fallback.split('\n').filter(Boolean)) expect(description, name).toContain(`\`${line}\``);
      }
      if (spec.required === 'or-config') expect(description, name).toContain('Required unless `config` sets it.');
    }
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

// ---- the config input: gitops.yaml gives every action its inputs -------------------------------

/** Every key gitops.yaml has, so every input it can give shows up. */
const FULL = `app: verity-api
image: ghcr.io/acme/verity-api
version: { tag-prefix: v, paths: [src], release-branches: [main], default-bump: minor, major-on-zero: true, initial-version: 1.0.0, create-tag: true, moving-tags: [latest] }
build: { context: ., file: Dockerfile, builder: buildah, platforms: [linux/amd64], build-args: { A: b }, labels: { l: v }, target: runtime, cache: none, skip-existing: false }
chart: builtin:monochart
values: [deploy/values.yaml]
set: { replicas: '2' }
namespace: verity
render: { engine: builtin, kube-version: '1.31', helm-version: 3.18.2, validate: false, timeout: 30 }
gitops: { repository: acme/gitops, branch: deploy, mode: pull-request, path: apps/verity-api, create-branch: true, pr-labels: [deploy], pr-base: main, auto-merge: true }
notify: { slack: { channel: C0123456, thread: true, mention-on-failure: ['<!here>'], fail-on-error: true } }
environments:
  staging: {}
`;

describe('the config input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'action-spec-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'gitops.yaml'), FULL);
  const config = loadGitopsConfig('gitops.yaml', { workspace: dir });

  test.each([...PIPELINE_STEPS])('%s: the action reads the step of gitops.yaml and declares every input it gives, without an action.yml default', (step: PipelineStep) => {
    const name = STEP_ACTIONS[step];
    const definition = definitions[name]!;
    expect(definition.inputs.config?.configFor).toBe(step);
    expect(readActionYml(name).inputs?.config).toMatchObject({ required: false, default: '' });
    if (ENVIRONMENT_STEPS.includes(step)) expect(definition.inputs.environment, `${name} needs an environment input`).toBeDefined();
    const given = configInputs(config, step, 'staging');
    expect(Object.keys(given).length).toBeGreaterThan(0);
    for (const input of Object.keys(given)) {
      const spec = definition.inputs[input];
      expect(spec, `${name}: gitops.yaml gives '${input}', which it does not declare`).toBeDefined();
      // The runner would pass a non-empty default as if the workflow had written it, hiding the file's value.
      if (input !== 'environment') expect(spec!.default ?? '', `${name}: '${input}' has an action.yml default`).toBe('');
    }
  });
});
