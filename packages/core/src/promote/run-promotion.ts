import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { settingsFor } from '../config/environment-settings.js';
import { loadGitopsConfig } from '../config/load-gitops-config.js';
import { InputError } from '../errors/errors.js';
import { redact } from '../exec/redact.js';
import { withPrivateTempDir } from '../exec/private-temp-dir.js';
import { remoteAccess } from '../gitops/remote-access.js';
import { resolveRepository } from '../gitops/repository-url.js';
import { neutraliseLine } from '../log/neutralise.js';
import type { StepRun, StepRunner } from '../pipeline/action-step.js';
import { parseImageReference } from '../registry/reference.js';
import { RegistryClients } from '../registry/registry-clients.js';
import { retagImage } from '../registry/retag-image.js';
import type { RunContext, Runtime } from '../runtime/runtime.js';
import { asSemver } from '../gitops/deployed-version.js';
import { promotionSummary } from './promotion-summary.js';
import { readWhatRuns, type EnvironmentState } from './what-runs.js';

export interface PromotionRequest {
  /** gitops.yaml, relative to the workspace. */
  config: string;
  /** '' : the target's `promote-from`. */
  from: string;
  to: string;
  /** '' : what `from` runs now. */
  version: string;
  /** The image repository; '' : gitops.yaml's `image`. */
  image: string;
  denyVersions: readonly string[];
  allowDowngrade: boolean;
  /** Promote a version `from` never ran; its digest is then the registry's `<version>` tag. */
  allowUntested: boolean;
  gitopsToken: string;
  /** '' : `gitopsToken`. */
  fromGitopsToken: string;
  registryUsername: string;
  registryPassword: string;
  registryInsecure: boolean;
  slackWebhookUrl: string;
  slackBotToken: string;
  slackChannel: string;
  slackApiUrl: string;
  dryRun: boolean;
}

export interface PromotionRunners {
  render: StepRunner;
  commit: StepRunner;
  notify: StepRunner;
}

export interface PromotionOutputs {
  version: string;
  digest: string;
  'commit-sha': string;
  'commit-url': string;
  'pull-request-url': string;
  changed: string;
}

export interface PromotionIo {
  runtime: Runtime;
  context: RunContext;
  publish(outputs: Partial<PromotionOutputs>): void;
}

/** A version as written in a deny list or an input: one leading 'v' does not make it another version. */
function sameVersion(a: string, b: string): boolean {
  const strip = (v: string) => v.trim().replace(/^v(?=\d)/, '');
  return strip(a) === strip(b);
}

function refuseDenied(version: string, denied: readonly string[]): void {
  if (denied.some((d) => sameVersion(d, version))) {
    throw new InputError(`version ${version} is in 'deny-versions': it is never promoted (take it off the list if it may be, or promote another version)`);
  }
}

/**
 * Moves a release that `from` has run on to `to`: the same image digest
 * (retagged in the registry, never rebuilt), rendered with `to`'s own
 * values, committed to `to`'s GitOps repository as gitops.yaml says
 * (a pull request for a protected environment), announced on Slack. What
 * `from` runs, and has run, is read from its GitOps repository, so the
 * promotion can only carry on what was deployed and seen there. A rollback
 * is a promotion of an older version with `allowDowngrade`.
 */
export async function runPromotion(request: PromotionRequest, runners: PromotionRunners, io: PromotionIo): Promise<void> {
  const { runtime, context } = io;
  const say = (line: string) => runtime.info(neutraliseLine(line));
  if (!request.to) throw new InputError("input 'to' is required: the environment to promote to");
  const config = loadGitopsConfig(request.config, { workspace: context.workspace });
  const target = settingsFor(config, request.to, { steps: ['render', 'commit'], workspace: context.workspace });
  const declared = target.promoteFrom;
  if (!declared) {
    throw new InputError(
      `environment '${request.to}' has no promote-from in ${request.config}: promotion follows the paths the file declares (add 'promote-from: <environment>' to environments.${request.to})`,
    );
  }
  const from = request.from || declared;
  if (from !== declared) throw new InputError(`environment '${request.to}' is promoted from '${declared}' (its promote-from in ${request.config}), not from '${from}'`);
  const source = settingsFor(config, from, { steps: ['commit'] });
  const image = request.image || config.image;
  if (!image) throw new InputError(`${request.config} has no 'image' and input 'image' is empty: promotion retags the app's image, so one of them must name it`);
  if (request.version) refuseDenied(request.version, request.denyVersions);

  const base = context.runnerTemp || tmpdir();
  const state: EnvironmentState & { version: string; digest: string } = await withPrivateTempDir(base, async (dir) => {
    const remote = resolveRepository(source.commit!.repository, { serverUrl: context.serverUrl, sshKey: false, token: (request.fromGitopsToken || request.gitopsToken) !== '' });
    const token = request.fromGitopsToken || request.gitopsToken;
    const access = remoteAccess(remote, token ? { kind: 'token', token, scheme: 'basic' } : { kind: 'none' }, { dir, homeDir: homedir() });
    for (const secret of access.secrets) if (!runtime.secrets.includes(secret)) runtime.setSecret(secret);
    const runs = await readWhatRuns({
      environment: from,
      remote,
      access,
      branch: source.commit!.branch ?? 'main',
      path: source.commit!.path ?? `${config.app}--${from}`,
      image,
      cloneDir: join(dir.path, 'from'),
    });
    say(`${from} runs ${runs.current.version} (${image}@${runs.current.digest}) since ${runs.current.since}`);
    const version = request.version || runs.current.version;
    refuseDenied(version, request.denyVersions);
    const ran = version === runs.current.version || runs.history.some((h) => h.version === version);
    if (!ran && request.allowUntested) {
      runtime.warning(`${from} never ran ${version} (allow-untested): promoting the image the registry's ${version} tag names, untested in ${from}`);
      return { ...runs, version, digest: '' };
    }
    return { ...runs, version, digest: await runs.digestOf(version) };
  });
  const { version } = state;
  let digest = state.digest;
  if (asSemver(version) && asSemver(state.current.version) && asSemver(version)!.compare(asSemver(state.current.version)!) < 0) {
    say(`${version} is older than what ${from} runs now (${state.current.version})`);
  }

  // ---- the registry has the image (checked before anything is written)
  const login = request.registryPassword
    ? { registry: parseImageReference(image, 'the image').registry, username: request.registryUsername || context.actor || 'token', password: request.registryPassword, source: "inputs 'registry-username' and 'registry-password'" }
    : undefined;
  /** How the registry is reached, for the check now and the retag at the end. */
  const registryAccess = {
    insecure: request.registryInsecure,
    dockerConfig: undefined,
    ...(login ? { login } : {}),
    log: say,
    onSecret: (value: string) => {
      if (!runtime.secrets.includes(value)) runtime.setSecret(value);
    },
  };
  const clients = new RegistryClients(registryAccess);
  try {
    const ref = parseImageReference(image, 'the image');
    if (!digest) {
      const tagged = await clients.get(ref.registry).headManifest(ref.repository, version);
      if (!tagged) throw new InputError(`the registry has no ${image}:${version}: there is no image of ${version} to promote`);
      digest = tagged.digest;
    }
    const head = await clients.get(ref.registry).headManifest(ref.repository, digest);
    if (!head) throw new InputError(`the registry does not have ${image}@${digest}, the image ${from} ran as ${version}: it was deleted (a retention policy?), so it cannot be promoted`);
  } finally {
    clients.close();
  }
  io.publish({ version, digest });
  say(`promoting ${version} (${image}@${digest}) from ${from} to ${request.to}${request.dryRun ? ' (dry run)' : ''}`);

  // ---- render and commit `to`, through the actions' own code
  const rendered = mkdtempSync(join(base, 'gitops-promote-'));
  const summaries: string[] = [];
  const step = async (name: string, runner: StepRunner, inputs: Record<string, string>): Promise<StepRun> => {
    say(`── ${name} ──`);
    const run = await runner(inputs, runtime, context);
    summaries.push(...run.summaries);
    if (!run.ok) throw new InputError(`${name}: ${redact(run.failure, runtime.secrets)}`);
    return run;
  };
  let failure: unknown;
  let commit: StepRun | undefined;
  try {
    const render = await step('render', runners.render, {
      config: request.config,
      environment: request.to,
      output: rendered,
      version,
      image,
      'image-digest': digest,
      'image-tag': version,
    });
    commit = await step('commit', runners.commit, {
      config: request.config,
      environment: request.to,
      source: render.outputs.path ?? '',
      version,
      message: `promote(${config.app}): ${request.to} ${version} from ${from}`,
      ...(request.allowDowngrade ? { 'allow-downgrade': 'true' } : {}),
      ...(request.gitopsToken ? { token: request.gitopsToken } : {}),
      ...(request.dryRun ? { 'dry-run': 'true' } : {}),
    });
    io.publish({
      'commit-sha': commit.outputs['commit-sha'] ?? '',
      'commit-url': commit.outputs['commit-url'] ?? '',
      'pull-request-url': commit.outputs['pull-request-url'] ?? '',
      changed: commit.outputs.changed ?? '',
    });
    // ---- the registry: the same digest gets the target's moving tag and the version tag, once
    // the desired state is in (a refused promotion moves no tag).
    if (request.dryRun) {
      say(`dry run: ${image}@${digest} is not retagged ${request.to} and ${version}`);
    } else {
      const retagged = await retagImage({ source: `${image}@${digest}`, targets: [request.to, version], ...registryAccess });
      say(`retagged: ${retagged.references.join(', ')}`);
    }
  } catch (e) {
    failure = e;
  } finally {
    rmSync(rendered, { recursive: true, force: true });
  }

  // ---- tell Slack, whatever happened
  const slack: Record<string, string> | undefined = request.slackBotToken
    ? { 'bot-token': request.slackBotToken, 'api-url': request.slackApiUrl, ...(request.slackChannel ? { channel: request.slackChannel } : {}) }
    : request.slackWebhookUrl
      ? { 'webhook-url': request.slackWebhookUrl }
      : undefined;
  if (slack) {
    const reason = failure instanceof Error ? failure.message.split('\n')[0]! : '';
    const notified = await runners.notify(
      {
        ...slack,
        app: config.app,
        environment: request.to,
        status: failure ? 'failure' : 'success',
        version,
        image: `${image}@${digest}`,
        ...(commit?.outputs['commit-url'] ? { 'gitops-commit-url': commit.outputs['commit-url'] } : {}),
        ...(commit?.outputs['pull-request-url'] ? { 'pull-request-url': commit.outputs['pull-request-url'] } : {}),
        fields: `Promoted from=${from}${reason ? `\nError=${reason.slice(0, 300)}` : ''}`,
        ...(request.dryRun ? { 'dry-run': 'true' } : {}),
      },
      runtime,
      context,
    );
    if (!notified.ok) runtime.warning(neutraliseLine(`notify: ${redact(notified.failure, runtime.secrets)}`));
  }

  await runtime.summary(
    redact(
      promotionSummary({
        app: config.app,
        from,
        to: request.to,
        version,
        image,
        digest,
        state,
        dryRun: request.dryRun,
        commit: commit?.outputs,
        failure: failure instanceof Error ? failure.message : failure ? String(failure) : '',
        stepSummaries: summaries,
      }),
      runtime.secrets,
    ),
  );
  if (failure) throw failure;
}
