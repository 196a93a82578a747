import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  appSettings,
  configInputs,
  environmentsForBranch,
  GitopsConfigError,
  loadGitopsConfig,
  settingsFor,
  type GitopsConfig,
} from '#core/config/index.js';
import { InputError } from '#core/errors/errors.js';
import { YamlError } from '#core/yaml/yaml-error.js';

/** The example of issue 7, as a team would commit it. */
const EXAMPLE = `app: verity-api
image: ghcr.io/acme/verity-api
build: { context: ., file: Dockerfile }
chart: builtin:monochart
values: [deploy/values.yaml]
environments:
  staging:
    values: [deploy/staging.yaml]
    gitops: { repository: acme/va-verity-eks-stage-gitops, branch: main }
    namespace: verity
    deploy-on: [main]
  production:
    values: [deploy/production.yaml]
    gitops: { repository: acme/va-verity-eks-prod-gitops, branch: main, mode: pull-request }
    promote-from: staging
notify: { slack: { channel: C0123456 } }
argocd: { project: default, destination: https://kubernetes.default.svc }
`;

const APP_FILES = {
  Dockerfile: 'FROM scratch\n',
  'deploy/values.yaml': 'replicas: 2\n',
  'deploy/staging.yaml': '{}\n',
  'deploy/production.yaml': 'replicas: 3\n',
};

const workspaces: string[] = [];
afterEach(() => {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-config-'));
  workspaces.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function load(text: string, files: Record<string, string> = {}): GitopsConfig {
  return loadGitopsConfig('gitops.yaml', { workspace: workspace({ 'gitops.yaml': text, ...files }) });
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

function problemsOf(text: string): string[] {
  try {
    load(text);
  } catch (error) {
    expect(error).toBeInstanceOf(GitopsConfigError);
    const { file, problems } = error as GitopsConfigError;
    return problems.map((p) => `${file}:${p.location ? `${p.location.line}:${p.location.column}` : '-'}: ${p.path}: ${p.message}`);
  }
  throw new Error('expected a GitopsConfigError');
}

describe("the issue's example", () => {
  test('loads, typed, with nothing the file left out filled in', () => {
    const config = load(EXAMPLE);
    expect(config.app).toBe('verity-api');
    expect(config.source).toMatchObject({ file: 'gitops.yaml', directory: '' });
    expect(Object.keys(config.environments)).toEqual(['production', 'staging']);
    expect(config.environments.production).toEqual({
      values: ['deploy/production.yaml'],
      gitops: { repository: 'acme/va-verity-eks-prod-gitops', branch: 'main', mode: 'pull-request' },
      'promote-from': 'staging',
    });
    expect(config.render).toBeUndefined(); // the render action's defaults apply
    expect(Object.isFrozen(config.environments.staging)).toBe(true);
  });

  test('settings for each step of staging, with the files checked in the workspace', () => {
    const config = load(EXAMPLE, APP_FILES);
    const ws = workspaces.at(-1)!;
    expect(settingsFor(config, 'staging', { workspace: ws })).toEqual({
      app: 'verity-api',
      environment: 'staging',
      version: { image: 'ghcr.io/acme/verity-api' },
      build: { image: 'ghcr.io/acme/verity-api', context: '.', file: 'Dockerfile' },
      render: {
        app: 'verity-api',
        environment: 'staging',
        values: ['deploy/values.yaml', 'deploy/staging.yaml'],
        chart: 'builtin:monochart',
        image: 'ghcr.io/acme/verity-api',
        namespace: 'verity',
        set: {},
      },
      commit: { repository: 'acme/va-verity-eks-stage-gitops', branch: 'main' },
      notify: { app: 'verity-api', environment: 'staging', channel: 'C0123456' },
      argocd: {
        name: 'verity-api--staging',
        project: 'default',
        destination: { server: 'https://kubernetes.default.svc' },
        namespace: 'verity',
        file: 'applications/verity-api--staging.yaml',
        syncPolicy: 'automated',
      },
      wait: { app: 'verity-api', environment: 'staging', project: 'default' },
      deployOn: ['main'],
      promoteFrom: undefined,
    });
  });

  test('production: pull-request mode, promoted from staging, no namespace of its own', () => {
    const settings = settingsFor(load(EXAMPLE), 'production');
    expect(settings.commit).toEqual({ repository: 'acme/va-verity-eks-prod-gitops', branch: 'main', mode: 'pull-request' });
    expect(settings.promoteFrom).toBe('staging');
    expect(settings.render.values).toEqual(['deploy/values.yaml', 'deploy/production.yaml']);
    expect(settings.argocd?.namespace).toBeUndefined();
  });

  test('the inputs each action gets, in action.yml spelling', () => {
    const config = load(EXAMPLE);
    expect(configInputs(config, 'version')).toEqual({ image: 'ghcr.io/acme/verity-api' });
    expect(configInputs(config, 'build')).toEqual({ image: 'ghcr.io/acme/verity-api', context: '.', file: 'Dockerfile' });
    expect(configInputs(config, 'render', 'staging')).toEqual({
      app: 'verity-api',
      environment: 'staging',
      values: 'deploy/values.yaml\ndeploy/staging.yaml',
      chart: 'builtin:monochart',
      image: 'ghcr.io/acme/verity-api',
      namespace: 'verity',
    });
    expect(configInputs(config, 'commit', 'production')).toEqual({ repository: 'acme/va-verity-eks-prod-gitops', branch: 'main', mode: 'pull-request' });
    expect(configInputs(config, 'notify', 'production')).toEqual({ app: 'verity-api', environment: 'production', channel: 'C0123456' });
    expect(messageOf(() => configInputs(config, 'render'))).toBe('the render step needs an environment (gitops.yaml has production, staging)');
  });

  test('a push to main deploys staging only', () => {
    const config = load(EXAMPLE);
    expect(environmentsForBranch(config, 'main')).toEqual(['staging']);
    expect(environmentsForBranch(config, 'feature/x')).toEqual([]);
  });
});

describe("the issue's bad input, each a clear error before anything is pushed", () => {
  test('an unknown environment asked for', () => {
    const config = load(EXAMPLE);
    expect(messageOf(() => settingsFor(config, 'prodution'))).toBe(
      "gitops.yaml has no environment 'prodution', did you mean 'production'? (environments: production, staging)",
    );
    expect(messageOf(() => configInputs(config, 'commit', 'qa'))).toBe("gitops.yaml has no environment 'qa' (environments: production, staging)");
  });

  test('a missing values file, checked when settings are computed with a workspace', () => {
    const files: Record<string, string> = { ...APP_FILES };
    delete files['deploy/production.yaml'];
    const config = load(EXAMPLE, files);
    const ws = workspaces.at(-1)!;
    expect(() => settingsFor(config, 'production')).not.toThrow(); // without a workspace nothing is read
    expect(messageOf(() => settingsFor(config, 'production', { workspace: ws }))).toBe(
      [
        "gitops.yaml:13:14: environments.production.values[0]: deploy/production.yaml does not exist (start the line with '?' if the file may be missing)",
        '   13 |     values: [deploy/production.yaml]',
        '      |              ^',
      ].join('\n'),
    );
    expect(messageOf(() => configInputs(config, 'render', 'production', { workspace: ws }))).toContain('deploy/production.yaml does not exist');
    // Steps that do not read values files do not care.
    expect(configInputs(config, 'commit', 'production', { workspace: ws })).toMatchObject({ mode: 'pull-request' });
  });

  test("a values file marked '?' may be missing; ${environment} is replaced before looking", () => {
    const text = EXAMPLE.replace('values: [deploy/values.yaml]', "values: [deploy/values.yaml, '?deploy/${environment}-extra.yaml']");
    const config = load(text, APP_FILES);
    expect(settingsFor(config, 'staging', { workspace: workspaces.at(-1)! }).render.values).toEqual([
      'deploy/values.yaml',
      '?deploy/staging-extra.yaml',
      'deploy/staging.yaml',
    ]);
  });

  test('an environment without a GitOps repository, when the commit step needs it', () => {
    const config = load(`${EXAMPLE.replace('environments:\n', 'environments:\n  preview:\n    namespace: preview\n')}`);
    expect(settingsFor(config, 'preview', { steps: ['render'] }).commit).toBeUndefined();
    expect(messageOf(() => settingsFor(config, 'preview'))).toBe(
      [
        "gitops.yaml:7:3: environments.preview: environment 'preview' has no GitOps repository to commit to: set environments.preview.gitops.repository (or gitops.repository for every environment)",
        '    7 |   preview:',
        '      |   ^',
      ].join('\n'),
    );
    expect(messageOf(() => configInputs(config, 'commit', 'preview'))).toContain("environment 'preview' has no GitOps repository to commit to");
  });

  test('an unknown key, with the line and the closest valid key', () => {
    const text = EXAMPLE.replace('    promote-from: staging', '    promote-form: staging');
    expect(messageOf(() => load(text))).toBe(
      [
        "gitops.yaml:15:5: environments.production.promote-form: unknown key, did you mean 'promote-from'?",
        '   15 |     promote-form: staging',
        '      |     ^',
      ].join('\n'),
    );
  });

  test('a misspelt environment in promote-from', () => {
    expect(problemsOf(EXAMPLE.replace('promote-from: staging', 'promote-from: stagin'))).toEqual([
      "gitops.yaml:15:5: environments.production.promote-from: no environment is called 'stagin', did you mean 'staging'? (environments: production, staging)",
    ]);
  });
});

describe('every problem of the file at once, in file order, at file:line:column', () => {
  test('structure: unknown keys, enums, patterns, types with a hint', () => {
    const text = `app: Verity_API
image: ghcr.io/acme/verity-api:1.0
buld: { context: . }
environments:
  staging:
    gitops: { repository: not a repo, mode: pul-request }
    render: { kube-version: 1.30 }
    deploy-on: [refs/heads/main, 'feature/**']
  Prod:
    gitops:
      repository: acme/y
      branh: main
`;
    expect(problemsOf(text)).toEqual([
      "gitops.yaml:1:1: app: 'Verity_API' is not a DNS-1123 label (at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit), e.g. 'verity-api'",
      "gitops.yaml:2:1: image: 'ghcr.io/acme/verity-api:1.0' is not an image name without tag or digest, with a lower-case path (the tag comes from the version step, the digest from the build), e.g. 'ghcr.io/acme/verity-api'",
      "gitops.yaml:3:1: buld: unknown key, did you mean 'build'?",
      "gitops.yaml:6:15: environments.staging.gitops.repository: 'not a repo' is not a repository: owner/name on this GitHub server, or a git URL (https://, ssh://, git@host:path, file://), e.g. 'acme/va-verity-eks-stage-gitops'",
      "gitops.yaml:6:39: environments.staging.gitops.mode: expected one of push, pull-request, got 'pul-request' (did you mean 'pull-request'?)",
      'gitops.yaml:7:15: environments.staging.render.kube-version: expected string (Kubernetes version), got number (quote versions: unquoted, 1.30 is the number 1.3)',
      "gitops.yaml:8:17: environments.staging.deploy-on[0]: 'refs/heads/main' is not a branch name or glob ('*' within a segment, '**' across segments), without refs/heads/, spaces, '..', '~', '^', ':' or '[', e.g. 'release/**'",
      "gitops.yaml:9:3: environments.Prod: key 'Prod' is not a DNS-1123 label (at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit), e.g. 'verity-api'",
    ]);
  });

  test('relations between keys, once the structure is right', () => {
    const text = `app: verity-api
gitops: { repository: acme/gitops, path: shared }
environments:
  a:
    promote-from: b
  b:
    promote-from: a
  c:
    promote-from: c
  blue--green: {}
  d:
    gitops: { repository: "https://x:secret@github.com/acme/gitops.git" }
argocd: { project: default }
`;
    // Every environment inherits the top level's path: all but the first write where 'a' does.
    const same = "writes the same directory as environment 'a' (acme/gitops, path shared): each directory in a GitOps repository belongs to exactly one app and environment";
    expect(problemsOf(text)).toEqual([
      "gitops.yaml:5:5: environments.a.promote-from: promotions go round in a circle: a promotes from b, which promotes from a; one of them must get its image from a build instead",
      `gitops.yaml:6:3: environments.b.gitops: ${same}`,
      `gitops.yaml:8:3: environments.c.gitops: ${same}`,
      'gitops.yaml:9:5: environments.c.promote-from: an environment cannot promote from itself',
      "gitops.yaml:10:3: environments.blue--green: an environment name must not contain '--': the GitOps directory <app>--<environment> is read back by splitting at the last '--'",
      `gitops.yaml:10:3: environments.blue--green.gitops: ${same}`,
      "gitops.yaml:12:15: environments.d.gitops.repository: must not carry credentials: they would end up in .git/config and in logs; give the token to the action's 'token' input from a secret",
      "gitops.yaml:13:1: argocd: needs 'destination': the cluster's API server URL (e.g. https://kubernetes.default.svc) or its name in Argo CD (or create-application: false when something else creates the Application)",
    ]);
  });

  test('argocd: the server the wait step asks, and an Application something else creates', () => {
    const text = `app: verity-api
gitops: { repository: acme/gitops }
argocd: { create-application: false, url: 'https://argocd.example.com/argo/', timeout: 15m }
environments:
  staging: { argocd: { application: verity-api-stage, require-healthy: false } }
  dev: { argocd: { url: 'http://argocd.dev.internal', insecure: true } }
`;
    const config = load(text);
    const staging = settingsFor(config, 'staging', { steps: ['commit', 'wait'] });
    expect(staging.argocd).toBeUndefined();
    expect(staging.wait).toEqual({
      app: 'verity-api',
      environment: 'staging',
      application: 'verity-api-stage',
      'argocd-url': 'https://argocd.example.com/argo/',
      timeout: '15m',
      'require-healthy': false,
    });
    expect(settingsFor(config, 'dev', { steps: ['wait'] }).wait).toMatchObject({ 'argocd-url': 'http://argocd.dev.internal', insecure: true });
  });

  test('argocd: a URL the wait step would refuse, a token, and the server under the wrong key', () => {
    const text = `app: verity-api
environments: { staging: {}, prod: { argocd: { url: 'https://u:p@argocd.example.com' } } }
argocd: { destination: in-cluster, url: 'http://argocd.example.com', timeout: 10 minutes, token: abc, server: https://argocd.example.com }
`;
    expect(problemsOf(text)).toEqual([
      "gitops.yaml:2:48: environments.prod.argocd.url: 'https://u:p@argocd.example.com' is not the Argo CD server's URL (https://…, without credentials, query or fragment; http:// only with insecure: true), e.g. 'https://argocd.example.com'",
      "gitops.yaml:3:70: argocd.timeout: '10 minutes' is not a duration such as 90s, 10m, 1h30m or a number of seconds, e.g. '10m'",
      "gitops.yaml:3:91: argocd.token: unknown key: a secret does not belong in gitops.yaml, which is committed: give the action's 'argocd-token' input from a secret, e.g. ${{ secrets.NAME }}",
      "gitops.yaml:3:103: argocd.server: unknown key, did you mean 'url' (the Argo CD server) or 'destination' (the cluster the app runs in)?",
    ]);
    // Plain http passes the grammar; the wait step's own check refuses it unless insecure.
    const plain = `app: verity-api
environments: { staging: {}, dev: { argocd: { insecure: true } } }
argocd: { destination: in-cluster, url: 'http://argocd.example.com' }
`;
    expect(problemsOf(plain)).toEqual([
      "gitops.yaml:3:36: argocd.url: is plain http (argocd.example.com): the token would cross the network unencrypted. Use https://, or set 'insecure: true' for a test cluster",
    ]);
  });

  test('secrets are refused with where they go instead', () => {
    const text = `app: verity-api
environments: { staging: {} }
notify: { slack: { channel: '#deploys', webhook: https://hooks.slack.com/services/T/B/x } }
`;
    expect(problemsOf(text)).toEqual([
      "gitops.yaml:3:41: notify.slack.webhook: unknown key: a secret does not belong in gitops.yaml, which is committed: give the action's 'webhook-url' input from a secret, e.g. ${{ secrets.NAME }}",
    ]);
    // The line is not quoted: it would put the secret in the log.
    expect(messageOf(() => load(text))).not.toContain('hooks.slack.com');
    const credentials = 'app: a\nenvironments:\n  staging:\n    gitops: { repository: "https://x:hunter2@github.com/acme/g" }\n';
    expect(messageOf(() => load(credentials))).toBe(
      "gitops.yaml:4:15: environments.staging.gitops.repository: must not carry credentials: they would end up in .git/config and in logs; give the token to the action's 'token' input from a secret",
    );
  });

  test('a key in the wrong place says where it belongs', () => {
    expect(problemsOf('app: a\ndeploy-on: [main]\nenvironments: { staging: {} }\n')).toEqual([
      "gitops.yaml:2:1: deploy-on: unknown key here; 'deploy-on' belongs in environments.<name>.deploy-on",
    ]);
  });

  test('required keys, an empty environment list, a file that is not a map', () => {
    expect(problemsOf('image: ghcr.io/acme/a\n')).toEqual(['gitops.yaml:1:1: app: is required', 'gitops.yaml:1:1: environments: is required']);
    expect(problemsOf('app: a\nenvironments: {}\n')).toEqual(['gitops.yaml:2:1: environments: needs at least one environment, e.g. staging']);
    expect(messageOf(() => load('- app\n'))).toBe(
      'gitops.yaml:1:1: expected a map of settings (app, image, environments, …) at the top level\n    1 | - app\n      | ^',
    );
    expect(messageOf(() => load('# nothing yet\n'))).toBe('gitops.yaml: the file is empty; it needs at least app and environments');
  });

  test('YAML errors keep their own place; the file must exist inside the workspace', () => {
    expect(() => load('app: a\napp: b\n')).toThrow(YamlError);
    expect(messageOf(() => load('app: a\napp: b\n'))).toMatch(/^gitops\.yaml:2:1: duplicate key 'app'/);
    const ws = workspace({});
    expect(messageOf(() => loadGitopsConfig('gitops.yaml', { workspace: ws }))).toBe(
      `gitops.yaml does not exist in the workspace ${ws} (the config file describes the app and its environments)`,
    );
    expect(messageOf(() => loadGitopsConfig('../gitops.yaml', { workspace: ws }))).toBe(`the config file ../gitops.yaml must be a file inside the workspace ${ws}`);
  });
});

describe('environments take the top level as their defaults', () => {
  const text = `app: verity-api
image: registry.local:5000/team/verity-api
version: { tag-prefix: verity-api/v, paths: [src], release-branches: [main, 'release/*'], create-tag: true }
build: { context: app, build-args: { JAVA_VERSION: '21' }, platforms: [linux/amd64, linux/arm64] }
chart: charts/verity
values: [deploy/values.yaml]
set: { image.pullPolicy: Always, podAnnotations.team: core }
namespace: verity
render: { kube-version: '1.31', timeout: 120 }
gitops: { repository: acme/gitops, branch: main, pr-labels: [deploy] }
notify: { slack: { channel: C0123456, mention-on-failure: ['<!subteam^S0123ABC>'] } }
environments:
  staging:
    deploy-on: [main, 'release/**']
  production:
    chart: oci://ghcr.io/acme/charts/verity
    values: [deploy/production.yaml]
    set: { podAnnotations.team: platform }
    render: { kube-version: '1.32' }
    gitops: { repository: acme/gitops-prod, mode: pull-request, auto-merge: true }
    notify: { slack: { channel: C0999999 } }
    promote-from: staging
  preview:
`;

  test('lists add up, maps merge, scalars and groups key by key', () => {
    const config = load(text);
    const production = settingsFor(config, 'production');
    expect(production.render).toEqual({
      app: 'verity-api',
      environment: 'production',
      values: ['deploy/values.yaml', 'deploy/production.yaml'],
      chart: 'oci://ghcr.io/acme/charts/verity',
      image: 'registry.local:5000/team/verity-api',
      namespace: 'verity',
      set: { 'image.pullPolicy': 'Always', 'podAnnotations.team': 'platform' },
      'kube-version': '1.32',
      timeout: 120,
    });
    expect(production.commit).toEqual({ repository: 'acme/gitops-prod', branch: 'main', 'pr-labels': ['deploy'], mode: 'pull-request', 'auto-merge': true });
    expect(production.notify).toEqual({ app: 'verity-api', environment: 'production', channel: 'C0999999', 'mention-on-failure': ['<!subteam^S0123ABC>'] });
    expect(configInputs(config, 'render', 'production')).toMatchObject({ set: 'image.pullPolicy=Always\npodAnnotations.team=platform', 'kube-version': '1.32', timeout: '120' });
    expect(configInputs(config, 'build')).toEqual({
      image: 'registry.local:5000/team/verity-api',
      context: 'app',
      platforms: 'linux/amd64\nlinux/arm64',
      'build-args': 'JAVA_VERSION=21',
    });
    expect(configInputs(config, 'version')).toEqual({
      image: 'registry.local:5000/team/verity-api',
      'tag-prefix': 'verity-api/v',
      paths: 'src',
      'release-branches': 'main\nrelease/*',
      'create-tag': 'true',
    });
  });

  test('an environment with nothing under it takes everything from the top level', () => {
    const preview = settingsFor(load(text), 'preview');
    expect(preview.render).toMatchObject({ chart: 'charts/verity', values: ['deploy/values.yaml'], namespace: 'verity', 'kube-version': '1.31' });
    expect(preview.commit).toEqual({ repository: 'acme/gitops', branch: 'main', 'pr-labels': ['deploy'] });
  });

  test('deploy-on globs as the version action reads release-branches', () => {
    const config = load(text);
    expect(environmentsForBranch(config, 'release/1.x')).toEqual(['staging']);
    expect(environmentsForBranch(config, 'release/1.x/hotfix')).toEqual(['staging']);
  });

  test('in a monorepo, paths are relative to the directory of gitops.yaml', () => {
    const ws = workspace({
      'services/verity/gitops.yaml': text,
      'services/verity/app/Dockerfile': 'FROM scratch\n',
      'services/verity/deploy/values.yaml': '{}\n',
      'services/verity/deploy/production.yaml': '{}\n',
      'services/verity/charts/verity/Chart.yaml': 'name: verity\n',
    });
    const config = loadGitopsConfig('services/verity/gitops.yaml', { workspace: ws });
    expect(config.source).toMatchObject({ file: 'services/verity/gitops.yaml', directory: 'services/verity' });
    const production = settingsFor(config, 'production', { workspace: ws });
    expect(production.build).toMatchObject({ context: 'services/verity/app' });
    expect(production.version.paths).toEqual(['services/verity/src']);
    expect(production.render.values).toEqual(['services/verity/deploy/values.yaml', 'services/verity/deploy/production.yaml']);
    expect(production.render.chart).toBe('oci://ghcr.io/acme/charts/verity');
    expect(settingsFor(config, 'preview', { workspace: ws }).render.chart).toBe('services/verity/charts/verity');
    // At the root of a monorepo app the build context is its directory, not the repository root.
    const plain = loadGitopsConfig('services/verity/gitops.yaml', { workspace: ws });
    expect(appSettings(plain).build?.context).toBe('services/verity/app');
  });

  test('the build step needs an image; a chart directory must exist', () => {
    const config = load('app: a\nchart: charts/a\nenvironments: { staging: { gitops: { repository: acme/g } } }\n');
    expect(appSettings(config, { steps: ['version'] }).build).toBeUndefined();
    expect(messageOf(() => appSettings(config))).toBe(
      "gitops.yaml:1:1: the build step needs 'image', the repository to push to, e.g. image: ghcr.io/acme/verity-api\n    1 | app: a\n      | ^",
    );
    expect(messageOf(() => settingsFor(config, 'staging', { steps: ['render'], workspace: workspaces.at(-1)! }))).toMatch(
      /^gitops\.yaml:2:1: chart: charts\/a is not a directory/,
    );
  });
});
