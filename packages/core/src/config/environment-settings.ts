import { statSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { InputError } from '../errors/errors.js';
import { closest } from '../schema/did-you-mean.js';
import { childPath } from '../schema/value-path.js';
import { matchesAnyGlob } from '../version/branch.js';
import type { ArgocdValues, GitopsConfigValues } from './gitops-config-description.js';
import type { ConfigProblem } from './gitops-config-error.js';
import type { GitopsConfig } from './load-gitops-config.js';
import { environmentPath, mergeEnvironment } from './merge-environment.js';

/** The pipeline's steps, in order, as the root action's `steps` input names them. */
export const PIPELINE_STEPS = ['version', 'build', 'render', 'commit', 'wait', 'notify'] as const;
export type PipelineStep = (typeof PIPELINE_STEPS)[number];

/**
 * The steps the root action runs unless told otherwise: all but `wait`,
 * which needs an Argo CD server and token that a first deploy may not have.
 */
export const DEFAULT_STEPS: readonly PipelineStep[] = PIPELINE_STEPS.filter((step) => step !== 'wait');

type Version = NonNullable<GitopsConfigValues['version']>;
type Build = NonNullable<GitopsConfigValues['build']>;

/*
 * Each step's settings are keyed by the inputs of the action that runs it,
 * spelled as in its action.yml, so config-inputs.ts only turns them into
 * text. Absent means "not in gitops.yaml": the action's default applies.
 * Paths are relative to the workspace, as the actions read them.
 */

/** The version action's inputs. */
export type VersionSettings = Version & { image?: string };

/** The build-and-push action's inputs. */
export type BuildSettings = Build & { image: string };

/** The render action's inputs. */
export interface RenderSettings {
  app: string;
  environment: string;
  /** Top level first, then the environment's; `${environment}` replaced; a leading `?` kept (render skips such a file when missing). */
  values: string[];
  chart?: string;
  engine?: NonNullable<GitopsConfigValues['render']>['engine'];
  image?: string;
  namespace?: string;
  set: Record<string, string>;
  'helm-version'?: string;
  'kube-version'?: string;
  validate?: boolean;
  timeout?: number;
}

/** The commit-to-gitops action's inputs. */
export type CommitSettings = NonNullable<GitopsConfigValues['gitops']> & { repository: string };

/** The notify action's inputs. */
export type NotifySettings = NonNullable<NonNullable<GitopsConfigValues['notify']>['slack']> & { app: string; environment: string };

/** The wait-for-sync action's inputs. */
export interface WaitSettings {
  app: string;
  environment: string;
  /** Only when gitops.yaml names it: the action's default is `<app>--<environment>`. */
  application?: string;
  'argocd-url'?: string;
  project?: string;
  timeout?: string;
  'poll-interval'?: string;
  'require-healthy'?: boolean;
  insecure?: boolean;
}

/** The Argo CD Application to write with the first deploy, defaults applied. */
export interface ArgocdSettings {
  /** argocd.application, else `<app>--<environment>`. */
  name: string;
  project: string;
  destination: { server: string } | { name: string };
  /** The environment's namespace unless argocd.namespace is set; undefined when neither is: the objects' own namespaces apply. */
  namespace: string | undefined;
  /** The manifest's path in the GitOps repository: `<path>/<app>--<environment>.yaml`. */
  file: string;
  syncPolicy: 'automated' | 'manual';
}

export interface AppSettings {
  app: string;
  version: VersionSettings;
  /** Undefined when gitops.yaml has no `image` (and the build step was not asked for). */
  build: BuildSettings | undefined;
}

export interface EnvironmentSettings extends AppSettings {
  environment: string;
  render: RenderSettings;
  /** Undefined when the environment has no GitOps repository (and the commit step was not asked for). */
  commit: CommitSettings | undefined;
  notify: NotifySettings;
  /** The Application to create with a first deploy: undefined without `argocd` or with `create-application: false`. */
  argocd: ArgocdSettings | undefined;
  wait: WaitSettings;
  /** Branch globs whose pushes deploy here. */
  deployOn: string[];
  promoteFrom: string | undefined;
}

export interface SettingsOptions {
  /**
   * The steps about to run (default: all). A step that cannot run without a
   * setting the file lacks (build without `image`, commit without a GitOps
   * repository) is an error before anything runs.
   */
  steps?: readonly PipelineStep[];
  /** When given, the files those steps read (values files, a chart directory, the build context) must exist in it. */
  workspace?: string;
}

/** The settings that do not depend on an environment: version and build. */
export function appSettings(config: GitopsConfig, options: SettingsOptions = {}): AppSettings {
  const steps = options.steps ?? PIPELINE_STEPS;
  const problems: ConfigProblem[] = [];
  const settings = appPart(config, steps, options.workspace, problems);
  if (problems.length > 0) throw config.source.error(problems);
  return settings;
}

/**
 * Everything the steps need to deploy to `environment`: the top level with
 * the environment's settings over it (see mergeEnvironment for the rules).
 * An environment the file does not have is an error that lists the ones it has.
 */
export function settingsFor(config: GitopsConfig, environment: string, options: SettingsOptions = {}): EnvironmentSettings {
  const merged = mergeEnvironment(config, environment);
  if (!merged) throw unknownEnvironment(config, environment);
  const steps = options.steps ?? PIPELINE_STEPS;
  const { source } = config;
  const problems: ConfigProblem[] = [];
  const app = appPart(config, steps, options.workspace, problems);
  const at = environmentPath(environment);

  const values = merged.values.map(({ line, path }) => ({ line: inDirectory(source.directory, line.replaceAll('${environment}', environment)), path }));
  const chart = merged.chart === undefined || isRemoteChart(merged.chart) ? merged.chart : inDirectory(source.directory, merged.chart);
  if (options.workspace && steps.includes('render')) {
    const workspace = options.workspace;
    for (const { line, path } of values) {
      if (line.startsWith('?')) continue;
      const stat = statSync(resolve(workspace, line), { throwIfNoEntry: false });
      if (!stat) problems.push(source.problemAt(path, `${line} does not exist (start the line with '?' if the file may be missing)`));
      else if (!stat.isFile()) problems.push(source.problemAt(path, `${line} is not a file`));
    }
    if (chart !== undefined && !isRemoteChart(chart) && !isDirectory(resolve(workspace, chart))) {
      const path = config.environments[environment]!.chart !== undefined ? childPath(at, 'chart') : 'chart';
      problems.push(source.problemAt(path, `${chart} is not a directory (a chart or kustomization directory, builtin:monochart or oci://…)`));
    }
  }
  const render: RenderSettings = {
    app: config.app,
    environment,
    values: values.map((v) => v.line),
    ...(chart !== undefined ? { chart } : {}),
    ...(config.image !== undefined ? { image: config.image } : {}),
    ...(merged.namespace !== undefined ? { namespace: merged.namespace } : {}),
    set: merged.set,
    ...merged.render,
  };

  const { repository } = merged.gitops;
  if (repository === undefined && steps.includes('commit')) {
    problems.push(
      source.problemAt(
        at,
        `environment '${environment}' has no GitOps repository to commit to: set ${childPath(childPath(at, 'gitops'), 'repository')} (or gitops.repository for every environment)`,
      ),
    );
  }
  const commit: CommitSettings | undefined = repository !== undefined ? { ...merged.gitops, repository } : undefined;

  const wait = waitSettings(config.app, environment, merged.argocd);
  let argocd: ArgocdSettings | undefined;
  if (merged.argocd && merged.argocd['create-application'] !== false) {
    const { application, destination, namespace, project, path, 'sync-policy': syncPolicy } = merged.argocd;
    const name = application ?? `${config.app}--${environment}`;
    argocd = {
      name,
      project: project ?? 'default',
      // The load-time checks made sure it is set.
      destination: /^https:\/\//.test(destination!) ? { server: destination! } : { name: destination! },
      namespace: namespace ?? merged.namespace,
      file: `${path ?? 'applications'}/${name}.yaml`,
      syncPolicy: syncPolicy ?? 'automated',
    };
  }
  if (problems.length > 0) throw source.error(problems);
  return {
    ...app,
    environment,
    render,
    commit,
    notify: { app: config.app, environment, ...merged.slack },
    argocd,
    wait,
    deployOn: merged.deployOn,
    promoteFrom: merged.promoteFrom,
  };
}

/** The wait-for-sync inputs of an environment's merged `argocd`: only what it sets, so the action's defaults fill the rest. */
function waitSettings(app: string, environment: string, argocd: ArgocdValues | undefined): WaitSettings {
  const { application, url, project, timeout, 'poll-interval': pollInterval, 'require-healthy': requireHealthy, insecure } = argocd ?? {};
  return {
    app,
    environment,
    ...(application !== undefined ? { application } : {}),
    ...(url !== undefined ? { 'argocd-url': url } : {}),
    ...(project !== undefined ? { project } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
    ...(pollInterval !== undefined ? { 'poll-interval': pollInterval } : {}),
    ...(requireHealthy !== undefined ? { 'require-healthy': requireHealthy } : {}),
    ...(insecure !== undefined ? { insecure } : {}),
  };
}

/** The environments a push to `branch` deploys to (their `deploy-on` globs match it), in name order. */
export function environmentsForBranch(config: GitopsConfig, branch: string): string[] {
  return Object.keys(config.environments).filter((name) => matchesAnyGlob(branch, config.environments[name]!['deploy-on'] ?? []));
}

function appPart(config: GitopsConfig, steps: readonly PipelineStep[], workspace: string | undefined, problems: ConfigProblem[]): AppSettings {
  const { source } = config;
  const dir = source.directory;
  const version: VersionSettings = {
    ...config.version,
    ...(config.version?.paths ? { paths: config.version.paths.map((p) => inDirectory(dir, p)) } : {}),
    ...(config.image !== undefined ? { image: config.image } : {}),
  };
  let build: BuildSettings | undefined;
  if (config.image === undefined) {
    if (steps.includes('build')) {
      problems.push(source.problemAt('', "the build step needs 'image', the repository to push to, e.g. image: ghcr.io/acme/verity-api"));
    }
  } else {
    const given = config.build ?? {};
    // Paths in gitops.yaml are relative to its directory; at the root that is the action's own default '.'.
    const context = given.context !== undefined ? inDirectory(dir, given.context) : dir || undefined;
    build = {
      ...given,
      image: config.image,
      ...(context !== undefined ? { context } : {}),
      ...(given.file !== undefined ? { file: inDirectory(dir, given.file) } : {}),
    };
    if (workspace && steps.includes('build')) {
      if (!isDirectory(resolve(workspace, context ?? '.'))) {
        problems.push(source.problemAt(given.context !== undefined ? 'build.context' : 'build', `the build context ${context ?? '.'} is not a directory`));
      }
      if (build.file !== undefined && !statSync(resolve(workspace, build.file), { throwIfNoEntry: false })?.isFile()) {
        problems.push(source.problemAt('build.file', `${build.file} does not exist`));
      }
    }
  }
  return { app: config.app, version, build };
}

function unknownEnvironment(config: GitopsConfig, environment: string): InputError {
  const names = Object.keys(config.environments);
  const guess = closest(environment, names);
  return new InputError(
    `${config.source.file} has no environment '${environment}'${guess ? `, did you mean '${guess}'?` : ''} (environments: ${names.join(', ')})`,
  );
}

/** `deploy/values.yaml` of a gitops.yaml in `services/api` is `services/api/deploy/values.yaml`; a leading `?` stays in front. */
function inDirectory(directory: string, path: string): string {
  const optional = path.startsWith('?');
  const bare = optional ? path.slice(1) : path;
  const joined = directory ? posix.join(directory, bare) : posix.normalize(bare);
  return optional ? `?${joined}` : joined;
}

function isRemoteChart(chart: string): boolean {
  return chart.startsWith('builtin:') || chart.startsWith('oci://');
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
