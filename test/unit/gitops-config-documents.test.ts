import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { load } from 'js-yaml';
import {
  configInputs,
  GITOPS_CONFIG_REFERENCE_FILE,
  GITOPS_CONFIG_SCHEMA_FILE,
  gitopsConfigJsonSchemaText,
  gitopsConfigReference,
  loadGitopsConfig,
  PIPELINE_STEPS,
  STEP_ACTIONS,
} from '#core/config/index.js';
import * as patterns from '#core/config/config-patterns.js';
import { gitopsConfigDescription } from '#core/config/gitops-config-description.js';
import type { ActionDefinition } from '#core/runtime/run-action.js';
import type { InputSpecs } from '#core/runtime/inputs.js';
import { matches } from '#core/schema/k8s-patterns.js';
import type { Node, ObjectNode } from '#core/schema/schema-dsl.js';
import { versionAction } from '../../actions/version/src/action.js';
import { buildAndPushAction } from '../../actions/build-and-push/src/action.js';
import { renderAction } from '../../actions/render/src/action.js';
import { commitToGitopsAction } from '../../actions/commit-to-gitops/src/action.js';
import { notifyAction } from '../../actions/notify/src/action.js';
import { waitForSyncAction } from '../../actions/wait-for-sync/src/action.js';

/*
 * schemas/gitops.schema.json and docs/gitops-yaml.md come from the same
 * description as the validator; these tests hold the committed files to it,
 * and hold the description to the actions whose inputs it gives.
 *
 * After changing gitops-config-description.ts, regenerate the files with
 *   GITOPS_CONFIG_WRITE_DOCS=1 npx vitest run test/unit/gitops-config-documents.test.ts
 */

const WRITE = process.env.GITOPS_CONFIG_WRITE_DOCS === '1';

type Definition = ActionDefinition<InputSpecs, string>;
const ACTIONS: Record<(typeof STEP_ACTIONS)[keyof typeof STEP_ACTIONS], Definition> = {
  version: versionAction as unknown as Definition,
  'build-and-push': buildAndPushAction as unknown as Definition,
  render: renderAction as unknown as Definition,
  'commit-to-gitops': commitToGitopsAction as unknown as Definition,
  'wait-for-sync': waitForSyncAction as unknown as Definition,
  notify: notifyAction as unknown as Definition,
};

describe('generated files are current', () => {
  test.each([
    [GITOPS_CONFIG_SCHEMA_FILE, gitopsConfigJsonSchemaText],
    [GITOPS_CONFIG_REFERENCE_FILE, gitopsConfigReference],
  ])('%s', (file, generate) => {
    if (WRITE) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, generate());
    }
    const onDisk = readFileSync(file, 'utf8');
    expect(onDisk, `${file} is stale: run GITOPS_CONFIG_WRITE_DOCS=1 npx vitest run test/unit/gitops-config-documents.test.ts`).toBe(generate());
  });

  test('the schema is draft-07 and closed, so an editor completes keys and flags unknown ones', () => {
    type Schema = { [key: string]: Schema } & { required?: string[]; enum?: unknown[]; pattern?: string };
    const schema = JSON.parse(gitopsConfigJsonSchemaText()) as Schema;
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.required).toEqual(['app', 'environments']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties!.environments!.propertyNames!.pattern).toBe('^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$');
    const environment = schema.definitions!.environment!;
    expect(Object.keys(environment.properties!)).toEqual(['chart', 'values', 'set', 'namespace', 'render', 'gitops', 'notify', 'argocd', 'deploy-on', 'promote-from']);
    expect(schema.definitions!.gitopsTarget!.properties!.mode!.enum).toEqual(['push', 'pull-request', null]);
  });

  test('the reference shows a row per key with its type, default and what it is for', () => {
    const reference = gitopsConfigReference();
    expect(reference).toContain('| `gitops.mode` | one of push, pull-request | `push` | `push` commits to the branch;');
    expect(reference).toContain('| `environments.<key>.promote-from` | string (DNS-1123 label) |  |');
    expect(reference).toContain('| `render.kube-version` | string (Kubernetes version) | `1.32` |');
  });

  test("the reference's example loads", () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(gitopsConfigReference())![1]!;
    const dir = mkdtempSync(join(tmpdir(), 'gitops-config-doc-'));
    try {
      writeFileSync(join(dir, 'gitops.yaml'), example);
      expect(Object.keys(loadGitopsConfig('gitops.yaml', { workspace: dir }).environments)).toEqual(['production', 'staging']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("every pattern's example matches it", () => {
    for (const [name, pattern] of Object.entries(patterns)) expect(matches(pattern, pattern.example), name).toBe(true);
  });
});

// ---- the description gives the actions' inputs, by their names, with their defaults ------------

function object(node: Node): ObjectNode {
  const target = node.type === 'map' ? node.values : node;
  if (target.type !== 'object') throw new Error(`expected an object node, got ${target.type}`);
  return target;
}

const top = gitopsConfigDescription.properties;
const environment = object(top.environments);
/** Each group of keys that are one action's inputs, by the action they go to. */
const GROUPS: [string, ObjectNode, Definition][] = [
  ['version', object(top.version), ACTIONS.version],
  ['build', object(top.build), ACTIONS['build-and-push']],
  ['render', object(top.render), ACTIONS.render],
  ['gitops', object(top.gitops), ACTIONS['commit-to-gitops']],
  ['notify.slack', object(object(top.notify).properties.slack!), ACTIONS.notify],
  ['(chart, values, set, namespace)', { type: 'object', properties: { chart: top.chart, values: top.values, set: top.set, namespace: top.namespace } }, ACTIONS.render],
];

/** Defaults the actions compute rather than declare: action.yml has '' for them. */
const COMPUTED_DEFAULTS = new Set(['build.file', 'gitops.path', 'gitops.pr-base']);

describe('each key is the input of the same name, with the same default', () => {
  test.each(GROUPS)('%s', (group, node, action) => {
    for (const [key, child] of Object.entries(node.properties)) {
      const spec = action.inputs[key];
      expect(spec, `${group}.${key} is not an input of ${action.name}`).toBeDefined();
      if (child.defaultText === undefined || COMPUTED_DEFAULTS.has(`${group}.${key}`)) continue;
      const documented = load(child.defaultText.replace(/^`|`$/g, '')) as unknown;
      const declared = spec!.parse(spec!.fallback ?? spec!.default ?? '', key);
      const text = (v: unknown) => JSON.stringify(Array.isArray(v) ? v.map(String) : String(v));
      expect(text(documented), `${group}.${key}: the reference says ${child.defaultText}, ${action.name} says '${spec!.fallback ?? spec!.default}'`).toBe(text(declared));
    }
  });

  test('environments may set what the top level sets for all of them, and no app-wide step', () => {
    for (const key of ['chart', 'values', 'set', 'namespace', 'render', 'gitops', 'notify', 'argocd']) expect(environment.properties[key]).toBe(top[key as keyof typeof top]);
    expect(environment.properties.version).toBeUndefined();
    expect(environment.properties.build).toBeUndefined();
  });
});

describe('configInputs gives text every action accepts', () => {
  const FULL = `app: verity-api
image: ghcr.io/acme/verity-api
version:
  tag-prefix: verity-api/v
  paths: [src, deploy]
  release-branches: [main, 'release/**']
  default-bump: minor
  major-on-zero: true
  initial-version: 1.0.0
  create-tag: true
  moving-tags: [latest]
build:
  context: .
  file: build/Dockerfile
  builder: buildah
  platforms: [linux/amd64, linux/arm64/v8]
  build-args: { JAVA_VERSION: '21', MODE: release }
  labels: { org.opencontainers.image.vendor: Acme }
  target: runtime
  cache: registry
  skip-existing: false
chart: builtin:monochart
values: [deploy/values.yaml, '?deploy/\${environment}.yaml']
set: { image.pullPolicy: Always }
namespace: verity
render: { engine: builtin, kube-version: '1.31', helm-version: 3.18.2, validate: false, timeout: 30 }
gitops:
  repository: git@github.com:acme/gitops.git
  branch: deploy
  mode: pull-request
  path: clusters/eu/verity-api
  create-branch: true
  pr-labels: [deploy, verity]
  pr-base: main
  auto-merge: true
notify: { slack: { channel: '#deploys', thread: true, mention-on-failure: ['<!here>', '<@U0123ABC>'], fail-on-error: true } }
argocd:
  { application: verity-api-staging, project: platform, destination: in-cluster, namespace: verity, path: apps, sync-policy: manual,
    url: 'https://argocd.example.com/argo', timeout: 15m, poll-interval: 10s, require-healthy: false, insecure: true }
environments:
  staging: { deploy-on: [main] }
`;
  const dir = mkdtempSync(join(tmpdir(), 'gitops-config-full-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'gitops.yaml'), FULL);
  const config = loadGitopsConfig('gitops.yaml', { workspace: dir });

  test.each([...PIPELINE_STEPS])('%s', (step) => {
    const action = ACTIONS[STEP_ACTIONS[step]];
    const inputs = configInputs(config, step, 'staging');
    for (const [name, text] of Object.entries(inputs)) {
      const spec = action.inputs[name];
      expect(spec, `${step}: ${name} is not an input of ${action.name}`).toBeDefined();
      expect(() => spec!.parse(text, name), `${step}: ${name}=${text}`).not.toThrow();
    }
    // The file sets everything it can for this step: every key of its group reached the action.
    const expected = {
      version: 9,
      build: 10,
      render: 12,
      commit: 8,
      wait: 9,
      notify: 6,
    }[step];
    expect(Object.keys(inputs)).toHaveLength(expected);
  });
});
