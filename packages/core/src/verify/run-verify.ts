import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { settingsFor } from '../config/environment-settings.js';
import { loadGitopsConfig, type GitopsConfig } from '../config/load-gitops-config.js';
import { InputError } from '../errors/errors.js';
import { withPrivateTempDir } from '../exec/private-temp-dir.js';
import { redact } from '../exec/redact.js';
import { remoteAccess, type RemoteAccess } from '../gitops/remote-access.js';
import { resolveRepository } from '../gitops/repository-url.js';
import { neutraliseLine } from '../log/neutralise.js';
import type { StepRunner } from '../pipeline/action-step.js';
import type { OutputValue } from '../runtime/run-action.js';
import type { RunContext, Runtime } from '../runtime/runtime.js';
import { BufferedRuntime } from './buffered-runtime.js';
import { checkEnvironment, type EnvironmentCheck, type EnvironmentTarget } from './check-environment.js';
import { mapInParallel } from './in-parallel.js';
import { driftCounts, verifySummary } from './verify-summary.js';

export interface VerifyRequest {
  /** gitops.yaml files, relative to the workspace. */
  configs: readonly string[];
  /** Environments to check; empty: every environment with a GitOps repository. */
  environments: readonly string[];
  gitopsToken: string;
  /** The image repository the deploys ran, over gitops.yaml's `image` (as the deploy workflows take it); '' : the file's. */
  image?: string;
  failOnDrift: boolean;
  slackWebhookUrl: string;
  slackBotToken: string;
  slackChannel: string;
  slackApiUrl: string;
  /** How many environments are checked at once. */
  parallel?: number;
}

export interface VerifyRunners {
  render: StepRunner;
  notify: StepRunner;
}

export type VerifyOutput = 'drifted' | 'drift' | 'checked';

export interface VerifyIo {
  runtime: Runtime;
  context: RunContext;
  publish(outputs: Partial<Record<VerifyOutput, OutputValue>>): void;
}

/** The `drift` output's entry for one environment. */
export interface DriftReport {
  config: string;
  app: string;
  environment: string;
  repository: string;
  branch: string;
  path: string;
  status: EnvironmentCheck['status'];
  commit: string;
  version: string;
  added: string[];
  changed: string[];
  removed: string[];
  unowned: string[];
  /** Commits after the last deploy that changed the directory, newest first. */
  'hand-edits': Array<{ commit: string; author: string; subject: string }>;
  reason: string;
}

const DEFAULT_PARALLEL = 4;
/** GitHub shows the first ten annotations of each kind per step; a few more go to the log. */
const MAX_ANNOTATIONS = 20;

/**
 * The environments to check, with the directories each gitops.yaml owns in
 * each repository and branch (all its environments count as owners, not
 * only those checked now). The first environment checked in a repository
 * and branch looks for unowned directories there, for all of them.
 */
export function planTargets(
  configs: ReadonlyArray<{ file: string; config: GitopsConfig }>,
  environments: readonly string[],
  context: Pick<RunContext, 'serverUrl'>,
  tokenGiven: boolean,
  /** The image the deploys ran, over gitops.yaml's; '' : each file's. */
  image = '',
): EnvironmentTarget[] {
  const owned = new Map<string, Set<string>>();
  const all: Array<EnvironmentTarget & { key: string }> = [];
  for (const { file, config } of configs) {
    for (const environment of Object.keys(config.environments)) {
      const settings = settingsFor(config, environment, { steps: [] });
      const commit = settings.commit;
      if (!commit) continue;
      let remote;
      try {
        remote = resolveRepository(commit.repository, { serverUrl: context.serverUrl, sshKey: false, token: tokenGiven });
      } catch (e) {
        if (e instanceof InputError) throw new InputError(`${file}: the GitOps repository of environment '${environment}': ${e.message.replace(/^input 'repository':? ?/, '')}`);
        throw e;
      }
      const branch = commit.mode === 'pull-request' ? commit['pr-base'] || commit.branch || 'main' : commit.branch || 'main';
      const path = (commit.path ?? `${config.app}--${environment}`).replace(/\/+$/, '');
      const key = `${config.app}\0${remote.url}\0${branch}\0${path.split('/').slice(0, -1).join('/')}`;
      if (!owned.has(key)) owned.set(key, new Set());
      owned.get(key)!.add(path);
      all.push({ key, config: file, app: config.app, environment, remote, branch, path, image: image || config.image || '', owned: undefined });
    }
  }

  const wanted = new Set(environments);
  if (wanted.size > 0) {
    const known = new Set(configs.flatMap(({ config }) => Object.keys(config.environments)));
    const withRepository = new Set(all.map((t) => t.environment));
    const unknown = [...wanted].filter((e) => !known.has(e));
    if (unknown.length) {
      throw new InputError(
        `input 'environments': ${unknown.map((e) => `'${e}'`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not an environment of ${configs.map((c) => c.file).join(', ')} (environments: ${[...known].sort().join(', ')})`,
      );
    }
    const bare = [...wanted].filter((e) => !withRepository.has(e));
    if (bare.length) throw new InputError(`input 'environments': ${bare.join(', ')} ${bare.length === 1 ? 'has' : 'have'} no GitOps repository in ${configs.map((c) => c.file).join(', ')}, so there is nothing to compare with`);
  }
  const chosen = all.filter((t) => wanted.size === 0 || wanted.has(t.environment));
  const scanned = new Set<string>();
  return chosen.map(({ key, ...target }) => {
    if (scanned.has(key)) return target;
    scanned.add(key);
    return { ...target, owned: owned.get(key)! };
  });
}

export function driftReport(check: EnvironmentCheck): DriftReport {
  const t = check.target;
  return {
    config: t.config,
    app: t.app,
    environment: t.environment,
    repository: t.remote.url,
    branch: t.branch,
    path: t.path,
    status: check.status,
    commit: check.commit,
    version: check.version,
    added: check.added,
    changed: check.changed,
    removed: check.removed,
    unowned: check.unowned,
    'hand-edits': (check.handEdits?.commits ?? []).map(({ commit, author, subject }) => ({ commit, author, subject })),
    reason: check.reason,
  };
}

/** One annotation per drifted file and unowned directory, named by its path in the GitOps repository. */
function annotate(checks: readonly EnvironmentCheck[], runtime: Runtime, failOnDrift: boolean): void {
  const lines: string[] = [];
  for (const c of checks) {
    const t = c.target;
    const at = `${t.remote.url} ${t.branch}`;
    for (const d of c.diffs) {
      const what = d.change === 'added' ? 'is in the GitOps repository but not in the render' : d.change === 'removed' ? 'is rendered but missing from the GitOps repository' : 'differs from the render';
      lines.push(`${d.path}: ${what} of ${t.app} ${t.environment}${c.version ? ` ${c.version}` : ''} (${at})`);
    }
    for (const u of c.unowned) lines.push(`${u}: a directory of ${t.app} that no environment of ${t.config} owns (${at})`);
    for (const k of c.handEdits?.commits ?? []) {
      lines.push(`${t.path}: changed by hand in ${k.commit.slice(0, 12)} by ${k.author} (${k.subject}), after the deploy of ${c.handEdits!.deploy.version || c.handEdits!.deploy.commit.slice(0, 12)} (${at})`);
    }
  }
  const say = (line: string) => (failOnDrift ? runtime.error(neutraliseLine(line)) : runtime.warning(neutraliseLine(line)));
  lines.slice(0, MAX_ANNOTATIONS).forEach(say);
  if (lines.length > MAX_ANNOTATIONS) runtime.info(`… and ${lines.length - MAX_ANNOTATIONS} more drifted paths (see the job summary)`);
}

async function alertSlack(request: VerifyRequest, runners: VerifyRunners, io: VerifyIo, checks: readonly EnvironmentCheck[], configs: ReadonlyArray<{ file: string; config: GitopsConfig }>): Promise<void> {
  const { runtime, context } = io;
  const bad = checks.filter((c) => c.status === 'drifted' || c.status === 'error');
  if (bad.length === 0 || (!request.slackBotToken && !request.slackWebhookUrl)) return;
  const first = bad[0]!.target;
  const config = configs.find((c) => c.file === first.config)!.config;
  const slack = settingsFor(config, first.environment, { steps: [] }).notify;
  const credentials: Record<string, string> = request.slackBotToken
    ? { 'bot-token': request.slackBotToken, 'api-url': request.slackApiUrl, ...(request.slackChannel || slack.channel ? { channel: request.slackChannel || slack.channel! } : {}) }
    : { 'webhook-url': request.slackWebhookUrl };
  const apps = [...new Set(bad.map((c) => c.target.app))];
  const drifted = bad.filter((c) => c.status === 'drifted');
  const fields = bad.slice(0, 9).map((c) => `${c.target.app} ${c.target.environment}=${c.status === 'drifted' ? driftCounts(c) : `not checked: ${c.reason.split('\n')[0]!.slice(0, 200)}`}`);
  if (bad.length > 9) fields.push(`More=${bad.length - 9} more environments, see the run`);
  runtime.info('── notify ──');
  const notified = await runners.notify(
    {
      ...credentials,
      status: 'failure',
      app: apps.join(', '),
      environment: bad.map((c) => c.target.environment).join(', '),
      title: drifted.length
        ? `GitOps drift: ${drifted.map((c) => `${c.target.app} ${c.target.environment}`).join(', ')}`.slice(0, 140)
        : `GitOps drift check failed: ${apps.join(', ')}`.slice(0, 140),
      fields: fields.join('\n'),
      ...(slack['mention-on-failure']?.length ? { 'mention-on-failure': slack['mention-on-failure'].join('\n') } : {}),
    },
    runtime,
    context,
  );
  if (!notified.ok) runtime.warning(neutraliseLine(`notify: ${redact(notified.failure, runtime.secrets)}`));
}

/**
 * Drift detection: every environment of the gitops.yaml files (or those
 * named) is rendered again from its source, with the version, image and
 * source commit its deployed manifests record, and compared file by file
 * with what its GitOps repository holds; directories of the app no
 * environment owns are drift too. Reports in the job summary (with diffs),
 * as annotations and on Slack; throws when an environment could not be
 * checked, and on drift when `failOnDrift`.
 */
export async function runVerify(request: VerifyRequest, runners: VerifyRunners, io: VerifyIo): Promise<void> {
  const { runtime, context } = io;
  if (request.configs.length === 0) throw new InputError("input 'config' is empty: name at least one gitops.yaml");
  const configs = [...new Set(request.configs)].map((file) => ({ file, config: loadGitopsConfig(file, { workspace: context.workspace }) }));
  const tokenGiven = request.gitopsToken !== '';
  const targets = planTargets(configs, [...new Set(request.environments)], context, tokenGiven, request.image);
  if (targets.length === 0) throw new InputError(`no environment of ${configs.map((c) => c.file).join(', ')} has a GitOps repository (gitops.repository): nothing to verify`);
  runtime.info(`verifying ${targets.map((t) => `${t.app} ${t.environment}`).join(', ')}`);

  const checks = await withPrivateTempDir(context.runnerTemp || tmpdir(), async (dir) => {
    const accesses = new Map<string, RemoteAccess>();
    const accessFor = (target: EnvironmentTarget): RemoteAccess => {
      let access = accesses.get(target.remote.url);
      if (!access) {
        access = remoteAccess(target.remote, tokenGiven ? { kind: 'token', token: request.gitopsToken, scheme: 'basic' } : { kind: 'none' }, { dir, homeDir: homedir() });
        for (const secret of access.secrets) if (!runtime.secrets.includes(secret)) runtime.setSecret(secret);
        accesses.set(target.remote.url, access);
      }
      return access;
    };
    return mapInParallel(targets, request.parallel ?? DEFAULT_PARALLEL, async (target, i) => {
      const buffered = new BufferedRuntime(runtime);
      const check = await checkEnvironment(target, {
        access: accessFor(target),
        tokenGiven,
        render: runners.render,
        runtime: buffered,
        context,
        workDir: join(dir.path, `check-${i}`),
      });
      const counts = driftCounts(check);
      await buffered.flush(`${target.app} ${target.environment}: ${check.status}${check.status === 'drifted' ? ` (${counts})` : ''}`);
      return check;
    });
  });

  const drifted = checks.filter((c) => c.status === 'drifted');
  const errors = checks.filter((c) => c.status === 'error');
  io.publish({
    drifted: drifted.length > 0 ? 'true' : 'false',
    drift: checks.map(driftReport),
    checked: String(checks.filter((c) => c.status === 'in-sync' || c.status === 'drifted').length),
  });
  annotate(drifted, runtime, request.failOnDrift);
  for (const c of checks.filter((x) => x.status === 'not-deployed')) runtime.info(`${c.target.app} ${c.target.environment}: not deployed (${c.reason}), nothing to compare`);
  await alertSlack(request, runners, io, checks, configs);
  await runtime.summary(redact(verifySummary(checks, { failOnDrift: request.failOnDrift }), runtime.secrets));

  if (errors.length > 0) {
    throw new InputError(
      `${errors.length === 1 ? 'an environment' : `${errors.length} environments`} could not be checked:\n${errors.map((c) => `- ${c.target.app} ${c.target.environment}: ${c.reason}`).join('\n')}`,
    );
  }
  if (drifted.length > 0 && request.failOnDrift) {
    throw new InputError(
      `drift in ${drifted.map((c) => `${c.target.app} ${c.target.environment} (${driftCounts(c)})`).join(', ')}: the GitOps repository no longer holds what the source renders; see the job summary for the diffs (set 'fail-on-drift: false' to report without failing)`,
    );
  }
}
